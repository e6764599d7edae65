"""What the tiny models and the real model share in the cache: where it is, and a manifest of
SHA-256 digests, written when a model folder is built and checked each time the folder is used,
so that a damaged cache is named with its fix instead of loading wrong weights."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path


def cache_root(variable: str, folder: str) -> Path:
    """``$variable`` if set, else ``reasoning-course/<folder>`` in ``$XDG_CACHE_HOME`` or ``~/.cache``."""
    configured = os.environ.get(variable)
    if configured:
        return Path(configured).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(xdg) / "reasoning-course" / folder


def named(registry: dict, name: str, kind: str, error: type[Exception]):
    """``registry[name]``, or ``error`` naming the ``kind`` of model asked for and the known ones."""
    try:
        return registry[name]
    except KeyError:
        known = ", ".join(sorted(registry))
        raise error(f"no {kind} named {name!r}; known: {known}") from None


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digests(folder: Path) -> dict[str, str]:
    """The manifest's ``files``: each file's name and SHA-256, in name order."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def rebuild_hint(name: str) -> str:
    return (
        f"rebuild it with `course-models build {name} --force` (or delete the folder)"
    )


def verify(path: Path, manifest: str, error: type[Exception], build: str) -> dict:
    """Check a built model folder against its ``manifest`` file; return what the manifest
    holds, or raise ``error``. ``build`` is the command that makes a missing folder."""
    path = Path(path)
    manifest_path = path / manifest
    if not path.is_dir():
        raise error(f"{path}: no such model folder; build it with `{build}`")
    try:
        recorded = json.loads(manifest_path.read_text())
        name, files = recorded["name"], recorded["files"]
    except (OSError, ValueError, KeyError, TypeError) as problem:
        guess = path.name.split("-")[0]
        raise error(
            f"{manifest_path}: unreadable manifest ({problem}); {rebuild_hint(guess)}"
        ) from None
    for filename, expected in files.items():
        file = path / filename
        if not file.is_file():
            raise error(f"{file}: missing from the cache; {rebuild_hint(name)}")
        if sha256(file) != expected:
            raise error(
                f"{file}: contents do not match the manifest (a damaged cache); "
                f"{rebuild_hint(name)}"
            )
    return recorded
