"""Helpers for the content tests: the build hooks as modules (``hook``, from scripts/site_hooks.py),
and the pages as headings and prose."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from site_hooks import hook, hook_names, shared
from support.harness import ROOT

DOCS = ROOT / "docs"
DATA = DOCS / "data"
# The hooks mkdocs.yml registers, one per concern, in its order (course_yaml.py and
# course_markdown.py beside them are shared, not hooks).
HOOK_NAMES = tuple(hook_names())

FENCE = re.compile(r"^(`{3,}).*?^\1\s*$", re.M | re.S)
COLLAPSED = re.compile(r"^\?\?\?.*\n(?:(?: {4}.*)?\n)*", re.M)  # a "??? ..." block
WORD = re.compile(r"[A-Za-z0-9{][\w'’.{}-]*")


def page_source(relative: str) -> str:
    return (DOCS / relative).read_text(encoding="utf-8")


def headings(text: str) -> list[tuple[int, str, str]]:
    """(level, title, anchor) of each heading outside code fences, read as the hooks read them."""
    return [
        (found.level, found.title, found.anchor)
        for found in shared("course_markdown").headings(text)
    ]


def section(text: str, anchor: str) -> str:
    """The source of the section whose heading has ``{ #anchor }``, up to the next heading of its level."""
    found = shared("course_markdown").headings(text)
    start = next((h for h in found if h.explicit and h.anchor == anchor), None)
    assert start, f"no section {{ #{anchor} }}"
    lines = text.split("\n")
    end = next(
        (h.index for h in found if h.index > start.index and h.level <= start.level),
        len(lines),
    )
    return "\n".join(lines[start.index + 1 : end])


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


def anchors_of(relative: str) -> set[str]:
    """The anchors of a page's headings: its explicit ids, and the toc extension's for the others."""
    return {anchor for _, _, anchor in headings(page_source(relative))}


def flashcard_deck():
    return hook("course_flashcards").load_flashcards(
        DATA / "flashcards.yml",
        DATA / "flashcards.schema.json",
        "docs/data/flashcards.yml",
    )


def figures():
    """Every figure a page can insert, as the build reads them: docs/data/figures.yml, the
    recorded runs and the versions they were measured with, and the counted ones."""
    from site_hooks import site_config

    return hook("course_figures").site_figures(site_config())


def pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


def with_planted_card(text: str, outcome: str = "1") -> tuple[str, int]:
    """A flashcards file's ``text`` with a card of the test's own appended (``planted-card``,
    on the file's first topic, linking where its first card does, with ``outcome`` as given),
    and the line of that outcome: a test plants a mistake there, never in a card of the course."""
    deck = yaml.safe_load(text)
    card = (
        "  - id: planted-card\n"
        f"    topic: {next(iter(deck['topics']))}\n"
        f"    outcome: {outcome}\n"
        "    question: What does a planted card ask?\n"
        "    answer: Whatever its contributor wrote.\n"
        f"    link: {deck['cards'][0]['link']}\n"
    )
    assert text.rstrip().splitlines()[-1].startswith("    "), (
        "cards: is the file's last list"
    )
    kept = text.rstrip("\n")
    return f"{kept}\n{card}", kept.count("\n") + 1 + 3
