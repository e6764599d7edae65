"""The snippet harness: runs a script in-process as __main__, hands it its model, and restores the environment."""

import os
import sys
from pathlib import Path

import pytest
from support import harness

from reasoning_course import tiny_models

# The canary runs it with the example tests (tests/conftest.py: the `example` marker).
pytestmark = pytest.mark.example

MODEL_SNIPPET = """\
import os
from pathlib import Path
from transformers import AutoTokenizer

MODEL_ID = os.environ.get("COURSE_MODEL", "Qwen/Qwen2.5-0.5B-Instruct")
tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)
print(__name__, MODEL_ID == os.environ["COURSE_MODEL"], len(tokenizer) > 0)
"""


@pytest.fixture
def planted_snippets(tmp_path, monkeypatch):
    monkeypatch.setattr(harness, "SNIPPETS", tmp_path)
    monkeypatch.setattr(harness, "_runs", {})
    (tmp_path / "topic").mkdir()
    (tmp_path / "topic" / "loads_model.py").write_text(MODEL_SNIPPET)
    return tmp_path


def test_a_snippet_runs_as_main_with_the_tiny_model_it_was_given(
    planted_snippets, tiny_model, monkeypatch
):
    monkeypatch.delenv(harness.MODEL_ENV, raising=False)
    run = harness.run_snippet("topic/loads_model.py", model="random")
    assert run.stdout == "__main__ True True\n"
    assert run.namespace["MODEL_ID"] == str(tiny_model("random"))
    assert harness.MODEL_ENV not in os.environ  # the environment is put back as it was


def test_a_snippet_runs_once_per_session(planted_snippets):
    first = harness.run_snippet("topic/loads_model.py", model="random")
    assert harness.run_snippet("topic/loads_model.py", model="random") is first


def test_a_wrong_model_path_is_named(planted_snippets, tmp_path):
    wrong = str(tmp_path / "not-a-model")
    with pytest.raises(
        tiny_models.TinyModelError,
        match=f"{wrong}: no such model folder.*course-models build",
    ):
        harness.run_snippet("topic/loads_model.py", model=wrong)


def test_a_missing_snippet_is_named(planted_snippets):
    with pytest.raises(FileNotFoundError, match="topic/nope.py: no such snippet"):
        harness.run_snippet("topic/nope.py")


TEACHER_SNIPPET = """\
import os
from pathlib import Path

print(os.environ["COURSE_TEACHER"] != os.environ["COURSE_MODEL"])
"""


def test_a_distillation_snippet_gets_its_teacher_beside_its_model(
    planted_snippets, tiny_model, monkeypatch
):
    monkeypatch.delenv(harness.TEACHER_ENV, raising=False)
    (planted_snippets / "topic" / "teacher.py").write_text(TEACHER_SNIPPET)
    run = harness.run_snippet("topic/teacher.py", model="random", teacher="arithmetic")
    assert run.stdout == "True\n"
    assert harness.TEACHER_ENV not in os.environ
    with pytest.raises(tiny_models.TinyModelError, match="no-such-teacher"):
        harness.run_snippet(
            "topic/teacher.py", model="random", teacher="./no-such-teacher"
        )


PRINTS = """\
print("mean 0.50")
print("advantages: +0.94 -0.94")
print("easy: -2.47")
"""
SHOWN = """\
--8<-- [start:worked-example]
mean 0.40
advantages: +0.90 -0.90
--8<-- [end:worked-example]
--8<-- [start:easy]
easy: -2.00
--8<-- [end:easy]
"""


@pytest.fixture
def stale_output(planted_snippets):
    (planted_snippets / "topic" / "prints.py").write_text(PRINTS)
    output = planted_snippets / "topic" / "prints.output.txt"
    output.write_text(SHOWN)
    return output


def test_a_stale_output_names_the_command_that_regenerates_it(stale_output):
    run = harness.run_snippet("topic/prints.py")
    with pytest.raises(AssertionError) as failure:
        harness.assert_output_matches(run)
    message = str(failure.value)
    assert "stale" in message and str(stale_output) in message
    assert "`python -m pytest --update-outputs tests/topic/test_prints.py`" in message
    assert "-mean 0.40\n" in message and "+mean 0.50\n" in message  # the diff
    assert stale_output.read_text() == SHOWN  # untouched without the option


def test_update_outputs_rewrites_the_file_and_keeps_its_markers(
    stale_output, monkeypatch
):
    monkeypatch.setattr(harness, "update_outputs", True)
    run = harness.run_snippet("topic/prints.py")
    with pytest.warns(UserWarning, match="rewrote .*prints.output.txt"):
        harness.assert_output_matches(run)
    assert stale_output.read_text() == (
        "--8<-- [start:worked-example]\n"
        "mean 0.50\n"
        "advantages: +0.94 -0.94\n"
        "--8<-- [end:worked-example]\n"
        "--8<-- [start:easy]\n"
        "easy: -2.47\n"
        "--8<-- [end:easy]\n"
    )
    monkeypatch.setattr(harness, "update_outputs", False)
    harness.assert_output_matches(run)  # the second run passes as it is


def test_update_outputs_writes_a_missing_file(planted_snippets, monkeypatch):
    (planted_snippets / "topic" / "prints.py").write_text(PRINTS)
    run = harness.run_snippet("topic/prints.py")
    with pytest.raises(AssertionError, match="missing.*--update-outputs"):
        harness.assert_output_matches(run)
    monkeypatch.setattr(harness, "update_outputs", True)
    with pytest.warns(UserWarning, match="wrote"):
        harness.assert_output_matches(run)
    assert (planted_snippets / "topic" / "prints.output.txt").read_text() == run.stdout


def marked(text: str) -> str:
    """Short test cases: a line "[a" stands for section a's start marker, "a]" for its end."""
    lines = []
    for line in text.splitlines():
        if line.startswith("["):
            line = f"--8<-- [start:{line[1:]}]"
        elif line.endswith("]"):
            line = f"--8<-- [end:{line[:-1]}]"
        lines.append(line + "\n")
    return "".join(lines)


@pytest.mark.parametrize(
    "old, new, expected",
    [
        # Lines deleted inside a section: its markers close up around what is left.
        ("[a\n1\n2\n3\na]\n[b\n4\nb]\n", "1\n4\n", "[a\n1\na]\n[b\n4\nb]\n"),
        # A whole section's lines deleted: it is left empty, in its place.
        ("[a\n1\na]\n[b\n2\nb]\n", "2\n", "[a\na]\n[b\n2\nb]\n"),
        # Lines added inside a section, away from any marker.
        ("[a\n1\n2\na]\n", "1\nnew\n2\n", "[a\n1\nnew\n2\na]\n"),
        # Lines added at the file's end stay inside a section that ends with the file.
        ("[a\n1\na]\n", "1\n2\n", "[a\n1\n2\na]\n"),
        # Lines changed one for one keep their places.
        ("[a\n1\na]\n[b\n2\nb]\n", "one\ntwo\n", "[a\none\na]\n[b\ntwo\nb]\n"),
    ],
    ids=[
        "lines-deleted",
        "section-emptied",
        "lines-added-inside",
        "lines-added-at-end",
        "lines-changed",
    ],
)
def test_markers_follow_their_lines_when_the_output_changes_shape(old, new, expected):
    placed = harness.place_markers(marked(old), new, Path("x"))
    assert placed == marked(expected)


@pytest.mark.parametrize(
    "old, new",
    [
        ("[a\n1\na]\n[b\n2\nb]\n", "1\nnew\n2\n"),
        ("[a\n1\na]\n[b\n2\nb]\n", "one\nand\ntwo\n"),
    ],
    ids=["lines-added-between-sections", "every-line-changed-and-one-more"],
)
def test_markers_that_cannot_be_placed_fail_naming_the_file(stale_output, old, new):
    with pytest.raises(harness.MarkersCannotBePlaced) as failure:
        harness.place_markers(marked(old), new, stale_output)
    message = str(failure.value)
    assert message.startswith(f"{stale_output}: the output changed shape"), message
    assert "by hand" in message and new in message


def test_update_outputs_fails_on_markers_it_cannot_place_and_leaves_the_file(
    stale_output, monkeypatch
):
    (stale_output.parent / "prints.py").write_text('print("only one line now")\n')
    monkeypatch.setattr(harness, "update_outputs", True)
    run = harness.run_snippet("topic/prints.py")
    with pytest.raises(
        AssertionError, match="prints.output.txt: the output changed shape"
    ):
        harness.assert_output_matches(run)
    assert stale_output.read_text() == SHOWN


ARGV_SNIPPET = """\
import sys
from pathlib import Path

print(sys.argv, Path("recipes").is_dir())
"""


def test_a_snippet_gets_its_arguments_as_python_would_give_them(planted_snippets):
    (planted_snippets / "topic" / "argv.py").write_text(ARGV_SNIPPET)
    argv_before = list(sys.argv)
    run = harness.run_snippet("topic/argv.py", argv=("--config", "recipes/x.yaml"))
    path = str(planted_snippets / "topic" / "argv.py")
    # Given a recipe under recipes/, the scratch folder shows the repository's recipes/.
    assert run.stdout == f"{[path, '--config', 'recipes/x.yaml']} True\n"
    assert sys.argv == argv_before  # put back
    # With no argument it is as empty as a reader's own folder: defaults come with the package.
    assert harness.run_snippet("topic/argv.py").stdout == f"{[path]} False\n"
