"""The build hook (overrides/hooks/course_data.py): figures, flashcards and the Anki export.

A contributor who breaks a data file gets a message with the file, the line, and for a card its
id and field. The planted cases below are the ones a real edit produces.
"""

import csv
import dataclasses
import io
import re
import shutil

import pytest
import yaml
from support.content import DATA, course_data, figures, flashcard_deck, pages, relative

CARDS = DATA / "flashcards.yml"
SCHEMA = DATA / "flashcards.schema.json"


@pytest.fixture
def cards_file(tmp_path):
    """A copy of the real flashcards file, for planting one mistake in it."""
    path = tmp_path / "flashcards.yml"
    shutil.copy(CARDS, path)
    return path


def load(path):
    return course_data().load_flashcards(path, SCHEMA, "docs/data/flashcards.yml")


def plant(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1  # the line the change starts on


def problem(path) -> str:
    with pytest.raises(course_data().CourseDataError) as caught:
        load(path)
    return str(caught.value)


# --- flashcards -------------------------------------------------------------------------------


def test_the_real_deck_is_valid():
    assert len(flashcard_deck().cards) >= 40


def test_a_card_without_an_answer_is_named_with_its_line(cards_file):
    line = plant(
        cards_file,
        "    answer: OpenAI's o1, as the DeepSeek-R1 paper notes in its introduction.\n",
        "",
    )
    message = problem(cards_file)
    card_line = line - 4  # the card starts at its "- id:" line, four lines up
    assert message == (
        f"docs/data/flashcards.yml:{card_line}: card 'first-long-cot-model', field 'answer':"
        " 'answer' is a required property"
    )


def test_a_wrongly_typed_field_names_the_card_the_field_and_its_line(cards_file):
    line = plant(
        cards_file,
        "    outcome: 1\n    question: What makes a model",
        "    outcome: one\n    question: What makes a model",
    )
    message = problem(cards_file)
    assert message.startswith(
        f"docs/data/flashcards.yml:{line}: card 'reasoning-model-definition', field 'outcome':"
    )
    assert "is not of type 'integer'" in message


def test_a_misspelt_field_is_rejected_not_ignored(cards_file):
    line = plant(
        cards_file,
        "    link: lesson.md#ecosystem\n  - id: ecosystem-generation",
        "    lnk: lesson.md#ecosystem\n  - id: ecosystem-generation",
    )
    message = problem(cards_file)
    assert f"flashcards.yml:{line}: card 'ecosystem-trl', field 'lnk':" in message
    assert "field 'link': 'link' is a required property" in message


def test_a_link_without_an_anchor_is_rejected(cards_file):
    line = plant(cards_file, "link: lesson.md#applied-loop\n", "link: lesson.md\n")
    message = problem(cards_file)
    assert f"flashcards.yml:{line}: card 'applied-loop-steps', field 'link':" in message


def test_an_unknown_topic_and_a_duplicate_id_are_rejected(cards_file):
    topic_line = plant(cards_file, "topic: grpo\n", "topic: gpro\n")
    id_line = plant(cards_file, "- id: cot-scale\n", "- id: cot-prompting\n")
    message = problem(cards_file)
    assert (
        f"flashcards.yml:{topic_line}: card 'grpo-origin', field 'topic': 'gpro'"
        in message
    )
    assert (
        f"flashcards.yml:{id_line}: card 'cot-prompting', field 'id': already used by the"
        " card on line" in message
    )


def test_broken_yaml_and_duplicate_keys_give_a_line(cards_file):
    line = plant(cards_file, "    outcome: 2\n", "    outcome: 2\n    outcome: 3\n")
    assert problem(cards_file).startswith(
        f"docs/data/flashcards.yml:{line + 1}: not valid YAML: duplicate key 'outcome'"
    )
    cards_file.write_text("cards: [\n")
    assert problem(cards_file).startswith("docs/data/flashcards.yml:2: not valid YAML")


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
    module = course_data()
    tsv = module.anki_tsv(deck, figures(), "flashcards.yml", site_url=None)
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
    tsv = course_data().anki_tsv(
        deck, figures(), "flashcards.yml", site_url="https://example.org/course/"
    )
    assert '<a href="https://example.org/course/lesson/#r1-zero">' in tsv


# --- figures ----------------------------------------------------------------------------------


def test_figures_fill_placeholders_and_name_the_page_and_line_of_a_bad_one():
    known = figures()
    assert known.substitute("AIME {{ r1.aime }}.", "page.md") == "AIME 79.8%."
    with pytest.raises(course_data().CourseDataError) as caught:
        known.substitute("one\ntwo {{ r1.aime_score }}\nthree {{ r1 }}", "docs/page.md")
    assert str(caught.value).splitlines() == [
        "docs/page.md:3: '{{ r1 }}' is not a figure placeholder; write {{ group.name }} with a"
        " name from docs/data/figures.yml",
        "docs/page.md:2: unknown figure 'r1.aime_score'; the names are in"
        " docs/data/figures.yml",
    ]


def test_a_backslash_shows_a_placeholder_as_it_is():
    assert figures().substitute(
        r"write `\{{ r1.aime }}` for {{ r1.aime }}", "x.md"
    ) == ("write `{{ r1.aime }}` for 79.8%")


def test_mermaid_hexagons_are_not_mistaken_for_placeholders():
    assert figures().substitute("A{{decide}} --> B", "x.md") == "A{{decide}} --> B"


def test_a_figure_group_without_a_source_is_rejected(tmp_path):
    path = tmp_path / "figures.yml"
    path.write_text("r1:\n  aime: 79.8%\n")
    with pytest.raises(
        course_data().CourseDataError, match=r"figures.yml:1: group 'r1'"
    ):
        course_data().load_figures(path, "figures.yml")


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
