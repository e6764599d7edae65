"""Tiny, offline, deterministic models for running the course's examples without the Hub.

    from reasoning_course.tiny_models import build
    path = build("arithmetic")      # builds once, then reuses the cached folder

From a shell: ``course-models build`` builds every recipe and ``course-models path NAME`` prints a
folder, ready for ``export COURSE_MODEL=$(course-models path arithmetic)``.
"""

from .factory import (
    RECIPES,
    Recipe,
    TinyModelError,
    build,
    build_tokenizer,
    cache_root,
    model_dir,
    verify,
)

__all__ = [
    "RECIPES",
    "Recipe",
    "TinyModelError",
    "build",
    "build_tokenizer",
    "cache_root",
    "model_dir",
    "verify",
]
