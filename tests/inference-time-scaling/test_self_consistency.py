"""snippets/inference-time-scaling/self_consistency.py: majority voting over k sampled reasoning paths."""

import pytest
from support.harness import assert_output_matches
from support.spread import assert_seed0_is_this_run

from reasoning_course.arithmetic import final_answer

SNIPPET = "inference-time-scaling/self_consistency.py"
# The tiny arithmetic model: it reasons half the time and guesses otherwise.
MODEL = "arithmetic"


def test_the_vote_demo_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


# answers in sampling order -> the majority, under the documented tie rule (first sampled)
VOTES = {
    "clear majority": (["7", "8", "7"], "7"),
    "tie: the first sampled wins": (["8", "7", "7", "8"], "8"),
    "tie, other order": (["7", "8", "8", "7"], "7"),
    "tie, alternating": (["8", "7", "8", "7"], "8"),
    "three-way tie": (["9", "8", "7"], "9"),
    "no answer never votes": ([None, None, "5"], "5"),
    "no answer at all": ([None, None], None),
    "nothing sampled": ([], None),
    "one sample": (["3"], "3"),
}


@pytest.mark.parametrize("answers, majority", VOTES.values(), ids=VOTES.keys())
def test_majority_and_tie_rule(snippet, answers, majority):
    assert snippet.module.majority_answer(answers) == majority


def test_the_final_answer_is_the_last_answer_block():
    assert final_answer("<think>x</think><answer> 7 </answer>") == "7"
    assert final_answer("<answer>8</answer><answer>7</answer>") == "7"
    assert final_answer("<think>no answer") is None


def test_majority_vote_is_at_least_as_accurate_as_one_sample_for_every_k(run):
    for k, (single, majority) in run.module.results.items():
        assert majority >= single, k
    single, majority = run.module.results[1]
    assert majority == single  # a vote of one is the sample itself


def test_sixteen_paths_lift_accuracy_well_above_one_sample(run):
    single, majority = run.module.results[16]
    assert 0.15 <= single <= 0.45  # the page: "right about a quarter of the time"
    assert majority - single >= 0.4  # the page: "about 0.3 -> 0.9"


def test_k_is_a_parameter(run):
    paths = run.module.sample(run.module.model, run.module.tokenizer, [(1, 2)] * 2, 3)
    assert [len(group) for group in paths] == [3, 3]


def test_the_run_prints_its_table(run):
    lines = run.stdout.splitlines()
    for k, (single, majority) in run.module.results.items():
        assert (
            f"k={k:2}: single sample {single:.2f}, majority of {k} {majority:.2f}"
            in lines
        )


@pytest.mark.slow
def test_the_seed_spread_stores_this_runs_seed_0_figures(run):
    """docs/generated/seed_spread.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("self_consistency", run.namespace)
