"""Build tiny tokenizers and causal LMs offline, deterministically, and cache them on disk.

Nothing here downloads anything. Each model is described by a :class:`Recipe`; the cache folder's
name carries a hash of the recipe and of the code that builds it (its syntax tree: a comment or a
docstring changes nothing), so changing either builds a new model and a second run with the same
recipe reuses the files on disk.

The models are real ``transformers`` objects (a byte-level BPE ``tokenizers`` tokenizer wrapped as a
fast tokenizer with a chat template, and a ``Qwen2ForCausalLM``), saved with ``save_pretrained``, so
the examples load them with ``AutoTokenizer`` / ``AutoModelForCausalLM`` exactly as they would load a
model from the Hub.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import random
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .. import arithmetic, model_cache
from ..provenance import code_digest

# The code that turns a recipe into files: editing either one builds new models.
BUILD_SOURCES = (Path(__file__).resolve(), Path(arithmetic.__file__).resolve())
MANIFEST = "tiny-model.json"
CACHE_ENV = "TINY_MODELS_CACHE"

# ChatML, the layout Qwen2 uses. `add_generation_prompt` opens the assistant turn.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
PAD, IM_START, IM_END = "<|endoftext|>", "<|im_start|>", "<|im_end|>"
SPECIAL_TOKENS = [PAD, IM_START, IM_END]

# A little English beside the arithmetic, so that prose prompts split into sub-words, not bytes.
_PROSE = """\
Think step by step, then give the final answer. Put your reasoning between the think tags and the
answer between the answer tags. Wait, let me check that again. The answer is correct. The answer is
wrong. A reasoning model writes its thinking before it answers. What is the sum of these numbers?
Solve the problem and explain the result. Let us verify each step before the final answer.
I guess the answer is right.
"""


class TinyModelError(RuntimeError):
    """A tiny model is missing or its cache is damaged. The message names the path and the fix."""


@dataclass(frozen=True)
class Recipe:
    """Everything that determines a tiny model's files. Change a field and the cache key changes."""

    name: str
    description: str
    seed: int = 0
    vocab_size: int = 400
    hidden_size: int = 64
    num_layers: int = 2
    num_heads: int = 4
    num_kv_heads: int = 2
    intermediate_size: int = 256
    # Pre-training on the toy task; 0 steps leaves the weights as initialised.
    pretrain_steps: int = 0
    batch_size: int = 32
    learning_rate: float = 3e-3
    reasoning_rate: float = 1.0
    format_rate: float = 1.0

    def key(self) -> str:
        """Hash of the recipe and of the code that turns it into files."""
        digest = hashlib.sha256(
            json.dumps(dataclasses.asdict(self), sort_keys=True).encode()
        )
        for source in BUILD_SOURCES:
            digest.update(source.name.encode())
            digest.update(code_digest(source).encode())
        return digest.hexdigest()[:16]


RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in (
        Recipe(
            name="random",
            description="Random weights: shows that code runs, proves nothing about learning.",
            seed=0,
        ),
        Recipe(
            name="arithmetic",
            description=(
                "Pre-trained on single-digit sums: works the sum out in its thinking about half "
                "the time and guesses otherwise; uses the <think>/<answer> format about 70% of "
                "the time. A base model that RL can improve."
            ),
            seed=1,
            pretrain_steps=800,
            reasoning_rate=0.5,
            format_rate=0.7,
        ),
        Recipe(
            name="teacher",
            description=(
                "Pre-trained on worked sums only: thinks '3+4=7' in <think> tags, then "
                "answers in <answer> tags, right about 95% of the time. The teacher of "
                "the distillation examples."
            ),
            seed=2,
            pretrain_steps=400,
            learning_rate=6e-3,  # fewer steps than `arithmetic`, so it builds faster
            reasoning_rate=1.0,
            format_rate=1.0,
        ),
        Recipe(
            name="student",
            description=(
                "Pre-trained briefly on bare answers ('7'): knows many sums but never "
                "shows its working or uses the tags, so a tag-checked answer is never "
                "right. The student of the distillation examples."
            ),
            seed=3,
            pretrain_steps=300,
            reasoning_rate=1.0,
            format_rate=0.0,
        ),
    )
}


def cache_key() -> str:
    """One hash for the whole cache: every recipe's key. CI keys its saved cache on it."""
    keys = "".join(recipe.key() for recipe in RECIPES.values())
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


def cache_root() -> Path:
    """Where built models live: ``$TINY_MODELS_CACHE``, else ``~/.cache/reasoning-course/tiny-models``."""
    return model_cache.cache_root(CACHE_ENV, "tiny-models")


def _recipe(name: str) -> Recipe:
    return model_cache.named(RECIPES, name, "tiny-model recipe", TinyModelError)


def model_dir(name: str) -> Path:
    recipe = _recipe(name)
    return cache_root() / f"{recipe.name}-{recipe.key()}"


def verify(path: Path) -> dict:
    """Check a built model folder against its manifest; return the manifest or raise TinyModelError."""
    return model_cache.verify(path, MANIFEST, TinyModelError, "course-models build")


def build(name: str, force: bool = False) -> Path:
    """Return the folder of tiny model ``name``, building it first if it is not cached (or ``force``)."""
    recipe = _recipe(name)
    target = model_dir(name)
    if target.exists() and not force:
        verify(target)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Build beside the target and rename into place, so an interrupted build never looks complete.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        started = time.perf_counter()
        metrics = _build_into(recipe, staging)
        files = model_cache.digests(staging)
        manifest = {
            "name": recipe.name,
            "key": recipe.key(),
            "recipe": dataclasses.asdict(recipe),
            "build_seconds": round(time.perf_counter() - started, 2),
            "metrics": metrics,
            "files": files,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if target.exists():
            shutil.rmtree(target)
        try:
            os.replace(staging, target)
        except OSError:
            # Another process finished the same build first; keep its copy if it is sound.
            verify(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    verify(target)
    return target


def build_tokenizer(vocab_size: int):
    """A byte-level BPE tokenizer trained on the toy task, with ChatML and reasoning tags as single tokens."""
    from tokenizers import (
        AddedToken,
        Tokenizer,
        decoders,
        models,
        pre_tokenizers,
        trainers,
    )
    from transformers import PreTrainedTokenizerFast

    backend = Tokenizer(models.BPE())
    # Digits split one by one, as Qwen2 does, so sums are spelled digit by digit.
    backend.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False),
        ]
    )
    backend.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size - len(arithmetic.REASONING_TOKENS),
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    corpus = [_PROSE]
    for a, b in arithmetic.PROBLEMS:
        (question,) = arithmetic.prompt_of(a, b)
        worked = arithmetic.worked_thinking(a, b)
        corpus.append(
            f"{IM_START}user\n{question['content']}{IM_END}\n{IM_START}assistant\n"
            f"{arithmetic.formatted_completion(worked, a + b)}{IM_END}\n"
        )
    backend.train_from_iterator(corpus, trainer)
    # Single tokens but not "special" ones: like DeepSeek-R1's <think>, they survive
    # decode(skip_special_tokens=True), so reward functions see them in completions.
    backend.add_tokens(
        [
            AddedToken(tag, special=False, normalized=False)
            for tag in arithmetic.REASONING_TOKENS
        ]
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        eos_token=IM_END,
        pad_token=PAD,
        additional_special_tokens=[IM_START],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def _build_into(recipe: Recipe, folder: Path) -> dict:
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    tokenizer = build_tokenizer(recipe.vocab_size)
    config = Qwen2Config(
        vocab_size=len(tokenizer),
        hidden_size=recipe.hidden_size,
        intermediate_size=recipe.intermediate_size,
        num_hidden_layers=recipe.num_layers,
        num_attention_heads=recipe.num_heads,
        num_key_value_heads=recipe.num_kv_heads,
        max_position_embeddings=512,
        tie_word_embeddings=True,
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    torch.manual_seed(recipe.seed)
    model = Qwen2ForCausalLM(config)
    metrics: dict = {"parameters": sum(p.numel() for p in model.parameters())}
    if recipe.pretrain_steps:
        metrics["final_loss"] = round(_pretrain(model, tokenizer, recipe), 4)
    model.generation_config = GenerationConfig(
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        do_sample=True,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return metrics


def _pretrain(model, tokenizer, recipe: Recipe) -> float:
    """Next-token training on sampled toy-task completions; the loss covers the completion only."""
    import torch

    rng = random.Random(recipe.seed)
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=recipe.learning_rate, weight_decay=0.0
    )
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: 1 - step / recipe.pretrain_steps
    )
    model.train()
    loss = torch.tensor(0.0)

    @functools.cache
    def ids(
        text: str,
    ) -> tuple[int, ...]:  # the few distinct strings are tokenized once
        return tuple(tokenizer(text, add_special_tokens=False)["input_ids"])

    for _ in range(recipe.pretrain_steps):
        rows, labels = [], []
        for a, b in rng.choices(arithmetic.PROBLEMS, k=recipe.batch_size):
            prompt_ids = ids(
                tokenizer.apply_chat_template(
                    arithmetic.prompt_of(a, b),
                    add_generation_prompt=True,
                    tokenize=False,
                )
            )
            completion = arithmetic.sample_completion(
                a, b, rng, recipe.reasoning_rate, recipe.format_rate
            )
            completion_ids = ids(completion + IM_END)
            rows.append([*prompt_ids, *completion_ids])
            labels.append([-100] * len(prompt_ids) + list(completion_ids))
        width = max(map(len, rows))
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
        label_ids = torch.tensor([r + [-100] * (width - len(r)) for r in labels])
        attention = torch.tensor([[1] * len(r) + [0] * (width - len(r)) for r in rows])
        loss = model(
            input_ids=input_ids, attention_mask=attention, labels=label_ids
        ).loss
        loss.backward()
        optimizer.step()
        schedule.step()
        optimizer.zero_grad()
    model.eval()
    return loss.item()
