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


def formatted_completion(problem: Problem, claimed: int) -> str:
    return f"{THINK_OPEN}{problem.a}+{problem.b}={claimed}{THINK_CLOSE}{ANSWER_OPEN}{claimed}{ANSWER_CLOSE}"


def sample_completion(
    problem: Problem, rng: random.Random, accuracy: float, format_rate: float
) -> str:
    """One pre-training target for ``problem``.

    With probability ``1 - accuracy`` the claimed sum is off by one, so a model trained on these
    samples answers correctly about ``accuracy`` of the time: a base that is sometimes right, which
    is what GRPO needs to have something to sharpen. With probability ``1 - format_rate`` the
    reasoning tags are left out and only the number is written.
    """
    claimed = problem.answer
    if rng.random() >= accuracy:
        claimed += rng.choice((-1, 1)) if claimed > 0 else 1
    if rng.random() < format_rate:
        return formatted_completion(problem, claimed)
    return str(claimed)


_ANSWER = re.compile(
    re.escape(ANSWER_OPEN) + r"\s*(-?\d+)\s*" + re.escape(ANSWER_CLOSE)
)


def extract_answer(completion: str) -> int | None:
    """The integer inside the last ``<answer>...</answer>`` pair, or None if there is none."""
    found = _ANSWER.findall(completion)
    return int(found[-1]) if found else None


def is_correct(problem: Problem, completion: str) -> bool:
    return extract_answer(completion) == problem.answer
