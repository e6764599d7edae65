"""The example pages' notebooks: generated from the pages, never stale, set up by their first cells,
and linked from every example page to download or to open in Colab (overrides/hooks/course_notebooks.py).

Running them outside the checkout is tests/test_notebooks_outside.py (slow).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
from support.content import hook
from support.harness import ROOT
from support.site_build import copy_sources, mkdocs_build

EXAMPLES = ROOT / "docs" / "examples"
# Every notebook in docs/examples/: one per example page, and the R1-Zero notebook.
PAGES = sorted(p.stem for p in EXAMPLES.glob("*.ipynb"))
MADE_FROM_PAGES = sorted(p.stem for p in EXAMPLES.glob("*.md"))
COLAB = "https://colab.research.google.com/github/reasoning-course/reasoning-course/blob/main"


@pytest.fixture(scope="module")
def generator():
    """scripts/notebooks.py as a module."""
    spec = importlib.util.spec_from_file_location(
        "notebooks", ROOT / "scripts" / "notebooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(EXAMPLES / f"{name}.ipynb", as_version=4)


# --- generated, and never stale -------------------------------------------------------------


def test_every_example_page_has_a_notebook_and_nothing_else_is_generated(generator):
    made = {s.notebook.name: s.name for s in generator.sources()}
    assert made == {
        **{f"{name}.ipynb": f"docs/examples/{name}.md" for name in MADE_FROM_PAGES},
        "r1-zero-on-a-laptop.ipynb": "notebooks/r1-zero-on-a-laptop.md",
    }
    assert {p.name for p in EXAMPLES.glob("*.ipynb")} == set(made)


def test_every_generated_notebook_is_up_to_date(generator):
    stale = generator.stale()
    assert not stale, "\n".join(stale)


def test_a_stale_or_missing_notebook_is_named_with_the_command(generator, tmp_path):
    page = tmp_path / "page.md"
    page.write_text((EXAMPLES / "inference-time-scaling.md").read_text())
    made = tmp_path / "page.ipynb"
    source = generator.Source(page, made, True)
    assert generator.stale([source]) == [
        f"{made}: missing; it is generated from {page}."
        " Regenerate it with `python scripts/notebooks.py`"
    ]
    made.write_text(generator.render(source))
    assert generator.stale([source]) == []
    made.write_text(made.read_text().replace("Self-consistency", "Self consistency", 1))
    assert generator.stale([source]) == [
        f"{made}: stale; it is generated from {page}."
        " Regenerate it with `python scripts/notebooks.py`"
    ]


def test_the_check_command_reports_and_exits_zero_when_all_are_fresh():
    result = subprocess.run(
        [sys.executable, "scripts/notebooks.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "every generated notebook is up to date" in result.stdout


@pytest.mark.parametrize(
    "text, message",
    [
        (
            '```python title="x"\n--8<-- "snippets/grpo/advantages.py:no-such"\n```\n',
            "x.md:4: snippets/grpo/advantages.py has no section 'no-such'",
        ),
        (
            '```python title="x"\n--8<-- "snippets/grpo/nothing.py:a"\n```\n',
            "x.md:4: snippets/grpo/nothing.py: no such file",
        ),
        (
            '```python title="x"\n--8<-- "snippets/grpo/advantages.py:centred"\n```\n',
            "x.md:4: shows only some sections of snippets/grpo/advantages.py (not"
            " group-norm, worked-example, equal-rewards)",
        ),
        (
            "Text {{ r1.no_such_figure }}.\n",
            "x.md:3: unknown figure 'r1.no_such_figure'",
        ),
        ("```python\nprint(1)\n", "x.md:3: this code fence never closes"),
        (
            "<!-- notebook: leave out -->\n\nA playground.\n",
            "x.md:3: `<!-- notebook: leave out -->` without a later `<!-- notebook: end -->`",
        ),
    ],
    ids=["section", "file", "partial", "figure", "fence", "leave-out"],
)
def test_a_bad_source_is_reported_with_its_file_and_line(
    generator, tmp_path, text, message
):
    page = tmp_path / "x.md"
    page.write_text("# Title\n\n" + text)
    with pytest.raises(generator.NotebookSourceError) as error:
        generator.build(generator.Source(page, tmp_path / "x.ipynb", True))
    assert message in str(error.value)
    assert str(page) in str(error.value)


def test_a_part_marked_for_the_browser_only_is_left_out_with_a_note(
    generator, tmp_path
):
    page = tmp_path / "x.md"
    page.write_text(
        "# Title\n\nBefore.\n\n<!-- notebook: leave out -->\n\n"
        '<div class="toy">Mark the answers.</div>\n\n<!-- notebook: end -->\n\nAfter.\n'
    )
    notebook = generator.build(generator.Source(page, tmp_path / "x.ipynb", True))
    text = "\n".join(cell.source for cell in notebook.cells)
    assert "Before." in text and "After." in text
    assert "Mark the answers" not in text and "toy" not in text
    assert "needs a browser" in text


def test_a_snippet_that_loads_a_model_must_name_its_tiny_model(
    generator, tmp_path, monkeypatch
):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "s.py").write_text(
        "# --8<-- [start:a]\nimport os\nos.environ.get('COURSE_MODEL')\n# --8<-- [end:a]\n"
    )
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    page = tmp_path / "x.md"
    page.write_text('# T\n\n```python title="s"\n--8<-- "snippets/s.py:a"\n```\n')
    with pytest.raises(generator.NotebookSourceError) as error:
        generator.build(generator.Source(page, tmp_path / "x.ipynb", True))
    assert str(error.value).startswith(
        "snippets/s.py:1: reads COURSE_MODEL, but its header"
    )


# --- what the notebooks hold ------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_a_notebook_holds_no_placeholder_include_or_output(name):
    text = (EXAMPLES / f"{name}.ipynb").read_text()
    assert "--8<--" not in text and "<!--" not in text
    # No figure placeholder in the prose (a recipe's chat template, shown as code, has braces).
    for cell in notebook(name).cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"(?ms)^```.*?^```", "", cell.source)
            assert "{{" not in prose, cell.source
    for cell in notebook(name).cells:
        assert not cell.get("outputs") and not cell.get("execution_count")


@pytest.mark.parametrize("name", MADE_FROM_PAGES)
def test_a_page_notebook_runs_every_section_the_page_shows_in_page_order(name):
    page = (EXAMPLES / f"{name}.md").read_text()
    shown = re.findall(r'--8<-- "(snippets/[^"]+\.py:[\w-]+)"', page)
    ran = [
        cell.metadata["course"]["source"]
        for cell in notebook(name).cells
        if "source" in cell.metadata.get("course", {})
    ]
    assert ran == shown


@pytest.mark.parametrize("name", PAGES)
def test_the_first_cells_set_the_notebook_up(name):
    cells = notebook(name).cells
    code = [cell.source for cell in cells if cell.cell_type == "code"]
    install, choose, build = code[:3]
    assert install.startswith("# Set-up 1 of 3: install the course package")
    assert (
        'REPOSITORY = "https://github.com/reasoning-course/reasoning-course"' in install
    )
    assert 'f"reasoning-course[examples] @ git+{REPOSITORY}"' in install
    assert 'shutil.which("nvidia-smi") is None' in install
    assert "https://download.pytorch.org/whl/cpu" in install
    assert "COURSE_WHEEL" in install
    assert choose.startswith("# Set-up 2 of 3: THE ONE CELL TO EDIT")
    assert "\nCOURSE_MODEL = None\n" in choose + "\n"
    assert sum("THE ONE CELL TO EDIT" in source for source in code) == 1
    assert "tiny_models.build(name)" in build
    # The reader is told that a real model needs other settings, not that it just works.
    intro = next(c.source for c in cells if c.source.startswith("## Set up"))
    assert "A real model needs more than its name" in intro and "learning rate" in intro
    assert "recipe" in intro and "sys.argv" in build  # the kernel's arguments are reset


def test_each_recipe_the_page_shows_is_written_before_any_example_runs():
    for name in ("grpo-training", "distillation", "r1-zero-on-a-laptop"):
        cells = notebook(name).cells
        code = [c.source for c in cells if c.cell_type == "code"]
        (writer,) = [s for s in code if s.startswith("# Set-up: the recipes")]
        first_example = next(
            i for i, s in enumerate(code) if "parse_recipe" in s and "import" in s
        )
        assert code.index(writer) < first_example, name
        page = ROOT / "docs" / "examples" / f"{name}.md"
        source = page if page.is_file() else ROOT / "notebooks" / f"{name}.md"
        shown = re.findall(r'--8<-- "(recipes/[^"]+)"', source.read_text())
        assert shown, name
        for relative in shown:
            text = (ROOT / relative).read_text()
            assert f'"{relative}": r"""\n{text}"""' in writer, relative
        # and the file written is the file itself, without the newline after the quotes
        assert 'write_text(text.removeprefix("\\n")' in writer


def test_the_r1_zero_notebook_keeps_its_plot_of_the_rewards_per_step():
    sources = [c.source for c in notebook("r1-zero-on-a-laptop").cells]
    plot = next(s for s in sources if "plt.subplots" in s)
    assert "trainer.state.log_history" in plot and "plt.show()" in plot


# --- the install cell ---------------------------------------------------------------------------


def install_cell(version: str | None = None) -> str:
    source = notebook("grpo").cells[2].source
    if version:
        source = re.sub(r'VERSION = "[^"]+"', f'VERSION = "{version}"', source)
    return source


@pytest.fixture
def pip_calls(monkeypatch):
    """Run the install cell with pip replaced by a recorder; the calls it would have made."""
    calls = []

    def run(command, **kwargs):
        calls.append(command)
        return subprocess.CompletedProcess(command, 0)

    monkeypatch.setattr(subprocess, "run", run)
    monkeypatch.delenv("COURSE_WHEEL", raising=False)
    return calls


def test_where_the_package_is_installed_and_up_to_date_nothing_is_installed(pip_calls):
    # This environment: what the site build's kernel runs in, so `mkdocs build` never installs.
    exec(install_cell(), {})
    assert pip_calls == []


@pytest.mark.parametrize("gpu", [False, True], ids=["no-nvidia-smi", "nvidia-smi"])
def test_otherwise_it_installs_from_the_repository_with_cpu_torch_without_a_gpu(
    pip_calls, monkeypatch, gpu
):
    monkeypatch.setattr(
        shutil, "which", lambda name: "/usr/bin/nvidia-smi" if gpu else None
    )
    exec(install_cell("9.9.9"), {})
    (command,) = pip_calls
    assert command[:5] == [sys.executable, "-m", "pip", "install", "--quiet"]
    wanted = [
        "reasoning-course[examples] @ git+https://github.com/reasoning-course/reasoning-course"
    ]
    if not gpu:
        wanted += ["--extra-index-url", "https://download.pytorch.org/whl/cpu"]
    assert command[5:] == wanted


def test_course_wheel_installs_a_local_wheel_or_folder_offline(
    pip_calls, monkeypatch, tmp_path
):
    wheel = tmp_path / "reasoning_course-0.1.0-py3-none-any.whl"
    wheel.touch()
    monkeypatch.setenv("COURSE_WHEEL", str(wheel))
    exec(install_cell("9.9.9"), {})
    monkeypatch.setenv("COURSE_WHEEL", str(tmp_path))
    exec(install_cell("9.9.9"), {})
    assert [call[5:] for call in pip_calls] == [
        ["--no-index", "--find-links", str(tmp_path), f"{wheel}[examples]"],
        ["--no-index", "--find-links", str(tmp_path), "reasoning-course[examples]"],
    ]


# --- the links on the example pages ----------------------------------------------------------


@pytest.fixture(scope="module")
def site():
    """The site's config and files, as MkDocs gathers them, with the hook loaded for it."""
    from mkdocs.structure.files import get_files
    from support import content

    config = content._site_config()
    return hook("course_notebooks"), config, get_files(config)


def page_of(config, files, src_uri: str):
    from mkdocs.structure.pages import Page

    return Page(None, files.get_file_from_path(src_uri), config)


@pytest.mark.parametrize("name", PAGES)
def test_each_example_page_links_its_download_and_its_colab_address(site, name):
    notebooks, config, files = site
    suffix = ".ipynb" if name == "r1-zero-on-a-laptop" else ".md"
    links = notebooks.notebook_links(
        page_of(config, files, f"examples/{name}{suffix}"), files, config
    )
    colab = re.search(r'href="([^"]+)">Open in Colab', links)[1]
    assert colab == f"{COLAB}/docs/examples/{name}.ipynb"
    path = re.fullmatch(
        r"https://colab\.research\.google\.com/github/[\w.-]+/[\w.-]+/blob/main/(.+)",
        colab,
    )[1]
    assert (ROOT / path).is_file()  # the path Colab opens is a file of the repository
    download = re.search(r'href="([^"]+)" download>Download notebook', links)[1]
    assert download in ("../grpo.ipynb", f"../{name}.ipynb", f"{name}.ipynb")


def test_other_pages_get_no_links(site):
    notebooks, config, files = site
    assert (
        notebooks.notebook_links(page_of(config, files, "lesson.md"), files, config)
        is None
    )


def test_an_example_page_without_its_notebook_fails_naming_the_page(site):
    from mkdocs.structure.files import Files

    notebooks, config, files = site
    without = Files([f for f in files if f.src_uri != "examples/grpo.ipynb"])
    with pytest.raises(Exception) as error:
        notebooks.notebook_links(
            page_of(config, files, "examples/grpo.md"), without, config
        )
    assert str(error.value) == (
        "docs/examples/grpo.md: this example page has no notebook (docs/examples/grpo.ipynb"
        " is missing); generate it with `python scripts/notebooks.py`"
    )


def test_a_repo_url_that_is_not_on_github_fails_naming_its_line(site, tmp_path):
    from mkdocs.config import load_config

    notebooks, _, _ = site
    copy_sources(tmp_path)
    config_file = tmp_path / "mkdocs.yml"
    text = config_file.read_text()
    line = text[: text.index("\nrepo_url:")].count("\n") + 2
    config_file.write_text(
        re.sub(r"(?m)^repo_url: .*$", "repo_url: https://gitlab.com/a/b", text)
    )
    config = load_config(str(config_file))
    with pytest.raises(Exception) as error:
        notebooks.colab_base(config)
    assert str(error.value).startswith(
        f"mkdocs.yml:{line}: repo_url 'https://gitlab.com/a/b' is not a GitHub repository"
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", PAGES)
def test_in_the_built_site_the_download_is_the_notebook_and_colab_its_repository_path(
    built_site, name
):
    page = built_site / "examples" / name / "index.html"
    html = page.read_text()
    download = re.search(r'href="([^"]+)" download>Download notebook</a>', html)[1]
    target = Path(urljoin(f"{page.parent}/", download))
    assert target.is_file(), f"{name}: the download link {download} resolves to nothing"
    assert target.read_bytes() == (EXAMPLES / f"{name}.ipynb").read_bytes()
    assert f'href="{COLAB}/docs/examples/{name}.ipynb">Open in Colab</a>' in html


@pytest.mark.slow
def test_the_build_fails_naming_an_example_page_whose_notebook_is_missing(tmp_path):
    copy_sources(tmp_path)
    (tmp_path / "docs" / "examples" / "distillation.ipynb").unlink()
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode != 0
    assert (
        "docs/examples/distillation.md: this example page has no notebook"
        " (docs/examples/distillation.ipynb is missing); generate it with"
        " `python scripts/notebooks.py`"
    ) in result.stdout + result.stderr
