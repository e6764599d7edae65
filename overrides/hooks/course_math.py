"""MkDocs hook: the LaTeX on a page becomes MathML when the site is built, so no script renders it.

``pymdownx.arithmatex`` in generic mode (mkdocs.yml) finds ``$...$`` and ``\\(...\\)`` (inline),
``$$...$$`` and ``\\[...\\]`` (display) outside code, and leaves each as
``<span class="arithmatex">\\(...\\)</span>`` or ``<div class="arithmatex">\\[...\\]</div>``. This
hook swaps each for the MathML that latex2mathml (pure Python) writes: browsers lay MathML out
themselves, it takes the text colour of the palette, and screen readers read it. The site loads
no MathJax or KaTeX.

A formula latex2mathml cannot convert stops the build, with the page and the line. So does one
it converts only in part: it passes an unknown command such as ``\\foo`` through as text, and
takes a stray brace or an ``&`` outside an environment it knows as a symbol.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from html import unescape
from pathlib import Path

from course_yaml import CourseDataError
from latex2mathml.converter import convert
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# What arithmatex leaves in generic mode: no tags inside, the TeX HTML-escaped.
ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S
)
WRAPS = {"span": (r"\(", r"\)"), "div": (r"\[", r"\]")}
UNCONVERTED_COMMAND = re.compile(r"\\[A-Za-z]+|\\.")


class MathError(ValueError):
    """A formula that latex2mathml cannot turn into MathML, whole."""


def _braces_balance(latex: str) -> bool:
    depth = 0
    for brace in re.sub(r"\\[\\{}]", "", latex):
        if brace in "{}":
            depth += 1 if brace == "{" else -1
            if depth < 0:
                return False
    return depth == 0


def to_mathml(latex: str, display: bool = False) -> str:
    """The MathML for ``latex``; ``display`` makes it a block (``display="block"``).

    Raises :class:`MathError` where the conversion fails or would show raw TeX.
    """
    if not latex.strip():
        raise MathError("empty formula")
    if not _braces_balance(latex):
        raise MathError("unbalanced braces")
    try:
        mathml = convert(latex, display="block" if display else "inline")
    # latex2mathml's errors (latex2mathml.exceptions) share no base class but Exception.
    except Exception as error:
        detail = f": {error}" if str(error) else ""
        raise MathError(f"latex2mathml: {type(error).__name__}{detail}") from None
    try:
        tree = ElementTree.fromstring(mathml)
    except ElementTree.ParseError:  # e.g. `&` outside an environment latex2mathml knows
        raise MathError(
            "latex2mathml wrote malformed MathML (an unsupported environment?)"
        ) from None
    for element in tree.iter():
        leftover = UNCONVERTED_COMMAND.search(element.text or "")
        if leftover:
            raise MathError(f"unknown command {leftover[0]}")
    return mathml


def _line_finder(source: str):
    """The line of the page's source each formula is on, asked in page order: a formula that
    occurs twice is found the second time after the first."""
    position = 0

    def line_of(latex: str, display: bool) -> int | None:
        nonlocal position
        if display:
            # The first line alone: in an admonition or a list the rest is indented.
            needles = [latex.strip().splitlines()[0].strip()] if latex.strip() else []
        else:  # with its delimiters, so that `$i$` is not found in a word
            needles = [f"${latex}$", f"\\({latex}\\)"]
        found = [(source.find(n, position), n) for n in needles]
        found = [(at, n) for at, n in found if at >= 0]
        if not found:
            return None  # e.g. from an included file
        at, needle = min(found)
        position = at + len(needle)
        return source.count("\n", 0, at) + 1

    return line_of


def render_math(content: str, source: str, shown_as: str) -> str:
    """Replace arithmatex's output in a page's HTML with MathML.

    ``source`` is the page's Markdown, to find each formula's line; ``shown_as`` names the page
    in errors. Every failing formula on the page is reported, each on its own line.
    """
    problems: list[str] = []
    line_of = _line_finder(source)

    def replace(match: re.Match) -> str:
        opening, closing = WRAPS[match["tag"]]
        tex = unescape(match["tex"]).strip()
        latex = tex.removeprefix(opening).removesuffix(closing)
        display = match["tag"] == "div"
        line = line_of(latex, display)  # asked for every formula, to keep the order
        try:
            mathml = to_mathml(latex, display)
        except MathError as error:
            where = f"{shown_as}:{line}" if line else f"{shown_as} (an included file)"
            shown = " ".join(tex.split())  # a display formula on one line
            problems.append(f"{where}: cannot convert {shown} to MathML: {error}")
            return match[0]
        # The div keeps Material's styles for display math (centred, scrolled on a phone).
        return f'<div class="arithmatex">{mathml}</div>' if display else mathml

    content = ARITHMATEX.sub(replace, content)
    if problems:
        raise CourseDataError("\n".join(problems))
    return content


def on_page_content(
    html: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    if "arithmatex" not in html:
        return html
    path = Path(page.file.abs_src_path)
    root = Path(config.config_file_path).parent
    shown_as = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return render_math(html, path.read_text(encoding="utf-8"), shown_as)
