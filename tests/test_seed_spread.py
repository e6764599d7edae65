"""docs/generated/seed_spread.yml: every result the example pages state, over at least 5 seeds.

`python scripts/seed_spread.py` measures the spread (minutes: it retrains each example once per
seed); a nightly GPU lane could run it too. These tests never train. They check that the stored
spread is current (the files that determined each result are unchanged since), that what a page
shows on one seed lies inside the stored range, that it covers at least 5 seeds of the models the
suite uses, and that the pages insert the spread instead of typing it. The checking functions are
also tried on planted data: a stale hash, a file missing from the record, a value out of range.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import re
from pathlib import Path

import pytest
from support.content import hook
from support.harness import ROOT
from support.spread import seed_spread_script as script

DATA = ROOT / "docs" / "generated" / "seed_spread.yml"
SHOWN_AS = "docs/generated/seed_spread.yml"
COMMAND = "python scripts/seed_spread.py"
MIN_SEEDS = 5

# Where a result's value for one seed is printed: the run's output line, as a snippet prints it.
# A page that includes that line from snippets/<topic>/<name>.output.txt shows it, and the suite
# checks that file against its own run (assert_output_matches), so it is the suite's value too.
PRINTED = {
    "r1_zero_accuracy": ("grpo/r1_zero", r"held-out accuracy: \S+ -> (\S+)"),
    "r1_zero_format": ("grpo/r1_zero", r"held-out format: +\S+ -> (\S+)"),
    "trace_accuracy": (
        "distillation/trace_distillation",
        r"held-out accuracy: \S+ -> (\S+)",
    ),
    "trace_format": (
        "distillation/trace_distillation",
        r"held-out format: +\S+ -> (\S+)",
    ),
    "logit_kl_after": (
        "distillation/logit_distillation",
        r"held-out KL\(teacher \|\| student\): \S+ -> (\S+) nats/token",
    ),
    "logit_fall": ("distillation/logit_distillation", r"fall: (\S+)"),
    "vs_rl_sft_accuracy": (
        "distillation/distillation_vs_rl",
        r"SFT on teacher traces: +(\S+)",
    ),
    "vs_rl_grpo_accuracy": (
        "distillation/distillation_vs_rl",
        r"GRPO from the student: +(\S+)",
    ),
    **{
        f"self_consistency_k{k}_{kind}": (
            "inference-time-scaling/self_consistency",
            rf"k={k:2}: single sample (\S+), majority of {k} (\S+)",
            group,
        )
        for k in (1, 4, 16)
        for group, kind in ((1, "single"), (2, "majority"))
    },
    **{
        f"budget_{key}_{kind}": (
            "inference-time-scaling/budget_forcing",
            re.escape(f"{setting:12}")
            + r" thinking tokens: mean +(\S+), max +\S+; right (\d+)/\d+",
            group,
        )
        for key, setting in {
            "free": "free",
            "cap2": "capped at 2",
            "cap4": "capped at 4",
            "wait1": "1 Wait",
            "wait2": "2 Waits",
        }.items()
        for group, kind in ((1, "tokens"), (2, "right"))
    },
}

# What each page inserts from the spread, per result: the median and range, or for a result no
# seed reaches (greedy decoding), its one value and how many seeds gave it.
RANGE = ("median", "min", "max", "n")
SAME_ON_EVERY_SEED = ("seed0", "n")
PLACED = {
    "docs/examples/grpo-training.md": {
        "r1_zero_accuracy": ("seed0", *RANGE),
        "r1_zero_format": ("median", "min", "max"),
    },
    "docs/examples/distillation.md": {
        "trace_accuracy": ("seed0", *RANGE),
        "logit_fall": ("seed0", *RANGE),
        "vs_rl_sft_accuracy": ("seed0", *RANGE),
        "vs_rl_grpo_accuracy": ("max", "n"),
    },
    "docs/examples/inference-time-scaling.md": {
        "self_consistency_k16_single": ("median", "n"),
        # The page states the number of sampling seeds once, with the k = 16 accuracy.
        "self_consistency_k1_single": ("seed0", "median", "min", "max"),
        "self_consistency_k16_majority": ("seed0", "median", "min", "max"),
        "budget_free_tokens": SAME_ON_EVERY_SEED,
        "budget_wait2_tokens": ("seed0",),
        "budget_cap2_right": ("seed0",),
        "budget_cap4_right": ("seed0",),
        "budget_free_right": ("seed0",),
    },
}


def stored():
    return hook("course_figures").load_yaml(DATA, SHOWN_AS)


# --- the checking functions -------------------------------------------------------------------


def stale_files(data, root: Path = ROOT) -> list[str]:
    """Files that determine a stored result and changed since it was measured, each with why."""
    stale = set()
    for run in data["runs"].values():
        recorded = run["files"]
        for name, digest in recorded.items():
            path = root / name
            if not path.is_file():
                stale.add(f"{name} (deleted)")
            elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                stale.add(name)
        snippet = run["snippet"].removeprefix("snippets/")
        for path in script().determining_files(snippet):
            name = path.relative_to(ROOT).as_posix()
            if name not in recorded:
                stale.add(f"{name} (now imported by {run['snippet']}, not recorded)")
    return sorted(stale)


def staleness_message(stale: list[str]) -> str:
    return (
        f"{SHOWN_AS} is stale: these files changed since the spread was measured:\n  "
        + "\n  ".join(stale)
        + f"\nRerun `{COMMAND}` (several minutes) and commit {SHOWN_AS}."
    )


def as_shown(value: float, spec: str) -> float:
    """``value`` as a page shows it (rounded by ``spec``), read back as a number."""
    text = format(value, spec)
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def outside_range(name: str, value: float, result, where: str) -> str | None:
    """Why ``value``, shown for ``name`` at ``where``, does not lie in the stored range; else None."""
    low = as_shown(result["min"], result["format"])
    high = as_shown(result["max"], result["format"])
    if low <= value <= high:
        return None
    return (
        f"{where}: {name} = {value:g} lies outside its spread over seeds"
        f" {result['seeds']} ({low:g} to {high:g}, {SHOWN_AS}). Rerun `{COMMAND}`."
    )


def shown_on_one_seed(name: str, result, root: Path = ROOT) -> list[tuple[str, float]]:
    """Each single-seed value of ``name`` a page can show, with where it comes from.

    The line the snippet printed, where its .output.txt holds it; and the seed-0 value the pages
    insert as ``{{ spread.<name>_seed0 }}``.
    """
    found = [
        (
            f"{{{{ spread.{name}_seed0 }}}}",
            as_shown(result["values"][result["seeds"].index(0)], result["format"]),
        )
    ]
    stem, pattern, *group = PRINTED[name]
    output = root / "snippets" / f"{stem}.output.txt"
    if output.is_file():
        lines = output.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if match := re.fullmatch(pattern, line):
                text = match.group(group[0] if group else 1)
                value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
                found.append((f"snippets/{stem}.output.txt:{number}", value))
    return found


# --- the real spread --------------------------------------------------------------------------


def test_the_stored_spread_is_current():
    stale = stale_files(stored())
    assert not stale, staleness_message(stale)


def test_the_data_file_is_well_formed():
    assert hook("course_figures").spread_problems(stored(), SHOWN_AS) == []


def test_every_result_the_script_measures_is_stored_over_at_least_5_seeds():
    results = stored()["results"]
    measured = {name for run in script().RUNS.values() for name in run.results}
    assert set(results) == measured
    assert set(PRINTED) == measured
    for name, result in results.items():
        assert result["n"] >= MIN_SEEDS, name
        assert set(range(MIN_SEEDS)) <= set(result["seeds"]), name


def test_what_a_page_shows_on_one_seed_lies_inside_the_stored_range():
    problems = [
        outside_range(name, value, result, where)
        for name, result in stored()["results"].items()
        for where, value in shown_on_one_seed(name, result)
    ]
    assert not any(problems), "\n".join(filter(None, problems))


def test_where_no_seed_reaches_every_seed_gives_the_same_figures():
    """The page says so of budget forcing (greedy decoding); unseeded randomness would break it."""
    data = stored()
    for name, result in data["results"].items():
        if data["runs"][result["run"]]["seed_reaches"].startswith("nothing"):
            assert result["min"] == result["max"], name


def suite_models(snippet: str) -> tuple[str | None, str | None]:
    """The tiny model and teacher the suite runs ``snippet`` on, read from its tests' source."""
    topic, stem = snippet.split("/")
    found: dict[str, str] = {}
    for path in (
        ROOT / "tests" / topic / f"test_{stem}.py",
        ROOT / "tests" / topic / "conftest.py",
    ):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            pairs = []
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "run_snippet"
            ):
                pairs = [(k.arg, k.value) for k in node.keywords]
            elif isinstance(node, ast.Assign) and len(node.targets) == 1:
                pairs = [(getattr(node.targets[0], "id", "").lower(), node.value)]
            for key, value in pairs:
                if key in ("model", "teacher") and isinstance(value, ast.Constant):
                    found.setdefault(key, value.value)
    return found.get("model"), found.get("teacher")


def test_the_spread_was_measured_on_the_models_the_suite_uses():
    for name, run in stored()["runs"].items():
        snippet = run["snippet"].removeprefix("snippets/").removesuffix(".py")
        assert (run["model"], run["teacher"]) == suite_models(snippet), name


def test_the_pages_insert_the_spread_next_to_the_single_seed_figure():
    from support.content import page_source

    missing = [
        f"{page}: insert {{{{ spread.{name}_{key} }}}}"
        for page, results in PLACED.items()
        for name, keys in results.items()
        for key in keys
        if f"{{{{ spread.{name}_{key} }}}}"
        not in page_source(page.removeprefix("docs/"))
    ]
    assert not missing, "\n".join(missing)


# --- the checks catch what they are for -------------------------------------------------------


def test_a_changed_file_is_named_with_the_command_that_refreshes_the_spread():
    data = copy.deepcopy(stored())
    data["runs"]["r1_zero"]["files"]["snippets/grpo/r1_zero.py"] = "0" * 64
    stale = stale_files(data)
    assert stale == ["snippets/grpo/r1_zero.py"]
    message = staleness_message(stale)
    assert "snippets/grpo/r1_zero.py" in message and f"`{COMMAND}`" in message


def test_a_deleted_file_and_a_newly_imported_one_are_stale():
    data = copy.deepcopy(stored())
    files = data["runs"]["self_consistency"]["files"]
    del files["src/reasoning_course/sampling.py"]
    files["src/reasoning_course/gone.py"] = "0" * 64
    assert stale_files(data) == [
        "src/reasoning_course/gone.py (deleted)",
        "src/reasoning_course/sampling.py (now imported by"
        " snippets/inference-time-scaling/self_consistency.py, not recorded)",
    ]


def test_on_a_cpu_that_computes_differently_the_seed_0_check_says_why_it_cannot_apply(
    monkeypatch,
):
    import support.spread
    import torch

    if torch.cuda.is_available():
        pytest.skip("on a GPU the check stops at the device, before the fingerprint")
    data = copy.deepcopy(stored())
    data["measured_on"]["numerics"] = "0" * 16
    monkeypatch.setattr(support.spread, "stored_data", lambda: data)
    with pytest.raises(pytest.skip.Exception) as skipped:
        support.spread.assert_seed0_is_this_run("r1_zero", namespace={})
    message = str(skipped.value)
    assert (
        f"fingerprint {'0' * 16} there, {support.spread.fingerprint_here()} here"
        in message
    )
    assert f"`{COMMAND}` measures it on this machine" in message


PLANTED = {"min": 0.74, "max": 0.8375, "format": ".2f", "seeds": [0, 1, 2, 3, 4]}


@pytest.mark.parametrize("value", [0.74, 0.81, 0.84])  # 0.8375 is shown as 0.84
def test_a_value_inside_the_range_as_shown_passes(value):
    assert outside_range("r1_zero_accuracy", value, PLANTED, "x") is None


@pytest.mark.parametrize("value", [0.73, 0.85])
def test_a_value_outside_the_range_is_caught(value):
    message = outside_range("r1_zero_accuracy", value, PLANTED, "page.md:3")
    assert message.startswith(f"page.md:3: r1_zero_accuracy = {value:g} lies outside")
    assert f"`{COMMAND}`" in message


def test_a_printed_line_out_of_range_is_caught_at_its_line(tmp_path):
    output = tmp_path / "snippets" / "grpo" / "r1_zero.output.txt"
    output.parent.mkdir(parents=True)
    output.write_text(
        "format:   [1.0]\nheld-out accuracy: 0.29 -> 0.99\nheld-out format:   0.50 -> 0.97\n"
    )
    result = {**PLANTED, "values": [0.8, 0.74, 0.76, 0.78, 0.8375], "median": 0.78}
    shown = shown_on_one_seed("r1_zero_accuracy", result, root=tmp_path)
    assert shown == [
        ("{{ spread.r1_zero_accuracy_seed0 }}", 0.8),
        ("snippets/grpo/r1_zero.output.txt:2", 0.99),
    ]
    problems = [outside_range("r1_zero_accuracy", v, result, w) for w, v in shown]
    assert problems[0] is None
    assert problems[1].startswith(
        "snippets/grpo/r1_zero.output.txt:2: r1_zero_accuracy"
    )


def test_every_printed_pattern_reads_the_line_its_snippet_prints():
    """The patterns above match lines as the snippets' f-strings print them."""
    lines = {
        "r1_zero_accuracy": "held-out accuracy: 0.29 -> 0.84",
        "r1_zero_format": "held-out format:   0.50 -> 0.97",
        "logit_kl_after": "held-out KL(teacher || student): 8.30 -> 1.70 nats/token",
        "logit_fall": "fall: 80%",
        "vs_rl_sft_accuracy": "SFT on teacher traces:      0.20",
        "self_consistency_k16_majority": "k=16: single sample 0.29, majority of 16 1.00",
        "budget_cap2_right": "capped at 2  thinking tokens: mean  2.0, max  2; right 0/20",
    }
    for name, line in lines.items():
        _, pattern, *group = PRINTED[name]
        assert re.fullmatch(pattern, line), name


# --- the figures hook reads the file ----------------------------------------------------------


def planted_copy(tmp_path, result: str, key: str, new_line: str) -> tuple[Path, int]:
    """A copy of the data file with ``result``'s ``key`` line replaced; and that line's number."""
    lines = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  {result}:\n")
    number = next(
        i for i in range(start, len(lines)) if lines[i].startswith(f"    {key}:")
    )
    lines[number] = new_line
    path = tmp_path / "seed_spread.yml"
    path.write_text("".join(lines), encoding="utf-8")
    return path, number + 1


def test_the_hook_turns_each_result_into_figures():
    figures = hook("course_figures").load_spread(DATA, SHOWN_AS)
    for name, result in stored()["results"].items():
        spec = result["format"]
        zero = result["values"][result["seeds"].index(0)]
        assert figures[f"spread.{name}_seed0"] == format(zero, spec)
        for key in ("median", "min", "max"):
            assert figures[f"spread.{name}_{key}"] == format(result[key], spec)
        assert figures[f"spread.{name}_n"] == str(len(result["values"]))


def test_a_hand_edited_median_stops_the_build_at_its_line(tmp_path):
    path, line = planted_copy(
        tmp_path, "r1_zero_accuracy", "median", "    median: 0.99\n"
    )
    figures = hook("course_figures")
    with pytest.raises(figures.CourseDataError) as caught:
        figures.load_spread(path, SHOWN_AS)
    assert str(caught.value).startswith(
        f"{SHOWN_AS}:{line}: result 'r1_zero_accuracy', median: 0.99, but the median of"
        " the values is"
    )
    assert f"`{COMMAND}`" in str(caught.value)


def test_values_without_a_seed_each_are_rejected_at_their_line(tmp_path):
    path, line = planted_copy(
        tmp_path, "trace_accuracy", "values", "    values: [0.5]\n"
    )
    figures = hook("course_figures")
    with pytest.raises(figures.CourseDataError) as caught:
        figures.load_spread(path, SHOWN_AS)
    assert str(caught.value) == (
        f"{SHOWN_AS}:{line}: result 'trace_accuracy', values: expected one number per seed"
        f" ({stored()['results']['trace_accuracy']['n']})"
    )
