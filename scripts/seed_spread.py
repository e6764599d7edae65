"""Rerun the examples whose results the pages state over several seeds; record each result's spread.

    python scripts/seed_spread.py            # seeds 0..4: several minutes on two CPU cores
    python scripts/seed_spread.py --seeds 8  # seeds 0..7
    python scripts/seed_spread.py --output build/seed_spread.yml  # leave the pages' file alone

A page states what one run printed, on the default seed 0. This script reruns each of those
snippets with COURSE_SEED=0, 1, ..., N-1, the one environment variable through which a seed
reaches them (the trainers' seed in reasoning_course.training, the sampling seed of
self_consistency.py), on the tiny models the test suite gives them. It reads each result from
the run's globals, and writes docs/generated/seed_spread.yml: per result the value on every seed,
their median, min and max, and the sha256 of every file that determines it, so that
tests/test_seed_spread.py can tell when the spread is stale. The pages insert the spread from
that file ({{ spread.r1_zero_accuracy_median }}, overrides/hooks/course_figures.py). It prints
the spread as a Markdown table.

All runs share one process (runpy, like the test harness), so torch and TRL are imported once.
Figures depend on the machine (CPU or GPU, and which CPU: reasoning_course.tiny_models.numerics)
and on the library versions; the file records both.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import hashlib
import io
import os
import runpy
import statistics
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "reasoning_course"
DATA_FILE = ROOT / "docs" / "generated" / "seed_spread.yml"
SEED_ENV = "COURSE_SEED"
MIN_SEEDS = 5  # the pages quote a spread over at least this many seeds
# Every run loads tiny models built by this factory: it determines every result too.
FACTORY_FILES = (
    PACKAGE / "tiny_models" / "__init__.py",
    PACKAGE / "tiny_models" / "factory.py",
)


@dataclass(frozen=True)
class Result:
    what: str
    format: str  # how the pages show it: a format spec
    value: Callable[[dict], float]  # read from the run's globals


@dataclass(frozen=True)
class Curve:
    """A series the pages plot (scripts/plots.py): (x, y) points, read from the run's globals."""

    what: str
    x: str  # what the x values are
    points: Callable[[dict], list[tuple[float, float]]]


@dataclass(frozen=True)
class Run:
    snippet: str  # under snippets/
    model: str  # the tiny model the test suite runs it on ($COURSE_MODEL)
    teacher: str | None  # and its teacher ($COURSE_TEACHER), for distillation
    seed_reaches: str  # where COURSE_SEED goes, in words
    # The seeds the run really used, read from its globals: the script checks them.
    seed_used: Callable[[dict], list[int]]
    results: dict[str, Result]
    curves: dict[str, Curve] = field(default_factory=dict)


def trainer_seeds(*names: str) -> Callable[[dict], list[int]]:
    return lambda g: [g[name].args.seed for name in names]


def logged(key: str) -> Callable[[dict], list[tuple[float, float]]]:
    """A value the trainer logged, at each logging step: trainer.state.log_history."""
    return lambda g: [
        (log["step"], log[key]) for log in g["trainer"].state.log_history if key in log
    ]


def mean_thinking(setting: str) -> Callable[[dict], float]:
    return lambda g: statistics.fmean(n for _, n in g["results"][setting])


def right_answers(setting: str) -> Callable[[dict], float]:
    def right(g: dict) -> int:
        runs, problems = g["results"][setting], g["HELD_OUT_PROBLEMS"]
        return sum(
            g["final_answer"](completion) == str(a + b)
            for (completion, _), (a, b) in zip(runs, problems, strict=True)
        )

    return right


BUDGETS = {
    "free": "free",
    "cap2": "capped at 2",
    "cap4": "capped at 4",
    "wait1": "1 Wait",
    "wait2": "2 Waits",
}

RUNS = {
    "r1_zero": Run(
        "grpo/r1_zero.py",
        "arithmetic",
        None,
        "the GRPO trainer's seed (RUN_SETTINGS); held-out samples are drawn with seed 0",
        trainer_seeds("trainer"),
        {
            "r1_zero_accuracy": Result(
                "held-out accuracy after GRPO", ".2f", lambda g: g["after"][0]
            ),
            "r1_zero_format": Result(
                "held-out format rate after GRPO", ".2f", lambda g: g["after"][1]
            ),
        },
        {
            "r1_zero_format_reward": Curve(
                "mean format reward of the completions sampled since the last log",
                "GRPO step",
                logged("rewards/format_reward/mean"),
            ),
            "r1_zero_accuracy_reward": Curve(
                "mean accuracy reward of the completions sampled since the last log",
                "GRPO step",
                logged("rewards/accuracy_reward/mean"),
            ),
        },
    ),
    "trace_distillation": Run(
        "distillation/trace_distillation.py",
        "student",
        "teacher",
        "the SFT trainer's seed (RUN_SETTINGS); traces and held-out samples are drawn"
        " with fixed seeds",
        trainer_seeds("trainer"),
        {
            "trace_accuracy": Result(
                "held-out accuracy after SFT on the teacher's traces",
                ".2f",
                lambda g: g["after"][0],
            ),
            "trace_format": Result(
                "held-out format rate after SFT on the teacher's traces",
                ".2f",
                lambda g: g["after"][1],
            ),
        },
    ),
    "logit_distillation": Run(
        "distillation/logit_distillation.py",
        "student",
        "teacher",
        "the distillation trainer's seed (RUN_SETTINGS)",
        trainer_seeds("trainer"),
        {
            "logit_kl_after": Result(
                "held-out KL(teacher || student) after training, nats/token",
                ".1f",
                lambda g: g["after"],
            ),
            "logit_fall": Result(
                "fall in held-out KL(teacher || student)",
                ".0%",
                lambda g: 1 - g["after"] / g["before"],
            ),
        },
        {
            "logit_kl": Curve(
                "held-out KL(teacher || student), nats/token",
                "optimizer step",
                lambda g: g["curve"],
            ),
        },
    ),
    "distillation_vs_rl": Run(
        "distillation/distillation_vs_rl.py",
        "student",
        "teacher",
        "both trainers' seed (RUN_SETTINGS); traces and held-out samples are drawn with"
        " fixed seeds",
        trainer_seeds("sft", "grpo"),
        {
            "vs_rl_sft_accuracy": Result(
                "held-out accuracy after SFT, same budget as GRPO",
                ".2f",
                lambda g: g["distilled"],
            ),
            "vs_rl_grpo_accuracy": Result(
                "held-out accuracy after GRPO, same budget as SFT",
                ".2f",
                lambda g: g["reinforced"],
            ),
        },
    ),
    "self_consistency": Run(
        "inference-time-scaling/self_consistency.py",
        "arithmetic",
        None,
        "the sampling seed (SEED)",
        lambda g: [g["SEED"]],
        {
            f"self_consistency_k{k}_{kind}": Result(
                f"held-out accuracy, k={k}, {'one sample' if i == 0 else 'majority vote'}",
                ".2f",
                lambda g, k=k, i=i: g["results"][k][i],
            )
            for k in (1, 4, 16)
            for i, kind in enumerate(("single", "majority"))
        },
    ),
    "budget_forcing": Run(
        "inference-time-scaling/budget_forcing.py",
        "teacher",
        None,
        "nothing: decoding is greedy, so every seed must give the same figures",
        lambda g: [],
        {
            **{
                f"budget_{key}_tokens": Result(
                    f"mean thinking tokens, {setting}", ".1f", mean_thinking(setting)
                )
                for key, setting in BUDGETS.items()
            },
            **{
                f"budget_{key}_right": Result(
                    f"held-out sums right of 20, {setting}", "d", right_answers(setting)
                )
                for key, setting in BUDGETS.items()
            },
        },
    ),
}


# --- which files determine a result ------------------------------------------------------------


def _package_module(name: str) -> Path | None:
    """src/reasoning_course/... for a dotted module name inside the package, else None."""
    parts = name.split(".")
    if parts[0] != "reasoning_course":
        return None
    base = PACKAGE.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _imports(path: Path) -> set[Path]:
    """The package's modules that ``path`` imports (absolute or relative imports)."""
    found = set()
    if path.is_relative_to(PACKAGE):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        package = parts[:-1] if parts[-1] != "__init__" else parts
    else:
        package = ()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {p for p in map(_package_module, names) if p is not None}
    return found


def tiny_recipe(snippet: str) -> Path:
    """The recipe a training example reads by default: recipes/tiny/<topic>/<name>.yaml."""
    return ROOT / "recipes" / "tiny" / Path(snippet).with_suffix(".yaml")


def determining_files(snippet: str) -> list[Path]:
    """The snippet, every package module it imports (transitively), its tiny recipe if it
    reads one, and the tiny-model factory."""
    todo, seen = [ROOT / "snippets" / snippet], set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += _imports(path)
    seen |= set(FACTORY_FILES)
    if tiny_recipe(snippet).is_file():
        seen.add(tiny_recipe(snippet))
    return sorted(seen)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


# --- running ----------------------------------------------------------------------------------


def run_once(run: Run, seed: int) -> dict:
    """The snippet's globals after one run as ``__main__`` with COURSE_SEED=seed."""
    from reasoning_course import tiny_models

    os.environ[SEED_ENV] = str(seed)
    os.environ["COURSE_MODEL"] = str(tiny_models.build(run.model))
    if run.teacher:
        os.environ["COURSE_TEACHER"] = str(tiny_models.build(run.teacher))
    else:
        os.environ.pop("COURSE_TEACHER", None)
    # The package reads COURSE_SEED when it is imported: import it afresh, as a new process would.
    sys.modules.pop("reasoning_course.training", None)
    out = io.StringIO()
    saved_argv = sys.argv
    try:
        with (
            tempfile.TemporaryDirectory() as workdir,
            contextlib.chdir(workdir),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
        ):
            # As `python snippets/<snippet>` from the repository root: no arguments, so a
            # training example reads its default recipe, recipes/tiny/...
            (Path(workdir) / "recipes").symlink_to(ROOT / "recipes")
            sys.argv = [f"snippets/{run.snippet}"]
            namespace = runpy.run_path(
                str(ROOT / "snippets" / run.snippet), run_name="__main__"
            )
    except BaseException:
        sys.stderr.write(out.getvalue()[-5000:])
        raise
    finally:
        sys.argv = saved_argv
    used = run.seed_used(namespace)
    if any(s != seed for s in used):
        sys.exit(f"seed_spread: {run.snippet} ran with seed {used}, not {seed}")
    return namespace


def spread(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def measure(seeds: list[int], only: list[str]) -> tuple[dict, dict, dict]:
    runs, results, curves = {}, {}, {}
    for run_name, run in RUNS.items():
        if only and run_name not in only:
            continue
        values: dict[str, list[float]] = {name: [] for name in run.results}
        points: dict[str, list] = {name: [] for name in run.curves}
        for seed in seeds:
            print(f"{run.snippet}, seed {seed}", file=sys.stderr, flush=True)
            namespace = run_once(run, seed)
            for name, result in run.results.items():
                value = result.value(namespace)
                values[name].append(
                    int(value) if result.format == "d" else round(value, 6)
                )
            for name, curve in run.curves.items():
                points[name].append(curve_points(curve, namespace))
        runs[run_name] = {
            "snippet": f"snippets/{run.snippet}",
            "model": run.model,
            "teacher": run.teacher,
            "seed_reaches": run.seed_reaches,
            "files": {
                relative(path): sha256(path) for path in determining_files(run.snippet)
            },
        }
        for name, result in run.results.items():
            results[name] = {
                "run": run_name,
                "what": result.what,
                "format": result.format,
                "seeds": list(seeds),
                "values": values[name],
                **spread(values[name]),
            }
        for name, curve in run.curves.items():
            curves[name] = {
                "run": run_name,
                "what": curve.what,
                "x": curve.x,
                "seeds": list(seeds),
                "points": points[
                    name
                ],  # per seed, in the order of `seeds`: [[x, y], ...]
            }
    return runs, results, curves


def curve_points(curve: Curve, namespace: dict) -> list[list[float]]:
    """The curve's points as [x, y] lists, y rounded as the results are."""
    return [[x, round(float(y), 6)] for x, y in curve.points(namespace)]


def table(results: dict) -> str:
    lines = [
        "| result | seed 0 | median | range | N | per seed |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in results.items():
        show = lambda v, f=r["format"]: format(v, f)  # noqa: E731
        lines.append(
            f"| {name} | {show(r['values'][r['seeds'].index(0)])} | {show(r['median'])}"
            f" | {show(r['min'])}-{show(r['max'])} | {r['n']}"
            f" | {', '.join(map(show, r['values']))} |"
        )
    return "\n".join(lines)


HEADER = """\
# Written by scripts/seed_spread.py: do not edit by hand; rerun `python scripts/seed_spread.py`.
# Each result of an example page, rerun with COURSE_SEED = each of `seeds`: its value on every
# seed (in the order of `seeds`), their median, min and max. Pages insert them as
# {{ spread.<result>_seed0 }}, _median, _min, _max and _n (overrides/hooks/course_figures.py).
# Under `curves`, the series the pages plot, per seed (scripts/plots.py draws them).
# tests/test_seed_spread.py checks that the files under each run's `files` are unchanged.
"""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--seeds",
        type=int,
        default=MIN_SEEDS,
        help=f"run seeds 0..N-1 (N >= {MIN_SEEDS}; default {MIN_SEEDS})",
    )
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        choices=sorted(RUNS),
        help="measure these runs only and print them, without writing the data file",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DATA_FILE,
        help="where to write the data file (default: the one the pages insert); the nightly"
        " GPU lane writes its own copy elsewhere, to compare",
    )
    args = parser.parse_args(argv)
    if args.seeds < MIN_SEEDS:
        parser.error(f"--seeds must be at least {MIN_SEEDS}: the pages quote that many")

    # As in the test suite: nothing from the Hub, quiet libraries.
    for name, value in {
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "HF_HUB_DISABLE_TELEMETRY": "1",
        "HF_HUB_DISABLE_PROGRESS_BARS": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "TRANSFORMERS_VERBOSITY": "error",
    }.items():
        os.environ.setdefault(name, value)
    import warnings

    import torch
    import transformers
    import trl

    from reasoning_course.tiny_models.numerics import numerics_fingerprint

    warnings.filterwarnings("ignore")
    try:
        runs, results, curves = measure(list(range(args.seeds)), args.only)
    except Exception:
        traceback.print_exc()
        sys.exit("seed_spread: a run failed; the data file was not written")
    print(table(results))
    if args.only:
        return
    data = {
        "measured_on": {
            "device": "cuda" if torch.cuda.is_available() else "cpu",
            # str(): torch's version is a str subclass that YAML cannot write
            "torch": str(torch.__version__),
            "transformers": str(transformers.__version__),
            "trl": str(trl.__version__),
            # The same seed gives other figures on a CPU that computes differently: the suite
            # checks seed 0 exactly only where this fingerprint matches.
            "numerics": numerics_fingerprint(),
        },
        "runs": runs,
        "results": results,
        "curves": curves,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_data(data, args.output)
    print(f"\nwrote {args.output}", file=sys.stderr)


def write_data(data: dict, path: Path = DATA_FILE) -> None:
    """The data file: readable YAML, each list of seeds or values on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    Dumper.add_representer(
        list,
        lambda dumper, items: dumper.represent_sequence(
            "tag:yaml.org,2002:seq", items, flow_style=True
        ),
    )
    text = yaml.dump(data, Dumper=Dumper, sort_keys=False, width=100)
    path.write_text(HEADER + text, encoding="utf-8")


if __name__ == "__main__":
    main()
