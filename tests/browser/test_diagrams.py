"""Diagrams: drawn ahead of time as inline SVG (overrides/hooks/course_diagrams.py), so no page
loads Mermaid; each one is laid out, named for screen readers, and readable in both palettes.

The checks that need no browser (a stored SVG for each fence, none orphaned, the build failing on
a diagram nobody drew) are in tests/test_diagrams.py.
"""

import re

import pytest
from support.browser import PALETTES, VIEWPORTS
from support.contrast import too_faint
from support.figures import naming_faults

pytestmark = pytest.mark.slow

DIAGRAM = '<figure class="course-diagram"><svg'
# WCAG 2.2 AA: 4.5:1 for text (1.4.3), 3:1 for the lines and boxes a diagram is read by (1.4.11).
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0


def pages_with_diagrams(site) -> dict[str, int]:
    """Each page with a diagram, by its path below the site's root, and how many it has."""
    found = {}
    for html in sorted(site.rglob("*.html")):
        count = html.read_text().count(DIAGRAM)
        if count:
            found[html.relative_to(site).as_posix().removesuffix("index.html")] = count
    return found


def test_no_page_loads_a_mermaid_script(built_site, site_pages, page_visits):
    for html in sorted(built_site.rglob("*.html")):
        source = html.read_text()
        sources = re.findall(r"<script\b[^>]*\ssrc=\"([^\"]*)\"", source, re.I)
        assert not [s for s in sources if "mermaid" in s.lower()], html
        # A fence the hook missed would be a code block, or Material's Mermaid container.
        assert 'class="mermaid"' not in source and "language-mermaid" not in source, (
            html
        )
    assert not [p for p in built_site.rglob("*") if "mermaid" in p.name.lower()]
    assert pages_with_diagrams(built_site) == {"lesson/": 3, "examples/grpo/": 1}
    # In Chromium, every page in both palettes: nothing fetched or run is Mermaid.
    for (path, color_scheme), visit in page_visits.items():
        mermaid = [url for url in visit.loaded["urls"] if "mermaid" in url.lower()]
        assert visit.loaded["mermaid"] == "undefined" and not mermaid, (
            path,
            color_scheme,
            visit.loaded,
        )
    assert {path for path, _ in page_visits} == set(site_pages)


@pytest.mark.parametrize("scheme", list(PALETTES))
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_diagram_is_an_inline_svg_readable_in_both_palettes(
    built_site, page_visits, scheme, viewport
):
    # Measured by the sweep (page_visits in conftest.py, support/figures.py), which also runs
    # axe on these pages in both palettes and records any failed request.
    for path, count in pages_with_diagrams(built_site).items():
        visit = page_visits[(path, scheme)]
        assert visit.scheme == PALETTES[scheme], f"/{path}: palette {visit.scheme}"
        diagrams = visit.figures[viewport]["course-diagram"]
        names = visit.figure_names["course-diagram"]
        assert len(diagrams) == len(names) == count, f"/{path}"
        for index, (measured, exposed) in enumerate(zip(diagrams, names, strict=True)):
            where = f"/{path} diagram {index + 1} ({scheme}, {viewport})"
            # A text alternative: the SVG is one image, named by its <title>, described by <desc>.
            assert not naming_faults(where, measured, exposed)
            named = len(measured["title"].split()) >= 3
            assert named and len(measured["desc"].split()) >= 10, (
                f"{where}: title or description too short: "
                f"{measured['title']!r}, {measured['desc']!r}"
            )
            # Laid out: a size, within the screen's width, every label inside its box.
            assert measured["width"] > 0 and measured["height"] > 0, (where, measured)
            assert measured["width"] <= VIEWPORTS[viewport][0], (where, measured)
            assert measured["labels"] and measured["lines"], where
            outside = [lab["text"] for lab in measured["labels"] if not lab["inside"]]
            assert not outside, f"{where}: labels outside their box: {outside}"
            faint = too_faint(
                measured["labels"], TEXT_CONTRAST, lambda t: repr(t["text"])
            ) + too_faint(
                measured["lines"], GRAPHICS_CONTRAST, lambda line: line["what"]
            )
            assert not faint, f"{where}: too little contrast: {faint}"
