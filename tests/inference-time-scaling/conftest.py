"""What this page's test modules share: each names its ``SNIPPET`` and the tiny ``MODEL`` it runs on."""

import pytest
from support.harness import run_snippet


@pytest.fixture(scope="module")
def snippet(request):
    """The snippet's definitions and demos, without the part that loads a model."""
    return run_snippet(request.module.SNIPPET, as_main=False)


@pytest.fixture(scope="module")
def run(request):
    """The whole script, on the module's tiny model."""
    return run_snippet(request.module.SNIPPET, model=request.module.MODEL)
