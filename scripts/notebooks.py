"""Write the site's notebooks into a folder, as the build makes them.

    python scripts/notebooks.py                 # into build/notebooks/
    python scripts/notebooks.py FOLDER          # into FOLDER: <name>.ipynb for each

Nothing needs this to build or test the site: the build makes every notebook from its source
(an example page, or notebooks/<name>.md) with overrides/hooks/course_notebooks.py. It is for
looking at a notebook in Jupyter, and for the docs workflow, which publishes the notebooks on the
branch that the example pages' "Open in Colab" links name. A source the notebooks cannot be made
from is reported with its file and line, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from site_hooks import ROOT, hook, shared, site_config

DEFAULT_FOLDER = ROOT / "build" / "notebooks"


def write_notebooks(folder: Path, config=None) -> list[Path]:
    """Every notebook of the site, ``<name>.ipynb`` in ``folder``; the paths written."""
    made = hook("course_notebooks", config).site_notebooks(config or site_config())
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for source, text in made.items():
        path = folder / Path(source.uri).name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    args = parser.parse_args(argv)
    if args.folder.resolve().is_relative_to(ROOT / "docs"):
        print(
            f"{args.folder}: not under docs/, where the build makes them",
            file=sys.stderr,
        )
        return 2
    try:
        written = write_notebooks(args.folder)
    except shared("course_yaml").CourseDataError as error:
        print(error, file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
