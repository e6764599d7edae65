# Distillation versus RL for a small model, at toy scale: the same student and the same
# training budget, spent either on SFT with a teacher's verified traces or on GRPO with
# rule-based rewards and no teacher at all.
# Run it with two models that share a tokenizer:
#   COURSE_TEACHER="$(course-models path teacher)" \
#   COURSE_MODEL="$(course-models path student)" \
#   python snippets/distillation/distillation_vs_rl.py

# --8<-- [start:helpers]
import os

import torch
from datasets import Dataset

from reasoning_course.arithmetic import (
    HELD_OUT_PROBLEMS,
    TRAIN_PROBLEMS,
    is_verified,
    prompt_of,
)
from reasoning_course.rewards import accuracy_reward, format_reward
from reasoning_course.sampling import evaluate, sample
from reasoning_course.training import RUN_SETTINGS


def held_out_accuracy(model, tokenizer):
    return evaluate(model, tokenizer, HELD_OUT_PROBLEMS, seed=1)[0]


# --8<-- [end:helpers]


# --8<-- [start:budget]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer

    TEACHER_ID = os.environ.get(
        "COURSE_TEACHER", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    )
    STUDENT_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct")
    tokenizer = AutoTokenizer.from_pretrained(STUDENT_ID)
    on_gpu = torch.cuda.is_available()
    # Both runs take the same number of optimizer steps over the same number of
    # sequences a step: teacher traces for SFT, the student's own samples for GRPO.
    budget = dict(
        max_steps=100,
        per_device_train_batch_size=32,
        logging_steps=10,
        bf16=on_gpu,
        gradient_checkpointing=False,
        **RUN_SETTINGS,
    )
    start = held_out_accuracy(
        AutoModelForCausalLM.from_pretrained(STUDENT_ID), tokenizer
    )
# --8<-- [end:budget]


# --8<-- [start:sft]
if __name__ == "__main__":
    from trl import SFTConfig, SFTTrainer

    teacher = AutoModelForCausalLM.from_pretrained(TEACHER_ID)
    groups = sample(teacher, tokenizer, TRAIN_PROBLEMS, 4, seed=0)
    traces = [
        {"prompt": prompt_of(a, b), "completion": [{"role": "assistant", "content": c}]}
        for (a, b), group in zip(TRAIN_PROBLEMS, groups, strict=True)
        for c in group
        if is_verified(c, a + b)  # rejection sampling: verified traces only
    ]
    sft = SFTTrainer(
        model=AutoModelForCausalLM.from_pretrained(STUDENT_ID),
        args=SFTConfig(output_dir="vs-rl-sft", learning_rate=5e-3, **budget),
        train_dataset=Dataset.from_list(traces),
        processing_class=tokenizer,
    )
    sft.train()
    distilled = held_out_accuracy(sft.model, tokenizer)
# --8<-- [end:sft]


# --8<-- [start:grpo]
if __name__ == "__main__":
    from trl import GRPOConfig, GRPOTrainer

    grpo = GRPOTrainer(
        model=AutoModelForCausalLM.from_pretrained(STUDENT_ID),
        args=GRPOConfig(
            output_dir="vs-rl-grpo",
            learning_rate=5e-4,
            num_generations=8,  # 4 prompts x 8 completions = 32 sequences a step
            max_completion_length=16,
            beta=0.0,
            **budget,
        ),
        reward_funcs=[format_reward, accuracy_reward],
        train_dataset=Dataset.from_list(
            [{"prompt": prompt_of(a, b), "answer": a + b} for a, b in TRAIN_PROBLEMS]
        ),
        processing_class=tokenizer,
    )
    grpo.train()
    reinforced = held_out_accuracy(grpo.model, tokenizer)
# --8<-- [end:grpo]


# --8<-- [start:compare]
if __name__ == "__main__":
    print(f"student before training:    {start:.2f} held-out accuracy")
    print(f"SFT on teacher traces:      {distilled:.2f}")
    print(f"GRPO from the student:      {reinforced:.2f}")
# --8<-- [end:compare]
