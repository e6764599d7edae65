"""The browser checks catch what they are meant to: each test plants one fault in a copy of the
built site and asserts that the check used by the suite reports it, with the page and the culprit."""

import shutil

import pytest

pytestmark = pytest.mark.slow

PAGE = "contributing/"  # a short page


@pytest.fixture(scope="module")
def site_copy(built_site, tmp_path_factory):
    return shutil.copytree(built_site, tmp_path_factory.mktemp("planted") / "site")


@pytest.fixture
def plant(site_copy, serve_folder, page_opener):
    """``plant(html)`` adds ``html`` to the end of PAGE's article and opens it; restored after."""
    page = site_copy / PAGE / "index.html"
    original = page.read_text()
    with serve_folder(site_copy) as url:
        open_page = page_opener(url)

        def plant(html: str, **options):
            page.write_text(original.replace("</article>", html + "</article>", 1))
            return open_page(PAGE, **options)

        yield plant
    page.write_text(original)


def test_a_script_from_another_host_is_blocked_and_reported(plant):
    page = plant('<script src="https://cdn.example.com/planted.js"></script>')
    assert (
        "request to another host: https://cdn.example.com/planted.js" in page.problems()
    )


def test_a_console_error_and_an_uncaught_exception_are_reported(plant):
    page = plant(
        "<script>console.error('planted complaint'); null.planted;</script>",
        wait_until="networkidle",
    )
    problems = "\n".join(page.problems())
    assert "console error: planted complaint" in problems
    assert "uncaught error:" in problems and "planted" in problems


def test_a_missing_file_is_reported(plant):
    page = plant('<img src="../assets/no-such-image.png" alt="planted">')
    page.wait_for_load_state("networkidle")
    assert any("HTTP 404" in p and "no-such-image.png" in p for p in page.problems())


def test_content_wider_than_a_phone_is_measured(plant):
    page = plant('<div style="width: 600px">planted</div>', viewport="phone")
    assert page.horizontal_overflow() > 0


def test_an_image_without_alt_text_is_an_axe_violation(plant):
    page = plant('<img src="../assets/images/favicon.png">')
    assert any(v.startswith("image-alt (critical)") for v in page.axe_violations())


def test_a_control_whose_focus_is_hidden_is_found(plant):
    page = plant(
        '<a href="#planted" id="planted" style="outline: none !important">planted</a>'
    )
    stops = {stop["name"]: stop for stop in page.tab_through()}
    planted = next(stop for name, stop in stops.items() if name.startswith("a#planted"))
    assert planted["indicator"] is None
