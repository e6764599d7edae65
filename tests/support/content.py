"""Helpers for the content tests: the build hooks as modules, and the pages as headings and prose."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from types import ModuleType

from support.harness import ROOT

DOCS = ROOT / "docs"
DATA = DOCS / "data"
HOOKS = ROOT / "overrides" / "hooks"
# The hooks mkdocs.yml registers, one per concern; course_yaml.py beside them is shared, not a hook.
HOOK_NAMES = (
    "course_figures",
    "course_glossary",
    "course_flashcards",
    "course_anki",
    "course_quizzes",
    "course_math",
    "course_diagrams",
    "course_plots",
    "course_notebook_css",
    "course_notebooks",
)

HEADING = re.compile(r"^(#{1,6}) (.+?)(?:\s*\{\s*#([\w-]+)\s*\})?\s*$", re.M)
FENCE = re.compile(r"^(`{3,}).*?^\1\s*$", re.M | re.S)
COLLAPSED = re.compile(r"^\?\?\?.*\n(?:(?: {4}.*)?\n)*", re.M)  # a "??? ..." block
WORD = re.compile(r"[A-Za-z0-9{][\w'’.{}-]*")


@cache
def _site_config():
    """mkdocs.yml, loaded and validated by MkDocs itself, which imports the hooks it lists."""
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def hook(name: str) -> ModuleType:
    """overrides/hooks/<name>.py, as MkDocs loaded it for the site's config."""
    return _site_config()["hooks"][f"overrides/hooks/{name}.py"]


def page_source(relative: str) -> str:
    return (DOCS / relative).read_text(encoding="utf-8")


def headings(text: str) -> list[tuple[int, str, str | None]]:
    """(level, title, explicit id) of each heading outside code fences."""
    text = FENCE.sub("", text)
    return [(len(m[1]), m[2], m[3]) for m in HEADING.finditer(text)]


def section(text: str, anchor: str) -> str:
    """The source of the section whose heading has ``{ #anchor }``, up to the next heading of its level."""
    match = re.search(rf"^(#+) .*\{{\s*#{re.escape(anchor)}\s*\}}\s*$", text, re.M)
    assert match, f"no section {{ #{anchor} }}"
    level = len(match[1])
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def main_text_words(text: str) -> int:
    """Words a reader reads in the main text: no code, diagrams or collapsed deeper dives, no
    reference list, no markup. This is the count the lesson's 2,000-2,800 word target is about."""
    text = text.split("## Further reading", 1)[0]
    text = FENCE.sub("", text)
    text = COLLAPSED.sub("", text)
    text = re.sub(r"<[^>]+>", " ", text)  # HTML tags and comments
    text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
    text = re.sub(r"\{[:#.][^}]*\}", "", text)  # attribute lists such as { #anchor }
    return len(WORD.findall(text))


@cache
def anchors_of(relative: str) -> set[str]:
    """The explicit heading ids of a page, plus the ids Material's toc would make of the others."""
    found = set()
    for _, title, anchor in headings(page_source(relative)):
        if anchor:
            found.add(anchor)
        else:
            slug = re.sub(r"[^\w\s-]", "", title.lower())
            found.add(re.sub(r"[\s]+", "-", slug.strip()))
    return found


def flashcard_deck():
    return hook("course_flashcards").load_flashcards(
        DATA / "flashcards.yml",
        DATA / "flashcards.schema.json",
        "docs/data/flashcards.yml",
    )


def figures():
    return hook("course_figures").load_figures(
        DATA / "figures.yml", "docs/data/figures.yml"
    )


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))
