"""The course package (src/reasoning_course) is an ordinary package: a wheel built from the
repository installs into a fresh environment and works from a folder that holds no checkout.

Readers install it beside TRL to run the examples, so it must not depend on anything in this
repository's working tree (tests/, snippets/, a ``package-dir`` mapping, the current directory).
"""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from support.harness import ROOT
from support.package import make_venv

from reasoning_course.tiny_models import RECIPES

pytestmark = pytest.mark.slow


def run(command: list[str], cwd: Path, **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), **env},
        check=False,
    )
    assert result.returncode == 0, (
        f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}"
    )
    return result.stdout


@pytest.fixture(scope="module")
def fresh_env(wheel, tmp_path_factory) -> Path:  # wheel: tests/conftest.py
    """A new virtual environment, outside the checkout, with only the wheel installed into it."""
    where = tmp_path_factory.mktemp("fresh")
    python = make_venv(where / "env")
    # The package declares no runtime dependencies (the examples' libraries are an extra), so
    # nothing but the wheel is needed, and nothing is downloaded.
    run(
        [str(python), "-m", "pip", "install", "--no-index", "--quiet", str(wheel)],
        where,
    )
    return where / "env"


def test_the_wheel_holds_the_package_and_nothing_from_the_repository(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "reasoning_course/arithmetic.py" in names
    assert "reasoning_course/tiny_models/factory.py" in names
    top_level = {name.split("/")[0] for name in names}
    # No tests/, snippets/ or docs/: only the package and its metadata.
    assert {n for n in top_level if not n.endswith(".dist-info")} == {
        "reasoning_course"
    }
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "reasoning_course/recipes/tiny/grpo/r1_zero.yaml" in names  # the defaults
    assert "course-models = reasoning_course.course_models:main" in (
        zipfile.ZipFile(wheel).read(entry_points).decode()
    )


def test_course_models_list_works_in_a_fresh_environment_outside_the_checkout(
    fresh_env, tmp_path
):
    elsewhere = tmp_path / "no-checkout-here"
    elsewhere.mkdir()
    cache = tmp_path / "cache"
    listing = run(
        [str(fresh_env / "bin" / "course-models"), "list"],
        elsewhere,
        TINY_MODELS_CACHE=str(cache),
        REAL_MODELS_CACHE=str(tmp_path / "real"),
    )
    lines = listing.splitlines()
    assert lines[0] == f"tiny models: {cache}"
    tiny = lines[1 : 1 + len(RECIPES)]
    assert [line.split()[0] for line in tiny] == list(RECIPES)
    assert lines[1 + len(RECIPES)] == f"real models: {tmp_path / 'real'}"
    assert all("not built" in line for line in [*tiny, lines[-1]])


def test_the_fresh_environment_imports_the_installed_copy_not_the_checkout(
    fresh_env, tmp_path
):
    where = run(
        [
            str(fresh_env / "bin" / "python"),
            "-c",
            "import reasoning_course; print(reasoning_course.__file__)",
        ],
        tmp_path,
    ).strip()
    assert Path(where).is_relative_to(fresh_env), where
    assert not Path(where).is_relative_to(ROOT), where
