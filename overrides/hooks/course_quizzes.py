"""MkDocs hook: the quizzes in docs/data/quizzes.yml, checked and placed on their pages.

The file is validated against ``quizzes.schema.json`` beside it; then each question must have
exactly one correct option, ids must be unique, each link must name a heading that exists, and
each quiz must be placed by one page's ``<!-- course:quiz NAME -->`` line (and each such line must
name a quiz). A mistake stops the build with the file, line, question id and field. A quiz is
rendered by the theme partial ``partials/quiz.html``: fieldsets of radio buttons, with the answers
in ``<details>``, so it reads without JavaScript. overrides/main.html adds the quiz script and
style to the pages that have one.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2
from course_figures import Figures, site_figures
from course_yaml import (
    Located,
    by_line,
    data_file,
    duplicate_ids,
    fail,
    load_yaml,
    schema_faults,
)
from markdown.extensions.toc import slugify
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

QUIZ_TEMPLATE = "partials/quiz.html"
# A whole line, so that the syntax can be quoted in running text; never inside a code fence.
QUIZ_MARK = re.compile(r"^[ \t]*<!--[ \t]*course:quiz[ \t]+(\S+?)[ \t]*-->[ \t]*$")
FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)(?:[ \t]*\{[ \t]*#([\w-]+)[^}]*\})?[ \t]*$")


@dataclass
class QuizBook:
    quizzes: dict  # quiz name -> the quiz, a Located mapping as in the file
    name_lines: dict  # quiz name -> the line of its key

    def questions(self) -> Iterator[tuple[str, Located]]:
        for name, quiz in self.quizzes.items():
            for question in quiz["questions"]:
                yield name, question


# --- checking the file --------------------------------------------------------------------------


def _locate(data: object, path: list) -> tuple[int, str, list]:
    """Where an error at ``path`` is: its line, who it is about, and the path left inside that.

    Who is the innermost quiz, question or option on the path: ``quiz 'lesson'``, ``question
    'grpo-origin'`` or ``question 'grpo-origin', option 2``; a question that is not a mapping has
    no id, and is named by its position.
    """
    # (the key of the list or mapping holding the next level, how to name an item of it)
    levels = [("quizzes", "quiz"), ("questions", "question"), ("options", "option")]
    who, owner, line = "", data, 1
    if isinstance(data, Located) and path:
        line = data.line_of(path[0])
    rest = list(path)
    for key, kind in levels:
        if len(rest) < 2 or rest[0] != key or not isinstance(owner, dict):
            break
        container, item = owner[key], rest[1]
        if kind == "quiz":
            who = f"quiz {item!r}"
        elif kind == "question":
            name = (
                container[item].get("id") if isinstance(container[item], dict) else None
            )
            quiz_name = who
            who = (
                f"question {name!r}"
                if isinstance(name, str) and name
                else f"question #{item + 1} of {quiz_name}"
            )
        else:
            who += f", option {item + 1}"
        if isinstance(container, Located):  # a quiz: the line of its name
            line = container.line_of(item)
        elif isinstance(
            owner, Located
        ):  # YAML keeps no line for a list item: its list's
            line = owner.line_of(key)
        owner, rest = container[item], rest[2:]
        if isinstance(owner, Located):
            if rest and rest[0] in owner:  # the field's own line
                line = owner.line_of(rest[0])
            elif kind != "quiz":  # a missing field: where the question or option starts
                line = owner.line
            # a quiz is named on the line before its fields: keep that line
    return line, who, rest


def _schema_problems(data: object, schema: dict, shown_as: str) -> list[str]:
    problems = []
    for path, field_name, message in schema_faults(data, schema):
        line, who, rest = _locate(data, path + ([field_name] if field_name else []))
        field_name = rest[0] if rest else None
        if not who:
            where = ".".join(str(part) for part in path) or "the file"
            problems.append(f"{shown_as}:{line}: {where}: {message}")
            continue
        field_part = f", field {field_name!r}" if field_name is not None else ""
        problems.append(f"{shown_as}:{line}: {who}{field_part}: {message}")
    return problems


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
    fail(_schema_problems(data, schema, shown_as))
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


# --- links and markers ---------------------------------------------------------------------------


def _outside_fences(text: str) -> Iterator[tuple[int, str]]:
    """(index, line) of each line of Markdown that is not inside a fenced code block."""
    fence = None
    for index, line in enumerate(text.split("\n")):
        opening = FENCE.match(line)
        if fence is None and opening:
            fence = opening[1]
        elif fence is not None:
            if opening and opening[1].startswith(fence[0] * len(fence)):
                fence = None
        else:
            yield index, line


def quiz_marks(text: str) -> list[tuple[int, str]]:
    """(0-based line, quiz name) of each ``<!-- course:quiz NAME -->`` line of a page."""
    return [
        (index, match[1])
        for index, line in _outside_fences(text)
        if (match := QUIZ_MARK.match(line))
    ]


def headings(text: str) -> dict[str, str]:
    """Anchor -> title of a page's headings, anchors as the toc extension makes them; the page's
    title (its first level-1 heading) under ``""``."""
    found: dict[str, str] = {}
    for _, line in _outside_fences(text):
        match = HEADING.match(line)
        if not match:
            continue
        level, title, anchor = len(match[1]), match[2].strip(), match[3]
        if level == 1:
            found.setdefault("", title)
        found.setdefault(anchor or slugify(title, "-"), title)
    return found


def _page_headings(docs_dir: Path, page: str) -> dict[str, str] | None:
    try:
        return headings((docs_dir / page).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def link_problems(book: QuizBook, docs_dir: Path, shown_as: str) -> list[str]:
    """Each question's link must name a page under ``docs_dir`` and a heading on it."""
    problems = []
    for _, question in book.questions():
        page, anchor = question["link"].split("#", 1)
        where = (
            f"{shown_as}:{question.line_of('link')}: question {question['id']!r},"
            " field 'link'"
        )
        found = _page_headings(docs_dir, page)
        if found is None:
            problems.append(f"{where}: there is no page docs/{page}")
        elif anchor not in found:
            problems.append(
                f"{where}: docs/{page} has no heading with the anchor #{anchor}"
            )
    return problems


# --- rendering -----------------------------------------------------------------------------------


def _paragraph(text: str, figures: Figures, shown_as: str, line: int) -> str:
    """A text from the file as one line of Markdown, its figures filled in."""
    return " ".join(figures.substitute(text, shown_as, line).split())


def quiz_markdown(
    name: str,
    book: QuizBook,
    figures: Figures,
    shown_as: str,
    env: jinja2.Environment,
    page: str,
    docs_dir: Path,
) -> str:
    """The quiz ``name`` through the theme's quiz partial, as Markdown for the page ``page``
    (a path from docs/), whose links must be relative to it."""
    quiz = book.quizzes[name]
    questions = []
    for number, question in enumerate(quiz["questions"], start=1):
        options = [
            {
                "index": index,
                "letter": chr(ord("A") + index),
                "text": _paragraph(
                    option["text"], figures, shown_as, option.line_of("text")
                ),
                "explanation": _paragraph(
                    option["explanation"],
                    figures,
                    shown_as,
                    option.line_of("explanation"),
                ),
                "correct": option.get("correct") is True,
            }
            for index, option in enumerate(question["options"])
        ]
        target, anchor = question["link"].split("#", 1)
        titles = _page_headings(docs_dir, target) or {}
        link_text = f"Read more: {titles.get(anchor, anchor)}"
        if target != page:
            link_text += f" ({titles.get('', target)})"
        relative = posixpath.relpath(target, posixpath.dirname(page) or ".")
        questions.append(
            {
                "id": question["id"],
                "number": number,
                "question": _paragraph(
                    question["question"],
                    figures,
                    shown_as,
                    question.line_of("question"),
                ),
                "options": options,
                "answer": next(option for option in options if option["correct"]),
                "link": f"{relative}#{anchor}",
                "link_text": link_text,
            }
        )
    intro = quiz.get("intro")
    return env.get_template(QUIZ_TEMPLATE).render(
        name=name,
        title=_paragraph(quiz["title"], figures, shown_as, quiz.line_of("title")),
        intro=_paragraph(intro, figures, shown_as, quiz.line_of("intro"))
        if intro
        else None,
        questions=questions,
    )


# --- the hook ------------------------------------------------------------------------------------


@dataclass
class _Build:
    book: QuizBook
    figures: Figures
    shown_as: str
    env: jinja2.Environment
    docs_dir: Path


# This build's quizzes, read by on_config (again on every rebuild).
_build: _Build | None = None


def site_quizzes(config: MkDocsConfig) -> QuizBook:
    path, shown_as = data_file(config, "quizzes.yml")
    book = load_quizzes(path, path.with_name("quizzes.schema.json"), shown_as)
    fail(link_problems(book, Path(config.docs_dir), shown_as))
    return book


def on_config(config: MkDocsConfig) -> None:
    global _build
    _, shown_as = data_file(config, "quizzes.yml")
    _build = _Build(
        site_quizzes(config),
        site_figures(config),
        shown_as,
        config.theme.get_env(),
        Path(config.docs_dir),
    )


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


def on_env(
    env: jinja2.Environment, *, config: MkDocsConfig, files: Files
) -> jinja2.Environment:
    # Once every page is read, before any is written. From the sources, not from what
    # on_page_markdown saw: a dirty rebuild reads only the pages that changed.
    assert _build is not None, "on_config runs first"
    root = Path(config.config_file_path).parent
    docs = Path(config.docs_dir)
    docs_shown = str(docs.relative_to(root)) if docs.is_relative_to(root) else str(docs)
    pages = {
        file.src_uri: file.content_string
        for file in files.documentation_pages()
        if file.src_uri.endswith(".md")
    }
    fail(placement_problems(_build.book, pages, _build.shown_as, docs_shown))
    return env


def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    assert _build is not None, "on_config runs first"
    marks = quiz_marks(markdown)
    if not marks:
        return markdown
    lines = markdown.split("\n")
    for index, name in marks:
        if name not in _build.book.quizzes:
            continue  # left as it is; on_env stops the build with the page and line
        lines[index] = quiz_markdown(
            name,
            _build.book,
            _build.figures,
            _build.shown_as,
            _build.env,
            page.file.src_uri,
            _build.docs_dir,
        )
    return "\n".join(lines)
