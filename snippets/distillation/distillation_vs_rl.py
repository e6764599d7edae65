# Distillation versus RL for a small model, at toy scale: the same student and the same
# training budget, spent either on SFT with a teacher's verified traces or on GRPO with
# rule-based rewards and no teacher at all.
# Run it with two models that share a tokenizer:
#   COURSE_TEACHER="$(tiny-models path teacher)" \
#   COURSE_MODEL="$(tiny-models path student)" \
#   python snippets/distillation/distillation_vs_rl.py

# --8<-- [start:helpers]
import os
import re

import torch
from datasets import Dataset

NO_TAG = r"(?:(?!</?(?:think|answer)>).)*"
THINK_THEN_ANSWER = re.compile(
    rf"\s*<think>(?P<think>{NO_TAG})</think>"
    rf"\s*<answer>(?P<answer>{NO_TAG})</answer>\s*",
    re.DOTALL,
)
problems = [(a, b) for a in range(10) for b in range(10)]
train_problems = [p for i, p in enumerate(problems) if i % 5 != 2]
held_out_problems = [p for i, p in enumerate(problems) if i % 5 == 2]


def prompt_of(a, b):
    return [{"role": "user", "content": f"What is {a}+{b}?"}]


def is_verified(completion, reference):
    match = THINK_THEN_ANSWER.fullmatch(completion)
    return match is not None and match["answer"].strip() == str(reference)


def sample(model, tokenizer, pairs, samples_per_prompt, seed):
    """Sampled completions (temperature 1), one list per problem."""
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
        **batch, do_sample=True, temperature=1.0, top_k=0, max_new_tokens=16,
        num_return_sequences=samples_per_prompt,
    )  # fmt: skip
    completions = tokenizer.batch_decode(
        outputs[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )
    n = samples_per_prompt
    return [completions[i * n : (i + 1) * n] for i in range(len(pairs))]


def held_out_accuracy(model, tokenizer):
    groups = sample(model, tokenizer, held_out_problems, 8, seed=1)
    pairs = zip(held_out_problems, groups, strict=True)
    return sum(is_verified(c, a + b) for (a, b), g in pairs for c in g) / 160


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
        use_cpu=not on_gpu,
        bf16=on_gpu,
        gradient_checkpointing=False,
        save_strategy="no",
        report_to="none",
        seed=0,
    )
    start = held_out_accuracy(
        AutoModelForCausalLM.from_pretrained(STUDENT_ID), tokenizer
    )
# --8<-- [end:budget]


# --8<-- [start:sft]
if __name__ == "__main__":
    from trl import SFTConfig, SFTTrainer

    teacher = AutoModelForCausalLM.from_pretrained(TEACHER_ID)
    groups = sample(teacher, tokenizer, train_problems, 4, seed=0)
    traces = [
        {"prompt": prompt_of(a, b), "completion": [{"role": "assistant", "content": c}]}
        for (a, b), group in zip(train_problems, groups, strict=True)
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

    # The R1-Zero rewards. Chat prompts give chat completions: lists of messages.
    def format_reward(completions, **kwargs):
        texts = [c[-1]["content"] for c in completions]
        return [float(THINK_THEN_ANSWER.fullmatch(t) is not None) for t in texts]

    def accuracy_reward(completions, answer, **kwargs):
        texts = [c[-1]["content"] for c in completions]
        return [float(is_verified(t, r)) for t, r in zip(texts, answer, strict=True)]

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
            [{"prompt": prompt_of(a, b), "answer": a + b} for a, b in train_problems]
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
