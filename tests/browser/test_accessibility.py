"""Accessibility, in chromium: axe-core on every page in both palettes, and a visible keyboard focus.

axe-core (tests/browser/vendor/) runs inside each page as the reader's browser renders it, so it
sees the real colours, the rendered diagrams' containers and the scripts' changes. Any serious
or critical violation fails, with the page, the palette, the rule and the element.
"""

import hashlib
import re
from pathlib import Path

import pytest
from support.browser import PALETTES

pytestmark = pytest.mark.slow

VENDOR = Path(__file__).parent / "vendor"


def test_the_vendored_axe_core_is_the_recorded_version():
    readme = (VENDOR / "README.md").read_text()
    version = re.search(r"axe-core (\d+\.\d+\.\d+)", readme)[1]
    checksum = re.search(r"sha256 ([0-9a-f]{64})", readme)[1]
    script = (VENDOR / "axe.min.js").read_bytes()
    assert script.startswith(f"/*! axe v{version}".encode())
    assert hashlib.sha256(script).hexdigest() == checksum
    assert "Mozilla Public License" in (VENDOR / "axe-core.LICENSE.txt").read_text()


@pytest.mark.parametrize("color_scheme", list(PALETTES))
def test_no_page_has_a_serious_or_critical_axe_violation(
    page_visits, site_pages, color_scheme
):
    failures = []
    for path in site_pages:
        visit = page_visits[(path, color_scheme)]
        assert visit.scheme == PALETTES[color_scheme], (
            f"/{path}: palette {visit.scheme}"
        )
        failures += [f"/{path} ({visit.scheme}): {v}" for v in visit.axe]
        failures += [
            f"/{path} ({visit.scheme}): {problem}" for problem in visit.problems
        ]
    assert not failures, "\n".join(failures)


def test_every_control_reached_by_tab_shows_a_visible_focus(page_visits, site_pages):
    unseen = []
    for path in site_pages:
        stops = page_visits[(path, "light")].tab_stops
        assert stops, f"/{path}: Tab reaches no control"
        unseen += [
            f"/{path}: {stop['name']}: "
            + (
                "no focus outline or shadow"
                if stop["visible"]
                else "focused but not on screen"
            )
            for stop in stops
            if not (stop["indicator"] and stop["visible"])
        ]
    assert not unseen, "\n".join(unseen)
