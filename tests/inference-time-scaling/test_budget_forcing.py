"""snippets/inference-time-scaling/budget_forcing.py: s1's cap and "Wait" extension, counted in tokens."""

import pytest
from support.spread import assert_seed0_is_this_run

from reasoning_course.arithmetic import final_answer, prompt_of

SNIPPET = "inference-time-scaling/budget_forcing.py"
MODEL = "teacher"  # it always thinks before it answers


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
    completion, count = run.module.generate_with_budget(
        run.module.model, tokenizer, prompt_of(5, 7), max_thinking=1
    )
    assert count == 1 == thinking_tokens(tokenizer, completion)


@pytest.mark.slow
def test_a_cap_of_zero_forces_the_answer_at_once(run):
    """No room to think: </think> is written for the model before it writes anything."""
    tokenizer = run.module.tokenizer
    completion, count = run.module.generate_with_budget(
        run.module.model, tokenizer, prompt_of(5, 7), max_thinking=0, waits=2
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
    lines = run.stdout.splitlines()
    assert lines[0].endswith("right 20/20")
    for line in lines[1:5]:
        right = int(line.rsplit("right ", 1)[1].split("/")[0])
        assert right <= 5, line


@pytest.mark.slow
def test_the_seed_spread_stores_this_runs_seed_0_figures(run):
    """docs/generated/seed_spread.yml's seed 0, which the pages quote and plot, is this very run."""
    assert_seed0_is_this_run("budget_forcing", run.namespace)
