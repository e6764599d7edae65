"""The trainer settings every training example shares, whatever it trains."""

# --8<-- [start:settings]
import os

import torch

# Train on the GPU if torch finds one, else on the CPU, which is enough for the tiny
# models; save no checkpoints, report to no tracker, and fix the seed: 0, unless the
# environment variable COURSE_SEED names another.
RUN_SETTINGS = dict(
    use_cpu=not torch.cuda.is_available(),
    save_strategy="no",
    report_to="none",
    seed=int(os.environ.get("COURSE_SEED", "0")),
)
# --8<-- [end:settings]
