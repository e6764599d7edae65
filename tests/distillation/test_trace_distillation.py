"""snippets/distillation/trace_distillation.py: teacher traces, rejection sampling, SFT."""

import re

import pytest
from support import claims
from support.harness import run_snippet
from support.recorded import assert_seed0_is_this_run, stored_data

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, is_verified, last_number

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
    for row in run.module.kept:
        question = row["prompt"][0]["content"]
        a, b = map(int, re.fullmatch(r"What is (\d)\+(\d)\?", question).groups())
        match = WELL_FORMED.fullmatch(row["completion"][0]["content"])
        assert match and int(match[1]) == a + b, row


@pytest.mark.slow
def test_the_teacher_was_sometimes_wrong_so_the_filter_had_work(run):
    claims.traces_mostly_kept(len(run.module.kept), run.module.rejected)


@pytest.mark.slow
def test_only_training_problems_are_distilled(run):
    held_out = {f"What is {a}+{b}?" for a, b in HELD_OUT_PROBLEMS}
    assert not {row["prompt"][0]["content"] for row in run.module.kept} & held_out


@pytest.mark.slow
def test_held_out_accuracy_rises_from_zero_and_the_student_adopts_the_format(run):
    before, after = run.module.before, run.module.after
    claims.trace_student_rises_from_zero((before[0], after[0]), (before[1], after[1]))


@pytest.mark.slow
def test_the_run_prints_what_it_measured(run):
    lines = run.stdout.splitlines()
    before, after = run.module.before, run.module.after
    kept, rejected = len(run.module.kept), run.module.rejected
    assert f"teacher traces: {kept} kept, {rejected} rejected" in lines
    assert f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}" in lines
    assert f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}" in lines


@pytest.mark.slow
def test_the_recording_stores_this_runs_seed_0_figures(run):
    """docs/generated/runs.yml's seed 0, which the pages quote, is this very run."""
    assert_seed0_is_this_run("trace_distillation", run.namespace)


def test_a_prose_trace_is_kept_by_its_last_number(snippet):
    groups = [["1 + 1 = 2", "1 + 1 = 3", "The answer is 2, not 3."]]
    kept, rejected = snippet.module.rejection_sample(
        groups, [(1, 1)], None, "last-number"
    )
    assert [row["completion"][0]["content"] for row in kept] == ["1 + 1 = 2"]
    assert rejected == 2


# --- on a real model: SmolLM2-135M-Instruct --------------------------------------------------


@pytest.mark.real_model
def test_on_smollm2_every_kept_trace_ends_with_the_right_sum(real_run):
    kept = real_run.module.kept
    assert len(kept) + real_run.module.rejected == 80 * 4
    for row in kept:
        question = row["prompt"][-1]["content"]
        a, b = map(int, re.fullmatch(r"What is (\d)\+(\d)\?", question).groups())
        assert last_number(row["completion"][0]["content"]) == str(a + b), row


@pytest.mark.real_model
def test_on_smollm2_sft_on_its_own_kept_traces_lifts_held_out_accuracy_by_0_2(real_run):
    """The page: eight SFT steps on the traces that passed the check lift held-out accuracy
    (sampled, its last number read) by at least 0.2."""
    before, after = real_run.module.before[0], real_run.module.after[0]
    assert after - before >= 0.2


def test_on_smollm2_the_student_ends_above_its_teacher_on_every_recorded_seed():
    """The page: on every seed the student, taught only the teacher's right answers, ends above
    its GRPO-trained teacher (both measured the same way on the held-out sums)."""
    results = stored_data()["results"]
    student = results["smollm2_trace_accuracy"]["values"]
    teacher = results["smollm2_r1_zero_accuracy"]["values"]
    assert all(s > t for s, t in zip(student, teacher, strict=True))


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_seed_0(real_run):
    assert_seed0_is_this_run("smollm2_trace_distillation", real_run.namespace)
