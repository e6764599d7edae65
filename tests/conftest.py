"""Session-wide set-up: no network, quiet libraries, one device switch, the tiny models as fixtures.

The device switch: COURSE_DEVICE=auto (the default: CUDA when a GPU is present, else CPU), cpu, or
cuda. The same tests run in both lanes; tests marked ``gpu`` are skipped, with the reason, on CPU.

An example's tests, ``tests/<topic>/test_<name>.py`` for ``snippets/<topic>/<name>.py``, need no
conftest of their own: a module names its snippet, ``SNIPPET = "grpo/advantages.py"``, and takes
the fixture ``snippet`` (its definitions) or ``run`` (the whole script, on the tiny models its
header names). They are marked ``example``, which the canary runs (.github/workflows/canary.yml).
"""

import os

# Nothing in the suite may reach the Hub; these must be set before transformers is imported.
os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

DEVICE_ENV = "COURSE_DEVICE"
SEED_ENV = "COURSE_SEED"
DEVICE_CHOICE = os.environ.get(DEVICE_ENV, "auto")
if DEVICE_CHOICE == "cpu":
    # Hide any GPU before torch is imported, so that the snippets, which pick the GPU
    # whenever torch sees one, run on the CPU too.
    os.environ["CUDA_VISIBLE_DEVICES"] = ""

import pytest  # noqa: E402

from reasoning_course import tiny_models  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--update-outputs",
        action="store_true",
        help="rewrite each stale snippets/<topic>/<name>.output.txt from the snippet's real run, "
        "keeping its section markers (tests/support/harness.py, assert_output_matches)",
    )


def pytest_configure(config):
    from support import harness

    harness.update_outputs = config.getoption("--update-outputs")
    config.addinivalue_line(
        "markers", "gpu: needs a CUDA GPU; skipped, with the reason, in the CPU lane"
    )
    # The tests assert what seed 0 gives, the figures the pages quote beside the spread;
    # scripts/record.py is what runs the examples on other seeds.
    if os.environ.get(SEED_ENV, "0") != "0":
        raise pytest.UsageError(
            f"{SEED_ENV}={os.environ[SEED_ENV]!r}: the suite checks the results of seed 0;"
            f" unset {SEED_ENV}, or run `python scripts/record.py` for other seeds"
        )
    if DEVICE_CHOICE not in ("auto", "cpu", "cuda"):
        raise pytest.UsageError(
            f"{DEVICE_ENV}={DEVICE_CHOICE!r}: expected auto, cpu or cuda"
        )


def _device():
    import torch

    if DEVICE_CHOICE == "cuda" and not torch.cuda.is_available():
        raise pytest.UsageError(f"{DEVICE_ENV}=cuda, but torch sees no CUDA device")
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


# First, before `-m` deselects: the marks added here count for it.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    from support.harness import ROOT

    # tests/<topic>/ for each snippets/<topic>/: an example's tests, whatever the topic.
    topics = {p.name for p in (ROOT / "snippets").iterdir() if p.is_dir()}
    for item in items:
        relative = (
            item.path.relative_to(ROOT) if item.path.is_relative_to(ROOT) else None
        )
        if relative and relative.parts[:1] == ("tests",) and len(relative.parts) > 2:
            if relative.parts[1] in topics:
                item.add_marker(pytest.mark.example)
        if "real_model" in item.keywords:  # minutes each: `-m "not slow"` leaves it out
            item.add_marker(pytest.mark.slow)
    gpu_items = [item for item in items if "gpu" in item.keywords]
    if gpu_items and _device().type != "cuda":
        why = "set to cpu" if DEVICE_CHOICE == "cpu" else "no CUDA device found"
        skip = pytest.mark.skip(
            reason=f"needs a CUDA GPU ({DEVICE_ENV}={DEVICE_CHOICE}: {why})"
        )
        for item in gpu_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def device():
    """The torch device the suite runs on, chosen by COURSE_DEVICE."""
    return _device()


@pytest.fixture(scope="session")
def trainer_device_args(device):
    """GRPOConfig/TrainingArguments fields for that device: CPU, or CUDA in bf16 where supported."""
    import torch

    if device.type == "cpu":
        return {"use_cpu": True, "bf16": False}
    return {"use_cpu": False, "bf16": torch.cuda.is_bf16_supported()}


def snippet_models(module) -> dict[str, str]:
    """The tiny models a test module's ``SNIPPET`` runs on, from the snippet's header (as its
    notebook runs it): ``{"model": "student", "teacher": "teacher"}``. A module that names its
    own ``MODEL`` or ``TEACHER`` must agree with the header."""
    from site_hooks import shared
    from support.harness import SNIPPETS

    path = SNIPPETS / module.SNIPPET
    named = shared("course_markdown").tiny_models(path.read_text(encoding="utf-8"))
    models = {
        "model": named.get("COURSE_MODEL"),
        "teacher": named.get("COURSE_TEACHER"),
    }
    for key, value in models.items():
        own = getattr(module, key.upper(), value)
        if own != value:
            pytest.fail(
                f"{module.__file__}: {key.upper()} = {own!r}, but the header of"
                f" snippets/{module.SNIPPET} runs it on {value!r}; change one of them",
                pytrace=False,
            )
    return {key: value for key, value in models.items() if value is not None}


@pytest.fixture(scope="module")
def snippet(request):
    """The module's ``SNIPPET`` run without its ``if __name__ == "__main__":`` block: what it
    defines, and the demos its sections print."""
    from support.harness import run_snippet

    return run_snippet(request.module.SNIPPET, as_main=False)


@pytest.fixture(scope="module")
def run(request):
    """The module's ``SNIPPET`` run whole, as a reader runs it: seed 0 of its recorded run on
    the tiny models (scripts/record.py's RUNS), if the pages state its results; else on the tiny
    models its header names (``COURSE_MODEL="$(course-models path arithmetic)"``), or none."""
    from support.harness import run_snippet
    from support.recorded import recorded_run_of, run_recorded

    recorded = recorded_run_of(request.module.SNIPPET, real=False)
    if recorded:
        return run_recorded(recorded)
    return run_snippet(request.module.SNIPPET, **snippet_models(request.module))


@pytest.fixture(scope="module")
def real_run(request):
    """The module's ``SNIPPET`` on SmolLM2-135M-Instruct: seed 0 of its recorded run, with its
    recipe, after the run it follows (minutes; tests that use it are marked real_model)."""
    from support.recorded import recorded_run_of, run_recorded

    return run_recorded(recorded_run_of(request.module.SNIPPET, real=True))


@pytest.fixture(scope="session")
def tiny_model():
    """``tiny_model("arithmetic")`` returns the folder of a tiny model, building it on first use."""
    return tiny_models.build


@pytest.fixture(scope="session")
def built_site(tmp_path_factory, tiny_model):
    """The site built once per session, strictly, with the notebooks executed (tests/support/site_build.py).

    tests/test_site.py reads its HTML; the browser tests serve it. Set COURSE_BUILT_SITE to an
    already built site to skip the build while iterating on those tests, or COURSE_SITE_DIR to
    keep the build (CI uploads it from there).
    """
    from support.site_build import build_site

    tiny_model("arithmetic")  # built here, so the notebook finds it in the cache
    site_dir = tmp_path_factory.mktemp("site")
    # Elsewhere: includes must resolve from the config, not the working directory.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    return build_site(site_dir, cwd=elsewhere)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """A wheel of the course package built from the repository, offline (tests/support/package.py)."""
    from support.package import build_wheel

    return build_wheel(tmp_path_factory.mktemp("wheel"))
