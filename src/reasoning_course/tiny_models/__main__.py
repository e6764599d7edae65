"""Command line: ``tiny-models {list,build,path,cache-key}`` (also ``python -m reasoning_course.tiny_models``)."""

from __future__ import annotations

import argparse
import sys
import time

from .factory import (
    RECIPES,
    TinyModelError,
    build,
    cache_key,
    cache_root,
    model_dir,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tiny-models", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the recipes and where each is cached")
    build_parser = commands.add_parser(
        "build", help="build (or reuse) tiny models and print their folders"
    )
    build_parser.add_argument(
        "names", nargs="*", metavar="NAME", help="recipes to build (default: all)"
    )
    build_parser.add_argument(
        "--force", action="store_true", help="rebuild even if a cached copy exists"
    )
    path_parser = commands.add_parser(
        "path", help="print one model's folder, building it if needed"
    )
    path_parser.add_argument("name", metavar="NAME")
    commands.add_parser(
        "cache-key",
        help="print one hash of every recipe and of the code that builds them",
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "list":
            print(f"cache: {cache_root()}")
            for name, recipe in RECIPES.items():
                state = "built" if model_dir(name).exists() else "not built"
                print(f"{name:12} {state:10} {recipe.description}")
        elif args.command == "build":
            for name in args.names or list(RECIPES):
                started = time.perf_counter()
                folder = build(name, force=args.force)
                print(f"{name:12} {folder}  ({time.perf_counter() - started:.1f} s)")
        elif args.command == "cache-key":
            print(cache_key())
        else:
            print(build(args.name))
    except TinyModelError as error:
        print(f"tiny-models: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
