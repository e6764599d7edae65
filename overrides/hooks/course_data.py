"""MkDocs hook: the course's data files, turned into page content when the site is built.

- Figures. ``{{ group.name }}`` in a page (or a flashcard) is replaced by the value in
  ``docs/data/figures.yml``, so a number is written once and every page that shows it agrees.
- Glossary. The terms in ``docs/data/glossary.yml`` become abbreviations on every page (a tooltip
  wherever the term appears), and ``<!-- course:glossary -->`` on a page expands to the list of key
  concepts with their one-line definitions.
- Flashcards. ``docs/data/flashcards.yml`` is validated against ``flashcards.schema.json`` beside it;
  ``<!-- course:flashcards -->`` expands to every card (readable without JavaScript), and the build
  writes ``flashcards.tsv``, an export that Anki imports.

Any problem stops the build with the file and line at fault. The functions below take paths and
text, not MkDocs objects, so the tests call them directly.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.exceptions import PluginError

DATA_DIR = "data"  # under docs/; excluded from the site, read by this hook
# A backslash before the braces, \{{ r1.aime }}, shows the placeholder itself instead of a number.
FIGURE = re.compile(r"(?<!\\)\{\{\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\}\}")
ESCAPED = re.compile(r"\\(?=\{\{)")
# Anything that looks like a placeholder but is not a valid one, e.g. {{ r1 }} or {{ R1.Aime }}.
# Mermaid's hexagon shape {{text}} has no spaces or dots inside, so it is left alone.
ALMOST_FIGURE = re.compile(r"(?<!\\)(?:\{\{\s+[^}]*\}\}|\{\{[^}\s]*\.[^}\s]*\}\})")
GLOSSARY_MARK = "<!-- course:glossary -->"
FLASHCARDS_MARK = "<!-- course:flashcards -->"
EXPORT_NAME = "flashcards.tsv"


class CourseDataError(PluginError):
    """A problem in a data file or a page, reported as ``path:line: message``."""


def _fail(problems: list[str]) -> None:
    if problems:
        raise CourseDataError("\n".join(problems))


# ---------------------------------------------------------------------------------------------
# YAML that remembers where things are


class Located(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _LocatingLoader(yaml.SafeLoader):
    pass


def _construct_located(loader: _LocatingLoader, node: yaml.MappingNode) -> Located:
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located
)


def load_yaml(path: Path, shown_as: str):
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_LocatingLoader)  # noqa: S506
    except FileNotFoundError:
        raise CourseDataError(f"{shown_as}: file not found") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise CourseDataError(
            f"{shown_as}:{line}: not valid YAML: {error.problem}"
        ) from None


# ---------------------------------------------------------------------------------------------
# Figures


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
        _fail(problems)
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
    _fail(problems)
    return Figures(values, shown_as)


# ---------------------------------------------------------------------------------------------
# Glossary


@dataclass
class Term:
    term: str
    definition: str
    also: list[str] = field(
        default_factory=list
    )  # other spellings that get the tooltip
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
    _fail(problems)
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


def glossary_markdown(terms: list[Term]) -> str:
    return "\n".join(
        f'- <span id="{t.anchor}"></span>**{t.term[0].upper() + t.term[1:]}**: {t.definition}'
        for t in terms
        if t.key_concept
    )


# ---------------------------------------------------------------------------------------------
# Flashcards


@dataclass
class Deck:
    topics: dict  # key -> {"label": ..., "syllabus": ...}
    cards: list  # Located mappings, as in the file


def _schema_problems(data, schema: dict, shown_as: str) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    problems = []

    # In file order; a path mixes list indices and keys, which do not compare with each other.
    def order(error):
        return [
            (0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.path
        ]

    for error in sorted(validator.iter_errors(data), key=order):
        path = list(error.absolute_path)
        field_name = None
        if error.validator == "required":
            field_name = re.search(r"'([^']+)' is a required property", error.message)
            field_name = field_name and field_name.group(1)
        elif error.validator == "additionalProperties":
            field_name = re.search(r"\('([^']+)'", error.message)
            field_name = field_name and field_name.group(1)
        if len(path) >= 2 and path[0] == "cards" and isinstance(path[1], int):
            card = data["cards"][path[1]]
            if len(path) >= 3:
                field_name = path[2]
            name = card.get("id") if isinstance(card, dict) else None
            who = f"card {name!r}" if name else f"card #{path[1] + 1}"
            if isinstance(card, Located):
                line = card.line_of(field_name)
            else:  # not a mapping at all; YAML keeps no line for a list item
                line = data.line_of("cards")
            field_part = f", field {field_name!r}" if field_name else ""
            problems.append(f"{shown_as}:{line}: {who}{field_part}: {error.message}")
        else:
            where = ".".join(str(p) for p in path) or "the file"
            node = data
            for part in path[:-1]:
                node = node[part]
            line = node.line_of(path[-1]) if path and isinstance(node, Located) else 1
            problems.append(f"{shown_as}:{line}: {where}: {error.message}")
    return problems


def load_flashcards(path: Path, schema_path: Path, shown_as: str) -> Deck:
    data = load_yaml(path, shown_as)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    _fail(_schema_problems(data, schema, shown_as))
    problems, seen = [], {}
    for card in data["cards"]:
        who = f"card {card['id']!r}"
        if card["topic"] not in data["topics"]:
            problems.append(
                f"{shown_as}:{card.line_of('topic')}: {who}, field 'topic':"
                f" {card['topic']!r} is not one of the topics at the top of the file"
                f" ({', '.join(data['topics'])})"
            )
        if card["id"] in seen:
            problems.append(
                f"{shown_as}:{card.line_of('id')}: {who}, field 'id': already used"
                f" by the card on line {seen[card['id']]}"
            )
        seen.setdefault(card["id"], card.line)
    _fail(problems)
    return Deck(dict(data["topics"]), list(data["cards"]))


def _where_taught(link: str) -> str:
    page = link.split("#", 1)[0]
    return {"lesson.md": "the lesson", "syllabus.md": "the syllabus"}.get(
        page, "the example"
    )


def _filled(card: Located, figures: Figures, shown_as: str) -> tuple[str, str]:
    """A card's question and answer with their figures inserted; errors give the card's lines."""
    return tuple(
        figures.substitute(card[key], shown_as, card.line_of(key))
        for key in ("question", "answer")
    )


def flashcards_markdown(deck: Deck, figures: Figures, shown_as: str) -> str:
    """Every card as a details element: readable, and printable, without JavaScript."""
    blocks = []
    for card in deck.cards:
        question, answer = _filled(card, figures, shown_as)
        label = html.escape(deck.topics[card["topic"]]["label"])
        blocks.append(
            f'<details class="flashcard" id="card-{card["id"]}" data-card="{card["id"]}"'
            f' data-topic="{card["topic"]}" data-topic-label="{label}" markdown="1">\n'
            f'<summary markdown="span">{question.strip()}</summary>\n\n'
            f"{answer.strip()}\n\n"
            f'<span class="flashcard-source">[Read more in {_where_taught(card["link"])}]'
            f"({card['link']})</span>\n\n"
            "</details>"
        )
    return "\n\n".join(blocks)


def anki_tsv(deck: Deck, figures: Figures, shown_as: str, site_url: str | None) -> str:
    """Tab-separated cards with Anki's file headers: front, back (HTML), topic as a tag."""
    import markdown

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
        question, answer = _filled(card, figures, shown_as)
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
        lines.append(
            "\t".join(
                [
                    f"reasoning-course-{card['id']}",
                    cell(front),
                    cell(back),
                    card["topic"],
                ]
            )
        )
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# MkDocs events

_state: dict = {}


def on_config(config):
    data = Path(config["docs_dir"]) / DATA_DIR
    root = Path(config["config_file_path"]).parent

    def shown(path: Path) -> str:
        return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)

    figures = load_figures(data / "figures.yml", shown(data / "figures.yml"))
    glossary = load_glossary(data / "glossary.yml", shown(data / "glossary.yml"))
    cards_path = data / "flashcards.yml"
    deck = load_flashcards(
        cards_path, data / "flashcards.schema.json", shown(cards_path)
    )
    # Counted, not typed: the number of cards, wherever a page mentions it.
    figures.values["deck.cards"] = str(len(deck.cards))
    _state.update(
        figures=figures,
        glossary=glossary,
        deck=deck,
        cards_source=shown(cards_path),
        export=anki_tsv(deck, figures, shown(cards_path), config.get("site_url")),
    )
    return config


def on_files(files, config):
    from mkdocs.structure.files import File

    files.append(File.generated(config, EXPORT_NAME, content=_state["export"]))
    return files


def on_page_markdown(markdown, page, config, files):
    where = f"docs/{page.file.src_uri}"
    markdown = _state["figures"].substitute(markdown, where)
    if GLOSSARY_MARK in markdown:
        markdown = markdown.replace(
            GLOSSARY_MARK, glossary_markdown(_state["glossary"])
        )
    if FLASHCARDS_MARK in markdown:
        cards = flashcards_markdown(
            _state["deck"], _state["figures"], _state["cards_source"]
        )
        markdown = markdown.replace(FLASHCARDS_MARK, cards)
    return markdown + "\n\n" + abbreviations(_state["glossary"]) + "\n"


# The deck's script and style are only needed where the cards are.
FLASHCARD_ASSETS = (
    (
        "</head>",
        '<link rel="stylesheet" href="{}">',
        "assets/stylesheets/flashcards.css",
    ),
    ("</body>", '<script src="{}"></script>', "assets/javascripts/flashcards.js"),
)


def on_post_page(output, page, config):
    if 'class="flashcard"' not in output:
        return output
    from mkdocs.utils import get_relative_url

    for closing_tag, element, path in FLASHCARD_ASSETS:
        tag = element.format(get_relative_url(path, page.url))
        output = output.replace(closing_tag, tag + closing_tag, 1)
    return output
