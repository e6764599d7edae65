"""docs/generated/runs.yml: every result the example pages state, recorded over several seeds.

`python scripts/record.py` records them (about half an hour: it retrains each example on every
seed), in one canonical place, the `record` workflow. These tests never train. They check that
each recorded run is current (what determines it, code, recipe and model, is unchanged since; a
comment, docstring or reformatting changes nothing), that every result and curve the script
defines is recorded on its seeds, that a greedy run gives every seed the same figures, and that
the pages show each result's spread beside its single-seed figure. The checking functions are
also tried on planted data: a changed identity, a hand-edited median, values without seeds.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from support.content import DOCS, hook, pages
from support.recorded import COMMAND, DATA, record_script, stored_data

from reasoning_course.provenance import code_digest, data_digest

SHOWN_AS = "docs/generated/runs.yml"


def stored():
    return hook("course_figures").load_yaml(DATA, SHOWN_AS)


def stale_runs(data: dict) -> list[str]:
    """Each recorded run whose determinants changed since it was recorded, with what changed."""
    script, problems = record_script(), []
    for name in script.RUNS:
        recorded = data["runs"].get(name)
        if recorded is None:
            problems.append(f"{name}: not recorded")
            continue
        now = script.determined_by(name)
        then = recorded["determined_by"]
        changed = sorted(
            key for key in now.keys() | then.keys() if now.get(key) != then.get(key)
        )
        if changed or recorded["identity"] != script.identity(name):
            problems.append(
                f"{name}: changed since it was recorded: {', '.join(changed)}"
            )
    return problems


def staleness_message(problems: list[str]) -> str:
    return (
        f"{SHOWN_AS} is stale:\n  "
        + "\n  ".join(problems)
        + "\nThe `record` workflow (.github/workflows/record.yml) records the runs again"
        f" and opens a pull request; a maintainer dispatches it. `{COMMAND} --only NAME`"
        " shows the new figures on your machine."
    )


# --- the recording -----------------------------------------------------------------------------


def test_every_recorded_run_is_current():
    problems = stale_runs(stored())
    assert not problems, staleness_message(problems)


def test_the_data_file_is_well_formed():
    assert hook("course_figures").spread_problems(stored(), SHOWN_AS) == []


def test_every_result_and_curve_the_script_defines_is_recorded_on_its_seeds():
    data, runs = stored(), record_script().RUNS
    for name, run in runs.items():
        for result in run.results:
            assert data["results"][result]["seeds"] == list(range(run.seeds)), result
            assert data["results"][result]["run"] == name, result
        for curve in run.curves:
            assert data["curves"][curve]["seeds"] == list(range(run.seeds)), curve
    defined = {r for run in runs.values() for r in run.results}
    assert set(data["results"]) == defined
    assert set(data["curves"]) == {c for run in runs.values() for c in run.curves}


def test_the_real_model_is_recorded_on_at_least_3_seeds_and_the_tiny_ones_on_5():
    for name, run in record_script().RUNS.items():
        if run.seed_reaches.startswith("nothing"):
            continue  # no seed enters: one run is every run
        assert run.seeds >= (3 if run.model == "smollm2" else 5), name


def test_where_no_seed_reaches_every_seed_gives_the_same_figures():
    """The budget forcing page says so (greedy decoding); unseeded randomness would break it."""
    data = stored()
    for name, result in data["results"].items():
        if data["runs"][result["run"]]["seed_reaches"].startswith("nothing"):
            assert result["min"] == result["max"], name


PLACEHOLDER = re.compile(
    r"\{\{\s*spread\.([a-z0-9_]+?)_(seed0|median|min|max|n)\s*\}\}"
)


def shown_results() -> dict[str, dict[str, set[str]]]:
    """Per page, each recorded result it inserts, with the figures of it it inserts."""
    found: dict[str, dict[str, set[str]]] = {}
    for page in pages():
        text = page.read_text(encoding="utf-8")
        for name, key in PLACEHOLDER.findall(text):
            shown_as = page.relative_to(DOCS).as_posix()
            found.setdefault(shown_as, {}).setdefault(name, set()).add(key)
    return found


def test_a_page_that_shows_one_seed_shows_the_spread_beside_it():
    data, problems = stored(), []
    for page, results in shown_results().items():
        for name, keys in results.items():
            result = data["results"][name]
            # Where every seed gave the same figure (greedy decoding), seed 0's is all of them.
            if "seed0" in keys and result["min"] != result["max"]:
                if not {"median", "min", "max"} <= keys:
                    problems.append(
                        f"docs/{page}: shows {{{{ spread.{name}_seed0 }}}}; insert its"
                        f" _median, _min and _max too (over {result['n']} seeds)"
                    )
    assert not problems, "\n".join(problems)


def test_every_recorded_result_is_shown_on_a_page_or_in_a_plot():
    plots = Path(DATA).parent / "plots"
    drawn = set()
    for svg in plots.glob("*.svg"):
        keys = re.search(r'data-course-keys="([^"]*)"', svg.read_text(encoding="utf-8"))
        drawn |= {k.split(".", 1)[1] for k in keys[1].split()}
    shown = {name for results in shown_results().values() for name in results}
    missing = set(stored()["results"]) - shown - drawn
    assert not missing, f"recorded but never shown: {sorted(missing)}"


# --- the checks catch what they are for ---------------------------------------------------------


def test_a_comment_a_docstring_or_new_layout_leave_the_code_digest_alone(tmp_path):
    before, after = tmp_path / "before.py", tmp_path / "after.py"
    before.write_text('def f(x):\n    """Twice x."""\n    return x * 2  # double\n')
    after.write_text(
        '"""A module docstring."""\n\n\ndef f(\n    x,\n):\n'
        '    """Twice x, reworded."""\n    # a new comment\n    return (x * 2)\n'
    )
    assert code_digest(before) == code_digest(after)
    after.write_text('def f(x):\n    """Twice x."""\n    return x * 3  # double\n')
    assert code_digest(before) != code_digest(after)


def test_a_recipes_comments_leave_its_data_digest_alone(tmp_path):
    before, after = tmp_path / "before.yaml", tmp_path / "after.yaml"
    before.write_text("learning_rate: 1.0e-5  # why\nmax_steps: 10\n")
    after.write_text("# a new note\nmax_steps:   10\nlearning_rate: 1.0e-5\n")
    assert data_digest(before) == data_digest(after)
    after.write_text("learning_rate: 2.0e-5\nmax_steps: 10\n")
    assert data_digest(before) != data_digest(after)


def test_a_run_is_determined_by_its_code_recipe_models_and_the_run_it_follows():
    script = record_script()
    parts = script.determined_by("smollm2_trace_distillation")
    assert {
        "snippets/distillation/trace_distillation.py",
        "src/reasoning_course/arithmetic.py",
        "src/reasoning_course/sampling.py",
        "src/reasoning_course/recipes/__init__.py",
        "recipes/SmolLM2-135M-Instruct/distillation/trace_distillation.yaml",
        "model smollm2",
        "after smollm2_r1_zero",
    } <= set(parts)
    assert parts["after smollm2_r1_zero"] == script.identity("smollm2_r1_zero")
    tiny = script.determined_by("trace_distillation")
    assert (
        "src/reasoning_course/recipes/tiny/distillation/trace_distillation.yaml" in tiny
    )
    assert (
        tiny["teacher teacher"]
        == __import__("reasoning_course.tiny_models", fromlist=["RECIPES"])
        .RECIPES["teacher"]
        .key()
    )


def current(data: dict) -> dict:
    """A copy of the recording as if it had just been made from today's code."""
    data, script = copy.deepcopy(data), record_script()
    for name, run in data["runs"].items():
        run.update(
            determined_by=script.determined_by(name), identity=script.identity(name)
        )
    return data


def test_a_changed_determinant_is_named_with_the_way_to_record_again():
    data = current(stored())
    assert stale_runs(data) == []
    recorded = data["runs"]["r1_zero"]["determined_by"]
    recorded["snippets/grpo/r1_zero.py"] = "0" * 64
    problems = stale_runs(data)
    assert problems == [
        "r1_zero: changed since it was recorded: snippets/grpo/r1_zero.py"
    ]
    message = staleness_message(problems)
    assert "`record` workflow" in message and f"`{COMMAND} --only NAME`" in message


def test_on_a_cpu_that_computes_differently_the_seed_0_check_says_why_it_cannot_apply(
    monkeypatch,
):
    import support.recorded
    import torch

    if torch.cuda.is_available():
        pytest.skip("on a GPU the check stops at the device, before the fingerprint")
    data = copy.deepcopy(stored_data())
    data["measured_on"]["numerics"] = "0" * 16
    import transformers
    import trl

    data["measured_on"].update(
        torch=str(torch.__version__),
        transformers=transformers.__version__,
        trl=trl.__version__,
    )
    monkeypatch.setattr(support.recorded, "stored_data", lambda: data)
    with pytest.raises(pytest.skip.Exception) as skipped:
        support.recorded.assert_seed0_is_this_run("r1_zero", namespace={})
    message = str(skipped.value)
    here = support.recorded.fingerprint_here()
    assert f"fingerprint {'0' * 16} there, {here} here" in message
    assert f"`{COMMAND}` measures it on this machine" in message


# --- the figures hook reads the file ----------------------------------------------------------


def planted_copy(tmp_path, result: str, key: str, new_line: str) -> tuple[Path, int]:
    """A copy of the data file with ``result``'s ``key`` line replaced; and that line's number."""
    lines = DATA.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"  {result}:\n")
    number = next(
        i for i in range(start, len(lines)) if lines[i].startswith(f"    {key}:")
    )
    lines[number] = new_line
    path = tmp_path / "runs.yml"
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


# A line planted in a copy of the data file -> the error that names that line: how it begins,
# and how it ends (a median that is not the values' names the command that records them).
PLANTED = {
    "a hand-edited median": (
        ("r1_zero_accuracy", "median", "    median: 0.99\n"),
        "result 'r1_zero_accuracy', median: 0.99, but the median of the values is",
        f"rerun `{COMMAND}` rather than editing the file",
    ),
    "values without a seed each": (
        ("trace_accuracy", "values", "    values: [0.5]\n"),
        "result 'trace_accuracy', values: expected one number per seed",
        "({n})",
    ),
}


@pytest.mark.parametrize("planted, begins, ends", PLANTED.values(), ids=PLANTED.keys())
def test_a_planted_error_stops_the_build_at_its_line(tmp_path, planted, begins, ends):
    path, line = planted_copy(tmp_path, *planted)
    figures = hook("course_figures")
    with pytest.raises(figures.CourseDataError) as caught:
        figures.load_spread(path, SHOWN_AS)
    message = str(caught.value)
    assert message.startswith(f"{SHOWN_AS}:{line}: {begins}")
    assert message.endswith(ends.format(n=stored()["results"][planted[0]]["n"]))
