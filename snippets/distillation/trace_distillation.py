# Distillation as DeepSeek-R1 did it for its small models: a teacher writes reasoning
# traces, rejection sampling keeps only the verified ones, and supervised fine-tuning
# (SFT, no RL) teaches them to a student.
# Run it with two models that share a tokenizer:
#   COURSE_TEACHER="$(tiny-models path teacher)" \
#   COURSE_MODEL="$(tiny-models path student)" \
#   python snippets/distillation/trace_distillation.py

# --8<-- [start:task]
import os

import torch

from reasoning_course.arithmetic import (
    HELD_OUT_PROBLEMS,
    TRAIN_PROBLEMS,
    is_verified,
    prompt_of,
)
from reasoning_course.sampling import evaluate, sample
from reasoning_course.training import RUN_SETTINGS

# --8<-- [end:task]


# --8<-- [start:reject]
def rejection_sample(groups, pairs):
    """Keep the verified traces; return them as SFT rows, and how many were dropped."""
    kept, rejected = [], 0
    for (a, b), group in zip(pairs, groups, strict=True):
        for trace in group:
            if is_verified(trace, a + b):  # (1)!
                kept.append(
                    {
                        "prompt": prompt_of(a, b),
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

    TEACHER_ID = os.environ.get(
        "COURSE_TEACHER", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    )
    STUDENT_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct")
    tokenizer = AutoTokenizer.from_pretrained(STUDENT_ID)  # (1)!
    teacher = AutoModelForCausalLM.from_pretrained(TEACHER_ID)

    groups = sample(teacher, tokenizer, TRAIN_PROBLEMS, samples_per_prompt=4)
    kept, rejected = rejection_sample(groups, TRAIN_PROBLEMS)
    print(f"teacher traces: {len(kept)} kept, {rejected} rejected")
    print("one kept trace:", kept[0]["completion"][0]["content"])
# --8<-- [end:teacher]


# --8<-- [start:train]
if __name__ == "__main__":
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    student = AutoModelForCausalLM.from_pretrained(STUDENT_ID)
    before = evaluate(student, tokenizer, HELD_OUT_PROBLEMS, seed=1)

    config = SFTConfig(
        output_dir="trace-distillation",
        per_device_train_batch_size=32,
        max_steps=250,
        learning_rate=5e-3,  # (1)!
        logging_steps=25,
        bf16=torch.cuda.is_available(),  # TRL 1.16's default on a GPU; off on a CPU
        gradient_checkpointing=False,  # (2)!
        **RUN_SETTINGS,
    )
    trainer = SFTTrainer(
        model=student,
        args=config,
        train_dataset=Dataset.from_list(kept),  # (3)!
        processing_class=tokenizer,
    )
    trainer.train()
    after = evaluate(trainer.model, tokenizer, HELD_OUT_PROBLEMS, seed=1)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
