"""Settings as data: each example that loads a model reads its settings from a recipe, a YAML
file, with TRL's ``TrlParser``, as Open R1's scripts read theirs. One recipe per model: the tiny
models' recipes ship inside this package (``reasoning_course/recipes/tiny/``), so a snippet
copied anywhere runs with them by default; a real model's recipe is a file passed with
``--config``. The GRPO page shows the part a reader needs; what follows it names the recipe's
file and line in every error.
"""

# --8<-- [start:recipe]
import os
import sys
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Literal


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
    sampling_temperature: float = field(
        default=1.0, metadata={"help": "temperature of what the script samples itself"}
    )
    answer_check: Literal["tags", "last-number"] = field(
        default="tags", metadata={"help": "how an answer is read and checked"}
    )
    reward_funcs: list[str] = field(
        default_factory=lambda: ["format", "accuracy"],
        metadata={"help": "GRPO's rewards, by their names in reasoning_course.rewards"},
    )


def parse_recipe(config_class, default_recipe, **defaults):
    """``--config RECIPE`` (else the package's ``default_recipe``) and any ``--name value``
    overrides. Returns the recipe's arguments and the trainer's config (``config_class``,
    or None for a script that trains nothing). ``defaults`` hold unless the recipe or the
    command line sets them."""
    from trl import TrlParser

    argv = sys.argv[1:]
    if "--config" not in argv:
        argv = ["--config", default_recipe, *argv]
    at = argv.index("--config") + 1
    argv[at] = path = recipe_path(argv[at])
    classes = (RecipeArguments, config_class) if config_class else (RecipeArguments,)
    parser = TrlParser(classes, exit_on_error=False)
    parser.set_defaults(**defaults)  # under the recipe: it may set them too
    with errors_named_in(path, parser):
        recipe, *config = parser.parse_args_and_config(argv)
        check_settings(recipe)
    recipe.model_name_or_path = recipe.model_name_or_path or os.environ.get(
        "COURSE_MODEL"
    )
    recipe.teacher_name_or_path = recipe.teacher_name_or_path or os.environ.get(
        "COURSE_TEACHER"
    )
    if recipe.model_name_or_path is None:
        raise RecipeError(f"{path}: {NO_MODEL}")
    return recipe, (config[0] if config_class else None)


def recipe_path(name):
    """A recipe file, or one the package ships (``tiny/grpo/r1_zero.yaml``)."""
    bundled = files(__package__) / name
    return name if os.path.exists(name) or not bundled.is_file() else str(bundled)


# --8<-- [end:recipe]


def check_settings(recipe):
    """A local folder the recipe names must exist, and its rewards must be known (raised as
    ValueError naming the setting: errors_named_in adds the recipe's file and line)."""
    from reasoning_course.arithmetic import ANSWER_READERS
    from reasoning_course.rewards import REWARDS

    for name in ("model_name_or_path", "teacher_name_or_path"):
        value = getattr(recipe, name)
        if (
            value
            and value.startswith((".", "/", "~"))
            and not os.path.isdir(os.path.expanduser(value))
        ):
            raise ValueError(
                f"{name}: no such model folder {value!r} (relative to {os.getcwd()}); "
                "a folder another example writes (its output_dir) exists once it has run"
            )
    if (
        recipe.answer_check not in ANSWER_READERS
    ):  # a YAML value skips argparse's choices
        raise ValueError(
            f"answer_check: {recipe.answer_check!r} is not one of {', '.join(ANSWER_READERS)}"
        )
    unknown = [name for name in recipe.reward_funcs if name not in REWARDS]
    if unknown:
        raise ValueError(
            f"reward_funcs: unknown {', '.join(unknown)}; the rewards are {', '.join(REWARDS)}"
        )


class RecipeError(ValueError):
    """A recipe that cannot be read, as ``path:line: message``."""


NO_MODEL = (
    "names no model_name_or_path, and COURSE_MODEL is not set: set it to a model's folder "
    '(COURSE_MODEL="$(course-models path arithmetic)", or student for distillation, or '
    "smollm2 for the real model), or pass --model_name_or_path"
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


def bundled_recipes():
    """The recipes the package ships, by the names ``--config`` takes."""
    root = files(__package__)
    found, todo = [], [(root, "")]
    while todo:
        folder, prefix = todo.pop()
        for entry in folder.iterdir():
            if entry.is_dir():
                todo.append((entry, f"{prefix}{entry.name}/"))
            elif entry.name.endswith(".yaml"):
                found.append(prefix + entry.name)
    return sorted(found)


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
                f"{self.path}: no such recipe: pass --config with a recipe file's path "
                f"(relative to {os.getcwd()}), or the name of one the package ships: "
                f"{', '.join(bundled_recipes())}"
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
