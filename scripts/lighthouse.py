"""Lighthouse scores of every page of the built site, mobile preset, served as GitHub Pages serves it.

    python scripts/lighthouse.py                     # build the site, score every page
    python scripts/lighthouse.py --site /tmp/site    # an already built site
    python scripts/lighthouse.py lesson/ ""          # some pages only (paths below the site's root)
    python scripts/lighthouse.py --runs 3            # the median of three runs a page

The site is served gzip-compressed by scripts/page_weight.py's handler. Lighthouse 12 comes from
the npm registry into build/lighthouse/ (``npm install lighthouse@12`` there on the first run,
never globally) and drives Debian's Chromium (``CHROME_PATH``, headless, no sandbox). Its default
preset is the mobile one: a phone's screen, a slow 4G network and a CPU four times slower, all
simulated.

One row a page: the four Lighthouse categories and the bytes transferred, the search index
(fetched in the background by the search box) left out, with the largest contentful paint, the
total blocking time and Lighthouse's benchmark index of the machine (CPU): the simulation scales
the main thread's measured work, so a slow or busy machine (an index well under 1000) scores
lower; compare runs from the same machine. The targets: performance 95 or more,
the other three 100, and at most 200 KB a page. A score below its target is marked with `!`.
This reports; no test enforces a time. The JSON reports are kept in build/lighthouse/reports/.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import command_line
from page_weight import ROOT, build, serve

LIGHTHOUSE_DIR = ROOT / "build" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
CLI = LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = LIGHTHOUSE_DIR / "reports"
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
BYTES_TARGET = 200 * 1024
LEFT_OUT = ("search/search_index.json",)  # fetched in the background by the search box


def install() -> Path:
    """Lighthouse 12 in build/lighthouse/, installed from the npm registry if it is not there."""
    if CLI.is_file():
        version = json.loads((CLI.parent.parent / "package.json").read_text())[
            "version"
        ]
        if version.split(".")[0] == LIGHTHOUSE_VERSION:
            return CLI
    npm = shutil.which("npm")
    if not npm:
        sys.exit(
            "npm is not installed: Lighthouse is installed with it (Node 18 or newer)"
        )
    LIGHTHOUSE_DIR.mkdir(parents=True, exist_ok=True)
    print(
        f"installing lighthouse@{LIGHTHOUSE_VERSION} into {LIGHTHOUSE_DIR}...",
        file=sys.stderr,
    )
    subprocess.run(
        [npm, "install", "--prefix", str(LIGHTHOUSE_DIR), "--no-audit", "--no-fund"]
        + [f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
        stdout=sys.stderr,
    )
    return CLI


def site_pages(site: Path) -> list[str]:
    """Every page of a built site, as a path below its root: ``""``, ``"lesson/"``, ``"404.html"``."""
    return [
        html.relative_to(site).as_posix().removesuffix("index.html")
        for html in sorted(site.rglob("*.html"))
    ]


def lighthouse(cli: Path, url: str, chromium: str, report: Path) -> dict:
    """One Lighthouse run; the report as a dict (also written to ``report``)."""
    result = subprocess.run(
        ["node", str(cli), url, "--output=json", f"--output-path={report}", "--quiet"]
        + [
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0 or not report.is_file():
        sys.exit(f"lighthouse failed on {url}:\n{result.stdout}{result.stderr}")
    return json.loads(report.read_text())


def summary(report: dict) -> dict:
    """The four scores (0 to 100), the bytes transferred (search index apart) and what was left out."""
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    counted = left_out = 0
    for request in report["audits"]["network-requests"]["details"]["items"]:
        path = urlsplit(request["url"]).path.lstrip("/")
        if path.endswith(LEFT_OUT):
            left_out += request.get("transferSize", 0)
        else:
            counted += request.get("transferSize", 0)
    metrics = report["audits"]
    return {
        **scores,
        "bytes": counted,
        "left_out": left_out,
        "lcp": metrics["largest-contentful-paint"]["numericValue"],
        "tbt": metrics["total-blocking-time"]["numericValue"],
        "cpu": report["environment"]["benchmarkIndex"],
    }


def misses(row: dict) -> list[str]:
    found = [c for c, target in TARGETS.items() if row[c] < target]
    return found + (["bytes"] if row["bytes"] > BYTES_TARGET else [])


def table(rows: dict[str, dict]) -> str:
    header = (
        f"{'page':<34} {'perf':>5} {'a11y':>5} {'b.p.':>5} {'seo':>5} {'KB':>7}"
        f" {'LCP s':>6} {'TBT ms':>7} {'CPU':>6}"
    )
    lines = [header, "-" * len(header)]
    for page, row in rows.items():
        missed = misses(row)

        def cell(name: str, text: str, width: int, missed=missed) -> str:
            return f"{text + ('!' if name in missed else ''):>{width}}"

        lines.append(
            f"{'/' + page:<34}"
            + "".join(" " + cell(c, str(row[c]), 5) for c in CATEGORIES)
            + " "
            + cell("bytes", f"{row['bytes'] / 1024:.0f}", 7)
            + f" {row['lcp'] / 1000:>6.1f} {row['tbt']:>7.0f} {row['cpu']:>6.0f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = command_line.parser_for(__doc__)
    parser.add_argument("pages", nargs="*", help="default: every page of the site")
    parser.add_argument("--site", type=Path, help="a built site (default: build one)")
    parser.add_argument(
        "--runs", type=int, default=1, help="runs a page; the median is shown"
    )
    parser.add_argument(
        "--chromium", default=os.environ.get("COURSE_CHROMIUM") or "/usr/bin/chromium"
    )
    args = parser.parse_args()
    if not Path(args.chromium).is_file():
        sys.exit(f"no chromium at {args.chromium}: install Debian's chromium package")

    cli = install()
    REPORTS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        site = args.site or build(Path(scratch))
        pages = args.pages or site_pages(site)
        for page in pages:
            if (
                not (site / page).is_file()
                and not (site / page / "index.html").is_file()
            ):
                sys.exit(f"no page /{page} in {site}")
        server, base = serve(site)
        rows = {}
        try:
            for page in pages:
                runs = []
                for run in range(args.runs):
                    name = (
                        page.strip("/").replace("/", "_") or "home"
                    ) + f".{run}.json"
                    print(f"lighthouse /{page} (run {run + 1})...", file=sys.stderr)
                    runs.append(
                        summary(
                            lighthouse(cli, base + page, args.chromium, REPORTS / name)
                        )
                    )
                # The run with the median performance score, whole (its other scores with it).
                median = statistics.median_low(r["performance"] for r in runs)
                rows[page] = next(r for r in runs if r["performance"] == median)
        finally:
            server.shutdown()
    print(table(rows))
    missed = {page: misses(row) for page, row in rows.items() if misses(row)}
    left_out = max(row["left_out"] for row in rows.values())
    print(
        f"\ntargets: performance >= {TARGETS['performance']}, accessibility, best practices and"
        f" SEO 100, <= {BYTES_TARGET // 1024} KB a page (search index apart, up to"
        f" {left_out / 1024:.0f} KB). Lighthouse {version(cli)}, mobile preset, gzip."
    )
    if missed:
        for page, what in missed.items():
            print(f"/{page} misses: {', '.join(what)}")
    else:
        print("every page meets every target")


def version(cli: Path) -> str:
    return json.loads((cli.parent.parent / "package.json").read_text())["version"]


if __name__ == "__main__":
    main()
