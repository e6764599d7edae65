"""MkDocs hook: ``{{ group.name }}`` in a page is replaced by its value in docs/data/figures.yml.

A number is written once, and every page (and flashcard: see course_flashcards.py) that shows it
agrees. ``{{ deck.cards }}`` is counted, not typed: the number of cards in flashcards.yml. The
group ``spread`` comes from docs/generated/runs.yml, which scripts/record.py writes: for each
result it measured over several seeds, ``{{ spread.<result>_seed0 }}`` (the default seed's value,
the one a run of the snippet prints), ``_median``, ``_min``, ``_max`` and ``_n`` (how many seeds).
``{{ trl.version }}``, ``{{ transformers.version }}`` and ``{{ torch.version }}`` are read, not
typed: the major and minor version of the libraries the recorded runs were measured with (the
file's ``measured_on``), the ones every figure from them holds for. A placeholder that names no
figure stops the build with the page and line.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from pathlib import Path

from course_yaml import GENERATED_DIR, CourseDataError, data_file, fail, load_yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

# A backslash before the braces, \{{ r1.aime }}, shows the placeholder itself instead of a number.
FIGURE = re.compile(r"(?<!\\)\{\{\s*([a-z][a-z0-9_]*\.[a-z][a-z0-9_]*)\s*\}\}")
ESCAPED = re.compile(r"\\(?=\{\{)")
# Anything that looks like a placeholder but is not a valid one, e.g. {{ r1 }} or {{ R1.Aime }}.
# Mermaid's hexagon shape {{text}} has no spaces or dots inside, so it is left alone.
ALMOST_FIGURE = re.compile(r"(?<!\\)(?:\{\{\s+[^}]*\}\}|\{\{[^}\s]*\.[^}\s]*\}\})")


@dataclass
class Figures:
    values: dict[str, str]  # "r1.aime" -> "79.8%"
    source: str  # how the file is named in messages

    def substitute(self, text: str, where: str, first_line: int = 1) -> str:
        """Replace every placeholder in ``text``; ``where`` and ``first_line`` locate errors."""
        problems = []
        for match in ALMOST_FIGURE.finditer(text):
            if not FIGURE.fullmatch(match.group()):
                line = first_line + text.count("\n", 0, match.start())
                problems.append(
                    f"{where}:{line}: {match.group()!r} is not a figure placeholder;"
                    " write {{ group.name }} with a name from " + self.source
                )
        for match in FIGURE.finditer(text):
            if match.group(1) not in self.values:
                line = first_line + text.count("\n", 0, match.start())
                problems.append(
                    f"{where}:{line}: unknown figure {match.group(1)!r};"
                    f" the names are in {self.source}"
                )
        fail(problems)
        return ESCAPED.sub("", FIGURE.sub(lambda m: self.values[m.group(1)], text))


# The figures that name a library's version, read from the recorded runs' `measured_on`.
VERSIONS = ("trl", "transformers", "torch")


def major_minor(version: str) -> str:
    """``"1.16"`` for trl 1.16.0, ``"2.13"`` for torch 2.13.0+cpu."""
    return ".".join(re.findall(r"\d+", version)[:2])


def load_figures(path: Path, shown_as: str) -> Figures:
    data = load_yaml(path, shown_as)
    if not isinstance(data, dict):
        raise CourseDataError(f"{shown_as}:1: expected groups of figures")
    values, problems = {}, []
    for library in VERSIONS:
        if isinstance(data.get(library), dict) and "version" in data[library]:
            problems.append(
                f"{shown_as}:{data[library].line_of('version')}: {library}.version is read"
                " from docs/generated/runs.yml, the version the recorded runs were measured"
                " with; remove it from the file"
            )
    for group, entries in data.items():
        if not isinstance(entries, dict) or "source" not in entries:
            line = data.line_of(group)
            problems.append(
                f"{shown_as}:{line}: group {group!r} needs a mapping with a `source`"
            )
            continue
        for name, value in entries.items():
            if not isinstance(value, (str, int, float)) or isinstance(value, bool):
                problems.append(
                    f"{shown_as}:{entries.line_of(name)}: {group}.{name} must be a"
                    " single value (quote it if YAML reads it otherwise)"
                )
                continue
            values[f"{group}.{name}"] = str(value)
    fail(problems)
    return Figures(values, shown_as)


SPREAD_GROUP = "spread"
SPREAD_FILE = "runs.yml"
NAME = re.compile(r"[a-z][a-z0-9_]*")


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def spread_problems(data: object, shown_as: str) -> list[str]:
    """What is wrong with runs.yml's data, each as ``path:line: message``.

    The median, min and max must be those of the values; every value needs its seed, and seed 0
    (the default, whose value the pages quote beside the spread) must be among them.
    """
    if not isinstance(data, dict) or not isinstance(data.get("results"), dict):
        return [f"{shown_as}:1: expected a mapping `results` of measured results"]
    runs, results = data.get("runs"), data["results"]
    problems = []
    for name, entry in results.items():
        where = f"{shown_as}:{results.line_of(name)}: result {name!r}"
        if not isinstance(name, str) or not NAME.fullmatch(name):
            problems.append(f"{where}: a name is lower case letters, digits and _")
            continue
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a mapping")
            continue
        missing = [
            key
            for key in ("run", "format", "seeds", "values", "n", "median", "min", "max")
            if key not in entry
        ]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue

        def at(key: str, entry=entry, name=name) -> str:
            return f"{shown_as}:{entry.line_of(key)}: result {name!r}, {key}"

        if not isinstance(runs, dict) or entry["run"] not in runs:
            problems.append(f"{at('run')}: {entry['run']!r} is not under `runs`")
        seeds, values = entry["seeds"], entry["values"]
        if not (
            isinstance(seeds, list)
            and all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)
            and len(set(seeds)) == len(seeds)
            and 0 in seeds
        ):
            problems.append(
                f"{at('seeds')}: expected distinct whole numbers, 0 among them"
            )
            continue
        if not (
            isinstance(values, list)
            and len(values) == len(seeds)
            and all(_number(v) and math.isfinite(v) for v in values)
        ):
            problems.append(
                f"{at('values')}: expected one number per seed ({len(seeds)})"
            )
            continue
        try:
            format(values[0], entry["format"])
        except (TypeError, ValueError):
            problems.append(f"{at('format')}: {entry['format']!r} is not a format spec")
        if entry["n"] != len(values):
            problems.append(
                f"{at('n')}: {entry['n']!r}, but there are {len(values)} values"
            )
        for key, computed in (
            ("median", statistics.median(values)),
            ("min", min(values)),
            ("max", max(values)),
        ):
            stored = entry[key]
            if not (_number(stored) and math.isclose(stored, computed, abs_tol=1e-9)):
                problems.append(
                    f"{at(key)}: {stored!r}, but the {key} of the values is {computed!r};"
                    " rerun `python scripts/record.py` rather than editing the file"
                )
    return problems


def load_spread(path: Path, shown_as: str) -> dict[str, str]:
    """``spread.<result>_seed0``, ``_median``, ``_min``, ``_max``, ``_n``: runs.yml as figures;
    and ``<library>.version``, the libraries the runs were measured with."""
    data = load_yaml(path, shown_as)
    fail(spread_problems(data, shown_as))
    values = {}
    for name, entry in data["results"].items():
        shown = {
            "seed0": entry["values"][entry["seeds"].index(0)],
            **{key: entry[key] for key in ("median", "min", "max")},
        }
        for key, value in shown.items():
            values[f"{SPREAD_GROUP}.{name}_{key}"] = format(value, entry["format"])
        values[f"{SPREAD_GROUP}.{name}_n"] = str(entry["n"])
    measured = data.get("measured_on")
    for library in VERSIONS:
        if isinstance(measured, dict) and isinstance(measured.get(library), str):
            values[f"{library}.version"] = major_minor(measured[library])
    return values


def site_figures(config: MkDocsConfig) -> Figures:
    """figures.yml, plus the figures counted from the other data files and the seed spread."""
    figures = load_figures(*data_file(config, "figures.yml"))
    path, shown_as = data_file(config, SPREAD_FILE, GENERATED_DIR)
    if any(name.startswith(f"{SPREAD_GROUP}.") for name in figures.values):
        raise CourseDataError(
            f"{figures.source}: the group {SPREAD_GROUP!r} is read from {shown_as}; rename it"
        )
    figures.values.update(load_spread(path, shown_as))
    # Counted here, checked by course_flashcards.py: its on_config stops a build whose cards are
    # not a list of cards before any page is filled in.
    deck = load_yaml(*data_file(config, "flashcards.yml"))
    if isinstance(deck, dict) and isinstance(deck.get("cards"), list):
        figures.values["deck.cards"] = str(len(deck["cards"]))
    return figures


# This build's figures, read by on_config (again on every rebuild).
_figures: Figures | None = None


def on_config(config: MkDocsConfig) -> None:
    global _figures
    _figures = site_figures(config)


# First: the text the other hooks insert (glossary, cards) is not the page's, and a card's figures
# are filled in by course_flashcards.py, with the card's own line for errors.
@event_priority(50)
def on_page_markdown(
    markdown: str, *, page: Page, config: MkDocsConfig, files: Files
) -> str:
    assert _figures is not None, "on_config runs first"
    return _figures.substitute(markdown, f"docs/{page.file.src_uri}")
