"""An example page, read as a notebook's cells: its text as Markdown cells, its code as code cells.

Used by the notebooks hook (course_notebooks.py); not a hook. A page holds, in page order, the
snippet sections it includes (course_notebook_code.py) and its bare ```` ```python ```` blocks as
code cells, and its prose as Markdown cells. What a notebook cannot show is left out: diagrams,
the quizzes, the plots of the recorded runs (a note says so), the outputs (the cells print them),
the links to other pages (their text stays), and what a page marks ``<!-- notebook: leave out -->``
... ``<!-- notebook: end -->`` (an interactive part that needs the site's scripts). A problem is
reported as ``page:line: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from course_markdown import FENCE, INCLUDE, fence_closes, heading
from course_notebook_code import include

TITLE_ATTR = re.compile(r"""\btitle=(["'])(?P<title>.*?)\1""")
CONTAINER = re.compile(
    r"""^(?P<kind>!!!|\?\?\?\+?|===)\s*(?P<type>[\w-]*)\s*(?:(["'])(?P<title>.*?)\3)?\s*$"""
)
COMMENT = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$")
# Around a part of a page that only a browser can show (the GRPO playground): left out.
LEAVE_OUT, LEAVE_OUT_END = "notebook: leave out", "notebook: end"
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[^\]]+)\]:\s?(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[^\]]+)\]")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")


class NotebookSourceError(Exception):
    """A problem in a page or a snippet, as ``path:line: message`` lines."""


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    text: str
    metadata: dict = field(default_factory=dict)


@dataclass
class Converter:
    name: str  # the page as messages name it: docs/examples/grpo.md
    root: Path  # the repository's root, where includes are found
    cells: list[Cell] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    footnotes: dict[str, int] = field(default_factory=dict)
    shown: dict[Path, list[tuple[str, int]]] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    setup_at: int | None = None  # where the set-up cells go: after the introduction
    recipes: dict[str, str] = field(default_factory=dict)  # path -> text, in page order

    def where(self, line: int) -> str:
        return f"{self.name}:{line}"

    def relative(self, path: Path) -> str:
        """A path as messages name it: from the repository's root."""
        return (
            path.relative_to(self.root).as_posix()
            if path.is_relative_to(self.root)
            else str(path)
        )

    # Prose accumulates into one Markdown cell; a heading or a code cell starts a new one.
    def flush(self) -> None:
        text = "\n".join(self.prose).strip("\n")
        self.prose = []
        if text.strip():
            self.cells.append(Cell("markdown", text))

    def add_prose(self, line: str) -> None:
        found = heading(line)
        if found:
            self.flush()
            if self.setup_at is None and found.level > 1:
                self.setup_at = len(self.cells)
            line = f"{'#' * found.level} {found.title}"  # without its { #anchor }
        self.prose.append(self.rewrite(line))

    def show(self, caption: str, language: str, text: str) -> None:
        """A Markdown cell of its own: a caption, then ``text`` as a code block."""
        self.flush()
        self.prose += [caption, "", f"```{language}", text, "```"]
        self.flush()

    def add_code(self, text: str, metadata: dict | None = None) -> None:
        self.flush()
        if self.setup_at is None:
            self.setup_at = len(self.cells)
        self.cells.append(Cell("code", text.strip("\n"), metadata or {}))

    def rewrite(self, line: str) -> str:
        """Footnote references as numbers; links to other pages as their text alone."""

        def footnote(match: re.Match) -> str:
            number = self.footnotes.setdefault(match["id"], len(self.footnotes) + 1)
            return f"<sup>[{number}]</sup>"

        def link(match: re.Match) -> str:
            target = match["target"]
            if re.match(r"^[a-z]+:", target):  # https:, mailto:: kept
                return match.group()
            return match["text"]  # a page of the site: its address depends on the build

        return LINK.sub(link, FOOTNOTE_REF.sub(footnote, line))

    def convert(self, lines: list[tuple[int, str]]) -> None:
        """``lines``: (line number in the source, text), already dedented out of containers."""
        pending: str | None = None  # what an HTML comment says about the next fence
        index = 0
        while index < len(lines):
            number, line = lines[index]
            index += 1
            fence = FENCE.match(line)
            if fence:
                body, index = self.fence_body(lines, index, fence, number)
                self.fence(number, fence["info"].strip(), body, pending)
                pending = None
                continue
            container = CONTAINER.match(line)
            if container:
                body, index = indented_block(lines, index)
                self.container(container, body)
                continue
            footnote = FOOTNOTE_DEF.match(line)
            if footnote:
                body, index = indented_block(lines, index)
                text = " ".join([footnote["text"], *(t.strip() for _, t in body)])
                number_of = self.footnotes.setdefault(
                    footnote["id"], len(self.footnotes) + 1
                )
                self.add_prose(f"[{number_of}] {self.rewrite(text.strip())}\n")
                continue
            comment = COMMENT.match(line)
            if comment:
                body = comment["body"].strip()
                if body == LEAVE_OUT:
                    index = self.leave_out(lines, index, number)
                    continue
                if body.startswith("pytest.mark.skip"):
                    pending = "shown"
                elif body.startswith("pytest-codeblocks:expected-output"):
                    pending = "output"
                elif body.startswith("course:plot"):
                    self.add_prose(
                        "*The page plots the course's recorded runs here, over five seeds;"
                        " this notebook's run prints its own figures.*\n"
                    )
                continue  # quizzes and other markers: nothing a notebook can show
            self.add_prose(line)
        self.flush()

    def leave_out(self, lines, index, opened: int) -> int:
        """Skip to the matching end marker: what only a browser can show (a playground)."""
        for position in range(index, len(lines)):
            comment = COMMENT.match(lines[position][1])
            if comment and comment["body"].strip() == LEAVE_OUT_END:
                self.add_prose(
                    "*The page has an interactive part here that needs a browser; open the"
                    " page on the course site to use it.*\n"
                )
                return position + 1
        raise NotebookSourceError(
            f"{self.where(opened)}: `<!-- {LEAVE_OUT} -->` without a later"
            f" `<!-- {LEAVE_OUT_END} -->`"
        )

    def fence_body(self, lines, index, fence, opened: int) -> tuple[list[str], int]:
        indent, body = len(fence["indent"]), []
        while index < len(lines):
            _, line = lines[index]
            index += 1
            if fence_closes(line, fence["fence"]):
                return body, index
            body.append(line[indent:] if line[:indent].strip() == "" else line)
        self.problems.append(f"{self.where(opened)}: this code fence never closes")
        return body, index

    def fence(self, number: int, info: str, body: list[str], pending: str | None):
        language = info.split()[0] if info else ""
        includes = [
            match if (match := INCLUDE.match(line)) and not match["escape"] else None
            for line in body
            if line.strip()
        ]
        if includes and all(includes):
            for offset, match in enumerate(includes):
                include(self, number + 1 + offset, match["target"])
            return
        if any(includes):
            self.problems.append(
                f"{self.where(number)}: a fence mixes includes and code; a notebook"
                " cannot tell which to run"
            )
            return
        text = "\n".join(body)
        if language == "mermaid":
            return  # a diagram: notebooks do not draw Mermaid everywhere
        if pending == "output":
            if self.cells and self.cells[-1].kind == "code":
                self.cells[-1].metadata.setdefault("course", {})["output"] = text + "\n"
            return
        if language == "python" and not TITLE_ATTR.search(info) and pending is None:
            self.add_code(text)  # run by pytest-codeblocks on the page, run here too
            return
        self.prose += ["", f"```{language}", *body, "```", ""]

    def container(self, match: re.Match, body: list[tuple[int, str]]) -> None:
        title = match["title"] or (match["type"] or "").capitalize()
        has_fence = any(FENCE.match(text) for _, text in body)
        if match["kind"] == "===" or has_fence:  # a tab: its title, then its content
            self.add_prose("")
            self.add_prose(f"**{title}**")
            self.add_prose("")
            self.convert(body)
            return
        self.add_prose("")  # an admonition: a quotation with its title in bold
        self.add_prose(f"> **{title}**")
        self.add_prose(">")
        for _, text in body:
            self.add_prose(f"> {text}".rstrip())
        self.add_prose("")


def indented_block(lines, index) -> tuple[list[tuple[int, str]], int]:
    """The lines indented by four spaces (or blank) from ``index``, dedented; and where it ends."""
    body = []
    while index < len(lines):
        number, line = lines[index]
        if line.strip() and not line.startswith("    "):
            break
        body.append((number, line[4:]))
        index += 1
    while body and not body[-1][1].strip():
        body.pop()
    return body, index
