"""The snippet contract holds for the real site, and each kind of breach is caught with its file and line."""

import textwrap
from pathlib import Path

import pytest
from support.docs_contract import check
from support.harness import ROOT
from support.site_build import mkdocs_build

# In the fast path for a change to the text: pytest -m text (docs/contributing.md).
pytestmark = pytest.mark.text

GOOD_SNIPPET = """\
# A comment outside the sections is fine.
# --8<-- [start:setup]
import math
# --8<-- [end:setup]

# --8<-- [start:use]
print(math.pi)
# --8<-- [end:use]
"""

GOOD_PAGE = """\
# Page

```python title="snippets/topic/demo.py"
--8<-- "snippets/topic/demo.py:setup"
```

```python title="snippets/topic/demo.py"
--8<-- "snippets/topic/demo.py:use"
```
"""


def test_the_site_honours_the_contract():
    problems = check(ROOT)
    assert not problems, "\n".join(map(str, problems))


def make_tree(
    root: Path,
    page: str = GOOD_PAGE,
    snippet: str = GOOD_SNIPPET,
    extra: dict | None = None,
) -> Path:
    files = {
        "docs/page.md": page,
        "snippets/topic/demo.py": snippet,
        "tests/topic/test_demo.py": "def test_demo(): ...\n",
        **(extra or {}),
    }
    for name, text in files.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def reports(root: Path) -> list[str]:
    return [f"{p.file.relative_to(root)}:{p.line}: {p.message}" for p in check(root)]


def test_a_good_tree_has_no_problems(tmp_path):
    assert reports(make_tree(tmp_path)) == []


@pytest.mark.parametrize(
    "include, where, message",
    [
        (
            '--8<-- "snippets/topic/missing.py:setup"',
            "docs/page.md:12",
            '"snippets/topic/missing.py", which does not exist',
        ),
        (
            '--8<-- "snippets/topic/demo.py:nope"',
            "docs/page.md:12",
            'section "nope" of snippets/topic/demo.py',
        ),
        ('--8<-- "snippets/topic/demo.py:2:3"', "docs/page.md:12", "by line numbers"),
    ],
    ids=["missing-file", "missing-section", "line-numbers"],
)
def test_a_bad_include_is_named_with_page_and_line(tmp_path, include, where, message):
    page = GOOD_PAGE + f'\n```python title="x"\n{include}\n```\n'
    found = reports(make_tree(tmp_path, page=page))
    assert any(r.startswith(where) and message in r for r in found), found


@pytest.mark.parametrize(
    "fence",
    ["```py", '```python title="example.py"', "```python3", "``` python"],
)
def test_a_python_block_nobody_runs_is_named(tmp_path, fence):
    page = GOOD_PAGE + f"\nSome text.\n\n{fence}\nprint('shown, never run')\n```\n"
    found = reports(make_tree(tmp_path, page=page))
    assert any(r.startswith("docs/page.md:13:") and "never run" in r for r in found), (
        found
    )


def test_a_bare_python_block_is_run_by_pytest_codeblocks_so_it_passes(tmp_path):
    page = GOOD_PAGE + "\n```python\nprint('run by pytest-codeblocks')\n```\n"
    assert reports(make_tree(tmp_path, page=page)) == []


def test_a_block_marked_not_executable_needs_a_reason(tmp_path):
    with_reason = (
        GOOD_PAGE
        + '\n<!--pytest.mark.skip(reason="installs packages")-->\n```python\nimport x\n```\n'
    )
    assert reports(make_tree(tmp_path / "a", page=with_reason)) == []
    without = GOOD_PAGE + "\n<!--pytest.mark.skip-->\n```python\nimport x\n```\n"
    found = reports(make_tree(tmp_path / "b", page=without))
    assert any(
        r.startswith("docs/page.md:12:") and "must say why" in r for r in found
    ), found


def swapped_sections(page: str) -> str:
    """``page`` with its two includes' sections swapped: "use" shown before "setup"."""
    return (
        page.replace("demo.py:setup", "demo.py:TMP")
        .replace("demo.py:use", "demo.py:setup")
        .replace("demo.py:TMP", "demo.py:use")
    )


# Each breach: the tree make_tree builds (page, snippet, extra files) and every report, exactly.
BREACHES = {
    "include-in-a-bare-python-fence": (
        dict(
            page=GOOD_PAGE.replace(
                '```python title="snippets/topic/demo.py"\n--8<-- "snippets/topic/demo.py:use"',
                '```python\n--8<-- "snippets/topic/demo.py:use"',
            )
        ),
        "docs/page.md:7: pytest-codeblocks would execute this include line as Python; "
        'give the fence a title: ```python title="snippets/..."',
    ),
    "orphan-snippet-file": (
        dict(
            extra={
                "snippets/topic/lonely.py": "print(1)\n",
                "tests/topic/test_lonely.py": '"topic/lonely.py"\n',
            }
        ),
        "snippets/topic/lonely.py:1: snippets/topic/lonely.py is shown on no page (orphan snippet)",
    ),
    "orphan-section": (
        dict(page="```python title".join(GOOD_PAGE.split("```python title", 2)[:2])),
        'snippets/topic/demo.py:6: section "use" of snippets/topic/demo.py is shown on no page',
    ),
    "code-outside-every-section": (
        dict(snippet=GOOD_SNIPPET + "print('hidden from the reader')\n"),
        "snippets/topic/demo.py:9: code outside every named section runs but is never shown",
    ),
    "snippet-without-a-test-module": (
        dict(extra={"tests/topic/test_demo.py": None}),
        "snippets/topic/demo.py:1: snippets/topic/demo.py has no test module: expected "
        "tests/topic/test_demo.py",
    ),
    "output-file-nobody-checks": (
        dict(
            page=GOOD_PAGE
            + '\n```text\n--8<-- "snippets/topic/demo.output.txt"\n```\n',
            extra={"snippets/topic/demo.output.txt": "3.14\n"},
        ),
        "snippets/topic/demo.output.txt:1: the output in snippets/topic/demo.output.txt is never "
        "checked: tests/topic/test_demo.py must call assert_output_matches",
    ),
    "sections-shown-out-of-file-order": (
        dict(page=swapped_sections(GOOD_PAGE)),
        'docs/page.md:8: shows section "setup" after "use", which comes later in '
        "snippets/topic/demo.py; a reader copying the blocks in order would run them out of order",
    ),
    "comment-pointing-to-no-note": (
        dict(snippet=GOOD_SNIPPET.replace("print(math.pi)", "print(math.pi)  # (1)")),
        "docs/page.md:7: the block's comments point to notes [1] and the list under it has"
        " notes []: number the comments # (1), # (2), ... in order and give each its note",
    ),
}


@pytest.mark.parametrize("tree, report", BREACHES.values(), ids=BREACHES.keys())
def test_each_breach_is_the_one_report_naming_its_file_and_line(tmp_path, tree, report):
    assert reports(make_tree(tmp_path, **tree)) == [report]


def test_numbered_comments_with_their_notes_under_the_block_pass(tmp_path):
    snippet = GOOD_SNIPPET.replace("print(math.pi)", "print(math.pi)  # (1)")
    page = GOOD_PAGE + "\n1.  The note, and\n    its second line.\n\nProse.\n"
    assert reports(make_tree(tmp_path, page=page, snippet=snippet)) == []
    shuffled = page.replace("1.  The note", "2.  The note")
    assert reports(make_tree(tmp_path, page=shuffled, snippet=snippet)) != []


def test_unbalanced_section_markers_are_named(tmp_path):
    snippet = GOOD_SNIPPET.replace("# --8<-- [end:use]\n", "")
    found = reports(make_tree(tmp_path, snippet=snippet))
    assert 'snippets/topic/demo.py:6: section "use" starts but never ends' in found, (
        found
    )


def test_an_escaped_include_is_prose_not_an_include(tmp_path):
    page = GOOD_PAGE + '\n````markdown\n;--8<-- "snippets/topic/missing.py:x"\n````\n'
    assert reports(make_tree(tmp_path, page=page)) == []


def test_the_site_builds_strictly_with_the_notebooks_made_but_not_run(tmp_path):
    """The build's half of the contract, in the fast path: every include resolves (check_paths),
    every link and anchor, every figure, diagram, plot and data file, every notebook made.
    The session's build (tests/test_site.py, slow) runs the notebook too."""
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
