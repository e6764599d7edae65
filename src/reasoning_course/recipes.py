"""Training settings as data: each training example reads its trainer's settings from a recipe,
a YAML file under ``recipes/``, with TRL's ``TrlParser``, as Open R1's scripts read theirs. One
recipe per model: the tiny model's, tested on a CPU, and a real model's, for a GPU. The GRPO page
shows the part a reader needs; what follows it names the recipe's file and line in every error.
"""

# --8<-- [start:recipe]
import os
import sys
from dataclasses import dataclass, field


@dataclass
class RecipeArguments:
    """What a recipe sets besides its trainer's own arguments."""

    model_name_or_path: str | None = field(
        default=None, metadata={"help": "the model to train; unset: $COURSE_MODEL"}
    )
    teacher_name_or_path: str | None = field(
        default=None,
        metadata={"help": "distillation's teacher; unset: $COURSE_TEACHER"},
    )
    system_prompt: str | None = field(
        default=None, metadata={"help": "a system message before every question"}
    )
    teacher_chat_template: str | None = field(
        default=None, metadata={"help": "replaces the teacher's own chat template"}
    )
    max_new_tokens: int = field(
        default=16, metadata={"help": "length of what the script samples itself"}
    )


def parse_recipe(config_class, default_recipe, **defaults):
    """``--config RECIPE`` (else ``default_recipe``) and any ``--name value`` overrides.

    Returns the recipe's arguments and the trainer's config (``config_class``). ``defaults``
    hold unless the recipe or the command line sets them.
    """
    from trl import TrlParser

    argv = sys.argv[1:]
    if "--config" not in argv:
        argv = ["--config", default_recipe, *argv]
    path = argv[argv.index("--config") + 1]
    parser = TrlParser((RecipeArguments, config_class), exit_on_error=False)
    parser.set_defaults(**defaults)  # under the recipe: it may set them too
    with errors_named_in(path, parser):
        recipe, config = parser.parse_args_and_config(argv)
    recipe.model_name_or_path = recipe.model_name_or_path or os.environ.get(
        "COURSE_MODEL"
    )
    recipe.teacher_name_or_path = recipe.teacher_name_or_path or os.environ.get(
        "COURSE_TEACHER"
    )
    if recipe.model_name_or_path is None:
        raise RecipeError(f"{path}: {NO_MODEL}")
    return recipe, config


# --8<-- [end:recipe]


class RecipeError(ValueError):
    """A recipe that cannot be read, as ``path:line: message``."""


NO_MODEL = (
    "names no model_name_or_path, and COURSE_MODEL is not set: set it to the tiny model "
    '(COURSE_MODEL="$(tiny-models path arithmetic)", or student for distillation), or '
    "pass --model_name_or_path"
)


def _key_lines(path):
    """Each top-level key of the recipe, with the line it is on (1-based)."""
    import yaml

    with open(path, encoding="utf-8") as stream:
        node = yaml.compose(stream)
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1 if node is not None else 1
        raise RecipeError(
            f"{path}:{line}: a recipe is a mapping of `name: value` lines"
        )
    return {key.value: key.start_mark.line + 1 for key, _ in node.value}


class errors_named_in:
    """Turn what TrlParser and the trainer's config raise into ``path:line: message``."""

    def __init__(self, path, parser):
        self.path, self.parser = path, parser

    def __enter__(self):
        import yaml

        try:
            self.lines = _key_lines(self.path)
        except FileNotFoundError:
            raise RecipeError(
                f"{self.path}: no such recipe (run from the repository root, or pass "
                "--config with the recipe's path)"
            ) from None
        except yaml.MarkedYAMLError as error:
            line = error.problem_mark.line + 1
            problem = " ".join(filter(None, (error.context, error.problem)))
            raise RecipeError(
                f"{self.path}:{line}: not valid YAML: {problem}"
            ) from None
        known = {action.dest for action in self.parser._actions} | {"env"}
        classes = " or ".join(t.__name__ for t in self.parser.dataclass_types)
        for key, line in self.lines.items():
            if key not in known:
                raise RecipeError(
                    f"{self.path}:{line}: unknown setting {key!r}: not an argument of "
                    f"{classes} in the installed TRL"
                )
        return self

    def __exit__(self, kind, error, traceback):
        import argparse

        if error is None or not isinstance(
            error, argparse.ArgumentError | ValueError | TypeError
        ):
            return False
        message = str(error)
        named = [key for key in self.lines if key in message]
        where = f"{self.path}:{self.lines[max(named, key=len)]}" if named else self.path
        raise RecipeError(f"{where}: {message}") from error
