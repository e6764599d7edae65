"""MkDocs hook: the flashcards in docs/data/flashcards.yml, checked and shown on the page.

The file is validated against ``flashcards.schema.json`` beside it, and a mistake stops the build
with the file, line, card id and field. ``<!-- course:flashcards -->`` expands to every card, each
a ``<details>`` element rendered by the theme partial ``partials/flashcard.html``, so the deck
reads (and prints) without JavaScript. The page's style and script are added by overrides/main.html
where there are cards.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import course_yaml
import jinja2
from course_figures import Figures, site_figures
from course_yaml import Located, data_file, fail, load_yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

FLASHCARDS_MARK = "<!-- course:flashcards -->"
CARD_TEMPLATE = "partials/flashcard.html"


@dataclass
class Deck:
    topics: dict  # key -> {"label": ..., "syllabus": ...}
    cards: list  # Located mappings, as in the file


# The file's items, as messages name them: card 'id', or card #N.
LEVELS = [("cards", "card")]


def load_flashcards(path: Path, schema_path: Path, shown_as: str) -> Deck:
    data = load_yaml(path, shown_as)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    fail(course_yaml.schema_problems(data, schema, shown_as, LEVELS))
    problems = course_yaml.duplicate_ids(data["cards"], "card", shown_as)
    for card in data["cards"]:
        who = f"card {card['id']!r}"
        if card["topic"] not in data["topics"]:
            problems.append(
                f"{shown_as}:{card.line_of('topic')}: {who}, field 'topic':"
                f" {card['topic']!r} is not one of the topics at the top of the file"
                f" ({', '.join(data['topics'])})"
            )
    fail(course_yaml.by_line(problems, shown_as))
    return Deck(dict(data["topics"]), list(data["cards"]))


def site_deck(config: MkDocsConfig) -> Deck:
    path, shown_as = data_file(config, "flashcards.yml")
    return load_flashcards(path, path.with_name("flashcards.schema.json"), shown_as)


def filled(card: Located, figures: Figures, shown_as: str) -> tuple[str, str]:
    """A card's question and answer with their figures inserted; errors give the card's lines."""
    question, answer = (
        figures.substitute(card[key], shown_as, card.line_of(key))
        for key in ("question", "answer")
    )
    return question, answer


def _where_taught(link: str) -> str:
    page = link.split("#", 1)[0]
    return {"lesson.md": "the lesson", "syllabus.md": "the syllabus"}.get(
        page, "the example"
    )


def flashcards_markdown(
    deck: Deck,
    figures: Figures,
    shown_as: str,
    env: jinja2.Environment,
    edit_url: str | None = None,
) -> str:
    """Every card through the theme's card partial: Markdown with HTML, for the page; each
    card links to ``edit_url``, the file a contributor edits to change it."""
    template = env.get_template(CARD_TEMPLATE)
    blocks = []
    for card in deck.cards:
        question, answer = filled(card, figures, shown_as)
        blocks.append(
            template.render(
                card=card,
                topic_label=deck.topics[card["topic"]]["label"],
                question=question.strip(),
                answer=answer.strip(),
                taught_in=_where_taught(card["link"]),
                edit_url=edit_url,
            )
        )
    return "\n\n".join(blocks)


# This build's cards as Markdown, made by on_config (again on every rebuild).
_cards: str = ""


def on_config(config: MkDocsConfig) -> None:
    global _cards
    deck = site_deck(config)
    path, shown_as = data_file(config, "flashcards.yml")
    env = config.theme.get_env()
    _cards = flashcards_markdown(
        deck, site_figures(config), shown_as, env, course_yaml.edit_url(config, path)
    )


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    return markdown.replace(FLASHCARDS_MARK, _cards)
