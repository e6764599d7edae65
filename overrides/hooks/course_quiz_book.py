"""The quizzes file, docs/data/quizzes.yml, read and checked; shared by the quiz hook and the tests.

Not a hook (mkdocs.yml does not list it): overrides/hooks/course_quizzes.py places the quizzes on
their pages. The file is validated against ``quizzes.schema.json`` beside it; then each question
must have exactly one correct option, ids must be unique, each link must name a heading that
exists, and each quiz must be placed by one page's ``<!-- course:quiz NAME -->`` line (and each
such line must name a quiz). Every problem names the file, line, question id and field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from course_markdown import headings, outside_fences
from course_yaml import (
    Located,
    by_line,
    duplicate_ids,
    fail,
    load_yaml,
    schema_problems,
)

# A whole line, so that the syntax can be quoted in running text; never inside a code fence.
QUIZ_MARK = re.compile(r"^[ \t]*<!--[ \t]*course:quiz[ \t]+(\S+?)[ \t]*-->[ \t]*$")
# The file's items, as messages name them (course_yaml.locate).
LEVELS = [("quizzes", "quiz"), ("questions", "question"), ("options", "option")]


@dataclass
class QuizBook:
    quizzes: dict  # quiz name -> the quiz, a Located mapping as in the file
    name_lines: dict  # quiz name -> the line of its key

    def questions(self) -> Iterator[tuple[str, Located]]:
        for name, quiz in self.quizzes.items():
            for question in quiz["questions"]:
                yield name, question


def _one_correct_option(question: Located, shown_as: str) -> list[str]:
    marked = [
        (number, option)
        for number, option in enumerate(question["options"], start=1)
        if option.get("correct") is True
    ]
    who = f"question {question['id']!r}, field 'options'"
    if not marked:
        line = question.line_of("options")
        return [
            f"{shown_as}:{line}: {who}: no option has `correct: true`; exactly one must"
        ]
    if len(marked) > 1:
        numbers = [str(number) for number, _ in marked]
        listed = ", ".join(numbers[:-1]) + " and " + numbers[-1]
        line = marked[1][1].line_of("correct")
        return [
            f"{shown_as}:{line}: {who}: options {listed} all have `correct: true`;"
            " exactly one must"
        ]
    return []


def load_quizzes(path: Path, schema_path: Path, shown_as: str) -> QuizBook:
    """The quizzes file, checked: ``shown_as`` names it in the errors that stop the build."""
    data = load_yaml(path, shown_as)
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    fail(schema_problems(data, schema, shown_as, LEVELS))
    book = QuizBook(
        dict(data["quizzes"]),
        {name: data["quizzes"].line_of(name) for name in data["quizzes"]},
    )
    questions = [question for _, question in book.questions()]
    problems = [
        p for question in questions for p in _one_correct_option(question, shown_as)
    ]
    fail(by_line(problems + duplicate_ids(questions, "question", shown_as), shown_as))
    return book


def quiz_marks(text: str) -> list[tuple[int, str]]:
    """(0-based line, quiz name) of each ``<!-- course:quiz NAME -->`` line of a page."""
    return [
        (index, match[1])
        for index, line in outside_fences(text)
        if (match := QUIZ_MARK.match(line))
    ]


def page_titles(docs_dir: Path, page: str) -> dict[str, str] | None:
    """Anchor -> title of a page's headings, its title (first level-1 heading) under ``""``;
    None if there is no such page."""
    try:
        text = (docs_dir / page).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    found: dict[str, str] = {}
    for heading in headings(text):
        if heading.level == 1:
            found.setdefault("", heading.title)
        found.setdefault(heading.anchor, heading.title)
    return found


def link_problems(book: QuizBook, docs_dir: Path, shown_as: str) -> list[str]:
    """Each question's link must name a page under ``docs_dir`` and a heading on it."""
    problems = []
    for _, question in book.questions():
        page, anchor = question["link"].split("#", 1)
        where = (
            f"{shown_as}:{question.line_of('link')}: question {question['id']!r},"
            " field 'link'"
        )
        found = page_titles(docs_dir, page)
        if found is None:
            problems.append(f"{where}: there is no page docs/{page}")
        elif anchor not in found:
            problems.append(
                f"{where}: docs/{page} has no heading with the anchor #{anchor}"
            )
    return problems


def placement_problems(
    book: QuizBook, pages: dict[str, str], shown_as: str, docs_shown: str
) -> list[str]:
    """Each quiz on exactly one page, and each marker naming a quiz; ``pages``: path -> text."""
    problems, placed = [], {}
    for page, text in pages.items():
        for index, name in quiz_marks(text):
            where = f"{docs_shown}/{page}:{index + 1}"
            if name not in book.quizzes:
                problems.append(
                    f"{where}: <!-- course:quiz {name} --> names no quiz in {shown_as}"
                    f" (its quizzes: {', '.join(book.quizzes)})"
                )
            elif name in placed:
                problems.append(
                    f"{where}: quiz {name!r} is already placed at {placed[name]};"
                    " a quiz goes on one page"
                )
            else:
                placed[name] = where
    for name in book.quizzes:
        if name not in placed:
            problems.append(
                f"{shown_as}:{book.name_lines[name]}: quiz {name!r} is placed on no page;"
                f" add the line <!-- course:quiz {name} --> to the page it tests"
            )
    return problems
