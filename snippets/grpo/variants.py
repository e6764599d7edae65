# GRPO as published and as revised since: each variant is a GRPOConfig that changes a
# few of TRL 1.16's defaults. Run it: python snippets/grpo/variants.py

# --8<-- [start:common]
import torch
from trl import GRPOConfig

# What every variant below shares: where to write, and whether there is a GPU.
common = dict(
    output_dir="grpo-variants",
    use_cpu=not torch.cuda.is_available(),
    report_to="none",
    save_strategy="no",
)
# --8<-- [end:common]

# --8<-- [start:trl-defaults]
trl_defaults = GRPOConfig(**common)
# --8<-- [end:trl-defaults]

# --8<-- [start:deepseekmath]
deepseekmath = GRPOConfig(
    **common,
    loss_type="grpo",  # average each completion's tokens, then the group
    beta=0.04,  # KL penalty to a frozen reference model
    use_bias_correction_kl=False,  # the KL estimate exactly as in the paper
)
# --8<-- [end:deepseekmath]

# --8<-- [start:dr-grpo]
dr_grpo = GRPOConfig(
    **common,
    loss_type="dr_grpo",  # sum the tokens, divide by a constant: no length bias
    scale_rewards="none",  # centred rewards: no division by the group's std
)
# --8<-- [end:dr-grpo]

# --8<-- [start:dapo]
dapo_clip_higher = GRPOConfig(
    **common,
    loss_type="dapo",  # every token of the batch weighs the same
    epsilon=0.2,  # lower clip: a ratio may fall to 0.8
    epsilon_high=0.28,  # upper clip: a ratio may rise to 1.28
)
# --8<-- [end:dapo]

# --8<-- [start:compare]
variants = {
    "TRL defaults": trl_defaults,
    "DeepSeekMath": deepseekmath,
    "Dr. GRPO": dr_grpo,
    "DAPO clip-higher": dapo_clip_higher,
}
print(f"{'variant':18} {'loss_type':9} {'beta':>5} {'scale_rewards':13} clip range")
for name, c in variants.items():
    high = c.epsilon if c.epsilon_high is None else c.epsilon_high  # None: symmetric
    clip = f"{1 - c.epsilon:.2f}-{1 + high:.2f}"
    print(f"{name:18} {c.loss_type:9} {c.beta:5.2f} {c.scale_rewards:13} {clip}")
# --8<-- [end:compare]
