"""The notebooks: made from their sources while the site is built (overrides/hooks/course_notebooks.py),
never stored in the repository, set up by their first cells, and linked from every example page to
download or to open in Colab.

Running them outside the checkout is tests/test_notebooks_outside.py (slow).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urljoin

import nbformat
import pytest
import yaml
from site_hooks import hook, site_config
from support.harness import ROOT
from support.site_build import build_with_planted_text, copy_sources

EXAMPLES = ROOT / "docs" / "examples"
COLAB = "https://colab.research.google.com/github/reasoning-course/reasoning-course/blob/notebooks"


def notebooks_hook():
    return hook("course_notebooks")


SOURCES = notebooks_hook().sources(ROOT, ROOT / "docs")
# Every notebook: one per example page, and the R1-Zero notebook (notebooks/*.md).
PAGES = sorted(Path(source.uri).stem for source in SOURCES)
MADE_FROM_PAGES = sorted(Path(s.uri).stem for s in SOURCES if s.is_page)


@pytest.fixture(scope="module")
def made() -> dict[str, str]:
    """Every notebook's file as the build makes it: name -> text."""
    return {
        Path(source.uri).stem: text
        for source, text in notebooks_hook().site_notebooks(site_config()).items()
    }


def notebook(made, name: str) -> nbformat.NotebookNode:
    return nbformat.reads(made[name], as_version=4)


def build(page: Path, root: Path = ROOT) -> nbformat.NotebookNode:
    """The notebook made from the page ``page`` (a planted one), as the build makes it."""
    hooks = notebooks_hook()
    source = hooks.Source(page, "examples/x.ipynb", str(page), True)
    figures = hook("course_figures").site_figures(site_config())
    return hooks.build(source, root, figures, "https://github.com/a/b")


def source_error():
    return hook("course_notebooks").NotebookSourceError


# --- made by the build, never stored ----------------------------------------------------------


def test_every_example_page_and_notebook_source_makes_one_notebook():
    assert {s.uri: s.name for s in SOURCES} == {
        **{f"examples/{n}.ipynb": f"docs/examples/{n}.md" for n in MADE_FROM_PAGES},
        "examples/r1-zero-on-a-laptop.ipynb": "notebooks/r1-zero-on-a-laptop.md",
    }
    assert len(MADE_FROM_PAGES) >= 5


def test_the_repository_stores_no_notebook():
    tracked = subprocess.run(
        ["git", "ls-files", "*.ipynb"], cwd=ROOT, capture_output=True, text=True
    ).stdout.split()
    assert not tracked, f"notebooks are made by the build; delete {tracked}"
    assert not list((ROOT / "docs").rglob("*.ipynb"))


def test_a_notebook_stored_in_docs_stops_the_build_naming_it(tmp_path):
    from mkdocs.structure.files import File, Files

    config = site_config()
    stored = File("examples/grpo.ipynb", str(tmp_path), config.site_dir, True)
    with pytest.raises(hook("course_figures").CourseDataError) as error:
        notebooks_hook().on_files(Files([stored]), config=config)
    assert str(error.value) == (
        "docs/examples/grpo.ipynb: the build makes this notebook from"
        " docs/examples/grpo.md; delete the file"
    )


def test_the_script_writes_exactly_the_notebooks_the_build_makes(made, tmp_path):
    result = subprocess.run(
        [sys.executable, "scripts/notebooks.py", str(tmp_path / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    written = {path.stem: path.read_text() for path in (tmp_path / "out").iterdir()}
    assert written == made
    # Never into docs/, where a stored notebook would stop the build.
    refused = subprocess.run(
        [sys.executable, "scripts/notebooks.py", "docs/examples"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2 and "not under docs/" in refused.stderr
    assert not list(EXAMPLES.glob("*.ipynb"))


def test_the_same_sources_make_the_same_notebooks(made):
    again = notebooks_hook().site_notebooks(site_config())
    assert {Path(s.uri).stem: text for s, text in again.items()} == made


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
def test_a_bad_source_is_reported_with_its_file_and_line(tmp_path, text, message):
    page = tmp_path / "x.md"
    page.write_text("# Title\n\n" + text)
    with pytest.raises(source_error()) as error:
        build(page)
    assert message in str(error.value)
    assert str(page) in str(error.value)


def test_a_part_marked_for_the_browser_only_is_left_out_with_a_note(tmp_path):
    page = tmp_path / "x.md"
    page.write_text(
        "# Title\n\nBefore.\n\n<!-- notebook: leave out -->\n\n"
        '<div class="toy">Mark the answers.</div>\n\n<!-- notebook: end -->\n\nAfter.\n'
    )
    text = "\n".join(cell.source for cell in build(page).cells)
    assert "Before." in text and "After." in text
    assert "Mark the answers" not in text and "toy" not in text
    assert "needs a browser" in text


def test_a_snippet_that_loads_a_model_must_name_its_tiny_model(tmp_path):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "s.py").write_text(
        "# --8<-- [start:a]\nimport os\nos.environ.get('COURSE_MODEL')\n# --8<-- [end:a]\n"
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    page = tmp_path / "x.md"
    page.write_text('# T\n\n```python title="s"\n--8<-- "snippets/s.py:a"\n```\n')
    with pytest.raises(source_error()) as error:
        build(page, root=tmp_path)
    assert str(error.value).startswith(
        "snippets/s.py:1: reads COURSE_MODEL, but its header"
    )


# --- what the notebooks hold ------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_a_notebook_holds_no_placeholder_include_or_output(made, name):
    text = made[name]
    assert "--8<--" not in text and "<!--" not in text
    # No figure placeholder in the prose (a recipe's chat template, shown as code, has braces).
    for cell in notebook(made, name).cells:
        if cell.cell_type == "markdown":
            prose = re.sub(r"(?ms)^```.*?^```", "", cell.source)
            assert "{{" not in prose, cell.source
    for cell in notebook(made, name).cells:
        assert not cell.get("outputs") and not cell.get("execution_count")


@pytest.mark.parametrize("name", MADE_FROM_PAGES)
def test_a_page_notebook_runs_every_section_the_page_shows_in_page_order(made, name):
    page = (EXAMPLES / f"{name}.md").read_text()
    shown = re.findall(r'--8<-- "(snippets/[^"]+\.py:[\w-]+)"', page)
    ran = [
        cell.metadata["course"]["source"]
        for cell in notebook(made, name).cells
        if "source" in cell.metadata.get("course", {})
    ]
    assert ran == shown


@pytest.mark.parametrize("name", PAGES)
def test_the_first_cells_set_the_notebook_up(made, name):
    cells = notebook(made, name).cells
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


def test_each_recipe_the_page_shows_is_written_before_any_example_runs(made):
    """A recipe under recipes/ that a page shows is written where its example reads it; the
    tiny models' recipes come with the package, so the R1-Zero notebook, which shows only
    that one, writes none."""
    r1_zero = [c.source for c in notebook(made, "r1-zero-on-a-laptop").cells]
    assert not [s for s in r1_zero if s.startswith("# Set-up: the recipes")]
    for name in ("grpo-training", "distillation", "inference-time-scaling"):
        cells = notebook(made, name).cells
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


def test_the_r1_zero_notebook_keeps_its_plot_of_the_rewards_per_step(made):
    sources = [c.source for c in notebook(made, "r1-zero-on-a-laptop").cells]
    plot = next(s for s in sources if "plt.subplots" in s)
    assert "trainer.state.log_history" in plot and "plt.show()" in plot


# --- the install cell ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def install_cell(made):
    """The install cell's code, with the version it installs replaced if asked."""

    def code(version: str | None = None) -> str:
        source = notebook(made, "grpo").cells[2].source
        if version:
            source = re.sub(r'VERSION = "[^"]+"', f'VERSION = "{version}"', source)
        return source

    return code


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


def test_where_the_package_is_installed_and_up_to_date_nothing_is_installed(
    pip_calls, install_cell
):
    # This environment: what the site build's kernel runs in, so `mkdocs build` never installs.
    exec(install_cell(), {})
    assert pip_calls == []


@pytest.mark.parametrize("gpu", [False, True], ids=["no-nvidia-smi", "nvidia-smi"])
def test_otherwise_it_installs_from_the_repository_with_cpu_torch_without_a_gpu(
    pip_calls, install_cell, monkeypatch, gpu
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
    pip_calls, install_cell, monkeypatch, tmp_path
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
    """The site's config and files, as MkDocs gathers them, the notebooks made by the hook."""
    from mkdocs.structure.files import get_files

    config = site_config()
    notebooks = notebooks_hook()
    files = notebooks.on_files(get_files(config), config=config)
    yield notebooks, config, files
    notebooks.on_post_build(
        config=config
    )  # removes the folder the notebooks were made in


def page_of(config, files, src_uri: str):
    from mkdocs.structure.pages import Page

    return Page(None, files.get_file_from_path(src_uri), config)


@pytest.mark.parametrize("name", PAGES)
def test_each_example_page_links_its_download_and_its_colab_address(site, made, name):
    notebooks, config, files = site
    suffix = ".md" if name in MADE_FROM_PAGES else ".ipynb"
    links = notebooks.notebook_links(
        page_of(config, files, f"examples/{name}{suffix}"), files, config
    )
    colab = re.search(r'href="([^"]+)">Open in Colab', links)[1]
    assert colab == f"{COLAB}/{name}.ipynb"
    # The file Colab opens is a notebook the docs workflow publishes on that branch.
    assert colab.rsplit("/", 2)[-2] == published_branch()
    assert colab.rsplit("/", 1)[1] in {f"{n}.ipynb" for n in made}
    download = re.search(r'href="([^"]+)" download>Download notebook', links)[1]
    assert download in (f"../{name}.ipynb", f"{name}.ipynb")


def published_branch() -> str:
    """The branch the docs workflow pushes the notebooks that scripts/notebooks.py wrote to."""
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docs.yml").read_text())
    steps = workflow["jobs"]["notebooks"]["steps"]
    (write,) = [s for s in steps if "scripts/notebooks.py" in s.get("run", "")]
    folder = write["run"].split("scripts/notebooks.py", 1)[1].split()[0]
    (push,) = [s for s in steps if "git push" in s.get("run", "")]
    assert f"cd {folder}" in push["run"], push["run"]
    return re.search(r"HEAD:refs/heads/([\w-]+)", push["run"])[1]


def test_the_docs_workflow_publishes_the_notebooks_on_the_branch_colab_opens():
    assert published_branch() == notebooks_hook().BRANCH
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docs.yml").read_text())
    job = workflow["jobs"]["notebooks"]
    assert job["permissions"] == {
        "contents": "write"
    }  # to push that branch, nothing else
    assert workflow[True].keys() <= {
        "push",
        "workflow_dispatch",
    }  # never a pull request


def test_other_pages_get_no_links(site):
    notebooks, config, files = site
    assert (
        notebooks.notebook_links(page_of(config, files, "lesson.md"), files, config)
        is None
    )


def test_a_notebook_page_edit_button_and_date_are_its_sources():
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files
    from mkdocs.structure.pages import Page

    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)  # as a build starts: the git plugin too
    notebooks = notebooks_hook()
    files = notebooks.on_files(get_files(config), config=config)
    try:
        file = files.get_file_from_path("examples/r1-zero-on-a-laptop.ipynb")
        page = Page(None, file, config)
        assert page.edit_url.endswith(
            "/edit/main/docs/examples/r1-zero-on-a-laptop.ipynb"
        )
        notebooks.on_page_context({}, page=page, config=config, nav=None)
    finally:
        notebooks.on_post_build(config=config)
    source = "notebooks/r1-zero-on-a-laptop.md"
    assert page.edit_url == (
        f"https://github.com/reasoning-course/reasoning-course/edit/main/{source}"
    )
    # As git-revision-date-localized asks: author dates, and with a diff filter, which
    # leaves out a merge commit (it has no diff of its own).
    last_commit = subprocess.run(
        ["git", "log", "-1", "--format=%at", "--diff-filter=r", "--", source],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if (
        last_commit
    ):  # "Last update": the source's last commit, which the notebook is in none of
        shown = page.meta["git_revision_date_localized_raw_iso_datetime"]
        moment = datetime.fromtimestamp(int(last_commit), UTC)
        assert shown == f"{moment:%Y-%m-%d %H:%M:%S}", shown


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
def test_in_the_built_site_the_download_is_the_notebook_and_colab_its_published_copy(
    built_site, made, name
):
    page = built_site / "examples" / name / "index.html"
    html = page.read_text()
    download = re.search(r'href="([^"]+)" download>Download notebook</a>', html)[1]
    target = Path(urljoin(f"{page.parent}/", download))
    assert target.is_file(), f"{name}: the download link {download} resolves to nothing"
    assert target.read_text() == made[name]
    assert f'href="{COLAB}/{name}.ipynb">Open in Colab</a>' in html


@pytest.mark.slow
def test_the_build_stops_naming_the_line_of_a_page_no_notebook_can_be_made_from(
    tmp_path,
):
    result, line = build_with_planted_text(
        tmp_path,
        '\n```python title="x"\n--8<-- "snippets/grpo/advantages.py:centred"\n```\n',
        page="docs/examples/distillation.md",
    )
    assert result.returncode != 0
    assert (
        f"docs/examples/distillation.md:{line + 2}: shows only some sections of"
        " snippets/grpo/advantages.py"
    ) in result.stdout + result.stderr
