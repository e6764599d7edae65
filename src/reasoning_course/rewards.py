"""R1-Zero's rule-based rewards for the toy task, as TRL reward functions: taught on the GRPO
page, used again by the distillation page's GRPO run.
"""

# --8<-- [start:parse]
from reasoning_course.arithmetic import THINK_THEN_ANSWER, is_verified, last_number


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
def accuracy_reward(completions, answer, **kwargs):  # (1)
    """1.0 if a well-formed completion's answer block holds the reference answer."""
    return [
        1.0 if is_verified(completion_text(c), reference) else 0.0
        for c, reference in zip(completions, answer, strict=True)
    ]


# --8<-- [end:accuracy]


# --8<-- [start:number]
def number_reward(completions, answer, **kwargs):
    """1.0 if the completion's last whole number is the reference answer, tags or not."""
    return [
        1.0 if last_number(completion_text(c)) == str(reference) else 0.0
        for c, reference in zip(completions, answer, strict=True)
    ]


# The rewards a recipe can name in its `reward_funcs`, as Open R1's recipes name theirs.
REWARDS = {
    "format": format_reward,
    "accuracy": accuracy_reward,
    "number": number_reward,
}
# --8<-- [end:number]
