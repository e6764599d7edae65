"""What the distillation page's test modules share: each names its snippet in ``SNIPPET``."""

import pytest
from support.harness import run_snippet


@pytest.fixture(scope="module")
def run(request):
    """The whole script: the tiny teacher and the tiny student, which share a tokenizer."""
    return run_snippet(request.module.SNIPPET, model="student", teacher="teacher")
