"""What a contributor's common tasks cost, proven on a copy of the repository (docs/contributing.md).

- A sentence fixed on an example page, or in the R1-Zero notebook's source: that one file, and
  the page's Edit button opens it.
- A flashcard added, a quiz question reworded or added: that one data file, which each card's
  and each question's Edit link opens.
- A new example page with a tested snippet: the page, the snippet, its test and the nav entry.

Each test copies the repository, makes the change as a contributor would, runs the checks they
would run (the fast path, `pytest -m text`; for a new example, its test and the project checks
too), and asserts that they pass and that no other file was touched: nothing had to be
regenerated or registered by hand. The edits are found in the copied files, never written
against a sentence of the course, so that rewording the course breaks none of these tests.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from support.content import with_planted_card
from support.harness import ROOT
from support.site_build import mkdocs_build
from test_contributor_messages import run_pytest

pytestmark = pytest.mark.slow

SENTENCE = "A contributor fixed this sentence."
EDIT = "https://github.com/reasoning-course/reasoning-course/edit/main/"
# What the checks and the build write into a tree: never a file a contributor commits.
BUILD_OUTPUTS = {"__pycache__", ".pytest_cache", ".ruff_cache", "site", "build"}


def copy_repository(destination: Path) -> Path:
    """The repository's files, as a fresh clone holds them (git's tracked files and the new ones
    it does not ignore), without its history."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file():  # not a file deleted in the working tree
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, destination / name)
    return destination


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the tree but build outputs: path -> SHA-256 of its bytes."""
    found = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not BUILD_OUTPUTS & set(relative.parts):
            found[relative.as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(
        p for p in before.keys() | after.keys() if before.get(p) != after.get(p)
    )


def passes(repository: Path, *args: str) -> None:
    """Run pytest in ``repository`` as a contributor would; fail with its output unless it passes."""
    run_pytest(repository, "-q", *args, status=0)


def fix_a_sentence(path: Path) -> None:
    """Add a sentence to the first paragraph of prose after the title."""
    lines = path.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if i and re.match(r"[A-Z]", line))
    lines[at] = lines[at].rstrip("\n") + f" {SENTENCE}\n"
    path.write_text("".join(lines))


def built(repository: Path, tmp_path: Path) -> Path:
    site = tmp_path / "site"
    result = mkdocs_build(repository / "mkdocs.yml", site, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    return site


def text_of(page: Path) -> str:
    """A built page's text, without its tags (the glossary wraps terms in <abbr>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))


def edit_button(page: Path) -> str:
    (target,) = re.findall(
        rf'href="{re.escape(EDIT)}([^"]+)" title="Edit this page"', page.read_text()
    )
    return target


# The one file of each edit below: nothing else is changed by hand, nor by the checks and the build.
EDITED = [
    "docs/data/flashcards.yml",
    "docs/data/glossary.yml",
    "docs/data/quizzes.yml",
    "docs/examples/distillation.md",
    "notebooks/r1-zero-on-a-laptop.md",
]
GLOSSARY_WORDING = (
    "      The intermediate reasoning steps a model writes before its final answer;",
    "      The steps of reasoning a model writes out before its final answer;",
)


def test_a_sentence_a_flashcard_a_quiz_question_and_a_definition_are_each_one_file(
    tmp_path,
):
    repository = copy_repository(tmp_path / "repository")
    before = snapshot(repository)
    page = repository / "docs" / "examples" / "distillation.md"
    notebook_source = repository / "notebooks" / "r1-zero-on-a-laptop.md"
    cards = repository / "docs" / "data" / "flashcards.yml"
    quizzes = repository / "docs" / "data" / "quizzes.yml"
    glossary = repository / "docs" / "data" / "glossary.yml"
    fix_a_sentence(page)
    # A key concept's definition reworded: its tooltips and the syllabus' list follow.
    old_wording, new_wording = GLOSSARY_WORDING
    assert glossary.read_text().count(old_wording) == 1
    glossary.write_text(glossary.read_text().replace(old_wording, new_wording))
    fix_a_sentence(notebook_source)
    # A card added at the end of the deck, on an existing topic and section.
    cards.write_text(with_planted_card(cards.read_text())[0])
    # A question reworded, and one added to the last quiz (the file's last list).
    book = yaml.safe_load(quizzes.read_text())
    first = next(iter(book["quizzes"].values()))["questions"][0]
    text = quizzes.read_text()
    assert text.count(f"question: {first['question']}\n") == 1
    text = text.replace(
        f"question: {first['question']}\n", f"question: Reworded, {first['question']}\n"
    )
    last = list(book["quizzes"].values())[-1]["questions"][-1]
    quizzes.write_text(
        text.rstrip("\n") + "\n\n      - id: a-contributors-question\n"
        "        question: What did a contributor add to this quiz?\n"
        f"        link: {last['link']}\n"
        "        options:\n"
        "          - text: A question, in one file\n"
        "            correct: true\n"
        "            explanation: The build places it with the rest of its quiz.\n"
        "          - text: A question and a copy of the page\n"
        "            explanation: Nothing is copied; the page shows the file's quiz.\n"
        "          - text: A question, a notebook and a list of quizzes\n"
        "            explanation: The notebooks are made by the build; nothing lists quizzes.\n"
    )
    assert changed(before, snapshot(repository)) == EDITED

    passes(repository, "-m", "text")  # the fast path
    site = built(repository, tmp_path)
    assert changed(before, snapshot(repository)) == EDITED, (
        "the checks or the build wrote into the tree"
    )

    # Each change is on its page, and in the notebook made from it; each page's Edit button
    # opens the file that was changed.
    for name, source in (
        ("distillation", "docs/examples/distillation.md"),
        ("r1-zero-on-a-laptop", "notebooks/r1-zero-on-a-laptop.md"),
    ):
        page = site / "examples" / name / "index.html"
        assert SENTENCE in text_of(page), name
        assert edit_button(page) == source
        notebook = next(site.rglob(f"{name}.ipynb"))
        assert SENTENCE in notebook.read_text(), notebook
    assert (
        "What does a planted card ask?"
        in (site / "flashcards" / "index.html").read_text()
    )
    shown = "".join(text_of(p) for p in site.rglob("index.html"))
    assert f"Reworded, {first['question']}" in shown
    assert "What did a contributor add to this quiz?" in shown
    syllabus = (site / "syllabus" / "index.html").read_text()
    assert new_wording.strip() in html.unescape(syllabus)
    assert own_edit_links(syllabus, "glossary-edit", "glossary-edit") == [
        "docs/data/glossary.yml"
    ]
    # Each card and each question has its own Edit link, to the one file that holds it.
    deck = (site / "flashcards" / "index.html").read_text()
    assert own_edit_links(deck, "flashcard", "flashcard-edit") == [
        "docs/data/flashcards.yml"
    ]
    for page in site.rglob("index.html"):
        if 'class="quiz-question"' in page.read_text():
            links = own_edit_links(page.read_text(), "quiz-question", "quiz-edit")
            assert links == ["docs/data/quizzes.yml"], page


def own_edit_links(page: str, item: str, link: str) -> list[str]:
    """The files the ``link`` Edit links of a page open: each ``item`` must have one."""
    items = page.count(f'class="{item}"')
    targets = re.findall(
        rf'class="{link}"><a href="{re.escape(EDIT)}([^"]+)">Edit th(?:is|e) ', page
    )
    assert items > 0 and len(targets) == items, (items, len(targets))
    return sorted(set(targets))


SNIPPET = """\
# The planted example of tests/test_contributor_tasks.py:
#   python snippets/planted-topic/double.py

# --8<-- [start:double]
def double(numbers):
    return [2 * number for number in numbers]


print(double([1, 2, 3]))
# --8<-- [end:double]
"""
TEST = """\
SNIPPET = "planted-topic/double.py"


def test_it_doubles_every_number(snippet):
    assert snippet.module.double([1, 2]) == [2, 4]


def test_it_prints_what_the_page_shows(run):
    assert run.stdout == "[2, 4, 6]\\n"
"""
PAGE = """\
# Doubling, a planted example

A page a contributor adds, with its tested snippet.

## Double every number

```python title="snippets/planted-topic/double.py"
--8<-- "snippets/planted-topic/double.py:double"
```

It prints `[2, 4, 6]`.
"""


def add_to_the_examples_nav(config: Path, entry: str) -> None:
    lines = config.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- Examples:") + 1
    while lines[at].startswith("      - "):
        at += 1
    lines.insert(at, f"      - {entry}\n")
    config.write_text("".join(lines))


def test_a_new_example_page_is_four_files(tmp_path):
    repository = copy_repository(tmp_path / "repository")
    before = snapshot(repository)
    files = {
        "docs/examples/planted-topic.md": PAGE,
        "snippets/planted-topic/double.py": SNIPPET,
        "tests/planted-topic/test_double.py": TEST,
    }
    for name, text in files.items():
        (repository / name).parent.mkdir(parents=True, exist_ok=True)
        (repository / name).write_text(text)
    add_to_the_examples_nav(
        repository / "mkdocs.yml", "Doubling: examples/planted-topic.md"
    )
    four = sorted([*files, "mkdocs.yml"])
    assert changed(before, snapshot(repository)) == four

    passes(repository, "-m", "text")  # the strict build, the contract, content and data
    # Its own test; the project's checks (the canary runs the new folder, ruff, workflows);
    # its notebook and its links.
    passes(
        repository,
        "-m",
        "not slow",
        "tests/planted-topic",
        "tests/test_project.py",
        "tests/test_notebooks.py",
    )
    site = built(repository, tmp_path)
    assert changed(before, snapshot(repository)) == four, (
        "something had to be regenerated"
    )

    page = site / "examples" / "planted-topic" / "index.html"
    assert "return [2 * number for number in numbers]" in text_of(page)
    assert edit_button(page) == "docs/examples/planted-topic.md"
    assert (
        "def double(numbers)" in (site / "examples" / "planted-topic.ipynb").read_text()
    )
