"""The lesson, the syllabus, the flashcards and the practice page carry what they promise.

These read the Markdown sources and data files (fast); tests/test_content_site.py checks the same
promises in the built HTML.
"""

import re

import pytest
from support.content import (
    DATA,
    anchors_of,
    flashcard_deck,
    headings,
    hook,
    main_text_words,
    page_source,
    pages,
    relative,
    section,
)
from support.harness import ROOT

# In the fast path for a change to the text: pytest -m text (docs/contributing.md).
pytestmark = pytest.mark.text

LESSON = "lesson.md"
SYLLABUS = "syllabus.md"

# The lesson's frame, then one body section per outcome, then the close, in this order.
LESSON_SECTIONS = [
    "what-youll-learn",
    "where-this-fits",
    "before-you-start",
    "about-the-math",
    "outcomes",
    "time-and-difficulty",
    "what-reasoning-models-add",
    "rl-versus-imitation",
    "landscape",
    "ecosystem",
    "applied-loop",
    "summary",
    "next-steps",
    "further-reading",
]
OUTCOME_SECTIONS = LESSON_SECTIONS[6:11]
LANDSCAPE_SUBSECTIONS = [
    "r1-zero",
    "r1-four-stages",
    "distillation",
    "open-r1",
    "grpo-in-trl",
]

SYLLABUS_SECTIONS = [
    "overview",
    "learning-objectives",
    "topics",
    "key-concepts",
    "tools-and-frameworks",
    "prerequisites",
    "expected-outcome",
    "further-reading",
]
# Every topic the module promises, as the anchors of the syllabus's topic headings.
SYLLABUS_TOPICS = [
    "what-a-reasoning-model-is",
    "chain-of-thought",
    "training-recipe",
    "rl-only-training",
    "grpo",
    "emergent-behaviours",
    "distillation",
    "inference-time-scaling",
]
KEY_CONCEPTS = [
    "chain of thought",
    "inference-time scaling",
    "reward signal",
    "group normalisation",
    "critic-free RL",
    "emergent self-reflection",
    "reasoning distillation",
]
PRIMARY_SOURCES = ["2501.12948", "2402.03300", "2201.11903", "2203.11171", "2501.19393"]


def ids_at(text: str, level: int) -> list[str]:
    return [anchor for lvl, _, anchor in headings(text) if lvl == level]


# --- the lesson -------------------------------------------------------------------------------


def test_the_lesson_has_its_frame_and_one_section_per_outcome_in_order():
    lesson = page_source(LESSON)
    assert ids_at(lesson, 2) == LESSON_SECTIONS
    assert ids_at(section(lesson, "landscape"), 3) == LANDSCAPE_SUBSECTIONS


def test_the_lesson_is_an_eleven_minute_read():
    words = main_text_words(page_source(LESSON))
    assert 2000 <= words <= 2800, (
        f"{words} words of main text; the target is 2,000 to 2,800"
    )


def test_the_lesson_states_its_place_prerequisite_and_source():
    lesson = page_source(LESSON)
    assert "Lesson 12 of 12" in lesson and "Phase 3" in lesson and "Track 14" in lesson
    assert "lesson 10" in section(lesson, "before-you-start")
    note = section(lesson, "where-this-fits")
    assert "https://huggingface.co/learn/llm-course/chapter12" in note
    assert "Apache-2.0" in note and "reordered" in note
    timing = section(lesson, "time-and-difficulty")
    assert "11 minutes" in timing and "10" in timing and "standard" in timing


def test_each_outcome_links_to_the_section_that_teaches_it():
    outcomes = section(page_source(LESSON), "outcomes")
    items = re.findall(r"^\d+\. .*\]\(#([\w-]+)\)", outcomes, re.M)
    assert items == OUTCOME_SECTIONS


def test_the_lesson_draws_the_three_diagrams():
    lesson = page_source(LESSON)
    diagrams = re.findall(r"^```mermaid\n(.*?)^```", lesson, re.M | re.S)
    pipeline, stages, loop = diagrams
    assert [w in pipeline for w in ("Pre-training", "fine-tuning", "RL")] == [True] * 3
    assert [f"{n} ·" in stages for n in (1, 2, 3, 4)] == [True] * 4
    for step in ("Sample a group", "Score", "Normalise within the group", "Update"):
        assert step in loop
    assert "critic" not in loop.lower()  # the loop has none; the text around it says so
    assert "no critic" in section(lesson, "grpo-in-trl").lower()


def test_the_landscape_embeds_one_tested_reward_and_links_the_grpo_pages():
    # One short reward from the course package, not the GRPO pages' code blocks again (issue 25,
    # item 16): the rest is a link away.
    grpo = section(page_source(LESSON), "grpo-in-trl")
    includes = re.findall(r'--8<-- "([^"]+)"', grpo)
    assert includes == ["src/reasoning_course/rewards.py:accuracy"], includes
    assert "](examples/grpo.md)" in grpo
    assert "](examples/grpo-training.md#rewards-you-can-check-by-rule)" in grpo


def test_the_ecosystem_section_places_each_library():
    ecosystem = section(page_source(LESSON), "ecosystem")
    for library in (
        "Hub",
        "transformers",
        "datasets",
        "TRL",
        "accelerate",
        "PEFT",
        "vLLM",
    ):
        assert f"**{library}" in ecosystem, library


def test_the_applied_loop_has_its_six_steps():
    loop = section(page_source(LESSON), "applied-loop")
    steps = re.findall(r"^\d+\. \*\*(.+?)\*\*", loop, re.M)
    assert len(steps) == 6
    for word, step in zip(
        ["reward", "baseline", "data", "train", "evaluate", "iterate"],
        steps,
        strict=True,
    ):
        assert word in step.lower()


# --- the syllabus -----------------------------------------------------------------------------


def test_the_syllabus_says_who_it_is_for_and_contrasts_instruction_tuned_models():
    syllabus = page_source(SYLLABUS)
    overview = section(syllabus, "overview")
    assert (
        "**Best for:** engineers who want to understand the reasoning-model paradigm"
        in overview
    )
    assert "reinforcement learning" in overview.split("**Best for:**")[1]
    objectives = section(syllabus, "learning-objectives")
    first = objectives.split("\n1. ")[1].split("\n2. ")[0]
    assert "instruction-tuned" in first and "reasoning model" in first


def test_the_syllabus_has_every_section_and_topic():
    syllabus = page_source(SYLLABUS)
    assert (
        headings(syllabus)[0][1] == "Module 09: Reasoning Models and Chain-of-Thought"
    )
    assert ids_at(syllabus, 2) == SYLLABUS_SECTIONS
    assert ids_at(section(syllabus, "topics"), 3) == SYLLABUS_TOPICS
    objectives = re.findall(r"^\d+\. ", section(syllabus, "learning-objectives"), re.M)
    assert len(objectives) == 5


@pytest.mark.parametrize("topic", SYLLABUS_TOPICS)
def test_each_syllabus_topic_links_to_where_it_is_taught(topic):
    text = section(page_source(SYLLABUS), topic)
    taught = text.split("Taught in:", 1)
    assert len(taught) == 2, f"topic {topic} says nowhere where it is taught"
    assert re.search(r"\]\((lesson|examples/[\w-]+)\.(md|ipynb)(#[\w-]+)?\)", taught[1])


def test_the_syllabus_names_prerequisites_and_primary_sources():
    syllabus = page_source(SYLLABUS)
    prerequisites = section(syllabus, "prerequisites")
    assert "Module 06" in prerequisites and "Module 05" in prerequisites
    assert "Lesson 10" in prerequisites
    # They are parts of the wider track, not pages of this site: named, said so, never linked
    # (a link would have no page to reach).
    assert "wider track" in prerequisites and "not on this site" in prerequisites
    assert "](" not in prerequisites
    before = section(page_source(LESSON), "before-you-start")
    assert "lesson 10 of the track" in before and "not on this site" in before
    reading = section(syllabus, "further-reading")
    for arxiv in PRIMARY_SOURCES:
        assert arxiv in reading


def test_the_glossary_defines_the_key_concepts_in_one_line_each():
    terms = hook("course_glossary").load_glossary(DATA / "glossary.yml", "glossary.yml")
    key = [t for t in terms if t.key_concept]
    assert [t.term for t in key] == KEY_CONCEPTS
    for term in terms:
        assert "\n" not in term.definition and len(term.definition) <= 160, term.term
    assert "<!-- course:glossary -->" in section(page_source(SYLLABUS), "key-concepts")


def test_glossary_tooltips_cover_the_other_spellings_and_sentence_starts():
    module = hook("course_glossary")
    text = module.abbreviations([module.Term("chain of thought", "Steps.", ["CoT"])])
    assert text.splitlines() == [
        "*[chain of thought]: Steps.",
        "*[CoT]: Steps.",
        "*[Chain of thought]: Steps.",
    ]


# --- flashcards -------------------------------------------------------------------------------


def test_there_are_at_least_forty_cards_covering_every_outcome_and_topic():
    deck = flashcard_deck()
    assert len(deck.cards) >= 40
    assert {card["outcome"] for card in deck.cards} == {1, 2, 3, 4, 5}
    assert {card["topic"] for card in deck.cards} == set(deck.topics)
    covered = {topic["syllabus"].split("#")[1] for topic in deck.topics.values()}
    assert set(SYLLABUS_TOPICS) <= covered


def test_every_card_links_to_an_existing_section():
    for card in flashcard_deck().cards:
        page, anchor = card["link"].split("#")
        assert anchor in anchors_of(page), f"card {card['id']}: no #{anchor} in {page}"


def test_the_flashcards_page_shows_the_cards_and_links_the_export():
    page = page_source("flashcards.md")
    assert "<!-- course:flashcards -->" in page
    assert "](flashcards.tsv)" in page
    assert 'id="flashcard-app"' in page


def test_the_practice_page_maps_the_pipeline_and_plans_the_loop():
    practice = page_source("practice.md")
    assert "10 minutes" in practice
    assert ids_at(practice, 2) == [
        "map-the-pipeline",
        "plan-the-loop",
        "check-yourself",
    ]
    worked = section(practice, "check-yourself")
    assert '??? example "A worked example answer"' in worked  # collapsed
    for library in ("SFTTrainer", "GRPOTrainer", "Hub", "PEFT"):
        assert library in worked


# --- facts ------------------------------------------------------------------------------------

# Wrong statements that are common in writing about reasoning models, as patterns, each with
# what is true instead (the sources are cited on the pages).
STATEMENTS_TO_AVOID = {
    r"R1 (paper )?introduced GRPO|GRPO,? introduced (in|by) (the )?(DeepSeek-)?R1": "GRPO is from DeepSeekMath",
    r"GRPO is an RLHF|R1 was trained with RLHF": "GRPO works with any reward",
    r"GRPO requires rule-based": "DeepSeekMath used a neural reward model",
    r"800k reasoning": "600k reasoning + 200k non-reasoning",
    r"distilled models (used|were trained with) RL": "the distilled models used SFT only",
    r"Generalized Reinforcement|Gradient Regularized|Group Reward Policy": "Group Relative Policy Optimization",
    r"\bnum_generation\b": "the argument is num_generations",
    r"RL creates new capabilities": "RL sharpens; it does not create from nothing",
    r"only the model changes|unchanged on a real model": "a real model needs its own settings: say which",
    r"hard to fool": "say what a verifiable reward resists, and that a loose rule still gets gamed",
    r"\bTGI\b(?!.*maintenance)": "TGI is in maintenance mode (since December 2025); TRL generates with vLLM",
    r"every code example (on the site )?is a file in": "pages also hold inline blocks, run by pytest-codeblocks",
    r"stable in (TRL )?1\.x": "DistillationTrainer was experimental from TRL 1.1 to 1.9: name the version checked",
    r"not in `?\\boxed\{\}`? is not found": "math-verify also reads inline LaTeX such as $7$",
    r"(reinforcement learning|RL) alone,? (with no supervised fine-tuning,? )?teaches a tiny model": (
        "the base model already reasons half the time; GRPO sharpens that"
    ),
    r"scale finding in miniature": "the tiny model fails on an unseen prompt format, not for lack of scale",
}

# A TRL default is stated with the TRL version it holds for (defaults change: beta was 0.04 up to
# v0.18, 0.0 since v0.19).
TRL_VERSION = re.compile(r"TRL (\{\{ trl\.version \}\}|\d+\.\d+)|version \d+\.\d+")


def test_every_trl_default_names_the_trl_version():
    snippets = sorted((ROOT / "snippets").rglob("*.py")) + sorted(
        (ROOT / "src").rglob("*.py")
    )
    for path in text_sources() + snippets:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            prose = line.partition("#")[2] if path.suffix == ".py" else line
            if "TRL" in prose and re.search(r"\bdefault", prose):
                assert TRL_VERSION.search(prose), (
                    f"{relative(path)}:{number}: a TRL default without the TRL version: {line.strip()}"
                )


def text_sources():
    return [
        *pages(),
        DATA / "flashcards.yml",
        DATA / "glossary.yml",
        DATA / "figures.yml",
    ]


def test_r1_stage_3_says_where_the_non_reasoning_samples_come_from():
    """R1 v1 section 2.3.3: the ~600k reasoning samples are rejection-sampled from the stage-2 RL
    checkpoint; the ~200k non-reasoning ones come from DeepSeek-V3's pipeline and SFT data."""
    for path in pages():
        for paragraph in path.read_text().split("\n\n"):
            if "r1.non_reasoning_samples" in paragraph:
                assert "DeepSeek-V3" in paragraph, (
                    f"{relative(path)}: names the non-reasoning samples without saying they come "
                    f"from DeepSeek-V3's pipeline, not the RL checkpoint:\n{paragraph}"
                )


def test_every_test_file_the_pages_and_data_name_exists():
    for path in text_sources():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for named in re.findall(r"\btests/[\w/-]+\.py\b", line):
                assert (ROOT / named).is_file(), (
                    f"{relative(path)}:{number}: {named} does not exist"
                )


@pytest.mark.parametrize("pattern", STATEMENTS_TO_AVOID)
def test_no_page_makes_a_statement_to_avoid(pattern):
    for path in text_sources():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            assert not re.search(pattern, line, re.I), (
                f"{relative(path)}:{number}: {STATEMENTS_TO_AVOID[pattern]}: {line.strip()}"
            )
