"""The messages a contributor gets when they break something, as pytest prints them: each names the
file and the line to fix.

Each test copies the repository's sources to a scratch folder, plants one mistake, runs pytest there
in a fresh process (as the contributor would) and reads its output. The checks behind the messages
are tested in detail elsewhere (tests/test_docs_contract.py on planted trees, tests/test_site.py for
the strict build); here the point is what reaches the contributor's terminal. To add a case: copy
the repository with ``copy_repository``, change a file, and read ``run_pytest``'s output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from support.content import with_planted_card
from support.harness import ROOT
from support.site_build import copy_sources

GRPO_PAGE = "docs/examples/grpo.md"
CONTRACT_TEST = "tests/test_docs_contract.py::test_the_site_honours_the_contract"


def copy_repository(destination: Path) -> Path:
    """The sources, the tests, the scripts (the tests load the hooks through
    scripts/site_hooks.py), the workflows and the pytest configuration, without caches or
    builds."""
    copy_sources(destination)
    for name in ("tests", "scripts", ".github"):
        shutil.copytree(
            ROOT / name,
            destination / name,
            ignore=shutil.ignore_patterns("__pycache__", "vendor"),
        )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, destination / name)
    return destination


def run_pytest(repository: Path, *args: str, status: int = 1) -> str:
    """Run pytest in ``repository`` as a contributor would; return what it prints. It must
    exit with ``status``: 1, some test failed (the message to read); 0, every test passed."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
        cwd=repository,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert result.returncode == status, (
        f"pytest {' '.join(args)} exited {result.returncode}, not {status}:\n"
        f"{result.stdout}{result.stderr}"
    )
    return result.stdout + result.stderr


def append_to_page(repository: Path, page: str, text: str) -> int:
    """Append ``text`` to a page; return the line number its first line lands on."""
    path = repository / page
    before = path.read_text()
    if not before.endswith("\n"):
        before += "\n"
    path.write_text(before + text)
    return len(before.splitlines()) + 1


def test_a_broken_include_is_named_with_page_and_line(tmp_path):
    repository = copy_repository(tmp_path)
    line = append_to_page(
        repository,
        GRPO_PAGE,
        '\n```python title="snippets/grpo/advantages.py"\n'
        '--8<-- "snippets/grpo/advantages.py:no-such-section"\n```\n',
    )
    output = run_pytest(repository, CONTRACT_TEST)
    assert (
        f'{GRPO_PAGE}:{line + 2}: includes section "no-such-section" of '
        "snippets/grpo/advantages.py, which has no such section"
    ) in output, output


def test_a_code_block_that_no_test_runs_is_named_with_page_and_line(tmp_path):
    repository = copy_repository(tmp_path)
    line = append_to_page(repository, GRPO_PAGE, "\n```py\nprint('never run')\n```\n")
    output = run_pytest(repository, CONTRACT_TEST)
    assert f"{GRPO_PAGE}:{line + 1}: ```py block is shown but never run" in output, (
        output
    )


PLANTED_SNIPPET = """\
# A planted example whose third line fails.
scores = [1.0, 0.0]
mean = sum(scores) / (len(scores) - 2)
"""
PLANTED_TEST = """\
from support.harness import run_snippet


def test_the_planted_example_runs():
    run_snippet("grpo/planted.py")
"""


def test_a_failing_example_is_named_with_snippet_file_and_line(tmp_path):
    repository = copy_repository(tmp_path)
    (repository / "snippets" / "grpo" / "planted.py").write_text(PLANTED_SNIPPET)
    (repository / "tests" / "grpo" / "test_planted.py").write_text(PLANTED_TEST)
    output = run_pytest(repository, "tests/grpo/test_planted.py")
    assert "snippets/grpo/planted.py:3: ZeroDivisionError" in output, output
    assert "mean = sum(scores) / (len(scores) - 2)" in output, output  # the line itself


def test_a_malformed_flashcard_is_named_with_file_line_card_and_field(tmp_path):
    repository = copy_repository(tmp_path)
    cards = repository / "docs" / "data" / "flashcards.yml"
    text, line = with_planted_card(cards.read_text(), outcome="four")
    cards.write_text(text)
    output = run_pytest(
        repository, "tests/test_course_data.py::test_the_real_deck_is_valid"
    )
    assert (
        f"docs/data/flashcards.yml:{line}: card 'planted-card', field 'outcome':"
        " 'four' is not of type 'integer'"
    ) in output, output


def test_the_pull_request_and_issue_templates_are_valid():
    github = ROOT / ".github"
    checklist = (github / "pull_request_template.md").read_text()
    assert checklist.count("- [ ] ") >= 5 and 'pytest -m "not slow"' in checklist
    assert "`pytest -m text` passes" in checklist  # the fast path for the text
    forms = sorted((github / "ISSUE_TEMPLATE").glob("*.yml"))
    forms = [form for form in forms if form.name != "config.yml"]
    assert {form.stem for form in forms} == {"content-error", "broken-example"}
    check = str(Path(sys.executable).with_name("check-jsonschema"))
    for schema, files in (
        ("vendor.github-issue-forms", forms),
        ("vendor.github-issue-config", [github / "ISSUE_TEMPLATE" / "config.yml"]),
    ):
        result = subprocess.run(
            [check, "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
