"""MkDocs hook: the flashcards as ``flashcards.tsv``, a file Anki imports, generated with the site.

Front and back are HTML, the topic is the card's tag, and the card's id is its GUID, so a
re-import updates the cards instead of adding copies.
"""

from __future__ import annotations

import markdown
from course_figures import Figures, site_figures
from course_flashcards import Deck, filled, site_deck
from course_yaml import data_file
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

EXPORT_NAME = "flashcards.tsv"


def anki_tsv(deck: Deck, figures: Figures, shown_as: str, site_url: str | None) -> str:
    """Tab-separated cards with Anki's file headers: front, back (HTML), topic as a tag."""

    def cell(text: str) -> str:
        return text.replace("\t", " ").replace("\r", "").replace("\n", " ").strip()

    lines = [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#tags column:4",
        "#columns:GUID\tFront\tBack\tTags",
    ]
    for card in deck.cards:
        question, answer = filled(card, figures, shown_as)
        page, _, anchor = card["link"].partition("#")
        where = f"{page.removesuffix('.md')}/#{anchor}"
        # A link only where the site's address is known: Anki has no base URL.
        if site_url:
            url = site_url.rstrip("/") + "/" + where
            more = f'Read more: <a href="{url}">{url}</a>'
        else:
            more = f"Read more on the course site: {where}"
        back = markdown.markdown(answer) + f"<p>{more}</p>"
        front = markdown.markdown(question)
        row = [f"reasoning-course-{card['id']}", cell(front), cell(back), card["topic"]]
        lines.append("\t".join(row))
    return "\n".join(lines) + "\n"


# This build's export, made by on_config (again on every rebuild).
_export: str = ""


def on_config(config: MkDocsConfig) -> None:
    global _export
    _, shown_as = data_file(config, "flashcards.yml")
    deck, figures = site_deck(config), site_figures(config)
    _export = anki_tsv(deck, figures, shown_as, config.site_url)


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    files.append(File.generated(config, EXPORT_NAME, content=_export))
    return files
