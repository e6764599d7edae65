"""The session's environment switches refuse a value the suite cannot honour, by name."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def collect_with(**env) -> subprocess.CompletedProcess:
    """Collect one small test file in a fresh pytest process with ``env`` added."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "--collect-only",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_session_settings.py",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "name, value, message",
    [
        ("COURSE_SEED", "3", "COURSE_SEED='3': the suite checks the results of seed 0"),
        ("COURSE_DEVICE", "tpu", "COURSE_DEVICE='tpu': expected auto, cpu or cuda"),
    ],
)
def test_a_value_the_suite_cannot_honour_stops_it_before_any_test(name, value, message):
    result = collect_with(**{name: value})
    assert result.returncode == pytest.ExitCode.USAGE_ERROR, (
        result.stdout + result.stderr
    )
    assert message in result.stderr


def test_seed_zero_set_explicitly_is_the_default():
    result = collect_with(COURSE_SEED="0")
    assert result.returncode == pytest.ExitCode.OK, result.stdout + result.stderr
