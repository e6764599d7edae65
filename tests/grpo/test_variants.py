"""snippets/grpo/variants.py: each variant is what the page says it is, and trains."""

import dataclasses

import pytest
from support.harness import assert_output_matches

SNIPPET = "grpo/variants.py"
VARIANTS = ["trl_defaults", "deepseekmath", "dr_grpo", "dapo_clip_higher"]


def test_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


def test_trl_defaults_are_the_ones_the_page_names(snippet):
    # The page: TRL 1.16's defaults, which differ from DeepSeekMath's run.
    c = snippet.module.trl_defaults
    assert (c.num_generations, c.beta, c.epsilon, c.epsilon_high) == (8, 0.0, 0.2, None)
    assert (c.loss_type, c.scale_rewards, c.learning_rate) == ("dapo", "group", 1e-6)
    assert c.use_bias_correction_kl is True


def test_each_variant_changes_what_the_page_says(snippet):
    ns, defaults = snippet.module, snippet.module.trl_defaults

    def changed(config):
        fields = (
            "loss_type",
            "beta",
            "scale_rewards",
            "epsilon",
            "epsilon_high",
            "use_bias_correction_kl",
        )
        return {
            f: getattr(config, f)
            for f in fields
            if getattr(config, f) != getattr(defaults, f)
        }

    assert changed(ns.deepseekmath) == {
        "loss_type": "grpo",
        "beta": 0.04,
        "use_bias_correction_kl": False,
    }
    assert changed(ns.dr_grpo) == {"loss_type": "dr_grpo", "scale_rewards": "none"}
    assert changed(ns.dapo_clip_higher) == {"epsilon_high": 0.28}


@pytest.mark.slow
@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_trains_two_steps(snippet, variant, tiny_model, tmp_path):
    from datasets import Dataset
    from trl import GRPOTrainer

    # Only the size of the run changes; what makes the variant stays as shown.
    config = dataclasses.replace(
        getattr(snippet.module, variant),
        output_dir=str(tmp_path),
        max_steps=2,
        num_generations=4,
        per_device_train_batch_size=8,
        max_completion_length=8,
        learning_rate=1e-4,
        logging_steps=1,
        generation_batch_size=None,  # derived fields: let GRPOConfig derive them again
        steps_per_generation=None,
    )
    prompts = [[{"role": "user", "content": f"What is {a}+{a}?"}] for a in range(4)]
    trainer = GRPOTrainer(
        model=str(tiny_model("arithmetic")),
        reward_funcs=lambda completions, **kwargs: [
            float(len(c[0]["content"]) % 3) for c in completions
        ],
        args=config,
        train_dataset=Dataset.from_dict({"prompt": prompts}),
    )
    trainer.train()
    assert trainer.state.global_step == 2
    logged = [log for log in trainer.state.log_history if "loss" in log]
    assert logged and all(log["loss"] == log["loss"] for log in logged)  # not NaN
    assert (trainer.ref_model is not None) == (
        config.beta > 0
    )  # a reference only with a KL term
