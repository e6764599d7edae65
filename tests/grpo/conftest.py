"""What the GRPO page's test modules share: each names its snippet in ``SNIPPET``."""

import pytest
from support.harness import run_snippet


@pytest.fixture(scope="module")
def snippet(request):
    """The snippet's definitions and demos, without a training run under ``__main__``."""
    return run_snippet(request.module.SNIPPET, as_main=False)
