"""JavaScript for the browser tests that measure colour contrast, as WCAG 2.2 defines it.

``FIGURE_COLOURS`` is the body of a function of ``figure`` (an element on the page): it defines
``parse`` (a computed CSS colour to [r, g, b, a]), ``over`` (a colour composited over another),
``ratio`` (the contrast ratio of two opaque colours, to two decimals), ``paint`` (an element's
computed fill or stroke with its opacities) and ``page``, the first opaque background behind
``figure``. A test appends its own statements and a ``return``.
"""

FIGURE_COLOURS = """    const parse = value => {
        const m = /rgba?\\(([^)]+)\\)/.exec(value);
        if (!m) return null;  // "none"
        const [r, g, b, a = 1] = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
        return [r, g, b, a];
    };
    const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
    const luminance = c => c.slice(0, 3).map(v => v / 255)
        .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
        .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return Math.round((hi + 0.05) / (lo + 0.05) * 100) / 100;
    };
    const paint = (element, property) => {
        const style = getComputedStyle(element);
        const colour = parse(style[property]);
        if (!colour) return null;
        colour[3] *= parseFloat(style[property + "Opacity"] || "1") * parseFloat(style.opacity || "1");
        return colour;
    };
    let page = null;
    for (let e = figure; e && !page; e = e.parentElement) {
        const colour = parse(getComputedStyle(e).backgroundColor);
        if (colour && colour[3] > 0) page = colour;
    }
    page = page || [255, 255, 255, 1];
"""


def too_faint(items: list[dict], minimum: float, name) -> list[str]:
    """Each measured item (with its ``contrast``) under ``minimum``, as ``"NAME RATIO:1"``;
    ``name(item)`` says which it is."""
    return [
        f"{name(item)} {item['contrast']}:1"
        for item in items
        if item["contrast"] < minimum
    ]
