"""What determines a result, as a hash that ignores what cannot change it.

A recorded run (scripts/record.py) and a cached tiny model are identified by the code that made
them. Hashing a file's bytes would make a fixed comment, a reworded docstring or a reformatted
line look like new code, and send a contributor to rerun minutes of training for nothing. So code
is hashed as its syntax tree, without comments (the parser drops them), docstrings and layout;
and a YAML recipe as the data it holds, without its comments.
"""

from __future__ import annotations

import ast
import hashlib
import json
from pathlib import Path

_HAS_DOCSTRING = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if not isinstance(node, _HAS_DOCSTRING) or not node.body:
            continue
        first = node.body[0]
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            node.body = node.body[1:] or [ast.Pass()]
    return tree


def code_digest(path: Path) -> str:
    """SHA-256 of a Python file's syntax tree, without comments, docstrings or layout."""
    tree = _without_docstrings(ast.parse(Path(path).read_text(encoding="utf-8")))
    return hashlib.sha256(ast.dump(tree).encode()).hexdigest()


def data_digest(path: Path) -> str:
    """SHA-256 of a YAML file's data, without its comments or layout."""
    import yaml

    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()
