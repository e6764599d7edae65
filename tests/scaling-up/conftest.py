"""What the Scaling up page's test modules share: each names its ``SNIPPET``."""

import pytest
from support.harness import run_snippet


@pytest.fixture(scope="module")
def snippet(request):
    """The snippet's definitions, without its report under ``__main__``."""
    return run_snippet(request.module.SNIPPET, as_main=False)


@pytest.fixture(scope="module")
def run(request):
    """The whole script, as a reader runs it."""
    return run_snippet(request.module.SNIPPET)
