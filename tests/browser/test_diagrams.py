"""Mermaid: the 3.5 MB library is loaded only by pages with a diagram, and each diagram renders."""

import re

import pytest

pytestmark = pytest.mark.slow

DIAGRAM = 'class="mermaid"'
MERMAID_SCRIPT = re.compile(r'<script src="[^"]*assets/javascripts/mermaid\.min\.js">')
# Material draws each diagram into a closed shadow root, which no script can look into; open it,
# for this test only, so the rendered SVG can be found.
OPEN_SHADOW_ROOTS = """{
    const attach = Element.prototype.attachShadow;
    Element.prototype.attachShadow = function (init) {
        return attach.call(this, { ...init, mode: "open" });
    };
}"""


def pages_by_diagrams(site) -> dict[str, bool]:
    """Each page's path below the site's root, and whether its HTML holds a diagram."""
    return {
        html.relative_to(site).as_posix().removesuffix("index.html"): DIAGRAM
        in html.read_text()
        for html in sorted(site.rglob("*.html"))
    }


def test_only_pages_with_a_diagram_load_mermaid(built_site):
    pages = pages_by_diagrams(built_site)
    assert any(pages.values()) and not all(pages.values()), pages
    wrong = []
    for path, has_diagram in pages.items():
        html = built_site / (path if path.endswith(".html") else path + "index.html")
        loads = len(MERMAID_SCRIPT.findall(html.read_text()))
        if loads != has_diagram:
            wrong.append(
                f"/{path}: diagram {has_diagram}, loads mermaid.min.js {loads}x"
            )
    assert not wrong, "\n".join(wrong)
    assert (built_site / "assets" / "javascripts" / "mermaid.min.js").is_file()


def test_every_diagram_renders_as_svg(built_site, open_page):
    for path, has_diagram in pages_by_diagrams(built_site).items():
        if not has_diagram:
            continue
        page = open_page(path, init_script=OPEN_SHADOW_ROOTS)
        diagrams = page.locator(".mermaid")
        count = diagrams.count()
        page.wait_for_function(
            """n => [...document.querySelectorAll(".mermaid")]
                .filter(e => e.shadowRoot && e.shadowRoot.querySelector("svg")).length === n""",
            arg=count,
        )
        widths = diagrams.evaluate_all(
            "hosts => hosts.map(e => e.shadowRoot.querySelector('svg').getBoundingClientRect().width)"
        )
        assert count and all(width > 0 for width in widths), f"/{path}: {widths}"
        page.assert_no_problems()  # among them: no request for Mermaid to unpkg.com
