"""The snippet contract, checked statically: every code block a reader sees is accounted for.

A Python code block on a page must be one of:
  * an include fence: its lines are only ``--8<-- "snippets/<topic>/<name>.py:<section>"``, and the
    file and section exist. Such a fence carries a title (```` ```python title="..." ````) so that
    pytest-codeblocks leaves it alone;
  * a bare ```` ```python ```` block, which pytest-codeblocks collects and runs;
  * a bare ```` ```python ```` block explicitly marked not executable with
    ``<!--pytest.mark.skip(reason="...")-->`` (a reason is required).
Anything else (```` ```py ````, ```` ```python title="x" ```` with inline code) would be shown but never
run, and is reported. So is an include of a missing file or section, an include by line numbers,
a snippet file, section or line of code that no page shows, and a block whose
numbered comments `# (1)` lack their notes under it.

Whether a snippet is tested is not decided here: the whole-suite command (``pytest --cov``, see
README.md) measures line coverage and fails unless every line of every snippet ran. This module
only asks that each snippet have its test module, ``tests/<topic>/test_<name>.py``, so that a
reader of a failing page knows where its tests live.

Every problem names a file and a line. ``check()`` is pure: the tests run it on the real tree and on
planted bad inputs. It composes the named checks in ``CHECKS``, each a function of a ``Tree``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pytest_codeblocks.main import extract_from_file
from site_hooks import shared

PYTHON_FENCES = {"python", "py", "python3", "py3", "pycon", "ipython"}
OUTPUT_SUFFIX = ".output.txt"  # what a snippet prints, shown under it on the page
COLLECTED_FENCE = "python"  # pytest-codeblocks runs a Python block only when its info string is exactly this

# The include line and the section markers, as the build hooks read them (course_markdown.py).
_markdown = shared("course_markdown")
INCLUDE, BLOCK_INCLUDE, SECTION_MARK = (
    _markdown.INCLUDE,
    _markdown.BLOCK_INCLUDE,
    _markdown.SECTION_MARK,
)
section_texts, unmarked = _markdown.section_texts, _markdown.unmarked
SECTION_NAME = re.compile(r"^[a-z][-_0-9a-z]*$", re.I)
LINE_RANGE = re.compile(r"^\d*(:\d*)?$")
SKIP_WITH_REASON = re.compile(
    r"""pytest\.mark\.skip(if)?\(.*reason\s*=\s*(["'])\s*\S.*\2"""
)


@dataclass(frozen=True, order=True)
class Problem:
    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Include:
    page: Path
    line: int
    file: str  # as written, relative to the repository root
    section: str | None

    def problem(self, message: str) -> Problem:
        return Problem(self.page, self.line, message)


@dataclass
class Snippet:
    path: Path
    # name -> (start marker line, end marker line), 1-based
    sections: dict[str, tuple[int, int]]


def parse_include(target: str) -> tuple[str, str | None, str | None]:
    """Split ``file[:section]``; return (file, section, error)."""
    if ":" in target:
        file, _, rest = target.partition(":")
        if LINE_RANGE.match(rest):
            return (
                file,
                None,
                f'includes "{target}" by line numbers; name a section instead',
            )
        if SECTION_NAME.match(rest):
            return file, rest, None
        return file, None, f'"{rest}" is not a valid section name in include "{target}"'
    return target, None, None


def read_sections(path: Path, problems: list[Problem]) -> Snippet:
    """A file's named sections; unbalanced markers are appended to ``problems``."""
    sections, faults = _markdown.sections(path.read_text().splitlines())
    problems.extend(Problem(path, number, message) for number, message in faults)
    return Snippet(path, sections)


def expected_test_module(snippet: Path, snippets_dir: Path, tests_dir: Path) -> Path:
    """``snippets/grpo/advantages.py`` is tested by ``tests/grpo/test_advantages.py``."""
    relative = snippet.relative_to(snippets_dir)
    return tests_dir / relative.parent / f"test_{relative.name}"


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


@dataclass
class Tree:
    """What the checks read: the pages, the snippet files and their sections, once each."""

    root: Path
    docs_dir: Path
    snippets_dir: Path
    tests_dir: Path

    @cached_property
    def snippets(self) -> dict[Path, Snippet]:
        return {
            path: read_sections(path, [])  # section_markers_balance reports
            for path in sorted(self.snippets_dir.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts
        }

    @cached_property
    def pages(self) -> dict[Path, list[str]]:
        return {
            page: page.read_text().splitlines()
            for page in sorted(self.docs_dir.rglob("*.md"))
        }

    def include_lines(self) -> Iterator[tuple[Path, int, re.Match | None, str]]:
        """Every include-like line of every page: (page, line number, one-line match, text)."""
        for page, lines in self.pages.items():
            for number, text in enumerate(lines, start=1):
                match = INCLUDE.match(text)
                if match and not match["escape"]:
                    yield page, number, match, text
                elif BLOCK_INCLUDE.match(text):
                    yield page, number, None, text

    @cached_property
    def includes(self) -> list[Include]:
        """The well-formed includes, in page order."""
        found = []
        for page, number, match, _ in self.include_lines():
            if match is not None:
                file, section, error = parse_include(match["target"])
                if not error:
                    found.append(Include(page, number, file, section))
        return found

    def target(self, include: Include) -> Snippet | None:
        """The file an include names, with its sections; None if there is no such file."""
        path = (self.root / include.file).resolve()
        if not path.is_file():
            return None
        return self.snippets.get(path) or read_sections(path, [])

    def shown_lines(self, page: Path, fence) -> list[str]:
        """A fence's lines as the reader sees them: an include's from its file or section."""
        match = INCLUDE.match(fence.body[0]) if len(fence.body) == 1 else None
        if match is None:
            return fence.body
        file, section, error = parse_include(match["target"])
        snippet = (
            None
            if error
            else self.target(Include(page, fence.start + 2, file, section))
        )
        if snippet is None:
            return []  # includes_resolve reports it
        lines = snippet.path.read_text().splitlines()
        if section is None:
            return lines
        return section_texts(lines).get(section, "").splitlines()

    @cached_property
    def resolved(self) -> list[tuple[Include, Snippet]]:
        """The includes whose file and section exist, with the file they show."""
        found = []
        for include in self.includes:
            snippet = self.target(include)
            if snippet is not None and (
                include.section is None or include.section in snippet.sections
            ):
                found.append((include, snippet))
        return found

    @cached_property
    def shown(self) -> dict[Path, set[str | None]]:
        """Each shown file's sections that some page shows (None: the whole file)."""
        shown: dict[Path, set[str | None]] = defaultdict(set)
        for include, snippet in self.resolved:
            shown[snippet.path].add(include.section)
        return shown

    def shown_by_sections(self) -> Iterator[Snippet]:
        """The snippet files that pages show section by section, never whole."""
        for path, snippet in self.snippets.items():
            if path in self.shown and None not in self.shown[path]:
                yield snippet

    def relative(self, path: Path) -> Path:
        return path.relative_to(self.root)


def section_markers_balance(tree: Tree) -> list[Problem]:
    problems: list[Problem] = []
    for path in tree.snippets:
        read_sections(path, problems)
    return problems


def includes_resolve(tree: Tree) -> list[Problem]:
    """Each include is one line, names a section (not line numbers), and finds its file and section."""
    problems = []
    for page, number, match, _ in tree.include_lines():
        if match is None:
            problems.append(
                Problem(
                    page, number, 'use the one-line include form --8<-- "file:section"'
                )
            )
            continue
        _, _, error = parse_include(match["target"])
        if error:
            problems.append(Problem(page, number, error))
    for include in tree.includes:
        snippet = tree.target(include)
        if snippet is None:
            problems.append(
                include.problem(f'includes "{include.file}", which does not exist')
            )
        elif include.section is not None and include.section not in snippet.sections:
            known = ", ".join(sorted(snippet.sections)) or "none"
            problems.append(
                include.problem(
                    f'includes section "{include.section}" of {include.file}, which has no such section '
                    f"(sections: {known})"
                )
            )
    return problems


def code_blocks_are_run(tree: Tree) -> list[Problem]:
    """Every Python block on a page is an include fence, or run by pytest-codeblocks, or skipped with a reason."""
    return [
        problem
        for page, lines in tree.pages.items()
        for problem in _check_code_blocks(page, lines)
    ]


def snippets_are_shown(tree: Tree) -> list[Problem]:
    return [
        Problem(path, 1, f"{tree.relative(path)} is shown on no page (orphan snippet)")
        for path in tree.snippets
        if path not in tree.shown
    ]


def sections_are_all_shown(tree: Tree) -> list[Problem]:
    """A file shown by sections has every section on some page."""
    return [
        Problem(
            snippet.path,
            start,
            f'section "{name}" of {tree.relative(snippet.path)} is shown on no page',
        )
        for snippet in tree.shown_by_sections()
        for name, (start, _) in snippet.sections.items()
        if name not in tree.shown[snippet.path]
    ]


def no_code_outside_sections(tree: Tree) -> list[Problem]:
    """A file shown by sections has no code outside them: it would run but no reader would see it."""
    problems = []
    for snippet in tree.shown_by_sections():
        inside = {
            number
            for start, end in snippet.sections.values()
            for number in range(start, end + 1)
        }
        lines = snippet.path.read_text().splitlines()
        for number, text in enumerate(lines, start=1):
            if number not in inside and _is_code(text):
                problems.append(
                    Problem(
                        snippet.path,
                        number,
                        "code outside every named section runs but is never shown",
                    )
                )
    return problems


def sections_in_file_order(tree: Tree) -> list[Problem]:
    """A page shows a snippet's sections in file order, so copying its blocks in order gives a program that runs."""
    problems = []
    # (page, snippet) -> the snippet's sections that page has shown so far
    seen_on_page: dict[tuple[Path, Path], list[str]] = defaultdict(list)
    for include, snippet in tree.resolved:
        if include.section is None:
            continue
        seen = seen_on_page[(include.page, snippet.path)]
        if include.section in seen:
            continue  # showing a section again, as a reminder, is fine
        seen.append(include.section)
        start = snippet.sections[include.section][0]
        later = [name for name in seen[:-1] if snippet.sections[name][0] > start]
        if later:
            out_of_order = (
                f'shows section "{include.section}" after "{later[0]}", which comes later in '
                f"{include.file}; a reader copying the blocks in order would run them out of order"
            )
            problems.append(include.problem(out_of_order))
    return problems


def snippets_have_tests(tree: Tree) -> list[Problem]:
    """Each snippet has its test module (coverage, not this check, proves the module runs it),
    and an output file shown under a snippet is compared with a real run by that module."""
    problems = []
    for path in tree.snippets:
        is_output = path.name.endswith(OUTPUT_SUFFIX)
        if path.suffix != ".py" and not is_output:
            continue
        script = (
            path.with_name(path.name.removesuffix(OUTPUT_SUFFIX) + ".py")
            if is_output
            else path
        )
        test_module = expected_test_module(script, tree.snippets_dir, tree.tests_dir)
        if not is_output and not test_module.is_file():
            message = (
                f"{tree.relative(path)} has no test module: expected "
                f"{tree.relative(test_module)}"
            )
        elif is_output and (
            not test_module.is_file()
            or "assert_output_matches" not in test_module.read_text()
        ):
            message = (
                f"the output in {tree.relative(path)} is never checked: "
                f"{tree.relative(test_module)} must call assert_output_matches"
            )
        else:
            continue
        problems.append(Problem(path, 1, message))
    return problems


# A comment `# (1)` at the end of a shown line points to note 1 of the list under the block.
NOTE_MARKER = re.compile(r"#\s*\((\d+)\)\s*$")
NOTE = re.compile(r"(\d+)\.\s")


def notes_follow_their_markers(tree: Tree) -> list[Problem]:
    """A block whose lines end in `# (1)` ... `# (n)` is followed by its notes 1. ... n., in order,
    on the pages and in the notebooks' sources."""
    problems = []
    notebooks = {
        path: path.read_text().splitlines()
        for path in sorted((tree.root / "notebooks").glob("*.md"))
    }
    for page, lines in {**tree.pages, **notebooks}.items():
        for fence in _markdown.fences(lines):
            markers = [
                int(m[1])
                for line in tree.shown_lines(page, fence)
                if (m := NOTE_MARKER.search(line))
            ]
            if not markers:
                continue
            notes = []
            for line in lines[fence.end + 1 :]:
                if line.strip() and not line.startswith(fence.indent + " "):
                    if not (note := NOTE.match(line.removeprefix(fence.indent))):
                        break
                    notes.append(int(note[1]))
            wanted = list(range(1, len(markers) + 1))
            if markers != wanted or notes != wanted:
                problems.append(
                    Problem(
                        page,
                        fence.start + 1,
                        f"the block's comments point to notes {markers} and the list under it"
                        f" has notes {notes}: number the comments # (1), # (2), ... in order"
                        " and give each its note",
                    )
                )
    return problems


CHECKS: tuple[Callable[[Tree], list[Problem]], ...] = (
    section_markers_balance,
    includes_resolve,
    code_blocks_are_run,
    snippets_are_shown,
    sections_are_all_shown,
    no_code_outside_sections,
    sections_in_file_order,
    snippets_have_tests,
    notes_follow_their_markers,
)


def check(
    root: Path,
    docs_dir: Path | None = None,
    snippets_dir: Path | None = None,
    tests_dir: Path | None = None,
) -> list[Problem]:
    """Every problem that every check in ``CHECKS`` finds in the tree under ``root``, in file order."""
    tree = Tree(
        root,
        docs_dir or root / "docs",
        snippets_dir or root / "snippets",
        tests_dir or root / "tests",
    )
    return sorted(problem for run in CHECKS for problem in run(tree))


def _check_code_blocks(page: Path, lines: list[str]) -> list[Problem]:
    problems = []
    try:
        blocks = extract_from_file(page)
    except (
        RuntimeError
    ) as error:  # pytest-codeblocks' own complaint, e.g. an unterminated fence
        return [
            Problem(
                page, len(lines), f"pytest-codeblocks cannot read this page: {error}"
            )
        ]
    for block in blocks:
        syntax = (block.syntax or "").strip()
        language = syntax.split()[0].lstrip(".{").lower() if syntax else ""
        if language not in PYTHON_FENCES:
            continue
        body = [line for line in block.code.splitlines() if line.strip()]
        include_lines = [line for line in body if INCLUDE.match(line)]
        collected = (
            block.syntax == COLLECTED_FENCE
        )  # compared unstripped, as pytest-codeblocks does
        skip_marks = [
            mark for mark in block.marks if mark.startswith("pytest.mark.skip")
        ]
        if body and len(include_lines) == len(body):
            if collected and not skip_marks:
                problems.append(
                    Problem(
                        page,
                        block.lineno,
                        "pytest-codeblocks would execute this include line as Python; "
                        'give the fence a title: ```python title="snippets/..."',
                    )
                )
        elif include_lines:
            problems.append(
                Problem(
                    page,
                    block.lineno,
                    "a code block mixes includes with inline code; split it",
                )
            )
        elif not collected:
            problems.append(
                Problem(
                    page,
                    block.lineno,
                    f"```{syntax} block is shown but never run: pytest-codeblocks collects only "
                    "bare ```python blocks; include it from a tested snippet, make it a bare "
                    '```python block, or mark it <!--pytest.mark.skip(reason="...")-->',
                )
            )
        elif skip_marks and not any(
            SKIP_WITH_REASON.search(mark) for mark in skip_marks
        ):
            problems.append(
                Problem(
                    page,
                    block.lineno,
                    'a Python block marked skip must say why: <!--pytest.mark.skip(reason="...")-->',
                )
            )
    return problems
