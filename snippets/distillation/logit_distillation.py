# Logit distillation: instead of copying the teacher's sampled text, the student learns
# the teacher's whole next-token distribution at every position, with TRL's
# DistillationTrainer (on-policy: the student writes the completions it is graded on).
# Run it with two models that share a vocabulary:
#   COURSE_TEACHER="$(tiny-models path teacher)" \
#   COURSE_MODEL="$(tiny-models path student)" \
#   python snippets/distillation/logit_distillation.py

# --8<-- [start:data]
import os

import torch
from datasets import Dataset

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS, prompt_of
from reasoning_course.training import RUN_SETTINGS

# --8<-- [end:data]


# --8<-- [start:divergence]
def teacher_completions(teacher, tokenizer, pairs, max_new_tokens=16):
    """The teacher's greedy answers to the prompts, as (prompt ids, completion ids)."""
    rows = []
    for a, b in pairs:
        prompt_ids = tokenizer.apply_chat_template(
            prompt_of(a, b), add_generation_prompt=True, return_tensors="pt"
        )["input_ids"].to(teacher.device)
        output = teacher.generate(
            prompt_ids, do_sample=False, max_new_tokens=max_new_tokens
        )
        rows.append((prompt_ids, output[:, prompt_ids.shape[1] :]))
    return rows


@torch.no_grad()
def divergence(teacher, student, rows):
    """Mean KL(teacher || student) per completion token, in nats (0: identical)."""
    total, tokens = 0.0, 0
    for prompt_ids, completion_ids in rows:
        ids = torch.cat([prompt_ids, completion_ids], dim=1)
        # The logits at position t predict token t + 1: keep the completion's.
        start, end = prompt_ids.shape[1] - 1, ids.shape[1] - 1
        teacher_logp = teacher(ids).logits[0, start:end].log_softmax(-1)
        student_logp = student(ids).logits[0, start:end].log_softmax(-1)
        kl = (teacher_logp.exp() * (teacher_logp - student_logp)).sum(-1)
        total, tokens = total + kl.sum().item(), tokens + kl.numel()
    return total / tokens


# --8<-- [end:divergence]


# --8<-- [start:train]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import DistillationConfig, DistillationTrainer

    TEACHER_ID = os.environ.get(
        "COURSE_TEACHER", "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    )
    STUDENT_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct")
    tokenizer = AutoTokenizer.from_pretrained(STUDENT_ID, padding_side="left")
    teacher = AutoModelForCausalLM.from_pretrained(TEACHER_ID).eval()
    student = AutoModelForCausalLM.from_pretrained(STUDENT_ID)

    held_out = teacher_completions(teacher, tokenizer, HELD_OUT_PROBLEMS)
    before = divergence(teacher, student.eval(), held_out)

    config = DistillationConfig(
        output_dir="logit-distillation",
        beta=0.0,  # (1)!
        max_completion_length=16,  # the student writes up to 16 tokens a prompt
        per_device_train_batch_size=32,
        max_steps=60,
        learning_rate=5e-3,  # (2)!
        logging_steps=10,
        bf16=torch.cuda.is_available(),  # TRL 1.16's default on a GPU; off on a CPU
        gradient_checkpointing=False,  # a tiny model needs no memory savings
        **RUN_SETTINGS,
    )
    trainer = DistillationTrainer(
        model=student,
        teacher_model=teacher,
        args=config,
        train_dataset=Dataset.from_list(
            [{"prompt": prompt_of(a, b)} for a, b in TRAIN_PROBLEMS]
        ),
        processing_class=tokenizer,
    )
    trainer.train()
    after = divergence(teacher, trainer.model.eval(), held_out)

    print(f"held-out KL(teacher || student): {before:.2f} -> {after:.2f} nats/token")
    print(f"fall: {1 - after / before:.0%}")
# --8<-- [end:train]
