# An R1-Zero-style run: GRPO straight from a base model, with no supervised fine-tuning,
# rewarded only by rules: one for the format (think, then answer), one for the answer.
# Run it: COURSE_MODEL="$(tiny-models path arithmetic)" python snippets/grpo/r1_zero.py

# --8<-- [start:parse]
import re

# Exactly one <think> block, then exactly one <answer> block, no stray tag in either.
NO_TAG = r"(?:(?!</?(?:think|answer)>).)*"
THINK_THEN_ANSWER = re.compile(
    rf"\s*<think>(?P<think>{NO_TAG})</think>"
    rf"\s*<answer>(?P<answer>{NO_TAG})</answer>\s*",
    re.DOTALL,
)


def completion_text(completion):
    """TRL passes a string for text prompts, a list of messages for chat prompts."""
    return completion if isinstance(completion, str) else completion[-1]["content"]


# --8<-- [end:parse]


# --8<-- [start:format]
def format_reward(completions, **kwargs):
    """1.0 if the completion thinks, then answers, in well-formed tags; else 0.0."""
    return [
        1.0 if THINK_THEN_ANSWER.fullmatch(completion_text(c)) else 0.0
        for c in completions
    ]


# --8<-- [end:format]


# --8<-- [start:accuracy]
def accuracy_reward(completions, answer, **kwargs):  # (1)!
    """1.0 if a well-formed completion's answer block holds the reference answer."""
    rewards = []
    for completion, reference in zip(completions, answer, strict=True):
        match = THINK_THEN_ANSWER.fullmatch(completion_text(completion))
        right = match is not None and match["answer"].strip() == str(reference)
        rewards.append(1.0 if right else 0.0)
    return rewards


# --8<-- [end:accuracy]


# --8<-- [start:reward-demo]
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
import os

import torch
from datasets import Dataset

# The toy task: single-digit sums. Every fifth problem is held out from training.
problems = [(a, b) for a in range(10) for b in range(10)]
train_problems = [p for i, p in enumerate(problems) if i % 5 != 2]
held_out_problems = [p for i, p in enumerate(problems) if i % 5 == 2]


def as_dataset(pairs):
    # A "prompt" column in chat form; every other column reaches the reward functions.
    return Dataset.from_list(
        [
            {
                "prompt": [{"role": "user", "content": f"What is {a}+{b}?"}],
                "answer": a + b,
            }
            for a, b in pairs
        ]
    )


# --8<-- [end:data]


# --8<-- [start:evaluate]
def evaluate(model, tokenizer, dataset, samples_per_prompt=8, seed=0):
    """Mean accuracy and format rewards of sampled completions (temperature 1)."""
    tokenizer.padding_side = "left"
    texts = [
        tokenizer.apply_chat_template(
            prompt, add_generation_prompt=True, tokenize=False
        )
        for prompt in dataset["prompt"]
    ]
    batch = tokenizer(
        texts, return_tensors="pt", padding=True, add_special_tokens=False
    )
    batch = batch.to(model.device)
    model.eval()  # (1)!
    torch.manual_seed(seed)
    outputs = model.generate(
        **batch,
        do_sample=True,
        temperature=1.0,
        top_k=0,
        max_new_tokens=16,
        num_return_sequences=samples_per_prompt,
    )
    completions = tokenizer.batch_decode(
        outputs[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )
    answers = [a for a in dataset["answer"] for _ in range(samples_per_prompt)]
    accuracy = sum(accuracy_reward(completions, answers)) / len(completions)
    well_formed = sum(format_reward(completions)) / len(completions)
    return accuracy, well_formed, completions


# --8<-- [end:evaluate]


# --8<-- [start:train]
if __name__ == "__main__":
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from trl import GRPOConfig, GRPOTrainer

    MODEL_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B")  # (1)!
    tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
    model = AutoModelForCausalLM.from_pretrained(MODEL_ID)
    held_out = as_dataset(held_out_problems)
    before = evaluate(model, tokenizer, held_out)

    config = GRPOConfig(
        output_dir="r1-zero-toy",
        num_generations=8,  # G: completions sampled per prompt
        per_device_train_batch_size=128,  # 16 prompts x 8 completions per step
        max_completion_length=16,
        learning_rate=5e-4,  # (2)!
        beta=0.0,  # no KL penalty, no reference model (TRL's default)
        max_steps=40,
        logging_steps=5,
        use_cpu=not torch.cuda.is_available(),  # a laptop is enough for the tiny model
        save_strategy="no",
        report_to="none",
        seed=0,
    )
    trainer = GRPOTrainer(
        model=model,
        processing_class=tokenizer,
        reward_funcs=[format_reward, accuracy_reward],  # (3)!
        args=config,
        train_dataset=as_dataset(train_problems),
    )
    trainer.train()
    after = evaluate(trainer.model, tokenizer, held_out)

    print(f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}")
    print(f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}")
# --8<-- [end:train]
