"""snippets/grpo/advantages.py: the claims of docs/examples/grpo.md about group-relative advantages."""

import pytest
import torch
from support.harness import assert_output_matches

SNIPPET = "grpo/advantages.py"


@pytest.fixture(scope="module")
def advantages_of(snippet):
    return snippet.module.group_relative_advantages


def test_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


def test_every_group_has_mean_zero_and_std_one(advantages_of):
    generator = torch.Generator().manual_seed(0)
    binary = torch.randint(0, 2, (6, 8), generator=generator).float()
    binary[:, 0], binary[:, 1] = 0.0, 1.0  # every group has some spread
    continuous = torch.rand(6, 8, generator=generator) * 3 - 1
    for rewards in (binary, continuous):
        groups = advantages_of(rewards.flatten(), group_size=8).view(6, 8)
        torch.testing.assert_close(
            groups.mean(dim=1), torch.zeros(6), atol=1e-6, rtol=0
        )
        torch.testing.assert_close(groups.std(dim=1), torch.ones(6), atol=1e-3, rtol=0)


def test_worked_example_gives_plus_and_minus_0_94(advantages_of):
    rewards = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
    advantages = advantages_of(rewards, group_size=8)
    assert rewards.mean().item() == 0.5
    assert rewards.std().item() == pytest.approx(0.53, abs=0.005)
    assert advantages[rewards == 1].tolist() == pytest.approx([0.94] * 4, abs=0.005)
    assert advantages[rewards == 0].tolist() == pytest.approx([-0.94] * 4, abs=0.005)


def test_a_lone_success_stands_out(advantages_of):
    # The page: with one right answer in eight, +2.47 for it and -0.35 for each wrong one.
    advantages = advantages_of(torch.tensor([1.0] + [0.0] * 7), group_size=8)
    assert advantages[0].item() == pytest.approx(2.47, abs=0.005)
    assert advantages[1:].tolist() == pytest.approx([-0.35] * 7, abs=0.005)


@pytest.mark.parametrize("value", [0.0, 1.0, 0.37, -2.0])
def test_a_group_that_agrees_gets_exact_zeros_not_nan(advantages_of, value):
    rewards = torch.tensor([0.0, 1.0, 1.0, 0.0] + [value] * 4)
    advantages = advantages_of(rewards, group_size=4)
    assert not torch.isnan(advantages).any()
    assert torch.equal(advantages[4:], torch.zeros(4))
    assert advantages[:4].abs().min().item() > 0.8  # the group with spread is untouched


class PlannedRewards:
    """A TRL reward function that hands back rewards set by the test, in completion order."""

    __name__ = "planned_rewards"

    def __init__(self):
        self.rewards: list[float] = []

    def __call__(self, completions, **kwargs):
        assert len(completions) == len(self.rewards)
        return list(self.rewards)


@pytest.fixture(scope="module")
def trl_scoring(tiny_model, tmp_path_factory, trainer_device_args):
    """trl_scoring(scale_rewards)(rewards) -> the advantages TRL's GRPOTrainer computes."""
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    group_size, groups = 8, 3
    prompts = [[{"role": "user", "content": f"What is {n}+1?"}] for n in range(groups)]
    batch = [{"prompt": prompt} for prompt in prompts for _ in range(group_size)]
    trainers = {}

    def scorer(scale_rewards):
        if scale_rewards not in trainers:
            planned = PlannedRewards()
            config = GRPOConfig(
                output_dir=str(tmp_path_factory.mktemp("grpo")),
                num_generations=group_size,
                per_device_train_batch_size=group_size * groups,
                max_completion_length=4,
                scale_rewards=scale_rewards,
                **trainer_device_args,
                report_to=[],
                save_strategy="no",
                seed=0,
            )
            trainer = GRPOTrainer(
                model=str(tiny_model("random")),
                reward_funcs=planned,
                args=config,
                train_dataset=Dataset.from_dict({"prompt": prompts}),
            )
            trainers[scale_rewards] = trainer, planned

        def score(rewards):
            trainer, planned = trainers[scale_rewards]
            trainer.model.train()  # TRL uses the training-time group size in train mode
            planned.rewards = rewards.tolist()
            # The method GRPOTrainer calls on each batch: generate, reward, normalise.
            advantages = trainer._generate_and_score_completions(batch)["advantages"]
            return advantages.cpu()  # on the trainer's device: the GPU, in the GPU lane

        return score

    return scorer


REWARD_CASES = [
    torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0] + [1.0] * 8 + [0.0] * 8),
    torch.rand(24, generator=torch.Generator().manual_seed(1)) * 2,
    torch.randint(0, 2, (24,), generator=torch.Generator().manual_seed(2)).float(),
]


def test_trl_computes_the_same_advantages(advantages_of, trl_scoring):
    from trl import GRPOConfig

    assert GRPOConfig.scale_rewards == "group"  # the default the page names (TRL 1.16)
    score = trl_scoring("group")
    for rewards in REWARD_CASES:
        ours = advantages_of(rewards, group_size=8)
        torch.testing.assert_close(score(rewards), ours, atol=1e-6, rtol=1e-6)


def test_centred_advantages_are_the_reward_minus_the_group_mean(snippet):
    centred = snippet.module.centred_advantages
    for rewards in REWARD_CASES:
        groups = rewards.view(-1, 8)
        expected = (groups - groups.mean(dim=1, keepdim=True)).flatten()
        torch.testing.assert_close(centred(rewards, group_size=8), expected)
    # The page's comparison: dividing by a small std (an easy question) inflates the signal.
    easy = torch.tensor([1.0] * 7 + [0.0])
    assert centred(easy, group_size=8)[-1].item() == pytest.approx(-0.875)
    scaled = snippet.module.group_relative_advantages(easy, 8)
    assert scaled[-1].item() == pytest.approx(-2.47, abs=0.005)


def test_trl_without_scaling_computes_the_centred_advantages(snippet, trl_scoring):
    centred = snippet.module.centred_advantages
    score = trl_scoring("none")  # Dr. GRPO's setting
    for rewards in REWARD_CASES:
        torch.testing.assert_close(
            score(rewards), centred(rewards, group_size=8), atol=1e-6, rtol=1e-6
        )
