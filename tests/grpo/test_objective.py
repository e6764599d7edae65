"""snippets/grpo/objective.py: clipping, the KL estimator, and the loss, checked against TRL."""

import pytest
import torch
from support.harness import assert_output_matches

SNIPPET = "grpo/objective.py"


@pytest.fixture(scope="module")
def ns(snippet):
    return snippet.module


def test_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


@pytest.mark.parametrize(
    "ratio, advantage, counts_as",
    [
        (1.8, +0.94, 1.2),  # the page: pushed up too far, clipped to 1 + eps
        (0.4, -0.94, 0.8),  # pushed down too far, clipped to 1 - eps
        (1.8, -0.94, 1.8),  # moved the wrong way: no clipping, the full penalty counts
        (0.4, +0.94, 0.4),
        (1.1, +0.94, 1.1),  # inside the trust region: untouched
        (0.9, -0.94, 0.9),
    ],
)
def test_clipping_matches_the_worked_examples(ns, ratio, advantage, counts_as):
    value = ns.clipped_objective(torch.tensor(ratio), torch.tensor(advantage), eps=0.2)
    assert (value / advantage).item() == pytest.approx(counts_as)


def test_the_kl_estimator_is_never_negative(ns):
    generator = torch.Generator().manual_seed(0)
    logp = torch.randn(100_000, generator=generator) * 5
    ref_logp = torch.randn(100_000, generator=generator) * 5
    estimates = ns.kl_estimate(logp, ref_logp)
    assert estimates.min().item() >= 0.0
    assert ns.kl_estimate(logp, logp).abs().max().item() == 0.0  # zero when equal


def test_the_kl_estimates_average_to_the_exact_kl(ns):
    # The snippet's own demonstration: 200,000 samples, 50-token vocabularies.
    assert ns.estimates.mean().item() == pytest.approx(ns.exact.item(), rel=0.02)
    # And the average converges: more samples, closer to the exact value.
    kl, policy, reference = ns.kl_estimate, ns.policy, ns.reference
    torch.manual_seed(1)
    errors = []
    for n in (100, 100_000):
        tokens = policy.sample((n,))
        mean = kl(policy.log_prob(tokens), reference.log_prob(tokens)).mean()
        errors.append(abs(mean.item() - ns.exact.item()))
    assert errors[1] < errors[0]


def test_an_empty_completion_does_not_poison_the_loss(ns):
    zeros = torch.zeros(2, 3)
    mask = torch.tensor([[1.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    loss = ns.grpo_loss(zeros, zeros, zeros, torch.tensor([1.0, -1.0]), mask)
    assert torch.isfinite(loss)


@pytest.fixture(scope="module")
def trl_batch(tiny_model, tmp_path_factory, device):
    """A real GRPO batch from TRL, and a policy that has moved since it was sampled."""
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer

    prompts = [
        [{"role": "user", "content": f"What is {a}+{b}?"}] for a, b in [(3, 4), (8, 9)]
    ]
    config = GRPOConfig(
        output_dir=str(tmp_path_factory.mktemp("grpo-loss")),
        loss_type="grpo",  # DeepSeekMath's averaging: over each completion's tokens, then the group
        beta=0.04,
        epsilon=0.2,
        num_generations=8,
        per_device_train_batch_size=16,
        max_completion_length=16,
        use_cpu=device.type == "cpu",
        bf16=False,  # TRL defaults to bf16 autocast, even on CPU; compare in full precision
        use_bias_correction_kl=False,  # DeepSeekMath's eq. 4, as on the page (TRL 1.16: True)
        report_to=[],
        save_strategy="no",
        seed=0,
    )

    def length_reward(completions, **kwargs):  # any reward with spread will do
        return [float(len(c[0]["content"])) for c in completions]

    trainer = GRPOTrainer(
        model=str(tiny_model("arithmetic")),
        reward_funcs=length_reward,
        args=config,
        train_dataset=Dataset.from_dict({"prompt": prompts}),
    )
    trainer.model.train()
    trainer.current_gradient_accumulation_steps = (
        1  # set by the training loop otherwise
    )
    batch = trainer._generate_and_score_completions(
        [{"prompt": p} for p in prompts for _ in range(8)]
    )
    return trainer, batch


def batch_args(batch):
    """The token_logps arguments, from a TRL batch."""
    keys = ("prompt_ids", "prompt_mask", "completion_ids", "completion_mask")
    return tuple(batch[key] for key in keys)


def test_the_hand_written_loss_equals_trl(ns, trl_batch):
    trainer, batch = trl_batch
    model, logps_of = trainer.model, ns.token_logps
    args = batch_args(batch)
    with torch.no_grad():
        old_logp = logps_of(model, *args)  # the policy that sampled the group
        generator = torch.Generator().manual_seed(0)
        for parameter in model.parameters():  # one "update" later, the policy has moved
            parameter.add_(
                torch.randn(parameter.shape, generator=generator).to(parameter.device)
                * 0.02
            )
        logp = logps_of(model, *args)
        theirs = trainer._compute_loss(
            model, {**batch, "old_per_token_logps": old_logp}
        )
    mask = batch["completion_mask"].float()
    ratio = (logp - old_logp).exp()
    outside = ((ratio < 0.8) | (ratio > 1.2)).float()
    assert (outside * mask).sum() / mask.sum() > 0.05, "the test must exercise clipping"
    assert (ns.kl_estimate(logp, batch["ref_per_token_logps"]) * mask).sum() > 0
    ours = ns.grpo_loss(
        logp,
        old_logp,
        batch["ref_per_token_logps"],
        batch["advantages"],
        mask,
        eps=0.2,
        beta=0.04,
    )
    torch.testing.assert_close(ours, theirs, atol=1e-6, rtol=1e-5)


def test_trl_default_kl_is_the_same_estimate_weighted_by_the_ratio(ns, trl_batch):
    """What the page says of TRL 1.16's default use_bias_correction_kl=True."""
    trainer, batch = trl_batch
    from trl import GRPOConfig

    assert GRPOConfig.use_bias_correction_kl is True
    model, logps_of = trainer.model, ns.token_logps
    args = batch_args(batch)
    mask = batch["completion_mask"].float()
    with torch.no_grad():
        logp = logps_of(model, *args)
        noise = torch.randn(logp.shape, generator=torch.Generator().manual_seed(2))
        old_logp = logp - 0.1 * noise.to(logp.device)
        trainer.args.use_bias_correction_kl = True
        try:
            theirs = trainer._compute_loss(
                model, {**batch, "old_per_token_logps": old_logp}
            )
        finally:
            trainer.args.use_bias_correction_kl = False
    ratio = (logp - old_logp).exp()
    policy_term = ns.grpo_loss(
        logp, old_logp, logp, batch["advantages"], mask, beta=0.0
    )
    kl = ns.kl_estimate(logp, batch["ref_per_token_logps"]) * ratio
    kl_term = ((kl * mask).sum(dim=1) / mask.sum(dim=1)).mean()
    torch.testing.assert_close(
        policy_term + 0.04 * kl_term, theirs, atol=1e-6, rtol=1e-5
    )
