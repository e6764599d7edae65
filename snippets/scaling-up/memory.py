# What a GRPO run on a real model keeps in GPU memory, worked out from the model's
# parameter count and from the accelerate configs in configs/accelerate/. Nothing is
# downloaded: the architecture comes from each model's config.json, and the model is
# built on the meta device.
# Run it from the repository root: python snippets/scaling-up/memory.py

# --8<-- [start:count]
import torch
from transformers import AutoModelForCausalLM, Qwen2Config

# From each model's config.json on the Hub: the architecture, not the weights.
ARCHITECTURES = {
    "Qwen/Qwen2.5-1.5B-Instruct": dict(
        hidden_size=1536,
        intermediate_size=8960,
        num_hidden_layers=28,
        num_attention_heads=12,
        num_key_value_heads=2,
        vocab_size=151936,
        tie_word_embeddings=True,  # the output layer reuses the embedding matrix
    ),
    "Qwen/Qwen2.5-7B-Instruct": dict(
        hidden_size=3584,
        intermediate_size=18944,
        num_hidden_layers=28,
        num_attention_heads=28,
        num_key_value_heads=4,
        vocab_size=152064,
        tie_word_embeddings=False,
    ),
}


def parameter_count(architecture: dict) -> int:
    with torch.device("meta"):  # shapes only: no memory is allocated
        model = AutoModelForCausalLM.from_config(Qwen2Config(**architecture))
    return sum(p.numel() for p in model.parameters())


# --8<-- [end:count]


# --8<-- [start:states]
# Bytes per parameter when training in bf16 mixed precision with Adam (the ZeRO
# paper's accounting): bf16 weights and gradients, then an fp32 copy of the weights
# and Adam's two fp32 moments, 4 bytes each.
WEIGHTS, GRADIENTS, OPTIMIZER = 2, 2, 4 + 4 + 4


def model_states_per_gpu(parameters: int, gpus: int, zero_stage: int) -> float:
    """Bytes of weights, gradients and optimizer states on each GPU.

    ZeRO stage 1 shards the optimizer states across the GPUs, stage 2 the gradients
    too, stage 3 the weights too; stage 0 is plain data parallelism, a whole copy on
    every GPU.
    """
    optimizer = OPTIMIZER / gpus if zero_stage >= 1 else OPTIMIZER
    gradients = GRADIENTS / gpus if zero_stage >= 2 else GRADIENTS
    weights = WEIGHTS / gpus if zero_stage >= 3 else WEIGHTS
    return parameters * (weights + gradients + optimizer)


def reference_model_per_gpu(parameters: int, gpus: int, zero_stage: int) -> float:
    """A frozen bf16 copy of the starting model, which GRPO keeps only when beta > 0."""
    return parameters * WEIGHTS / (gpus if zero_stage >= 3 else 1)


def kv_cache_per_token(architecture: dict) -> int:
    """Bytes of keys and values that generation keeps for each token, in bf16."""
    head_dim = architecture["hidden_size"] // architecture["num_attention_heads"]
    layers, kv_heads = (
        architecture["num_hidden_layers"],
        architecture["num_key_value_heads"],
    )
    return 2 * layers * kv_heads * head_dim * 2  # keys and values, 2 bytes each


# --8<-- [end:states]


# --8<-- [start:report]
if __name__ == "__main__":
    from pathlib import Path

    from accelerate.commands.config.config_args import load_config_from_file

    CONFIGS = Path("configs/accelerate")  # run from the repository root
    GiB = 2**30
    # One GPU's share of a GRPO step in Open R1's recipe for Qwen2.5-1.5B-Instruct:
    # 16 completions of up to 1,024 tokens after prompts of up to 512.
    COMPLETIONS, TOKENS = 16, 512 + 1024

    # Each config as accelerate reads it: processes on all machines, ZeRO stage.
    layouts = []
    for path in CONFIGS.glob("*.yaml"):
        config = load_config_from_file(str(path))
        stage = (config.deepspeed_config or {}).get("zero_stage", 0)  # 0: no DeepSpeed
        layouts.append((config.num_processes, stage, path.name))

    for name, architecture in ARCHITECTURES.items():
        parameters = parameter_count(architecture)
        print(f"{name}: {parameters:,} parameters")
        for gpus, stage, file in sorted(layouts):
            states = model_states_per_gpu(parameters, gpus, stage)
            reference = reference_model_per_gpu(parameters, gpus, stage)
            sharding = f"ZeRO-{stage}" if stage else "no ZeRO"
            print(
                f"  {file:<21} {gpus:>2} GPUs, {sharding}: {states / GiB:5.1f} GiB"
                f" per GPU, +{reference / GiB:4.1f} with beta > 0"
            )
        cache = kv_cache_per_token(architecture)
        batch = COMPLETIONS * TOKENS * cache
        print(
            f"  KV cache: {cache // 1024} KiB per token;"
            f" {COMPLETIONS} x {TOKENS} tokens: {batch / GiB:.2f} GiB"
        )
# --8<-- [end:report]
