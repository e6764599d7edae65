"""Generate a Jupyter notebook for every example page, from the code and text the page shows.

    python scripts/notebooks.py           # (re)write every generated notebook
    python scripts/notebooks.py --check   # list the stale ones and exit 1; write nothing

Sources and the notebooks made from them:

* ``docs/examples/<name>.md`` (an example page) -> ``docs/examples/<name>.ipynb``, beside it: a
  download, not a page (mkdocs.yml renders only the R1-Zero notebook as a page);
* ``notebooks/<name>.md`` (a notebook that is not made from a page, written in the pages' own
  Markdown) -> ``docs/examples/<name>.ipynb``: the R1-Zero notebook, which the site shows as a page.

A notebook holds, in page order, the snippet sections the page includes (``--8<-- "path:section"``)
and its bare ```` ```python ```` blocks as code cells, and its prose as Markdown cells with the
figures (``{{ group.name }}``) filled in by the site's own hook. What a notebook cannot show is
left out: diagrams, the quizzes, the plots of the recorded runs (a note says so), the outputs
(the cells print them), the links to other pages (their text stays), and what a page marks
``<!-- notebook: leave out -->`` ... ``<!-- notebook: end -->`` (an interactive part that needs
the site's scripts). Sections of the course package
(``src/``) are shown as code, not run: the package is installed. Its first cells set it up: install
the course package with its ``examples`` extra (nothing when it is already installed and up to
date), choose the model (the one cell to edit for a real one), and build the tiny models it runs
on. Never edit a generated notebook by hand; the test suite (tests/test_notebooks.py) fails when
one is stale, naming this command.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = DOCS / "examples"
OWN_SOURCES = ROOT / "notebooks"  # notebooks that are not made from a page
COMMAND = "python scripts/notebooks.py"
PACKAGE = "reasoning-course"
CPU_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
WHEEL_ENV = "COURSE_WHEEL"

FENCE = re.compile(r"^(?P<indent>[ ]*)(?P<ticks>`{3,})(?P<info>[^`]*)$")
INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(["'])(?P<target>.+?)\1\s*$""")
SECTION_MARK = re.compile(
    r"-{1,}8<-{1,}\s+\[\s*(?P<kind>start|end)\s*:\s*(?P<name>[a-z][-_0-9a-z]*)\s*\]",
    re.I,
)
TITLE_ATTR = re.compile(r"""\btitle=(["'])(?P<title>.*?)\1""")
CONTAINER = re.compile(
    r"""^(?P<kind>!!!|\?\?\?\+?|===)\s*(?P<type>[\w-]*)\s*(?:(["'])(?P<title>.*?)\3)?\s*$"""
)
COMMENT = re.compile(r"^\s*<!--(?P<body>.*?)-->\s*$")
# Whole files a page shows that its examples read from the working folder: the set-up writes them.
WRITTEN_FOLDERS = ("recipes/", "configs/")
# Around a part of a page that only a browser can show (the GRPO playground): left out.
LEAVE_OUT, LEAVE_OUT_END = "notebook: leave out", "notebook: end"
FOOTNOTE_DEF = re.compile(r"^\[\^(?P<id>[^\]]+)\]:\s?(?P<text>.*)$")
FOOTNOTE_REF = re.compile(r"\[\^(?P<id>[^\]]+)\]")
HEADING = re.compile(r"^(?P<hashes>#{1,6}) (?P<title>.+?)$")
HEADING_ATTRS = re.compile(r"\s*\{\s*#[\w-]+\s*\}\s*$")
LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<target>[^)\s]+)\)")
# A snippet that loads a model names, in its header, the tiny model it runs on, first:
#   COURSE_MODEL="$(course-models path arithmetic)"
TINY_MODEL = re.compile(
    r"""(COURSE_MODEL|COURSE_TEACHER)="\$\((?:course|tiny)-models path (\w+)\)\""""
)


class NotebookSourceError(Exception):
    """A problem in a page or a snippet, as ``path:line: message`` lines."""


@dataclass
class Source:
    path: Path  # the page, or the notebook's own Markdown
    notebook: Path
    is_page: bool

    @property
    def name(self) -> str:
        return rel(self.path)


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def sources(root: Path = ROOT) -> list[Source]:
    """Every example page and every notebooks/*.md, each with the notebook made from it."""
    found = [
        Source(page, page.with_suffix(".ipynb"), True)
        for page in sorted((root / "docs" / "examples").glob("*.md"))
    ]
    for own in sorted((root / "notebooks").glob("*.md")):
        target = root / "docs" / "examples" / f"{own.stem}.ipynb"
        if (root / "docs" / "examples" / f"{own.stem}.md").exists():
            raise NotebookSourceError(
                f"{rel(own)}:1: docs/examples/{own.stem}.md makes the same notebook;"
                " rename one of them"
            )
        found.append(Source(own, target, False))
    return found


# --- the site's configuration and figures -------------------------------------------------


@cache
def site_config():
    """mkdocs.yml, loaded by MkDocs itself (which imports the hooks it lists)."""
    from mkdocs.config import load_config

    return load_config(str(ROOT / "mkdocs.yml"))


def figures():
    config = site_config()
    return config["hooks"]["overrides/hooks/course_figures.py"].site_figures(config)


def repository_url() -> str:
    return site_config()["repo_url"].rstrip("/")


def package_version() -> str:
    import tomllib

    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


# --- snippets ------------------------------------------------------------------------------


@dataclass
class Snippet:
    path: Path
    sections: dict[str, str]  # name -> code, in file order
    models: dict[str, str]  # "COURSE_MODEL" / "COURSE_TEACHER" -> tiny-model recipe
    reads_model: bool


@cache
def snippet(path: Path) -> Snippet:
    lines = path.read_text(encoding="utf-8").splitlines()
    sections: dict[str, str] = {}
    open_at: dict[str, int] = {}
    for number, line in enumerate(lines):
        for mark in SECTION_MARK.finditer(line):
            if mark["kind"].lower() == "start":
                open_at[mark["name"]] = number
            elif mark["name"] in open_at:
                start = open_at.pop(mark["name"])
                sections[mark["name"]] = "\n".join(lines[start + 1 : number])
    header = "\n".join(line for line in lines if line.startswith("#"))
    models: dict[str, str] = {}
    for m in TINY_MODEL.finditer(header):  # the first named: the tiny model, the default
        models.setdefault(m[1], m[2])
    text = "\n".join(lines)
    return Snippet(path, sections, models, "COURSE_MODEL" in text)


# --- the page, read as a stream of prose and fences ------------------------------------------


@dataclass
class Cell:
    kind: str  # "markdown" or "code"
    text: str
    metadata: dict = field(default_factory=dict)


@dataclass
class Converter:
    source: Source
    cells: list[Cell] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    footnotes: dict[str, int] = field(default_factory=dict)
    shown: dict[Path, list[tuple[str, int]]] = field(default_factory=dict)
    models: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    setup_at: int | None = None  # where the set-up cells go: after the introduction
    recipes: dict[str, str] = field(default_factory=dict)  # path -> text, in page order

    def where(self, line: int) -> str:
        return f"{self.source.name}:{line}"

    # Prose accumulates into one Markdown cell; a heading or a code cell starts a new one.
    def flush(self) -> None:
        text = "\n".join(self.prose).strip("\n")
        self.prose = []
        if text.strip():
            self.cells.append(Cell("markdown", text))

    def add_prose(self, line: str) -> None:
        heading = HEADING.match(line)
        if heading:
            self.flush()
            if self.setup_at is None and len(heading["hashes"]) > 1:
                self.setup_at = len(self.cells)
            line = HEADING_ATTRS.sub("", line)
        self.prose.append(self.rewrite(line))

    def add_code(self, text: str, metadata: dict | None = None) -> None:
        self.flush()
        if self.setup_at is None:
            self.setup_at = len(self.cells)
        self.cells.append(Cell("code", text.strip("\n"), metadata or {}))

    def rewrite(self, line: str) -> str:
        """Footnote references as numbers; links to other pages as their text alone."""

        def footnote(match: re.Match) -> str:
            number = self.footnotes.setdefault(match["id"], len(self.footnotes) + 1)
            return f"<sup>[{number}]</sup>"

        def link(match: re.Match) -> str:
            target = match["target"]
            if re.match(r"^[a-z]+:", target):  # https:, mailto:: kept
                return match.group()
            return match["text"]  # a page of the site: its address depends on the build

        return LINK.sub(link, FOOTNOTE_REF.sub(footnote, line))

    def convert(self, lines: list[tuple[int, str]]) -> None:
        """``lines``: (line number in the source, text), already dedented out of containers."""
        pending: str | None = None  # what an HTML comment says about the next fence
        index = 0
        while index < len(lines):
            number, line = lines[index]
            index += 1
            fence = FENCE.match(line)
            if fence:
                body, index = self.fence_body(lines, index, fence, number)
                self.fence(number, fence["info"].strip(), body, pending)
                pending = None
                continue
            container = CONTAINER.match(line)
            if container:
                body, index = indented_block(lines, index)
                self.container(container, body)
                continue
            footnote = FOOTNOTE_DEF.match(line)
            if footnote:
                body, index = indented_block(lines, index)
                text = " ".join([footnote["text"], *(t.strip() for _, t in body)])
                number_of = self.footnotes.setdefault(
                    footnote["id"], len(self.footnotes) + 1
                )
                self.add_prose(f"[{number_of}] {self.rewrite(text.strip())}\n")
                continue
            comment = COMMENT.match(line)
            if comment:
                body = comment["body"].strip()
                if body == LEAVE_OUT:
                    index = self.leave_out(lines, index, number)
                    continue
                if body.startswith("pytest.mark.skip"):
                    pending = "shown"
                elif body.startswith("pytest-codeblocks:expected-output"):
                    pending = "output"
                elif body.startswith("course:plot"):
                    self.add_prose(
                        "*The page plots the course's recorded runs here, over five seeds;"
                        " this notebook's run prints its own figures.*\n"
                    )
                continue  # quizzes and other markers: nothing a notebook can show
            self.add_prose(line)
        self.flush()

    def leave_out(self, lines, index, opened: int) -> int:
        """Skip to the matching end marker: what only a browser can show (a playground)."""
        for position in range(index, len(lines)):
            comment = COMMENT.match(lines[position][1])
            if comment and comment["body"].strip() == LEAVE_OUT_END:
                self.add_prose(
                    "*The page has an interactive part here that needs a browser; open the"
                    " page on the course site to use it.*\n"
                )
                return position + 1
        raise NotebookSourceError(
            f"{self.where(opened)}: `<!-- {LEAVE_OUT} -->` without a later"
            f" `<!-- {LEAVE_OUT_END} -->`"
        )

    def fence_body(self, lines, index, fence, opened: int) -> tuple[list[str], int]:
        indent, ticks = len(fence["indent"]), fence["ticks"]
        body = []
        while index < len(lines):
            _, line = lines[index]
            index += 1
            if re.fullmatch(rf"\s*`{{{len(ticks)},}}\s*", line):
                return body, index
            body.append(line[indent:] if line[:indent].strip() == "" else line)
        self.problems.append(f"{self.where(opened)}: this code fence never closes")
        return body, index

    def fence(self, number: int, info: str, body: list[str], pending: str | None):
        language = info.split()[0] if info else ""
        includes = [INCLUDE.match(line) for line in body if line.strip()]
        if includes and all(includes):
            for offset, match in enumerate(includes):
                self.include(number + 1 + offset, match["target"])
            return
        if any(includes):
            self.problems.append(
                f"{self.where(number)}: a fence mixes includes and code; a notebook"
                " cannot tell which to run"
            )
            return
        text = "\n".join(body)
        if language == "mermaid":
            return  # a diagram: notebooks do not draw Mermaid everywhere
        if pending == "output":
            if self.cells and self.cells[-1].kind == "code":
                self.cells[-1].metadata.setdefault("course", {})["output"] = text + "\n"
            return
        if language == "python" and not TITLE_ATTR.search(info) and pending is None:
            self.add_code(text)  # run by pytest-codeblocks on the page, run here too
            return
        self.prose += ["", f"```{language}", *body, "```", ""]

    def include(self, number: int, target: str) -> None:
        path_text, _, section = target.partition(":")
        path = ROOT / path_text
        if not path.is_file():
            self.problems.append(f"{self.where(number)}: {path_text}: no such file")
            return
        if not section and path_text.startswith(WRITTEN_FOLDERS):
            # A recipe: shown here, and written by a set-up cell where the example reads it,
            # so the notebook needs no checkout (an example may read it before the page shows it).
            self.recipes[path_text] = path.read_text(encoding="utf-8")
        if not section:  # a whole file, such as a recipe: shown, never run
            text = "".join(
                line
                for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if not SECTION_MARK.search(line)
            )
            language = {".py": "python", ".yaml": "yaml", ".yml": "yaml"}.get(
                path.suffix, "text"
            )
            self.flush()
            self.prose += [
                f"`{path_text}`:",
                "",
                f"```{language}",
                text.rstrip("\n"),
                "```",
            ]
            self.flush()
            return
        sections = snippet(path).sections
        if section not in sections:
            self.problems.append(
                f"{self.where(number)}: {path_text} has no section {section!r}"
            )
            return
        code = textwrap.dedent(sections[section]).strip("\n")
        if path_text.endswith(".output.txt"):
            if self.cells and self.cells[-1].kind == "code":
                output = "".join(
                    line + "\n"
                    for line in code.splitlines()
                    if not SECTION_MARK.search(line)
                )
                self.cells[-1].metadata.setdefault("course", {})["output"] = output
            return
        if not path_text.startswith("snippets/"):
            self.flush()
            self.prose += [
                f"From the course package, installed above (`{path_text}`); shown, not run:",
                "",
                "```python",
                code,
                "```",
            ]
            self.flush()
            return
        found = snippet(path)
        if path not in self.shown:
            self.shown[path] = []
            if found.reads_model:
                self.use_model(number, found)
        self.shown[path].append((section, number))
        self.add_code(code, {"course": {"source": f"{path_text}:{section}"}})

    def use_model(self, number: int, found: Snippet) -> None:
        if "COURSE_MODEL" not in found.models:
            self.problems.append(
                f"{rel(found.path)}:1: reads COURSE_MODEL, but its header names no tiny"
                ' model to run it on: add a comment such as `COURSE_MODEL="$(course-models'
                ' path arithmetic)" python <the snippet>`'
            )
            return
        model, teacher = (
            found.models["COURSE_MODEL"],
            found.models.get("COURSE_TEACHER"),
        )
        self.models.setdefault("COURSE_MODEL", model)
        arguments = f'"{model}"' + (f', teacher="{teacher}"' if teacher else "")
        self.add_code(
            f"# {rel(found.path)} runs on the tiny models,\n"
            "# unless you chose a model in the set-up above.\n"
            f"use_model({arguments})"
        )
        if teacher:
            self.models["COURSE_TEACHER"] = teacher

    def container(self, match: re.Match, body: list[tuple[int, str]]) -> None:
        title = match["title"] or (match["type"] or "").capitalize()
        has_fence = any(FENCE.match(text) for _, text in body)
        if match["kind"] == "===" or has_fence:  # a tab: its title, then its content
            self.add_prose("")
            self.add_prose(f"**{title}**")
            self.add_prose("")
            self.convert(body)
            return
        self.add_prose("")  # an admonition: a quotation with its title in bold
        self.add_prose(f"> **{title}**")
        self.add_prose(">")
        for _, text in body:
            self.add_prose(f"> {text}".rstrip())
        self.add_prose("")

    def check_complete(self) -> None:
        """Every section of every snippet shown, in file order: a notebook runs them all."""
        for path, shown in self.shown.items():
            names = [name for name, _ in shown]
            every = list(snippet(path).sections)
            missing = [name for name in every if name not in names]
            if missing:
                self.problems.append(
                    f"{self.where(shown[0][1])}: shows only some sections of {rel(path)}"
                    f" (not {', '.join(missing)}); a notebook runs the snippet's code"
                    " from its sections, so show them all, in file order"
                )
            elif names != every:
                self.problems.append(
                    f"{self.where(shown[0][1])}: shows the sections of {rel(path)} out of"
                    f" file order ({', '.join(names)})"
                )


def write_recipes_cell(recipes: dict[str, str]) -> str:
    """Code that writes each recipe the page shows where its example reads it (recipes/...)."""
    lines = [
        "# Set-up: the recipes and configs the page shows, written where the examples read"
        " them.",
        "from pathlib import Path",
        "",
        "FILES = {",
    ]
    for relative, text in recipes.items():
        literal = (
            f'r"""{text}"""'
            if '"""' not in text and not text.endswith("\\")
            else repr(text)
        )
        # The file's text starts on the line after the quotes: no line wider than the file's.
        lines.append(
            f'    "{relative}": {literal[:4]}\n{literal[4:]},'
            if literal.startswith('r"""')
            else f'    "{relative}": {literal},'
        )
    lines += [
        "}",
        "for relative, text in FILES.items():",
        "    Path(relative).parent.mkdir(parents=True, exist_ok=True)",
        '    Path(relative).write_text(text.removeprefix("\\n"), encoding="utf-8")',
    ]
    return "\n".join(lines)


def indented_block(lines, index) -> tuple[list[tuple[int, str]], int]:
    """The lines indented by four spaces (or blank) from ``index``, dedented; and where it ends."""
    body = []
    while index < len(lines):
        number, line = lines[index]
        if line.strip() and not line.startswith("    "):
            break
        body.append((number, line[4:]))
        index += 1
    while body and not body[-1][1].strip():
        body.pop()
    return body, index


# --- the set-up cells ------------------------------------------------------------------------

INSTALL = """\
# Set-up 1 of 3: install the course package and the examples' libraries (torch, TRL, ...).
# Where they are already installed and up to date, this cell installs nothing.
import importlib.metadata
import os
import shutil
import subprocess
import sys

REPOSITORY = "{repository}"
VERSION = "{version}"  # the course package this notebook was generated with


def installed(distribution):
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def up_to_date():
    if installed("{package}") != VERSION:
        return False
    for requirement in importlib.metadata.requires("{package}") or []:
        name, _, marker = requirement.partition(";")
        for end in "<>=!~[ (":
            name = name.split(end)[0]
        if "examples" in marker and not installed(name):
            return False
    return True


if up_to_date():
    print(f"{package} {{VERSION}} and the examples' libraries are installed")
else:
    # A local wheel, or a folder of wheels, to install offline instead:
    wheel = os.environ.get("{wheel_env}")
    if wheel:
        wheel = os.path.abspath(wheel)
        folder = wheel if os.path.isdir(wheel) else os.path.dirname(wheel)
        target = "{package}" if os.path.isdir(wheel) else wheel
        source = ["--no-index", "--find-links", folder, f"{{target}}[examples]"]
    else:
        source = [f"{package}[examples] @ git+{{REPOSITORY}}"]
        if shutil.which("nvidia-smi") is None:  # no GPU: torch's CPU build, far smaller
            source += ["--extra-index-url", "{cpu_index}"]
    pip = [sys.executable, "-m", "pip", "install", "--quiet", *source]
    print(" ".join(pip))
    subprocess.run(pip, check=True)
    importlib.invalidate_caches()
    print(f"installed {package} {{installed('{package}')}}")
"""

CHOOSE = """\
# Set-up 2 of 3: THE ONE CELL TO EDIT to run on a real model instead of the tiny ones.
# None: the tiny models, built on this machine in the next cell.
# A Hub id or a folder, such as "Qwen/Qwen2.5-0.5B-Instruct": every example runs on it.
COURSE_MODEL = None
"""
CHOOSE_TEACHER = """\
# The distillation teacher, with COURSE_MODEL as the student: a Hub id or a folder too.
COURSE_TEACHER = None
"""

BUILD = """\
# Set-up 3 of 3: build the tiny models (under a minute, then cached), and quieten the libraries.
import sys
import tempfile
import warnings

from transformers.utils import logging

from reasoning_course import tiny_models

# No deprecation notices from inside the libraries, no progress bars.
warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", message="IProgress not found")
logging.disable_progress_bar()


def use_model(name, teacher=None):
    \"\"\"Point the next example at the tiny model `name`, unless a model is chosen above.\"\"\"
    os.environ["COURSE_MODEL"] = COURSE_MODEL or str(tiny_models.build(name))
    if teacher is not None:
        os.environ["COURSE_TEACHER"] = {teacher_choice}str(tiny_models.build(teacher))


if COURSE_MODEL is None:
    for name in {recipes}:
        print(name, tiny_models.build(name))
# The trainers write their output folders here, not beside the notebook; the
# set-up writes the recipes here too (recipes/...), where a checkout holds them.
os.chdir(tempfile.mkdtemp(prefix="reasoning-course-"))
# The examples read their command line (`--config RECIPE`), not the kernel's.
sys.argv = sys.argv[:1]
# ruff: noqa: F811 (the examples import again what they use, as each one's script does)
"""


def setup_cells(models: dict[str, str]) -> list[Cell]:
    install = INSTALL.format(
        repository=repository_url(),
        version=package_version(),
        package=PACKAGE,
        wheel_env=WHEEL_ENV,
        cpu_index=CPU_TORCH_INDEX,
    )
    teacher = "COURSE_TEACHER" in models
    names = [f'"{name}"' for name in dict.fromkeys(models.values())]
    recipes = f"({', '.join(names)}{',' if len(names) == 1 else ''})"
    return [
        Cell(
            "markdown",
            "## Set up\n\n"
            "The next three cells install the course package with the examples' libraries"
            " (from its repository; with no GPU, torch's CPU build), then build the tiny"
            " models the examples run on. Where the package is already installed and up to"
            f" date, nothing is installed. To install a wheel you have instead, offline, set"
            f" the environment variable `{WHEEL_ENV}` to its path before starting the"
            " notebook.\n\n"
            "To try a real model, set `COURSE_MODEL` in the second cell to a Hub id"
            + (
                " (and `COURSE_TEACHER`, a teacher sharing its vocabulary)"
                if teacher
                else ""
            )
            + ". A real model needs more than its name: the training examples read their"
            " settings from a recipe, the tiny model's by default, and the page shows a real"
            " model's recipe beside it (learning rate, lengths, the system prompt that asks"
            " for the tags). The set-up writes every recipe the page shows; to use a real"
            ' model\'s, set `sys.argv = ["", "--config", "recipes/...yaml"]` before the'
            " example. A real model wants a GPU.",
        ),
        Cell("code", install.rstrip("\n")),
        Cell("code", (CHOOSE + (CHOOSE_TEACHER if teacher else "")).rstrip("\n")),
        Cell(
            "code",
            BUILD.format(
                recipes=recipes,
                teacher_choice="COURSE_TEACHER or " if teacher else "",
            ).rstrip("\n"),
        ),
    ]


# --- the notebook ----------------------------------------------------------------------------


def build(source: Source) -> nbformat.NotebookNode:
    """The notebook made from ``source``; raises NotebookSourceError naming file and line."""
    text = source.path.read_text(encoding="utf-8")
    try:
        text = figures().substitute(text, source.name)
    except Exception as error:
        # The hook's CourseDataError, one "page:line: unknown figure ..." a problem.
        raise NotebookSourceError(str(error)) from None
    converter = Converter(source)
    converter.convert(list(enumerate(text.splitlines(), start=1)))
    converter.check_complete()
    if converter.problems:
        raise NotebookSourceError("\n".join(converter.problems))
    cells = converter.cells
    if not cells or not cells[0].text.startswith("# "):
        raise NotebookSourceError(f"{source.name}:1: expected a `# Title` first")
    if source.is_page:
        title = cells[0].text.splitlines()[0][2:]
        cells[0].text = cells[0].text.replace(
            f"# {title}",
            f"# {title}\n\n*The notebook of the course page \u201c{title}\u201d"
            f" (`{source.name}`), generated from it: the page's code, in the page's"
            " order, with its text.*",
            1,
        )
    at = converter.setup_at if converter.setup_at is not None else len(cells)
    setup = setup_cells(converter.models)
    if converter.recipes:
        setup.append(Cell("code", write_recipes_cell(converter.recipes)))
    cells[at:at] = setup
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {
        "kernelspec": {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
        "course": {"generated_from": source.name, "command": COMMAND},
    }
    for number, cell in enumerate(cells, start=1):
        if cell.kind == "code":
            made = nbformat.v4.new_code_cell(cell.text, metadata=cell.metadata)
        else:
            made = nbformat.v4.new_markdown_cell(cell.text)
        # A stable id, so that regenerating an unchanged page changes nothing.
        made["id"] = f"cell-{number:03d}"
        notebook.cells.append(made)
    nbformat.validate(notebook)
    return notebook


def render(source: Source) -> str:
    return nbformat.writes(build(source)) + "\n"


def stale(root_sources: list[Source] | None = None) -> list[str]:
    """One line per notebook that is missing or differs from what its source makes."""
    found = []
    for source in root_sources if root_sources is not None else sources():
        wanted = render(source)
        have = (
            source.notebook.read_text(encoding="utf-8")
            if source.notebook.exists()
            else None
        )
        if have != wanted:
            state = "missing" if have is None else "stale"
            found.append(
                f"{rel(source.notebook)}: {state}; it is generated from {source.name}."
                f" Regenerate it with `{COMMAND}`"
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check", action="store_true", help="report stale notebooks; write nothing"
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = stale()
            print("\n".join(problems) or "every generated notebook is up to date")
            return 1 if problems else 0
        for source in sources():
            text = render(source)
            if not source.notebook.exists() or source.notebook.read_text() != text:
                source.notebook.write_text(text, encoding="utf-8")
                print(f"wrote {rel(source.notebook)}")
    except NotebookSourceError as error:
        print(error, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
