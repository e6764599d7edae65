"""snippets/grpo/trl_rewards.py: what TRL's built-in reward functions return, case by case."""

import pytest
from support.harness import assert_output_matches

SNIPPET = "grpo/trl_rewards.py"


def test_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


FORMAT_CASES = {
    # think_format_reward: one think block at the very start, whatever follows it
    "think then answer tags": ("<think>3+4=7</think><answer>7</answer>", 1.0),
    "think then prose": ("<think>3+4=7</think> The answer is 7.", 1.0),
    "multi-line thinking": ("<think>3+4\nis 7\n</think>7", 1.0),
    "no think block": ("<answer>7</answer>", 0.0),
    "text before the thinking": ("Sure! <think>x</think>", 0.0),
    "nested think": ("<think>a<think>b</think>c</think>", 0.0),
    "unclosed think": ("<think>3+4=7", 0.0),
    "empty": ("", 0.0),
}


@pytest.mark.parametrize(
    "text, expected", FORMAT_CASES.values(), ids=FORMAT_CASES.keys()
)
def test_think_format_reward(snippet, text, expected):
    think_format_reward = snippet.module.trl.rewards.think_format_reward
    assert think_format_reward([[{"role": "assistant", "content": text}]]) == [expected]


ACCURACY_CASES = {
    "boxed, right": (r"<think>3+4=7</think> \boxed{7}", "7", 1.0),
    "boxed, wrong": (r"<think>3+4=8</think> \boxed{8}", "7", 0.0),
    "equal value, other form": (r"\boxed{\frac{14}{2}}", "7", 1.0),
    "inline LaTeX, no box": ("<think>3+4=7</think> The answer is $7$.", "7", 1.0),
    "bare number in prose": ("<think>3+4=7</think> The answer is 7.", "7", 0.0),
    "answer tags, no box": ("<think>3+4=7</think><answer>7</answer>", "7", 0.0),
    "empty": ("", "7", 0.0),
}


@pytest.mark.parametrize(
    "text, solution, expected", ACCURACY_CASES.values(), ids=ACCURACY_CASES.keys()
)
def test_accuracy_reward_verifies_the_value_of_a_latex_answer(
    snippet, text, solution, expected
):
    accuracy_reward = snippet.module.trl.rewards.accuracy_reward
    completions = [[{"role": "assistant", "content": text}]]
    assert accuracy_reward(completions, solution=[solution]) == [expected]


def test_accuracy_reward_skips_a_solution_it_cannot_parse(snippet):
    # None, not 0.0: GRPOTrainer leaves such a completion out of the group's statistics.
    accuracy_reward = snippet.module.trl.rewards.accuracy_reward
    completions = [[{"role": "assistant", "content": r"\boxed{7}"}]]
    assert accuracy_reward(completions, solution=["not math at all"]) == [None]
