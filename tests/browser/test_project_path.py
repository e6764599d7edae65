"""The site published under a project path, as GitHub Pages serves a project's site
(``https://<owner>.github.io/<repo>/``): built with ``site_url`` set to that address, every page,
link and asset works below the path, and so does the 404 page a missing address gets.

The session's own build (``built_site``) is served at the root, where a page loading its assets
from ``/assets/...`` instead of below the project path would go unnoticed; this module builds
the site again with ``COURSE_SITE_URL`` (mkdocs.yml's ``site_url``) and serves it one level down.
It builds from a copy of the sources without git history, which must build too.
"""

from __future__ import annotations

import http.server
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from support.site_build import copy_sources, mkdocs_build

pytestmark = pytest.mark.slow

PROJECT = "reasoning-course"  # the repository's name: the path GitHub Pages publishes it under


class ProjectPagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder as GitHub Pages does: a missing address under the project path gets the
    project's own 404.html, with status 404."""

    def send_error(self, code, message=None, explain=None):
        not_found = Path(self.directory) / PROJECT / "404.html"
        if code != 404 or not self.path.startswith(f"/{PROJECT}/"):
            return super().send_error(code, message, explain)
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format, *args):
        pass


# Each page's "Last update" (mkdocs-git-revision-date-localized-plugin, type: date).
LAST_UPDATE = re.compile(
    r'git-revision-date-localized-plugin-date"[^>]*>([^<]+)</span>'
)


def utc_day(moment: datetime) -> str:
    return f"{moment:%B} {moment.day}, {moment.year}"


@pytest.fixture(scope="module")
def published(tmp_path_factory, serve_folder) -> Iterator[tuple[str, Path]]:
    """(the project's address, the built folder): the site built for, and served under, /PROJECT/.

    Built from a copy of the sources with no git history, as from a downloaded archive: the
    build must still pass strictly, each page dated by the build instead of its last commit.
    """
    root = tmp_path_factory.mktemp("pages")
    sources = copy_sources(tmp_path_factory.mktemp("sources"))
    assert not (sources / ".git").exists()
    with serve_folder(root, ProjectPagesHandler) as host:
        address = f"{host}{PROJECT}/"
        site = root / PROJECT
        days = {utc_day(datetime.now(UTC))}
        result = mkdocs_build(
            sources / "mkdocs.yml", site, cwd=sources, site_url=address
        )
        days.add(utc_day(datetime.now(UTC)))  # the build may straddle midnight
        assert result.returncode == 0, result.stdout + result.stderr
        for path in page_paths(site):
            dates = LAST_UPDATE.findall((site / path / "index.html").read_text())
            assert len(dates) == 1 and dates[0] in days, (path, dates, days)
        yield address, site


def page_paths(site: Path) -> list[str]:
    return sorted(
        html.relative_to(site).as_posix().removesuffix("index.html")
        for html in site.rglob("*.html")
        if html.name != "404.html"
    )


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.found.append(value)


def links_in(html: str, base: str) -> set[str]:
    parser = _Links()
    parser.feed(html)
    return {urldefrag(urljoin(base, link)).url for link in parser.found}


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_every_page_loads_below_the_project_path_with_nothing_missing(
    published, page_opener
):
    address, site = published
    pages = page_paths(site)
    assert "" in pages and "examples/grpo/" in pages
    open_page = page_opener(address)
    # All at once (each page in its own context): the browser loads them side by side, and
    # each is then waited for until its network has been idle.
    loading = [open_page(path, wait_until="commit") for path in pages]
    for page in loading:
        page.wait_for_load_state("networkidle")
        page.assert_no_problems()


def test_every_link_and_asset_on_the_site_resolves_below_the_project_path(published):
    address, site = published
    ours = urlsplit(address).netloc
    targets: dict[str, str] = {}
    for path in page_paths(site):
        html = site / path / "index.html" if not path.endswith(".html") else site / path
        for link in links_in(html.read_text(encoding="utf-8"), address + path):
            if urlsplit(link).netloc == ours:
                targets.setdefault(link, address + path)
    # What is checked: every page (the navigation links them all), and the site's own assets.
    assert {address + path for path in page_paths(site)} <= set(targets)
    assert any(link.endswith(".css") for link in targets)
    assert any(link.endswith(".js") for link in targets)
    outside = [
        f"{link} (on {page})"
        for link, page in targets.items()
        if not link.startswith(address)
    ]
    assert not outside, "links that leave the project path:\n" + "\n".join(outside)
    broken = [
        f"{link} (on {page}): HTTP {code}"
        for link, page in targets.items()
        if (code := status(link)) != 200
    ]
    assert not broken, "\n".join(broken)


def test_a_missing_address_gets_the_404_page_with_its_styles_and_links(
    published, page_opener
):
    address, _ = published
    page = page_opener(address)("no-such-page/", wait_until="networkidle")
    assert page.title().startswith("Reasoning models")
    # Its own 404 status is expected; anything else that failed (a stylesheet, a script, the
    # logo, loaded from the root instead of the project path) is not.
    missing = address + "no-such-page/"
    problems = [p for p in page.problems() if missing not in p]
    assert not problems, "\n".join(problems)
    assert page.evaluate("document.styleSheets.length") > 0
    home = page.locator("a.md-header__button.md-logo").get_attribute("href")
    assert urljoin(missing, home) == address


def test_the_sitemap_and_the_anki_export_use_the_absolute_address(published):
    address, site = published
    spaces = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [
        element.text
        for element in ElementTree.parse(site / "sitemap.xml")
        .getroot()
        .findall("s:url/s:loc", spaces)
    ]
    assert locations and all(location.startswith(address) for location in locations)
    assert all(status(location) == 200 for location in locations)
    export = (site / "flashcards.tsv").read_text(encoding="utf-8")
    cards = [line for line in export.splitlines() if not line.startswith("#")]
    links = [
        line.split('Read more: <a href="', 1)[1].split('"', 1)[0] for line in cards
    ]
    assert len(links) == len(cards) and all(link.startswith(address) for link in links)
    assert all(status(urldefrag(link).url) == 200 for link in links)
