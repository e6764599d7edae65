"""MkDocs hook: each ``<!-- course:quiz NAME -->`` line becomes the quiz NAME of docs/data/quizzes.yml.

course_quiz_book.py reads and checks the file (a mistake stops the build with the file, line,
question id and field) and where the quizzes are placed. This hook renders a quiz with the theme
partial ``partials/quiz.html``: fieldsets of radio buttons, with the answers in ``<details>``, so
it reads without JavaScript. overrides/main.html adds the quiz script and style to the pages that
have one.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from pathlib import Path

import jinja2
from course_figures import Figures, site_figures
from course_quiz_book import (
    QuizBook,
    link_problems,
    load_quizzes,
    page_titles,
    placement_problems,
    quiz_marks,
)
from course_yaml import data_file, edit_url, fail
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

QUIZ_TEMPLATE = "partials/quiz.html"


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
    edit_url: str | None = None,
) -> str:
    """The quiz ``name`` through the theme's quiz partial, as Markdown for the page ``page``
    (a path from docs/), whose links must be relative to it; each question links to
    ``edit_url``, the file a contributor edits to change it."""
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
        titles = page_titles(docs_dir, target) or {}
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
        edit_url=edit_url,
    )


# --- the hook ------------------------------------------------------------------------------------


@dataclass
class _Build:
    book: QuizBook
    figures: Figures
    shown_as: str
    env: jinja2.Environment
    docs_dir: Path
    edit_url: str | None


# This build's quizzes, read by on_config (again on every rebuild).
_build: _Build | None = None


def site_quizzes(config: MkDocsConfig) -> QuizBook:
    path, shown_as = data_file(config, "quizzes.yml")
    book = load_quizzes(path, path.with_name("quizzes.schema.json"), shown_as)
    fail(link_problems(book, Path(config.docs_dir), shown_as))
    return book


def on_config(config: MkDocsConfig) -> None:
    global _build
    path, shown_as = data_file(config, "quizzes.yml")
    _build = _Build(
        site_quizzes(config),
        site_figures(config),
        shown_as,
        config.theme.get_env(),
        Path(config.docs_dir),
        edit_url(config, path),
    )


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
            _build.edit_url,
        )
    return "\n".join(lines)
