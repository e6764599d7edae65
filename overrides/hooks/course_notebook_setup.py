"""A notebook's first cells (install the course package, choose the model, build the tiny models),
and the notebook itself, made of a page's cells with them.

Used by the notebooks hook (course_notebooks.py); not a hook. The install cell installs the
course package with its ``examples`` extra from the repository (with no GPU, torch's CPU build),
or from a local wheel named by ``COURSE_WHEEL``, and nothing where it is already installed and up
to date. The second cell is the one a reader edits to try a real model. The third builds the
tiny models the page's examples run on. A page that shows recipes gets a cell that writes them
where its examples read them, so that the notebook needs no checkout.
"""

from __future__ import annotations

import nbformat
from course_notebook_page import Cell, Converter, NotebookSourceError

PACKAGE = "reasoning-course"
CPU_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
WHEEL_ENV = "COURSE_WHEEL"


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
# A Hub id or a folder: every example runs on it. "HuggingFaceTB/SmolLM2-135M-Instruct" is
# the original of the site's real model; give each example its recipe from
# recipes/SmolLM2-135M-Instruct/ (sys.argv, as the set-up's note says).
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


def setup_cells(models: dict[str, str], repository: str, version: str) -> list[Cell]:
    """The set-up cells, for a page whose examples run on ``models`` (as Converter.models):
    ``repository`` is where the package installs from, ``version`` the package's version."""
    install = INSTALL.format(
        repository=repository,
        version=version,
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


def notebook(
    page: Converter, name: str, is_page: bool, repository: str, version: str
) -> nbformat.NotebookNode:
    """The notebook of ``page``, a Converter that read the source ``name``: its cells, with the
    set-up cells after its introduction."""
    cells = page.cells
    if not cells or not cells[0].text.startswith("# "):
        raise NotebookSourceError(f"{name}:1: expected a `# Title` first")
    if is_page:
        title = cells[0].text.splitlines()[0][2:]
        cells[0].text = cells[0].text.replace(
            f"# {title}",
            f"# {title}\n\n*The notebook of the course page \u201c{title}\u201d"
            f" (`{name}`), made from it: the page's code, in the page's"
            " order, with its text.*",
            1,
        )
    at = page.setup_at if page.setup_at is not None else len(cells)
    setup = setup_cells(page.models, repository, version)
    if page.recipes:
        setup.append(Cell("code", write_recipes_cell(page.recipes)))
    cells[at:at] = setup
    made = nbformat.v4.new_notebook()
    made.metadata = {
        "kernelspec": {
            "display_name": "Python 3",
            "language": "python",
            "name": "python3",
        },
        "language_info": {"name": "python"},
        "course": {"generated_from": name},
    }
    for number, cell in enumerate(cells, start=1):
        if cell.kind == "code":
            new = nbformat.v4.new_code_cell(cell.text, metadata=cell.metadata)
        else:
            new = nbformat.v4.new_markdown_cell(cell.text)
        new["id"] = (
            f"cell-{number:03d}"  # stable: the same source makes the same notebook
        )
        made.cells.append(new)
    nbformat.validate(made)
    return made
