"""A fingerprint of how this machine's torch computes, so that figures from a training run can be
compared only where they can be equal.

The same seed, code and library versions give other numbers on another CPU: PyTorch and its
math libraries pick kernels by instruction set (AVX2, AVX-512, ...) and each sums in its own
order. A tiny model's training amplifies the last-bit differences until a held-out accuracy moves
by tenths. docs/generated/runs.yml records the fingerprint of the machine that measured it,
and the test suite checks its seed 0 exactly only on a machine with the same fingerprint.
"""

from __future__ import annotations

import hashlib

from .factory import build, verify

# Every trained figure a page states starts from one of these; each was pre-trained on the
# machine that built it, so its weights already carry that machine's arithmetic.
PRETRAINED = ("arithmetic", "teacher", "student")
TRAINING_STEPS = 3


def numerics_fingerprint() -> str:
    """16 hex digits: the pre-trained tiny models' weights, and a few AdamW steps on the random one."""
    import torch
    from transformers import AutoModelForCausalLM

    digest = hashlib.sha256()
    for name in PRETRAINED:
        files = verify(build(name))["files"]
        digest.update(
            "".join(f"{file}={files[file]}" for file in sorted(files)).encode()
        )

    # Matmuls, attention, RMSNorm, softmax, cross-entropy and AdamW, as a training run uses them.
    model = AutoModelForCausalLM.from_pretrained(build("random"), dtype=torch.float32)
    generator = torch.Generator().manual_seed(0)
    batch = torch.randint(0, model.config.vocab_size, (4, 16), generator=generator)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(TRAINING_STEPS):
        model(input_ids=batch, labels=batch).loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    for name, tensor in sorted(model.state_dict().items()):
        digest.update(name.encode())
        digest.update(tensor.detach().contiguous().numpy().tobytes())
    return digest.hexdigest()[:16]
