"""The plots of the recorded runs, as chromium shows them inline (overrides/hooks/course_plots.py):
named for screen readers, within a phone's width, and readable in both palettes.

That each plot draws its data is checked without a browser, in tests/test_plots.py; axe runs
on these pages, in both palettes, in test_accessibility.py.
"""

import re

import pytest
from support.browser import PALETTES, VIEWPORTS
from support.content import DOCS, pages
from support.contrast import too_faint
from support.figures import naming_faults

pytestmark = pytest.mark.slow


def plots_per_page() -> dict[str, int]:
    """Each page's URL path, with how many plot markers its source has."""
    shown = {}
    for page in pages():
        count = len(
            re.findall(r"^[ \t]*<!-- course:plot \w+ -->$", page.read_text(), re.M)
        )
        if count:
            path = page.relative_to(DOCS).with_suffix("").as_posix()
            shown["" if path == "index" else f"{path}/"] = count
    return shown


PLOTS = plots_per_page()  # page -> how many plots it shows
# WCAG 2.2 AA: 4.5:1 for text (1.4.3), 3:1 for the lines and bars a plot is read by (1.4.11).
TEXT_CONTRAST, GRAPHICS_CONTRAST = 4.5, 3.0


@pytest.mark.parametrize("scheme", list(PALETTES))
@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_plot_is_named_fits_and_reads_in_both_palettes(
    page_visits, site_pages, scheme, viewport
):
    # Measured by the sweep (page_visits in conftest.py, support/figures.py), which also runs
    # axe on these pages in both palettes, records any failed request and measures the overflow.
    shown = {
        path: len(page_visits[(path, scheme)].figures[viewport]["course-plot"])
        for path in site_pages
    }
    assert {path: count for path, count in shown.items() if count} == PLOTS
    for path, count in PLOTS.items():
        visit = page_visits[(path, scheme)]
        assert visit.scheme == PALETTES[scheme], f"/{path}: palette {visit.scheme}"
        plots = visit.figures[viewport]["course-plot"]
        names = visit.figure_names["course-plot"]
        assert len(names) == count, f"/{path}"
        for index, (measured, exposed) in enumerate(zip(plots, names, strict=True)):
            where = f"/{path} plot {index + 1} ({scheme}, {viewport})"
            assert not naming_faults(where, measured, exposed)
            assert 0 < measured["width"] <= VIEWPORTS[viewport][0], (where, measured)
            assert measured["series"] and measured["labels"], where
            faint = too_faint(
                measured["series"], GRAPHICS_CONTRAST, lambda s: s["what"]
            ) + too_faint(measured["labels"], TEXT_CONTRAST, lambda t: repr(t["text"]))
            assert not faint, f"{where}: too little contrast: {faint}"
