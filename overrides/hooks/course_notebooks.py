"""MkDocs hook: every example page links to its notebook, to download or to open in Colab.

The notebook of ``docs/examples/<name>.md`` is ``docs/examples/<name>.ipynb`` beside it, generated
by scripts/notebooks.py and copied to the site as a file to download; a notebook shown as a page
(``docs/examples/r1-zero-on-a-laptop.ipynb``) is its own, copied beside its page by mkdocs-jupyter's
``include_source``. Under the page's title go two links: "Download notebook", relative to the page,
and "Open in Colab", ``https://colab.research.google.com/github/<owner>/<repo>/blob/main/<path>``,
built from mkdocs.yml's ``repo_url``. An example page without its notebook stops the build, naming
the page and the command that generates it; so does a ``repo_url`` that is not a GitHub repository.
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path

from course_yaml import CourseDataError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

EXAMPLES = "examples/"  # the pages, under docs/, that have a notebook
BRANCH = "main"  # the branch Colab opens the notebooks from
COLAB = "https://colab.research.google.com/github"
GITHUB_REPOSITORY = re.compile(
    r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$"
)
GENERATE = "python scripts/notebooks.py"


def config_line(config: MkDocsConfig, key: str) -> str:
    """``mkdocs.yml:LINE``, the line that sets ``key`` (1 if none does)."""
    path = Path(config.config_file_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(
        (i for i, line in enumerate(lines, start=1) if line.startswith(f"{key}:")), 1
    )
    return f"{path.name}:{number}"


def colab_base(config: MkDocsConfig) -> str:
    """The Colab address of the repository's files on the branch, from ``repo_url``."""
    match = GITHUB_REPOSITORY.match(config.repo_url or "")
    if not match:
        raise CourseDataError(
            f"{config_line(config, 'repo_url')}: repo_url {config.repo_url!r} is not a GitHub"
            " repository address (https://github.com/OWNER/REPO); the example pages' Open in"
            " Colab links are made from it"
        )
    return f"{COLAB}/{match['owner']}/{match['repo']}/blob/{BRANCH}"


def docs_folder(config: MkDocsConfig) -> str:
    """The docs folder as a path in the repository (whose root holds mkdocs.yml)."""
    root = Path(config.config_file_path).parent
    return Path(config.docs_dir).relative_to(root).as_posix()


def notebook_links(page: Page, files: Files, config: MkDocsConfig) -> str | None:
    """The links' HTML for an example page; None for any other page."""
    source = page.file.src_uri
    if not source.startswith(EXAMPLES):
        return None
    if source.endswith(".ipynb"):
        # A notebook shown as a page: mkdocs-jupyter's include_source copies it beside the page.
        notebook, download = source, posixpath.basename(source)
    else:
        notebook = posixpath.splitext(source)[0] + ".ipynb"
        found = files.get_file_from_path(notebook)
        if found is None:
            raise CourseDataError(
                f"{docs_folder(config)}/{source}: this example page has no notebook"
                f" ({docs_folder(config)}/{notebook} is missing); generate it with `{GENERATE}`"
            )
        download = found.url_relative_to(page.file)
    colab = f"{colab_base(config)}/{docs_folder(config)}/{notebook}"
    return (
        '<p class="course-notebook">'
        f'<a class="md-button" href="{html.escape(download)}" download>Download notebook</a> '
        f'<a class="md-button" href="{html.escape(colab)}">Open in Colab</a></p>'
    )


def on_config(config: MkDocsConfig) -> None:
    colab_base(config)  # a repo_url Colab cannot use stops the build before any page


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
