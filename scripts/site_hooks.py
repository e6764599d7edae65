"""The site's build hooks for scripts and tests, loaded the one way the build loads them.

MkDocs reads mkdocs.yml and imports each hook it lists under ``hooks:``, with the hooks' folder
on ``sys.path`` while it does, so that the hooks import the modules they share (course_yaml.py,
course_markdown.py) by their plain names. Scripts and tests take the very same modules from here:

    from site_hooks import hook, shared

    figures = hook("course_figures")  # the module MkDocs loaded for mkdocs.yml
    markdown = shared("course_markdown")  # the copy the hooks themselves import

A script run as ``python scripts/x.py`` finds this module beside it; the tests find it through
pytest's ``pythonpath`` (pyproject.toml). Nothing here puts the hooks' folder on ``sys.path``:
importing a hook or a shared module a second way would make another copy of it, whose classes
(``CourseDataError``...) are not the build's.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"


@cache
def site_config(config_file: Path = CONFIG_FILE):
    """mkdocs.yml, loaded and validated by MkDocs itself, which imports the hooks it lists."""
    from mkdocs.config import load_config

    return load_config(str(config_file))


def hook_names(config=None) -> list[str]:
    """The hooks mkdocs.yml registers, in its order: ``["course_figures", ...]``."""
    return [Path(path).stem for path in (config or site_config())["hooks"]]


def hook(name: str, config=None) -> ModuleType:
    """``overrides/hooks/<name>.py`` as MkDocs loaded it for ``config`` (the site's by default)."""
    hooks = (config or site_config())["hooks"]
    for path, module in hooks.items():
        if Path(path).stem == name:
            return module
    names = ", ".join(Path(path).stem for path in hooks)
    raise KeyError(f"mkdocs.yml registers no hook {name!r} (its hooks: {names})")


def shared(name: str) -> ModuleType:
    """A module the hooks share (not a hook: mkdocs.yml does not list it): the very copy the
    hooks imported, by its plain name, while MkDocs loaded them for mkdocs.yml."""
    site_config()  # loading mkdocs.yml imports every hook, and what each one imports
    if name not in sys.modules:
        raise KeyError(f"no hook that mkdocs.yml registers imports {name!r}")
    return sys.modules[name]
