"""Build the course package's wheel and fresh virtual environments, offline, outside the checkout.

Shared by tests/test_package.py (the wheel installs and works on its own) and
tests/test_notebooks_outside.py (the notebooks set themselves up from it); the ``wheel`` fixture in
tests/conftest.py builds it once per session.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from support.harness import ROOT


def build_wheel(out: Path) -> Path:
    """A wheel built from the repository into ``out``, offline, with the build tools already installed."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--quiet", "--wheel-dir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=True,
    )
    (built,) = out.glob("reasoning_course-*.whl")
    return built


def make_venv(where: Path) -> Path:
    """A new virtual environment at ``where``, with pip and nothing else; returns its python."""
    venv.EnvBuilder(with_pip=True).create(where)
    return where / "bin" / "python"


def site_packages(python: Path) -> Path:
    """The site-packages folder of the environment whose interpreter is ``python``."""
    out = subprocess.run(
        [
            str(python),
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


# What the suite's environment holds that a fresh one must not borrow: the course package (installed
# editable, so it points into the checkout), the .pth files that would put the checkout on sys.path,
# and the installer, which the fresh environment has its own copy of.
NOT_BORROWED = ("reasoning_course", "__editable__", "pip")


def borrow_libraries(python: Path, folder: Path) -> Path:
    """Lend the suite's libraries (torch, TRL, ipykernel, ...) to the environment of ``python``.

    ``folder`` gets a link to every entry of this interpreter's site-packages except the course
    package and the .pth files, and the environment a .pth file naming ``folder``: a plain path,
    so that nothing in ``folder`` runs at start-up. Nothing is downloaded or copied.
    """
    # The environment's own setuptools would hide the newer one torch requires.
    subprocess.run(
        [str(python), "-m", "pip", "uninstall", "--yes", "--quiet", "setuptools"],
        capture_output=True,
        check=True,
    )
    folder.mkdir(parents=True)
    for entry in sorted(Path(sysconfig.get_paths()["purelib"]).iterdir()):
        if entry.suffix == ".pth" or entry.name.startswith(NOT_BORROWED):
            continue
        (folder / entry.name).symlink_to(entry)
    (site_packages(python) / "borrowed-libraries.pth").write_text(f"{folder}\n")
    return folder
