# Distillation as DeepSeek-R1 did it for its small models: a teacher writes reasoning
# traces, rejection sampling keeps only the verified ones, and supervised fine-tuning
# (SFT, no RL) teaches them to a student.
# Run it on the tiny models with their recipe, which the package ships (the default):
#   COURSE_TEACHER="$(course-models path teacher)" \
#   COURSE_MODEL="$(course-models path student)" \
#   python snippets/distillation/trace_distillation.py
# on SmolLM2-135M-Instruct, taught by itself after the GRPO example, on a CPU:
#   COURSE_MODEL="$(course-models path smollm2)" \
#   python snippets/distillation/trace_distillation.py \
#     --config recipes/SmolLM2-135M-Instruct/distillation/trace_distillation.yaml
# or on larger models with their own recipe, on a GPU:
#   python snippets/distillation/trace_distillation.py \
#     --config recipes/Qwen2.5-1.5B-Instruct/distillation/trace_distillation.yaml

# --8<-- [start:task]
import torch

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS, is_right
from reasoning_course.sampling import chat_prompt, evaluate, sample
from reasoning_course.training import RUN_SETTINGS

# --8<-- [end:task]


# --8<-- [start:reject]
def rejection_sample(groups, pairs, system_prompt=None, answer_check="tags"):
    """Keep the verified traces; return them as SFT rows, and how many were dropped."""
    kept, rejected = [], 0
    for (a, b), group in zip(pairs, groups, strict=True):
        for trace in group:
            if is_right(trace, a + b, answer_check):  # (1)
                kept.append(
                    {
                        "prompt": chat_prompt(a, b, system_prompt),
                        "completion": [{"role": "assistant", "content": trace}],
                    }
                )
            else:
                rejected += 1
    return kept, rejected


# --8<-- [end:reject]


# --8<-- [start:teacher]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import SFTConfig

    from reasoning_course.recipes import parse_recipe

    recipe, config = parse_recipe(
        SFTConfig,
        "tiny/distillation/trace_distillation.yaml",
        **RUN_SETTINGS,
        bf16=torch.cuda.is_available(),  # (1)
    )
    teacher_tokenizer = AutoTokenizer.from_pretrained(recipe.teacher_name_or_path)
    teacher_tokenizer.chat_template = (  # (2)
        recipe.teacher_chat_template or teacher_tokenizer.chat_template
    )
    teacher = AutoModelForCausalLM.from_pretrained(recipe.teacher_name_or_path)

    groups = sample(
        teacher,
        teacher_tokenizer,
        TRAIN_PROBLEMS,
        samples_per_prompt=4,
        max_new_tokens=recipe.max_new_tokens,
        system_prompt=recipe.system_prompt,
        temperature=recipe.sampling_temperature,
    )
    kept, rejected = rejection_sample(
        groups, TRAIN_PROBLEMS, recipe.system_prompt, recipe.answer_check
    )
    print(f"teacher traces: {len(kept)} kept, {rejected} rejected")
    print("one kept trace:", kept[0]["completion"][0]["content"])
# --8<-- [end:teacher]


# --8<-- [start:train]
if __name__ == "__main__":
    from datasets import Dataset
    from trl import SFTTrainer

    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)  # (1)
    student = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path)
    held_out = dict(
        seed=1,
        max_new_tokens=recipe.max_new_tokens,
        system_prompt=recipe.system_prompt,
        temperature=recipe.sampling_temperature,
        answer_check=recipe.answer_check,
    )
    before = evaluate(student, tokenizer, HELD_OUT_PROBLEMS, **held_out)

    trainer = SFTTrainer(
        model=student,
        args=config,
        train_dataset=Dataset.from_list(kept),  # (2)
        processing_class=tokenizer,
    )
    trainer.train()
    after = evaluate(trainer.model, tokenizer, HELD_OUT_PROBLEMS, **held_out)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
