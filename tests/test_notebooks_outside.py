"""The notebooks run outside the checkout and show what their pages claim.

A fresh virtual environment in a temporary folder that holds only the course package's wheel and
the notebooks, made as the build makes them (scripts/notebooks.py), no checkout. Its kernel runs
with the fresh environment's python. The notebooks set themselves up: the first one's install cell
installs the wheel (offline, as ``COURSE_WHEEL`` asks), the others find it installed and up to
date and install nothing. Nothing is downloaded: the examples' heavy libraries (torch, TRL,
ipykernel) are lent from the suite's environment without the course package, which is installed
there editable, from the checkout; a probe cell proves the kernel imports the wheel's copy. The
tiny models come from the usual cache, outside the checkout.

Each notebook's execution time is printed (and written to build/notebook-times.txt).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from site_hooks import hook
from support import claims
from support.harness import ROOT, load_script
from support.package import borrow_libraries, make_venv, site_packages

from reasoning_course import tiny_models

pytestmark = pytest.mark.slow

# Every notebook, the R1-Zero one first: the first one run installs the package.
NOTEBOOKS = sorted(
    (Path(s.uri).stem for s in hook("course_notebooks").sources(ROOT, ROOT / "docs")),
    key=lambda name: (name != "r1-zero-on-a-laptop", name),
)
PROBE = "import sys, reasoning_course\nprint('PROBE', sys.executable, reasoning_course.__file__)"
TIMES = ROOT / "build" / "notebook-times.txt"


class Outside:
    def __init__(self, where: Path, wheel: Path):
        assert not where.resolve().is_relative_to(ROOT), where
        self.where = where
        self.python = make_venv(where / "env")
        # "site-packages" in the name: dill (the datasets library's hashing) pickles modules found
        # anywhere else by value, and fails on pyarrow's.
        borrow_libraries(self.python, where / "borrowed" / "site-packages")
        # What a reader downloaded: the wheel and the notebooks.
        self.work = where / "work"
        self.work.mkdir()
        self.wheel = Path(shutil.copy(wheel, self.work))
        written = load_script("notebooks").write_notebooks(self.work)
        assert sorted(path.stem for path in written) == sorted(NOTEBOOKS)
        kernel = where / "jupyter" / "kernels" / "fresh"
        kernel.mkdir(parents=True)
        argv = [str(self.python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
        spec = {"argv": argv, "display_name": "fresh", "language": "python"}
        (kernel / "kernel.json").write_text(json.dumps(spec))
        cache = tiny_models.cache_root().resolve()
        assert not cache.is_relative_to(ROOT), (
            f"the tiny-model cache is in the checkout: {cache}"
        )
        (where / "home").mkdir()
        self.env = {
            "PATH": f"{self.python.parent}:/usr/bin:/bin",
            "HOME": str(where / "home"),
            "TINY_MODELS_CACHE": str(cache),
            "COURSE_WHEEL": str(self.wheel),
            "HF_HUB_OFFLINE": "1",
            "HF_DATASETS_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "HF_HUB_DISABLE_TELEMETRY": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            "PIP_NO_INPUT": "1",
        }
        for name in ("CUDA_VISIBLE_DEVICES", "LANG", "LC_ALL"):
            if name in os.environ:
                self.env[name] = os.environ[name]

    def execute(self, name: str) -> tuple[nbformat.NotebookNode, float]:
        """Run a notebook on the fresh kernel, which nbclient starts, and stops at the end."""
        from nbclient import NotebookClient

        notebook = nbformat.read(self.work / f"{name}.ipynb", as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
        client = NotebookClient(
            notebook,
            kernel_name="fresh",
            timeout=1200,
            resources={"metadata": {"path": str(self.work)}},
        )
        saved = os.environ.get("JUPYTER_PATH")
        os.environ["JUPYTER_PATH"] = str(
            self.where / "jupyter"
        )  # where "fresh" is found
        try:
            start = time.perf_counter()
            client.execute(env=self.env, cwd=str(self.work))
            return notebook, time.perf_counter() - start
        finally:
            if saved is None:
                del os.environ["JUPYTER_PATH"]
            else:
                os.environ["JUPYTER_PATH"] = saved


@pytest.fixture(scope="module")
def executed(wheel, tmp_path_factory) -> dict:
    """Every notebook, executed in order in the fresh environment: name -> (notebook, seconds)."""
    outside = Outside(tmp_path_factory.mktemp("outside"), wheel)
    results = {name: outside.execute(name) for name in NOTEBOOKS}
    results["outside"] = outside
    return results


def test_each_notebooks_execution_time_is_reported(executed, capsys):
    lines = [
        f"{name}.ipynb: executed in {executed[name][1]:.0f} s, outside the checkout"
        for name in NOTEBOOKS
    ]
    TIMES.parent.mkdir(exist_ok=True)
    TIMES.write_text("\n".join(lines) + "\n")
    with capsys.disabled():
        print("", *lines, sep="\n")
    assert all(executed[name][1] > 0 for name in NOTEBOOKS)


def stdout(cell) -> str:
    return "".join(
        o.get("text", "")
        for o in cell.get("outputs", [])
        if o["output_type"] == "stream" and o["name"] == "stdout"
    )


def printed(notebook) -> str:
    return "".join(stdout(cell) for cell in notebook.cells if cell.cell_type == "code")


def number(text: str, pattern: str) -> tuple[float, ...]:
    match = re.search(pattern, text)
    assert match, f"nothing printed matches {pattern!r}:\n{text}"
    return tuple(float(g) for g in match.groups())


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_the_kernel_is_the_fresh_environment_with_the_wheel_installed(executed, name):
    outside = executed["outside"]
    notebook, _ = executed[name]
    probe = stdout(notebook.cells[-1]).split()
    assert probe[0] == "PROBE"
    assert Path(probe[1]) == outside.python, probe
    where = Path(probe[2])
    assert where.is_relative_to(site_packages(outside.python)), where
    assert not where.resolve().is_relative_to(ROOT), where


def test_the_first_notebook_installs_the_wheel_offline_and_the_others_nothing(executed):
    outside = executed["outside"]
    installs = {name: stdout(executed[name][0].cells[2]) for name in NOTEBOOKS}
    first = installs[NOTEBOOKS[0]]
    assert "--no-index" in first and str(outside.wheel) + "[examples]" in first, first
    assert "installed reasoning-course 0.1.0" in first, first
    for name in NOTEBOOKS[1:]:
        assert installs[name].startswith("reasoning-course 0.1.0 and the examples'"), (
            name,
            installs[name],
        )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_output_the_page_shows_is_what_the_notebook_printed(executed, name):
    notebook, _ = executed[name]
    for cell in notebook.cells:
        expected = cell.get("metadata", {}).get("course", {}).get("output")
        if expected is not None:
            assert stdout(cell) == expected, cell.source


def test_grpo_the_r1_zero_run_lifts_accuracy_and_format(executed):
    text = printed(executed["grpo-training"][0])
    claims.r1_zero_accuracy_rises(
        number(text, r"held-out accuracy: (\d\.\d\d) -> (\d\.\d\d)")
    )
    claims.r1_zero_format_rises(
        number(text, r"held-out format:   (\d\.\d\d) -> (\d\.\d\d)")
    )


def test_r1_zero_lifts_accuracy_and_format_and_plots_the_rewards(executed):
    notebook = executed["r1-zero-on-a-laptop"][0]
    text = printed(notebook)
    claims.r1_zero_accuracy_rises(number(text, r"\naccuracy: (\d\.\d\d) -> (\d\.\d\d)"))
    claims.r1_zero_format_rises(number(text, r"\nformat:   (\d\.\d\d) -> (\d\.\d\d)"))
    plots = [
        cell
        for cell in notebook.cells
        if any("image/png" in o.get("data", {}) for o in cell.get("outputs", []))
    ]
    assert len(plots) == 1 and "rewards/" in plots[0].source


def test_distillation_claims(executed):
    """tests/distillation/: the traces, the student's rise, the KL's fall, SFT beating GRPO."""
    text = printed(executed["distillation"][0])
    claims.traces_mostly_kept(
        *number(text, r"teacher traces: (\d+) kept, (\d+) rejected")
    )
    claims.trace_student_rises_from_zero(
        number(text, r"held-out accuracy: (\d\.\d\d) -> (\d\.\d\d)"),
        number(text, r"held-out format:   (\d\.\d\d) -> (\d\.\d\d)"),
    )
    claims.held_out_kl_falls(
        number(text, r"KL\(teacher \|\| student\): (\d+\.\d+) -> (\d+\.\d+)")
    )
    claims.distillation_beats_rl_from_scratch(
        *number(text, r"student before training: +(\d\.\d\d)"),
        *number(text, r"SFT on teacher traces: +(\d\.\d\d)"),
        *number(text, r"GRPO from the student: +(\d\.\d\d)"),
    )


def test_inference_time_scaling_claims(executed):
    """tests/inference-time-scaling/: the vote beats one sample, budget forcing caps and costs."""
    text = printed(executed["inference-time-scaling"][0])
    votes = {
        int(k): (float(single), float(majority))
        for k, single, majority in re.findall(
            r"k= ?(\d+): single sample (\d\.\d\d), majority of \d+ (\d\.\d\d)", text
        )
    }
    claims.votes_beat_one_sample(votes)
    budgets = re.findall(r"^(.+?) +thinking tokens: .*right (\d+)/20$", text, re.M)
    assert [name for name, _ in budgets] == [
        "free",
        "capped at 2",
        "capped at 4",
        "1 Wait",
        "2 Waits",
    ]
    claims.forcing_costs_the_toy_its_sums([int(right) for _, right in budgets])
    # The tiny teacher never saw the instruction: no thinking and no answer to parse.
    assert "thinking:   None" in text and "answer:     None" in text
