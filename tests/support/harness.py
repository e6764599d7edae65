"""Run snippet files inside the pytest process and check what they print.

Snippets run with ``runpy`` as ``__main__``, as ``python snippets/...`` would run them, in a scratch
working directory, so torch, transformers and TRL are imported once per test session rather than
once per snippet. (Unlike ``python``, runpy does not put the snippet's folder on ``sys.path``: a
snippet must not import another one, which also keeps every page's code self-contained.) Each
snippet runs at most once per session for a given environment; every test of it reads the same run.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import runpy
import tempfile
import types
from dataclasses import dataclass
from pathlib import Path

from support.docs_contract import SECTION_MARK

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"

# The one documented place where a snippet takes its model: an environment variable.
MODEL_ENV = "COURSE_MODEL"
# Distillation examples also take a teacher; COURSE_MODEL is then the student.
TEACHER_ENV = "COURSE_TEACHER"


@dataclass(frozen=True)
class SnippetRun:
    path: Path
    namespace: dict
    stdout: str

    @property
    def module(self) -> types.SimpleNamespace:
        """The snippet's globals as attributes: ``run.module.format_reward``."""
        return types.SimpleNamespace(**self.namespace)


_runs: dict[tuple, SnippetRun] = {}


def resolve_model(model: str) -> str:
    """A tiny-model recipe name becomes its (built) folder; a local path must exist; anything else is a Hub id."""
    from reasoning_course import tiny_models

    if model in tiny_models.RECIPES:
        return str(tiny_models.build(model))
    if model.startswith((".", "/", "~")) and not Path(model).expanduser().exists():
        raise tiny_models.TinyModelError(
            f"{model}: no such model folder. Build the tiny models with `tiny-models build`, "
            f"or give a recipe name ({', '.join(sorted(tiny_models.RECIPES))}) or a Hub id."
        )
    return model


def run_snippet(
    relative: str,
    model: str | None = None,
    env: dict[str, str] | None = None,
    as_main: bool = True,
    teacher: str | None = None,
) -> SnippetRun:
    """Run ``snippets/<relative>`` as a script (once per session and environment); return its globals and stdout.

    ``model`` (a tiny-model recipe name, a folder, or a Hub id) is handed to the snippet through
    ``$COURSE_MODEL``, the one place a snippet reads its model from. ``as_main=False`` runs it
    as an import would, skipping its ``if __name__ == "__main__":`` block. ``teacher`` (the same
    kinds of value) is handed over through ``$COURSE_TEACHER``, for the distillation examples.
    """
    path = SNIPPETS / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such snippet")
    env = dict(env or {})
    if model is not None:
        env[MODEL_ENV] = resolve_model(model)
    if teacher is not None:
        env[TEACHER_ENV] = resolve_model(teacher)
    key = (relative, tuple(sorted(env.items())), as_main)
    if key not in _runs:
        saved = {name: os.environ.get(name) for name in env}
        os.environ.update(env)
        buffer = io.StringIO()
        try:
            # In a scratch directory, so whatever the snippet writes (a trainer's output_dir)
            # stays out of the repository, as it would for a reader running it elsewhere.
            with (
                tempfile.TemporaryDirectory() as workdir,
                contextlib.chdir(workdir),
                contextlib.redirect_stdout(buffer),
            ):
                namespace = runpy.run_path(
                    str(path), run_name="__main__" if as_main else path.stem
                )
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        _runs[key] = SnippetRun(path, namespace, buffer.getvalue())
    return _runs[key]


def expected_output_path(relative: str) -> Path:
    """Where the output a page shows under a snippet is kept: ``snippets/<topic>/<name>.output.txt``."""
    return (SNIPPETS / relative).with_suffix(".output.txt")


def assert_output_matches(run: SnippetRun) -> None:
    """The page shows the snippet's printed output from a file; fail, with a diff, if the file is stale."""
    relative = run.path.relative_to(SNIPPETS).as_posix()
    expected_file = expected_output_path(relative)
    if not expected_file.is_file():
        raise AssertionError(
            f"{expected_file}: missing; it should hold what {run.path.name} prints"
        )
    lines = expected_file.read_text().splitlines(keepends=True)
    expected = "".join(line for line in lines if not SECTION_MARK.search(line))
    if expected != run.stdout:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                run.stdout.splitlines(keepends=True),
                fromfile=str(expected_file.relative_to(ROOT)),
                tofile=f"python {run.path.relative_to(ROOT)}",
            )
        )
        raise AssertionError(
            f"the output shown on the page is stale; update {expected_file.relative_to(ROOT)} "
            f"(keep its section markers):\n{diff}"
        )
