"""The tiny-model factory: real transformers classes, deterministic, cached, loud about a bad cache."""

import dataclasses
import os
import re
import shutil
import subprocess
import sys

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from reasoning_course import arithmetic, sampling, tiny_models
from reasoning_course.arithmetic import is_verified
from reasoning_course.course_models import main as cli
from reasoning_course.tiny_models import factory

# The canary runs it with the example tests (tests/conftest.py: the `example` marker).
pytestmark = pytest.mark.example

FORMATTED = re.compile(r"<think>[^<]+</think><answer>\d+</answer>")


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """A cache folder of the test's own, so damaging it cannot touch the shared one."""
    monkeypatch.setenv(factory.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_the_tokenizer_keeps_reasoning_tags_and_chatml_whole(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model("random"))
    for tag in [*arithmetic.REASONING_TOKENS, "<|im_start|>", "<|im_end|>"]:
        ids = tokenizer(tag, add_special_tokens=False)["input_ids"]
        assert len(ids) == 1 and tokenizer.convert_ids_to_tokens(ids) == [tag]
    assert len(tokenizer) == 400  # the home page says so
    text = "<think>7+8=15</think><answer>15</answer>"
    assert tokenizer.decode(tokenizer(text)["input_ids"]) == text
    # TRL decodes completions with skip_special_tokens=True before scoring them, so the
    # reasoning tags must not be "special" (as in DeepSeek-R1), while ChatML's markers are.
    ids = tokenizer(text + "<|im_end|><|endoftext|>")["input_ids"]
    assert tokenizer.decode(ids, skip_special_tokens=True) == text
    # Digits are split one by one, as in Qwen2.
    assert tokenizer.tokenize("15") == ["1", "5"]


def test_the_chat_template_opens_an_assistant_turn(tiny_model):
    tokenizer = AutoTokenizer.from_pretrained(tiny_model("random"))
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is 2+3?"}],
        add_generation_prompt=True,
        tokenize=False,
    )
    assert prompt == "<|im_start|>user\nWhat is 2+3?<|im_end|>\n<|im_start|>assistant\n"


@pytest.mark.parametrize("name", sorted(tiny_models.RECIPES))
def test_every_model_loads_with_the_auto_classes_and_generates(tiny_model, name):
    path = tiny_model(name)
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModelForCausalLM.from_pretrained(path)
    assert type(model).__name__ == "Qwen2ForCausalLM"
    assert (
        140_000 < model.num_parameters() < 160_000
    )  # "about 150,000" on the home page
    inputs = tokenizer("What is 1+1?", return_tensors="pt")
    torch.manual_seed(0)
    output = model.generate(**inputs, max_new_tokens=5, do_sample=False)
    assert output.shape[1] > inputs["input_ids"].shape[1]


def test_a_second_build_reuses_the_cache(tiny_model, monkeypatch):
    first = tiny_model("random")

    def must_not_build(*args, **kwargs):
        raise AssertionError("rebuilt a model that was cached")

    monkeypatch.setattr(factory, "_build_into", must_not_build)
    assert tiny_models.build("random") == first


def test_builds_are_deterministic(tiny_model, private_cache):
    shared = factory.verify(tiny_model("random"))
    rebuilt = factory.verify(
        tiny_models.build("random")
    )  # from scratch, in the private cache
    assert rebuilt["files"] == shared["files"]


def test_the_cache_key_follows_the_recipe():
    recipe = tiny_models.RECIPES["random"]
    assert dataclasses.replace(recipe, seed=recipe.seed + 1).key() != recipe.key()
    assert dataclasses.replace(recipe).key() == recipe.key()


def test_a_damaged_cache_names_the_file_and_the_fix(tiny_model, private_cache):
    folder = tiny_models.build("random")
    weights = folder / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(
        tiny_models.TinyModelError,
        match=re.escape(str(weights)) + ".*damaged cache.*--force",
    ):
        tiny_models.build("random")
    assert tiny_models.build("random", force=True) == folder  # the advertised fix works
    factory.verify(folder)


def test_a_damaged_manifest_names_the_file_and_the_fix(private_cache):
    folder = tiny_models.build("random")
    (folder / factory.MANIFEST).write_text("{not json")
    with pytest.raises(
        tiny_models.TinyModelError,
        match=re.escape(str(folder / factory.MANIFEST)) + ".*--force",
    ):
        tiny_models.build("random")


def test_a_wrong_model_path_is_named(tmp_path):
    wrong = tmp_path / "no-such-model"
    with pytest.raises(
        tiny_models.TinyModelError,
        match=re.escape(str(wrong)) + ".*course-models build",
    ):
        factory.verify(wrong)


def test_an_unknown_recipe_lists_the_known_ones():
    with pytest.raises(tiny_models.TinyModelError, match="arithmetic.*random"):
        tiny_models.build("gpt-5")


def test_the_command_line_prints_a_folder_and_reports_errors(
    tiny_model, capsys, private_cache
):
    assert cli(["path", "random"]) == 0
    folder = capsys.readouterr().out.strip()
    assert folder == str(tiny_models.model_dir("random"))
    (tiny_models.model_dir("random") / "config.json").unlink()
    assert cli(["path", "random"]) == 1
    error = capsys.readouterr().err
    assert "config.json: missing from the cache" in error and "--force" in error


def test_the_command_line_lists_builds_and_keys_the_cache(capsys, private_cache):
    assert cli(["list"]) == 0
    listing = capsys.readouterr().out.splitlines()
    assert listing[0] == f"tiny models: {private_cache}"
    tiny = listing[1 : 1 + len(tiny_models.RECIPES)]
    assert [line.split()[:3] for line in tiny] == [
        [name, "not", "built"] for name in tiny_models.RECIPES
    ]
    assert listing[1 + len(tiny_models.RECIPES)].startswith("real models: ")
    assert listing[-1].split()[0] == "smollm2"
    assert cli(["build", "random"]) == 0
    assert str(tiny_models.model_dir("random")) in capsys.readouterr().out
    assert cli(["list"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:2] == ["random", "built"]
    assert cli(["cache-key"]) == 0
    key = capsys.readouterr().out.strip()
    assert re.fullmatch(r"[0-9a-f]{16}", key) and key == factory.cache_key()


def test_python_dash_m_runs_the_command_line(private_cache):
    result = subprocess.run(
        [sys.executable, "-m", "reasoning_course.course_models", "cache-key"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == factory.cache_key()


def test_the_cache_key_changes_with_any_recipe(monkeypatch):
    before = factory.cache_key()
    recipe = dataclasses.replace(factory.RECIPES["random"], seed=99)
    monkeypatch.setitem(factory.RECIPES, "random", recipe)
    assert factory.cache_key() != before


def test_a_pretrained_recipe_trains_on_the_toy_task(monkeypatch, private_cache):
    """The pre-training path every shipped model but `random` takes, on a recipe small enough
    to build here in seconds (the shipped ones are cached, so the suite rarely rebuilds them)."""
    recipe = factory.Recipe(
        name="pretrain-check",
        description="two steps of pre-training, for this test",
        pretrain_steps=2,
        batch_size=16,
        reasoning_rate=0.5,
        format_rate=0.5,
    )
    monkeypatch.setitem(factory.RECIPES, recipe.name, recipe)
    manifest = factory.verify(tiny_models.build(recipe.name))
    assert manifest["recipe"]["pretrain_steps"] == 2
    assert 0 < manifest["metrics"]["final_loss"] < 20


def test_a_build_that_loses_the_race_keeps_the_winners_copy(monkeypatch, private_cache):
    """Two processes build the same model: the other one renames its folder into place first,
    so this one's rename fails; the winner's copy is verified and kept, and this one's staging
    folder is removed."""
    real_replace = factory.os.replace

    def another_process_wins(staging, target):
        shutil.copytree(
            staging, target
        )  # the other process's identical build lands first
        monkeypatch.setattr(factory.os, "replace", real_replace)
        raise OSError(f"{target}: Directory not empty")

    monkeypatch.setattr(factory.os, "replace", another_process_wins)
    folder = tiny_models.build("random")
    assert folder == tiny_models.model_dir("random")
    factory.verify(folder)
    assert sorted(p.name for p in private_cache.iterdir()) == [
        folder.name
    ]  # no staging left


def sample(model_dir, pairs, samples_per_problem):
    """(a, b, completion) for each completion sampled, as the examples sample them."""
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir)
    groups = sampling.sample(
        model, tokenizer, pairs, samples_per_problem, max_new_tokens=24
    )
    return [
        (a, b, text)
        for (a, b), group in zip(pairs, groups, strict=True)
        for text in group
    ]


def test_the_arithmetic_model_sometimes_reasons_and_sometimes_guesses(tiny_model):
    """What the GRPO examples build on: a base that is sometimes right, not always."""
    completions = sample(
        tiny_model("arithmetic"), arithmetic.PROBLEMS, samples_per_problem=4
    )
    formatted = [text for _, _, text in completions if FORMATTED.fullmatch(text)]
    format_rate = len(formatted) / len(completions)
    guessing = sum(text.startswith("<think>I guess</think>") for text in formatted)
    accuracy = sum(is_verified(text, a + b) for a, b, text in completions)
    accuracy /= len(completions)
    assert 0.55 <= format_rate <= 0.85, format_rate  # recipe: 0.7
    assert 0.3 <= guessing / len(formatted) <= 0.7, guessing / len(formatted)  # 0.5
    assert 0.15 <= accuracy <= 0.5, accuracy  # about 0.7 * 0.5 * (1 - copy errors)


def test_the_random_model_is_not(tiny_model):
    completions = sample(
        tiny_model("random"), arithmetic.HELD_OUT_PROBLEMS, samples_per_problem=2
    )
    assert sum(is_verified(text, a + b) for a, b, text in completions) == 0


def test_the_teacher_reasons_in_tags_and_is_nearly_always_right(tiny_model):
    """What the distillation examples build on: traces worth imitating, a few wrong."""
    completions = sample(
        tiny_model("teacher"), arithmetic.HELD_OUT_PROBLEMS, samples_per_problem=8
    )
    formatted = sum(bool(FORMATTED.fullmatch(text)) for _, _, text in completions)
    worked = sum(
        text.startswith(f"<think>{arithmetic.worked_thinking(a, b)}</think>")
        for a, b, text in completions
    )
    accuracy = sum(is_verified(text, a + b) for a, b, text in completions)
    assert formatted / len(completions) >= 0.95
    assert worked / len(completions) >= 0.85  # the trace is the worked sum
    assert 0.85 <= accuracy / len(completions) < 1.0  # recipe: about 0.95


def test_the_student_knows_sums_but_never_uses_the_format(tiny_model):
    completions = sample(
        tiny_model("student"), arithmetic.HELD_OUT_PROBLEMS, samples_per_problem=8
    )
    assert not any(
        "<think>" in text or "<answer>" in text for _, _, text in completions
    )
    assert sum(is_verified(text, a + b) for a, b, text in completions) == 0
    bare_right = sum(text.strip() == str(a + b) for a, b, text in completions)
    assert 0.5 <= bare_right / len(completions) <= 0.95  # "knows many sums"


# --- the numerics fingerprint (docs/generated/runs.yml's measured_on.numerics) ---------------

FINGERPRINT = (
    "from reasoning_course.tiny_models.numerics import numerics_fingerprint;"
    " print(numerics_fingerprint())"
)


def fingerprint_in_a_fresh_process(**environment: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", FINGERPRINT],
        capture_output=True,
        text=True,
        env={**os.environ, **environment},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_the_numerics_fingerprint_is_stable_and_sees_another_instruction_set(
    tiny_model,
):
    from reasoning_course.tiny_models.numerics import PRETRAINED, numerics_fingerprint

    # Built in the shared cache, where the fresh processes will find them.
    for name in (*PRETRAINED, "random"):
        tiny_model(name)
    here = numerics_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{16}", here)
    assert numerics_fingerprint() == here == fingerprint_in_a_fresh_process()
    # PyTorch's portable kernels, as on a CPU without AVX2: the same seed computes differently
    # (pretraining on them moves every tiny model's weights), and the fingerprint must say so.
    assert fingerprint_in_a_fresh_process(ATEN_CPU_CAPABILITY="default") != here
