"""What a reader does on the site, in chromium: search, copy a code block, read the notebook's plot,
switch the palette; and screenshots of the lesson and the flashcards for review (CI artifacts)."""

from urllib.parse import urlsplit

import pytest
from support.docs_contract import section_texts
from support.harness import ROOT

pytestmark = pytest.mark.slow

LESSON = "lesson/"
LESSON_TITLE = "Reasoning models and the road ahead"


def snippet_section(relative: str, name: str) -> str:
    """The lines of a named section, as the page includes them (the marker lines left out)."""
    lines = (ROOT / "snippets" / relative).read_text().splitlines()
    return section_texts(lines)[name]


def test_searching_grpo_finds_the_lesson_and_opens_it(open_page):
    page = open_page("")
    page.locator(".md-search__input").click()
    page.keyboard.type("GRPO")
    results = page.locator(".md-search-result__link")
    results.first.wait_for()
    hrefs = results.evaluate_all("links => links.map(link => link.href)")
    lesson = [i for i, href in enumerate(hrefs) if urlsplit(href).path == f"/{LESSON}"]
    assert lesson, f"no result opens /{LESSON}: {hrefs}"
    with page.expect_navigation():
        results.nth(lesson[0]).click()
    assert urlsplit(page.url).path == f"/{LESSON}"
    heading = page.locator("article h1").inner_text().removesuffix("¶")  # its permalink
    assert heading == LESSON_TITLE
    page.assert_no_problems()


def test_a_code_blocks_copy_button_copies_exactly_the_snippet(open_page):
    page = open_page("examples/grpo/")
    block = page.locator("div.highlight", has_text="def group_relative_advantages(")
    block = block.first
    block.hover()  # the button shows on hover, as for a reader with a mouse
    block.get_by_title("Copy to clipboard").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    section = snippet_section("grpo/advantages.py", "group-norm")
    # Material drops the blank lines that end a block.
    assert copied == section.rstrip("\n")
    page.assert_no_problems()


def test_the_notebook_page_shows_its_plot(open_page):
    page = open_page("examples/r1-zero-on-a-laptop/")
    images = page.locator(".jupyter-wrapper .jp-OutputArea-output img")
    assert images.count() >= 1, "the notebook shows no image: was it executed?"
    for image in images.all():
        image.scroll_into_view_if_needed()
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), (
            "an image in the notebook's output did not load"
        )
    page.assert_no_problems()


def test_the_palette_toggle_switches_between_light_and_dark_and_is_remembered(
    open_page,
):
    page = open_page("", color_scheme="light")
    scheme = lambda: page.get_attribute("body", "data-md-color-scheme")  # noqa: E731
    assert scheme() == "default"
    page.locator('label[title="Switch to dark mode"]').click()
    assert scheme() == "slate"
    page.reload()
    assert scheme() == "slate", "the choice was not kept across a reload"
    page.locator('label[title="Switch to light mode"]').click()
    assert scheme() == "default"
    page.assert_no_problems()


@pytest.mark.parametrize("path", [LESSON, "flashcards/"])
def test_screenshots_on_desktop_and_phone(open_page, screenshot_dir, path):
    for viewport in ("desktop", "phone"):
        page = open_page(path, viewport=viewport)
        page.evaluate("document.fonts.ready")
        name = path.strip("/") or "home"
        shot = screenshot_dir / f"{name}-{viewport}.png"
        page.screenshot(path=shot, full_page=True)
        assert shot.stat().st_size > 10_000, f"{shot} is nearly empty"
        page.assert_no_problems()
