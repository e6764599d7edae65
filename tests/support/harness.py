"""Run snippet files inside the pytest process and check what they print.

Snippets run with ``runpy`` as ``__main__``, as ``python snippets/...`` would run them: ``sys.argv``
holds the snippet's path and its arguments, and the working directory is a scratch one, empty as
a reader's own folder would be, but for the repository's ``configs/`` and, when an argument names
a recipe file under it, ``recipes/``: a snippet's defaults must come with the package. Torch, transformers and TRL are
thus imported once per test session rather than once per snippet. (Unlike ``python``, runpy does
not put the snippet's folder on ``sys.path``: a snippet must not import another one, which also
keeps every page's code self-contained.) Each snippet runs at most once per session for a given
environment and arguments; every test of it reads the same run.
"""

from __future__ import annotations

import contextlib
import difflib
import functools
import gc
import importlib.util
import io
import os
import runpy
import sys
import tempfile
import types
import warnings
from dataclasses import dataclass
from pathlib import Path

from support.docs_contract import SECTION_MARK, unmarked

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets"
# A real model's recipe is a file under recipes/, passed with --config; the Scaling up example
# reads its launch configs from configs/. Both are named relative to the repository root.
RECIPES = ROOT / "recipes"
CONFIGS = ROOT / "configs"

# The one documented place where a snippet takes its model: an environment variable.
MODEL_ENV = "COURSE_MODEL"
# Distillation examples also take a teacher; COURSE_MODEL is then the student.
TEACHER_ENV = "COURSE_TEACHER"


@functools.cache
def load_script(name: str) -> types.ModuleType:
    """scripts/<name>.py as a module, loaded once (the scripts import their heavy libraries only
    when they run), registered in sys.modules so that its dataclasses find their module."""
    path = ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class SnippetRun:
    path: Path
    namespace: dict
    stdout: str
    # The kept folder it ran in (None: a scratch folder, removed after the run).
    workdir: Path | None = None

    @property
    def module(self) -> types.SimpleNamespace:
        """The snippet's globals as attributes: ``run.module.format_reward``."""
        return types.SimpleNamespace(**self.namespace)


_runs: dict[tuple, SnippetRun] = {}


def resolve_model(model: str) -> str:
    """A course model's name (a tiny recipe, or smollm2) becomes its (built) folder; a local
    path must exist; anything else is a Hub id."""
    from reasoning_course import course_models, tiny_models

    if model in course_models.names():
        return str(course_models.build(model))
    if model.startswith((".", "/", "~")) and not Path(model).expanduser().exists():
        raise tiny_models.TinyModelError(
            f"{model}: no such model folder. Build the course's models with "
            f"`course-models build`, or give a model's name "
            f"({', '.join(course_models.names())}) or a Hub id."
        )
    return model


def run_snippet(
    relative: str,
    model: str | None = None,
    env: dict[str, str] | None = None,
    as_main: bool = True,
    teacher: str | None = None,
    argv: tuple[str, ...] = (),
    workdir: Path | None = None,
) -> SnippetRun:
    """Run ``snippets/<relative>`` as a script (once per session and environment); return its globals and stdout.

    ``model`` (a tiny-model recipe name, a folder, or a Hub id) is handed to the snippet through
    ``$COURSE_MODEL``, the one place a snippet reads its model from. ``as_main=False`` runs it
    as an import would, skipping its ``if __name__ == "__main__":`` block. ``teacher`` (the same
    kinds of value) is handed over through ``$COURSE_TEACHER``, for the distillation examples.
    ``argv`` are its command-line arguments, such as ``("--config", "recipes/...yaml")``.
    It runs in a scratch folder, or in ``workdir``, which is kept: the real-model examples run
    one after another in one folder, as a reader would, each finding what the last one wrote.
    """
    path = SNIPPETS / relative
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such snippet")
    env = dict(env or {})
    if model is not None:
        env[MODEL_ENV] = resolve_model(model)
    if teacher is not None:
        env[TEACHER_ENV] = resolve_model(teacher)
    key = (relative, tuple(sorted(env.items())), as_main, tuple(argv), workdir)
    if key not in _runs:
        saved = {name: os.environ.get(name) for name in env}
        saved_argv = sys.argv
        os.environ.update(env)
        buffer = io.StringIO()
        try:
            # In a scratch directory, so whatever the snippet writes (a trainer's output_dir)
            # stays out of the repository, as it would for a reader running it elsewhere.
            with (
                contextlib.nullcontext(workdir)
                if workdir
                else tempfile.TemporaryDirectory() as folder,
                contextlib.chdir(folder),
                contextlib.redirect_stdout(buffer),
            ):
                wanted = [CONFIGS]
                if any(arg.startswith(f"{RECIPES.name}/") for arg in argv):
                    wanted.append(RECIPES)
                for data in wanted:
                    shown = Path(folder) / data.name
                    if not shown.exists():
                        shown.symlink_to(data)
                sys.argv = [_named(path), *argv]  # as `python snippets/...` gives
                # The session keeps every run's globals (models, trainers), and Python's cyclic
                # garbage collector walked all of them again and again during each later run:
                # collected once and frozen here, they are left alone. The real-model tests
                # took 538 s instead of 629 s, with the same figures.
                gc.collect()
                gc.freeze()
                namespace = runpy.run_path(
                    str(path), run_name="__main__" if as_main else path.stem
                )
        finally:
            sys.argv = saved_argv
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        _runs[key] = SnippetRun(path, namespace, buffer.getvalue(), workdir)
    return _runs[key]


def expected_output_path(relative: str) -> Path:
    """Where the output a page shows under a snippet is kept: ``snippets/<topic>/<name>.output.txt``."""
    return (SNIPPETS / relative).with_suffix(".output.txt")


# Set by tests/conftest.py from ``pytest --update-outputs``: assert_output_matches then rewrites
# a stale output file from the real run instead of failing.
update_outputs = False


def update_command(relative: str) -> str:
    """The command that regenerates a snippet's output file from a real run."""
    topic, name = Path(relative).parent, Path(relative).stem
    test_module = Path("tests", topic, f"test_{name}.py").as_posix()
    return f"python -m pytest --update-outputs {test_module}"


def _named(path: Path) -> str:
    """A path as a contributor types it: relative to the repository when it lies inside."""
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


class MarkersCannotBePlaced(AssertionError):
    pass


def _new_position(position: int, old: list[str], new: list[str]) -> int | None:
    """Where a marker sitting before ``old[position]`` goes among ``new``'s lines; None if unclear.

    The file's edges stay its edges. Inside, a marker follows the lines around it through the
    diff: it can be placed when those lines were kept, changed one for one, or deleted; at an
    insertion, or inside a block whose length changed, it could go before or after the new lines.
    """
    if position == 0:
        return 0
    if position == len(old):
        return len(new)
    candidates = set()
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for _, i1, i2, j1, j2 in matcher.get_opcodes():
        if not i1 <= position <= i2:
            continue
        if i2 - i1 == j2 - j1:  # kept or changed line for line
            candidates.add(j1 + position - i1)
        elif j1 == j2:  # deleted: the marker stays where those lines were
            candidates.add(j1)
        elif position == i1 != i2:  # at the start of a changed block
            candidates.add(j1)
        elif position == i2 != i1:  # at its end
            candidates.add(j2)
        else:  # at an insertion, or inside a block that changed length
            return None
    return candidates.pop() if len(candidates) == 1 else None


def place_markers(old_text: str, new_output: str, file: Path) -> str:
    """``new_output`` with ``old_text``'s section markers at the same output lines.

    Raises MarkersCannotBePlaced, naming ``file``, when the output's shape changed where a marker sits.
    """
    old: list[str] = []
    markers: list[
        tuple[int, str]
    ] = []  # (index of the output line it precedes, marker line)
    for line in old_text.splitlines(keepends=True):
        if SECTION_MARK.search(line):
            markers.append((len(old), line if line.endswith("\n") else line + "\n"))
        else:
            old.append(line)
    new = new_output.splitlines(keepends=True)
    at: dict[int, list[str]] = {}
    for position, marker in markers:
        placed = _new_position(position, old, new)
        if placed is None:
            raise MarkersCannotBePlaced(
                f"{_named(file)}: the output changed shape where the marker "
                f"{marker.strip()!r} sits (before output line {position + 1}), so "
                "--update-outputs cannot tell which lines its section should hold. Place the "
                f"markers by hand in this new output, then rerun:\n{new_output}"
            )
        at.setdefault(placed, []).append(marker)
    pieces: list[str] = []
    for index in range(len(new) + 1):
        pieces += at.get(index, [])
        pieces += new[index : index + 1]
    return "".join(pieces)


def assert_output_matches(run: SnippetRun) -> None:
    """The page shows the snippet's printed output from a file; fail, with a diff, if the file is stale.

    With ``pytest --update-outputs``, rewrite the file from this run instead, keeping its section
    markers at the same output lines.
    """
    relative = run.path.relative_to(SNIPPETS).as_posix()
    expected_file = expected_output_path(relative)
    command = update_command(relative)
    if not expected_file.is_file():
        if update_outputs:
            expected_file.write_text(run.stdout)
            warnings.warn(f"wrote {_named(expected_file)}", stacklevel=2)
            return
        raise AssertionError(
            f"{_named(expected_file)}: missing; it should hold what {run.path.name} prints. "
            f"Write it from a real run with `{command}`"
        )
    text = expected_file.read_text()
    expected = unmarked(text)
    if expected == run.stdout:
        return
    if update_outputs:
        expected_file.write_text(place_markers(text, run.stdout, expected_file))
        warnings.warn(f"rewrote {_named(expected_file)}", stacklevel=2)
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            run.stdout.splitlines(keepends=True),
            fromfile=_named(expected_file),
            tofile=f"python {_named(run.path)}",
        )
    )
    raise AssertionError(
        f"the output shown on the page is stale: {_named(expected_file)} differs from what "
        f"{run.path.name} prints. Regenerate it from a real run, keeping its section markers, "
        f"with `{command}`, and review the change:\n{diff}"
    )
