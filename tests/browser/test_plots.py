"""The plots of the recorded runs, as chromium shows them inline (overrides/hooks/course_plots.py):
named for screen readers, within a phone's width, and readable in both palettes.

That each plot draws its data is checked without a browser, in tests/test_plots.py; axe runs
on these pages, in both palettes, in test_accessibility.py.
"""

import pytest
from support.contrast import FIGURE_COLOURS, too_faint

pytestmark = pytest.mark.slow

PLOTS = {  # page -> how many plots it shows
    "examples/grpo/": 1,
    "examples/distillation/": 1,
    "examples/inference-time-scaling/": 2,
}
# WCAG 2.2 AA: 4.5:1 for text (1.4.3), 3:1 for the lines and bars a plot is read by (1.4.11).
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0

MEASURE = (
    "figure => {\n"
    + FIGURE_COLOURS
    + """    const svg = figure.querySelector(":scope > svg");
    const box = svg.getBoundingClientRect();
    const series = [...svg.querySelectorAll("[id*='-line-'] > path, [id*='-bar-'] > path")]
        .map(e => ({
            what: e.parentElement.id,
            contrast: ratio(over(paint(e, e.closest("[id*='-bar-']") ? "fill" : "stroke"), page), page),
        }));
    const labels = [...svg.querySelectorAll("text")].map(text => ({
        text: text.textContent.trim(),
        contrast: ratio(over(paint(text, "fill"), page), page),
    }));
    return {
        width: box.width, height: box.height,
        scheme: document.body.getAttribute("data-md-color-scheme"),
        title: (svg.querySelector(":scope > title") || {}).textContent || "",
        desc: (svg.querySelector(":scope > desc") || {}).textContent || "",
        series, labels,
    };
}"""
)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_plot_is_named_fits_and_reads_in_both_palettes(
    open_page, scheme, viewport
):
    from playwright.sync_api import (
        expect,
    )  # here: conftest.py reports playwright missing

    for path, count in PLOTS.items():
        page = open_page(path, color_scheme=scheme, viewport=viewport)
        figures = page.locator("figure.course-plot")
        assert figures.count() == count, f"/{path}"
        for index in range(count):
            where = f"/{path} plot {index + 1} ({scheme}, {viewport})"
            measured = figures.nth(index).evaluate(MEASURE)
            assert measured["scheme"] == {"light": "default", "dark": "slate"}[scheme]
            svg = figures.nth(index).locator(":scope > svg")
            expect(svg).to_have_accessible_name(measured["title"])
            expect(svg).to_have_accessible_description(measured["desc"])
            assert measured["title"] and measured["desc"], where
            assert 0 < measured["width"] <= page.viewport_size["width"], (
                where,
                measured,
            )
            assert measured["series"] and measured["labels"], where
            faint = too_faint(
                measured["series"], GRAPHICS_CONTRAST, lambda s: s["what"]
            ) + too_faint(measured["labels"], TEXT_CONTRAST, lambda t: repr(t["text"]))
            assert not faint, f"{where}: too little contrast: {faint}"
        assert page.horizontal_overflow() <= 0, f"/{path} ({viewport})"
        page.assert_no_problems()
