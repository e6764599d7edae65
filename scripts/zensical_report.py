"""Build the site with Zensical beside MkDocs and report what differs (the Zensical workflow).

    pip install zensical                  # beside the docs extra; never needed to build the site
    python scripts/zensical_report.py     # Markdown on stdout, and in $GITHUB_STEP_SUMMARY if set

Zensical, Material for MkDocs' successor, reads mkdocs.yml but runs no MkDocs hooks and no
plugin it has not reimplemented (docs/contributing.md lists what each of ours would need). The
script builds the site with MkDocs (strict, the notebooks made but not run), then with Zensical
from mkdocs.yml as it is; if Zensical cannot read the file, again from a copy with the known
adaptations (``ADAPTATIONS``), each named in the report. It compares the two sites: the pages
and files one has and the other lacks, and page by page what the hooks and plugins put there
(``FEATURES``). It exits 1 when the sites differ, 0 when they match.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "zensical"
ADAPTED = (
    ROOT / ".zensical-mkdocs.yml"
)  # beside mkdocs.yml: its paths are relative to it
# What Zensical cannot read in mkdocs.yml, and what stands in for it in the adapted copy.
ADAPTATIONS = {
    # pymdownx.snippets' base_path from the config's folder; Zensical knows no !relative tag
    # (it builds from the repository's root, so "." names the same folder).
    "base_path: !relative $config_dir": "base_path: .",
}
# Each theme's own scripts, styles and search index, named by their hashes: not the site's.
THEME_FILES = re.compile(
    r"^assets/(javascripts/(bundle|lunr/|workers/|LICENSE)|stylesheets/(main|palette|classic/|modern/))"
    r"|^search(/search_index)?\.json$"
)
# What a built page shows of each hook or plugin: a pattern counted in its HTML.
FEATURES = {
    "figures left as {{ placeholders }} (course_figures)": r"\{\{\s*[a-z]\w*\.[a-z]\w*\s*\}\}",
    "course markers left as they are": r"course:(?:quiz|flashcards|glossary|plot)\b",
    "glossary tooltips (course_glossary)": r"<abbr\b",
    "flashcards (course_flashcards)": r'class="flashcard"',
    "quiz questions (course_quizzes)": r'class="quiz-question"',
    "formulas as MathML (course_math)": r"<math\b",
    "diagrams as SVG (course_diagrams)": r'class="course-diagram"',
    "plots as SVG (course_plots)": r'class="course-plot"',
    "notebook links (course_notebooks)": r">Open in Colab<",
    '"Last update" (git-revision-date-localized)': r"git-revision-date-localized-plugin-date",
}


def files(site: Path) -> set[str]:
    """The site's files, the theme's own left out."""
    found = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    return {name for name in found if not THEME_FILES.match(name)}


def compare(mkdocs_site: Path, zensical_site: Path) -> list[str]:
    """The differences, as Markdown lines; none if the sites match in what is compared."""
    ours, theirs = files(mkdocs_site), files(zensical_site)
    lines = []
    for title, names in (
        ("Only in the MkDocs build", ours - theirs),
        ("Only in the Zensical build", theirs - ours),
    ):
        if names:
            lines += [f"**{title}** ({len(names)}):", ""]
            lines += [f"- `{name}`" for name in sorted(names)] + [""]
    rows = []
    for page in sorted(name for name in ours & theirs if name.endswith(".html")):
        html = [
            (site / page).read_text(encoding="utf-8")
            for site in (mkdocs_site, zensical_site)
        ]
        for feature, pattern in FEATURES.items():
            counts = [len(re.findall(pattern, text)) for text in html]
            if counts[0] != counts[1]:
                rows.append(f"| `{page}` | {feature} | {counts[0]} | {counts[1]} |")
    if rows:
        lines += [
            "| page | what the page shows | MkDocs | Zensical |",
            "|---|---|---|---|",
        ]
        lines += rows
    return lines


def run(command: list[str]) -> subprocess.CompletedProcess:
    print("$", " ".join(command), file=sys.stderr)
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )


def zensical_build(report: list[str]) -> Path | None:
    """Build with Zensical, adapting mkdocs.yml only if it must; the site, or None."""
    zensical = str(Path(sys.executable).with_name("zensical"))
    result = run([zensical, "build", "--clean", "--config-file", "mkdocs.yml"])
    if result.returncode == 0:
        report.append("Zensical built the site from mkdocs.yml as it is.")
        return ROOT / "site"
    report += ["Zensical could not build from mkdocs.yml as it is:", "", "```text"]
    report += [result.stderr.strip() or result.stdout.strip(), "```", ""]
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in ADAPTATIONS.items():
        if old in text:
            text = text.replace(old, new)
            report.append(f"- adapted for Zensical: `{old}` -> `{new}`")
    ADAPTED.write_text(text + "\nsite_dir: build/zensical/zensical\n", encoding="utf-8")
    try:
        result = run([zensical, "build", "--clean", "--config-file", ADAPTED.name])
    finally:
        ADAPTED.unlink()
    report.append("")
    if result.returncode != 0:
        report += ["Zensical failed on the adapted copy too:", "", "```text"]
        report += [result.stderr.strip() or result.stdout.strip(), "```"]
        return None
    return OUT / "zensical"


def main() -> int:
    report = ["## The site built with Zensical", ""]
    mkdocs_site = OUT / "mkdocs"
    result = run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(mkdocs_site)]
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 2  # the reference build itself is broken: the suite says why
    zensical_site = zensical_build(report)
    differences = (
        compare(mkdocs_site, zensical_site) if zensical_site else ["(no site)"]
    )
    report += differences or ["The two sites match in every respect compared."]
    text = "\n".join(report) + "\n"
    print(text)
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(text)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
