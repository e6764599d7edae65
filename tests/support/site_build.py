"""Build the site with ``mkdocs build --strict``: the real site, once per session, and planted copies.

The session's build (the ``built_site`` fixture in tests/conftest.py) executes the notebooks, as
the published site's build does, and runs from another directory, since includes must resolve
from the config, not the working directory. tests/test_site.py checks that build's HTML and the
browser tests in tests/browser/ serve it, so the suite builds the site once.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.harness import ROOT

# Set to a folder holding an already built site to skip the build (about 30 s) while iterating
# on tests that only read it; the suite never sets it, so CI always builds afresh.
PREBUILT_SITE_ENV = "COURSE_BUILT_SITE"
# Set to a folder for the session's build to land there rather than in a temporary folder: CI
# uploads it as an artifact, so the site is built once, by the suite, with its checks.
SITE_DIR_ENV = "COURSE_SITE_DIR"


def mkdocs_build(
    config: Path, site_dir: Path, cwd: Path, execute=False, site_url: str | None = None
) -> subprocess.CompletedProcess:
    env = {"NO_MKDOCS_2_WARNING": "1", "PATH": os.environ.get("PATH", "")}
    if site_url:  # where the site will be published (mkdocs.yml reads it as site_url)
        env["COURSE_SITE_URL"] = site_url
    if execute:  # run the notebooks, as the published site's build does
        env |= {
            k: v
            for k, v in os.environ.items()
            if k.startswith(("HOME", "TINY_MODELS", "HF_"))
        }
        env["COURSE_EXECUTE_NOTEBOOKS"] = "true"
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(config),
        "-d",
        str(site_dir),
    ]
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, env=env, check=False
    )


def copy_sources(destination: Path) -> Path:
    """Copy what the build reads (pages, snippets, theme overrides, configs) to ``destination``."""
    # src/: pages include the course package's sections too; configs/: the launch configs;
    # recipes/: the training examples' settings; notebooks/: the notebooks made from no page;
    # pyproject.toml: the version the notebooks install.
    for name in (
        "docs",
        "snippets",
        "src",
        "overrides",
        "configs",
        "recipes",
        "notebooks",
    ):
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name,
                destination / name,
                ignore=shutil.ignore_patterns("__pycache__"),
            )
    for name in ("mkdocs.yml", "pyproject.toml"):
        shutil.copy(ROOT / name, destination / name)
    return destination


def build_with_planted_text(
    tmp_path: Path, text: str, page: str = "docs/examples/grpo.md"
) -> tuple[subprocess.CompletedProcess, int]:
    """Copy the site's sources, append ``text`` to ``page``, and build strictly; the build's
    result, and the line of the page that ``text`` starts on."""
    copy_sources(tmp_path)
    path = tmp_path / page
    before = path.read_text()
    path.write_text(before + text)
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    return result, before.count("\n") + 1


def build_site(site_dir: Path, cwd: Path) -> Path:
    """Build the real site strictly, notebooks executed; fail with mkdocs' output.

    It lands in ``$COURSE_SITE_DIR`` if set (relative to the working directory pytest started
    in), else in ``site_dir``.
    """
    prebuilt = os.environ.get(PREBUILT_SITE_ENV)
    if prebuilt:
        if not (Path(prebuilt) / "index.html").is_file():
            raise AssertionError(f"{PREBUILT_SITE_ENV}={prebuilt}: no built site there")
        return Path(prebuilt)
    if os.environ.get(SITE_DIR_ENV):
        site_dir = Path(os.environ[SITE_DIR_ENV]).resolve()
    result = mkdocs_build(ROOT / "mkdocs.yml", site_dir, cwd=cwd, execute=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir
