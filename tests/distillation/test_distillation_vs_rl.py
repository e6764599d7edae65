"""snippets/distillation/distillation_vs_rl.py: SFT on teacher traces vs GRPO, same budget."""

import pytest
from support import claims
from support.recorded import assert_seed0_is_this_run

# The whole script runs once (the `run` fixture): one SFT run and one GRPO run of the
# tiny student, about 20 s.
SNIPPET = "distillation/distillation_vs_rl.py"


@pytest.mark.slow
def test_both_runs_get_the_same_budget(run):
    sft, grpo = run.module.sft, run.module.grpo
    assert sft.state.global_step == grpo.state.global_step == 100
    assert (
        sft.args.per_device_train_batch_size
        == grpo.args.per_device_train_batch_size
        == 32
    )


@pytest.mark.slow
def test_distillation_beats_rl_from_scratch_on_the_toy(run):
    module = run.module
    claims.distillation_beats_rl_from_scratch(
        module.start, module.distilled, module.reinforced
    )


@pytest.mark.slow
def test_grpo_never_saw_a_reward_so_it_had_nothing_to_learn(run):
    """The page's explanation: every group's rewards were equal (all 0), every advantage 0."""
    logs = [log for log in run.module.grpo.state.log_history if "reward" in log]
    assert logs and all(log["reward"] == 0.0 for log in logs)
    assert all(log["frac_reward_zero_std"] == 1.0 for log in logs)


@pytest.mark.slow
def test_the_run_prints_the_comparison(run):
    lines = run.stdout.splitlines()
    assert f"SFT on teacher traces:      {run.module.distilled:.2f}" in lines
    assert f"GRPO from the student:      {run.module.reinforced:.2f}" in lines


@pytest.mark.slow
def test_the_recording_stores_this_runs_seed_0_figures(run):
    """docs/generated/runs.yml's seed 0, which the pages quote, is this very run."""
    assert_seed0_is_this_run("distillation_vs_rl", run.namespace)
