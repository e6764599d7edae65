# An R1-Zero-style run: GRPO straight from a base model, with no supervised fine-tuning,
# rewarded only by rules: one for the format (think, then answer), one for the answer.
# Run it on the tiny model with its recipe, which the package ships (the default):
#   COURSE_MODEL="$(course-models path arithmetic)" python snippets/grpo/r1_zero.py
# on a real model, SmolLM2-135M-Instruct, with its own recipe, on a CPU in minutes:
#   COURSE_MODEL="$(course-models path smollm2)" python snippets/grpo/r1_zero.py \
#     --config recipes/SmolLM2-135M-Instruct/grpo/r1_zero.yaml
# or on a larger one, on a GPU:
#   accelerate launch snippets/grpo/r1_zero.py \
#     --config recipes/Qwen2.5-1.5B-Instruct/grpo/r1_zero.yaml

# --8<-- [start:reward-demo]
from reasoning_course.rewards import accuracy_reward, format_reward

completions = [
    [{"role": "assistant", "content": "<think>3+4=7</think><answer>7</answer>"}],
    [{"role": "assistant", "content": "<think>3+4=8</think><answer>8</answer>"}],
    [{"role": "assistant", "content": "<think>3+4=7</think> The answer is 7."}],
    [{"role": "assistant", "content": "<answer>7</answer><think>easy</think>"}],
]
print("format:  ", format_reward(completions))
print("accuracy:", accuracy_reward(completions, answer=[7, 7, 7, 7]))
# --8<-- [end:reward-demo]


# --8<-- [start:data]
from datasets import Dataset

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS
from reasoning_course.sampling import chat_prompt, evaluate
from reasoning_course.training import RUN_SETTINGS


def as_dataset(pairs, system_prompt=None):
    # A "prompt" column in chat form; every other column reaches the reward functions.
    return Dataset.from_list(
        [
            {"prompt": chat_prompt(a, b, system_prompt), "answer": a + b}
            for a, b in pairs
        ]
    )


# --8<-- [end:data]


# --8<-- [start:train]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    from reasoning_course.recipes import parse_recipe
    from reasoning_course.rewards import REWARDS

    recipe, config = parse_recipe(  # (1)
        GRPOConfig, "tiny/grpo/r1_zero.yaml", **RUN_SETTINGS
    )
    tokenizer = AutoTokenizer.from_pretrained(recipe.model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(recipe.model_name_or_path)
    held_out = dict(  # (2)
        system_prompt=recipe.system_prompt,
        max_new_tokens=config.max_completion_length,
        temperature=config.temperature,
        answer_check=recipe.answer_check,
    )
    before = evaluate(model, tokenizer, HELD_OUT_PROBLEMS, **held_out)

    trainer = GRPOTrainer(
        model=model,
        processing_class=tokenizer,
        reward_funcs=[REWARDS[name] for name in recipe.reward_funcs],  # (3)
        args=config,
        train_dataset=as_dataset(TRAIN_PROBLEMS, recipe.system_prompt),
    )
    trainer.train()
    trainer.save_model()  # (4)
    after = evaluate(trainer.model, tokenizer, HELD_OUT_PROBLEMS, **held_out)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
