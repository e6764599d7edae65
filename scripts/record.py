"""Record every result the example pages state, and draw the plots from it: one command.

    python scripts/record.py                 # everything: about 30 minutes on 2 CPU cores
    python scripts/record.py --only smollm2_r1_zero self_consistency   # some runs, printed only
    python scripts/record.py --output build/runs.yml  # leave the pages' file alone

Each example whose result a page states is rerun here on several seeds (COURSE_SEED=0, 1, ...,
the one environment variable through which a seed reaches a snippet): on the tiny models, which
prove the mechanics, and on SmolLM2-135M-Instruct, a real pretrained model, which shows the
behaviour. The runs are defined once, in RUNS below; the test suite runs seed 0 of each from the
same definitions (tests/support/recorded.py). This writes docs/generated/runs.yml: per result its
value on every seed, their median, min and max; per run what determines it (its identity: the
code's syntax tree, the recipe's data, the model); and the machine and libraries that measured
them. Then it redraws the plots (scripts/plots.py). The pages insert the figures from that file
({{ spread.<result>_median }}, overrides/hooks/course_figures.py).

The recording is made in one canonical place, the `record` workflow (.github/workflows/record.yml),
weekly and on a maintainer's dispatch, which opens a pull request with what it wrote. Run it
locally to see the numbers on your machine; the suite never asks a contributor's machine to
reproduce them.

All runs share one process (runpy, like the test harness), so torch and TRL are imported once.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import os
import platform
import runpy
import statistics
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import command_line

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "reasoning_course"
DATA_FILE = ROOT / "docs" / "generated" / "runs.yml"
COMMAND = "python scripts/record.py"
SEED_ENV = "COURSE_SEED"
TINY_SEEDS = 5  # the tiny models' runs take seconds: five seeds each
REAL_SEEDS = 3  # SmolLM2's take minutes: three
REAL = "recipes/SmolLM2-135M-Instruct"


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
    model: str  # a course model (course-models list): $COURSE_MODEL
    seeds: int  # runs on seeds 0..seeds-1
    seed_reaches: str  # where COURSE_SEED goes, in words
    # The seeds the run really used, read from its globals: the script checks them.
    seed_used: Callable[[dict], list[int]]
    results: dict[str, Result]
    curves: dict[str, Curve] = field(default_factory=dict)
    teacher: str | None = None  # a course model: $COURSE_TEACHER
    recipe: str | None = None  # --config; None: the snippet's default, from the package
    # A run whose output folder this one reads (its teacher): both run in one folder, in order.
    after: str | None = None

    @property
    def argv(self) -> tuple[str, ...]:
        return ("--config", self.recipe) if self.recipe else ()


def trainer_seeds(*names: str) -> Callable[[dict], list[int]]:
    return lambda g: [g[name].args.seed for name in names]


def no_seed(g: dict) -> list[int]:
    return []


def logged(key: str) -> Callable[[dict], list[tuple[float, float]]]:
    """A value the trainer logged, at each logging step: trainer.state.log_history."""
    return lambda g: [
        (log["step"], log[key]) for log in g["trainer"].state.log_history if key in log
    ]


GREEDY = "nothing: decoding is greedy, so every seed must give the same figures"
BUDGETS = {
    "free": "free",
    "cap2": "capped at 2",
    "cap4": "capped at 4",
    "wait1": "1 Wait",
    "wait2": "2 Waits",
}


def grpo_results(prefix: str) -> dict[str, Result]:
    return {
        f"{prefix}_accuracy_before": Result(
            "held-out accuracy before GRPO", ".2f", lambda g: g["before"][0]
        ),
        f"{prefix}_accuracy": Result(
            "held-out accuracy after GRPO", ".2f", lambda g: g["after"][0]
        ),
        f"{prefix}_format": Result(
            "held-out format rate after GRPO", ".2f", lambda g: g["after"][1]
        ),
    }


def grpo_curves(prefix: str, rewards: list[str]) -> dict[str, Curve]:
    return {
        f"{prefix}_{name}_reward": Curve(
            f"mean {name} reward of the completions sampled since the last log",
            "GRPO step",
            logged(f"rewards/{name}_reward/mean"),
        )
        for name in rewards
    }


def trace_results(prefix: str) -> dict[str, Result]:
    return {
        f"{prefix}_kept": Result(
            "teacher traces kept by rejection sampling", "d", lambda g: len(g["kept"])
        ),
        f"{prefix}_accuracy_before": Result(
            "held-out accuracy before SFT", ".2f", lambda g: g["before"][0]
        ),
        f"{prefix}_accuracy": Result(
            "held-out accuracy after SFT on the teacher's traces",
            ".2f",
            lambda g: g["after"][0],
        ),
        f"{prefix}_format": Result(
            "held-out format rate after SFT on the teacher's traces",
            ".2f",
            lambda g: g["after"][1],
        ),
    }


def logit_results(prefix: str, spec: str) -> dict[str, Result]:
    return {
        f"{prefix}_kl_before": Result(
            "held-out KL(teacher || student) before training, nats/token",
            spec,
            lambda g: g["before"],
        ),
        f"{prefix}_kl_after": Result(
            "held-out KL(teacher || student) after training, nats/token",
            spec,
            lambda g: g["after"],
        ),
        f"{prefix}_fall": Result(
            "fall in held-out KL(teacher || student)",
            ".0%",
            lambda g: 1 - g["after"] / g["before"],
        ),
    }


def logit_curves(prefix: str) -> dict[str, Curve]:
    return {
        f"{prefix}_kl": Curve(
            "held-out KL(teacher || student), nats/token",
            "optimizer step",
            lambda g: g["curve"],
        )
    }


def consistency_results(prefix: str) -> dict[str, Result]:
    return {
        f"{prefix}_k{k}_{kind}": Result(
            f"held-out accuracy, k={k}, {'one sample' if i == 0 else 'majority vote'}",
            ".2f",
            lambda g, k=k, i=i: g["results"][k][i],
        )
        for k in (1, 4, 16)
        for i, kind in enumerate(("single", "majority"))
    }


def budget_results(prefix: str) -> dict[str, Result]:
    def mean_thinking(setting: str) -> Callable[[dict], float]:
        return lambda g: statistics.fmean(n for _, n in g["results"][setting])

    def right_answers(setting: str) -> Callable[[dict], int]:
        def right(g: dict) -> int:
            runs, problems = g["results"][setting], g["HELD_OUT_PROBLEMS"]
            check = g["recipe"].answer_check
            return sum(
                g["answer_of"](completion, check) == str(a + b)
                for (completion, _), (a, b) in zip(runs, problems, strict=True)
            )

        return right

    return {
        **{
            f"{prefix}_{key}_tokens": Result(
                f"mean thinking tokens, {setting}", ".1f", mean_thinking(setting)
            )
            for key, setting in BUDGETS.items()
        },
        **{
            f"{prefix}_{key}_right": Result(
                f"held-out sums right of 20, {setting}", "d", right_answers(setting)
            )
            for key, setting in BUDGETS.items()
        },
    }


def sampled_reward_results(prefix: str) -> dict[str, Result]:
    names = ("format", "accuracy", "number", "trl think_format", "trl accuracy")
    return {
        f"{prefix}_{name.replace(' ', '_')}": Result(
            f"mean {name} reward of the model's own held-out samples",
            ".2f",
            lambda g, name=name: statistics.fmean(g["scores"][name]),
        )
        for name in names
    }


def cot_results(prefix: str) -> dict[str, Result]:
    return {
        f"{prefix}_{key}_right": Result(
            f"held-out sums right of 20, {name}, greedy",
            "d",
            lambda g, n=name: g["right"][n],
        )
        for key, name in (("direct", "direct"), ("cot", "chain of thought"))
    }


RUNS = {
    # --- the tiny models: the mechanics, exactly --------------------------------------------
    "r1_zero": Run(
        "grpo/r1_zero.py",
        "arithmetic",
        TINY_SEEDS,
        "the GRPO trainer's seed (RUN_SETTINGS); held-out samples are drawn with seed 0",
        trainer_seeds("trainer"),
        grpo_results("r1_zero"),
        grpo_curves("r1_zero", ["format", "accuracy"]),
    ),
    "trace_distillation": Run(
        "distillation/trace_distillation.py",
        "student",
        TINY_SEEDS,
        "the SFT trainer's seed (RUN_SETTINGS); traces and held-out samples are drawn"
        " with fixed seeds",
        trainer_seeds("trainer"),
        trace_results("trace"),
        teacher="teacher",
    ),
    "logit_distillation": Run(
        "distillation/logit_distillation.py",
        "student",
        TINY_SEEDS,
        "the distillation trainer's seed (RUN_SETTINGS)",
        trainer_seeds("trainer"),
        logit_results("logit", ".1f"),
        logit_curves("logit"),
        teacher="teacher",
    ),
    "distillation_vs_rl": Run(
        "distillation/distillation_vs_rl.py",
        "student",
        TINY_SEEDS,
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
        teacher="teacher",
    ),
    "self_consistency": Run(
        "inference-time-scaling/self_consistency.py",
        "arithmetic",
        TINY_SEEDS,
        "the sampling seed (SEED)",
        lambda g: [g["SEED"]],
        consistency_results("self_consistency"),
    ),
    "chain_of_thought": Run(
        "inference-time-scaling/chain_of_thought.py",
        "teacher",
        1,
        GREEDY,
        no_seed,
        cot_results("cot"),
    ),
    "budget_forcing": Run(
        "inference-time-scaling/budget_forcing.py",
        "teacher",
        TINY_SEEDS,
        GREEDY,
        no_seed,
        budget_results("budget"),
    ),
    "sampled_rewards": Run(
        "grpo/sampled_rewards.py",
        "arithmetic",
        1,
        "nothing: the samples are drawn with seed 0",
        no_seed,
        sampled_reward_results("rewards"),
    ),
    # --- SmolLM2-135M-Instruct: the behaviour on a real model -----------------------------
    "smollm2_sampled_rewards": Run(
        "grpo/sampled_rewards.py",
        "smollm2",
        1,
        "nothing: the samples are drawn with seed 0",
        no_seed,
        sampled_reward_results("smollm2_rewards"),
        recipe=f"{REAL}/grpo/sampled_rewards.yaml",
    ),
    "smollm2_r1_zero": Run(
        "grpo/r1_zero.py",
        "smollm2",
        REAL_SEEDS,
        "the GRPO trainer's seed (RUN_SETTINGS); held-out samples are drawn with seed 0",
        trainer_seeds("trainer"),
        grpo_results("smollm2_r1_zero"),
        grpo_curves("smollm2_r1_zero", ["number"]),
        recipe=f"{REAL}/grpo/r1_zero.yaml",
    ),
    "smollm2_trace_distillation": Run(
        "distillation/trace_distillation.py",
        "smollm2",
        REAL_SEEDS,
        "the SFT trainer's seed, and the teacher's: SmolLM2 after GRPO on the same seed",
        trainer_seeds("trainer"),
        trace_results("smollm2_trace"),
        recipe=f"{REAL}/distillation/trace_distillation.yaml",
        after="smollm2_r1_zero",
    ),
    "smollm2_logit_distillation": Run(
        "distillation/logit_distillation.py",
        "smollm2",
        REAL_SEEDS,
        "the distillation trainer's seed, and the teacher's: SmolLM2 after GRPO on the"
        " same seed",
        trainer_seeds("trainer"),
        logit_results("smollm2_logit", ".3f"),
        logit_curves("smollm2_logit"),
        recipe=f"{REAL}/distillation/logit_distillation.yaml",
        after="smollm2_r1_zero",
    ),
    "smollm2_chain_of_thought": Run(
        "inference-time-scaling/chain_of_thought.py",
        "smollm2",
        1,
        GREEDY,
        no_seed,
        cot_results("smollm2_cot"),
        recipe=f"{REAL}/inference-time-scaling/chain_of_thought.yaml",
    ),
    "smollm2_self_consistency": Run(
        "inference-time-scaling/self_consistency.py",
        "smollm2",
        REAL_SEEDS,
        "the sampling seed (SEED)",
        lambda g: [g["SEED"]],
        consistency_results("smollm2_self_consistency"),
        recipe=f"{REAL}/inference-time-scaling/self_consistency.yaml",
    ),
    "smollm2_budget_forcing": Run(
        "inference-time-scaling/budget_forcing.py",
        "smollm2",
        1,
        GREEDY,
        no_seed,
        budget_results("smollm2_budget"),
        recipe=f"{REAL}/inference-time-scaling/budget_forcing.yaml",
    ),
}


# --- what determines a run: its identity ---------------------------------------------------------


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
    import ast

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


def code_files(snippet: str) -> list[Path]:
    """The snippet and every package module it imports, transitively."""
    todo, seen = [ROOT / "snippets" / snippet], set()
    while todo:
        path = todo.pop()
        if path not in seen:
            seen.add(path)
            todo += _imports(path)
    return sorted(seen)


def recipe_file(run: Run) -> Path | None:
    """The recipe the run reads: its --config, or the default the package ships, if any."""
    if run.recipe:
        return ROOT / run.recipe
    bundled = (
        files("reasoning_course.recipes")
        / "tiny"
        / Path(run.snippet).with_suffix(".yaml")
    )
    return Path(str(bundled)) if bundled.is_file() else None


def model_identity(name: str) -> str:
    """A course model as what determines its weights: a tiny recipe's key (its fields and the
    syntax tree of the code that builds it), or a real model's source file's SHA-256."""
    from reasoning_course import real_models, tiny_models

    if name in real_models.REAL_MODELS:
        model = real_models.REAL_MODELS[name]
        return f"{model.gguf_sha256}, dequantized to float32"
    return tiny_models.RECIPES[name].key()


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def determined_by(run_name: str) -> dict[str, str]:
    """Everything that determines a run's results, each with its digest: code (syntax trees,
    without comments or docstrings), recipe (its data), models, and the run it follows."""
    from reasoning_course.provenance import code_digest, data_digest

    run = RUNS[run_name]
    parts = {relative(path): code_digest(path) for path in code_files(run.snippet)}
    recipe = recipe_file(run)
    if recipe is not None:
        parts[relative(recipe)] = data_digest(recipe)
    parts[f"model {run.model}"] = model_identity(run.model)
    if run.teacher:
        parts[f"teacher {run.teacher}"] = model_identity(run.teacher)
    if run.after:
        parts[f"after {run.after}"] = identity(run.after)
    return parts


def identity(run_name: str) -> str:
    """One digest of everything that determines the run's results."""
    parts = determined_by(run_name)
    text = "\n".join(f"{key} {value}" for key, value in sorted(parts.items()))
    return hashlib.sha256(text.encode()).hexdigest()


# --- running ----------------------------------------------------------------------------------


def run_once(run: Run, seed: int, folder: Path) -> dict:
    """The snippet's globals after one run as ``__main__`` with COURSE_SEED=seed, in ``folder``
    (where the runs it follows left their output)."""
    from reasoning_course import course_models

    os.environ[SEED_ENV] = str(seed)
    os.environ["COURSE_MODEL"] = str(course_models.build(run.model))
    if run.teacher:
        os.environ["COURSE_TEACHER"] = str(course_models.build(run.teacher))
    else:
        os.environ.pop("COURSE_TEACHER", None)
    # The package reads COURSE_SEED when it is imported: import it afresh, as a new process would.
    sys.modules.pop("reasoning_course.training", None)
    # As the suite does (tests/support/harness.py): free the last run's cycles, then leave what
    # is alive out of the collector's walks during this run.
    gc.collect()
    gc.freeze()
    out = io.StringIO()
    saved_argv = sys.argv
    try:
        with (
            contextlib.chdir(folder),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(out),
        ):
            # As `python snippets/<snippet> [--config recipes/...]` from the repository root.
            if not (folder / "recipes").exists():
                (folder / "recipes").symlink_to(ROOT / "recipes")
            sys.argv = [f"snippets/{run.snippet}", *run.argv]
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
        sys.exit(f"record: {run.snippet} ran with seed {used}, not {seed}")
    return namespace


def spread(values: list[float]) -> dict:
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
    }


def chains(names: list[str]) -> list[list[str]]:
    """The runs in order, those that follow another in one list with it (one folder a seed)."""
    grouped: dict[str, list[str]] = {}
    for name in names:
        head = name
        while RUNS[head].after:
            head = RUNS[head].after
        grouped.setdefault(head, []).append(name)
    for head, group in grouped.items():
        if head not in group:
            raise SystemExit(f"record: {group} follow {head}, which is not selected")
    return list(grouped.values())


def measure(names: list[str]) -> tuple[dict, dict, dict]:
    runs, results, curves = {}, {}, {}
    values = {n: {r: [] for r in RUNS[n].results} for n in names}
    points = {n: {c: [] for c in RUNS[n].curves} for n in names}
    for chain in chains(names):
        for seed in range(max(RUNS[name].seeds for name in chain)):
            with tempfile.TemporaryDirectory(prefix="record-") as folder:
                for name in chain:
                    run = RUNS[name]
                    if seed >= run.seeds:
                        continue
                    print(
                        f"{name} ({run.snippet}), seed {seed}",
                        file=sys.stderr,
                        flush=True,
                    )
                    namespace = run_once(run, seed, Path(folder))
                    for result_name, result in run.results.items():
                        values[name][result_name].append(value_of(result, namespace))
                    for curve_name, curve in run.curves.items():
                        points[name][curve_name].append(curve_points(curve, namespace))
                    # Its model and trainer go before the next run loads its own.
                    del namespace
    for name in names:
        run = RUNS[name]
        seeds = list(range(run.seeds))
        runs[name] = {
            "snippet": f"snippets/{run.snippet}",
            "model": run.model,
            "teacher": run.teacher,
            "recipe": relative(recipe_file(run)) if recipe_file(run) else None,
            "after": run.after,
            "seed_reaches": run.seed_reaches,
            "identity": identity(name),
            "determined_by": determined_by(name),
        }
        for result_name, result in run.results.items():
            measured = values[name][result_name]
            results[result_name] = {
                **described(name, result, seeds),
                "format": result.format,
                "values": measured,
                **spread(measured),
            }
        for curve_name, curve in run.curves.items():
            curves[curve_name] = {
                **described(name, curve, seeds),
                "x": curve.x,
                "points": points[name][curve_name],  # per seed: [[x, y], ...]
            }
    return runs, results, curves


def described(run: str, item: Result | Curve, seeds: list[int]) -> dict:
    """What a result and a curve both say: the run they come from, what they are, its seeds."""
    return {"run": run, "what": item.what, "seeds": seeds}


def value_of(result: Result, namespace: dict) -> float:
    value = result.value(namespace)
    return int(value) if result.format == "d" else round(float(value), 6)


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
            f"| {name} | {show(r['values'][0])} | {show(r['median'])}"
            f" | {show(r['min'])}-{show(r['max'])} | {r['n']}"
            f" | {', '.join(map(show, r['values']))} |"
        )
    return "\n".join(lines)


def machine() -> dict:
    """Where the runs were measured: the recording workflow names its runner."""
    import torch
    import transformers
    import trl

    from reasoning_course.tiny_models.numerics import numerics_fingerprint

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "runner": os.environ.get(
            "COURSE_RUNNER", f"{platform.node()} (not the workflow)"
        ),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "device": "cuda" if torch.cuda.is_available() else "cpu",
        "python": platform.python_version(),
        # str(): torch's version is a str subclass that YAML cannot write
        "torch": str(torch.__version__),
        "transformers": str(transformers.__version__),
        "trl": str(trl.__version__),
        # The same seed gives other figures on a CPU that computes differently: the suite
        # compares seed 0 exactly only where this fingerprint matches.
        "numerics": numerics_fingerprint(),
    }


HEADER = """\
# Written by scripts/record.py: do not edit by hand; the `record` workflow reruns it.
# Each result of an example page, rerun with COURSE_SEED = each of `seeds`: its value on every
# seed (in the order of `seeds`), their median, min and max. Pages insert them as
# {{ spread.<result>_seed0 }}, _median, _min, _max and _n (overrides/hooks/course_figures.py).
# Under `curves`, the series the pages plot, per seed (scripts/plots.py draws them). Under
# `runs`, what determines each run: tests/test_recorded_runs.py checks that it is unchanged.
"""


def main(argv: list[str] | None = None) -> None:
    parser = command_line.parser_for(__doc__)
    parser.add_argument(
        "--only",
        nargs="*",
        default=[],
        choices=sorted(RUNS),
        help="measure these runs only (and those they follow) and print them, without"
        " writing the data file",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=DATA_FILE,
        help="where to write the data file (default: the one the pages insert); the"
        " GPU lane writes its own copy elsewhere, to compare",
    )
    args = parser.parse_args(argv)

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

    warnings.filterwarnings("ignore")
    names = list(RUNS)
    if args.only:
        wanted = set(args.only)
        for name in args.only:
            while RUNS[name].after:
                name = RUNS[name].after
                wanted.add(name)
        names = [name for name in RUNS if name in wanted]
    try:
        runs, results, curves = measure(names)
    except Exception:
        traceback.print_exc()
        sys.exit("record: a run failed; the data file was not written")
    print(table(results))
    if args.only:
        return
    data = {
        "measured_on": machine(),
        "runs": runs,
        "results": results,
        "curves": curves,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    write_data(data, args.output)
    print(f"\nwrote {relative(args.output)}", file=sys.stderr)
    if args.output == DATA_FILE:
        import plots  # beside this script, as `python scripts/record.py` and pytest find it

        plots.main([])


def write_data(data: dict, path: Path = DATA_FILE) -> None:
    """The data file: readable YAML, each list of seeds or values on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(
            self, data
        ):  # the seeds' list, shared by results, written out each time
            return True

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
