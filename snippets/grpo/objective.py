# The GRPO objective by hand: clipped probability ratios, the KL penalty, and the
# averaging over tokens and over the group (DeepSeekMath, eq. 3 and eq. 4).
# Run it: python snippets/grpo/objective.py

# --8<-- [start:clip]
import torch


def clipped_objective(ratio, advantage, eps=0.2):
    """PPO's clipped surrogate per token: the smaller of the plain and clipped terms."""
    clipped_ratio = ratio.clamp(1 - eps, 1 + eps)
    return torch.minimum(ratio * advantage, clipped_ratio * advantage)


# --8<-- [end:clip]


# --8<-- [start:clip-demo]
ratio = torch.tensor([1.8, 0.4, 1.8, 0.4])
advantage = torch.tensor([+1.0, -1.0, -1.0, +1.0])
effective = clipped_objective(ratio, advantage) / advantage  # the ratio that counts
for r, a, e in zip(ratio, advantage, effective, strict=True):
    print(f"ratio {r:.1f}, advantage {a:+.0f} -> counts as {e:.1f}")
# --8<-- [end:clip-demo]


# --8<-- [start:kl]
def kl_estimate(logp, ref_logp):
    """Per-token estimate of KL(policy || reference), from tokens the policy sampled.

    ref/p - log(ref/p) - 1 is never negative, and its mean over samples from
    the policy is the exact KL divergence (Schulman's "k3" estimator).
    """
    log_ratio = ref_logp - logp
    return log_ratio.exp() - log_ratio - 1


# --8<-- [end:kl]


# --8<-- [start:kl-demo]
torch.manual_seed(0)
policy = torch.distributions.Categorical(logits=torch.randn(50))
reference = torch.distributions.Categorical(logits=torch.randn(50))
tokens = policy.sample((200_000,))
estimates = kl_estimate(policy.log_prob(tokens), reference.log_prob(tokens))
exact = torch.distributions.kl_divergence(policy, reference)
print(f"smallest estimate: {estimates.min():.4f}")
print(f"mean estimate: {estimates.mean():.3f}   exact KL: {exact:.3f}")
# --8<-- [end:kl-demo]


# --8<-- [start:token-logps]
def token_logps(model, prompt_ids, prompt_mask, completion_ids, completion_mask):
    """Log-probability the model gives each completion token, shape (G, T)."""
    input_ids = torch.cat([prompt_ids, completion_ids], dim=1)
    attention_mask = torch.cat([prompt_mask, completion_mask], dim=1)
    logits = model(input_ids=input_ids, attention_mask=attention_mask).logits
    # The logits at position t predict token t + 1: keep those for the completion.
    logits = logits[:, prompt_ids.size(1) - 1 : -1]
    logps = logits.log_softmax(dim=-1)
    return logps.gather(-1, completion_ids.unsqueeze(-1)).squeeze(-1)


# --8<-- [end:token-logps]


# --8<-- [start:loss]
def grpo_loss(logp, old_logp, ref_logp, advantages, mask, eps=0.2, beta=0.04):
    """DeepSeekMath's GRPO objective, negated so that an optimizer can minimise it.

    logp, old_logp, ref_logp: (G, T) log-probabilities of the sampled tokens under
    the policy being trained, the policy that sampled them, and the reference.
    advantages: (G,), one per completion. mask: (G, T), 0 where a row is padding.
    """
    ratio = (logp - old_logp).exp()  # (1)
    per_token = clipped_objective(ratio, advantages.unsqueeze(1), eps)
    per_token = per_token - beta * kl_estimate(logp, ref_logp)  # (2)
    lengths = mask.sum(dim=1).clamp(min=1)  # an empty completion must not divide by 0
    per_completion = (per_token * mask).sum(dim=1) / lengths  # (3)
    return -per_completion.mean()  # (4)


# --8<-- [end:loss]
