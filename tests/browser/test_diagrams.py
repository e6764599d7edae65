"""Diagrams: drawn ahead of time as inline SVG (overrides/hooks/course_diagrams.py), so no page
loads Mermaid; each one is laid out, named for screen readers, and readable in both palettes.

The checks that need no browser (a stored SVG for each fence, none orphaned, the build failing on
a diagram nobody drew) are in tests/test_diagrams.py.
"""

import re

import pytest
from support.contrast import FIGURE_COLOURS, too_faint

pytestmark = pytest.mark.slow

DIAGRAM = '<figure class="course-diagram"><svg'
# WCAG 2.2 AA: 4.5:1 for text (1.4.3), 3:1 for the lines and boxes a diagram is read by (1.4.11).
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0

# For each diagram: its size, its accessible name's source, and every label and line with the
# contrast it has against what is behind it (colours composited over the page's background) and
# whether each label lies inside its box.
MEASURE = (
    "figure => {\n"
    + FIGURE_COLOURS
    + """    const svg = figure.querySelector(":scope > svg");
    const box = svg.getBoundingClientRect();
    const shapeOf = text => {
        const node = text.closest(".node");
        if (node) return node.querySelector(".label-container, rect, polygon, circle, ellipse, path");
        const label = text.closest(".edgeLabel");
        return label && label.querySelector("rect");
    };
    const labels = [...svg.querySelectorAll("text")].map(text => {
        const shape = shapeOf(text);
        const behind = shape && paint(shape, "fill") ? over(paint(shape, "fill"), page) : page;
        const inner = text.getBoundingClientRect(), outer = shape && shape.getBoundingClientRect();
        return {
            text: [...text.querySelectorAll(".row")].map(row => row.textContent).join(" ").trim(),
            contrast: ratio(over(paint(text, "fill"), behind), behind),
            inside: !outer || (inner.left >= outer.left - 1 && inner.right <= outer.right + 1
                && inner.top >= outer.top - 1 && inner.bottom <= outer.bottom + 1),
        };
    });
    const lines = [...svg.querySelectorAll(".flowchart-link, .node .label-container, marker path")]
        .map(e => ({
            what: e.closest("marker") ? "arrowhead" : e.closest(".node") ? "box" : "line",
            contrast: ratio(over(paint(e, e.closest("marker") ? "fill" : "stroke"), page), page),
        }));
    return {
        width: box.width, height: box.height,
        scheme: document.body.getAttribute("data-md-color-scheme"),
        title: (svg.querySelector(":scope > title") || {}).textContent || "",
        desc: (svg.querySelector(":scope > desc") || {}).textContent || "",
        labels, lines,
    };
}"""
)


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


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_diagram_is_an_inline_svg_readable_in_both_palettes(
    built_site, open_page, scheme, viewport
):
    from playwright.sync_api import (
        expect,
    )  # here: conftest.py reports playwright missing

    for path, count in pages_with_diagrams(built_site).items():
        page = open_page(path, color_scheme=scheme, viewport=viewport)
        figures = page.locator("figure.course-diagram")
        assert figures.count() == count, f"/{path}"
        for index in range(count):
            svg = figures.nth(index).locator(":scope > svg")
            where = f"/{path} diagram {index + 1} ({scheme}, {viewport})"
            measured = figures.nth(index).evaluate(MEASURE)
            assert measured["scheme"] == {"light": "default", "dark": "slate"}[scheme]
            # A text alternative: the SVG is one image, named by its <title>, described by <desc>.
            assert svg.get_attribute("role") == "img", where
            named = len(measured["title"].split()) >= 3
            assert named and len(measured["desc"].split()) >= 10, (
                f"{where}: no title or description: {measured['title']!r}, {measured['desc']!r}"
            )
            expect(svg).to_have_accessible_name(measured["title"])
            expect(svg).to_have_accessible_description(measured["desc"])
            # Laid out: a size, within a phone's width, every label inside its box.
            assert measured["width"] > 0 and measured["height"] > 0, (where, measured)
            assert measured["width"] <= page.viewport_size["width"], (where, measured)
            assert measured["labels"] and measured["lines"], where
            outside = [lab["text"] for lab in measured["labels"] if not lab["inside"]]
            assert not outside, f"{where}: labels outside their box: {outside}"
            faint = too_faint(
                measured["labels"], TEXT_CONTRAST, lambda t: repr(t["text"])
            ) + too_faint(
                measured["lines"], GRAPHICS_CONTRAST, lambda line: line["what"]
            )
            assert not faint, f"{where}: too little contrast: {faint}"
        # axe: test_accessibility.py runs it on every page in both palettes, these too.
        requested = page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name)"
        )
        assert not [url for url in requested if "mermaid" in url.lower()], requested
        page.assert_no_problems()
