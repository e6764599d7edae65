"""The site's build hooks for scripts and tests, loaded the one way the build loads them.

MkDocs reads mkdocs.yml and imports each hook it lists under ``hooks:``, with the hooks' folder
on ``sys.path`` while it does, so that the hooks import the modules they share (course_yaml.py,
course_markdown.py) by their plain names. Scripts and tests take the very same modules from here:

    from site_hooks import hook, shared

    figures = hook("course_figures")  # the module MkDocs loaded for mkdocs.yml
    markdown = shared("course_markdown")  # the copy the hooks themselves import

A script run as ``python scripts/x.py`` finds this module beside it; the tests find it through
pytest's ``pythonpath`` (pyproject.toml). Importing a hook by putting its folder on ``sys.path``
would make another copy of it, whose classes (``CourseDataError``...) are not the build's.
"""

from __future__ import annotations

import importlib
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
CONFIG_FILE = ROOT / "mkdocs.yml"
HOOKS_DIR = ROOT / "overrides" / "hooks"


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
    """A module the hooks share (not a hook: mkdocs.yml does not list it), as they import it:
    by its plain name, with their folder on ``sys.path`` only while it is imported."""
    if name not in sys.modules:
        sys.path.insert(0, str(HOOKS_DIR))
        try:
            importlib.import_module(name)
        finally:
            sys.path.remove(str(HOOKS_DIR))
    return sys.modules[name]
