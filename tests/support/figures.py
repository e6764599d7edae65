"""How the browser tests measure the site's figures: the diagrams (overrides/hooks/course_diagrams.py)
and the plots (overrides/hooks/course_plots.py), drawn ahead of time as inline SVG.

``MEASURES`` maps each figure's class to the JavaScript function of ``figure`` that measures it
in the page: its size, its ``role``, its ``<title>`` and ``<desc>``, the palette shown, and the
contrast of every label and every line, box or bar against what is behind it. The sweep in
tests/browser/conftest.py (``page_visits``) runs them on every page, in both palettes, at a
desktop's and a phone's width; test_diagrams.py and test_plots.py assert on what they return.
``naming_faults`` checks what a screen reader is given for a figure.
"""

from support.contrast import FIGURE_COLOURS

# What every figure's measure starts with: ``svg``, its box, and ``facts`` (its role, size,
# <title> and <desc>, and the palette the page shows).
_SVG_FACTS = (
    FIGURE_COLOURS
    + """    const svg = figure.querySelector(":scope > svg");
    const box = svg.getBoundingClientRect();
    const facts = {
        role: svg.getAttribute("role"),
        width: box.width, height: box.height,
        scheme: document.body.getAttribute("data-md-color-scheme"),
        title: (svg.querySelector(":scope > title") || {}).textContent || "",
        desc: (svg.querySelector(":scope > desc") || {}).textContent || "",
    };
"""
)

# For each diagram: every label and line with the contrast it has against what is behind it
# (colours composited over the page's background) and whether each label lies inside its box.
DIAGRAM_MEASURE = (
    "figure => {\n"
    + _SVG_FACTS
    + """    const shapeOf = text => {
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
    return {...facts, labels, lines};
}"""
)

# For each plot: every line and bar, and every label, with its contrast against the page.
PLOT_MEASURE = (
    "figure => {\n"
    + _SVG_FACTS
    + """    const series = [...svg.querySelectorAll("[id*='-line-'] > path, [id*='-bar-'] > path")]
        .map(e => ({
            what: e.parentElement.id,
            contrast: ratio(over(paint(e, e.closest("[id*='-bar-']") ? "fill" : "stroke"), page), page),
        }));
    const labels = [...svg.querySelectorAll("text")].map(text => ({
        text: text.textContent.trim(),
        contrast: ratio(over(paint(text, "fill"), page), page),
    }));
    return {...facts, series, labels};
}"""
)

MEASURES = {"course-diagram": DIAGRAM_MEASURE, "course-plot": PLOT_MEASURE}


def naming_faults(where: str, measured: dict, exposed: dict) -> list[str]:
    """What keeps a figure from being one named image to a screen reader: its SVG must have
    role ``img`` (which Chromium's accessibility tree calls ``image``), the <title> as its
    accessible name and the <desc> as its description. ``measured``: from ``MEASURES``;
    ``exposed``: the SVG's node in Chromium's accessibility tree (see ``page_visits``)."""
    faults = []
    if measured["role"] != "img" or exposed["role"] != "image":
        faults.append(
            f"{where}: role {measured['role']!r}, exposed as {exposed['role']!r}"
        )
    if not (measured["title"].strip() and measured["desc"].strip()):
        faults.append(f"{where}: no <title> or no <desc>")
    if exposed["name"].split() != measured["title"].split():
        faults.append(f"{where}: named {exposed['name']!r}, not its <title>")
    if exposed["description"].split() != measured["desc"].split():
        faults.append(
            f"{where}: described as {exposed['description']!r}, not its <desc>"
        )
    return faults
