"""Sampling the toy task's completions from a model, and scoring them: every example page
measures a model this way, so the code lives here, shown once on the GRPO page.
"""

# --8<-- [start:sample]
import torch

from reasoning_course.arithmetic import THINK_THEN_ANSWER, is_right, prompt_of


def chat_prompt(a, b, system_prompt=None):
    """The question, after a system message if the recipe has one: a real model needs
    one that asks for the <think> and <answer> tags."""
    system = [{"role": "system", "content": system_prompt}] if system_prompt else []
    return system + prompt_of(a, b)


def sample(
    model,
    tokenizer,
    pairs,
    samples_per_prompt,
    seed=0,
    max_new_tokens=16,
    system_prompt=None,
    temperature=1.0,
):
    """Sampled completions, grouped by problem: one list per (a, b)."""
    tokenizer.padding_side = "left"
    texts = [
        tokenizer.apply_chat_template(
            chat_prompt(a, b, system_prompt), add_generation_prompt=True, tokenize=False
        )
        for a, b in pairs
    ]
    batch = tokenizer(
        texts, return_tensors="pt", padding=True, add_special_tokens=False
    ).to(model.device)
    model.eval()  # (1)
    torch.manual_seed(seed)
    outputs = model.generate(
        **batch,
        do_sample=True,
        temperature=temperature,
        top_k=0,
        max_new_tokens=max_new_tokens,
        num_return_sequences=samples_per_prompt,
    )
    completions = tokenizer.batch_decode(
        outputs[:, batch["input_ids"].shape[1] :], skip_special_tokens=True
    )
    n = samples_per_prompt
    return [completions[i * n : (i + 1) * n] for i in range(len(pairs))]


# --8<-- [end:sample]


# --8<-- [start:evaluate]
def evaluate(
    model,
    tokenizer,
    pairs,
    samples_per_prompt=8,
    seed=0,
    max_new_tokens=16,
    system_prompt=None,
    temperature=1.0,
    answer_check="tags",
):
    """Accuracy and format rate of sampled completions, and them. An answer is right as
    ``answer_check`` reads it (see reasoning_course.arithmetic.is_right)."""
    groups = sample(
        model,
        tokenizer,
        pairs,
        samples_per_prompt,
        seed,
        max_new_tokens,
        system_prompt,
        temperature,
    )
    scored = [
        (is_right(c, a + b, answer_check), THINK_THEN_ANSWER.fullmatch(c) is not None)
        for (a, b), group in zip(pairs, groups, strict=True)
        for c in group
    ]
    accuracy = sum(right for right, _ in scored) / len(scored)
    well_formed = sum(formed for _, formed in scored) / len(scored)
    return accuracy, well_formed, [c for group in groups for c in group]


# --8<-- [end:evaluate]
