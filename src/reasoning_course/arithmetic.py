"""The toy task the tiny models learn: single-digit addition, answered in R1's format.

A completion in the target format looks like ``<think>3+4=7</think><answer>7</answer>``.
The problems are split once, by a fixed rule, into a training set and a held-out set, so
that every later claim ("accuracy on held-out prompts rises") is measured on prompts the
training loop never sampled.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

THINK_OPEN, THINK_CLOSE = "<think>", "</think>"
ANSWER_OPEN, ANSWER_CLOSE = "<answer>", "</answer>"
REASONING_TOKENS = (THINK_OPEN, THINK_CLOSE, ANSWER_OPEN, ANSWER_CLOSE)


@dataclass(frozen=True)
class Problem:
    a: int
    b: int

    @property
    def answer(self) -> int:
        return self.a + self.b

    @property
    def question(self) -> str:
        return f"What is {self.a}+{self.b}?"

    def messages(self) -> list[dict[str, str]]:
        """The prompt in conversational form, as TRL's trainers expect it."""
        return [{"role": "user", "content": self.question}]


ALL_PROBLEMS = tuple(Problem(a, b) for a in range(10) for b in range(10))
# Every fifth problem is held out: 80 for training, 20 for evaluation, the same on every machine.
TRAIN_PROBLEMS = tuple(p for i, p in enumerate(ALL_PROBLEMS) if i % 5 != 2)
HELD_OUT_PROBLEMS = tuple(p for i, p in enumerate(ALL_PROBLEMS) if i % 5 == 2)


GUESS = "I guess"  # the thinking of a completion that does not work the sum out


def formatted_completion(think: str, answer: int) -> str:
    return f"{THINK_OPEN}{think}{THINK_CLOSE}{ANSWER_OPEN}{answer}{ANSWER_CLOSE}"


def worked_thinking(problem: Problem) -> str:
    return f"{problem.a}+{problem.b}={problem.answer}"


def sample_completion(
    problem: Problem, rng: random.Random, reasoning_rate: float, format_rate: float
) -> str:
    """One pre-training target for ``problem``, drawn from a mixture of two habits.

    With probability ``reasoning_rate`` the completion works the sum out in its thinking
    (``<think>3+4=7</think><answer>7</answer>``); otherwise it thinks "I guess" and names a
    random sum from 0 to 18, right about one time in nineteen. A model trained on the mixture
    is sometimes right, and whether it reasons is decided by its first thinking token, the
    same for every problem: a habit that reinforcement learning can strengthen quickly, and
    that carries over to prompts it never trained on. With probability ``1 - format_rate``
    the tags are left out and only the number is written.
    """
    if rng.random() < reasoning_rate:
        think, answer = worked_thinking(problem), problem.answer
    else:
        think, answer = GUESS, rng.randrange(19)
    if rng.random() < format_rate:
        return formatted_completion(think, answer)
    return str(answer)


_ANSWER = re.compile(
    re.escape(ANSWER_OPEN) + r"\s*(-?\d+)\s*" + re.escape(ANSWER_CLOSE)
)


def extract_answer(completion: str) -> int | None:
    """The integer inside the last ``<answer>...</answer>`` pair, or None if there is none."""
    found = _ANSWER.findall(completion)
    return int(found[-1]) if found else None


def is_correct(problem: Problem, completion: str) -> bool:
    return extract_answer(completion) == problem.answer
