"""Every page of the built site, in chromium: it loads cleanly, offline, and fits a phone's width."""

import pytest

pytestmark = pytest.mark.slow


def test_every_page_loads_with_no_error_failed_request_or_other_host(
    page_visits, site_pages
):
    failures = []
    for path in site_pages:
        # Light: loaded until the network was idle, so a late request has been made too.
        for color_scheme in ("light", "dark"):
            visit = page_visits[(path, color_scheme)]
            failures += [f"/{path} ({color_scheme}): {p}" for p in visit.problems]
    assert not failures, "\n".join(failures)


def test_no_page_scrolls_sideways_on_a_phone(page_visits, site_pages):
    failures = []
    for path in site_pages:
        overflow = page_visits[(path, "light")].phone_overflow
        if overflow > 0:
            failures.append(f"/{path}: {overflow}px wider than the 375px screen")
    assert not failures, "\n".join(failures)
