"""The snippet contract, checked statically: every code block a reader sees is accounted for.

A Python code block on a page must be one of:
  * an include fence: its lines are only ``--8<-- "snippets/<topic>/<name>.py:<section>"``, the file and
    section exist, and ``tests/<topic>/test_<name>.py`` tests that snippet. Such a fence carries a
    title (```` ```python title="..." ````) so that pytest-codeblocks leaves it alone;
  * a bare ```` ```python ```` block, which pytest-codeblocks collects and runs;
  * a bare ```` ```python ```` block explicitly marked not executable with
    ``<!--pytest.mark.skip(reason="...")-->`` (a reason is required).
Anything else (```` ```py ````, ```` ```python title="x" ```` with inline code) would be shown but never
run, and is reported. So is an include of a missing file or section, an include by line numbers,
and a snippet file, section or line of code that no page shows.

Every problem names a file and a line. ``check()`` is pure: the tests run it on the real tree and on
planted bad inputs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pytest_codeblocks.main import extract_from_file

PYTHON_FENCES = {"python", "py", "python3", "py3", "pycon", "ipython"}
OUTPUT_SUFFIX = ".output.txt"  # what a snippet prints, shown under it on the page
COLLECTED_FENCE = "python"  # pytest-codeblocks runs a Python block only when its info string is exactly this

# pymdownx.snippets syntax, single-line form: --8<-- "path[:section]" (a leading ';' escapes it).
INCLUDE = re.compile(
    r"""^(?P<indent>\s*)(?P<escape>;*)-{1,}8<-{1,}\s+(?P<quote>["'])(?P<target>.+?)(?P=quote)\s*$"""
)
BLOCK_INCLUDE = re.compile(r"^\s*-{1,}8<-{1,}\s*$")
SECTION_MARK = re.compile(
    r"-{1,}8<-{1,}\s+\[\s*(?P<kind>start|end)\s*:\s*(?P<name>[a-z][-_0-9a-z]*)\s*\]",
    re.I,
)
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
    sections: dict[str, tuple[int, int]] = {}
    open_at: dict[str, int] = {}
    for number, text in enumerate(path.read_text().splitlines(), start=1):
        for mark in SECTION_MARK.finditer(text):
            name, kind = mark["name"], mark["kind"].lower()
            if kind == "start":
                if name in open_at or name in sections:
                    problems.append(
                        Problem(path, number, f'section "{name}" is started twice')
                    )
                open_at[name] = number
            elif name not in open_at:
                problems.append(
                    Problem(path, number, f'section "{name}" ends but never starts')
                )
            else:
                sections[name] = (open_at.pop(name), number)
    for name, number in open_at.items():
        problems.append(
            Problem(path, number, f'section "{name}" starts but never ends')
        )
    return Snippet(path, sections)


def expected_test_module(snippet: Path, snippets_dir: Path, tests_dir: Path) -> Path:
    """``snippets/grpo/advantages.py`` is tested by ``tests/grpo/test_advantages.py``."""
    relative = snippet.relative_to(snippets_dir)
    return tests_dir / relative.parent / f"test_{relative.name}"


def _is_code(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def check(
    root: Path,
    docs_dir: Path | None = None,
    snippets_dir: Path | None = None,
    tests_dir: Path | None = None,
) -> list[Problem]:
    docs_dir = docs_dir or root / "docs"
    snippets_dir = snippets_dir or root / "snippets"
    tests_dir = tests_dir or root / "tests"
    problems: list[Problem] = []

    snippets = {
        path: read_sections(path, problems)
        for path in sorted(snippets_dir.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }

    includes: list[Include] = []
    for page in sorted(docs_dir.rglob("*.md")):
        lines = page.read_text().splitlines()
        for number, text in enumerate(lines, start=1):
            match = INCLUDE.match(text)
            if match and not match["escape"]:
                file, section, error = parse_include(match["target"])
                if error:
                    problems.append(Problem(page, number, error))
                    continue
                includes.append(Include(page, number, file, section))
            elif BLOCK_INCLUDE.match(text):
                problems.append(
                    Problem(
                        page,
                        number,
                        'use the one-line include form --8<-- "file:section"',
                    )
                )
        problems += _check_code_blocks(page, lines)

    shown: dict[Path, set[str | None]] = defaultdict(set)
    # (page, snippet) -> the snippet's sections that page has shown so far
    seen_on_page: dict[tuple[Path, Path], list[str]] = defaultdict(list)
    for include in includes:
        target = (root / include.file).resolve()
        if not target.is_file():
            problems.append(
                Problem(
                    include.page,
                    include.line,
                    f'includes "{include.file}", which does not exist',
                )
            )
            continue
        snippet = snippets.get(target) or read_sections(target, [])
        if include.section is not None and include.section not in snippet.sections:
            known = ", ".join(sorted(snippet.sections)) or "none"
            problems.append(
                Problem(
                    include.page,
                    include.line,
                    f'includes section "{include.section}" of {include.file}, which has no such section '
                    f"(sections: {known})",
                )
            )
            continue
        shown[target].add(include.section)
        if include.section is not None:
            problems += _check_order(include, snippet, seen_on_page)

    for path, snippet in snippets.items():
        relative = path.relative_to(root)
        if path not in shown:
            problems.append(
                Problem(path, 1, f"{relative} is shown on no page (orphan snippet)")
            )
            continue
        if (
            None not in shown[path]
        ):  # shown by sections: every section and every line of code must be shown
            for name, (start, _) in snippet.sections.items():
                if name not in shown[path]:
                    problems.append(
                        Problem(
                            path,
                            start,
                            f'section "{name}" of {relative} is shown on no page',
                        )
                    )
            inside = {
                n
                for start, end in snippet.sections.values()
                for n in range(start, end + 1)
            }
            for number, text in enumerate(path.read_text().splitlines(), start=1):
                if number not in inside and _is_code(text):
                    problems.append(
                        Problem(
                            path,
                            number,
                            "code outside every named section runs but is never shown",
                        )
                    )
        if path.suffix == ".py":
            test_module = expected_test_module(path, snippets_dir, tests_dir)
            wanted = path.relative_to(snippets_dir).as_posix()
            if not test_module.is_file() or wanted not in test_module.read_text():
                problems.append(
                    Problem(
                        path,
                        1,
                        f'{relative} has no test: expected {test_module.relative_to(root)} running "{wanted}"',
                    )
                )
        elif path.name.endswith(OUTPUT_SUFFIX):
            script = path.with_name(path.name.removesuffix(OUTPUT_SUFFIX) + ".py")
            test_module = expected_test_module(script, snippets_dir, tests_dir)
            if (
                not test_module.is_file()
                or "assert_output_matches" not in test_module.read_text()
            ):
                problems.append(
                    Problem(
                        path,
                        1,
                        f"the output in {relative} is never checked: "
                        f"{test_module.relative_to(root)} must call assert_output_matches",
                    )
                )
    return sorted(problems)


def _check_order(
    include: Include, snippet: Snippet, seen_on_page: dict
) -> list[Problem]:
    """A page shows a snippet's sections in file order, so copying its blocks in order gives a program that runs."""
    seen = seen_on_page[(include.page, snippet.path)]
    if include.section in seen:
        return []  # showing a section again, as a reminder, is fine
    seen.append(include.section)
    later = [
        name
        for name in seen[:-1]
        if snippet.sections[name][0] > snippet.sections[include.section][0]
    ]
    if later:
        return [
            Problem(
                include.page,
                include.line,
                f'shows section "{include.section}" after "{later[0]}", which comes later in '
                f"{include.file}; a reader copying the blocks in order would run them out of order",
            )
        ]
    return []


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
