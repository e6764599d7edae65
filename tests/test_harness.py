"""The snippet harness: runs a script in-process as __main__, hands it its model, and restores the environment."""

import os

import pytest
from support import harness

from reasoning_course import tiny_models

MODEL_SNIPPET = """\
import os
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
        match=f"{wrong}: no such model folder.*tiny-models build",
    ):
        harness.run_snippet("topic/loads_model.py", model=wrong)


def test_a_missing_snippet_is_named(planted_snippets):
    with pytest.raises(FileNotFoundError, match="topic/nope.py: no such snippet"):
        harness.run_snippet("topic/nope.py")


TEACHER_SNIPPET = """\
import os

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
