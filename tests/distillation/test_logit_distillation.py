"""snippets/distillation/logit_distillation.py: TRL's DistillationTrainer moves the student."""

import pytest
from support.spread import assert_seed0_is_this_run

SNIPPET = "distillation/logit_distillation.py"  # the whole script runs in about 10 s


@pytest.mark.slow
def test_the_divergence_on_held_out_prompts_falls_by_at_least_70_percent(run):
    before, after = run.module.before, run.module.after
    assert before > 3.0  # the student starts far from the teacher
    assert after <= 0.3 * before  # the page: "falls by about 80%"


@pytest.mark.slow
def test_the_divergence_is_zero_for_the_teacher_itself(run):
    teacher, rows = run.module.teacher, run.module.held_out
    assert run.module.divergence(teacher, teacher, rows) == pytest.approx(0, abs=1e-6)
    assert len(rows) == 20  # one completion per held-out prompt


@pytest.mark.slow
def test_trl_trained_on_policy_with_the_forward_kl(run):
    trainer = run.module.trainer
    assert trainer.beta == 0.0 and trainer.state.global_step == 60
    losses = [log["loss"] for log in trainer.state.log_history if "loss" in log]
    assert losses[-1] < 0.5 * losses[0]


@pytest.mark.slow
def test_the_run_prints_the_fall(run):
    before, after = run.module.before, run.module.after
    lines = run.stdout.splitlines()
    assert (
        f"held-out KL(teacher || student): {before:.2f} -> {after:.2f} nats/token"
        in lines
    )
    assert f"fall: {1 - after / before:.0%}" in lines


@pytest.mark.slow
def test_the_seed_spread_stores_this_runs_seed_0_figures_and_curve(run):
    """docs/generated/seed_spread.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("logit_distillation", run.namespace)


@pytest.mark.slow
def test_the_plotted_curve_runs_from_before_to_after_one_point_per_step(run):
    curve, trainer = run.module.curve, run.module.trainer
    assert [step for step, _ in curve] == list(range(trainer.state.global_step + 1))
    assert curve[0][1] == run.module.before
    # Measured by the callback after the last step, and again by the script: the same weights.
    assert curve[-1][1] == pytest.approx(run.module.after, rel=1e-6)
