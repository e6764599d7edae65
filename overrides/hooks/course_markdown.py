"""The syntax the pages and snippets are written in, parsed in one place.

Not a hook (mkdocs.yml does not list it): the hooks import it by name, scripts and tests through
scripts/site_hooks.py (``shared("course_markdown")``). It reads pymdownx.snippets' include lines
and section markers, code fences, headings with the anchors the toc extension gives them, and the
tiny models a snippet's header names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from markdown.extensions.toc import slugify

# pymdownx.snippets, one-line form: --8<-- "path[:section]"; a leading ';' escapes it.
INCLUDE = re.compile(
    r"""^(?P<indent>\s*)(?P<escape>;*)-{1,}8<-{1,}\s+(?P<quote>["'])(?P<target>.+?)(?P=quote)\s*$"""
)
BLOCK_INCLUDE = re.compile(
    r"^\s*-{1,}8<-{1,}\s*$"
)  # the block form, which pages do not use
# In a snippet: # --8<-- [start:name] ... # --8<-- [end:name]
SECTION_MARK = re.compile(
    r"-{1,}8<-{1,}\s+\[\s*(?P<kind>start|end)\s*:\s*(?P<name>[a-z][-_0-9a-z]*)\s*\]",
    re.I,
)
# An opening or closing code fence; a backtick fence's info string holds no backtick.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}(?=[^`]*$)|~{3,})(?P<info>.*)$")
# "## Title { #anchor .class }": the anchor is optional.
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]*\{[ \t]*#([\w-]+)[^}]*\})?[ \t]*$")
# A snippet that loads a model names, in its header, the tiny model it runs on, first (a real
# model's command may follow):  COURSE_MODEL="$(course-models path arithmetic)"
TINY_MODEL = re.compile(
    r"""(?P<variable>COURSE_MODEL|COURSE_TEACHER)="\$\(course-models path (?P<recipe>\w+)\)\""""
)


@dataclass(frozen=True)
class Heading:
    index: int  # 0-based line
    level: int
    title: str  # without its attribute list
    anchor: str  # the explicit ``{ #anchor }``, else the slug the toc extension makes
    explicit: bool  # whether the page wrote the anchor


def fence_closes(line: str, opening: str) -> bool:
    """Whether ``line`` closes the fence that ``opening`` (its backticks or tildes) opened."""
    found = FENCE.match(line)
    return bool(
        found
        and not found["info"].strip()
        and found["fence"][0] == opening[0]
        and len(found["fence"]) >= len(opening)
    )


@dataclass(frozen=True)
class Fence:
    start: int  # 0-based line of the opening fence
    end: int  # 0-based line of the closing fence; len(lines) if it never closes
    indent: str
    info: str
    body: list[str]


def fences(lines: list[str]) -> Iterator[Fence]:
    """Each fenced code block of a page's lines, in order."""
    index = 0
    while index < len(lines):
        found = FENCE.match(lines[index])
        if not found:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not fence_closes(lines[end], found["fence"]):
            end += 1
        yield Fence(index, end, found["indent"], found["info"], lines[index + 1 : end])
        index = end + 1


def outside_fences(text: str) -> Iterator[tuple[int, str]]:
    """(0-based index, line) of each line of Markdown outside fenced code blocks."""
    lines = text.split("\n")
    inside = {i for fence in fences(lines) for i in range(fence.start, fence.end + 1)}
    yield from ((i, line) for i, line in enumerate(lines) if i not in inside)


def heading(line: str, index: int = 0) -> Heading | None:
    found = HEADING.match(line)
    if not found:
        return None
    title, anchor = found[2].strip(), found[3]
    return Heading(
        index, len(found[1]), title, anchor or slugify(title, "-"), bool(anchor)
    )


def headings(text: str) -> list[Heading]:
    """Every heading of a page outside code fences, in order."""
    return [
        found
        for index, line in outside_fences(text)
        if (found := heading(line, index)) is not None
    ]


def sections(
    lines: list[str],
) -> tuple[dict[str, tuple[int, int]], list[tuple[int, str]]]:
    """A snippet's named sections, name -> (start marker, end marker) as 1-based lines, in file
    order; and the problems, (line, message), of markers that do not pair up."""
    found: dict[str, tuple[int, int]] = {}
    open_at: dict[str, int] = {}
    problems = []
    for number, text in enumerate(lines, start=1):
        for mark in SECTION_MARK.finditer(text):
            name, kind = mark["name"], mark["kind"].lower()
            if kind == "start":
                if name in open_at or name in found:
                    problems.append((number, f'section "{name}" is started twice'))
                open_at[name] = number
            elif name not in open_at:
                problems.append((number, f'section "{name}" ends but never starts'))
            else:
                found[name] = (open_at.pop(name), number)
    for name, number in open_at.items():
        problems.append((number, f'section "{name}" starts but never ends'))
    return dict(sorted(found.items(), key=lambda item: item[1])), problems


def section_texts(lines: list[str]) -> dict[str, str]:
    """Each named section's text as a page shows it: the lines between its two markers."""
    found, _ = sections(lines)
    return {
        name: "\n".join(lines[start : end - 1]) for name, (start, end) in found.items()
    }


def unmarked(text: str) -> str:
    """``text`` without its section markers' lines, line ends kept: a whole file as shown."""
    kept = text.splitlines(keepends=True)
    return "".join(line for line in kept if not SECTION_MARK.search(line))


def tiny_models(text: str) -> dict[str, str]:
    """What a snippet's comment lines name: ``{"COURSE_MODEL": "student",
    "COURSE_TEACHER": "teacher"}``; empty for a snippet that loads no model."""
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    named: dict[str, str] = {}
    for m in TINY_MODEL.finditer(
        header
    ):  # the first named is the tiny model, the default
        named.setdefault(m["variable"], m["recipe"])
    return named
