"""MkDocs hook: ``{{ group.name }}`` in a page is replaced by its value in docs/data/figures.yml.

A number is written once, and every page (and flashcard: see course_flashcards.py) that shows it
agrees. ``{{ deck.cards }}`` is counted, not typed: the number of cards in flashcards.yml. A
placeholder that names no figure stops the build with the page and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from course_yaml import CourseDataError, data_file, fail, load_yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# A backslash before the braces, \{{ r1.aime }}, shows the placeholder itself instead of a number.
FIGURE = re.compile(r"(?<!\\)\{\{\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\}\}")
ESCAPED = re.compile(r"\\(?=\{\{)")
# Anything that looks like a placeholder but is not a valid one, e.g. {{ r1 }} or {{ R1.Aime }}.
# Mermaid's hexagon shape {{text}} has no spaces or dots inside, so it is left alone.
ALMOST_FIGURE = re.compile(r"(?<!\\)(?:\{\{\s+[^}]*\}\}|\{\{[^}\s]*\.[^}\s]*\}\})")


@dataclass
class Figures:
    values: dict[str, str]  # "r1.aime" -> "79.8%"
    source: str  # how the file is named in messages

    def substitute(self, text: str, where: str, first_line: int = 1) -> str:
        """Replace every placeholder in ``text``; ``where`` and ``first_line`` locate errors."""
        problems = []
        for match in ALMOST_FIGURE.finditer(text):
            if not FIGURE.fullmatch(match.group()):
                line = first_line + text.count("\n", 0, match.start())
                problems.append(
                    f"{where}:{line}: {match.group()!r} is not a figure placeholder;"
                    " write {{ group.name }} with a name from " + self.source
                )
        for match in FIGURE.finditer(text):
            if match.group(1) not in self.values:
                line = first_line + text.count("\n", 0, match.start())
                problems.append(
                    f"{where}:{line}: unknown figure {match.group(1)!r};"
                    f" the names are in {self.source}"
                )
        fail(problems)
        return ESCAPED.sub("", FIGURE.sub(lambda m: self.values[m.group(1)], text))


def load_figures(path: Path, shown_as: str) -> Figures:
    data = load_yaml(path, shown_as)
    if not isinstance(data, dict):
        raise CourseDataError(f"{shown_as}:1: expected groups of figures")
    values, problems = {}, []
    for group, entries in data.items():
        if not isinstance(entries, dict) or "source" not in entries:
            line = data.line_of(group)
            problems.append(
                f"{shown_as}:{line}: group {group!r} needs a mapping with a `source`"
            )
            continue
        for name, value in entries.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problems.append(
                    f"{shown_as}:{entries.line_of(name)}: {group}.{name} must be a"
                    " single value (quote it if YAML reads it otherwise)"
                )
                continue
            values[f"{group}.{name}"] = str(value)
    fail(problems)
    return Figures(values, shown_as)


def site_figures(config: MkDocsConfig) -> Figures:
    """figures.yml, plus the figures counted from the other data files."""
    figures = load_figures(*data_file(config, "figures.yml"))
    # Counted here, checked by course_flashcards.py: its on_config stops a build whose cards are
    # not a list of cards before any page is filled in.
    deck = load_yaml(*data_file(config, "flashcards.yml"))
    if isinstance(deck, dict) and isinstance(deck.get("cards"), list):
        figures.values["deck.cards"] = str(len(deck["cards"]))
    return figures


# This build's figures, read by on_config (again on every rebuild).
_figures: Figures | None = None


def on_config(config: MkDocsConfig) -> None:
    global _figures
    _figures = site_figures(config)


# First: the text the other hooks insert (glossary, cards) is not the page's, and a card's figures
# are filled in by course_flashcards.py, with the card's own line for errors.
@event_priority(50)
def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    assert _figures is not None, "on_config runs first"
    return _figures.substitute(markdown, f"docs/{page.file.src_uri}")
