"""Every page of the built site, in chromium: it loads cleanly, offline, and fits a phone's width."""

import pytest

pytestmark = pytest.mark.slow


def test_every_page_loads_with_no_error_failed_request_or_other_host(
    open_page, site_pages
):
    failures = []
    for path in site_pages:
        # networkidle: the search index and anything loaded late has arrived, or failed.
        page = open_page(path, wait_until="networkidle")
        failures += [f"/{path}: {problem}" for problem in page.problems()]
    assert not failures, "\n".join(failures)


def test_no_page_scrolls_sideways_on_a_phone(open_page, site_pages):
    failures = []
    for path in site_pages:
        page = open_page(path, viewport="phone")
        overflow = page.horizontal_overflow()
        if overflow > 0:
            failures.append(f"/{path}: {overflow}px wider than the 375px screen")
        failures += [f"/{path}: {problem}" for problem in page.problems()]
    assert not failures, "\n".join(failures)
