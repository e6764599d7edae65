"""Browser fixtures: the built site served on 127.0.0.1, read by Debian's chromium through playwright.

Fixtures, for any test under tests/browser/ (all session-wide but ``open_page``):

``built_site``
    The folder of the session's strict build, notebooks executed (tests/conftest.py).
``site_pages``
    Every page of that build as a path below the site's root, found in its HTML files:
    ``""`` (the home page), ``"examples/grpo/"``, ``"404.html"``... A new page is tested
    without editing any list.
``site_url``
    ``"http://127.0.0.1:<port>/"``: the build served by a thread on a free port.
``browser``
    A headless chromium, launched from ``$COURSE_CHROMIUM`` (default ``/usr/bin/chromium``).
``open_page``
    ``open_page("flashcards/", viewport="phone", color_scheme="dark")`` loads a page (viewports:
    ``"desktop"`` 1280x900, the default, ``"phone"`` 375x812, or a pair) in a fresh browser
    context (its own storage, clipboard access granted, downloads accepted; ``init_script``:
    JavaScript to run before the page's own) and returns a
    ``SitePage``. It forwards every Playwright ``Page`` method (``click``, ``locator``,
    ``keyboard``, ``reload``, ``expect_download``...) and adds:

    * ``problems()``: what went wrong since it opened: console errors, uncaught exceptions,
      failed requests, HTTP errors, and requests to any other host (aborted, so the site
      is tested offline, and recorded, so such a request fails the test);
    * ``assert_no_problems()``;
    * ``axe_violations(include=None)``: axe-core's serious and critical violations on the page as
      it is now (``include``: CSS selectors, to audit only those parts); ``start_axe()`` starts
      the audit and returns at once, so that another page can be driven while it runs;
    * ``switch_palette("dark")``: clicks the header's palette toggle, as a reader does;
    * ``tab_through()``: each control that Tab reaches, with whether its focus is visible;
    * ``horizontal_overflow()``: how many pixels the page scrolls sideways (0 is good).

    Contexts are closed when the test ends. A flashcard test, for example::

        @pytest.mark.slow
        def test_a_card_flips_by_keyboard(open_page):
            page = open_page("flashcards/")
            page.keyboard.press("Space")
            ...
            page.reload()  # storage survives a reload: the context is the same
            page.assert_no_problems()

``serve_folder``, ``page_opener``
    To test another folder of HTML (a planted copy of the site, say):
    ``with serve_folder(folder) as url: page = page_opener(url)("some/page/")``;
    ``serve_folder(folder, handler_class)`` serves it with another request handler.
``screenshot_dir``
    Where screenshots go: ``$COURSE_SCREENSHOTS``, else ``build/screenshots`` (git-ignored);
    CI uploads it as an artifact.

These tests fail, with what to install, when playwright or chromium is missing: a CI machine
without a browser must not pass by skipping them. To skip them deliberately (a machine where
chromium cannot be installed), set ``COURSE_SKIP_BROWSER_TESTS=1``.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from support.browser import PALETTES, VIEWPORTS
from support.figures import MEASURES
from support.harness import ROOT

CHROMIUM_ENV = "COURSE_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
SKIP_ENV = "COURSE_SKIP_BROWSER_TESTS"
SCREENSHOTS_ENV = "COURSE_SCREENSHOTS"
# axe-core, vendored from npm with its licence; see vendor/README.md for the version.
AXE_SCRIPT = Path(__file__).parent / "vendor" / "axe.min.js"
# A WCAG 2.2 AA audit plus axe's best practices; only these impacts fail a test.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": [
            "wcag2a",
            "wcag2aa",
            "wcag21a",
            "wcag21aa",
            "wcag22aa",
            "best-practice",
        ],
    },
    "resultTypes": ["violations"],
}
FAILING_IMPACTS = ("serious", "critical")


def pytest_collection_modifyitems(config, items):
    if os.environ.get(SKIP_ENV) != "1":
        return
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason=f"browser tests skipped: {SKIP_ENV}=1")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def site_pages(built_site) -> list[str]:
    pages = []
    for html in sorted(built_site.rglob("*.html")):
        relative = html.relative_to(built_site).as_posix()
        pages.append(relative.removesuffix("index.html"))
    assert pages, f"no HTML page in {built_site}"
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(
        self, format, *args
    ):  # one line per request would drown pytest's output
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # a browser that drops a connection it no longer needs is not a fault of the site


@contextlib.contextmanager
def _serve(folder: Path, handler_class=_QuietHandler) -> Iterator[str]:
    """Serve ``folder`` on a free port; ``handler_class`` may answer differently (a 404 page)."""
    handler = functools.partial(handler_class, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)  # 0: a free port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def serve_folder():
    return _serve


@pytest.fixture(scope="session")
def site_url(built_site):
    with _serve(built_site) as url:
        yield url


@pytest.fixture(scope="session")
def playwright_driver():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            'playwright is not installed: pip install -e ".[test]" '
            f"(or set {SKIP_ENV}=1 to skip the browser tests deliberately)",
            pytrace=False,
        )
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright_driver):
    executable = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    if not Path(executable).is_file():
        pytest.fail(
            f"no chromium at {executable}: install Debian's chromium package "
            "(`sudo apt-get install chromium`, as .ci/run does) or point "
            f"{CHROMIUM_ENV} at a Chromium or Chrome binary "
            f"(or set {SKIP_ENV}=1 to skip the browser tests deliberately)",
            pytrace=False,
        )
    # --no-sandbox: CI containers and root users have no user namespace for chromium's sandbox.
    browser = playwright_driver.chromium.launch(
        executable_path=executable, headless=True, args=["--no-sandbox"]
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def screenshot_dir() -> Path:
    folder = Path(os.environ.get(SCREENSHOTS_ENV) or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class SitePage:
    """A Playwright page on the served site that records what went wrong; see the module docstring."""

    page: object  # playwright.sync_api.Page
    site_url: str
    _problems: list[str] = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.page, name)

    def goto(self, path: str, wait_until: str = "load"):
        return self.page.goto(self.site_url + path.lstrip("/"), wait_until=wait_until)

    def problems(self) -> list[str]:
        return list(self._problems)

    def assert_no_problems(self) -> None:
        assert not self._problems, f"{self.page.url}:\n  " + "\n  ".join(self._problems)

    def horizontal_overflow(self) -> int:
        return self.page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def start_axe(self, include: list[str] | None = None) -> None:
        """Start axe-core in the page and return at once; ``axe_violations()`` collects the result.

        The audit runs in the page's own renderer while the caller drives another context's
        page (the sweep, ``page_visits``, overlaps one page's audit with the previous one's Tab walk).
        ``include``: CSS selectors of the parts to audit (default: the whole document).
        """
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(content=AXE_SCRIPT.read_text())
        self.page.evaluate(
            """([options, include]) => {
                const context = include ? {include: include.map(selector => [selector])} : document;
                // After a timer, so that this call returns at once: axe.run does most of its
                // work before it returns its promise.
                window.__courseAxe = new Promise(resolve => setTimeout(resolve))
                    .then(() => axe.run(context, options))
                    .then(result => result.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        targets: v.nodes.map(n => n.target.join(" ")),
                    })));
            }""",
            [AXE_OPTIONS, include],
        )

    def axe_violations(self, include: list[str] | None = None) -> list[str]:
        """axe-core's serious and critical violations, one line per failing element: rule,
        impact, selector, help. Collects the audit ``start_axe()`` started, else runs one
        (``include`` as there)."""
        if not self.page.evaluate("'__courseAxe' in window"):
            self.start_axe(include)
        violations = self.page.evaluate(
            "() => window.__courseAxe.finally(() => { delete window.__courseAxe; })"
        )
        return [
            f"{v['id']} ({v['impact']}) at {target}: {v['help']}"
            for v in violations
            if v["impact"] in FAILING_IMPACTS
            for target in v["targets"]
        ]

    def switch_palette(self, color_scheme: str) -> None:
        """Click the header's palette toggle, as a reader does, to show ``color_scheme``."""
        wanted = PALETTES[color_scheme]
        if self.page.get_attribute("body", "data-md-color-scheme") != wanted:
            # The toggle's titles name the palettes by PALETTES' keys: "Switch to dark mode".
            self.page.locator(f'label[title="Switch to {color_scheme} mode"]').click()
        scheme = self.page.get_attribute("body", "data-md-color-scheme")
        assert scheme == wanted, f"{self.page.url}: palette {scheme}, not {wanted}"

    def tab_through(self, limit: int = 600) -> list[dict]:
        """Press Tab from the top of the page until focus leaves the page or comes back round.

        Returns, for each focused element: ``name`` (tag, id, classes and text, to find it),
        ``indicator`` (its focus outline or box shadow, or None when it has neither) and
        ``visible`` (whether it has a size on screen).
        """
        # Without transitions, a control that fades in on focus (the skip link, a heading's
        # permalink) is measured as it ends up, not mid-fade.
        self.page.add_style_tag(
            content="*, ::before, ::after { transition: none !important;"
            " animation: none !important; }"
        )
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        self.page.evaluate("window.scrollTo(0, 0)")
        stops = []
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            stop = self.page.evaluate(_DESCRIBE_FOCUS)
            if stop is None:  # focus left the document, or came back to an element seen
                break
            stops.append(stop)
        return stops


# Marks each focused element so that a second visit (Tab wrapping round) ends the walk. A radio
# button or checkbox hidden behind a label (Material's palette switch, content tabs) shows its
# focus on that label (its own, or the one right after it), so the label is what is checked.
_DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body || el.dataset.tabSeen) return null;
    el.dataset.tabSeen = "1";
    const size = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const hidden = e => !size(e) || getComputedStyle(e).opacity === "0";
    let shown = el, via = "";
    if (el.tagName === "INPUT" && hidden(el)) {
        const next = el.nextElementSibling;
        const labels = [...(el.labels || []), ...(next && next.tagName === "LABEL" ? [next] : [])];
        shown = labels.find(label => !hidden(label)) || el;
        via = shown === el ? "" : " (its label)";
    }
    const style = getComputedStyle(shown);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    const shadow = style.boxShadow && style.boxShadow !== "none";
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || "").trim();
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
        + [...el.classList].filter(c => c !== "focus-visible").map(c => "." + c).join("")
        + (text ? ` "${text.slice(0, 40).replace(/\\s+/g, " ")}"` : "") + via;
    return {
        name,
        indicator: outline ? `outline ${style.outlineStyle} ${style.outlineWidth}`
            : shadow ? `box-shadow ${style.boxShadow}` : null,
        visible: !hidden(shown),
    };
}"""


def _open(
    browser,
    base_url: str,
    path: str = "",
    *,
    viewport: str | tuple[int, int] = "desktop",
    color_scheme: str = "light",
    wait_until: str = "load",
    init_script: str | None = None,
):
    """A fresh context on ``base_url`` and a ``SitePage`` loaded with ``path``: (context, page)."""
    width, height = VIEWPORTS.get(viewport, viewport)
    context = browser.new_context(
        viewport={"width": width, "height": height},
        color_scheme=color_scheme,  # Material picks its palette from this at first
        accept_downloads=True,
    )
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/")
    )
    if init_script:  # runs in every page before the page's own scripts
        context.add_init_script(init_script)
    site = SitePage(context.new_page(), base_url)
    _record_problems(context, site)
    site.goto(path, wait_until=wait_until)
    return context, site


@pytest.fixture
def page_opener(browser):
    contexts = []

    def page_opener(base_url: str):
        def open_page(path: str = "", **options) -> SitePage:
            context, site = _open(browser, base_url, path, **options)
            contexts.append(context)
            return site

        return open_page

    yield page_opener
    for context in contexts:
        context.close()


@dataclass(frozen=True)
class PageVisit:
    """What one visit of one page in one palette found (see ``page_visits``)."""

    scheme: str  # the body's data-md-color-scheme once loaded
    axe: list[str]  # axe-core's serious and critical violations
    problems: list[str]  # SitePage.problems() at the end of the visit
    loaded: dict  # typeof window.mermaid, and every resource and script URL
    # {"desktop": ..., "phone": ...}: each is {figure class: [what support.figures.MEASURES
    # measured, one per figure in page order]}; a page without figures has empty lists.
    figures: dict
    # {figure class: [{"role", "name", "description"}, ...]}: each figure's SVG as Chromium's
    # accessibility tree exposes it to a screen reader.
    figure_names: dict
    tab_stops: list[dict] | None = None  # SitePage.tab_through(): light palette only
    phone_overflow: int | None = None  # px wider than a phone: light palette only


# In the page: what it loaded, to check that no page fetches or runs a script it should not.
_LOADED = """() => ({
    mermaid: typeof window.mermaid,
    urls: [...performance.getEntriesByType("resource").map(e => e.name),
           ...[...document.scripts].map(s => s.src).filter(Boolean)],
})"""

# Every figure measured, by class, in page order.
_MEASURE_FIGURES = (
    "() => ({"
    + ", ".join(
        f'"{kind}": [...document.querySelectorAll("figure.{kind}")].map({measure})'
        for kind, measure in MEASURES.items()
    )
    + "})"
)


def _figure_names(context, page) -> dict:
    """Each figure's SVG as Chromium's accessibility tree has it: role, name and description."""
    cdp = context.new_cdp_session(page.page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        names = {}
        for kind in MEASURES:
            found = cdp.send(
                "DOM.querySelectorAll",
                {"nodeId": root, "selector": f"figure.{kind} > svg"},
            )
            names[kind] = []
            for node_id in found["nodeIds"]:
                (node, *_) = cdp.send(
                    "Accessibility.getPartialAXTree",
                    {"nodeId": node_id, "fetchRelatives": False},
                )["nodes"]
                names[kind].append(
                    {
                        key: node.get(key, {}).get("value", "")
                        for key in ("role", "name", "description")
                    }
                )
        return names
    finally:
        cdp.detach()


class _Visit:
    """One page in one palette: begun (loaded, axe started in its renderer), finished later.

    ``page_visits`` begins the next visit before it finishes this one: one page loads and is
    audited by axe, in its own renderer, while the previous one is measured and walked by Tab.
    """

    def __init__(self, browser, site_url: str, path: str, color_scheme: str):
        self.key = (path, color_scheme)
        self.context, self.page = _open(
            browser,
            site_url,
            path,
            color_scheme=color_scheme,
            # Light: until the network is idle (the search index and anything late has
            # arrived or failed), for test_pages.py; dark: until the page has loaded.
            wait_until="networkidle" if color_scheme == "light" else "load",
        )
        self.page.start_axe()

    def finish(self) -> PageVisit:
        page, light = self.page, self.key[1] == "light"
        found = {
            "scheme": page.get_attribute("body", "data-md-color-scheme"),
            "axe": page.axe_violations(),
            "loaded": page.evaluate(_LOADED),
            "figures": {"desktop": page.evaluate(_MEASURE_FIGURES)},
            "figure_names": _figure_names(self.context, page),
        }
        if light:
            found["tab_stops"] = page.tab_through()
        if light or any(found["figures"]["desktop"].values()):
            width, height = VIEWPORTS["phone"]
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("() => new Promise(requestAnimationFrame)")  # laid out again
            found["figures"]["phone"] = page.evaluate(_MEASURE_FIGURES)
            if light:
                found["phone_overflow"] = page.horizontal_overflow()
        else:  # no figure to measure again
            found["figures"]["phone"] = found["figures"]["desktop"]
        self.context.close()
        return PageVisit(problems=page.problems(), **found)


@pytest.fixture(scope="session")
def page_visits(browser, site_url, site_pages) -> dict[tuple[str, str], PageVisit]:
    """Every page visited once per palette, each visit serving several tests.

    ``page_visits[(path, "light")]`` and ``[(path, "dark")]``. Each visit is one context at the
    desktop size: axe runs once, and every figure is measured (support/figures.py), then again
    once the window has shrunk to a phone's width. In the light palette the page is loaded
    until the network is idle, Tab walks every control, and the sideways overflow is measured
    at the phone's width.
    test_pages.py, test_accessibility.py, test_diagrams.py and test_plots.py read these visits
    rather than each loading every page again.
    """
    visits, previous = {}, None
    for path in site_pages:
        for color_scheme in PALETTES:
            current = _Visit(browser, site_url, path, color_scheme)
            if previous:
                visits[previous.key] = previous.finish()
            previous = current
    visits[previous.key] = previous.finish()
    return visits


@pytest.fixture
def open_page(page_opener, site_url):
    return page_opener(site_url)


def _record_problems(context, site: SitePage) -> None:
    ours = urlsplit(site.site_url).netloc
    blocked: set[str] = set()
    problems = site._problems

    def route(route):
        url = route.request.url
        if urlsplit(url).netloc == ours:
            route.continue_()
        else:  # never reach the network: record the request and refuse it
            blocked.add(url)
            problems.append(f"request to another host: {url}")
            route.abort()

    def failed(request):
        if request.url not in blocked:
            problems.append(f"failed request: {request.url} ({request.failure})")

    def response(response):
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def console(message):
        if message.type == "error":
            where = message.location.get("url", "")
            if where not in blocked:  # already recorded as a request to another host
                problems.append(f"console error: {message.text} ({where})")

    context.route("**/*", route)
    site.page.on("requestfailed", failed)
    site.page.on("response", response)
    site.page.on("console", console)
    site.page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))
