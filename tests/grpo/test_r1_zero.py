"""snippets/grpo/r1_zero.py: the rule-based rewards, and an R1-Zero-style GRPO run on CPU."""

import pytest
from support.harness import assert_output_matches, run_snippet

SNIPPET = "grpo/r1_zero.py"


@pytest.fixture(scope="module")
def snippet():
    """The reward functions and helpers, without the training run under __main__."""
    return run_snippet(SNIPPET, as_main=False)


@pytest.fixture(scope="module")
def run():
    """The whole script, training included, on the tiny pre-trained arithmetic model."""
    return run_snippet(SNIPPET, model="arithmetic")


def test_the_reward_demo_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


# (completion, format reward, accuracy reward against the reference answer "7")
CASES = {
    "well formed, right": ("<think>3+4=7</think><answer>7</answer>", 1.0, 1.0),
    "well formed, wrong": ("<think>3+4=8</think><answer>8</answer>", 1.0, 0.0),
    "whitespace around blocks": (
        "\n<think> 3+4=7 </think>\n<answer> 7 </answer>\n",
        1.0,
        1.0,
    ),
    "multi-line thinking": ("<think>3+4\nis 7\n</think><answer>7</answer>", 1.0, 1.0),
    "empty completion": ("", 0.0, 0.0),
    "empty blocks": ("<think></think><answer></answer>", 1.0, 0.0),
    "no think block": ("<answer>7</answer>", 0.0, 0.0),
    "no answer block": ("<think>3+4=7</think>", 0.0, 0.0),
    "answer outside the tags": ("<think>3+4=7</think> The answer is 7.", 0.0, 0.0),
    "blocks in the wrong order": ("<answer>7</answer><think>3+4=7</think>", 0.0, 0.0),
    "text after the answer": ("<think>3+4=7</think><answer>7</answer> Done.", 0.0, 0.0),
    "text before the thinking": (
        "Sure! <think>3+4=7</think><answer>7</answer>",
        0.0,
        0.0,
    ),
    "unclosed think": ("<think>3+4=7<answer>7</answer>", 0.0, 0.0),
    "unclosed answer": ("<think>3+4=7</think><answer>7", 0.0, 0.0),
    "nested think": ("<think>a<think>b</think>c</think><answer>7</answer>", 0.0, 0.0),
    "tag inside the answer": ("<think>x</think><answer><think>7</answer>", 0.0, 0.0),
    "repeated answer": (
        "<think>x</think><answer>7</answer><answer>7</answer>",
        0.0,
        0.0,
    ),
    "repeated pairs": ("<think>x</think><answer>8</answer>" * 2, 0.0, 0.0),
    "degenerate tag soup": (
        "<think></think><answer>1</think><answer></answer></answer>",
        0.0,
        0.0,
    ),
    "right answer in other words": ("<think>x</think><answer>seven</answer>", 1.0, 0.0),
    "answer with a wrong suffix": ("<think>x</think><answer>70</answer>", 1.0, 0.0),
    "very long thinking": (
        "<think>" + "3+4=7, " * 20_000 + "</think><answer>7</answer>",
        1.0,
        1.0,
    ),
    "very long garbage": ("<think>" * 20_000, 0.0, 0.0),
}


@pytest.mark.parametrize(
    "text, want_format, want_accuracy", CASES.values(), ids=CASES.keys()
)
def test_each_completion_gets_the_right_score(
    snippet, text, want_format, want_accuracy
):
    format_reward = snippet.namespace["format_reward"]
    accuracy_reward = snippet.namespace["accuracy_reward"]
    for completion in (
        text,
        [{"role": "assistant", "content": text}],
    ):  # text and chat forms
        assert format_reward([completion]) == [want_format]
        assert accuracy_reward([completion], answer=[7]) == [want_accuracy]
        assert accuracy_reward([completion], answer=["7"]) == [want_accuracy]


def test_scores_a_whole_batch_in_order(snippet):
    texts = [case[0] for case in CASES.values()]
    assert snippet.namespace["format_reward"](texts) == [c[1] for c in CASES.values()]
    assert snippet.namespace["accuracy_reward"](texts, answer=[7] * len(texts)) == [
        c[2] for c in CASES.values()
    ]


def test_accuracy_needs_one_reference_per_completion(snippet):
    with pytest.raises(ValueError):
        snippet.namespace["accuracy_reward"](
            ["<think>x</think><answer>7</answer>"], answer=[]
        )


def test_the_toy_task_holds_out_a_fifth_of_the_problems(snippet):
    train, held_out = (
        snippet.namespace["train_problems"],
        snippet.namespace["held_out_problems"],
    )
    assert len(train) == 80 and len(held_out) == 20 and not set(train) & set(held_out)


@pytest.mark.slow
def test_rl_alone_lifts_held_out_accuracy_by_at_least_0_2(run):
    accuracy_before, format_before, _ = run.namespace["before"]
    accuracy_after, format_after, _ = run.namespace["after"]
    assert (
        0.1 <= accuracy_before <= 0.5
    )  # the base is sometimes right, which GRPO needs
    assert accuracy_after - accuracy_before >= 0.2
    assert accuracy_after >= 0.6  # the page: "from about 0.3 to about 0.8"


@pytest.mark.slow
def test_rl_alone_raises_the_format_reward(run):
    _, format_before, _ = run.namespace["before"]
    _, format_after, _ = run.namespace["after"]
    assert format_after - format_before >= 0.15
    assert format_after >= 0.9


@pytest.mark.slow
def test_the_rewards_logged_during_training_rise(run):
    history = [
        log for log in run.namespace["trainer"].state.log_history if "reward" in log
    ]
    first, last = history[0], history[-1]
    for name in ("format_reward", "accuracy_reward"):
        assert last[f"rewards/{name}/mean"] > first[f"rewards/{name}/mean"], name
    assert run.namespace["trainer"].state.global_step == 40


@pytest.mark.slow
def test_the_run_prints_its_before_and_after(run):
    lines = run.stdout.splitlines()
    before, after = run.namespace["before"], run.namespace["after"]
    assert f"held-out accuracy: {before[0]:.2f} -> {after[0]:.2f}" in lines
    assert f"held-out format:   {before[1]:.2f} -> {after[1]:.2f}" in lines


@pytest.mark.gpu
def test_on_a_gpu_the_run_trains_on_cuda_in_bf16(run):
    import torch

    trainer = run.namespace["trainer"]
    assert trainer.model.device.type == "cuda"
    assert trainer.args.bf16 and torch.cuda.is_bf16_supported()  # TRL's default dtype
