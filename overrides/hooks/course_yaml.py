"""Shared by the course's build hooks: the data files they read, and the error that stops the build.

Not a hook itself (mkdocs.yml does not list it). MkDocs puts a hook's folder on ``sys.path`` while
it imports the hook, so the hooks import this module, and each other, by their plain names. Such
an import is a second copy of a hook module, apart from the one MkDocs registered; that is why the
hooks share functions and classes, never state: each reads what it needs in its own ``on_config``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

# Under docs/, excluded from the site and read by the hooks: hand-written data in DATA_DIR,
# what scripts write (diagrams, plots, the recorded runs) in GENERATED_DIR, never by hand.
DATA_DIR = "data"
GENERATED_DIR = "generated"


class CourseDataError(PluginError):
    """A problem in a data file or a page, reported as ``path:line: message``."""


def fail(problems: list[str]) -> None:
    """Stop the build with every problem found, one a line."""
    if problems:
        raise CourseDataError("\n".join(problems))


def data_file(
    config: MkDocsConfig, name: str, folder: str = DATA_DIR
) -> tuple[Path, str]:
    """``docs/<folder>/<name>`` (``docs/data/`` unless named), and the path messages name it by
    (from the folder of mkdocs.yml)."""
    path = Path(config.docs_dir) / folder / name
    root = Path(config.config_file_path).parent
    return path, str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def edit_url(config: MkDocsConfig, path: Path) -> str | None:
    """Where the Edit button of a file under docs/ leads, built as MkDocs builds a page's
    (None without ``repo_url`` and ``edit_uri``): a card's or a question's own file."""
    if not (config.repo_url and config.edit_uri):
        return None
    relative = path.relative_to(config.docs_dir).as_posix()
    return (
        config.repo_url.rstrip("/") + "/" + config.edit_uri.strip("/") + "/" + relative
    )


class Located(dict):
    """A mapping from YAML that knows its own line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: object) -> int:
        return self.key_lines.get(key, self.line)


class _LocatingLoader(yaml.SafeLoader):
    pass


def _construct_located(loader: _LocatingLoader, node: yaml.MappingNode) -> Located:
    mapping = Located()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise yaml.MarkedYAMLError(
                problem=f"duplicate key {key!r}", problem_mark=key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


_LocatingLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located
)


def load_yaml(path: Path, shown_as: str) -> Any:
    """The file's data, every mapping a :class:`Located`; ``shown_as`` names the file in errors."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CourseDataError(f"{shown_as}: file not found") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise CourseDataError(
            f"{shown_as}:{line}: not UTF-8 text (byte 0x{raw[error.start]:02x} at offset"
            f" {error.start}); save the file as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=_LocatingLoader)  # noqa: S506
    except yaml.reader.ReaderError as error:  # a control character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        raise CourseDataError(
            f"{shown_as}:{line}: not valid YAML: control character U+{error.character:04X} is not allowed;"
            " remove it"
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise CourseDataError(
            f"{shown_as}:{line}: not valid YAML: {error.problem}"
        ) from None


def _file_order(error: ValidationError) -> list[tuple[int, int, str]]:
    # A path mixes list indices and keys, which do not compare with each other.
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.path]


def _fields_at_fault(error: ValidationError) -> Iterator[tuple[str | None, str]]:
    """(field, message) for each field the error is about; the field is None if it names none."""
    if error.validator == "required":
        for name in error.validator_value:
            if name not in error.instance:
                yield name, f"{name!r} is a required property"
    elif error.validator == "additionalProperties" and error.validator_value is False:
        known = error.schema.get("properties", {})
        patterns = error.schema.get("patternProperties", {})
        unexpected = [
            key
            for key in error.instance
            if key not in known and not any(re.search(p, key) for p in patterns)
        ]
        # The first one the message names: jsonschema lists them sorted.
        yield min(unexpected, key=str, default=None), error.message
    else:
        yield None, error.message


def schema_faults(data: object, schema: dict) -> Iterator[tuple[list, str | None, str]]:
    """(path, field, message) for each way ``data`` breaks ``schema``, in file order.

    Read from the errors' fields, not their messages. jsonschema reports each missing field of
    a mapping as an error of its own, all alike: they are reported once, field by field.
    """
    missing_reported = set()
    errors = Draft202012Validator(schema).iter_errors(data)
    for error in sorted(errors, key=_file_order):
        path = list(error.absolute_path)
        if error.validator == "required":
            if tuple(path) in missing_reported:
                continue
            missing_reported.add(tuple(path))
        for field_name, message in _fields_at_fault(error):
            yield path, field_name, message


def locate(
    data: object, path: list, levels: list[tuple[str, str]]
) -> tuple[int, str, list]:
    """Where an error at ``path`` in a data file's ``data`` is: its line, who it is about, and the
    path left inside that.

    ``levels`` names the file's nested items, outermost first: ``[("cards", "card")]``, or
    ``[("quizzes", "quiz"), ("questions", "question"), ("options", "option")]``. Who is the
    innermost item on the path: a mapping's key (``quiz 'lesson'``), an item's ``id`` (``card
    'grpo-origin'``), else its position (``card #3``, ``question #1 of quiz 'lesson'``, and at the
    last level ``question 'grpo-origin', option 2``). The line is the deepest the path reaches: a
    key's own line; for a missing key, the line where its list item starts, or the line of the key
    naming its mapping; YAML keeps no line for a list item, so one that is not a mapping is on
    its list's line.
    """
    line, node, by_index = 1, data, False
    for part in path:
        if isinstance(node, Located):
            if part in node:
                line = node.line_of(part)
            elif by_index:
                line = node.line
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        by_index = isinstance(part, int)
    who, owner, rest = "", data, list(path)
    for depth, (key, kind) in enumerate(levels):
        if len(rest) < 2 or rest[0] != key or not isinstance(owner, dict):
            break
        item = rest[1]
        owner, rest = owner[key][item], rest[2:]
        name = owner.get("id") if isinstance(owner, dict) else None
        if isinstance(item, str):
            who = f"{kind} {item!r}"
        elif isinstance(name, str) and name:
            who = f"{kind} {name!r}"
        elif who and depth == len(levels) - 1:
            who = f"{who}, {kind} {item + 1}"
        else:
            who = f"{kind} #{item + 1}" + (f" of {who}" if who else "")
    return line, who, rest


def schema_problems(
    data: object, schema: dict, shown_as: str, levels: list[tuple[str, str]]
) -> list[str]:
    """``shown_as:LINE: who, field 'f': message`` for each way ``data`` breaks ``schema``, in
    file order; ``levels`` as :func:`locate` takes them."""
    problems = []
    for path, field_name, message in schema_faults(data, schema):
        line, who, rest = locate(
            data, path + ([field_name] if field_name else []), levels
        )
        if not who:
            where = ".".join(str(part) for part in path) or "the file"
            problems.append(f"{shown_as}:{line}: {where}: {message}")
            continue
        field_part = f", field {rest[0]!r}" if rest else ""
        problems.append(f"{shown_as}:{line}: {who}{field_part}: {message}")
    return problems


def by_line(problems: list[str], shown_as: str) -> list[str]:
    """Problems found by several checks, ``shown_as:LINE: ...`` each, in the file's order."""
    return sorted(
        problems, key=lambda p: int(p.removeprefix(f"{shown_as}:").split(":")[0])
    )


def duplicate_ids(items: Iterable[Located], kind: str, shown_as: str) -> list[str]:
    """A problem for each item (a card, a question) whose ``id`` an earlier item already took."""
    problems, first_line = [], {}
    for item in items:
        if item["id"] in first_line:
            problems.append(
                f"{shown_as}:{item.line_of('id')}: {kind} {item['id']!r}, field 'id':"
                f" already used by the {kind} on line {first_line[item['id']]}"
            )
        first_line.setdefault(item["id"], item.line)
    return problems
