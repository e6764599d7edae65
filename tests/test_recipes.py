"""Recipes: every example's settings as data, one recipe per model.

The tiny models' recipes ship inside the course package (src/reasoning_course/recipes/tiny/), so a
snippet copied anywhere reads them by default; SmolLM2-135M-Instruct's, tested on a CPU, and the
GPU-size models' are files under recipes/, passed with --config. Every recipe builds its config
with the installed TRL, read as the snippets read it (TRL's TrlParser, through
``reasoning_course.recipes.parse_recipe``); the tiny recipes give exactly the settings the examples'
results were measured with; every other value names its source or its reason; a bad recipe is
reported with its file and line. Each GPU-size recipe also trains one step on its model's
architecture (the published sizes, random weights), on the CPU with fewer layers and the tiny
tokenizer's vocabulary, and at full size, at the recipe's own lengths, in the GPU lane.
"""

from __future__ import annotations

import re
import sys
import time
from importlib.resources import files
from pathlib import Path

import pytest
from support.harness import ROOT, run_snippet

from reasoning_course.arithmetic import (
    TRAIN_PROBLEMS,
    formatted_completion,
    worked_thinking,
)
from reasoning_course.recipes import RecipeError, parse_recipe
from reasoning_course.rewards import completion_text
from reasoning_course.sampling import chat_prompt
from reasoning_course.training import RUN_SETTINGS

RECIPES = ROOT / "recipes"
TINY = "tiny"
BUNDLED = Path(
    str(files("reasoning_course.recipes"))
)  # <package>/recipes/tiny/<topic>/...
TINY_RECIPES = sorted((BUNDLED / TINY).rglob("*.yaml"))
SMOLLM2 = "SmolLM2-135M-Instruct"  # the real model the suite runs, on a CPU
SMOLLM2_RECIPES = sorted((RECIPES / SMOLLM2).rglob("*.yaml"))
GPU_RECIPES = sorted(r for r in RECIPES.rglob("*.yaml") if r.parts[-3] != SMOLLM2)
ALL_RECIPES = [*TINY_RECIPES, *SMOLLM2_RECIPES, *GPU_RECIPES]


def shown(recipe: Path) -> str:
    return str(recipe.relative_to(ROOT if recipe.is_relative_to(ROOT) else BUNDLED))


def config_class(recipe: Path):
    """The trainer config a recipe's snippet builds; None for an example that trains nothing."""
    from trl import DistillationConfig, GRPOConfig, SFTConfig

    return {
        "grpo/r1_zero": GRPOConfig,
        "distillation/trace_distillation": SFTConfig,
        "distillation/logit_distillation": DistillationConfig,
    }.get("/".join(Path(recipe).with_suffix("").parts[-2:]))


def parse(recipe: Path | str, *overrides: str, monkeypatch, default="unused.yaml"):
    """Read a recipe as its snippet does: ``python snippet.py --config RECIPE [overrides]``."""
    config = ["--config", str(recipe)] if recipe else []
    monkeypatch.setattr(sys, "argv", ["snippet.py", *config, *overrides])
    config_type = config_class(Path(recipe or default))
    defaults = RUN_SETTINGS if config_type else {}
    return parse_recipe(config_type, default, **defaults)


@pytest.fixture
def course_model(monkeypatch, tiny_model, tmp_path):
    """COURSE_MODEL and COURSE_TEACHER as the tests set them, for the tiny recipes; and a
    folder to run in where the SmolLM2 GRPO example has left its model, the teacher its
    distillation recipes name."""
    monkeypatch.setenv("COURSE_MODEL", str(tiny_model("student")))
    monkeypatch.setenv("COURSE_TEACHER", str(tiny_model("teacher")))
    (tmp_path / "r1-zero-SmolLM2-135M-Instruct").mkdir()
    monkeypatch.chdir(tmp_path)


def test_every_example_that_loads_a_model_has_a_tiny_recipe_and_a_smollm2_one():
    """And each training example a GPU-size one too; the snippet's default is its tiny one."""
    by_snippet: dict[str, set[str]] = {}
    for recipe in ALL_RECIPES:
        model, topic, name = recipe.with_suffix("").parts[-3:]
        snippet = ROOT / "snippets" / topic / f"{name}.py"
        assert snippet.is_file(), (
            f"{shown(recipe)}: no snippet {snippet.relative_to(ROOT)}"
        )
        by_snippet.setdefault(f"{topic}/{name}", set()).add(model)
    loads_a_model = {
        str(path.relative_to(ROOT / "snippets").with_suffix(""))
        for path in (ROOT / "snippets").rglob("*.py")
        if "from_pretrained(recipe." in path.read_text()
    }
    assert set(by_snippet) == loads_a_model
    for snippet, models in by_snippet.items():
        assert {TINY, SMOLLM2} <= models, snippet
        if config_class(Path(snippet)):  # a training example
            assert len(models) >= 3, snippet
        assert (
            f'"{TINY}/{snippet}.yaml"'
            in (ROOT / "snippets" / f"{snippet}.py").read_text()
        )


@pytest.mark.parametrize("recipe", ALL_RECIPES, ids=shown)
def test_every_recipe_builds_its_config_over_the_run_settings(
    recipe, course_model, monkeypatch
):
    import yaml

    arguments, config = parse(recipe, monkeypatch=monkeypatch)
    assert not set(yaml.safe_load(recipe.read_text())) & set(RUN_SETTINGS), recipe
    if config_class(recipe) is None:
        assert config is None
    else:
        assert isinstance(config, config_class(recipe))
        # RUN_SETTINGS hold: no recipe sets them (device, seed, checkpoints, tracker).
        assert (
            config.seed == 0 and config.save_strategy == "no" and config.report_to == []
        )
        assert config.use_cpu == RUN_SETTINGS["use_cpu"]
    if recipe in GPU_RECIPES:  # names its model, in its folder's name
        assert arguments.model_name_or_path.split("/")[-1] == recipe.parts[-3]
    else:  # the model is the one in COURSE_MODEL: a tiny one, or SmolLM2's folder
        assert "model_name_or_path" not in yaml.safe_load(recipe.read_text())


def test_a_teacher_folder_that_is_not_there_is_named_with_its_line(
    monkeypatch, tmp_path
):
    monkeypatch.chdir(tmp_path)  # the GRPO example has not run here
    recipe = RECIPES / SMOLLM2 / "distillation" / "logit_distillation.yaml"
    line = (
        recipe.read_text()
        .splitlines()
        .index(
            next(
                x
                for x in recipe.read_text().splitlines()
                if x.startswith("teacher_name")
            )
        )
    )
    monkeypatch.setenv("COURSE_MODEL", "unused")
    with pytest.raises(RecipeError) as caught:
        parse(recipe, monkeypatch=monkeypatch)
    assert str(caught.value).startswith(
        f"{recipe}:{line + 1}: teacher_name_or_path: no such model folder"
        " './r1-zero-SmolLM2-135M-Instruct'"
    )


def test_an_unknown_reward_is_named_with_its_line(tmp_path, monkeypatch):
    recipe = planted(tmp_path, "max_steps: 3\nreward_funcs: [format, speed]\n")
    monkeypatch.setenv("COURSE_MODEL", "unused")
    with pytest.raises(RecipeError) as caught:
        parse(recipe, monkeypatch=monkeypatch)
    assert str(caught.value).startswith(
        f"{recipe}:2: reward_funcs: unknown speed; the rewards are format, accuracy, number"
    )


def test_an_answer_check_that_does_not_exist_is_refused(tmp_path, monkeypatch):
    recipe = planted(tmp_path, "answer_check: vibes\n")
    monkeypatch.setenv("COURSE_MODEL", "unused")
    with pytest.raises(RecipeError) as caught:
        parse(recipe, monkeypatch=monkeypatch)
    assert str(caught.value).startswith(f"{recipe}:1: ")
    assert "vibes" in str(caught.value) and "last-number" in str(caught.value)


def test_the_gpu_recipes_ask_for_the_tags_the_rewards_check(monkeypatch):
    for recipe in GPU_RECIPES:
        arguments, _ = parse(recipe, monkeypatch=monkeypatch)
        assert "<think>" in arguments.system_prompt, recipe
        assert "<answer>" in arguments.system_prompt, recipe


@pytest.mark.parametrize("recipe", SMOLLM2_RECIPES, ids=shown)
def test_smollm2_is_read_by_its_last_number(recipe, course_model, monkeypatch):
    """It never writes the tags (tests/grpo/test_sampled_rewards.py): its answers are read as
    prose, and its GRPO recipe rewards the right number only."""
    arguments, config = parse(recipe, monkeypatch=monkeypatch)
    # The rewards demo shows every rule, tags included; logit distillation reads no answer.
    if recipe.name not in ("sampled_rewards.yaml", "logit_distillation.yaml"):
        assert arguments.answer_check == "last-number"
    if recipe.name == "r1_zero.yaml":
        assert arguments.reward_funcs == ["number"]


def test_with_no_config_the_snippet_reads_its_default_from_the_package_anywhere(
    course_model, monkeypatch, tmp_path
):
    assert not (tmp_path / "recipes").exists()  # a reader's own folder
    default = "tiny/grpo/r1_zero.yaml"
    _, config = parse(
        None, "--max_steps", "3", monkeypatch=monkeypatch, default=default
    )
    assert (
        config.learning_rate == 5e-4 and config.max_steps == 3
    )  # the command line wins


SOURCE = re.compile(r"#\s*\S")


@pytest.mark.parametrize("recipe", [*SMOLLM2_RECIPES, *GPU_RECIPES], ids=shown)
def test_every_real_model_value_names_its_source_or_reason(recipe):
    """Each setting has a comment on its line or just above it; the header names the sources
    (a commit, a TRL release) or says the values were measured on the model for this site."""
    lines = recipe.read_text().splitlines()
    header = "\n".join(line for line in lines if line.startswith("#"))
    assert re.search(r"commit [0-9a-f]{7}|TRL 1\.\d+|[Mm]easured on it", header), recipe
    for number, line in enumerate(lines):
        if re.match(r"^\w+:", line) and not line.startswith("output_dir:"):
            value_lines = [line] + [
                following
                for following in lines[number + 1 : number + 3]
                if following.startswith("  ")
            ]
            commented = any(SOURCE.search(v.partition(": ")[2]) for v in value_lines)
            above = number > 0 and lines[number - 1].startswith("#")
            assert commented or above, f"{recipe}:{number + 1}: no source for {line!r}"


# --- a bad recipe is named with its file and line ------------------------------------------


def planted(tmp_path, text, name="grpo/r1_zero.yaml"):
    path = tmp_path / TINY / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "text, line, message",
    [
        (
            "learning_rate: 1.0e-5\nlearning_rat: 2.0e-5\n",
            2,
            "unknown setting 'learning_rat': not an argument of RecipeArguments or "
            "GRPOConfig",
        ),
        ("max_steps: 3\nlearning_rate: fast\n", 2, "invalid float value: 'fast'"),
        ("num_generations: 3\nper_device_train_batch_size: 8\n", 1, "num_generations"),
    ],
    ids=["unknown key", "wrong type", "rejected by GRPOConfig"],
)
def test_a_bad_recipe_is_named_with_its_line(
    text, line, message, tmp_path, course_model, monkeypatch
):
    recipe = planted(tmp_path, text)
    with pytest.raises(RecipeError) as caught:
        parse(recipe, monkeypatch=monkeypatch)
    assert str(caught.value).startswith(f"{recipe}:{line}: ")
    assert message in str(caught.value)


def test_a_recipe_that_is_not_a_mapping_or_not_yaml_is_named(
    tmp_path, course_model, monkeypatch
):
    recipe = planted(tmp_path, "- learning_rate\n")
    with pytest.raises(RecipeError, match=f"{recipe}:1: a recipe is a mapping"):
        parse(recipe, monkeypatch=monkeypatch)
    recipe.write_text("max_steps: 3\nbeta: [0.0\n")
    with pytest.raises(
        RecipeError, match=f"{recipe}:3: not valid YAML: while parsing a flow sequence"
    ):
        parse(recipe, monkeypatch=monkeypatch)


def test_a_missing_recipe_or_model_is_named(tmp_path, monkeypatch):
    missing = tmp_path / TINY / "grpo" / "r1_zero.yaml"
    with pytest.raises(RecipeError, match=f"{missing}: no such recipe"):
        parse(missing, monkeypatch=monkeypatch)
    monkeypatch.delenv("COURSE_MODEL", raising=False)
    recipe = planted(tmp_path, "max_steps: 3\n")
    with pytest.raises(RecipeError, match=f"{recipe}: names no model_name_or_path"):
        parse(recipe, monkeypatch=monkeypatch)


def test_an_unknown_command_line_argument_is_refused(course_model, monkeypatch):
    with pytest.raises(RecipeError, match="--max_stepz"):
        parse(
            BUNDLED / TINY / "grpo" / "r1_zero.yaml",
            "--max_stepz",
            "3",
            monkeypatch=monkeypatch,
        )


# --- the GPU lane's longer SmolLM2 runs ---------------------------------------------------------


def longer_runs() -> list[list[str]]:
    """The snippet command lines of the GPU lane's nightly step "SmolLM2's examples, longer",
    each as ``[snippet, --config, recipe, overrides...]`` from the repository root."""
    import shlex

    import yaml

    workflow = yaml.safe_load((ROOT / ".github/workflows/gpu.yml").read_text())
    (step,) = [
        s
        for s in workflow["jobs"]["gpu"]["steps"]
        if s.get("name", "").startswith("SmolLM2's examples, longer")
    ]
    runs = []
    for line in step["run"].splitlines():
        words = shlex.split(line.split("|")[0])
        if len(words) > 1 and words[1].endswith(".py"):
            runs.append([w.removeprefix("../../") for w in words[1:]])
    return runs


def test_the_gpu_lane_runs_each_smollm2_training_example_longer(
    course_model, monkeypatch
):
    """Each command line parses as its snippet reads it (the recipe exists, every override is a
    field of the trainer's config) and asks for more than the recorded CPU run."""
    runs = longer_runs()
    assert [run[0] for run in runs] == [
        "snippets/grpo/r1_zero.py",
        "snippets/distillation/trace_distillation.py",
        "snippets/distillation/logit_distillation.py",
    ]
    for snippet, flag, recipe, *overrides in runs:
        assert flag == "--config" and recipe.startswith(f"recipes/{SMOLLM2}/"), recipe
        _, longer = parse(ROOT / recipe, *overrides, monkeypatch=monkeypatch)
        _, recorded = parse(ROOT / recipe, monkeypatch=monkeypatch)
        assert longer.max_steps >= 5 * recorded.max_steps, snippet
        if snippet.endswith("r1_zero.py"):
            assert longer.num_generations == 2 * recorded.num_generations


# --- one step on each real model's architecture ---------------------------------------------

# The values that shape the weights, from each model's config.json on the Hub (both are
# Qwen2ForCausalLM, model_type qwen2, hidden_act silu, max_position_embeddings 32768,
# rope_theta 1000000.0, rms_norm_eps 1e-6). The 1.5B model's are the memory page's own.
QWEN_1_5B = run_snippet("scaling-up/memory.py", as_main=False).namespace[
    "ARCHITECTURES"
]["Qwen/Qwen2.5-1.5B-Instruct"]
ARCHITECTURES = {
    # The same vocabulary, key-value heads and tied embeddings as the 1.5B model; smaller
    # otherwise.
    "Qwen/Qwen2.5-0.5B-Instruct": {
        **QWEN_1_5B,
        **dict(hidden_size=896, intermediate_size=4864),
        **dict(num_attention_heads=14, num_hidden_layers=24),
    },
    "Qwen/Qwen2.5-1.5B-Instruct": QWEN_1_5B,
}
# What a CPU cannot honour, overridden on the command line as a reader would: vLLM needs a GPU
# (and is not installed with the test extra; SFTConfig has no such setting), and bf16 autocast
# on a CPU is slow.
NO_VLLM = ("--use_vllm", "false")
CPU_CANNOT = {
    "grpo/r1_zero.yaml": (*NO_VLLM, "--bf16", "false"),
    "distillation/trace_distillation.yaml": ("--bf16", "false"),
    "distillation/logit_distillation.yaml": (*NO_VLLM, "--bf16", "false"),
}
# Shorter than the recipes, so that one step takes well under a minute on two CPU cores; the
# GPU test runs the recipes' own lengths.
CPU_SHORTER = {
    "grpo/r1_zero.yaml": (
        "--max_completion_length",
        "32",
        "--gradient_accumulation_steps",
        "1",
    ),
    "distillation/trace_distillation.yaml": (),
    "distillation/logit_distillation.yaml": (
        "--max_completion_length",
        "32",
        "--per_device_train_batch_size",
        "4",
    ),
}
REAL_RECIPES = [r for r in GPU_RECIPES if config_class(r)]


def architecture(model_id, tokenizer, full: bool):
    """The model's published architecture with random weights; on a CPU, one layer and the tiny
    tokenizer's vocabulary."""
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    values = dict(ARCHITECTURES[model_id])
    if not full:
        values.update(num_hidden_layers=1, vocab_size=len(tokenizer))
    config = Qwen2Config(
        **values,
        rope_parameters={"rope_type": "default", "rope_theta": 1000000.0},
        rms_norm_eps=1e-6,
        max_position_embeddings=32768,
        hidden_act="silu",
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    return Qwen2ForCausalLM(config)


def length_reward(completions, **kwargs):
    return [len(completion_text(c)) / 100 for c in completions]


def one_step(
    recipe: Path, *overrides: str, monkeypatch, tiny_model, tmp_path, full=False
):
    """Train one optimizer step of the recipe's trainer on its model's architecture."""
    # The trainer makes the recipe's output_dir, relative to the working folder.
    monkeypatch.chdir(tmp_path)
    import torch
    from datasets import Dataset
    from transformers import AutoTokenizer

    from reasoning_course.rewards import accuracy_reward, format_reward

    # One step, with no warmup: the recipes' warmup would hold the learning rate at 0 for it.
    one = ("--max_steps", "1", "--warmup_steps", "0")
    arguments, config = parse(recipe, *overrides, *one, monkeypatch=monkeypatch)
    tokenizer = AutoTokenizer.from_pretrained(tiny_model("student"))
    model = architecture(arguments.model_name_or_path, tokenizer, full)
    before = [p.detach().clone() for p in model.parameters()]
    kind = "/".join(recipe.parts[-2:])
    if kind == "grpo/r1_zero.yaml":
        from trl import GRPOTrainer as Trainer

        as_dataset = run_snippet("grpo/r1_zero.py", as_main=False).module.as_dataset
        dataset = as_dataset(TRAIN_PROBLEMS, arguments.system_prompt)
        # A random model earns 0 from both rules, so every advantage would be 0 and the step
        # would change nothing; a reward that varies gives it a gradient.
        extra = dict(reward_funcs=[format_reward, accuracy_reward, length_reward])
    elif kind == "distillation/trace_distillation.yaml":
        from trl import SFTTrainer as Trainer

        rows = [  # verified traces, as the teacher would have written them
            {
                "prompt": chat_prompt(a, b, arguments.system_prompt),
                "completion": [
                    {
                        "role": "assistant",
                        "content": formatted_completion(worked_thinking(a, b), a + b),
                    }
                ],
            }
            for a, b in TRAIN_PROBLEMS
        ]
        dataset, extra = Dataset.from_list(rows), {}
    else:
        from trl import DistillationTrainer as Trainer

        tokenizer.padding_side = "left"
        prompts = [
            {"prompt": chat_prompt(a, b, arguments.system_prompt)}
            for a, b in TRAIN_PROBLEMS
        ]
        dataset = Dataset.from_list(prompts)
        teacher = architecture(arguments.teacher_name_or_path, tokenizer, full).eval()
        extra = dict(teacher_model=teacher)
    trainer = Trainer(
        model=model,
        args=config,
        train_dataset=dataset,
        processing_class=tokenizer,
        **extra,
    )
    if full:
        torch.cuda.reset_peak_memory_stats()
    start, cpu_start = time.perf_counter(), time.process_time()
    trainer.train()
    seconds = time.perf_counter() - start
    trainer.cpu_seconds = time.process_time() - cpu_start
    assert trainer.state.global_step == 1
    changed = [
        not torch.equal(b, p.detach().to(b.device))
        for b, p in zip(before, model.parameters(), strict=True)
    ]
    assert any(changed), f"{recipe}: one step changed no weight"
    return trainer, seconds


@pytest.mark.slow
@pytest.mark.parametrize(
    "recipe", REAL_RECIPES, ids=[str(r.relative_to(RECIPES)) for r in REAL_RECIPES]
)
def test_a_real_recipe_trains_one_step_on_its_architecture_on_a_cpu(
    recipe, monkeypatch, tiny_model, tmp_path
):
    kind = "/".join(recipe.parts[-2:])
    trainer, seconds = one_step(
        recipe,
        *CPU_CANNOT[kind],
        *CPU_SHORTER[kind],
        "--use_cpu",
        "true",
        monkeypatch=monkeypatch,
        tiny_model=tiny_model,
        tmp_path=tmp_path,
    )
    assert not trainer.args.bf16 and not getattr(trainer.args, "use_vllm", False)
    print(
        f"{recipe.relative_to(ROOT)}: one CPU step in {seconds:.1f} s"
        f" ({trainer.cpu_seconds:.1f} s of CPU time)"
    )


@pytest.mark.gpu
@pytest.mark.parametrize(
    "recipe", REAL_RECIPES, ids=[str(r.relative_to(RECIPES)) for r in REAL_RECIPES]
)
def test_a_real_recipe_trains_one_step_at_full_size_on_a_gpu(
    recipe, monkeypatch, tiny_model, tmp_path
):
    """The full architecture (every layer, the whole vocabulary) at the recipe's own lengths,
    generations and batch, in bf16; only vLLM is left out (not installed with the test extra)."""
    import torch

    kind = "/".join(recipe.parts[-2:])
    trainer, seconds = one_step(
        recipe,
        *(NO_VLLM if kind != "distillation/trace_distillation.yaml" else ()),
        monkeypatch=monkeypatch,
        tiny_model=tiny_model,
        tmp_path=tmp_path,
        full=True,
    )
    assert trainer.args.bf16 and trainer.model.device.type == "cuda"
    peak = torch.cuda.max_memory_allocated() / 2**30
    report = ROOT / "build" / "recipe-gpu-steps.txt"
    report.parent.mkdir(exist_ok=True)
    line = (
        f"{recipe.relative_to(ROOT)}: one step in {seconds:.1f} s, peak {peak:.1f} GiB"
    )
    with report.open("a") as out:
        out.write(line + "\n")
    print(line)
