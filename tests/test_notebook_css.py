"""The notebook page keeps only the JupyterLab styles it uses (overrides/hooks/course_notebook_css.py)."""

from __future__ import annotations

import re

import pytest
from support.content import hook

PAGE = '<div class="jupyter-wrapper"><div class="jp-Cell jp-CodeCell">x</div></div>'


def prune(css: str, page: str = PAGE, other: str = "") -> str:
    return hook("course_notebook_css").prune_css(css, page, other)


def test_rules_for_classes_the_page_lacks_are_dropped():
    css = ".jp-Cell{color:red}.jp-Widget{color:blue}.jp-Cell,.jp-Slider{margin:0}"
    assert prune(css) == ".jp-Cell{color:red}.jp-Cell{margin:0}"


def test_classes_inside_functional_pseudo_classes_never_drop_a_rule():
    css = (
        ".jp-Cell:not(.jp-mod-active) p{color:red}.jp-CodeCell:is(.jp-Other, .x){top:0}"
    )
    assert prune(css) == css


def test_media_queries_are_pruned_inside_and_other_at_rules_kept():
    css = (
        "@media (max-width:600px){.jp-Cell{padding:0}.jp-Widget{padding:1px}}"
        "@media print{.jp-Widget{color:red}}@font-face{font-family:X;src:url(x.woff)}"
    )
    assert prune(css) == (
        "@media (max-width:600px){.jp-Cell{padding:0}}@font-face{font-family:X;src:url(x.woff)}"
    )


def test_custom_properties_stay_only_where_something_reads_them():
    css = (
        ".jupyter-wrapper{--jp-a:1px;--jp-b:var(--jp-c);--jp-c:red;--jp-unused:0;--jp-d:2px;"
        "--jp-e:3px}.jp-Cell{margin:var(--jp-a);color:var(--jp-b)!important}"
    )
    kept = prune(
        css, PAGE + '<p style="top:var(--jp-e)">', other=".y{left:var(--jp-d)}"
    )
    assert kept == (
        ".jupyter-wrapper{--jp-a:1px;--jp-b:var(--jp-c);--jp-c:red;--jp-d:2px;--jp-e:3px}"
        ".jp-Cell{margin:var(--jp-a);color:var(--jp-b) !important}"
    )


def test_only_the_notebook_pages_large_stylesheet_is_touched():
    slim = hook("course_notebook_css").slim_notebook_page
    other_page = "<style>" + ".unused{color:red}" * 10_000 + "</style><p>text</p>"
    assert slim(other_page) == other_page
    small = "<style>.unused{color:red}</style>" + PAGE
    assert slim(small) == small
    large = (
        "<style>" + ".jp-Cell{color:red}" + ".unused{x:y}" * 10_000 + "</style>" + PAGE
    )
    assert slim(large) == "<style>.jp-Cell{color:red}</style>" + PAGE


@pytest.mark.slow
def test_the_built_notebook_page_is_light(built_site):
    page = (built_site / "examples" / "r1-zero-on-a-laptop" / "index.html").read_text()
    styles = [len(s) for s in re.findall(r"<style[^>]*>(.*?)</style>", page, re.S)]
    assert max(styles) < 50_000, styles  # JupyterLab's whole stylesheet is about 570 KB
    # The cells keep their styles: the classes in the page keep their rules.
    assert 'class="jp-InputArea' in page and re.search(r"\.jp-InputArea[^{]*\{", page)
