"""The toy task the examples train and evaluate on: single-digit sums, answered in R1's format.

A completion in the target format looks like ``<think>3+4=7</think><answer>7</answer>``.
The problems are split once, by a fixed rule, into a training set and a held-out set, so
that every later claim ("accuracy on held-out prompts rises") is measured on prompts the
training loop never sampled. The pages show the named sections; what follows them is how
the tiny models are pre-trained (``tiny_models.factory``).
"""

# --8<-- [start:format]
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


# --8<-- [end:format]


# --8<-- [start:final-answer]
ANSWER = re.compile(r"<answer>\s*(.*?)\s*</answer>", re.DOTALL)


def final_answer(completion):
    """The content of the last <answer> block, or None if there is none."""
    answers = ANSWER.findall(completion)
    return answers[-1] if answers else None


# --8<-- [end:final-answer]


# --8<-- [start:problems]
# The toy task: single-digit sums. Every fifth problem is held out from training.
PROBLEMS = [(a, b) for a in range(10) for b in range(10)]
TRAIN_PROBLEMS = [p for i, p in enumerate(PROBLEMS) if i % 5 != 2]
HELD_OUT_PROBLEMS = [p for i, p in enumerate(PROBLEMS) if i % 5 == 2]


def prompt_of(a, b):
    """The question as a chat prompt, the form TRL's trainers and chat templates take."""
    return [{"role": "user", "content": f"What is {a}+{b}?"}]


# --8<-- [end:problems]


# --8<-- [start:last-number]
# A real instruct model answers in prose ("1 + 7 = 8"), never in the tags above: its
# answer is read as the last whole number it writes, as GSM8K scorers read one.
LAST_NUMBER = re.compile(r"-?\d+")


def last_number(completion):
    """The last whole number in the text, or None if there is none."""
    numbers = LAST_NUMBER.findall(completion)
    return numbers[-1] if numbers else None


def answer_of(completion, answer_check="tags"):
    """The answer a completion gives (None: none), read as a recipe's ``answer_check``
    says: from its last <answer> block ("tags"), or as its last number ("last-number")."""
    return ANSWER_READERS[answer_check](completion)


def is_right(completion, reference, answer_check="tags"):
    """ "tags": well formed and right (``is_verified``); "last-number": its last number."""
    if answer_check == "tags":
        return is_verified(completion, reference)
    return answer_of(completion, answer_check) == str(reference)


ANSWER_READERS = {"tags": final_answer, "last-number": last_number}
# --8<-- [end:last-number]


# Pre-training the tiny models (not shown on the pages).
REASONING_TOKENS = ("<think>", "</think>", "<answer>", "</answer>")
GUESS = "I guess"  # the thinking of a completion that does not work the sum out


def worked_thinking(a, b):
    return f"{a}+{b}={a + b}"


def formatted_completion(think, answer):
    return f"<think>{think}</think><answer>{answer}</answer>"


def sample_completion(a, b, rng, reasoning_rate, format_rate):
    """One pre-training target for ``a + b``, drawn with ``rng`` from a mixture of two habits.

    With probability ``reasoning_rate`` the completion works the sum out in its thinking
    (``<think>3+4=7</think><answer>7</answer>``); otherwise it thinks "I guess" and names a
    random sum from 0 to 18, right about one time in nineteen. A model trained on the mixture
    is sometimes right, and whether it reasons is decided by its first thinking token, the
    same for every problem: a habit that reinforcement learning can strengthen quickly, and
    that carries over to prompts it never trained on. With probability ``1 - format_rate``
    the tags are left out and only the number is written.
    """
    if rng.random() < reasoning_rate:
        think, answer = worked_thinking(a, b), a + b
    else:
        think, answer = GUESS, rng.randrange(19)
    if rng.random() < format_rate:
        return formatted_completion(think, answer)
    return str(answer)
