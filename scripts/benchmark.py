"""Time what contributors wait for: the tiny models, the test suite and the strict site build.

    python scripts/benchmark.py            # all measurements, as a Markdown table
    python scripts/benchmark.py --repeat 1 # quicker, one sample per warm measurement

Cold runs use an empty tiny-model cache of their own (so the models are built from scratch); warm
runs reuse it. Every figure is the wall time of a fresh process, as a reader or CI would see it,
so it includes importing torch and TRL. Figures vary from machine to machine and run to run: this
reports them, it does not enforce them; each row shows the project's target beside it (models
cold <= 60 s and warm <= 2 s, suite warm <= 60 s, strict build <= 10 s, each example <= 60 s).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


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
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="samples per warm measurement (median reported)",
    )
    args = parser.parse_args()

    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as scratch:
        env = {
            **os.environ,
            "TINY_MODELS_CACHE": str(Path(scratch) / "models"),
            "NO_MKDOCS_2_WARNING": "1",
        }
        models = [str(BIN / "tiny-models"), "build"]
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

        rows.append(
            ("tiny models, cold build (all recipes)", timed(models, env), "<= 60 s")
        )
        warm = [timed(models, env) for _ in range(args.repeat)]
        rows.append(
            ("tiny models, warm (cache hit)", statistics.median(warm), "<= 2 s")
        )

        env["TINY_MODELS_CACHE"] = str(
            Path(scratch) / "suite-models"
        )  # the suite builds its models too
        rows.append(("full suite, cold (empty model cache)", timed(suite, env), ""))
        warm = [timed(suite, env) for _ in range(max(1, args.repeat - 1))]
        rows.append(("full suite, warm", statistics.median(warm), "<= 60 s"))

        warm = [timed(site, env) for _ in range(args.repeat)]
        rows.append(("mkdocs build --strict", statistics.median(warm), "<= 10 s"))
        executed = {**env, "COURSE_EXECUTE_NOTEBOOKS": "true"}
        rows.append(
            ("mkdocs build --strict, notebooks executed", timed(site, executed), "")
        )

        # Each example as a reader runs it: a fresh process, on the tiny model its header
        # names (the distillation examples take a student and a teacher).
        def tiny(name: str) -> str:
            path = [str(BIN / "tiny-models"), "path", name]
            return subprocess.run(
                path, env=env, capture_output=True, text=True, check=True
            ).stdout.strip()

        snippet_models = {
            "distillation": {"COURSE_MODEL": "student", "COURSE_TEACHER": "teacher"},
            "inference-time-scaling/chain_of_thought.py": {"COURSE_MODEL": "teacher"},
            "inference-time-scaling/budget_forcing.py": {"COURSE_MODEL": "teacher"},
        }
        for snippet in sorted((ROOT / "snippets").rglob("*.py")):
            relative = snippet.relative_to(ROOT / "snippets").as_posix()
            chosen = {"COURSE_MODEL": "arithmetic"}
            for prefix, names in snippet_models.items():
                if relative.startswith(prefix):
                    chosen = names
            snippet_env = {**env, **{k: tiny(v) for k, v in chosen.items()}}
            name = f"python {snippet.relative_to(ROOT)}"
            rows.append(
                (
                    name,
                    timed([sys.executable, str(snippet)], snippet_env, cwd=scratch),
                    "<= 60 s",
                )
            )

    print(f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    print("| measurement | seconds | target |\n|---|---:|---|")
    for name, seconds, target in rows:
        print(f"| {name} | {seconds:.1f} | {target} |")


if __name__ == "__main__":
    main()
