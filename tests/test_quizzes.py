"""The quizzes (docs/data/quizzes.yml, overrides/hooks/course_quizzes.py): the data is checked, each
mistake is reported with the file, line, question and field, every quiz is placed on one page, and
each is rendered as fieldsets of radio buttons with the answers readable without JavaScript.

tests/browser/test_quizzes.py drives the rendered quizzes in chromium.
"""

import re
import shutil

import pytest
import yaml
from support.content import (
    DATA,
    HOOK_NAMES,
    anchors_of,
    figures,
    hook,
    page_source,
    pages,
)
from support.harness import ROOT
from support.site_build import build_with_planted_text
from test_content import STATEMENTS_TO_AVOID

# In the fast path for a change to the text: pytest -m text (docs/contributing.md).
pytestmark = pytest.mark.text

QUIZZES = DATA / "quizzes.yml"
SCHEMA = DATA / "quizzes.schema.json"
SHOWN_AS = "docs/data/quizzes.yml"


def quizzes_hook():
    return hook("course_quizzes")


def load(path=QUIZZES):
    return quizzes_hook().load_quizzes(path, SCHEMA, SHOWN_AS)


def planted_question(name: str, link: str) -> str:
    return f"""\
      - id: {name}
        question: Which option of {name} is right?
        link: {link}
        options:
          - text: Option A of {name}
            explanation: Wrong, as planted.
          - text: Option B of {name}
            correct: true
            explanation: Right, as planted.
          - text: Option C of {name}
            explanation: Wrong, as planted too.
"""


# A book of the test's own, in the course's format, and the pages its questions link to: no
# question of the course is needed, so rewording one breaks no test of the machinery.
PLANTED_BOOK = (
    "quizzes:\n  first:\n    title: First quiz\n    questions:\n"
    + planted_question("q-one", "lesson.md#part-one")
    + planted_question("q-two", "lesson.md#part-two")
    + "  second:\n    title: Second quiz\n    questions:\n"
    + planted_question("q-three", "other.md#other-part")
)
PLANTED_PAGES = {
    "lesson.md": "# Planted lesson\n\n## Part one\n\nText.\n\n## The second part { #part-two }\n",
    "other.md": "# Other page\n\n```markdown\n## Not a heading\n```\n\n## Other part\n",
}


@pytest.fixture
def quizzes_file(tmp_path):
    """The planted book, valid, for planting one mistake in it."""
    path = tmp_path / "quizzes.yml"
    path.write_text(PLANTED_BOOK)
    return path


@pytest.fixture
def planted_docs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in PLANTED_PAGES.items():
        (docs / name).write_text(text)
    return docs


def planted_figures(tmp_path):
    path = tmp_path / "figures.yml"
    path.write_text("paper:\n  source: A planted paper\n  score: 12.5%\n")
    return hook("course_figures").load_figures(path, "docs/data/figures.yml")


def plant(path, old, new):
    """Replace ``old``, found once, with ``new``; return the line the change starts on."""
    text = path.read_text()
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new, 1))
    return text[: text.index(old)].count("\n") + 1


def line_of(path, text, start=0):
    """The line of the first ``text`` in the file at or after line ``start``."""
    lines = path.read_text().splitlines()
    return next(n for n, line in enumerate(lines, 1) if n >= start and text in line)


def problem(path) -> str:
    with pytest.raises(hook("course_figures").CourseDataError) as caught:
        load(path)
    return str(caught.value)


def texts(question):
    return [question["question"]] + [
        option[key] for option in question["options"] for key in ("text", "explanation")
    ]


# --- the real quizzes -------------------------------------------------------------------------


def test_there_are_at_least_fifteen_questions_each_with_one_right_answer():
    book = load()
    questions = [question for _, question in book.questions()]
    assert len(questions) >= 15
    for question in questions:
        assert len(question["options"]) >= 3, question["id"]
        right = [option for option in question["options"] if option.get("correct")]
        assert len(right) == 1, question["id"]
    # The right answer is not always in the same place.
    positions = {
        [bool(option.get("correct")) for option in question["options"]].index(True)
        for question in questions
    }
    assert len(positions) >= 3


def test_the_lesson_the_syllabus_and_each_example_page_place_a_quiz():
    places = {}
    for path in pages():
        for _, name in quizzes_hook().quiz_marks(path.read_text()):
            places[name] = path.relative_to(DATA.parent).as_posix()
    assert places == {
        "lesson": "lesson.md",
        "syllabus": "syllabus.md",
        "grpo": "examples/grpo.md",
        "inference-time-scaling": "examples/inference-time-scaling.md",
        "distillation": "examples/distillation.md",
    }
    # Before the lesson's summary, whose word count the marker must not change.
    lesson = page_source("lesson.md")
    assert lesson.index("<!-- course:quiz lesson -->") < lesson.index("## Summary")


def test_every_link_names_an_existing_page_and_heading():
    # Checked against tests/support/content.py's reading of the headings, not the hook's own.
    for _, question in load().questions():
        page, anchor = question["link"].split("#")
        assert (DATA.parent / page).is_file(), question["id"]
        assert anchor in anchors_of(page), f"{question['id']}: {question['link']}"


def test_the_misconceptions_are_only_ever_in_wrong_options():
    """A right answer or an explanation states none of the wrong statements test_content.py lists;
    the wrong options may (they are there to be recognised as wrong)."""
    known = figures()
    for _, question in load().questions():
        said = [question["question"]] + [
            option[key]
            for option in question["options"]
            for key in ("text", "explanation")
            if key == "explanation" or option.get("correct")
        ]
        for text in said:
            text = " ".join(known.substitute(text, SHOWN_AS).split())
            for pattern, truth in STATEMENTS_TO_AVOID.items():
                assert not re.search(pattern, text, re.I), (
                    f"{question['id']}: {truth}: {text}"
                )


def test_no_question_writes_a_key_figure_by_hand():
    from test_course_data import distinctive

    values = {v: k for k, v in figures().values.items() if distinctive(v)}
    typed = [
        f"{SHOWN_AS}:{number}: writes {value} by hand; insert it as {{{{ {name} }}}}"
        for number, line in enumerate(QUIZZES.read_text().splitlines(), start=1)
        for value, name in values.items()
        if re.search(rf"(?<![\w.-]){re.escape(value)}(?![\w])", line)
    ]
    assert not typed, "\n".join(typed)


def test_the_hook_is_registered_after_the_anki_export():
    hooks = list(HOOK_NAMES)
    assert hooks.index("course_quizzes") == hooks.index("course_anki") + 1


# --- mistakes in the file -----------------------------------------------------------------------


def test_the_planted_book_is_valid_and_links_to_its_pages(quizzes_file, planted_docs):
    book = load(quizzes_file)
    assert list(book.quizzes) == ["first", "second"]
    assert quizzes_hook().link_problems(book, planted_docs, SHOWN_AS) == []


def test_a_question_with_no_correct_option_is_named_with_its_line(quizzes_file):
    plant(
        quizzes_file,
        "          - text: Option B of q-one\n            correct: true\n",
        "          - text: Option B of q-one\n",
    )
    options = line_of(quizzes_file, "options:", line_of(quizzes_file, "id: q-one"))
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{options}: question 'q-one', field 'options': no option has"
        " `correct: true`; exactly one must"
    )


def test_two_correct_options_are_rejected_at_the_second(quizzes_file):
    line = plant(
        quizzes_file,
        "          - text: Option C of q-one\n",
        "          - text: Option C of q-one\n            correct: true\n",
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{line + 1}: question 'q-one', field 'options': options 2 and 3 all"
        " have `correct: true`; exactly one must"
    )


def test_an_option_without_an_explanation_names_the_question_option_and_field(
    quizzes_file,
):
    option = plant(
        quizzes_file,
        "          - text: Option C of q-two\n"
        "            explanation: Wrong, as planted too.\n",
        "          - text: Option C of q-two\n",
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{option}: question 'q-two', option 3, field 'explanation':"
        " 'explanation' is a required property"
    )


def test_an_unknown_field_is_rejected_not_ignored(quizzes_file):
    line = plant(
        quizzes_file,
        "        link: other.md#other-part\n",
        "        link: other.md#other-part\n        hint: think of the name\n",
    )
    message = problem(quizzes_file)
    assert message.startswith(
        f"{SHOWN_AS}:{line + 1}: question 'q-three', field 'hint':"
        " Additional properties are not allowed ('hint' was unexpected)"
    ), message
    # A misspelt field in an option is named with the option too.
    quizzes_file.write_text(
        PLANTED_BOOK.replace("            explanation:", "            explanaton:", 1)
    )
    assert (
        "question 'q-one', option 1, field 'explanaton': Additional properties"
        in problem(quizzes_file)
    )


def test_a_duplicate_id_names_both_lines(quizzes_file):
    first = line_of(quizzes_file, "- id: q-one")
    line = plant(quizzes_file, "- id: q-two\n", "- id: q-one\n")
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{line}: question 'q-one', field 'id': already used by the question"
        f" on line {first}"
    )


def test_a_wrong_type_a_bad_link_and_a_question_that_is_not_a_mapping(quizzes_file):
    correct = (
        plant(
            quizzes_file,
            "Option B of q-one\n            correct: true\n",
            "Option B of q-one\n            correct: yes please\n",
        )
        + 1
    )
    link = plant(quizzes_file, "link: other.md#other-part\n", "link: other.md\n")
    lines = problem(quizzes_file).splitlines()
    assert lines == [
        f"{SHOWN_AS}:{correct}: question 'q-one', option 2, field 'correct':"
        " 'yes please' is not of type 'boolean'",
        f"{SHOWN_AS}:{link}: question 'q-three', field 'link': 'other.md' does not"
        " match '^[a-z0-9/_-]+\\\\.md#[a-z0-9-]+$'",
    ]
    quizzes_file.write_text(
        "quizzes:\n  lesson:\n    title: Quiz\n    questions:\n      - just a string\n"
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:4: question #1 of quiz 'lesson': 'just a string' is not of type 'object'"
    )


def test_a_quiz_without_questions_and_broken_yaml_are_reported(quizzes_file):
    quizzes_file.write_text("quizzes:\n  lesson:\n    title: Quiz\n")
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:2: quiz 'lesson', field 'questions': 'questions' is a required property"
    )
    quizzes_file.write_text("quizzes:\n  lesson: [\n")
    assert problem(quizzes_file).startswith(f"{SHOWN_AS}:3: not valid YAML")
    quizzes_file.write_text("")
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:1: the file: None is not of type 'object'"
    )


def test_a_link_to_a_missing_heading_or_page_is_named(quizzes_file, planted_docs):
    heading = plant(
        quizzes_file, "link: lesson.md#part-one\n", "link: lesson.md#part-uno\n"
    )
    page = plant(
        quizzes_file,
        "link: other.md#other-part\n",
        "link: other2.md#other-part\n",
    )
    problems = quizzes_hook().link_problems(load(quizzes_file), planted_docs, SHOWN_AS)
    assert problems == [
        f"{SHOWN_AS}:{heading}: question 'q-one', field 'link': docs/lesson.md has no"
        " heading with the anchor #part-uno",
        f"{SHOWN_AS}:{page}: question 'q-three', field 'link': there is no page"
        " docs/other2.md",
    ]
    # A heading shown as code in a fence is no heading.
    plant(
        quizzes_file, "link: other2.md#other-part\n", "link: other.md#not-a-heading\n"
    )
    (problem_line,) = quizzes_hook().link_problems(
        load(quizzes_file), planted_docs, SHOWN_AS
    )[1:]
    assert problem_line.endswith(
        "docs/other.md has no heading with the anchor #not-a-heading"
    )


# --- markers ----------------------------------------------------------------------------------


def test_markers_are_whole_lines_outside_code_fences():
    text = (
        "Write `<!-- course:quiz lesson -->` on a line of its own.\n"
        "\n"
        "```markdown\n"
        "<!-- course:quiz lesson -->\n"
        "```\n"
        "\n"
        "  <!--  course:quiz grpo -->  \n"
    )
    assert quizzes_hook().quiz_marks(text) == [(6, "grpo")]


def test_an_unplaced_quiz_a_quiz_placed_twice_and_an_unknown_marker_fail(
    quizzes_file,
):
    book = load(quizzes_file)
    placed = {
        "first.md": "Intro.\n\n<!-- course:quiz first -->\n",
        "other.md": "<!-- course:quiz first -->\n<!-- course:quiz firsts -->\n",
    }
    problems = quizzes_hook().placement_problems(book, placed, SHOWN_AS, "docs")
    assert problems == [
        "docs/other.md:1: quiz 'first' is already placed at docs/first.md:3;"
        " a quiz goes on one page",
        f"docs/other.md:2: <!-- course:quiz firsts --> names no quiz in {SHOWN_AS}"
        " (its quizzes: first, second)",
        f"{SHOWN_AS}:{book.name_lines['second']}: quiz 'second' is placed on no page;"
        " add the line <!-- course:quiz second --> to the page it tests",
    ]


# --- rendering --------------------------------------------------------------------------------


def small_book(tmp_path):
    path = tmp_path / "quizzes.yml"
    path.write_text(
        yaml.safe_dump(
            {
                "quizzes": {
                    "demo": {
                        "title": "Try it",
                        "questions": [
                            {
                                "id": "q-one",
                                "question": "Which is *right* at {{ paper.score }}?",
                                "link": "lesson.md#part-one",
                                "options": [
                                    {
                                        "text": "This `one`",
                                        "explanation": "Wrong, because.",
                                    },
                                    {
                                        "text": "That one",
                                        "correct": True,
                                        "explanation": "Right, since\nit is.",
                                    },
                                ],
                            }
                        ],
                    }
                }
            }
        )
    )
    return load(path)


def theme_env(custom_dir=ROOT / "overrides"):
    from mkdocs.theme import Theme

    return Theme(name="material", custom_dir=str(custom_dir)).get_env()


def render(tmp_path, page="examples/grpo.md", env=None):
    docs = tmp_path / "docs"
    for name, text in PLANTED_PAGES.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text)
    return quizzes_hook().quiz_markdown(
        "demo",
        small_book(tmp_path),
        planted_figures(tmp_path),
        SHOWN_AS,
        env or theme_env(),
        page,
        docs,
    )


def test_a_quiz_is_fieldsets_of_labelled_radios_with_feedback_and_answers(tmp_path):
    markdown = render(tmp_path)
    assert "## Try it { #quiz-demo }" in markdown
    assert (
        '<section class="quiz" data-quiz="demo" aria-labelledby="quiz-demo" markdown="1">'
        in markdown
    )
    assert re.search(
        r'<form class="quiz-question" id="quiz-q-q-one" data-question="q-one"'
        r' data-answer="1" markdown="1">\s*<fieldset markdown="1">\s*'
        r'<legend markdown="span">1\. Which is \*right\* at 12\.5%\?</legend>',
        markdown,
    ), markdown
    for index, text in enumerate(["This `one`", "That one"]):
        letter = "AB"[index]
        assert (
            f'<input type="radio" name="quiz-q-one" id="quiz-q-one-{index}" value="{index}">'
            f' <label for="quiz-q-one-{index}"><span class="quiz-letter">{letter}.</span>'
            f" {text}</label>"
        ) in markdown
    assert '<div class="quiz-feedback" aria-live="polite"></div>' in markdown
    answers = markdown.split('<details class="quiz-answer" markdown="1">')[1]
    assert "**Answer: B.** That one" in answers
    assert "**A. Wrong.** Wrong, because." in answers
    assert "**B. Right.** Right, since it is." in answers  # one line: md_in_html's span
    # Relative to the page the quiz is on, with the section's and the page's titles.
    assert "[Read more: Part one (Planted lesson)](../lesson.md#part-one)" in answers
    on_the_lesson = render(tmp_path, page="lesson.md")
    assert "[Read more: Part one](lesson.md#part-one)" in on_the_lesson


def test_the_theme_partial_is_what_renders_a_quiz(tmp_path):
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    partial = tmp_path / "overrides" / "partials" / "quiz.html"
    partial.write_text(
        "{{ name }}|{% for q in questions %}{{ q.id }}:{{ q.answer.letter }}:{{ q.link }}"
        "{% endfor %}"
    )
    assert render(tmp_path, env=theme_env(tmp_path / "overrides")) == (
        "demo|q-one:B:../lesson.md#part-one"
    )


def test_mkdocs_runs_the_hook_and_it_fills_a_page():
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    source = File("lesson.md", config.docs_dir, config.site_dir, True)
    markdown = config.plugins.on_page_markdown(
        "Text.\n\n<!-- course:quiz lesson -->\n\nMore.\n",
        page=Page(None, source, config),
        config=config,
        files=Files([source]),
    )
    questions = load().quizzes["lesson"]["questions"]
    assert markdown.count('<form class="quiz-question"') == len(questions)
    assert "course:quiz" not in markdown and "{{" not in markdown.split("\n*[")[0]


@pytest.mark.slow
def test_the_strict_build_stops_on_a_marker_naming_no_quiz(tmp_path):
    result, line = build_with_planted_text(
        tmp_path, "\n<!-- course:quiz practice -->\n", page="docs/practice.md"
    )
    assert result.returncode != 0
    assert (
        f"docs/practice.md:{line + 1}: <!-- course:quiz practice --> names no quiz in"
        " docs/data/quizzes.yml"
    ) in result.stdout + result.stderr
