"""What the example pages claim about the tiny models' runs, as checks on the figures a run gives.

The example tests (tests/<topic>/) check a run in this process; tests/test_notebooks_outside.py
checks the same run made by a notebook outside the checkout, from what it printed. Both call these,
so a threshold is written once. Each comment quotes the page.
"""

from __future__ import annotations

Pair = tuple[float, float]  # (before, after)


def r1_zero_accuracy_rises(accuracy: Pair) -> None:
    before, after = accuracy
    assert 0.1 <= before <= 0.5, (
        accuracy
    )  # the base is sometimes right, which GRPO needs
    assert after - before >= 0.2, accuracy
    assert after >= 0.6, accuracy  # "from about 0.3 to about 0.8"


def r1_zero_format_rises(form: Pair) -> None:
    before, after = form
    assert after - before >= 0.15 and after >= 0.9, form


def traces_mostly_kept(kept: int, rejected: int) -> None:
    assert kept >= 250, kept  # most of the 320 teacher samples survive
    assert rejected >= 5, (
        rejected
    )  # the teacher was sometimes wrong: the filter had work
    assert kept + rejected == 80 * 4


def trace_student_rises_from_zero(accuracy: Pair, form: Pair) -> None:
    assert accuracy[0] == 0.0 and form[0] == 0.0, (accuracy, form)
    assert accuracy[1] >= 0.4, accuracy  # "about half"
    assert form[1] >= 0.9, form  # it adopts the format


def held_out_kl_falls(kl: Pair) -> None:
    before, after = kl
    assert before > 3.0, kl  # the student starts far from the teacher
    assert after <= 0.3 * before, kl  # "falls by about 80%"


def distillation_beats_rl_from_scratch(
    start: float, distilled: float, reinforced: float
) -> None:
    # Seed 0 gave 0.20 on the machine that first ran it and 0.125 (20 of 160) on another: CPU
    # kernels differ in the last bits, and sampling amplifies that. The page quotes the stored
    # seed spread; the claim checked is the one that holds on both: SFT lifts the student off
    # zero, GRPO does not.
    assert start == 0.0 and distilled >= 0.1 and reinforced == 0.0, (
        start,
        distilled,
        reinforced,
    )


def votes_beat_one_sample(results: dict[int, Pair]) -> None:
    """``results``: k -> (accuracy of one sample, accuracy of the majority of k)."""
    assert sorted(results) == [1, 4, 16], results
    for k, (single, majority) in results.items():
        assert majority >= single, k
    assert results[1][0] == results[1][1]  # a vote of one is the sample itself
    single, majority = results[16]
    assert 0.15 <= single <= 0.45, single  # "right about a quarter of the time"
    assert majority - single >= 0.4, results[16]  # "about 0.3 -> 0.9"


def forcing_costs_the_toy_its_sums(right: list[int]) -> None:
    """``right``: problems solved of 20, free thinking first, then each forced budget."""
    assert right[0] == 20, right  # free thinking solves every sum
    assert all(solved <= 5 for solved in right[1:]), right  # a forced budget costs most
