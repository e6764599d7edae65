"""Math on the pages: LaTeX becomes MathML when the site is built (overrides/hooks/course_math.py).

The converter writes the expected MathML, a formula it cannot convert stops the build with the
page and the line, the built GRPO page shows no raw LaTeX, and the lesson stays free of formulas.
"""

import html
import re
import xml.etree.ElementTree as ElementTree

import pytest
from support.content import hook, page_source
from support.site_build import copy_sources, mkdocs_build

MATHML = "{http://www.w3.org/1998/Math/MathML}"
ADVANTAGE = r"A_i = \frac{r_i - \operatorname{mean}(r)}{\operatorname{std}(r)}"
GRPO_PAGE = "docs/examples/grpo.md"


def math_hook():
    return hook("course_math")


def tags(mathml: str) -> list[str]:
    return [e.tag.removeprefix(MATHML) for e in ElementTree.fromstring(mathml).iter()]


def test_a_formula_becomes_mathml_with_its_fraction_and_subscripts():
    mathml = math_hook().to_mathml(ADVANTAGE, display=True)
    root = ElementTree.fromstring(mathml)
    assert root.tag == f"{MATHML}math"
    assert root.get("display") == "block"
    found = tags(mathml)
    assert found.count("mfrac") == 1
    assert found.count("msub") == 2  # A_i and r_i
    fraction = root.find(f".//{MATHML}mfrac")
    numerator, denominator = list(fraction)
    assert "mean" in "".join(numerator.itertext())
    assert "std" in "".join(denominator.itertext())
    assert "\\" not in "".join(root.itertext())


def test_inline_math_is_not_a_block():
    root = ElementTree.fromstring(math_hook().to_mathml(r"\pi_\theta"))
    assert root.get("display") == "inline"
    subscript = root.find(f".//{MATHML}msub")
    assert [e.text for e in subscript] == ["\u03c0", "\u03b8"]


@pytest.mark.parametrize(
    ("latex", "complaint"),
    [
        (r"\frac{1}{", "unbalanced braces"),
        (r"\frac{1}{2}}", "unbalanced braces"),
        (r"x^", "MissingSuperScriptOrSubscriptError"),
        (r"\left( x", "ExtraLeftOrMissingRightError"),
        # latex2mathml passes these through as text; the hook must not.
        (r"\mathbf{r} \foo", r"unknown command \foo"),
        (r"a & b", "malformed MathML"),
        ("  ", "empty formula"),
    ],
)
def test_a_formula_that_does_not_convert_whole_is_refused(latex, complaint):
    with pytest.raises(math_hook().MathError, match=re.escape(complaint)):
        math_hook().to_mathml(latex)


def test_the_page_html_gets_mathml_in_place_of_what_arithmatex_found():
    content = (
        '<p>Inline <span class="arithmatex">\\(x_1\\)</span> here.</p>\n'
        '<div class="arithmatex">\\[\n\\frac{1}{G} &lt; 1\n\\]</div>'
    )
    source = "Inline $x_1$ here.\n\n$$\n\\frac{1}{G} < 1\n$$\n"
    rendered = math_hook().render_math(content, source, "docs/page.md")
    assert "\\(" not in rendered and "\\[" not in rendered
    inline, block = re.findall(r"<math\b.*?</math>", rendered, flags=re.S)
    assert 'display="inline"' in inline and "<msub>" in inline
    assert 'display="block"' in block and "<mfrac>" in block
    assert "<mo>&#x0003C;</mo>" in block  # the escaped < reached latex2mathml as <
    assert rendered.startswith("<p>Inline <math ")  # the inline wrapper is gone
    assert '<div class="arithmatex"><math ' in rendered  # Material styles this div


def test_every_formula_that_fails_is_named_with_its_own_line():
    source = "Intro.\n\nInline $\\bad$ here, $x$.\n\n$$\nx^\n$$\n\nAgain $\\bad$.\n"
    content = (
        '<p>Inline <span class="arithmatex">\\(\\bad\\)</span> here, '
        '<span class="arithmatex">\\(x\\)</span>.</p>\n'
        '<div class="arithmatex">\\[\nx^\n\\]</div>\n'
        '<p>Again <span class="arithmatex">\\(\\bad\\)</span>.</p>'
    )
    module = math_hook()
    with pytest.raises(module.CourseDataError) as caught:
        module.render_math(content, source, "docs/page.md")
    assert str(caught.value).splitlines() == [
        "docs/page.md:3: cannot convert \\(\\bad\\) to MathML: unknown command \\bad",
        "docs/page.md:6: cannot convert \\[ x^ \\] to MathML: latex2mathml: "
        "MissingSuperScriptOrSubscriptError",
        # The same formula again: found after the first, on its own line.
        "docs/page.md:9: cannot convert \\(\\bad\\) to MathML: unknown command \\bad",
    ]


def test_a_formula_that_does_not_convert_fails_the_build_with_page_and_line(tmp_path):
    copy_sources(tmp_path)
    page = tmp_path / GRPO_PAGE
    text = page.read_text()
    # A formula that converts, then one that does not: only the second is named.
    planted = "\n\nFine: $A_i$.\n\n$$\n\\frac{1}{G} \\nosuchcommand\n$$\n"
    page.write_text(text + planted)
    bad_line = text.count("\n") + planted.count("\n", 0, planted.index("\\frac")) + 1

    result = mkdocs_build(tmp_path / "mkdocs.yml", tmp_path / "site", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert f"{GRPO_PAGE}:{bad_line}: cannot convert" in output, output
    assert "unknown command \\nosuchcommand" in output, output
    assert output.count("cannot convert") == 1, output


def raw_latex(page_html: str) -> list[str]:
    """TeX left in a page's text outside code and MathML: dollars, \\( \\[ and commands."""
    text = re.sub(r"<(pre|code|script|style|math)\b.*?</\1>", "", page_html, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.findall(r"\$|\\[()\[\]]|\\[A-Za-z]+", text)


def test_raw_latex_is_found_in_text_but_not_in_code():
    assert raw_latex(r"<p>so \(x\) and $y$ and \frac{1}{2}</p>") == [
        "\\(",
        "\\)",
        "$",
        "$",
        "\\frac",
    ]
    assert (
        raw_latex(r"<pre><code>$HOME \frac</code></pre><p><code>\boxed{}</code></p>")
        == []
    )


@pytest.mark.slow
def test_the_built_grpo_page_shows_mathml_and_no_raw_latex(built_site):
    page = (built_site / "examples" / "grpo" / "index.html").read_text()
    assert raw_latex(page) == []
    assert 'class="arithmatex">\\' not in page  # nothing arithmatex found was left
    formulas = re.findall(r"<math\b.*?</math>", page, flags=re.S)
    blocks = [f for f in formulas if 'display="block"' in f]
    # The advantage, the ratio, the clipped surrogate, the KL estimator, the objective.
    assert len(blocks) == 5, len(blocks)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", b)) for b in blocks)
    for word in ("mean", "std", "clip", "min", "log", "GRPO"):
        assert word in words, word
    assert all("<mfrac>" in b for b in blocks[:2] + blocks[3:])
    assert len(formulas) > len(
        blocks
    )  # the inline symbols that name the code's variables


def test_the_lesson_has_no_math():
    source = page_source("lesson.md")
    prose = re.sub(r"^(`{3,}).*?^\1\s*$", "", source, flags=re.M | re.S)
    prose = re.sub(r"`[^`\n]+`", "", prose)
    assert re.findall(r"\$|\\[()\[\]]|\\begin\{", prose) == []


@pytest.mark.slow
def test_the_built_lesson_has_no_math(built_site):
    page = (built_site / "lesson" / "index.html").read_text()
    assert "<math" not in page and 'class="arithmatex"' not in page
