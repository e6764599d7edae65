"""The example pages' plots (docs/generated/plots/*.svg) show the runs' data, and nothing else.

scripts/plots.py draws them from docs/generated/runs.yml; the tests in each example folder
check that the file's seed 0 is the suite's own run (support/recorded.py). Here, without
training: every plot is stored, placed on a page and drawn from the data the file holds now;
each drawn line, band and bar sits where the data put it (read from the SVG's geometry, so the
check holds whatever matplotlib version drew it); the text alternative states the numbers; the
SVG takes its colours from the palette. The build hook's errors are tried on planted pages.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree

import pytest
from support.content import DOCS, hook, pages
from support.harness import ROOT, load_script
from support.recorded import record_script, stored_data

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
PLOTS = ROOT / "docs" / "generated" / "plots"
MARKER = re.compile(r"^[ \t]*<!-- course:plot (\w+) -->$", re.M)
# The plots of each kind, tiny and real, by the name of the run or results they draw.
REWARDS = {"r1_zero_rewards": "r1_zero", "smollm2_r1_zero_rewards": "smollm2_r1_zero"}
DIVERGENCES = {"logit_kl": "logit_kl", "smollm2_logit_kl": "smollm2_logit_kl"}
VOTES = {
    "self_consistency": "self_consistency",
    "smollm2_self_consistency": "smollm2_self_consistency",
}
BUDGETS = {"budget_forcing": "budget", "smollm2_budget_forcing": "smollm2_budget"}
TOLERANCE = 0.01  # px: matplotlib writes coordinates to 6 decimals


def script():
    """scripts/plots.py (it imports matplotlib only when it draws)."""
    return load_script("plots")


def stored_svg(name: str) -> str:
    return (PLOTS / f"{name}.svg").read_text(encoding="utf-8")


def tree(name: str) -> ElementTree.Element:
    return ElementTree.fromstring(stored_svg(name))


def seed0(entry: dict):
    index = entry["seeds"].index(0)
    return entry["values" if "values" in entry else "points"][index]


# --- reading the geometry back ------------------------------------------------------------------

NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def vertices(path_data: str) -> list[tuple[float, float]]:
    numbers = [float(n) for n in re.findall(NUMBER, path_data)]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def element_vertices(
    root: ElementTree.Element, element_id: str
) -> list[tuple[float, float]]:
    """The vertices an element with this id draws, in the SVG's coordinates: its first path,
    or the path it places with <use> (matplotlib's collections), shifted by the use's x, y."""
    found = root.find(f".//*[@id='{element_id}']")
    assert found is not None, f"no element {element_id!r}"
    drawn = found.find(
        f"{SVG}path"
    )  # a line or a bar: its own path (a line's markers follow)
    if drawn is not None:
        return vertices(drawn.get("d"))
    use = found.find(f".//{SVG}use")  # a band: a path defined once, placed by <use>
    target = use.get(f"{XLINK}href").removeprefix("#")
    dx, dy = float(use.get("x", 0)), float(use.get("y", 0))
    shape = root.find(f".//*[@id='{target}']")
    return [(x + dx, y + dy) for x, y in vertices(shape.get("d"))]


class Axis:
    """An affine map from data to pixels, fitted on two points with distinct values."""

    def __init__(self, data: list[float], pixels: list[float]):
        pairs = sorted(set(zip(data, pixels, strict=True)))
        (d0, p0), (d1, p1) = pairs[0], pairs[-1]
        assert d0 != d1, "a line needs two distinct values to fix its scale"
        self.scale = (p1 - p0) / (d1 - d0)
        self.offset = p0 - self.scale * d0

    def __call__(self, value: float) -> float:
        return self.offset + self.scale * value


def assert_line_draws(root, element_id, xs, ys, x_scale=lambda x: x):
    """The line's vertices are the points (xs, ys), under one affine map per axis."""
    drawn = element_vertices(root, element_id)
    assert len(drawn) == len(xs), (
        f"{element_id}: {len(drawn)} vertices, {len(xs)} points"
    )
    to_x = Axis([x_scale(x) for x in xs], [px for px, _ in drawn])
    to_y = Axis(list(ys), [py for _, py in drawn])
    for (px, py), x, y in zip(drawn, xs, ys, strict=True):
        assert math.isclose(px, to_x(x_scale(x)), abs_tol=TOLERANCE), (element_id, x)
        assert math.isclose(py, to_y(y), abs_tol=TOLERANCE), (element_id, x, y)
    assert to_y.scale < 0  # up the page is up the axis
    return to_x, to_y


def assert_band_spans(root, element_id, to_x, to_y, xs, low, high, x_scale=lambda x: x):
    """The band's outline passes through (x, min) and (x, max) at every x, and nowhere else."""
    outline = element_vertices(root, element_id)
    expected = {
        (round(to_x(x_scale(x)), 2), round(to_y(y), 2))
        for x, lo, hi in zip(xs, low, high, strict=True)
        for y in (lo, hi)
    }
    drawn = {(round(px, 2), round(py, 2)) for px, py in outline}
    assert drawn == expected, element_id


# --- every plot ---------------------------------------------------------------------------------


def placed() -> dict[str, list[str]]:
    """Each plot marker on the pages, with the pages that show it."""
    found: dict[str, list[str]] = {}
    for page in pages():
        for name in MARKER.findall(page.read_text(encoding="utf-8")):
            found.setdefault(name, []).append(page.relative_to(DOCS).as_posix())
    return found


def test_every_plot_the_script_draws_is_stored_and_shown_once_on_a_page():
    drawn = set(script().DRAWN)
    assert {p.stem for p in PLOTS.glob("*.svg")} == drawn
    assert set(placed()) == drawn
    for name, where in placed().items():
        assert len(where) == len(set(where)), f"{name} twice on one page: {where}"
    kinds = {**REWARDS, **DIVERGENCES, **VOTES, **BUDGETS}
    assert set(kinds) == drawn  # each plot's geometry is checked below


@pytest.mark.parametrize("name", sorted(script().DRAWN))
def test_the_plot_was_drawn_from_the_data_the_file_holds_now(name):
    svg = stored_svg(name)
    assert hook("course_plots").plot_problem(svg, stored_data()) is None
    keys = re.search(r'data-course-keys="([^"]*)"', svg)[1].split()
    assert keys == script().draw(name, stored_data()).keys


@pytest.mark.parametrize("name", sorted(script().DRAWN))
def test_the_plot_has_a_text_alternative_and_the_palettes_colours(name):
    root, svg = tree(name), stored_svg(name)
    assert root.get("role") == "img"
    title, desc = (root.find(f"{SVG}{tag}") for tag in ("title", "desc"))
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    assert len(title.text) > 20 and len(desc.text) > 80
    # No colour of its own: each one is a palette variable's fallback, or currentColor.
    outside_var = re.sub(r"var\(--[\w-]+, #[0-9a-f]{6,8}\)", "", svg)
    assert not re.findall(r"#[0-9a-fA-F]{6}\b", outside_var)
    assert "currentColor" in svg and "var(--course-plot-1" in svg
    # Every id starts with the plot's name: two plots on one page never share one.
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert all(i.startswith(f"{name}-") or i.startswith(f"plot-{name}-") for i in ids)
    assert len(ids) == len(set(ids))
    # Sized by the page, not in points.
    assert root.get("width") is None and root.get("viewBox")


def assert_seed0_and_its_band(root, plot: str, name: str, curve: dict) -> None:
    """The curve's seed-0 line, and a band from the lowest to the highest seed at each x."""
    xs, ys = zip(*seed0(curve), strict=True)
    to_x, to_y = assert_line_draws(root, f"{plot}-line-{name}", xs, ys)
    columns = list(zip(*[[y for _, y in p] for p in curve["points"]], strict=True))
    assert_band_spans(
        root,
        f"{plot}-band-{name}",
        to_x,
        to_y,
        xs,
        [min(c) for c in columns],
        [max(c) for c in columns],
    )


@pytest.mark.parametrize("plot, run", REWARDS.items())
def test_the_rewards_plot_draws_seed_0_and_the_range_over_the_seeds(plot, run):
    root, data = tree(plot), stored_data()
    desc = root.find(f"{SVG}desc").text
    curves = {n: c for n, c in data["curves"].items() if c["run"] == run}
    assert curves
    for name, curve in curves.items():
        xs, ys = zip(*seed0(curve), strict=True)
        assert_seed0_and_its_band(root, plot, name, curve)
        assert ", ".join(f"{y:.2f}" for y in ys) in desc
        assert f"over {len(curve['seeds'])} training seeds" in desc


@pytest.mark.parametrize("plot, name", DIVERGENCES.items())
def test_the_divergence_plot_draws_every_step_of_seed_0(plot, name):
    root, curve = tree(plot), stored_data()["curves"][name]
    xs, ys = zip(*seed0(curve), strict=True)
    assert list(xs) == list(range(len(xs)))  # step 0 (before training), then every step
    assert_seed0_and_its_band(root, plot, name, curve)
    desc = root.find(f"{SVG}desc").text
    spec = ".3f" if max(ys) < 1 else ".2f"
    assert f"{ys[0]:{spec}} at step 0" in desc
    assert f"{ys[-1]:{spec}} at step {xs[-1]}" in desc


@pytest.mark.parametrize("plot, prefix", VOTES.items())
def test_the_self_consistency_plot_draws_each_k_on_a_log_scale_with_its_range(
    plot, prefix
):
    root, results = tree(plot), stored_data()["results"]
    desc = root.find(f"{SVG}desc").text
    ks = [1, 4, 16]
    for kind in ("single", "majority"):
        entries = [results[f"{prefix}_k{k}_{kind}"] for k in ks]
        ys = [seed0(e) for e in entries]
        to_x, to_y = assert_line_draws(
            root, f"{plot}-line-{prefix}_{kind}", ks, ys, math.log2
        )
        assert_band_spans(
            root,
            f"{plot}-band-{prefix}_{kind}",
            to_x,
            to_y,
            ks,
            [e["min"] for e in entries],
            [e["max"] for e in entries],
            math.log2,
        )
        for k, e, y in zip(ks, entries, ys, strict=True):
            assert f"{y:.2f} at k = {k} (range {e['min']:.2f}–{e['max']:.2f})" in desc


@pytest.mark.parametrize("plot, prefix", BUDGETS.items())
def test_the_budget_plot_draws_each_settings_length_and_score_to_scale(plot, prefix):
    root, results = tree(plot), stored_data()["results"]
    desc = root.find(f"{SVG}desc").text
    for what in ("tokens", "right"):
        widths, values = [], []
        for key in ("free", "cap2", "cap4", "wait1", "wait2"):
            corners = element_vertices(root, f"{plot}-bar-{prefix}_{key}_{what}")
            xs = [x for x, _ in corners]
            widths.append(max(xs) - min(xs))
            values.append(seed0(results[f"{prefix}_{key}_{what}"]))
        scale = max(widths) / max(values)
        for width, value in zip(widths, values, strict=True):
            assert math.isclose(width, scale * value, abs_tol=TOLERANCE), (what, value)
    for key, label in (
        ("free", "unforced"),
        ("cap2", "capped at 2"),
        ("wait2", "2 Waits"),
    ):
        tokens = seed0(results[f"{prefix}_{key}_tokens"])
        right = seed0(results[f"{prefix}_{key}_right"])
        assert re.search(
            rf"{label}: {tokens:.1f} thinking tokens on average( \(cap \d\))?, {right} of 20",
            desc,
        ), label


def test_every_curve_the_script_records_is_stored_on_its_seeds_at_the_same_steps():
    curves, runs = stored_data()["curves"], record_script().RUNS
    assert set(curves) == {n for r in runs.values() for n in r.curves}
    for name, curve in curves.items():
        assert curve["seeds"] == list(range(runs[curve["run"]].seeds)), name
        steps = [[x for x, _ in points] for points in curve["points"]]
        assert len(steps) == len(curve["seeds"]) and len(steps[0]) >= 5, name
        assert all(s == steps[0] for s in steps), name


# --- the build hook -----------------------------------------------------------------------------


def inline(markdown: str, data: dict | None = None):
    return hook("course_plots").inline_plots(
        markdown, "docs/page.md", PLOTS, "docs/generated/plots", data or stored_data()
    )


def test_the_hook_puts_the_svg_in_place_of_the_marker_inside_a_figure():
    markdown, problems = inline("Text.\n\n    <!-- course:plot logit_kl -->\n\nMore.\n")
    assert problems == []
    figure = markdown.splitlines()[2]
    assert figure.startswith('    <figure class="course-plot"><svg role="img"')
    assert figure.endswith("</svg></figure>") and "\n" not in figure


@pytest.mark.parametrize(
    "line, message",
    [
        ("<!-- course:plot no_such_plot -->", "no plot 'no_such_plot'"),
        ("<!-- course:plot -->", "a plot marker is"),
        ("<!-- course:plot Logit-KL -->", "a plot marker is"),
        ("Text <!-- course:plot logit_kl -->", "on a line of its own"),
    ],
)
def test_a_bad_marker_is_named_at_its_line_with_the_command(line, message):
    _, problems = inline(f"# Page\n\n{line}\n")
    assert len(problems) == 1
    assert problems[0].startswith("docs/page.md:3: ") and message in problems[0]


def test_a_marker_shown_as_code_is_left_alone():
    page = (
        "Write `<!-- course:plot NAME -->` on a line of its own.\n\n"
        "```markdown\n<!-- course:plot no_such_plot -->\n```\n"
    )
    assert inline(page) == (page, [])


def test_a_plot_whose_data_changed_is_stale_at_its_line():
    data = stored_data()
    data["curves"]["logit_kl"]["points"][0][5][1] += (
        0.01  # a rerun that moved one point
    )
    markdown, problems = inline("<!-- course:plot logit_kl -->\n", data)
    assert problems == [
        "docs/page.md:1: plot 'logit_kl': it was drawn from other data than"
        " runs.yml now holds: it is stale; run `python scripts/plots.py` and"
        " commit what it writes"
    ]
    assert "<svg" not in markdown
    del data["curves"]["logit_kl"]
    _, problems = inline("<!-- course:plot logit_kl -->\n", data)
    assert "no longer holds all the data it was drawn from" in problems[0]
