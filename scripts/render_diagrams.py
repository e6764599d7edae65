"""Draw every Mermaid diagram of the site as an SVG, ahead of time, so that no page loads Mermaid.

    python scripts/render_diagrams.py           # draw the diagrams that have no SVG, drop orphans
    python scripts/render_diagrams.py --check   # list missing and orphaned SVGs, write nothing
    python scripts/render_diagrams.py --force   # draw every diagram again (after a Mermaid update)

Each ```` ```mermaid ```` fence of a page under docs/ (figures filled in, as the build fills them)
is drawn by the vendored Mermaid (scripts/vendor/mermaid.min.js) in Debian's Chromium, driven by
Playwright (the test extra; no browser download), and stored as docs/generated/diagrams/<key>.svg, the
key a hash of the fence's text. overrides/hooks/course_diagrams.py puts each SVG in place of its
fence when the site is built; an SVG no fence uses any more is deleted.

The SVG is cleaned for the page: Mermaid's stylesheet, unused markers and data attributes go
(extra.css colours the diagram with the palette's variables), and it gets ``role="img"``, a
``<title>`` and a ``<desc>``: Mermaid's ``accTitle:`` and ``accDescr:`` if the diagram has them,
otherwise a summary of its nodes and a sentence for each arrow. Labels are measured in Liberation
Sans, which has Arial's metrics; the site shows them in Arial or its metric twin.
"""

from __future__ import annotations

import html
import os
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import command_line
from site_hooks import hook, shared

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
MERMAID = ROOT / "scripts" / "vendor" / "mermaid.min.js"

# The build's own hooks, as MkDocs loads them (scripts/site_hooks.py): the same fences, the same
# figures and the same folder as the build.
_diagrams = hook("course_diagrams")
DIAGRAMS_DIR, Diagram, find_diagrams = (
    _diagrams.DIAGRAMS_DIR,
    _diagrams.Diagram,
    _diagrams.find_diagrams,
)
site_figures = hook("course_figures").site_figures
GENERATED_DIR = shared("course_yaml").GENERATED_DIR

SVG_NS = "http://www.w3.org/2000/svg"
FONT = "Liberation Sans"  # what Mermaid measures labels with: Arial's metrics
MERMAID_CONFIG = {
    "startOnLoad": False,
    "theme": "neutral",
    "securityLevel": "strict",
    "deterministicIds": True,
    "fontFamily": FONT,
    "htmlLabels": False,  # labels as SVG text, not HTML in a foreignObject
    "flowchart": {"htmlLabels": False, "padding": 16},
}
# Mermaid's own defaults for a node, kept in the file as presentation attributes so the SVG reads
# on its own (GitHub shows it); on the site, extra.css overrides them with the palette's colours.
FALLBACK = {
    "shape": {"fill": "#eee", "stroke": "#666"},
    "link": {"fill": "none", "stroke": "#666"},
}
DROPPED_ATTRIBUTES = ("data-points", "data-look", "data-et", "data-edge", "data-id")

ElementTree.register_namespace("", SVG_NS)


def mermaid_version(script: Path = MERMAID) -> str:
    versions = set(re.findall(r'version:"(\d+\.\d+\.\d+)"', script.read_text())) - {
        "0.0.0"
    }
    if len(versions) != 1:
        raise SystemExit(f"{script}: cannot tell the Mermaid version ({versions})")
    return versions.pop()


def drawn_by(svg: Path) -> str | None:
    """The Mermaid version a stored SVG records (``data-mermaid``)."""
    found = re.search(r'data-mermaid="([^"]+)"', svg.read_text(encoding="utf-8"))
    return found[1] if found else None


@dataclass
class Found:
    """A diagram's text and the places (``page:line``) that show it."""

    source: str
    places: list[str] = field(default_factory=list)


def site_diagrams(docs: Path = DOCS) -> dict[str, Found]:
    """Every diagram of the pages under ``docs``, by key, figures filled in as the build does."""
    config = SimpleNamespace(
        docs_dir=str(docs), config_file_path=str(docs.parent / "mkdocs.yml")
    )
    figures = site_figures(config)
    found: dict[str, Found] = {}
    for page in sorted(docs.rglob("*.md")):
        if (docs / GENERATED_DIR) in page.parents:
            continue
        shown_as = page.relative_to(docs.parent).as_posix()
        markdown = page.read_text(encoding="utf-8")
        if "mermaid" not in markdown:
            continue
        markdown = figures.substitute(markdown, shown_as)
        diagram: Diagram
        for diagram in find_diagrams(markdown):
            entry = found.setdefault(diagram.key, Found(diagram.source))
            entry.places.append(f"{shown_as}:{diagram.line}")
    return found


# --- the text alternative --------------------------------------------------------------------


def label_lines(label: str) -> list[str]:
    """A Mermaid label's lines as plain text: ``<br>`` splits, other tags go, entities decode."""
    text = re.sub(r"<br\s*/?>", "\n", label or "", flags=re.I)
    text = html.unescape(re.sub(r"<[^>]+>", "", text))
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# A label's second line that starts with one of these goes on from the first ("Sample a group /
# of G answers"); any other is a gloss on it ("Pre-training / next-token prediction on raw text").
CONTINUATIONS = {"of", "with", "from", "to", "and", "for", "in", "on", "by", "at"}


def head_and_gloss(lines: list[str]) -> tuple[str, str]:
    """A node's name (its first line and the lines that go on from it) and the rest of its label."""
    head = 1
    while head < len(lines) and lines[head].split()[0] in CONTINUATIONS:
        head += 1
    return " ".join(lines[:head]).rstrip(":,; "), " ".join(lines[head:])


def describe(parsed: dict) -> tuple[str, str]:
    """The title and the description of a diagram, from what Mermaid parsed of it.

    ``parsed`` holds ``type``, ``accTitle``, ``accDescr``, ``nodes`` (``id``, ``label``) and
    ``edges`` (``start``, ``end``, ``label``), in the source's order. Mermaid's ``accTitle:`` and
    ``accDescr:`` win; otherwise the title lists the nodes by name and the description gives a
    sentence for each arrow, a node's gloss in brackets where it is first named.
    """
    nodes = {
        node["id"]: head_and_gloss(label_lines(node["label"]) or [node["id"]])
        for node in parsed["nodes"]
    }
    kind = "Flowchart" if parsed["type"].startswith("flowchart") else "Diagram"
    title = " ".join(parsed["accTitle"].split()) or (
        f"{kind}: " + ", ".join(h for h, _ in nodes.values())
    )
    if parsed["accDescr"].strip():
        return title, " ".join(parsed["accDescr"].split())
    introduced: set[str] = set()

    def name(node: str) -> str:
        head, gloss = nodes.get(node, (node, ""))
        first = node not in introduced
        introduced.add(node)
        return f"{head} ({gloss})" if gloss and first else head

    sentences = []
    for edge in parsed["edges"]:
        sentence = f"{name(edge['start'])} leads to {name(edge['end'])}"
        label = " ".join(label_lines(edge["label"]))
        sentences.append(sentence + (f", labelled “{label}”." if label else "."))
    sentences += [f"{name(node)}." for node in nodes if node not in introduced]
    return title, " ".join(sentences)


# --- the SVG, cleaned ------------------------------------------------------------------------


def _tag(element: ElementTree.Element) -> str:
    return element.tag.rpartition("}")[2]


def clean_svg(svg: str, key: str, parsed: dict, version: str) -> str:
    """Mermaid's SVG made fit to inline: no stylesheet, ids unique to the diagram, a text alternative."""
    root = ElementTree.fromstring(svg)
    parents = {child: parent for parent in root.iter() for child in parent}
    used = set()
    for element in root.iter():
        for attribute in ("marker-start", "marker-end"):
            reference = re.fullmatch(r"url\(#(.+)\)", element.get(attribute, ""))
            if reference:
                used.add(reference[1])
    for element in list(root.iter()):
        tag = _tag(element)
        drop = tag in ("style", "defs", "linearGradient")
        drop |= tag == "marker" and element.get("id") not in used
        drop |= tag == "rect" and not element.get(
            "width"
        )  # an empty label's background
        drop |= tag == "text" and not "".join(element.itertext()).strip()
        if drop and element in parents:
            parents[element].remove(element)
    for element in root.iter():
        for attribute in DROPPED_ATTRIBUTES:
            element.attrib.pop(attribute, None)
        if element.get("style", "x").strip(" ;") == "":
            del element.attrib["style"]
        if element.get("id") and element.get("id") not in used and element is not root:
            del element.attrib["id"]
        classes = element.get("class", "").split()
        if "flowchart-link" in classes:
            element.attrib.update(FALLBACK["link"])
        elif "label-container" in classes or "basic" in classes:
            element.attrib.update(FALLBACK["shape"])
    # Groups left empty by the above.
    for element in reversed(list(root.iter())):
        if _tag(element) == "g" and len(element) == 0 and element in parents:
            parents[element].remove(element)

    title, description = describe(parsed)
    prefix = f"diagram-{key}"
    for attribute in ("aria-roledescription", "class"):
        root.attrib.pop(attribute, None)
    root.set("id", prefix)
    root.set("class", f"course-diagram__svg course-diagram__svg--{parsed['type']}")
    root.set("role", "img")
    root.set("aria-labelledby", f"{prefix}-title")
    root.set("aria-describedby", f"{prefix}-desc")
    root.set("data-mermaid", version)
    root.set("font-family", "Arial, 'Liberation Sans', Helvetica, sans-serif")
    root.set("font-size", "16")
    for tag, text in (("desc", description), ("title", title)):
        element = ElementTree.Element(f"{{{SVG_NS}}}{tag}", id=f"{prefix}-{tag}")
        element.text = text
        root.insert(0, element)
    return ElementTree.tostring(root, encoding="unicode") + "\n"


# --- drawing, in Chromium ----------------------------------------------------------------------

DRAW = """async ([key, text, config]) => {
    mermaid.initialize(config);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = db.getVertices ? db.getVertices() : new Map();
    const nodes = [...(vertices instanceof Map ? vertices.values() : Object.values(vertices))];
    const parsed = {
        type: diagram.type,
        accTitle: (db.getAccTitle && db.getAccTitle()) || "",
        accDescr: (db.getAccDescription && db.getAccDescription()) || "",
        nodes: nodes.map(node => ({id: node.id, label: node.text || ""})),
        edges: (db.getEdges ? db.getEdges() : []).map(
            edge => ({start: edge.start, end: edge.end, label: edge.text || ""})),
    };
    const {svg} = await mermaid.render(`diagram-${key}`, text);
    return {svg, parsed};
}"""


def draw(diagrams: dict[str, Found], chromium: str, version: str) -> dict[str, str]:
    """Each diagram's cleaned SVG, by key."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        sys.exit(
            'playwright is not installed: pip install -e ".[test]" (drawing the diagrams needs'
            " it; building the site does not)"
        )
    if not Path(chromium).is_file():
        sys.exit(
            f"no chromium at {chromium}: install Debian's chromium package or point"
            " COURSE_CHROMIUM (or --chromium) at a Chromium binary"
        )
    drawn = {}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox"]
        )
        page = browser.new_page()
        page.set_content("<!doctype html><html lang='en'><body></body></html>")
        page.add_script_tag(content=MERMAID.read_text())
        for key, found in diagrams.items():
            try:
                result = page.evaluate(DRAW, [key, found.source, MERMAID_CONFIG])
            except Error as error:
                message = str(error).splitlines()[0]
                sys.exit(
                    f"{found.places[0]}: Mermaid cannot draw this diagram: {message}"
                )
            drawn[key] = clean_svg(result["svg"], key, result["parsed"], version)
        browser.close()
    return drawn


@dataclass
class Survey:
    """The site's diagrams against the SVGs stored for them."""

    diagrams: dict[str, Found]
    stored: dict[str, Path]
    version: str  # of the vendored Mermaid
    stored_in: Path  # the folder of the SVGs

    @property
    def outdated(self) -> set[str]:
        """Stored SVGs drawn by another Mermaid than the vendored one."""
        return {k for k, path in self.stored.items() if drawn_by(path) != self.version}

    @property
    def missing(self) -> dict[str, Found]:
        """Diagrams with no SVG, or one drawn by another Mermaid."""
        return {
            key: found
            for key, found in self.diagrams.items()
            if key not in self.stored or key in self.outdated
        }

    @property
    def orphans(self) -> list[str]:
        """Stored SVGs that no diagram on any page uses."""
        return sorted(set(self.stored) - set(self.diagrams))

    def problems(self) -> list[str]:
        """One line per missing, outdated or orphaned SVG, each naming a page and line or a file."""
        shown = _shown(self.stored_in)
        lines = []
        for key, found in self.missing.items():
            why = (
                f"its SVG was drawn by Mermaid {drawn_by(self.stored[key])}, not {self.version}"
                if key in self.stored
                else "no SVG was drawn from this diagram's text"
            )
            lines.append(f"{found.places[0]}: {why} ({shown}/{key}.svg)")
        for key in self.orphans:
            lines.append(f"{shown}/{key}.svg: no diagram on any page uses it")
        return lines


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def survey(docs: Path = DOCS) -> Survey:
    """What :func:`main` would draw and delete for the pages and SVGs under ``docs``."""
    folder = docs / GENERATED_DIR / DIAGRAMS_DIR
    stored = {path.stem: path for path in sorted(folder.glob("*.svg"))}
    return Survey(site_diagrams(docs), stored, mermaid_version(), folder)


def main() -> None:
    parser = command_line.parser_for(__doc__)
    parser.add_argument(
        "--check", action="store_true", help="list what is missing, write nothing"
    )
    parser.add_argument("--force", action="store_true", help="draw every diagram again")
    parser.add_argument(
        "--chromium", default=os.environ.get("COURSE_CHROMIUM") or "/usr/bin/chromium"
    )
    args = parser.parse_args()

    found = survey()
    if args.check:
        problems = found.problems()
        for problem in problems:
            print(problem)
        if problems:
            sys.exit(
                f"run `python scripts/render_diagrams.py` ({len(problems)} to fix)"
            )
        print(f"{len(found.diagrams)} diagrams, each with its SVG, no orphan")
        return

    to_draw = found.diagrams if args.force else found.missing
    shown = _shown(found.stored_in)
    found.stored_in.mkdir(parents=True, exist_ok=True)
    for key, svg in draw(to_draw, args.chromium, found.version).items():
        (found.stored_in / f"{key}.svg").write_text(svg, encoding="utf-8")
        print(f"drew {shown}/{key}.svg for {', '.join(found.diagrams[key].places)}")
    for key in found.orphans:
        found.stored[key].unlink()
        print(f"deleted {shown}/{key}.svg: no diagram uses it")
    print(
        f"{len(found.diagrams)} diagrams, {len(to_draw)} drawn, {len(found.orphans)}"
        f" deleted (Mermaid {found.version})"
    )


if __name__ == "__main__":
    main()
