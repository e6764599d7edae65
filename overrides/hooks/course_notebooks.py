"""MkDocs hook: the notebooks, made from their sources while the site is built, and linked.

Nothing in the repository is a notebook, so a sentence is fixed in one file. Each example page,
``docs/examples/<name>.md``, makes ``examples/<name>.ipynb`` (a download beside its page), and
each ``notebooks/<name>.md``, written in the pages' own Markdown, makes ``examples/<name>.ipynb``
that the site shows as a page (mkdocs-jupyter renders it, executed when
``COURSE_EXECUTE_NOTEBOOKS=true``). course_notebook_page.py reads a source into cells and
course_notebook_setup.py writes the set-up cells; a source they cannot read stops the build with
its file and line.

Under each example page's title go two links: "Download notebook", relative to the page, and
"Open in Colab", ``https://colab.research.google.com/github/<owner>/<repo>/blob/notebooks/<name>.ipynb``:
Colab opens files of a GitHub repository only, and the docs workflow publishes the notebooks on
the branch ``notebooks`` (``python scripts/notebooks.py FOLDER`` writes them there). A notebook
page's Edit button opens its source, not the notebook made from it, and its "Last update" is
the day of the source's last commit.
"""

from __future__ import annotations

import atexit
import html
import posixpath
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin

import nbformat
from course_figures import Figures, site_figures
from course_notebook_code import completeness_problems
from course_notebook_page import Converter, NotebookSourceError
from course_notebook_setup import notebook
from course_yaml import CourseDataError, fail
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

EXAMPLES = "examples/"  # the pages, under docs/, that have a notebook
OWN_SOURCES = "notebooks"  # notebooks made from no page, from the repository's root
BRANCH = "notebooks"  # the branch the docs workflow publishes them on, for Colab
COLAB = "https://colab.research.google.com/github"
GITHUB_REPOSITORY = re.compile(
    r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$"
)


@dataclass(frozen=True)
class Source:
    path: Path  # the page, or the notebook's own Markdown
    uri: str  # the notebook made from it, from docs/: examples/grpo.ipynb
    name: str  # the source as messages name it: docs/examples/grpo.md
    is_page: bool


def sources(root: Path, docs_dir: Path) -> list[Source]:
    """Every example page and every notebooks/*.md, each with the notebook made from it."""

    def named(path: Path) -> str:
        return (
            path.relative_to(root).as_posix()
            if path.is_relative_to(root)
            else str(path)
        )

    found = [
        Source(page, f"{EXAMPLES}{page.stem}.ipynb", named(page), True)
        for page in sorted((docs_dir / EXAMPLES).glob("*.md"))
    ]
    made = {source.uri for source in found}
    for own in sorted((root / OWN_SOURCES).glob("*.md")):
        uri = f"{EXAMPLES}{own.stem}.ipynb"
        if uri in made:
            raise CourseDataError(
                f"{named(own)}:1: docs/{EXAMPLES}{own.stem}.md makes the same notebook;"
                " rename one of them"
            )
        found.append(Source(own, uri, named(own), False))
    return found


def package_version(root: Path) -> str:
    return tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def build(
    source: Source, root: Path, figures: Figures, repository: str
) -> nbformat.NotebookNode:
    """The notebook made from ``source``; raises NotebookSourceError naming file and line."""
    text = source.path.read_text(encoding="utf-8")
    try:
        text = figures.substitute(text, source.name)
    except CourseDataError as error:  # one "page:line: unknown figure ..." a problem
        raise NotebookSourceError(str(error)) from None
    page = Converter(source.name, root)
    page.convert(list(enumerate(text.splitlines(), start=1)))
    page.problems += completeness_problems(page)
    if page.problems:
        raise NotebookSourceError("\n".join(page.problems))
    return notebook(
        page, source.name, source.is_page, repository, package_version(root)
    )


def site_notebooks(config: MkDocsConfig) -> dict[Source, str]:
    """Every notebook of the site, as the text of its .ipynb file; every source's problems stop
    the build together."""
    root = Path(config.config_file_path).parent
    figures, repository = site_figures(config), config.repo_url.rstrip("/")
    made, problems = {}, []
    for source in sources(root, Path(config.docs_dir)):
        try:
            made[source] = (
                nbformat.writes(build(source, root, figures, repository)) + "\n"
            )
        except NotebookSourceError as error:
            problems += str(error).splitlines()
    fail(problems)
    return made


def colab_base(config: MkDocsConfig) -> str:
    """The Colab address of the notebooks' branch, from ``repo_url``."""
    match = GITHUB_REPOSITORY.match(config.repo_url or "")
    if not match:
        path = Path(config.config_file_path)
        lines = path.read_text(encoding="utf-8").splitlines()
        line = next((n for n, t in enumerate(lines, 1) if t.startswith("repo_url:")), 1)
        raise CourseDataError(
            f"{path.name}:{line}: repo_url {config.repo_url!r} is not a GitHub"
            " repository address (https://github.com/OWNER/REPO); the example pages' Open in"
            " Colab links are made from it"
        )
    return f"{COLAB}/{match['owner']}/{match['repo']}/blob/{BRANCH}"


def notebook_links(page: Page, files: Files, config: MkDocsConfig) -> str | None:
    """The links' HTML for an example page; None for any other page."""
    source = page.file.src_uri
    if not source.startswith(EXAMPLES):
        return None
    notebook = posixpath.splitext(source)[0] + ".ipynb"
    if source == notebook:  # a notebook shown as a page: include_source puts it beside
        download = posixpath.basename(notebook)
    else:
        download = files.get_file_from_path(notebook).url_relative_to(page.file)
    colab = f"{colab_base(config)}/{posixpath.basename(notebook)}"
    return (
        '<p class="course-notebook">'
        f'<a class="md-button" href="{html.escape(download)}" download>Download notebook</a> '
        f'<a class="md-button" href="{html.escape(colab)}">Open in Colab</a></p>'
    )


# This build's folder of notebooks, made by on_files, removed when the build ends.
_folder: Path | None = None
_sources: dict[str, Source] = {}  # notebook uri -> its source


def on_config(config: MkDocsConfig) -> None:
    colab_base(config)  # a repo_url Colab cannot use stops the build before any page


# Early: before mkdocs-jupyter's on_files, which makes a page of a notebook it includes.
@event_priority(50)
def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _folder
    _remove_folder()
    made = site_notebooks(config)
    fail(
        [
            f"docs/{source.uri}: the build makes this notebook from {source.name};"
            " delete the file"
            for source in made
            if files.get_file_from_path(source.uri) is not None
        ]
    )
    _folder = Path(tempfile.mkdtemp(prefix="course-notebooks-"))
    # Removed when the build ends; and when the process does, should no build end (a test that
    # runs this event alone, `mkdocs serve` stopped).
    atexit.register(shutil.rmtree, _folder, True)
    _sources.clear()
    for source, text in made.items():
        (_folder / source.uri).parent.mkdir(parents=True, exist_ok=True)
        (_folder / source.uri).write_text(text, encoding="utf-8")
        files.append(
            File(source.uri, str(_folder), config.site_dir, config.use_directory_urls)
        )
        _sources[source.uri] = source
    return files


def on_page_content(
    content: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    links = notebook_links(page, files, config)
    if links is None:
        return content
    heading = content.find("</h1>")
    if heading < 0:
        return links + content
    at = heading + len("</h1>")
    return content[:at] + links + content[at:]


def on_page_context(context, *, page: Page, config: MkDocsConfig, nav):
    source = _sources.get(page.file.src_uri)
    if source is None:
        return context
    dates = config.plugins.get("git-revision-date-localized")
    if dates is not None:
        # "Last update": the day of the last commit to the source (the notebook is in none),
        # read by the plugin itself, which writes it into the page's meta as for any page.
        file = SimpleNamespace(src_path=source.name, abs_src_path=str(source.path))
        stand_in = SimpleNamespace(file=file, meta=page.meta)
        dates.on_page_markdown("", page=stand_in, config=config, files=None)
    if page.edit_url:
        # MkDocs made the address of docs/<the notebook>: the source's is relative to it.
        root = Path(config.config_file_path).parent
        docs = Path(config.docs_dir).relative_to(root).as_posix()
        here = posixpath.dirname(f"{docs}/{page.file.src_uri}")
        page.edit_url = urljoin(page.edit_url, posixpath.relpath(source.name, here))
    return context


def _remove_folder() -> None:
    global _folder
    if _folder is not None:
        shutil.rmtree(_folder, ignore_errors=True)
        _folder = None


def on_post_build(*, config: MkDocsConfig) -> None:
    _remove_folder()


def on_build_error(*, error: Exception) -> None:
    _remove_folder()
