# Group-relative advantages, the heart of GRPO, computed by hand.
# Run it: python snippets/grpo/advantages.py

# --8<-- [start:group-norm]
import torch


def group_relative_advantages(rewards, group_size, eps=1e-4):
    """Score each completion against the others sampled for the same prompt.

    `rewards`: one reward per completion, each prompt's group side by side
    (prompt 0's G completions first, then prompt 1's, ...).
    Returns one advantage per completion, in the same order.
    """
    groups = rewards.view(-1, group_size)  # one row per prompt
    mean = groups.mean(dim=1, keepdim=True)
    std = groups.std(dim=1, keepdim=True)  # (1)
    advantages = (groups - mean) / (std + eps)  # (2)
    return advantages.view(-1)


# --8<-- [end:group-norm]


# --8<-- [start:worked-example]
# One prompt, a group of G = 8 sampled answers: 4 right (reward 1), 4 wrong (reward 0).
rewards = torch.tensor([1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 0.0])
advantages = group_relative_advantages(rewards, group_size=8)
print(f"group mean {rewards.mean():.2f}, group std {rewards.std():.2f}")
print("advantages:", " ".join(f"{a:+.2f}" for a in advantages))
# --8<-- [end:worked-example]


# --8<-- [start:equal-rewards]
# Two prompts, four answers each. Every answer to the second prompt is right,
# so its answers cannot be told apart and that group teaches the model nothing.
rewards = torch.tensor([0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0])
advantages = group_relative_advantages(rewards, group_size=4)
print("advantages:", " ".join(f"{a:+.2f}" for a in advantages))
# --8<-- [end:equal-rewards]


# --8<-- [start:centred]
def centred_advantages(rewards, group_size):
    """Dr. GRPO's variant: subtract the group's mean, do not divide by its std."""
    groups = rewards.view(-1, group_size)
    return (groups - groups.mean(dim=1, keepdim=True)).view(-1)


easy = torch.tensor([1.0] * 7 + [0.0])  # 7 of 8 right: an easy question
even = torch.tensor([1.0] * 4 + [0.0] * 4)  # 4 of 8 right
for name, rewards in (("easy", easy), ("even", even)):
    scaled = group_relative_advantages(rewards, group_size=8)
    centred = centred_advantages(rewards, group_size=8)
    print(
        f"{name}: the wrong answer gets {scaled[-1]:+.2f} scaled,"
        f" {centred[-1]:+.2f} centred"
    )
# --8<-- [end:centred]
