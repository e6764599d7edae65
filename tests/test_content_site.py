"""The built site shows the content as the data files and pages define it.

Reads the session's strict build (the ``built_site`` fixture); the planted case builds a copy.
"""

import html
import re

import pytest
from support.content import figures, flashcard_deck, with_planted_card
from support.site_build import copy_sources, mkdocs_build

pytestmark = pytest.mark.slow

CONTENT_PAGES = ["lesson", "syllabus", "flashcards", "practice"]


def read(site, page):
    return (site / page / "index.html").read_text(encoding="utf-8")


def test_the_four_content_pages_are_built_and_in_the_navigation(built_site):
    home = read(built_site, ".")
    for page in CONTENT_PAGES:
        assert (built_site / page / "index.html").is_file()
        assert f'href="{page}/"' in home, f"{page} is not in the navigation"


def test_no_placeholder_is_left_and_the_figures_are_shown(built_site):
    known = figures().values
    # A figure's group (r1, trl...) outside code, not any Jinja: the distillation page shows a
    # chat template, {{ns.system_prompt}} and all, from a real model's recipe.
    groups = sorted({name.split(".")[0] for name in known})
    assert {"r1", "trl"} <= set(groups)
    placeholder = re.compile(rf"\{{\{{\s*({'|'.join(groups)})\.[a-z_0-9]+\s*\}}\}}")
    # Code may show the syntax itself: the contributor guide writes `\{{ r1.aime }}` on purpose.
    code = re.compile(r"<code[^>]*>.*?</code>", re.S)
    for path in built_site.rglob("*.html"):
        assert not placeholder.search(code.sub("", path.read_text())), path
    assert placeholder.search("text {{ trl.beta }} text")
    lesson = read(built_site, "lesson")
    for name in (
        "r1_zero.aime_before",
        "r1_zero.aime_after",
        "r1.aime",
        "r1.sft_samples",
    ):
        assert known[name] in lesson, name
    # The same figure, from the same line of data, on the lesson, the syllabus and a card.
    value = known["distill.qwen_32b"]
    assert value in lesson and value in read(built_site, "syllabus")
    assert value in read(built_site, "flashcards")


def test_the_lesson_renders_three_diagrams(built_site):
    assert read(built_site, "lesson").count('<figure class="course-diagram"><svg') == 3


def test_glossary_terms_show_tooltips_across_the_site(built_site):
    lesson = read(built_site, "lesson")
    assert re.search(
        r'<abbr title="Group Relative Policy Optimization[^"]*">GRPO</abbr>', lesson
    )
    assert '<abbr title="The intermediate reasoning steps' in lesson
    syllabus = html.unescape(re.sub(r"<[^>]+>", "", read(built_site, "syllabus")))
    for concept in ("Chain of thought", "Reasoning distillation", "Critic-free RL"):
        assert concept.lower() in syllabus.lower()


def test_every_card_is_readable_without_javascript(built_site):
    page = read(built_site, "flashcards")
    deck = flashcard_deck()
    shown = re.findall(r'<details class="flashcard"[^>]* id="card-([\w-]+)"', page)
    assert shown == [card["id"] for card in deck.cards]
    first = page.split('id="card-reasoning-model-definition"', 1)[1].split(
        "</details>"
    )[0]
    assert "<summary>What makes a model a <em>reasoning model</em>?</summary>" in first
    assert 'href="../lesson/#what-reasoning-models-add"' in first


def test_the_export_is_built_and_linked_and_the_deck_script_loads_only_there(
    built_site,
):
    export = (built_site / "flashcards.tsv").read_text()
    rows = [line for line in export.splitlines() if not line.startswith("#")]
    assert len(rows) == len(flashcard_deck().cards)
    page = read(built_site, "flashcards")
    assert 'href="../flashcards.tsv"' in page and "download=" in page
    # Added by the theme override (overrides/main.html) where a page has cards: the style in
    # the head, the script after Material's own.
    head, body = page.split("</head>", 1)
    assert '<link rel="stylesheet" href="../assets/stylesheets/flashcards.css">' in head
    bundle = re.search(r'<script src="\.\./assets/javascripts/bundle\.[^"]+"', body)
    script = body.find(
        '<script src="../assets/javascripts/flashcards.js" defer></script>'
    )
    assert bundle and script > bundle.start()
    for other in ("lesson", "syllabus", "practice"):
        assert "flashcards.js" not in read(built_site, other)
        assert "flashcards.css" not in read(built_site, other)


def test_a_malformed_card_fails_the_build_naming_the_card_and_field(tmp_path):
    copy_sources(tmp_path)
    cards = tmp_path / "docs" / "data" / "flashcards.yml"
    text, line = with_planted_card(cards.read_text(), outcome="9")
    cards.write_text(text)
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode != 0
    assert (
        f"docs/data/flashcards.yml:{line}: card 'planted-card', field 'outcome':"
        " 9 is greater than the maximum of 5"
    ) in result.stdout + result.stderr
