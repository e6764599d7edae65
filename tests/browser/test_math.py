"""The GRPO page's formulas, as chromium lays out the MathML the build wrote (no script renders them).

axe-core runs on this page in both palettes with every other page, in test_accessibility.py.
"""

import pytest

pytestmark = pytest.mark.slow

GRPO = "examples/grpo/"
# The advantage, the ratio, the clipped surrogate, the KL estimator, the objective.
DISPLAY_FORMULAS = 5

# Each <math>: its laid-out size, its colour and the colour of the text around it, and (for
# display math) whether its container scrolls sideways.
MEASURE = """() => [...document.querySelectorAll("article math")].map(math => {
    const box = math.getBoundingClientRect();
    const container = math.closest("p, li, div");
    return {
        source: math.textContent.replace(/\\s+/g, " ").slice(0, 40),
        display: math.getAttribute("display"),
        width: box.width,
        height: box.height,
        colour: getComputedStyle(math).color,
        text: getComputedStyle(container).color,
        background: getComputedStyle(document.body).backgroundColor,
        scrolls: container.scrollWidth > container.clientWidth,
    };
})"""


def rgba(css: str) -> tuple[float, ...]:
    parts = css[css.index("(") + 1 : -1].replace("/", ",").split(",")
    values = [float(p) for p in parts]
    return tuple(values + [1.0] * (4 - len(values)))


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of a possibly translucent colour over an opaque background."""
    *fg, alpha = rgba(foreground)
    bg = rgba(background)[:3]
    shown = [alpha * f + (1 - alpha) * b for f, b in zip(fg, bg, strict=True)]

    def luminance(rgb):
        linear = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (v / 255 for v in rgb)
        ]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(shown), luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(21)
    assert contrast("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)") == pytest.approx(1)
    assert contrast("rgb(118, 118, 118)", "rgb(255, 255, 255)") == pytest.approx(
        4.54, abs=0.01
    )


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_every_formula_is_laid_out_and_none_scrolls_sideways(open_page, viewport):
    page = open_page(GRPO, viewport=viewport)
    formulas = page.evaluate(MEASURE)
    blocks = [f for f in formulas if f["display"] == "block"]
    assert len(blocks) == DISPLAY_FORMULAS, blocks
    assert len(formulas) > len(blocks)  # the inline symbols in the sentences
    empty = [f for f in formulas if not (f["width"] > 0 and f["height"] > 0)]
    assert not empty, empty
    # A display formula fits the column, even on a phone: a box that scrolled would need a
    # keyboard stop of its own.
    scrolling = [f["source"] for f in blocks if f["scrolls"]]
    assert not scrolling, scrolling
    assert page.horizontal_overflow() == 0
    page.assert_no_problems()


def test_formulas_take_the_text_colour_of_each_palette(open_page):
    colours = {}
    for color_scheme in ("light", "dark"):
        formulas = open_page(GRPO, color_scheme=color_scheme).evaluate(MEASURE)
        assert formulas
        mismatched = [f for f in formulas if f["colour"] != f["text"]]
        assert not mismatched, (color_scheme, mismatched)
        # WCAG AA for normal text, over the page's background.
        faint = [f for f in formulas if contrast(f["colour"], f["background"]) < 4.5]
        assert not faint, (color_scheme, faint)
        colours[color_scheme] = {f["colour"] for f in formulas}
    # The palette's colour, not one of the MathML's own: it follows the reader's scheme.
    assert colours["light"] != colours["dark"], colours
