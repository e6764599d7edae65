"""The build hooks (overrides/hooks/course_*.py): figures, flashcards and the Anki export.

A contributor who breaks a data file gets a message with the file, the line, and for a card its
id and field. The planted cases below are the ones a real edit produces.
"""

import ast
import csv
import dataclasses
import io
import re
import shutil

import pytest
import yaml
from support.content import (
    DATA,
    HOOK_NAMES,
    figures,
    flashcard_deck,
    hook,
    pages,
    relative,
)
from support.harness import ROOT

# In the fast path for a change to the text: pytest -m text (docs/contributing.md).
pytestmark = pytest.mark.text

CARDS = DATA / "flashcards.yml"  # the course's deck: only the content checks read it
SCHEMA = DATA / "flashcards.schema.json"


def planted_deck(cards: int = 40) -> str:
    """A deck of the test's own, in the course's format: two topics and ``cards`` cards
    (the schema asks for 40), ``card-01``, ``card-02``..., six lines each, card N's ``- id:``
    line being line 6N. No card of the course is needed, so rewording one breaks no test here."""
    lines = [
        "topics:",
        '  alpha: {label: Alpha, syllabus: "syllabus.md#alpha"}',
        '  beta: {label: Beta, syllabus: "syllabus.md#beta"}',
        "",
        "cards:",
    ]
    for n in range(1, cards + 1):
        lines += [
            f"  - id: card-{n:02d}",
            f"    topic: {'alpha' if n % 2 else 'beta'}",
            f"    outcome: {n % 5 + 1}",
            f"    question: What does card {n} ask?",
            f"    answer: What card {n} answers.",
            f"    link: lesson.md#section-{n}",
        ]
    return "\n".join(lines) + "\n"


def card_line(n: int) -> int:
    """The line of card N's ``- id:`` in :func:`planted_deck`."""
    return 6 * n


@pytest.fixture
def cards_file(tmp_path):
    """The planted deck, valid, for planting one mistake in it."""
    path = tmp_path / "flashcards.yml"
    path.write_text(planted_deck())
    return path


def load(path):
    return hook("course_flashcards").load_flashcards(
        path, SCHEMA, "docs/data/flashcards.yml"
    )


def course_data_error():
    # The class the hooks raise: course_yaml.py's, as they import it (not a copy loaded by path).
    return hook("course_figures").CourseDataError


def plant(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1  # the line the change starts on


def problem(path) -> str:
    with pytest.raises(course_data_error()) as caught:
        load(path)
    return str(caught.value)


# --- flashcards -------------------------------------------------------------------------------


def test_the_planted_deck_is_valid(cards_file):
    deck = load(cards_file)
    assert [card["id"] for card in deck.cards][:2] == ["card-01", "card-02"]
    assert deck.cards[2].line == card_line(3) and deck.cards[2].line_of("answer") == 22


def test_the_real_deck_is_valid():
    assert len(flashcard_deck().cards) >= 40


def test_a_card_without_an_answer_is_named_with_its_line(cards_file):
    plant(cards_file, "    answer: What card 3 answers.\n", "")
    assert problem(cards_file) == (
        f"docs/data/flashcards.yml:{card_line(3)}: card 'card-03', field 'answer':"
        " 'answer' is a required property"
    )


def test_a_wrongly_typed_field_names_the_card_the_field_and_its_line(cards_file):
    line = plant(
        cards_file,
        "    outcome: 2\n    question: What does card 1 ask?",
        "    outcome: one\n    question: What does card 1 ask?",
    )
    message = problem(cards_file)
    assert message.startswith(
        f"docs/data/flashcards.yml:{line}: card 'card-01', field 'outcome':"
    )
    assert "is not of type 'integer'" in message


def test_a_misspelt_field_is_rejected_not_ignored(cards_file):
    line = plant(
        cards_file, "    link: lesson.md#section-5\n", "    lnk: lesson.md#section-5\n"
    )
    message = problem(cards_file)
    assert f"flashcards.yml:{line}: card 'card-05', field 'lnk':" in message
    assert "field 'link': 'link' is a required property" in message


def test_a_link_without_an_anchor_is_rejected(cards_file):
    line = plant(cards_file, "link: lesson.md#section-7\n", "link: lesson.md\n")
    message = problem(cards_file)
    assert f"flashcards.yml:{line}: card 'card-07', field 'link':" in message


def test_an_unknown_topic_and_a_duplicate_id_are_rejected(cards_file):
    topic_line = (
        plant(
            cards_file,
            "- id: card-09\n    topic: alpha\n",
            "- id: card-09\n    topic: alfa\n",
        )
        + 1
    )
    id_line = plant(cards_file, "- id: card-12\n", "- id: card-11\n")
    message = problem(cards_file)
    assert (
        f"flashcards.yml:{topic_line}: card 'card-09', field 'topic': 'alfa'" in message
    )
    assert (
        f"flashcards.yml:{id_line}: card 'card-11', field 'id': already used by the"
        f" card on line {card_line(11)}" in message
    )


def test_broken_yaml_and_duplicate_keys_give_a_line(cards_file):
    line = (
        plant(
            cards_file,
            "card-02\n    topic: beta\n    outcome: 3\n",
            "card-02\n    topic: beta\n    outcome: 3\n    outcome: 3\n",
        )
        + 2
    )
    assert problem(cards_file).startswith(
        f"docs/data/flashcards.yml:{line + 1}: not valid YAML: duplicate key 'outcome'"
    )
    cards_file.write_text("cards: [\n")
    assert problem(cards_file).startswith("docs/data/flashcards.yml:2: not valid YAML")


def test_a_file_that_is_not_utf8_names_its_line_and_the_fix(cards_file):
    line = card_line(4) + 3  # card 4's question
    raw = cards_file.read_bytes()
    at = raw.index(b"    question: What does card 4 ask?\n")
    cards_file.write_bytes(raw[:at] + b"    outcome: 2 \xff\n" + raw[at + 36 :])
    assert problem(cards_file) == (
        f"docs/data/flashcards.yml:{line}: not UTF-8 text (byte 0xff at offset {at + 15});"
        " save the file as UTF-8"
    )


def test_a_control_character_names_its_line(cards_file):
    line = plant(
        cards_file,
        "    answer: What card 6 answers.\n",
        "    answer: What card 6\x07 answers.\n",
    )
    assert problem(cards_file).startswith(
        f"docs/data/flashcards.yml:{line}: not valid YAML: control character U+0007 is not allowed; remove it"
    )


def test_a_card_that_is_not_a_mapping_and_an_empty_file_are_reported(cards_file):
    cards_file.write_text("topics: {}\ncards:\n  - just a string\n")
    assert (
        "flashcards.yml:2: card #1: 'just a string' is not of type 'object'"
        in problem(cards_file)
    )
    cards_file.write_text("")
    assert problem(cards_file) == (
        "docs/data/flashcards.yml:1: the file: None is not of type 'object'"
    )


def test_too_few_cards_fail(cards_file):
    data = yaml.safe_load(cards_file.read_text())
    data["cards"] = data["cards"][:39]
    cards_file.write_text(yaml.safe_dump(data))
    assert "cards: " in problem(cards_file) and "is too short" in problem(cards_file)


# --- the export -------------------------------------------------------------------------------


def test_the_anki_export_holds_every_card_once_with_its_topic_as_a_tag():
    deck = flashcard_deck()
    tsv = hook("course_anki").anki_tsv(deck, figures(), "flashcards.yml", site_url=None)
    header = [line for line in tsv.splitlines() if line.startswith("#")]
    assert header == [
        "#separator:tab",
        "#html:true",
        "#guid column:1",
        "#tags column:4",
        "#columns:GUID\tFront\tBack\tTags",
    ]
    rows = list(
        csv.reader(
            io.StringIO("\n".join(tsv.splitlines()[len(header) :])),
            delimiter="\t",
            quoting=csv.QUOTE_NONE,
        )
    )
    assert len(rows) == len(deck.cards)
    for row, card in zip(rows, deck.cards, strict=True):
        guid, front, back, tags = row
        assert guid == f"reasoning-course-{card['id']}"
        assert tags == card["topic"]
        assert front.startswith("<p>") and back.startswith(("<p>", "<ol>"))
        assert "{{" not in front + back  # figures were filled in
        assert card["link"].replace(".md#", "/#") in back


def test_the_export_links_to_the_site_when_its_address_is_known():
    deck = flashcard_deck()
    tsv = hook("course_anki").anki_tsv(
        deck, figures(), "flashcards.yml", site_url="https://example.org/course/"
    )
    page, anchor = deck.cards[0]["link"].split("#")
    address = f"https://example.org/course/{page.removesuffix('.md')}/#{anchor}"
    assert f'<a href="{address}">' in tsv


# --- figures ----------------------------------------------------------------------------------


def planted_figures(tmp_path):
    """Figures of the test's own: the course's can change without breaking these tests."""
    path = tmp_path / "figures.yml"
    path.write_text("paper:\n  source: A planted paper, table 1\n  score: 12.5%\n")
    return hook("course_figures").load_figures(path, "docs/data/figures.yml")


def test_figures_fill_placeholders_and_name_the_page_and_line_of_a_bad_one(tmp_path):
    known = planted_figures(tmp_path)
    assert known.substitute("Score {{ paper.score }}.", "page.md") == "Score 12.5%."
    with pytest.raises(course_data_error()) as caught:
        known.substitute(
            "one\ntwo {{ paper.score_2 }}\nthree {{ paper }}", "docs/page.md"
        )
    assert str(caught.value).splitlines() == [
        "docs/page.md:3: '{{ paper }}' is not a figure placeholder; write {{ group.name }}"
        " with a name from docs/data/figures.yml",
        "docs/page.md:2: unknown figure 'paper.score_2'; the names are in"
        " docs/data/figures.yml",
    ]


def test_a_backslash_shows_a_placeholder_as_it_is(tmp_path):
    assert planted_figures(tmp_path).substitute(
        r"write `\{{ paper.score }}` for {{ paper.score }}", "x.md"
    ) == ("write `{{ paper.score }}` for 12.5%")


def test_mermaid_hexagons_are_not_mistaken_for_placeholders(tmp_path):
    known = planted_figures(tmp_path)
    assert known.substitute("A{{decide}} --> B", "x.md") == "A{{decide}} --> B"


def test_a_figure_group_without_a_source_is_rejected(tmp_path):
    path = tmp_path / "figures.yml"
    path.write_text("r1:\n  aime: 79.8%\n")
    with pytest.raises(course_data_error(), match=r"figures.yml:1: group 'r1'"):
        hook("course_figures").load_figures(path, "figures.yml")


def test_the_trl_defaults_stated_on_the_site_are_trls():
    """The site says "in TRL <version>, the default is ..."; the installed TRL must agree.

    If a TRL release changes a default, this fails: update the value and `trl.version` in
    docs/data/figures.yml, and reread the sentences that use them.
    """
    from trl import GRPOConfig

    defaults = {f.name: f.default for f in dataclasses.fields(GRPOConfig)}
    stated = {
        name.split(".")[1]: value
        for name, value in figures().values.items()
        if name.startswith("trl.") and name not in ("trl.source", "trl.version")
    }
    assert stated
    for name, value in stated.items():
        assert str(defaults[name]) == value or float(defaults[name]) == float(value), (
            name
        )


# Figures distinctive enough that writing one out by hand means it was copied, not inserted.
def distinctive(value: str) -> bool:
    return bool(re.fullmatch(r"\d+(\.\d+)?[%kKB]|\d{1,3}(,\d{3})+|\d{4}", value))


def test_no_page_or_card_writes_a_key_figure_by_hand():
    values = {v: k for k, v in figures().values.items() if distinctive(v)}
    assert "79.8%" in values and "600k" in values
    typed = []
    for path in [*pages(), CARDS]:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for value, name in values.items():
                if re.search(rf"(?<![\w.-]){re.escape(value)}(?![\w])", line):
                    typed.append(
                        f"{relative(path)}:{number}: writes {value} by hand;"
                        f" insert it as {{{{ {name} }}}}"
                    )
    assert not typed, "\n".join(typed)


def test_every_missing_field_is_named_and_an_unexpected_one_by_its_line(cards_file):
    line = plant(
        cards_file,
        "  - id: card-08\n    topic: beta\n    outcome: 4\n",
        "  - id: card-08\n    zz: 1\n    yy: 2\n",
    )
    where = "docs/data/flashcards.yml"
    assert problem(cards_file).splitlines() == [
        f"{where}:{line}: card 'card-08', field 'topic': 'topic' is a required property",
        f"{where}:{line}: card 'card-08', field 'outcome': 'outcome' is a required property",
        # Named as the message names them first (jsonschema sorts them), with that key's line.
        f"{where}:{line + 2}: card 'card-08', field 'yy': Additional properties are"
        " not allowed ('yy', 'zz' were unexpected)",
    ]


# --- the cards on the page --------------------------------------------------------------------


def one_card_deck():
    """A deck of one card, located on line 7, whose question holds a figure."""
    flashcards = hook("course_flashcards")
    card = flashcards.Located(
        id="grpo-origin",
        topic="grpo",
        outcome=1,
        question="Where does {{ grpo.paper }} come from?  \n",
        answer="From *DeepSeekMath*.\n",
        link="lesson.md#grpo",
    )
    card.line, card.key_lines = 7, {}
    topics = {"grpo": {"label": "GRPO & friends", "syllabus": "syllabus.md#grpo"}}
    known = hook("course_figures").Figures({"grpo.paper": "GRPO"}, "figures.yml")
    return flashcards.Deck(topics, [card]), known


def theme_env(custom_dir):
    from mkdocs.theme import Theme

    return Theme(name="material", custom_dir=str(custom_dir)).get_env()


def test_a_card_is_a_details_element_with_the_ids_and_data_the_deck_script_reads():
    deck, known = one_card_deck()
    env = theme_env(ROOT / "overrides")
    markdown = hook("course_flashcards").flashcards_markdown(
        deck, known, "flashcards.yml", env
    )
    assert markdown == (
        '<details class="flashcard" id="card-grpo-origin" data-card="grpo-origin"'
        ' data-topic="grpo" data-topic-label="GRPO &amp; friends" markdown="1">\n'
        '<summary markdown="span">Where does GRPO come from?</summary>\n\n'
        "From *DeepSeekMath*.\n\n"
        '<span class="flashcard-source">[Read more in the lesson](lesson.md#grpo)</span>\n\n'
        "</details>"
    )


def test_the_theme_partial_is_what_renders_a_card(tmp_path):
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    partial = tmp_path / "overrides" / "partials" / "flashcard.html"
    partial.write_text("{{ card['id'] }} | {{ question }} | {{ taught_in }}")
    deck, known = one_card_deck()
    markdown = hook("course_flashcards").flashcards_markdown(
        deck, known, "flashcards.yml", theme_env(tmp_path / "overrides")
    )
    assert markdown == "grpo-origin | Where does GRPO come from? | the lesson"


def test_mkdocs_runs_the_hooks_in_order_and_they_fill_a_page():
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    registered = [f"overrides/hooks/{name}.py" for name in HOOK_NAMES]
    # Listed the other way round, figures still come first: the glossary and the cards that
    # the other hooks insert are not page text.
    config = load_config(str(ROOT / "mkdocs.yml"), hooks=registered[::-1])
    config = config.plugins.on_config(config)
    page_events = [event.__module__ for event in config.plugins.events["page_markdown"]]
    assert page_events[0] == registered[0], page_events

    source = File("flashcards.md", config.docs_dir, config.site_dir, True)
    page = Page(None, source, config)
    name, value = next(iter(figures().values.items()))
    text = (
        f"Figure {{{{ {name} }}}}.\n\n<!-- course:glossary -->\n\n"
        "<!-- course:flashcards -->\n"
    )
    markdown = config.plugins.on_page_markdown(
        text, page=page, config=config, files=Files([source])
    )
    deck = flashcard_deck()
    glossary = hook("course_glossary")
    terms = glossary.load_glossary(DATA / "glossary.yml", "docs/data/glossary.yml")
    assert markdown.startswith(f"Figure {value}.\n")
    assert any(term.key_concept for term in terms)
    assert glossary.glossary_markdown(terms) in markdown  # the key concepts' list
    assert markdown.count('<details class="flashcard"') == len(deck.cards)
    assert "{{" not in markdown  # the cards' figures too
    assert markdown.endswith(f"\n\n{glossary.abbreviations(terms)}\n")  # the tooltips

    files = config.plugins.on_files(Files([]), config=config)
    # The notebooks hook made its folder of notebooks too: no build ends here to remove it.
    hook("course_notebooks", config).on_post_build(config=config)
    export = files.get_file_from_path("flashcards.tsv")
    assert export.content_string == hook("course_anki").anki_tsv(
        deck, figures_with_count(len(deck.cards)), "docs/data/flashcards.yml", None
    )


def figures_with_count(cards: int):
    known = figures()
    known.values["deck.cards"] = str(cards)
    return known


def test_every_module_with_an_event_is_a_registered_hook_and_no_other_is():
    """mkdocs.yml lists each hook (HOOK_NAMES is read from it); a module beside them that
    handles an MkDocs event but is not listed would never run, and a shared module must not be."""
    handling = sorted(
        path.stem
        for path in (ROOT / "overrides" / "hooks").glob("*.py")
        if any(
            isinstance(node, ast.FunctionDef) and node.name.startswith("on_")
            for node in ast.parse(path.read_text()).body
        )
    )
    assert sorted(HOOK_NAMES) == handling
