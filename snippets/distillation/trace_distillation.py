# Distillation as DeepSeek-R1 did it for its small models: a teacher writes reasoning
# traces, rejection sampling keeps only the verified ones, and supervised fine-tuning
# (SFT, no RL) teaches them to a student.
# Run it with two models that share a tokenizer:
#   COURSE_TEACHER="$(tiny-models path teacher)" \
#   COURSE_MODEL="$(tiny-models path student)" \
#   python snippets/distillation/trace_distillation.py

# --8<-- [start:verify]
import re

# Exactly one <think> block, then exactly one <answer> block, no stray tag in either.
NO_TAG = r"(?:(?!</?(?:think|answer)>).)*"
THINK_THEN_ANSWER = re.compile(
    rf"\s*<think>(?P<think>{NO_TAG})</think>"
    rf"\s*<answer>(?P<answer>{NO_TAG})</answer>\s*",
    re.DOTALL,
)


def is_verified(completion, reference):
    """True if the completion is well formed and its answer equals the reference."""
    match = THINK_THEN_ANSWER.fullmatch(completion)
    return match is not None and match["answer"].strip() == str(reference)


# --8<-- [end:verify]


# --8<-- [start:data]
import os

import torch

# The toy task: single-digit sums. Every fifth problem is held out from training.
problems = [(a, b) for a in range(10) for b in range(10)]
train_problems = [p for i, p in enumerate(problems) if i % 5 != 2]
held_out_problems = [p for i, p in enumerate(problems) if i % 5 == 2]


def prompt_of(a, b):
    return [{"role": "user", "content": f"What is {a}+{b}?"}]


# --8<-- [end:data]


# --8<-- [start:sample]
def sample(model, tokenizer, pairs, samples_per_prompt, seed=0, max_new_tokens=16):
    """Sampled completions (temperature 1), grouped by problem: one list per pair."""
    tokenizer.padding_side = "left"
    texts = [
        tokenizer.apply_chat_template(
            prompt_of(a, b), add_generation_prompt=True, tokenize=False
        )
        for a, b in pairs
    ]
    batch = tokenizer(
        texts, return_tensors="pt", padding=True, add_special_tokens=False
    ).to(model.device)
    model.eval()
    torch.manual_seed(seed)
    outputs = model.generate(
        **batch,
        do_sample=True,
        temperature=1.0,
        top_k=0,
        max_new_tokens=max_new_tokens,
        num_return_sequences=samples_per_prompt,
    )
    completions = tokenizer.batch_decode(
        outputs[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )
    n = samples_per_prompt
    return [completions[i * n : (i + 1) * n] for i in range(len(pairs))]


def evaluate(model, tokenizer, pairs, samples_per_prompt=8):
    """Held-out accuracy (verified answers) and format rate of sampled completions."""
    groups = sample(model, tokenizer, pairs, samples_per_prompt, seed=1)
    scored = [
        (is_verified(c, a + b), THINK_THEN_ANSWER.fullmatch(c) is not None)
        for (a, b), group in zip(pairs, groups, strict=True)
        for c in group
    ]
    accuracy = sum(right for right, _ in scored) / len(scored)
    well_formed = sum(formed for _, formed in scored) / len(scored)
    return accuracy, well_formed


# --8<-- [end:sample]


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

    groups = sample(teacher, tokenizer, train_problems, samples_per_prompt=4)
    kept, rejected = rejection_sample(groups, train_problems)
    print(f"teacher traces: {len(kept)} kept, {rejected} rejected")
    print("one kept trace:", kept[0]["completion"][0]["content"])
# --8<-- [end:teacher]


# --8<-- [start:train]
if __name__ == "__main__":
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer

    student = AutoModelForCausalLM.from_pretrained(STUDENT_ID)
    before = evaluate(student, tokenizer, held_out_problems)

    config = SFTConfig(
        output_dir="trace-distillation",
        per_device_train_batch_size=32,
        max_steps=250,
        learning_rate=5e-3,  # (1)!
        logging_steps=25,
        use_cpu=not torch.cuda.is_available(),
        bf16=torch.cuda.is_available(),  # TRL's default on a GPU; off on a CPU
        gradient_checkpointing=False,  # (2)!
        save_strategy="no",
        report_to="none",
        seed=0,
    )
    trainer = SFTTrainer(
        model=student,
        args=config,
        train_dataset=Dataset.from_list(kept),  # (3)!
        processing_class=tokenizer,
    )
    trainer.train()
    after = evaluate(trainer.model, tokenizer, held_out_problems)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
