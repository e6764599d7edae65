"""MkDocs hook: each ```` ```mermaid ```` fence on a page becomes its diagram, an SVG drawn ahead of time.

No page loads Mermaid (3.5 MB of script). ``scripts/render_diagrams.py`` draws every diagram with
the vendored Mermaid (scripts/vendor/mermaid.min.js) in Chromium and stores the SVG in
docs/generated/diagrams/ (read by this hook, never published as a file), named by a hash of the
fence's text: ``<key>.svg``. The SVG carries its text alternative (``role="img"``, a ``<title>``
and a ``<desc>`` derived from the diagram) and no colours of its own: the site's stylesheet
(extra.css) colours it with the palette's variables, so it reads in both palettes.

This hook swaps each fence for ``<figure class="course-diagram">`` holding that SVG, before the
Markdown is converted. Figures (``{{ r1.aime }}``) are filled in first (course_figures.py), so a
diagram is keyed by the text it shows. It reads stored files only: ``mkdocs serve`` needs no
browser. A fence whose SVG is missing, because the diagram is new or was edited since it was
drawn, is a warning naming the page, the line and the command to run, so ``--strict`` fails;
``mkdocs serve`` shows the fence's text until the diagram is drawn.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from pathlib import Path

from course_yaml import GENERATED_DIR
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

DIAGRAMS_DIR = "diagrams"  # under docs/generated/
RENDER_COMMAND = "python scripts/render_diagrams.py"
KEY_LENGTH = 16  # hex digits of the fence text's SHA-256 that name its SVG

# An opening or closing code fence: three or more backticks or tildes, then the info string.
FENCE_LINE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")

log = logging.getLogger("mkdocs.hooks.course_diagrams")


@dataclass(frozen=True)
class Diagram:
    """A ```` ```mermaid ```` fence: its first line (1-based), its text and where it sits."""

    line: int
    source: str  # the fence's body, dedented, trailing spaces and blank edges removed
    indent: str  # of the opening fence: in a list or an admonition the figure keeps it
    start: (
        int  # offsets of the whole fence in the page's Markdown, closing line included
    )
    end: int

    @property
    def key(self) -> str:
        return diagram_key(self.source)


def normalise(body: str) -> str:
    lines = [line.rstrip() for line in body.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"


def diagram_key(source: str) -> str:
    """The name of the SVG drawn from ``source`` (a fence body, as :func:`find_diagrams` gives it)."""
    return hashlib.sha256(normalise(source).encode("utf-8")).hexdigest()[:KEY_LENGTH]


def find_diagrams(markdown: str) -> list[Diagram]:
    """Every Mermaid fence of a page, in order; fences inside other fences are code, not diagrams."""
    diagrams: list[Diagram] = []
    lines = markdown.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    index = 0
    while index < len(lines):
        opening = FENCE_LINE.match(lines[index].rstrip("\r\n"))
        if not opening:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        closing = index + 1
        while closing < len(lines):
            candidate = FENCE_LINE.match(lines[closing].rstrip("\r\n"))
            if (
                candidate
                and candidate["fence"][0] == fence[0]
                and len(candidate["fence"]) >= len(fence)
                and not candidate["info"].strip()
            ):
                break
            closing += 1
        if opening["info"].strip().split(" ")[0] == "mermaid" and closing < len(lines):
            body = [line.removeprefix(indent) for line in lines[index + 1 : closing]]
            diagrams.append(
                Diagram(
                    line=index + 1,
                    source=normalise("".join(body)),
                    indent=indent,
                    start=offsets[index],
                    end=offsets[closing + 1],
                )
            )
        index = closing + 1
    return diagrams


def diagrams_dir(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir) / GENERATED_DIR / DIAGRAMS_DIR


def shown(path: Path, config: MkDocsConfig) -> str:
    """``path`` as messages name it: from the folder of mkdocs.yml."""
    root = Path(config.config_file_path).parent
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def stored_svg(path: Path, problems: list[str], missing: str) -> str | None:
    """The SVG drawn ahead of time at ``path``; if there is none, ``missing`` (a problem naming
    the page, the line and the command that draws it) goes to ``problems`` and None comes back."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(missing)
        return None


def figure_html(svg: str) -> str:
    """The figure that stands for a diagram on its page, on one line (a raw HTML block)."""
    return f'<figure class="course-diagram">{" ".join(svg.split())}</figure>'


def inline_diagrams(
    markdown: str, where: str, folder: Path, shown_folder: str
) -> tuple[str, list[str]]:
    """``markdown`` with each diagram whose SVG is stored in ``folder`` in place of its fence.

    Returns the Markdown and a problem for each diagram with no SVG, ``where:LINE: ...``; those
    fences are left as they are, shown as text.
    """
    problems: list[str] = []
    pieces: list[str] = []
    position = 0
    for diagram in find_diagrams(markdown):
        svg = stored_svg(
            folder / f"{diagram.key}.svg",
            problems,
            f"{where}:{diagram.line}: the Mermaid diagram has no SVG drawn from its"
            f" current text ({shown_folder}/{diagram.key}.svg): it is new or was edited"
            f" since it was drawn; run `{RENDER_COMMAND}` and commit what it writes",
        )
        if svg is None:
            continue
        pieces += [markdown[position : diagram.start], "\n", diagram.indent]
        pieces += [figure_html(svg), "\n\n"]
        position = diagram.end
    pieces.append(markdown[position:])
    return "".join(pieces), problems


# After course_figures.py (priority 50), so that a diagram is keyed by the numbers it shows, and
# before the hooks that insert text of their own.
@event_priority(40)
def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    if "mermaid" not in markdown:
        return markdown
    folder = diagrams_dir(config)
    markdown, problems = inline_diagrams(
        markdown, f"docs/{page.file.src_uri}", folder, shown(folder, config)
    )
    for problem in problems:
        log.warning(problem)
    return markdown
