"""Diagrams drawn ahead of time: each Mermaid fence has its stored SVG, each SVG a fence, and the
build fails, naming the page, the line and the command, on a diagram nobody drew.

scripts/render_diagrams.py draws the SVGs into docs/generated/diagrams/;
overrides/hooks/course_diagrams.py puts them in the pages. The browser checks (laid out, both
palettes, no Mermaid script) are in tests/browser/test_diagrams.py.
"""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from support.content import hook
from support.harness import ROOT, load_script
from support.site_build import copy_sources, mkdocs_build

COMMAND = "python scripts/render_diagrams.py"
DIAGRAMS = ROOT / "docs" / "generated" / "diagrams"
SVG = "{http://www.w3.org/2000/svg}"


def script():
    """scripts/render_diagrams.py (it imports playwright only when it draws)."""
    return load_script("render_diagrams")


def test_every_diagram_has_its_svg_and_every_svg_a_diagram():
    survey = script().survey()
    assert len(survey.diagrams) >= 4, (
        survey.diagrams
    )  # three on the lesson, one on GRPO
    assert not survey.problems(), (
        "\n".join(survey.problems()) + f"\nrun `{COMMAND}` and commit what it writes"
    )


def test_the_survey_reports_an_orphan_a_missing_and_an_outdated_svg(tmp_path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    folder = docs / "generated" / "diagrams"
    first, second, *_ = sorted(folder.glob("*.svg"))
    (folder / "0123456789abcdef.svg").write_text("<svg/>")  # no fence uses it
    first.unlink()  # its diagram is no longer drawn
    second.write_text(second.read_text().replace('data-mermaid="', 'data-mermaid="0.'))
    problems = script().survey(docs).problems()
    assert len(problems) == 3, problems
    assert re.fullmatch(
        rf"docs/[\w/-]+\.md:\d+: no SVG was drawn from this diagram's text \(\S+/{first.name}\)",
        next(p for p in problems if first.name in p),
    )
    assert re.fullmatch(
        rf"docs/[\w/-]+\.md:\d+: its SVG was drawn by Mermaid 0\.[\d.]+, not [\d.]+ \(\S+/{second.name}\)",
        next(p for p in problems if second.name in p),
    )
    assert any(
        p.endswith("0123456789abcdef.svg: no diagram on any page uses it")
        for p in problems
    )


@pytest.mark.parametrize("path", sorted(DIAGRAMS.glob("*.svg")), ids=lambda p: p.stem)
def test_each_svg_has_a_text_alternative_and_no_style_or_script(path):
    root = ElementTree.fromstring(path.read_text(encoding="utf-8"))
    prefix = f"diagram-{path.stem}"
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == title.get("id") == f"{prefix}-title"
    assert root.get("aria-describedby") == desc.get("id") == f"{prefix}-desc"
    assert len(title.text.split()) >= 3 and len(desc.text.split()) >= 10
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert not tags & {"style", "script", "foreignObject"}, tags
    # ids are the diagram's own, so two diagrams on a page never share one
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert all(i.startswith(prefix) for i in ids), ids


def test_the_description_names_each_node_and_arrow():
    title, description = script().describe(
        {
            "type": "flowchart-v2",
            "accTitle": "",
            "accDescr": "",
            "nodes": [
                {"id": "A", "label": "Sample a group<br/>of G answers"},
                {"id": "B", "label": "Score<br>with the rewards"},
                {"id": "C", "label": "Update the policy:<br/>good answers &amp; more"},
            ],
            "edges": [
                {"start": "A", "end": "B", "label": ""},
                {"start": "B", "end": "C", "label": ""},
                {"start": "C", "end": "A", "label": "next batch"},
            ],
        }
    )
    assert (
        title
        == "Flowchart: Sample a group of G answers, Score with the rewards, Update the policy"
    )
    assert description == (
        "Sample a group of G answers leads to Score with the rewards. Score with the rewards leads"
        " to Update the policy (good answers & more). Update the policy leads to Sample a group of"
        " G answers, labelled “next batch”."
    )


def test_fences_inside_other_fences_and_indented_fences():
    diagrams = hook("course_diagrams")
    markdown = (
        "````markdown\n```mermaid\nflowchart LR\n  A --> B\n```\n````\n\n"
        "!!! note\n    ```mermaid\n    flowchart LR\n      A --> B\n    ```\n"
    )
    (found,) = diagrams.find_diagrams(markdown)
    assert (found.line, found.indent, found.source) == (
        9,
        "    ",
        "flowchart LR\n  A --> B\n",
    )
    assert markdown[found.start : found.end].endswith("    ```\n")


def test_a_diagram_with_no_svg_names_its_page_line_and_the_command(tmp_path):
    diagrams = hook("course_diagrams")
    markdown = "# Page\n\nText.\n\n```mermaid\nflowchart LR\n  A --> B\n```\n\nMore.\n"
    key = diagrams.diagram_key("flowchart LR\n  A --> B\n")
    result, problems = diagrams.inline_diagrams(
        markdown, "docs/page.md", tmp_path, "docs/generated/diagrams"
    )
    assert problems == [
        f"docs/page.md:5: the Mermaid diagram has no SVG drawn from its current text"
        f" (docs/generated/diagrams/{key}.svg): it is new or was edited since it was drawn;"
        f" run `{COMMAND}` and commit what it writes"
    ]
    assert result == markdown  # shown as text until it is drawn
    (tmp_path / f"{key}.svg").write_text('<svg role="img">\n<title>T</title></svg>\n')
    result, problems = diagrams.inline_diagrams(
        markdown, "docs/page.md", tmp_path, "docs/generated/diagrams"
    )
    assert not problems and "```" not in result
    assert (
        '\n<figure class="course-diagram"><svg role="img"> <title>T</title></svg></figure>\n'
        in result
    )


@pytest.mark.slow
@pytest.mark.parametrize("plant", ["edited", "deleted"])
def test_a_stale_or_missing_svg_fails_the_strict_build(tmp_path, plant):
    copy_sources(tmp_path)
    lesson = tmp_path / "docs" / "lesson.md"
    text = lesson.read_text()
    line = text[: text.index("```mermaid")].count("\n") + 1
    if plant == "edited":  # the diagram changed since its SVG was drawn
        lesson.write_text(
            text.replace("imitate worked examples", "imitate examples", 1)
        )
    else:
        survey = script().survey(tmp_path / "docs")
        key = next(
            k
            for k, f in survey.diagrams.items()
            if f"docs/lesson.md:{line}" in f.places
        )
        survey.stored[key].unlink()
    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert re.search(
        rf"WARNING +- +docs/lesson\.md:{line}: the Mermaid diagram has no SVG drawn from its"
        rf" current text \(docs/generated/diagrams/[0-9a-f]{{16}}\.svg\): .* run `{re.escape(COMMAND)}`",
        output,
    ), output
    # The other diagrams are fine: only this one is reported.
    assert output.count("the Mermaid diagram has no SVG") == 1, output


def test_the_build_without_playwright_needs_only_stored_files():
    source = (ROOT / "overrides" / "hooks" / "course_diagrams.py").read_text()
    assert not re.search(r"^\s*(import|from) playwright", source, re.M)
    assert Path(ROOT / "scripts" / "vendor" / "mermaid.min.js").is_file()
    assert not list((ROOT / "docs").rglob("mermaid*.js"))
