"""Time what contributors wait for: the models, the test suite and the strict site build.

    python scripts/benchmark.py            # all measurements, as a Markdown table
    python scripts/benchmark.py --repeat 1 # quicker, one sample per warm measurement
    python scripts/benchmark.py --parts real fast   # some of them

Cold runs use empty model caches of their own (so the tiny models are built and the real one
fetched and converted from scratch); warm runs reuse them. Every figure is the wall time of a
fresh process, as a reader or CI would see it, so it includes importing torch and TRL. Figures
vary from machine to machine and run to run: this reports them, it does not enforce them; each
row shows the project's target beside it.
"""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import command_line

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PARTS = ("models", "real", "fast", "suite", "site", "snippets")


def recorded_runs() -> dict:
    """scripts/record.py's RUNS: which course model each example runs on."""
    spec = importlib.util.spec_from_file_location(
        "record", ROOT / "scripts" / "record.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["record"] = module
    spec.loader.exec_module(module)
    return module.RUNS


def timed(command: list[str], env: dict[str, str], cwd: Path | str = ROOT) -> float:
    started = time.perf_counter()
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(
            f"benchmark: {' '.join(command)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    return elapsed


def main() -> None:
    parser = command_line.parser_for(__doc__)
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="samples per warm measurement (median reported)",
    )
    parser.add_argument(
        "--parts", nargs="*", choices=PARTS, default=list(PARTS), help="what to time"
    )
    args = parser.parse_args()
    parts = set(args.parts)

    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "TINY_MODELS_CACHE": str(Path(scratch) / "models"),
            "REAL_MODELS_CACHE": str(Path(scratch) / "real-models"),
            "NO_MKDOCS_2_WARNING": "1",
        }
        course_models = str(BIN / "course-models")
        suite = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        site = [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--site-dir",
            str(Path(scratch) / "site"),
        ]
        models = [course_models, "build"]
        real = [course_models, "build", "smollm2"]
        timed(models, env)  # every later measurement finds the tiny models built
        if "models" in parts:
            env_cold = {**env, "TINY_MODELS_CACHE": str(Path(scratch) / "cold")}
            rows.append(("tiny models, cold build", timed(models, env_cold), "<= 60 s"))
            warm = [timed(models, env) for _ in range(args.repeat)]
            rows.append(
                ("tiny models, warm (cache hit)", statistics.median(warm), "<= 2 s")
            )
        if "real" in parts:
            rows.append(
                ("SmolLM2: download, check, convert (cold)", timed(real, env), "")
            )
            rows.append(("SmolLM2: warm (cache hit, verified)", timed(real, env), ""))
            rows.append(
                (
                    "real-model tests (pytest -m real_model)",
                    timed([*suite, "-m", "real_model"], env),
                    "<= 600 s",
                )
            )
        if "fast" in parts:
            rows.append(
                (
                    "fast tests (pytest -m 'not slow')",
                    timed([*suite, "-m", "not slow"], env),
                    "",
                )
            )
        if "suite" in parts:
            rows.append(
                ("full suite (pytest --cov)", timed([*suite, "--cov"], env), "")
            )
        if "site" in parts:
            warm = [timed(site, env) for _ in range(args.repeat)]
            rows.append(("mkdocs build --strict", statistics.median(warm), "<= 10 s"))
            executed = {**env, "COURSE_EXECUTE_NOTEBOOKS": "true"}
            rows.append(
                ("mkdocs build --strict, notebooks executed", timed(site, executed), "")
            )
        if "snippets" in parts:
            # Each example as a reader runs it: a fresh process in an empty folder, on the
            # tiny model (and teacher) the recorded runs give it; its default recipe.
            tiny = {}
            for run in recorded_runs().values():
                if run.model != "smollm2":
                    tiny.setdefault(run.snippet, (run.model, run.teacher))

            def path(name: str) -> str:
                command = [course_models, "path", name]
                return subprocess.run(
                    command, env=env, capture_output=True, text=True, check=True
                ).stdout.strip()

            for snippet in sorted((ROOT / "snippets").rglob("*.py")):
                relative = snippet.relative_to(ROOT / "snippets").as_posix()
                model, teacher = tiny.get(relative, ("arithmetic", None))
                snippet_env = {**env, "COURSE_MODEL": path(model)}
                if teacher:
                    snippet_env["COURSE_TEACHER"] = path(teacher)
                cwd = ROOT if relative.startswith("scaling-up") else scratch
                rows.append(
                    (
                        f"python {snippet.relative_to(ROOT)}",
                        timed([sys.executable, str(snippet)], snippet_env, cwd=cwd),
                        "<= 60 s",
                    )
                )

    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| measurement | seconds | target |\n|---|---:|---|")
    for name, seconds, target in rows:
        print(f"| {name} | {seconds:.1f} | {target} |")


if __name__ == "__main__":
    main()
