"""The site builds with --strict from any working directory, shows the tested code, and loads offline."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from harness import ROOT

pytestmark = pytest.mark.slow


def mkdocs_build(
    config: Path, site_dir: Path, cwd: Path
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--config-file",
            str(config),
            "--site-dir",
            str(site_dir),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": ""},
        check=False,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site_dir = tmp_path_factory.mktemp("site")
    elsewhere = tmp_path_factory.mktemp(
        "elsewhere"
    )  # includes must resolve from the config, not the cwd
    result = mkdocs_build(ROOT / "mkdocs.yml", site_dir, cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    return site_dir


def test_the_grpo_page_shows_the_snippet_and_its_output(site):
    page = (site / "examples" / "grpo" / "index.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    assert "def group_relative_advantages(" in text
    assert "advantages: +0.94 -0.94 +0.94" in text
    assert "--8<--" not in text  # every include was expanded
    assert page.count('class="mermaid"') == 1


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
    assert (site / "assets" / "javascripts" / "mermaid.min.js").is_file()


@pytest.mark.parametrize(
    "include, complaint",
    [
        ('--8<-- "snippets/grpo/missing.py:group-norm"', "snippets/grpo/missing.py"),
        ('--8<-- "snippets/grpo/advantages.py:no-such-section"', "no-such-section"),
    ],
    ids=["missing-file", "missing-section"],
)
def test_the_strict_build_fails_on_a_broken_include(tmp_path, include, complaint):
    for name in ("docs", "snippets"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    page = tmp_path / "docs" / "examples" / "grpo.md"
    page.write_text(page.read_text() + f'\n```python title="broken"\n{include}\n```\n')
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    assert result.returncode != 0
    assert complaint in result.stdout + result.stderr
