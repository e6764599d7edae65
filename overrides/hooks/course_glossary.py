"""MkDocs hook: the terms in docs/data/glossary.yml become abbreviations on every page.

The ``abbr`` extension shows a term's definition as a tooltip wherever the term appears, and
``<!-- course:glossary -->`` on a page expands to the key concepts with their one-line definitions,
and a link to the one file a contributor edits to change them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from course_yaml import data_file, edit_url, fail, load_yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

GLOSSARY_MARK = "<!-- course:glossary -->"


@dataclass
class Term:
    term: str
    definition: str
    # Other spellings that get the tooltip.
    also: list[str] = field(default_factory=list)
    key_concept: bool = False

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")


def load_glossary(path: Path, shown_as: str) -> list[Term]:
    data = load_yaml(path, shown_as)
    problems, terms = [], []
    for kind in ("key_concepts", "abbreviations"):
        entries = data.get(kind) if isinstance(data, dict) else None
        if not isinstance(entries, list) or not entries:
            problems.append(f"{shown_as}:1: expected a non-empty list `{kind}`")
            continue
        for entry in entries:
            if not isinstance(entry, dict) or set(entry) - {
                "term",
                "definition",
                "also",
            }:
                line = getattr(entry, "line", 1)
                problems.append(
                    f"{shown_as}:{line}: an entry has term, definition and, optionally, also"
                )
                continue
            missing = [k for k in ("term", "definition") if not entry.get(k)]
            if missing:
                problems.append(
                    f"{shown_as}:{entry.line}: missing {', '.join(missing)}"
                )
                continue
            also = entry.get("also", [])
            terms.append(
                Term(entry["term"], entry["definition"], also, kind == "key_concepts")
            )
    fail(problems)
    return terms


def abbreviations(terms: list[Term]) -> str:
    """Markdown abbreviation definitions: the ``abbr`` extension turns them into tooltips."""
    lines = []
    for term in terms:
        definition = term.definition.replace("\n", " ")
        spellings = [term.term, *term.also]
        # A sentence may start with the term, so the capitalised spelling gets the tooltip too.
        spellings += [s[0].upper() + s[1:] for s in spellings if s[0].islower()]
        lines += [f"*[{s}]: {definition}" for s in dict.fromkeys(spellings)]
    return "\n".join(lines)


def glossary_markdown(terms: list[Term], edit_link: str | None = None) -> str:
    """The key concepts as a list, then the Edit link to their file, if there is one."""
    listed = "\n".join(
        f'- <span id="{t.anchor}"></span>**{t.term[0].upper() + t.term[1:]}**: {t.definition}'
        for t in terms
        if t.key_concept
    )
    if edit_link is None:
        return listed
    return (
        listed
        + f'\n\n<span class="glossary-edit">[Edit the glossary]({edit_link})</span>'
    )


# This build's terms and the Edit link of their file, read by on_config (again on every rebuild).
_terms: list[Term] = []
_edit_link: str | None = None


def on_config(config: MkDocsConfig) -> None:
    global _terms, _edit_link
    path, shown_as = data_file(config, "glossary.yml")
    _terms = load_glossary(path, shown_as)
    _edit_link = edit_url(config, path)


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    markdown = markdown.replace(GLOSSARY_MARK, glossary_markdown(_terms, _edit_link))
    return markdown + "\n\n" + abbreviations(_terms) + "\n"
