"""MkDocs hook: the notebook page keeps only the JupyterLab styles it uses.

mkdocs-jupyter writes JupyterLab's whole stylesheet into the page that shows a notebook, inline:
about 570 KB, which made that page the heaviest of the site to download, parse and lay out on a
phone (Lighthouse: "reduce unused CSS"). This hook drops, from that one large ``<style>``, every
rule whose selector names a class or id that appears nowhere else in the page (its HTML and its
scripts), then every custom property (``--jp-...``) that no kept rule reads. It is conservative:
a class inside ``:not(...)``, ``:is(...)`` or any other functional pseudo-class never removes a
selector, and at-rules other than ``@media`` and ``@supports`` are kept whole. Other pages and
the smaller style blocks are left as they are.
"""

from __future__ import annotations

import re

import tinycss2  # with nbconvert (bleach[css]), which mkdocs-jupyter needs
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
MARK = "jupyter-wrapper"  # the wrapper mkdocs-jupyter puts around a notebook and its styles
LARGE = 100_000  # characters: only JupyterLab's own stylesheet is this large
NAME = re.compile(r"[.#](-?[_a-zA-Z][\w-]*)")
FUNCTIONAL = re.compile(r":[\w-]+\([^()]*\)")
ATTRIBUTE = re.compile(r"\[[^\]]*\]")
CUSTOM_PROPERTY_USE = re.compile(r"var\(\s*(--[\w-]+)")


def _selectors(prelude: str) -> list[str]:
    """A selector list split at its top-level commas."""
    selectors, current, depth = [], [], 0
    for character in prelude:
        depth += character in "([" and 1 or (character in ")]" and -1 or 0)
        if character == "," and depth == 0:
            selectors.append("".join(current))
            current = []
        else:
            current.append(character)
    selectors.append("".join(current))
    return [s.strip() for s in selectors if s.strip()]


def _required_names(selector: str) -> list[str]:
    """The classes and ids an element must have for ``selector`` to match anything."""
    selector = ATTRIBUTE.sub("", selector)
    while FUNCTIONAL.search(selector):
        selector = FUNCTIONAL.sub("", selector)
    return NAME.findall(selector)


def _kept_rules(rules: list, names: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = [
                s
                for s in _selectors(tinycss2.serialize(rule.prelude))
                if all(name in names for name in _required_names(s))
            ]
            if selectors:
                declarations = tinycss2.parse_declaration_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                kept.append((", ".join(selectors), declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports"):
            if rule.content is not None:
                inner = tinycss2.parse_rule_list(
                    rule.content, skip_comments=True, skip_whitespace=True
                )
                nested = _kept_rules(inner, names)
                if nested:
                    kept.append(
                        (
                            f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}",
                            nested,
                        )
                    )
        elif rule.type == "at-rule":
            kept.append((None, tinycss2.serialize([rule])))
    return kept


def _declaration(declaration) -> str:
    important = " !important" if declaration.important else ""
    return (
        f"{declaration.name}:{tinycss2.serialize(declaration.value).strip()}{important}"
    )


def _serialize(kept: list, used_properties: set[str] | None) -> str:
    """The kept rules as CSS; custom properties outside ``used_properties`` left out (None: all)."""
    out = []
    for head, body in kept:
        if head is None:
            out.append(body)
        elif head.startswith("@"):
            out.append(f"{head}{{{_serialize(body, used_properties)}}}")
        else:
            declarations = [
                _declaration(d)
                for d in body
                if d.type == "declaration"
                and (
                    used_properties is None
                    or not d.name.startswith("--")
                    or d.name in used_properties
                )
            ]
            if declarations:
                out.append(f"{head}{{{';'.join(declarations)}}}")
    return "".join(out)


def prune_css(css: str, page_text: str, other_css: str = "") -> str:
    """``css`` without the rules that match nothing in ``page_text`` (the page's HTML and scripts)
    and the custom properties that neither it nor ``other_css`` (the page's other styles) reads."""
    names = set(re.findall(r"[\w-]+", page_text))
    read_elsewhere = set(CUSTOM_PROPERTY_USE.findall(page_text + other_css))
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    kept = _kept_rules(rules, names)
    used = None
    while True:  # a custom property may be read only by another one
        text = _serialize(kept, used)
        now = set(CUSTOM_PROPERTY_USE.findall(text)) | read_elsewhere
        if now == used:
            return text
        used = now


def slim_notebook_page(html: str) -> str:
    if MARK not in html:
        return html
    blocks = [m for m in STYLE.finditer(html) if len(m[2]) >= LARGE]
    if not blocks:
        return html
    rest = STYLE.sub("", html)  # the page without its styles: what the styles may match
    small = "".join(m[2] for m in STYLE.finditer(html) if len(m[2]) < LARGE)
    for block in reversed(blocks):
        pruned = prune_css(block[2], rest, small)
        html = html[: block.start(2)] + pruned + html[block.end(2) :]
    return html


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return slim_notebook_page(output)
