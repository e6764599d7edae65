"""snippets/inference-time-scaling/budget_forcing.py: s1's cap and "Wait" extension, counted in tokens."""

import pytest
from support import claims
from support.recorded import assert_seed0_is_this_run

from reasoning_course.arithmetic import final_answer, prompt_of

SNIPPET = "inference-time-scaling/budget_forcing.py"


def thinking_tokens(tokenizer, completion):
    """Token count between <think> and the first </think>, from the completion's own text."""
    ids = tokenizer.encode(completion, add_special_tokens=False)
    open_id, close_id = tokenizer.convert_tokens_to_ids(["<think>", "</think>"])
    assert ids[0] == open_id and close_id in ids, completion
    return ids.index(close_id) - 1


@pytest.mark.slow
def test_the_count_is_of_tokens_between_the_tags(run):
    tokenizer = run.module.tokenizer
    for runs in run.module.results.values():
        for completion, count in runs:
            assert thinking_tokens(tokenizer, completion) == count, completion


@pytest.mark.slow
@pytest.mark.parametrize("cap", [2, 4])
def test_capped_thinking_never_holds_more_than_n_tokens(run, cap):
    free = [n for _, n in run.module.results["free"]]
    capped = [n for _, n in run.module.results[f"capped at {cap}"]]
    assert max(capped) <= cap
    assert all(f > cap for f in free)  # so the cap really cut every trace short


@pytest.mark.slow
def test_a_cap_of_one_token_holds_too(run):
    tokenizer = run.module.tokenizer
    [(completion, count)] = run.module.generate_with_budget(
        run.module.model, tokenizer, [prompt_of(5, 7)], max_thinking=1
    )
    assert count == 1 == thinking_tokens(tokenizer, completion)


@pytest.mark.slow
def test_a_cap_of_zero_forces_the_answer_at_once(run):
    """No room to think: </think> is written for the model before it writes anything."""
    tokenizer = run.module.tokenizer
    [(completion, count)] = run.module.generate_with_budget(
        run.module.model, tokenizer, [prompt_of(5, 7)], max_thinking=0, waits=2
    )
    assert count == 0 == thinking_tokens(tokenizer, completion)
    assert completion.startswith("<think></think><answer>"), completion
    assert final_answer(completion) is not None


@pytest.mark.slow
def test_waits_make_the_thinking_longer_every_time(run):
    results = run.module.results
    lengths = [[n for _, n in results[name]] for name in ("free", "1 Wait", "2 Waits")]
    for free, one, two in zip(*lengths, strict=True):
        assert free < one < two


@pytest.mark.slow
def test_the_answer_is_still_parsed_whatever_the_budget(run):
    for name, runs in run.module.results.items():
        assert all(final_answer(c) is not None for c, _ in runs), name


@pytest.mark.slow
def test_free_thinking_solves_the_sums_and_forcing_costs_accuracy(run):
    """What the page reports for the toy teacher: it needs its whole short trace."""
    lines = run.stdout.splitlines()[:5]  # free, capped at 2 and 4, 1 and 2 Waits
    claims.forcing_costs_the_toy_its_sums(
        [int(line.rsplit("right ", 1)[1].split("/")[0]) for line in lines]
    )


@pytest.mark.slow
def test_the_recording_stores_this_runs_seed_0_figures(run):
    """docs/generated/runs.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("budget_forcing", run.namespace)


# --- on a real model: SmolLM2-135M-Instruct --------------------------------------------------


def right_answers(run, setting):
    runs, check = run.module.results[setting], run.module.recipe.answer_check
    return sum(
        run.module.answer_of(c, check) == str(a + b)
        for (c, _), (a, b) in zip(runs, run.module.HELD_OUT_PROBLEMS, strict=True)
    )


@pytest.mark.real_model
def test_on_smollm2_the_caps_hold_in_its_own_tokens(real_run):
    """Its tags are several tokens each: the count is of the thinking's own tokens."""
    tokenizer = real_run.module.tokenizer
    assert len(tokenizer.encode("</think>", add_special_tokens=False)) > 1
    for cap in (2, 4):
        for completion, count in real_run.module.results[f"capped at {cap}"]:
            assert count <= cap
            thinking = completion.split("<think>", 1)[1].split("</think>", 1)[0]
            assert len(tokenizer.encode(thinking, add_special_tokens=False)) == count


@pytest.mark.real_model
def test_on_smollm2_every_completion_has_its_forced_answer_block(real_run):
    for name, runs in real_run.module.results.items():
        for completion, _ in runs:
            assert completion.startswith("<think>") and completion.endswith("</answer>")
            assert final_answer(completion) is not None, (name, completion)


@pytest.mark.real_model
def test_on_smollm2_a_cap_of_2_costs_accuracy_and_wait_buys_none(real_run):
    """The page: cut to 2 tokens of thinking it answers worse; sent back with "Wait" it
    answers no better than unforced: it was never trained to use the extra tokens."""
    free = right_answers(real_run, "free")
    assert right_answers(real_run, "capped at 2") < free
    # It seldom stops thinking on its own: unforced, it fills nearly all of its budget.
    lengths = [n for _, n in real_run.module.results["free"]]
    assert sum(lengths) / len(lengths) >= 0.9 * real_run.module.recipe.max_new_tokens
    for waits in ("1 Wait", "2 Waits"):
        assert right_answers(real_run, waits) <= free


@pytest.mark.real_model
def test_the_recording_stores_this_smollm2_runs_seed_0(real_run):
    assert_seed0_is_this_run("smollm2_budget_forcing", real_run.namespace)
