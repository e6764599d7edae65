"""snippets/distillation/logit_distillation.py: TRL's DistillationTrainer moves the student."""

import pytest
from support import claims
from support.recorded import assert_seed0_is_this_run

SNIPPET = "distillation/logit_distillation.py"  # the whole script runs in about 10 s


@pytest.mark.slow
def test_the_divergence_on_held_out_prompts_falls_by_at_least_70_percent(run):
    claims.held_out_kl_falls((run.module.before, run.module.after))


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
        f"held-out KL(teacher || student): {before:.3f} -> {after:.3f} nats/token"
        in lines
    )
    assert f"fall: {1 - after / before:.0%}" in lines


@pytest.mark.slow
def test_the_recording_stores_this_runs_seed_0_figures_and_curve(run):
    """docs/generated/runs.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("logit_distillation", run.namespace)


@pytest.mark.slow
def test_the_plotted_curve_runs_from_before_to_after_one_point_per_step(run):
    curve, trainer = run.module.curve, run.module.trainer
    assert [step for step, _ in curve] == list(range(trainer.state.global_step + 1))
    assert curve[0][1] == run.module.before
    # Measured by the callback after the last step, and again by the script: the same weights.
    assert curve[-1][1] == pytest.approx(run.module.after, rel=1e-6)


# --- on a real model: SmolLM2-135M-Instruct --------------------------------------------------


@pytest.mark.real_model
def test_on_smollm2_the_teacher_is_its_grpo_trained_self_with_the_same_vocabulary(
    real_run,
):
    from pathlib import Path

    teacher = Path(real_run.module.recipe.teacher_name_or_path)
    assert teacher.name == "r1-zero-SmolLM2-135M-Instruct"  # the GRPO example's output
    student, teacher = real_run.module.student, real_run.module.teacher
    assert student.config.vocab_size == teacher.config.vocab_size == 49152


@pytest.mark.real_model
def test_on_smollm2_the_divergence_falls_by_at_least_half(real_run):
    """The page: 8 steps of on-policy distillation halve the held-out KL, at least."""
    before, after = real_run.module.before, real_run.module.after
    assert before > 0.01  # ten GRPO steps moved the teacher measurably
    assert after <= 0.5 * before


@pytest.mark.real_model
def test_on_smollm2_the_curve_has_a_point_per_step(real_run):
    curve = real_run.module.curve
    assert [step for step, _ in curve] == list(range(9))


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_seed_0(real_run):
    assert_seed0_is_this_run("smollm2_logit_distillation", real_run.namespace)
