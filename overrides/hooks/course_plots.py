"""MkDocs hook: a ``<!-- course:plot NAME -->`` line on a page becomes that plot, an SVG drawn ahead of time.

``scripts/plots.py`` draws each plot from the runs' data in docs/generated/runs.yml and stores it
as docs/generated/plots/NAME.svg (read by this hook, never published as a file). The SVG carries its
text alternative (``role="img"``, a ``<title>`` and a ``<desc>`` that state the numbers) and no
colours of its own (extra.css gives the palette's). This hook puts it inline, inside
``<figure class="course-plot">``, so a page with plots makes no extra request.

The SVG names the data it was drawn from (``data-course-keys``) and their SHA-256
(``data-course-data``). A plot whose data have changed since it was drawn (the seed spread was
rerun), a plot with no SVG, and an unknown or malformed marker are each a warning naming the
page, the line and the command to run, so ``mkdocs build --strict`` fails.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from pathlib import Path

from course_diagrams import shown, stored_svg  # shown: a path as messages name it
from course_yaml import GENERATED_DIR
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

PLOTS_DIR = "plots"  # under docs/generated/
DATA_FILE = "runs.yml"  # under docs/generated/: what the plots are drawn from
DRAW_COMMAND = "python scripts/plots.py"
MARKER = "course:plot"
# The marker on a line of its own, possibly indented (in an admonition or a tab).
MARKER_LINE = re.compile(
    r"^(?P<indent>[ \t]*)<!--\s*course:plot\b(?P<rest>.*?)-->[ \t]*$"
)
NAME = re.compile(r"[a-z0-9_]+")
MARKER_START = re.compile(r"<!--\s*course:plot\b")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")

log = logging.getLogger("mkdocs.hooks.course_plots")


def data_hash(data: dict, keys: list[str]) -> str | None:
    """The SHA-256 of the data ``keys`` name ("curves.x", "results.y"), as scripts/plots.py
    computes it; None if one of them is missing."""
    subset = {}
    for key in keys:
        group, _, name = key.partition(".")
        entry = data.get(group, {}).get(name) if isinstance(data, dict) else None
        if entry is None:
            return None
        subset[key] = entry
    text = json.dumps(subset, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def attribute(svg: str, name: str) -> str | None:
    opening = re.match(r"\s*<svg\b[^>]*>", svg)
    found = opening and re.search(rf'\s{name}="([^"]*)"', opening[0])
    return found[1] if found else None


def plot_problem(svg: str, data: dict) -> str | None:
    """Why a stored plot's SVG cannot be shown as drawn from ``data``, or None."""
    keys, drawn_from = (
        attribute(svg, "data-course-keys"),
        attribute(svg, "data-course-data"),
    )
    if not keys or not drawn_from:
        return "its SVG does not say which data it was drawn from"
    current = data_hash(data, keys.split())
    if current is None:
        return f"{DATA_FILE} no longer holds all the data it was drawn from ({keys})"
    if current != drawn_from:
        return f"it was drawn from other data than {DATA_FILE} now holds: it is stale"
    return None


def inline_plots(
    markdown: str, where: str, folder: Path, shown_folder: str, data: dict
) -> tuple[str, list[str]]:
    """``markdown`` with each plot marker replaced by its figure, and the problems found,
    each ``where:LINE: ...``. A marker with a problem is left as it is (an HTML comment)."""
    problems: list[str] = []
    lines = markdown.splitlines(keepends=True)
    fence = None  # the opening fence of the code block we are in, if any
    for number, line in enumerate(lines, start=1):
        opening = FENCE.match(line)
        if opening and (fence is None or opening[1].startswith(fence)):
            fence = opening[1] if fence is None else None
            continue
        # A marker shown as code (in a fence, or `in backticks`) is text, not a marker.
        if fence is not None or not MARKER_START.search(re.sub(r"`+[^`]*`+", "", line)):
            continue
        found = MARKER_LINE.match(line.rstrip("\r\n"))
        name = found["rest"].strip() if found else ""
        if not found or not NAME.fullmatch(name):
            problems.append(
                f"{where}:{number}: a plot marker is `<!-- {MARKER} NAME -->` on a line of"
                " its own, NAME in lower case letters, digits and _"
            )
            continue
        svg = stored_svg(
            folder / f"{name}.svg",
            problems,
            f"{where}:{number}: no plot {name!r} ({shown_folder}/{name}.svg); the plots"
            f" are those scripts/plots.py draws: run `{DRAW_COMMAND}`",
        )
        if svg is None:
            continue
        problem = plot_problem(svg, data)
        if problem:
            problems.append(
                f"{where}:{number}: plot {name!r}: {problem}; run `{DRAW_COMMAND}` and"
                " commit what it writes"
            )
            continue
        lines[number - 1] = (
            f'{found["indent"]}<figure class="course-plot">{" ".join(svg.split())}</figure>\n'
        )
    return "".join(lines), problems


def data_dir(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir) / GENERATED_DIR


# After course_figures.py (priority 50), which has already read and checked the data file.
@event_priority(40)
def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    if MARKER not in markdown:
        return markdown
    import yaml

    data = yaml.safe_load((data_dir(config) / DATA_FILE).read_text(encoding="utf-8"))
    folder = data_dir(config) / PLOTS_DIR
    markdown, problems = inline_plots(
        markdown, f"docs/{page.file.src_uri}", folder, shown(folder, config), data
    )
    for problem in problems:
        log.warning(problem)
    return markdown
