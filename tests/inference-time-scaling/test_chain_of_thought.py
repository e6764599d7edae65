"""snippets/inference-time-scaling/chain_of_thought.py: the prompt, and a parser that never raises."""

import pytest
from support.harness import assert_output_matches
from support.recorded import assert_seed0_is_this_run

SNIPPET = "inference-time-scaling/chain_of_thought.py"


def test_the_parse_demo_prints_the_output_shown_on_the_page(snippet):
    assert_output_matches(snippet)


# text -> (thinking, answer), as the parser's docstring and the page document them
CASES = {
    "well formed": ("<think>3+4=7</think><answer>7</answer>", "3+4=7", "7"),
    "whitespace inside the tags": (
        "<think>\n3+4=7\n</think><answer> 7 </answer>",
        "3+4=7",
        "7",
    ),
    "missing close tag, then an answer": (
        "<think>3+4=7<answer>7</answer>",
        "3+4=7",
        "7",
    ),
    "missing close tag, cut off": ("<think>3+4=", "3+4=", None),
    "no think block": ("<answer>7</answer>", None, "7"),
    "no tags at all": ("The answer is 7.", None, None),
    "several answers: the last counts": (
        "<think>x</think><answer>8</answer><answer>7</answer>",
        "x",
        "7",
    ),
    "unclosed answer is no answer": ("<think>x</think><answer>7", "x", None),
    "empty": ("", None, None),
    "empty blocks": ("<think></think><answer></answer>", "", ""),
    "stray close tags": ("</think></answer>", None, None),
    "tag soup: garbage in, garbage out, no exception": (
        "<answer><think></answer></think>",
        "</answer>",
        "<think>",
    ),
}


@pytest.mark.parametrize("text, thinking, answer", CASES.values(), ids=CASES.keys())
def test_each_case_gets_the_documented_result_and_never_raises(
    snippet, text, thinking, answer
):
    result = snippet.module.parse_reasoning(text)
    assert (result.thinking, result.answer) == (thinking, answer)


def test_the_parser_survives_long_and_odd_input(snippet):
    parse = snippet.module.parse_reasoning
    for text in ["<think>" * 20_000, "<answer>" * 20_000 + "</answer>", "\x00<think>"]:
        parse(text)  # returns, whatever it returns


def test_the_prompt_goes_through_the_chat_template_with_the_instruction(run):
    prompt = run.module.prompt
    assert prompt.startswith("<|im_start|>user\nWhat is 3+4? Think step by step.")
    assert run.module.INSTRUCTION in prompt
    assert prompt.endswith("<|im_start|>assistant\n")  # the model's turn is open


def test_the_run_prints_the_parts_the_parser_found(run):
    completion = run.module.completion
    parsed = run.module.parse_reasoning(completion)
    assert run.module.reasoning == parsed
    lines = run.stdout.splitlines()
    assert f"completion: {completion!r}" in lines
    assert f"thinking:   {parsed.thinking!r}" in lines
    assert f"answer:     {parsed.answer!r}" in lines


def test_on_the_tiny_teacher_the_instruction_backfires(run):
    """The page: asked directly it answers in its tags; the instruction, a prompt it never
    saw in training, leaves it with no answer it can give."""
    assert run.module.right["direct"] >= 18
    assert run.module.right["chain of thought"] <= 2


def test_the_recording_stores_this_runs_figures(run):
    assert_seed0_is_this_run("chain_of_thought", run.namespace)


# --- on a real model: SmolLM2-135M-Instruct --------------------------------------------------


@pytest.mark.real_model
def test_on_smollm2_the_instruction_is_not_followed_and_costs_accuracy(real_run):
    """The page: the 135M model writes no tags when asked, and answers fewer held-out sums
    with the instruction than without: the CoT paper saw its gains only in large models."""
    assert real_run.module.reasoning.thinking is None
    assert "<think>" not in real_run.module.completion
    right = real_run.module.right
    assert right["chain of thought"] < right["direct"]


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_figures(real_run):
    assert_seed0_is_this_run("smollm2_chain_of_thought", real_run.namespace)
