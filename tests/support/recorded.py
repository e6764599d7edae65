"""The recorded runs (docs/generated/runs.yml) and the test suite's own runs of them.

scripts/record.py defines every run whose results the pages state (RUNS: snippet, model, teacher,
recipe) and records it over several seeds. An example's test runs seed 0 of the same definition
with ``run_recorded(name)``, so the suite checks the pages' claims on the runs the figures come
from; ``assert_seed0_is_this_run`` then checks that what the file says of seed 0, and so what
the plots draw, is what this run produced, where this machine computes like the recording's.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

import yaml
from support.harness import SnippetRun, load_script, run_snippet

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "docs" / "generated" / "runs.yml"
COMMAND = "python scripts/record.py"


def record_script():
    """scripts/record.py (it imports torch only when it runs)."""
    return load_script("record")


def stored_data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@functools.cache
def _chain_folder(head: str) -> Path:
    """One kept folder for a run and those that follow it (they read its output, as a reader
    running the examples one after another in one folder would); removed when pytest exits."""
    folder = Path(tempfile.mkdtemp(prefix=f"{head}-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def run_recorded(name: str) -> SnippetRun:
    """Seed 0 of the recorded run ``name``: its snippet as ``__main__``, on its model and
    teacher, with its recipe, after the run it follows (once per session)."""
    runs = record_script().RUNS
    run = runs[name]
    folder = None
    if run.after:
        run_recorded(run.after)
        folder = _chain_folder(run.after)
    elif any(other.after == name for other in runs.values()):
        folder = _chain_folder(name)
    return run_snippet(
        run.snippet, model=run.model, teacher=run.teacher, argv=run.argv, workdir=folder
    )


def recorded_run_of(snippet: str, real: bool) -> str | None:
    """The name of the recorded run of ``snippets/<snippet>`` on SmolLM2 (``real``) or on the
    tiny models; None if the pages state no result of it."""
    for name, run in record_script().RUNS.items():
        if run.snippet == snippet and (run.model == "smollm2") == real:
            return name
    return None


@functools.cache
def fingerprint_here() -> str:
    """This machine's numerics fingerprint, computed once per session (it trains a few steps)."""
    from reasoning_course.tiny_models.numerics import numerics_fingerprint

    return numerics_fingerprint()


def assert_seed0_is_this_run(run_name: str, namespace: dict) -> None:
    """The stored seed 0 of ``run_name`` is this run, where both computed alike.

    The runs are recorded on a CPU by the `record` workflow; the GPU lane's runs give other
    numbers, and so does a CPU whose torch computes differently (another instruction set: see
    reasoning_course.tiny_models.numerics), or other library versions. There the check is
    skipped, with the reason: the claims the pages make of these runs are asserted on every
    machine by the other tests, and nothing asks a contributor's machine to match the recording.
    """
    import pytest
    import torch
    import transformers
    import trl

    measured = stored_data()["measured_on"]
    here = "cuda" if torch.cuda.is_available() else "cpu"
    if here != measured["device"]:
        pytest.skip(f"the runs were recorded on {measured['device']}, not {here}")
    installed = {
        "torch": str(torch.__version__),
        "transformers": transformers.__version__,
        "trl": trl.__version__,
    }
    changed = [
        f"{k} {measured[k]} there, {v} here"
        for k, v in installed.items()
        if measured[k] != v
    ]
    if changed:
        pytest.skip(
            f"the runs were recorded with other libraries ({', '.join(changed)}), so seed 0"
            " cannot match exactly; the `record` workflow records them again"
        )
    fingerprint = fingerprint_here()
    if fingerprint != measured["numerics"]:
        pytest.skip(
            f"the runs were recorded on a CPU whose torch computes differently (numerics"
            f" fingerprint {measured['numerics']} there, {fingerprint} here), so seed 0"
            f" cannot match exactly; `{COMMAND}` measures it on this machine"
        )
    found = differences_from_seed0(run_name, namespace)
    assert not found, (
        "\n".join(found)
        + f"\nthe recording is stale: the `record` workflow (or `{COMMAND}`) records it again"
    )


def differences_from_seed0(run_name: str, namespace: dict) -> list[str]:
    """Each result and curve of ``run_name`` whose stored seed-0 value differs from this run's."""
    script, data = record_script(), stored_data()
    run = script.RUNS[run_name]
    found = []
    for kind, specs, measure, field in (
        ("result", run.results, script.value_of, "values"),
        ("curve", run.curves, script.curve_points, "points"),
    ):
        for name, spec in specs.items():
            entry = data[f"{kind}s"][name]
            stored = entry[field][entry["seeds"].index(0)]
            value = measure(spec, namespace)
            if stored != value:
                found.append(f"{kind} {name}: stored {stored!r}, this run {value!r}")
    return found
