"""Session-wide set-up: no network, quiet libraries, and the tiny models as fixtures."""

import os

# Nothing in the suite may reach the Hub; these must be set before transformers is imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import pytest  # noqa: E402
import tinymodels  # noqa: E402


@pytest.fixture(scope="session")
def tiny_model():
    """``tiny_model("arithmetic")`` returns the folder of a tiny model, building it on first use."""
    return tinymodels.build
