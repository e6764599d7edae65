"""snippets/grpo/sampled_rewards.py: every reward on a model's own held-out samples, on the
tiny arithmetic model and on SmolLM2-135M-Instruct asked for Open R1's tags."""

import pytest
from support.recorded import assert_seed0_is_this_run

SNIPPET = "grpo/sampled_rewards.py"


def mean(values):
    return sum(values) / len(values)


@pytest.mark.slow
def test_on_the_tiny_model_the_tag_rules_and_trls_agree_on_the_format(run):
    scores = run.module.scores
    assert len(scores["format"]) == 80  # 4 samples of each of the 20 held-out sums
    assert mean(scores["format"]) >= 0.5  # it writes the tags most of the time
    # A sample the package calls well formed opens with <think>, as TRL's rule asks.
    for ours, trls in zip(scores["format"], scores["trl think_format"], strict=True):
        assert trls >= ours
    # A right answer in tags is a right last number; TRL reads no LaTeX in it.
    for accurate, number in zip(scores["accuracy"], scores["number"], strict=True):
        assert number >= accurate
    assert mean(scores["trl accuracy"]) == 0.0


@pytest.mark.slow
def test_the_recording_stores_this_runs_figures(run):
    assert_seed0_is_this_run("sampled_rewards", run.namespace)


@pytest.mark.real_model
def test_on_smollm2_only_the_number_reward_ever_pays(real_run):
    """The page: asked for <think> and <answer> tags in Open R1's words, the real model
    never writes them, so every tag rule gives 0; only the last-number rule finds answers."""
    scores = real_run.module.scores
    assert mean(scores["format"]) == mean(scores["accuracy"]) == 0.0
    assert mean(scores["trl think_format"]) == 0.0
    assert mean(scores["number"]) >= 0.1
    completions = [c[0]["content"] for c in real_run.module.completions]
    assert not any("<think>" in c or "<answer>" in c for c in completions)


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_figures(real_run):
    assert_seed0_is_this_run("smollm2_sampled_rewards", real_run.namespace)
