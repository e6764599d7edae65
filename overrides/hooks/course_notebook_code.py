"""A notebook's code: the snippet sections its page includes, the tiny models they run on, and
the recipes they read. Used by course_notebook_page.py; not a hook.

A page's include of a snippet section becomes a code cell, in page order. A snippet that reads
``COURSE_MODEL`` names the tiny model it runs on in its header; its first section is preceded by
a cell that points ``COURSE_MODEL`` at that model (unless the reader chose another). A notebook
runs a snippet from its sections, so a page must show every section of a snippet it shows, in
file order. An output file (``*.output.txt``) shown under a section becomes that cell's expected
output (tests/test_notebooks_outside.py compares it with what the cell printed).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from pathlib import Path

from course_markdown import section_texts, tiny_models, unmarked

# Whole files a page shows that its examples read from the working folder: the set-up writes them.
WRITTEN_FOLDERS = ("recipes/", "configs/")
LANGUAGES = {".py": "python", ".yaml": "yaml", ".yml": "yaml"}


@dataclass
class Snippet:
    path: Path
    sections: dict[str, str]  # name -> code, in file order
    models: dict[str, str]  # "COURSE_MODEL" / "COURSE_TEACHER" -> tiny-model recipe
    reads_model: bool


def read_snippet(path: Path) -> Snippet:
    text = path.read_text(encoding="utf-8")
    # Markers that do not pair up are left out: the docs contract reports them.
    code = section_texts(text.splitlines())
    return Snippet(path, code, tiny_models(text), "COURSE_MODEL" in text)


def include(page, number: int, target: str) -> None:
    """The include ``target`` (``path[:section]``) on line ``number`` of ``page``, a
    course_notebook_page.Converter: a code cell, an expected output, or text shown."""
    path_text, _, section = target.partition(":")
    path = page.root / path_text
    if not path.is_file():
        page.problems.append(f"{page.where(number)}: {path_text}: no such file")
        return
    if not section:  # a whole file, such as a recipe: shown, never run
        text = path.read_text(encoding="utf-8")
        if path_text.startswith(WRITTEN_FOLDERS):
            # Written by a set-up cell where the example reads it, so the notebook needs no
            # checkout (an example may read it before the page shows it).
            page.recipes[path_text] = text
        shown = unmarked(text)
        language = LANGUAGES.get(path.suffix, "text")
        page.show(f"`{path_text}`:", language, shown.rstrip("\n"))
        return
    snippet = read_snippet(path)
    if section not in snippet.sections:
        page.problems.append(
            f"{page.where(number)}: {path_text} has no section {section!r}"
        )
        return
    code = textwrap.dedent(snippet.sections[section]).strip("\n")
    if path_text.endswith(".output.txt"):
        if page.cells and page.cells[-1].kind == "code":
            page.cells[-1].metadata.setdefault("course", {})["output"] = unmarked(
                code + "\n"
            )
        return
    if not path_text.startswith("snippets/"):
        page.show(
            f"From the course package, installed above (`{path_text}`); shown, not run:",
            "python",
            code,
        )
        return
    if path not in page.shown:
        page.shown[path] = []
        if snippet.reads_model:
            use_model(page, snippet)
    page.shown[path].append((section, number))
    page.add_code(code, {"course": {"source": f"{path_text}:{section}"}})


def use_model(page, snippet: Snippet) -> None:
    """A cell that points the next snippet at the tiny models its header names."""
    where = page.relative(snippet.path)
    if "COURSE_MODEL" not in snippet.models:
        page.problems.append(
            f"{where}:1: reads COURSE_MODEL, but its header names no tiny"
            ' model to run it on: add a comment such as `COURSE_MODEL="$(course-models'
            ' path arithmetic)" python <the snippet>`'
        )
        return
    model = snippet.models["COURSE_MODEL"]
    teacher = snippet.models.get("COURSE_TEACHER")
    page.models.setdefault("COURSE_MODEL", model)
    arguments = f'"{model}"' + (f', teacher="{teacher}"' if teacher else "")
    page.add_code(
        f"# {where} runs on the tiny models,\n"
        "# unless you chose a model in the set-up above.\n"
        f"use_model({arguments})"
    )
    if teacher:
        page.models["COURSE_TEACHER"] = teacher


def completeness_problems(page) -> list[str]:
    """Every section of every snippet a page shows, shown in file order: a notebook runs them all."""
    problems = []
    for path, shown in page.shown.items():
        names = [name for name, _ in shown]
        every = list(read_snippet(path).sections)
        missing = [name for name in every if name not in names]
        if missing:
            problems.append(
                f"{page.where(shown[0][1])}: shows only some sections of"
                f" {page.relative(path)} (not {', '.join(missing)}); a notebook runs the"
                " snippet's code from its sections, so show them all, in file order"
            )
        elif names != every:
            problems.append(
                f"{page.where(shown[0][1])}: shows the sections of {page.relative(path)}"
                f" out of file order ({', '.join(names)})"
            )
    return problems
