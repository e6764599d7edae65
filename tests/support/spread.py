"""The seed spread's data (docs/generated/seed_spread.yml) against the test suite's own runs.

The pages quote seed 0 and plot it (scripts/plots.py). These helpers read a suite run's results
and curves with scripts/seed_spread.py's own readers, so a test can assert that what the data
file says of seed 0, and so what the plots draw, is what this run of the snippet produced.
"""

from __future__ import annotations

import functools
from pathlib import Path

import yaml
from support.harness import load_script

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "docs" / "generated" / "seed_spread.yml"


def seed_spread_script():
    """scripts/seed_spread.py (it imports torch only when it runs)."""
    return load_script("seed_spread")


def stored_data() -> dict:
    return yaml.safe_load(DATA.read_text(encoding="utf-8"))


@functools.cache
def fingerprint_here() -> str:
    """This machine's numerics fingerprint, computed once per session (it trains a few steps)."""
    from reasoning_course.tiny_models.numerics import numerics_fingerprint

    return numerics_fingerprint()


def assert_seed0_is_this_run(run_name: str, namespace: dict) -> None:
    """The stored seed 0 of ``run_name`` is this run, where both computed alike.

    The spread is measured on a CPU; the GPU lane's runs give other numbers, and so does a CPU
    whose torch computes differently (another instruction set: see
    reasoning_course.tiny_models.numerics), so there the check is skipped, with the reason. The
    claims the pages make of these runs are asserted on every machine by the other tests. Library
    versions other than the recorded ones are named in the failure: a new TRL or transformers can
    change a run, and then the spread must be rerun.
    """
    import pytest
    import torch
    import transformers
    import trl

    measured = stored_data()["measured_on"]
    here = "cuda" if torch.cuda.is_available() else "cpu"
    if here != measured["device"]:
        pytest.skip(f"the seed spread was measured on {measured['device']}, not {here}")
    fingerprint = fingerprint_here()
    if fingerprint != measured["numerics"]:
        pytest.skip(
            f"the seed spread was measured on a CPU whose torch computes differently (numerics"
            f" fingerprint {measured['numerics']} there, {fingerprint} here), so seed 0 cannot"
            " match exactly; `python scripts/seed_spread.py` measures it on this machine"
        )
    found = differences_from_seed0(run_name, namespace)
    installed = {
        "torch": str(torch.__version__),
        "transformers": transformers.__version__,
        "trl": trl.__version__,
    }
    changed = [
        f"{k} {measured[k]} -> {v}" for k, v in installed.items() if measured[k] != v
    ]
    assert not found, (
        "\n".join(found)
        + "\nrerun `python scripts/seed_spread.py` and `python scripts/plots.py`"
        + (f" (libraries changed since: {', '.join(changed)})" if changed else "")
    )


def differences_from_seed0(run_name: str, namespace: dict) -> list[str]:
    """Each result and curve of ``run_name`` whose stored seed-0 value differs from this run's."""
    script, data = seed_spread_script(), stored_data()
    run = script.RUNS[run_name]
    found = []
    for name, result in run.results.items():
        entry = data["results"][name]
        stored = entry["values"][entry["seeds"].index(0)]
        value = result.value(namespace)
        value = int(value) if result.format == "d" else round(value, 6)
        if stored != value:
            found.append(f"result {name}: stored {stored!r}, this run {value!r}")
    for name, curve in run.curves.items():
        entry = data["curves"][name]
        stored = entry["points"][entry["seeds"].index(0)]
        points = script.curve_points(curve, namespace)
        if stored != points:
            found.append(f"curve {name}: stored {stored!r}, this run {points!r}")
    return found
