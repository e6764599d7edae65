"""The quizzes (docs/data/quizzes.yml, overrides/hooks/course_quizzes.py): the data is checked, each
mistake is reported with the file, line, question and field, every quiz is placed on one page, and
each is rendered as fieldsets of radio buttons with the answers readable without JavaScript.

tests/browser/test_quizzes.py drives the rendered quizzes in chromium.
"""

import re
import shutil

import pytest
import yaml
from support.content import DATA, anchors_of, figures, hook, page_source, pages
from support.harness import ROOT
from support.site_build import copy_sources, mkdocs_build
from test_content import STATEMENTS_TO_AVOID

QUIZZES = DATA / "quizzes.yml"
SCHEMA = DATA / "quizzes.schema.json"
SHOWN_AS = "docs/data/quizzes.yml"


def quizzes_hook():
    return hook("course_quizzes")


def load(path=QUIZZES):
    return quizzes_hook().load_quizzes(path, SCHEMA, SHOWN_AS)


@pytest.fixture
def quizzes_file(tmp_path):
    """A copy of the real quizzes file, for planting one mistake in it."""
    path = tmp_path / "quizzes.yml"
    shutil.copy(QUIZZES, path)
    return path


def plant(path, old, new):
    """Replace the first ``old`` with ``new``; return the line the change starts on."""
    text = path.read_text()
    assert old in text, old
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
    from mkdocs.config import load_config

    hooks = list(load_config(str(ROOT / "mkdocs.yml")).hooks)
    assert "overrides/hooks/course_quizzes.py" in hooks
    assert hooks.index("overrides/hooks/course_quizzes.py") == (
        hooks.index("overrides/hooks/course_anki.py") + 1
    )


# --- mistakes in the file -----------------------------------------------------------------------


def test_a_question_with_no_correct_option_is_named_with_its_line(quizzes_file):
    plant(
        quizzes_file,
        "          - text: The DeepSeekMath paper (Shao et al., 2024)\n            correct: true\n",
        "          - text: The DeepSeekMath paper (Shao et al., 2024)\n",
    )
    options = line_of(
        quizzes_file, "options:", line_of(quizzes_file, "id: grpo-origin")
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{options}: question 'grpo-origin', field 'options': no option has"
        " `correct: true`; exactly one must"
    )


def test_two_correct_options_are_rejected_at_the_second(quizzes_file):
    line = plant(
        quizzes_file,
        "          - text: The PPO paper (Schulman et al., 2017)\n",
        "          - text: The PPO paper (Schulman et al., 2017)\n            correct: true\n",
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{line + 1}: question 'grpo-origin', field 'options': options 2 and 3 all"
        " have `correct: true`; exactly one must"
    )


def test_an_option_without_an_explanation_names_the_question_option_and_field(
    quizzes_file,
):
    option = plant(
        quizzes_file,
        "          - text: A fixed threshold, such as a reward of 0.5\n"
        "            explanation: >-\n"
        "              No fixed threshold is involved: the same reward can be good in one group and bad in\n"
        "              another, depending on how the other answers did.\n",
        "          - text: A fixed threshold, such as a reward of 0.5\n",
    )
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{option}: question 'grpo-baseline', option 4, field 'explanation':"
        " 'explanation' is a required property"
    )


def test_an_unknown_field_is_rejected_not_ignored(quizzes_file):
    line = plant(
        quizzes_file,
        "        link: lesson.md#r1-zero\n",
        "        link: lesson.md#r1-zero\n        hint: think of the name\n",
    )
    message = problem(quizzes_file)
    assert message.startswith(
        f"{SHOWN_AS}:{line + 1}: question 'r1-zero-recipe', field 'hint':"
        " Additional properties are not allowed ('hint' was unexpected)"
    ), message
    # A misspelt field in an option is named with the option too.
    quizzes_file.write_text(
        QUIZZES.read_text().replace(
            "            explanation:", "            explanaton:", 1
        )
    )
    assert (
        "question 'grpo-origin', option 1, field 'explanaton': Additional properties"
        in problem(quizzes_file)
    )


def test_a_duplicate_id_names_both_lines(quizzes_file):
    first = line_of(quizzes_file, "- id: grpo-origin")
    line = plant(quizzes_file, "- id: grpo-baseline\n", "- id: grpo-origin\n")
    assert problem(quizzes_file) == (
        f"{SHOWN_AS}:{line}: question 'grpo-origin', field 'id': already used by the question"
        f" on line {first}"
    )


def test_a_wrong_type_a_bad_link_and_a_question_that_is_not_a_mapping(quizzes_file):
    correct = plant(quizzes_file, "correct: true\n", "correct: yes please\n")
    link = plant(quizzes_file, "link: lesson.md#r1-zero\n", "link: lesson.md\n")
    lines = problem(quizzes_file).splitlines()
    assert lines == [
        f"{SHOWN_AS}:{correct}: question 'grpo-origin', option 2, field 'correct':"
        " 'yes please' is not of type 'boolean'",
        f"{SHOWN_AS}:{link}: question 'r1-zero-recipe', field 'link': 'lesson.md' does not"
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


def test_a_link_to_a_missing_heading_or_page_is_named(quizzes_file, tmp_path):
    heading = plant(
        quizzes_file, "link: lesson.md#grpo-in-trl\n", "link: lesson.md#grpo-in-tlr\n"
    )
    page = plant(
        quizzes_file,
        "link: syllabus.md#chain-of-thought\n",
        "link: syllabus2.md#chain-of-thought\n",
    )
    problems = quizzes_hook().link_problems(load(quizzes_file), DATA.parent, SHOWN_AS)
    assert problems == [
        f"{SHOWN_AS}:{heading}: question 'grpo-origin', field 'link': docs/lesson.md has no"
        " heading with the anchor #grpo-in-tlr",
        f"{SHOWN_AS}:{page}: question 'cot-needs-scale', field 'link': there is no page"
        " docs/syllabus2.md",
    ]
    assert quizzes_hook().link_problems(load(), DATA.parent, SHOWN_AS) == []


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


def test_an_unplaced_quiz_a_quiz_placed_twice_and_an_unknown_marker_fail():
    book = load()
    placed = {
        f"{name}.md": f"Intro.\n\n<!-- course:quiz {name} -->\n"
        for name in book.quizzes
        if name != "grpo"
    }
    placed["other.md"] = "<!-- course:quiz lesson -->\n<!-- course:quiz lessons -->\n"
    problems = quizzes_hook().placement_problems(book, placed, SHOWN_AS, "docs")
    assert problems == [
        "docs/other.md:1: quiz 'lesson' is already placed at docs/lesson.md:3;"
        " a quiz goes on one page",
        f"docs/other.md:2: <!-- course:quiz lessons --> names no quiz in {SHOWN_AS}"
        f" (its quizzes: {', '.join(book.quizzes)})",
        f"{SHOWN_AS}:{book.name_lines['grpo']}: quiz 'grpo' is placed on no page;"
        " add the line <!-- course:quiz grpo --> to the page it tests",
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
                                "question": "Which is *right* at {{ r1.aime }}?",
                                "link": "lesson.md#grpo-in-trl",
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
    return quizzes_hook().quiz_markdown(
        "demo",
        small_book(tmp_path),
        figures(),
        SHOWN_AS,
        env or theme_env(),
        page,
        DATA.parent,
    )


def test_a_quiz_is_fieldsets_of_labelled_radios_with_feedback_and_answers(tmp_path):
    markdown = render(tmp_path)
    aime = figures().values["r1.aime"]
    assert "## Try it { #quiz-demo }" in markdown
    assert (
        '<section class="quiz" data-quiz="demo" aria-labelledby="quiz-demo" markdown="1">'
        in markdown
    )
    assert re.search(
        r'<form class="quiz-question" id="quiz-q-q-one" data-question="q-one"'
        r' data-answer="1" markdown="1">\s*<fieldset markdown="1">\s*'
        rf'<legend markdown="span">1\. Which is \*right\* at {re.escape(aime)}\?</legend>',
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
    assert (
        "[Read more: GRPO in TRL (Reasoning models and the road ahead)]"
        "(../lesson.md#grpo-in-trl)"
    ) in answers
    on_the_lesson = render(tmp_path, page="lesson.md")
    assert "[Read more: GRPO in TRL](lesson.md#grpo-in-trl)" in on_the_lesson


def test_the_theme_partial_is_what_renders_a_quiz(tmp_path):
    shutil.copytree(ROOT / "overrides", tmp_path / "overrides")
    partial = tmp_path / "overrides" / "partials" / "quiz.html"
    partial.write_text(
        "{{ name }}|{% for q in questions %}{{ q.id }}:{{ q.answer.letter }}:{{ q.link }}"
        "{% endfor %}"
    )
    assert render(tmp_path, env=theme_env(tmp_path / "overrides")) == (
        "demo|q-one:B:../lesson.md#grpo-in-trl"
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
    copy_sources(tmp_path)
    page = tmp_path / "docs" / "practice.md"
    text = page.read_text()
    page.write_text(text + "\n<!-- course:quiz practice -->\n")
    line = text.count("\n") + 2
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode != 0
    assert (
        f"docs/practice.md:{line}: <!-- course:quiz practice --> names no quiz in"
        " docs/data/quizzes.yml"
    ) in result.stdout + result.stderr
