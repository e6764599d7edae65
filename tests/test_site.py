"""The site builds with --strict from any working directory, shows the tested code, and loads offline."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from support import site_build
from support.harness import ROOT
from support.site_build import build_with_planted_text

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site(built_site) -> Path:
    """The session's strict build, notebooks executed (tests/conftest.py), shared with tests/browser."""
    return built_site


def page_text(site: Path, page: str) -> str:
    return html.unescape(
        re.sub(r"<[^>]+>", "", (site / page / "index.html").read_text())
    )


def test_the_grpo_page_shows_the_snippets_and_their_output(site):
    text = page_text(site, "examples/grpo")
    assert "def group_relative_advantages(" in text
    assert "def grpo_loss(" in text
    assert "advantages: +0.94 -0.94 +0.94" in text
    assert "ratio 1.8, advantage +1 -> counts as 1.2" in text
    assert "--8<--" not in text  # every include was expanded
    assert (site / "examples" / "grpo" / "index.html").read_text().count(
        '<figure class="course-diagram"><svg'
    ) == 1


def test_the_notebook_was_executed_by_the_build(site):
    page = (site / "examples" / "r1-zero-on-a-laptop" / "index.html").read_text()
    text = page_text(site, "examples/r1-zero-on-a-laptop")
    # Outputs exist only because the build ran the notebook: the repository stores none.
    assert re.search(r"accuracy: 0\.\d\d -> 0\.\d\d", text), (
        "no before/after accuracy printed"
    )
    assert re.search(r'<img[^>]+src="data:image/png;base64,', page), "no reward plot"
    assert "Traceback" not in text


def lychee(site_dir: Path) -> subprocess.CompletedProcess:
    """Check every link and #fragment of the built HTML, offline (what MkDocs cannot see: notebooks)."""
    command = [
        str(Path(sys.executable).with_name("lychee")),
        "--offline",
        "--include-fragments",
        "--no-progress",
        "--root-dir",
        str(site_dir),
        "--index-files",
        "index.html",
        str(site_dir),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_the_built_site_has_no_broken_link_or_anchor(site):
    result = lychee(site)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    "link, complaint",
    [
        ("../no-such-page/", "no-such-page"),
        ("../grpo/#no-such-anchor", "no-such-anchor"),
    ],
    ids=["broken-link", "broken-anchor"],
)
def test_the_link_check_fails_on_a_planted_break_in_a_notebook(
    site, tmp_path, link, complaint
):
    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    page = copy / "examples" / "r1-zero-on-a-laptop" / "index.html"
    page.write_text(
        page.read_text().replace(
            "</article>", f'<a href="{link}">planted</a></article>', 1
        )
    )
    result = lychee(copy)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_every_script_file_waits_for_the_page_to_be_parsed(site):
    """Deferred, so the text paints before Material's bundle starts (overrides/main.html). The
    notebook page's empty ``<script src="">`` is mkdocs-jupyter's MathJax loader, switched off:
    it fetches nothing."""
    for page in site.rglob("*.html"):
        for tag in re.findall(
            r"<script\b[^>]*\ssrc=\"[^\"]+\"[^>]*>", page.read_text()
        ):
            assert re.search(r"\s(defer|async)\b", tag), (
                f"{page.relative_to(site)}: {tag}"
            )


def test_the_site_loads_no_script_or_stylesheet_from_another_host(site):
    for page in site.rglob("*.html"):
        source = page.read_text()
        scripts = re.findall(r"<script[^>]*\ssrc=\"([^\"]+)\"", source)
        styles = re.findall(
            r"<link[^>]*rel=\"stylesheet\"[^>]*href=\"([^\"]+)\"", source
        )
        remote = [url for url in scripts + styles if re.match(r"(https?:)?//", url)]
        assert not remote, f"{page.relative_to(site)} loads {remote}"
        assert "fonts.googleapis.com" not in source, page
    # The diagrams are drawn ahead of time: the site ships no diagram library.
    assert not [p.name for p in site.rglob("*") if "mermaid" in p.name.lower()]


BROKEN_INCLUDE = '\n```python title="broken"\n--8<-- "{}"\n```\n'


@pytest.mark.parametrize(
    "planted, complaint",
    [
        ("\nSee [planted](no-such-page.md).\n", "no-such-page.md"),
        ("\nSee [planted](grpo.md#no-such-anchor).\n", "no-such-anchor"),
        (
            BROKEN_INCLUDE.format("snippets/grpo/missing.py:group-norm"),
            "snippets/grpo/missing.py",
        ),
        (
            BROKEN_INCLUDE.format("snippets/grpo/advantages.py:no-such-section"),
            "no-such-section",
        ),
    ],
    ids=["broken-link", "broken-anchor", "missing-file", "missing-section"],
)
def test_the_strict_build_fails_on_a_planted_break_in_a_page(
    tmp_path, planted, complaint
):
    result, _ = build_with_planted_text(tmp_path, planted)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr


def test_the_build_lands_where_course_site_dir_says(tmp_path, monkeypatch):
    """CI uploads the suite's own build from $COURSE_SITE_DIR rather than building again."""
    built_into = []

    def mkdocs_build(config, site_dir, cwd, execute=False):
        built_into.append(site_dir)
        return subprocess.CompletedProcess([], 0, "", "")

    monkeypatch.setattr(site_build, "mkdocs_build", mkdocs_build)
    monkeypatch.delenv(site_build.PREBUILT_SITE_ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(site_build.SITE_DIR_ENV, "site")
    assert site_build.build_site(
        tmp_path / "temporary", cwd=tmp_path / "elsewhere"
    ) == (tmp_path / "site")
    monkeypatch.delenv(site_build.SITE_DIR_ENV)
    site_build.build_site(tmp_path / "temporary", cwd=tmp_path / "elsewhere")
    assert built_into == [tmp_path / "site", tmp_path / "temporary"]


def last_commit_day(source: Path) -> str | None:
    """The UTC day of the last commit that changed ``source`` (author date, as the plugin reads it)."""
    from datetime import UTC, datetime

    stamp = subprocess.run(
        ["git", "log", "-1", "--format=%at", "--", str(source)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not stamp:
        return None
    moment = datetime.fromtimestamp(int(stamp), UTC)
    return f"{moment:%B} {moment.day}, {moment.year}"


EDIT_BUTTON = re.compile(
    r'<a href="https://github\.com/reasoning-course/reasoning-course/edit/main/([^"]+)"'
    r' title="Edit this page"'
)


def test_every_page_edit_button_opens_its_source_and_shows_its_last_commit_day(site):
    """The Edit button opens the file the page is written in (for the R1-Zero notebook, its
    Markdown source, not the notebook the build makes), and "Last update" is that file's day."""
    history = (ROOT / ".git").exists()
    dated = 0
    for page in sorted(site.rglob("index.html")):
        below = page.parent.relative_to(site).as_posix()
        html_text = page.read_text()
        edit = EDIT_BUTTON.findall(html_text)
        assert len(edit) == 1, f"/{below}: {len(edit)} Edit buttons"
        source = ROOT / edit[0]
        assert source.is_file(), (
            f"/{below}: the Edit button opens {edit[0]}: no such file"
        )
        assert source.suffix == ".md", f"/{below}: the Edit button opens {edit[0]}"
        shown = re.findall(
            r'git-revision-date-localized-plugin-date"[^>]*>([^<]+)</span>', html_text
        )
        assert len(shown) == 1, f"/{below}: {len(shown)} 'Last update' dates"
        expected = last_commit_day(source) if history else None
        if expected is not None:  # a page not yet committed shows the build's day
            assert shown[0] == expected, f"/{below}: {shown[0]}, last commit {expected}"
            dated += 1
    if not history:
        pytest.skip(
            "no git history: tests/browser/test_project_path.py covers that build"
        )
    assert dated >= 8, dated
