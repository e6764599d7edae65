"""snippets/distillation/trace_distillation.py: teacher traces, rejection sampling, SFT."""

import re

import pytest
from support.harness import run_snippet
from support.spread import assert_seed0_is_this_run

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, is_verified

# The whole script (the `run` fixture): the tiny teacher's traces teach the tiny student
# in about 15 s.
SNIPPET = "distillation/trace_distillation.py"
# An independent check of a kept trace: the toy teacher's trace is "a+b=s", then s.
WELL_FORMED = re.compile(r"<think>[^<]+</think><answer>(\d+)</answer>")


@pytest.fixture(scope="module")
def snippet():
    return run_snippet(SNIPPET, as_main=False)


@pytest.mark.parametrize(
    "completion, verified",
    [
        ("<think>3+4=7</think><answer>7</answer>", True),
        ("<think>3+4=7</think>\n<answer> 7 </answer>\n", True),
        ("<think>3+4=8</think><answer>8</answer>", False),  # wrong
        ("7", False),  # right, but no thinking and no tags
        ("<think>3+4=7</think><answer>7</answer><answer>7</answer>", False),
        ("<think>3+4=7<answer>7</answer>", False),
        ("", False),
    ],
)
def test_a_trace_is_verified_only_if_well_formed_and_right(completion, verified):
    assert is_verified(completion, 7) is verified


def test_rejection_sampling_drops_every_unverified_trace(snippet):
    groups = [
        [
            "<think>1+1=2</think><answer>2</answer>",
            "2",
            "<think>1+1=3</think><answer>3</answer>",
        ]
    ]
    kept, rejected = snippet.module.rejection_sample(groups, [(1, 1)])
    assert rejected == 2
    assert kept == [
        {
            "prompt": [{"role": "user", "content": "What is 1+1?"}],
            "completion": [{"role": "assistant", "content": groups[0][0]}],
        }
    ]


@pytest.mark.slow
def test_every_kept_trace_is_correct_and_well_formed(run):
    kept = run.module.kept
    assert len(kept) >= 250  # most of the 320 teacher samples survive
    for row in kept:
        question = row["prompt"][0]["content"]
        a, b = map(int, re.fullmatch(r"What is (\d)\+(\d)\?", question).groups())
        match = WELL_FORMED.fullmatch(row["completion"][0]["content"])
        assert match and int(match[1]) == a + b, row


@pytest.mark.slow
def test_the_teacher_was_sometimes_wrong_so_the_filter_had_work(run):
    assert run.module.rejected >= 5
    assert len(run.module.kept) + run.module.rejected == 80 * 4


@pytest.mark.slow
def test_only_training_problems_are_distilled(run):
    held_out = {f"What is {a}+{b}?" for a, b in HELD_OUT_PROBLEMS}
    assert not {row["prompt"][0]["content"] for row in run.module.kept} & held_out


@pytest.mark.slow
def test_held_out_accuracy_rises_from_zero_and_the_student_adopts_the_format(run):
    accuracy_before, format_before, _ = run.module.before
    accuracy_after, format_after, _ = run.module.after
    assert accuracy_before == 0.0 and format_before == 0.0
    assert accuracy_after >= 0.4  # the page: "about half"
    assert format_after >= 0.9


@pytest.mark.slow
def test_the_run_prints_what_it_measured(run):
    lines = run.stdout.splitlines()
    before, after = run.module.before, run.module.after
    kept, rejected = len(run.module.kept), run.module.rejected
    assert f"teacher traces: {kept} kept, {rejected} rejected" in lines
    assert f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}" in lines
    assert f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}" in lines


@pytest.mark.slow
def test_the_seed_spread_stores_this_runs_seed_0_figures(run):
    """docs/generated/seed_spread.yml's seed 0, which the pages quote, is this very run."""
    assert_seed0_is_this_run("trace_distillation", run.namespace)
