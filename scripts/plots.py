"""Draw the example pages' plots from the runs' own data, as SVG: docs/generated/plots/<name>.svg.

    python scripts/plots.py          # (re)draw every plot from docs/generated/runs.yml
    python scripts/plots.py --check  # exit 1, naming them, if a plot does not match that data

The data are what scripts/record.py recorded while it reran each example on every seed:
the curves (`curves`: a value at each training step) and the results (`results`: a figure per
seed). Each plot shows seed 0, the run the pages quote and the test suite checks, as a line,
and the range over all the seeds as a band around it. Nothing here is typed in by hand.

Each SVG is written to sit inline in its page (overrides/hooks/course_plots.py puts it in place
of a `<!-- course:plot NAME -->` line):
- its text alternative is a <title> and a <desc> that state every number drawn;
- it has no colours of its own: text and axes take the page's text colour (currentColor), the
  series the palette's --course-plot-N variables (extra.css), so it reads in both palettes;
- `data-course-data` holds the SHA-256 of the data it was drawn from, and `data-course-keys`
  names those data, so that the build can tell when a plot is stale;
- each drawn series is an element with an id (`<plot>-line-...`, `-band-...`, `-bar-...`; every
  id starts with the plot's name), whose geometry tests/test_plots.py checks against the data,
  whatever matplotlib version drew it.
Matplotlib writes the same SVG for the same data and version (fixed hash salt, no date).
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import command_line
from site_hooks import ROOT, hook, shared

# The build hook that shows the plots checks them with the same hash.
_shown = hook("course_plots")
DRAW_COMMAND, data_hash = _shown.DRAW_COMMAND, _shown.data_hash
GENERATED = ROOT / "docs" / shared("course_yaml").GENERATED_DIR
DATA_FILE = GENERATED / _shown.DATA_FILE
PLOTS = GENERATED / _shown.PLOTS_DIR

# Stand-in colours, swapped for CSS after drawing: matplotlib needs concrete colours, the page
# needs the palette's. Each is a colour nothing else in a figure uses.
TEXT = "#010101"  # -> currentColor
GRID = "#020202"  # -> the palette's lightest text colour
SERIES = ("#0a0a01", "#0a0a02", "#0a0a03")  # -> var(--course-plot-1), -2, -3
# What each stand-in becomes, with a fallback for the SVG seen on its own.
SWAPS = {
    TEXT: "currentColor",
    GRID: "var(--md-default-fg-color--lightest, #0000001f)",
    SERIES[0]: "var(--course-plot-1, #1565c0)",
    SERIES[1]: "var(--course-plot-2, #b45309)",
    SERIES[2]: "var(--course-plot-3, #7b1fa2)",
}
BAND_ALPHA = 0.22


@dataclass(frozen=True)
class Figure:
    svg: str  # inline-ready: no XML prologue
    keys: list[str]  # the data drawn: "curves.<name>" or "results.<name>"


def fmt(value: float, spec: str = ".2f") -> str:
    return format(value, spec)


# --- the data, as the plots read it -------------------------------------------------------------


def seed0(entry: dict):
    """An entry's value (a result) or points (a curve) on seed 0."""
    index = entry["seeds"].index(0)
    return entry["values" if "values" in entry else "points"][index]


def band(curve: dict) -> tuple[list[float], list[float], list[float]]:
    """x, and the min and max of y over the seeds at each x (every seed logs the same x)."""
    xs = [x for x, _ in curve["points"][0]]
    for points in curve["points"]:
        if [x for x, _ in points] != xs:
            raise ValueError(
                f"{curve['what']}: the seeds were logged at different steps"
            )
    columns = list(zip(*[[y for _, y in p] for p in curve["points"]], strict=True))
    return xs, [min(c) for c in columns], [max(c) for c in columns]


# --- drawing ------------------------------------------------------------------------------------


def new_axes(figsize=(6.4, 3.4), ncols=1, **kwargs):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    matplotlib.rcParams.update(
        {
            "svg.fonttype": "none",  # text stays text: the page's font, searchable, crisp
            "svg.hashsalt": "reasoning-course",  # ids that do not change between runs
            "font.size": 11,
            "font.family": "sans-serif",
            "text.color": TEXT,
            "axes.edgecolor": TEXT,
            "axes.labelcolor": TEXT,
            "xtick.color": TEXT,
            "ytick.color": TEXT,
            "grid.color": GRID,
            "legend.frameon": False,
            "axes.spines.top": False,
            "axes.spines.right": False,
        }
    )
    return plt.subplots(figsize=figsize, ncols=ncols, layout="constrained", **kwargs)


def line_with_band(ax, xs, ys, low, high, colour, label, name, marker="o"):
    ax.fill_between(
        xs, low, high, color=colour, alpha=BAND_ALPHA, linewidth=0, gid=f"band-{name}"
    )
    ax.plot(
        xs,
        ys,
        color=colour,
        marker=marker,
        markersize=4,
        label=label,
        gid=f"line-{name}",
    )


def rewards(data: dict, run: str, model: str) -> tuple:
    """The mean of each reward a GRPO run logged, per logging step."""
    curves = {n: c for n, c in data["curves"].items() if c["run"] == run}
    fig, ax = new_axes()
    n = len(next(iter(curves.values()))["seeds"])
    described = []
    for colour, (name, curve) in zip(SERIES, curves.items(), strict=False):
        label = curve["what"].split(" reward")[0].removeprefix("mean ") + " reward"
        xs, low, high = band(curve)
        ys = [y for _, y in seed0(curve)]
        line_with_band(ax, xs, ys, low, high, colour, label, name)
        described.append(f"{label}: {', '.join(fmt(y) for y in ys)}")
    steps = [x for x, _ in seed0(next(iter(curves.values())))]
    ax.set(xlabel="GRPO step", ylabel="mean reward", ylim=(0, 1.02))
    ax.set_xticks(steps)
    ax.grid(True, linewidth=0.6)
    ax.legend(loc="lower right")
    title = f"R1-Zero-style GRPO on {model}: mean rewards per logging step"
    desc = (
        f"Seed 0, at steps {', '.join(str(s) for s in steps)}. "
        + "; ".join(described)
        + f". Shaded: the range over {n} training seeds."
    )
    return fig, title, desc, [f"curves.{c}" for c in curves]


def logit_kl(data: dict, name: str, model: str) -> tuple:
    curve = data["curves"][name]
    fig, ax = new_axes()
    xs, low, high = band(curve)
    ys = [y for _, y in seed0(curve)]
    line_with_band(ax, xs, ys, low, high, SERIES[0], "seed 0", name, marker="")
    ax.set(xlabel="optimizer step", ylabel="KL(teacher ‖ student), nats/token")
    ax.set_ylim(bottom=0)
    ax.grid(True, linewidth=0.6)
    every = max(1, len(xs) // 6)
    shown = list(zip(xs, ys, strict=True))[::every]
    if shown[-1][0] != xs[-1]:
        shown.append((xs[-1], ys[-1]))
    title = (
        f"Logit distillation on {model}: held-out divergence from the teacher per step"
    )
    spec = ".3f" if max(ys) < 1 else ".2f"
    desc = (
        f"Seed 0: {', '.join(f'{fmt(y, spec)} at step {x}' for x, y in shown)} nats per token"
        f" (every step is plotted). Shaded: the range over {len(curve['seeds'])}"
        " training seeds."
    )
    return fig, title, desc, [f"curves.{name}"]


def self_consistency(data: dict, prefix: str, model: str) -> tuple:
    results = data["results"]
    ks = sorted(
        {
            int(m[1])
            for name in results
            if (m := re.fullmatch(rf"{prefix}_k(\d+)_single", name))
        }
    )
    fig, ax = new_axes()
    keys, described = [], []
    for colour, (kind, label) in zip(
        SERIES, (("single", "one sample"), ("majority", "majority vote")), strict=False
    ):
        entries = [results[f"{prefix}_k{k}_{kind}"] for k in ks]
        keys += [f"results.{prefix}_k{k}_{kind}" for k in ks]
        ys = [seed0(e) for e in entries]
        line_with_band(
            ax,
            ks,
            ys,
            [e["min"] for e in entries],
            [e["max"] for e in entries],
            colour,
            label,
            f"{prefix}_{kind}",
        )
        described.append(
            f"{label}: "
            + ", ".join(
                f"{fmt(y)} at k = {k} (range {fmt(e['min'])}–{fmt(e['max'])})"
                for k, y, e in zip(ks, ys, entries, strict=True)
            )
        )
    ax.set_xscale("log", base=2)
    ax.set_xticks(ks, [str(k) for k in ks])
    ax.minorticks_off()
    ax.set(
        xlabel="k, sampled paths per question",
        ylabel="held-out accuracy",
        ylim=(0, 1.02),
    )
    ax.grid(True, linewidth=0.6)
    ax.legend(loc="lower right")
    n = results[f"{prefix}_k{ks[0]}_single"]["n"]
    title = f"Self-consistency on {model}: held-out accuracy against sampled paths"
    desc = (
        "Seed 0; in brackets and shaded, the range over "
        f"{n} sampling seeds. " + "; ".join(described) + "."
    )
    return fig, title, desc, keys


BUDGETS = (  # as scripts/record.py names them, in the page's order, with the cap if any
    ("free", "unforced", None),
    ("cap2", "capped at 2", 2),
    ("cap4", "capped at 4", 4),
    ("wait1", "1 Wait", None),
    ("wait2", "2 Waits", None),
)


def budget_forcing(data: dict, prefix: str, model: str) -> tuple:
    results = data["results"]
    fig, (tokens_ax, right_ax) = new_axes(figsize=(6.4, 3.0), ncols=2, sharey=True)
    labels = [label for _, label, _ in BUDGETS]
    rows = list(range(len(BUDGETS)))[::-1]  # the first setting on top
    tokens = [seed0(results[f"{prefix}_{key}_tokens"]) for key, _, _ in BUDGETS]
    right = [seed0(results[f"{prefix}_{key}_right"]) for key, _, _ in BUDGETS]
    for ax, values, colour, what in (
        (tokens_ax, tokens, SERIES[0], "tokens"),
        (right_ax, right, SERIES[1], "right"),
    ):
        bars = ax.barh(rows, values, color=colour)
        for bar, (key, _, _) in zip(bars, BUDGETS, strict=True):
            bar.set_gid(f"bar-{prefix}_{key}_{what}")
        ax.bar_label(bars, fmt="%.1f" if what == "tokens" else "%d", padding=3)
    for row, (_, _, cap) in zip(rows, BUDGETS, strict=True):
        if cap is not None:  # the cap, as a tick across its bar
            tokens_ax.plot(
                [cap, cap], [row - 0.4, row + 0.4], color=TEXT, linewidth=1.5
            )
    tokens_ax.set_yticks(rows, labels)
    tokens_ax.set(xlabel="mean thinking tokens")
    tokens_ax.set_xlim(0, max(tokens) * 1.2)  # room for the labels
    right_ax.set(xlabel="right answers of 20", xlim=(0, 24))
    right_ax.set_xticks(range(0, 21, 5))
    for ax in (tokens_ax, right_ax):
        ax.grid(True, axis="x", linewidth=0.6)
        ax.set_axisbelow(True)
    n = results[f"{prefix}_free_tokens"]["n"]
    title = f"Budget forcing on {model}: thinking length and right answers"
    desc = (
        f"Greedy decoding{f', the same on all {n} seeds' if n > 1 else ''}. "
        + "; ".join(
            f"{label}: {fmt(t, '.1f')} thinking tokens on average"
            + (f" (cap {cap})" if cap else "")
            + f", {r} of 20 right"
            for (_, label, cap), t, r in zip(BUDGETS, tokens, right, strict=True)
        )
        + "."
    )
    keys = [
        f"results.{prefix}_{key}_{what}"
        for key, _, _ in BUDGETS
        for what in ("tokens", "right")
    ]
    return fig, title, desc, keys


TINY, REAL = "the tiny model", "SmolLM2-135M-Instruct"
# Each plot: how it is drawn, from which run or results, for which model.
DRAWN: dict[str, Callable[[dict], tuple]] = {
    "r1_zero_rewards": lambda d: rewards(d, "r1_zero", TINY),
    "logit_kl": lambda d: logit_kl(d, "logit_kl", "the tiny models"),
    "self_consistency": lambda d: self_consistency(d, "self_consistency", TINY),
    "budget_forcing": lambda d: budget_forcing(d, "budget", "the tiny teacher"),
    "smollm2_r1_zero_rewards": lambda d: rewards(d, "smollm2_r1_zero", REAL),
    "smollm2_logit_kl": lambda d: logit_kl(d, "smollm2_logit_kl", REAL),
    "smollm2_self_consistency": lambda d: self_consistency(
        d, "smollm2_self_consistency", REAL
    ),
    "smollm2_budget_forcing": lambda d: budget_forcing(d, "smollm2_budget", REAL),
}


# --- the SVG ------------------------------------------------------------------------------------


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_svg(
    name: str, fig, title: str, desc: str, keys: list[str], data: dict
) -> Figure:
    import matplotlib.pyplot as plt

    out = io.StringIO()
    fig.savefig(out, format="svg", transparent=True, metadata={"Date": None})
    plt.close(fig)
    svg = out.getvalue()
    svg = svg[svg.index("<svg") :]  # no XML declaration or DOCTYPE: it sits inside HTML
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    leftover = set(re.findall(r"#[0-9a-fA-F]{6}\b", svg)) - set(SWAPS)
    if leftover:  # a colour of matplotlib's own would not follow the palette
        raise ValueError(f"{name}: colours left in the SVG: {sorted(leftover)}")
    for stand_in, colour in SWAPS.items():
        svg = svg.replace(stand_in, colour)
    # The text takes the page's font (extra.css), or any sans-serif seen on its own.
    svg = re.sub(r"font-family: [^;\"]*;? ?", "", svg)
    # Matplotlib sizes the SVG in points; scaling to the column's width is CSS's job.
    svg = re.sub(r'(<svg[^>]*?) width="[^"]*" height="[^"]*"', r"\1", svg, count=1)
    opening = (
        f'<svg role="img" aria-labelledby="plot-{name}-title"'
        f' aria-describedby="plot-{name}-desc"'
        f' data-course-plot="{name}" data-course-keys="{" ".join(keys)}"'
        f' data-course-data="{data_hash(data, keys)}" font-family="sans-serif"'
    )
    # Every id gets the plot's name in front: two plots on one page must not share one.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{name}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{name}-\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{name}-\1"', svg)
    svg = svg.replace("<svg", opening, 1)
    svg = re.sub(
        r"(<svg[^>]*>)",
        lambda m: (
            m[1]
            + f'\n <title id="plot-{name}-title">{escape(title)}</title>'
            + f'\n <desc id="plot-{name}-desc">{escape(desc)}</desc>'
        ),
        svg,
        count=1,
    )
    return Figure(svg=svg, keys=keys)


def draw(name: str, data: dict) -> Figure:
    fig, title, desc, keys = DRAWN[name](data)
    return to_svg(name, fig, title, desc, keys, data)


def load_data(path: Path = DATA_FILE) -> dict:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = command_line.parser_for(__doc__)
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if a stored plot differs from what the data draw",
    )
    args = parser.parse_args(argv)
    data = load_data()
    stale = []
    PLOTS.mkdir(parents=True, exist_ok=True)
    for name in DRAWN:
        path = PLOTS / f"{name}.svg"
        svg = draw(name, data).svg
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current == svg:
            continue
        if args.check:
            stale.append(path.relative_to(ROOT).as_posix())
        else:
            path.write_text(svg, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print(f"stale: {', '.join(stale)}; run `{DRAW_COMMAND}`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
