"""snippets/grpo/r1_zero.py: the rule-based rewards, and an R1-Zero-style GRPO run on CPU,
on the tiny arithmetic model and on SmolLM2-135M-Instruct."""

import pytest
from support import claims
from support.harness import assert_output_matches
from support.recorded import assert_seed0_is_this_run, stored_data

from reasoning_course.arithmetic import HELD_OUT_PROBLEMS, TRAIN_PROBLEMS
from reasoning_course.rewards import accuracy_reward, format_reward, number_reward

SNIPPET = "grpo/r1_zero.py"


def test_the_reward_demo_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


# Completions, grouped by the rewards they earn against the reference answer 7.
RIGHT = {  # format 1.0, accuracy 1.0
    "well formed, right": "<think>3+4=7</think><answer>7</answer>",
    "whitespace around blocks": "\n<think> 3+4=7 </think>\n<answer> 7 </answer>\n",
    "multi-line thinking": "<think>3+4\nis 7\n</think><answer>7</answer>",
    "very long thinking": "<think>" + "3+4=7, " * 20_000 + "</think><answer>7</answer>",
}
WRONG = {  # format 1.0, accuracy 0.0
    "well formed, wrong": "<think>3+4=8</think><answer>8</answer>",
    "empty blocks": "<think></think><answer></answer>",
    "right answer in other words": "<think>x</think><answer>seven</answer>",
    "answer with a wrong suffix": "<think>x</think><answer>70</answer>",
}
MALFORMED = {  # format 0.0, accuracy 0.0, however right the number in it
    "empty completion": "",
    "no think block": "<answer>7</answer>",
    "no answer block": "<think>3+4=7</think>",
    "answer outside the tags": "<think>3+4=7</think> The answer is 7.",
    "blocks in the wrong order": "<answer>7</answer><think>3+4=7</think>",
    "text after the answer": "<think>3+4=7</think><answer>7</answer> Done.",
    "text before the thinking": "Sure! <think>3+4=7</think><answer>7</answer>",
    "unclosed think": "<think>3+4=7<answer>7</answer>",
    "unclosed answer": "<think>3+4=7</think><answer>7",
    "nested think": "<think>a<think>b</think>c</think><answer>7</answer>",
    "tag inside the answer": "<think>x</think><answer><think>7</answer>",
    "repeated answer": "<think>x</think><answer>7</answer><answer>7</answer>",
    "repeated pairs": "<think>x</think><answer>8</answer>" * 2,
    "degenerate tag soup": "<think></think><answer>1</think><answer></answer></answer>",
    "very long garbage": "<think>" * 20_000,
}
# name -> (completion, format reward, accuracy reward)
CASES = {
    name: (text, *rewards)
    for group, rewards in (
        (RIGHT, (1.0, 1.0)),
        (WRONG, (1.0, 0.0)),
        (MALFORMED, (0.0, 0.0)),
    )
    for name, text in group.items()
}


@pytest.mark.parametrize(
    "text, want_format, want_accuracy", CASES.values(), ids=CASES.keys()
)
def test_each_completion_gets_the_right_score(text, want_format, want_accuracy):
    for completion in (
        text,
        [{"role": "assistant", "content": text}],
    ):  # text and chat forms
        assert format_reward([completion]) == [want_format]
        assert accuracy_reward([completion], answer=[7]) == [want_accuracy]
        assert accuracy_reward([completion], answer=["7"]) == [want_accuracy]


def test_scores_a_whole_batch_in_order():
    texts = [case[0] for case in CASES.values()]
    assert format_reward(texts) == [c[1] for c in CASES.values()]
    assert accuracy_reward(texts, answer=[7] * len(texts)) == [
        c[2] for c in CASES.values()
    ]


@pytest.mark.parametrize(
    "text, reward",
    [
        ("1 + 7 = 8", 1.0),
        ("The answer is 8.", 1.0),
        ("<think>1+7=8</think><answer>8</answer>", 1.0),  # tags are read as prose
        ("8 is wrong; 1 + 7 = 9", 0.0),  # the last number counts
        ("The answer is eight.", 0.0),  # no number at all
        ("18", 0.0),  # a whole number, not a digit inside one
        ("", 0.0),
    ],
)
def test_the_number_reward_reads_the_last_number_of_a_prose_answer(text, reward):
    for completion in (text, [{"role": "assistant", "content": text}]):
        assert number_reward([completion], answer=[8]) == [reward]


def test_accuracy_needs_one_reference_per_completion():
    with pytest.raises(ValueError):
        accuracy_reward(["<think>x</think><answer>7</answer>"], answer=[])


def test_the_toy_task_holds_out_a_fifth_of_the_problems():
    train, held_out = TRAIN_PROBLEMS, HELD_OUT_PROBLEMS
    assert len(train) == 80 and len(held_out) == 20 and not set(train) & set(held_out)


@pytest.mark.slow
def test_rl_alone_lifts_held_out_accuracy_by_at_least_0_2(run):
    claims.r1_zero_accuracy_rises((run.module.before[0], run.module.after[0]))


@pytest.mark.slow
def test_rl_alone_raises_the_format_reward(run):
    claims.r1_zero_format_rises((run.module.before[1], run.module.after[1]))


@pytest.mark.slow
def test_the_rewards_logged_during_training_rise(run):
    history = [log for log in run.module.trainer.state.log_history if "reward" in log]
    first, last = history[0], history[-1]
    for name in ("format_reward", "accuracy_reward"):
        assert last[f"rewards/{name}/mean"] > first[f"rewards/{name}/mean"], name
    assert run.module.trainer.state.global_step == 40


@pytest.mark.slow
def test_the_run_prints_its_before_and_after(run):
    lines = run.stdout.splitlines()
    before, after = run.module.before, run.module.after
    assert f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}" in lines
    assert f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}" in lines


# --- on a real model: SmolLM2-135M-Instruct --------------------------------------------------


@pytest.mark.real_model
def test_on_smollm2_grpo_lifts_held_out_accuracy(real_run):
    """The page: 10 steps of GRPO, about 2 minutes on 2 CPU cores, lift held-out accuracy
    (sampled as training samples, its last number read) by at least 0.05 on seed 0: half the
    smallest rise the recording holds, for a CPU that computes a little differently."""
    before, after = real_run.module.before[0], real_run.module.after[0]
    assert 0.1 <= before <= 0.5  # sometimes right: GRPO has something to reinforce
    assert after - before >= 0.05


def test_on_smollm2_the_recording_rose_on_every_seed_by_at_least_0_1():
    """The page: "it rose on every seed, by at least 0.1"."""
    results = stored_data()["results"]
    before = results["smollm2_r1_zero_accuracy_before"]["values"]
    after = results["smollm2_r1_zero_accuracy"]["values"]
    assert all(round(a - b, 6) >= 0.1 for a, b in zip(after, before, strict=True))


@pytest.mark.real_model
def test_on_smollm2_the_tags_never_appear(real_run):
    """The page: the real model writes no <think>/<answer> tags, before or after."""
    assert real_run.module.before[1] == 0.0 and real_run.module.after[1] == 0.0


@pytest.mark.real_model
def test_on_smollm2_the_recipe_trains_on_the_number_reward_only(real_run):
    trainer = real_run.module.trainer
    assert [f.__name__ for f in trainer.reward_funcs] == ["number_reward"]
    assert trainer.state.global_step == 10
    logged = [log for log in trainer.state.log_history if "reward" in log]
    assert len(logged) == 10  # every step, for the plot


@pytest.mark.real_model
def test_on_smollm2_the_trained_model_is_saved_for_the_distillation_page(real_run):
    # Relative to the folder it ran in, where the distillation runs that follow it look.
    output = real_run.workdir / real_run.module.config.output_dir
    assert output.name == "r1-zero-SmolLM2-135M-Instruct"
    assert (output / "model.safetensors").is_file()
    assert (output / "tokenizer.json").is_file()


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_seed_0(real_run):
    assert_seed0_is_this_run("smollm2_r1_zero", real_run.namespace)


@pytest.mark.gpu
def test_on_a_gpu_the_run_trains_on_cuda_in_bf16(run):
    import torch

    trainer = run.module.trainer
    assert trainer.model.device.type == "cuda"
    assert trainer.args.bf16 and torch.cuda.is_bf16_supported()  # TRL's default dtype


# Run under `accelerate launch` by the test below: the snippet as __main__ with the arguments
# after this file's path, then each process's final weights as a hash, with the initial ones'.
LAUNCHED = """\
import hashlib, json, os, runpy, sys

from transformers import AutoModelForCausalLM


def digest(model):
    hashed = hashlib.sha256()
    for name, tensor in sorted(model.state_dict().items()):
        hashed.update(name.encode())
        hashed.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return hashed.hexdigest()


sys.argv = sys.argv[1:]
run = runpy.run_path(sys.argv[0], run_name="__main__")
trainer, rank = run["trainer"], os.environ["RANK"]
initial = AutoModelForCausalLM.from_pretrained(run["recipe"].model_name_or_path)
with open(f"rank{rank}.json", "w") as out:
    json.dump(
        {
            "processes": trainer.accelerator.num_processes,
            "steps": trainer.state.global_step,
            "trained": digest(trainer.model),
            "initial": digest(initial),
        },
        out,
    )
"""


@pytest.mark.slow
def test_accelerate_launches_the_run_on_two_cpu_processes_that_train_one_model(
    tmp_path, tiny_model
):
    """`accelerate launch --multi_gpu --num_processes 2` runs on a CPU (gloo); each process
    ends with the same weights, and they moved. 3 steps of the tiny recipe, from the command line."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import time
    from pathlib import Path

    from support.harness import ROOT

    for folder in ("recipes", "snippets"):  # the reader's repository root
        (tmp_path / folder).symlink_to(ROOT / folder)
    (tmp_path / "launched.py").write_text(LAUNCHED)
    with socket.socket() as free:  # a port no other run on this machine holds
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    accelerate = Path(sys.executable).with_name("accelerate")
    command = [
        str(accelerate),
        "launch",
        "--multi_gpu",  # not --cpu: with several processes that one wants MPI
        "--num_processes",
        "2",
        "--num_machines",
        "1",
        "--mixed_precision",
        "no",
        "--dynamo_backend",
        "no",
        "--main_process_port",
        str(port),
        "launched.py",
        "snippets/grpo/r1_zero.py",
        "--max_steps",
        "3",
    ]
    env = dict(
        os.environ,
        OMP_NUM_THREADS="1",  # two processes on two cores
        COURSE_MODEL=str(tiny_model("arithmetic")),
        CUDA_VISIBLE_DEVICES="",
    )
    start = time.perf_counter()
    result = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    seconds = time.perf_counter() - start
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    ranks = [json.loads((tmp_path / f"rank{r}.json").read_text()) for r in (0, 1)]
    assert [r["processes"] for r in ranks] == [2, 2]
    assert [r["steps"] for r in ranks] == [3, 3]  # --max_steps beat the recipe's 40
    assert ranks[0]["trained"] == ranks[1]["trained"]  # one model, kept in step
    assert ranks[0]["initial"] == ranks[1]["initial"] != ranks[0]["trained"]
    print(f"2 processes, 3 steps: {seconds:.0f} s")


@pytest.mark.slow
def test_the_recording_stores_this_runs_seed_0_figures_and_curves(run):
    """docs/generated/runs.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("r1_zero", run.namespace)
