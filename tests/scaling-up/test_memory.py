"""snippets/scaling-up/memory.py: the memory a real GRPO run needs, from the parameter count and
the accelerate configs the page shows. Every figure is recomputed here another way."""

import re

import pytest
import yaml
from support.harness import ROOT, assert_output_matches

SNIPPET = "scaling-up/memory.py"
CONFIGS = ROOT / "configs" / "accelerate"
GiB = 2**30


def closed_form_parameters(a: dict) -> int:
    """Qwen2's parameter count from its config, layer by layer (q, k, v carry biases; o does not)."""
    h, kv = (
        a["hidden_size"],
        a["hidden_size"] // a["num_attention_heads"] * a["num_key_value_heads"],
    )
    attention = (h * h + h) + 2 * (h * kv + kv) + h * h
    mlp = 3 * h * a["intermediate_size"]
    layer = attention + mlp + 2 * h  # two RMSNorm weights
    embeddings = a["vocab_size"] * h * (1 if a["tie_word_embeddings"] else 2)
    return embeddings + a["num_hidden_layers"] * layer + h  # + the final norm


# The parameter counts Qwen publishes for these models (model cards, "Number of Parameters").
PUBLISHED_BILLIONS = {
    "Qwen/Qwen2.5-1.5B-Instruct": 1.54,
    "Qwen/Qwen2.5-7B-Instruct": 7.61,
}


def test_the_parameter_count_matches_the_closed_form_and_the_published_size(snippet):
    for name, architecture in snippet.module.ARCHITECTURES.items():
        counted = snippet.module.parameter_count(architecture)
        assert counted == closed_form_parameters(architecture), name
        assert abs(counted / 1e9 - PUBLISHED_BILLIONS[name]) < 0.01, (name, counted)


@pytest.mark.parametrize("stage", [0, 1, 2, 3])
def test_model_states_follow_the_zero_papers_accounting(snippet, stage):
    """ZeRO (Rajbhandari et al., arXiv 1910.02054): (2 + 2 + K) bytes per parameter with K = 12
    for mixed-precision Adam; stage 1 divides K by the GPUs, stage 2 also the gradients' 2,
    stage 3 everything."""
    psi, n, k = 1_000_000, 8, 12
    expected = {
        0: (2 + 2 + k) * psi,
        1: 2 * psi + 2 * psi + k * psi / n,
        2: 2 * psi + (2 + k) * psi / n,
        3: (2 + 2 + k) * psi / n,
    }[stage]
    assert snippet.module.model_states_per_gpu(psi, n, stage) == pytest.approx(expected)


def test_the_reference_model_is_a_bf16_copy_sharded_only_by_zero_3(snippet):
    reference = snippet.module.reference_model_per_gpu
    assert reference(1000, 8, 2) == 2000 and reference(1000, 8, 3) == 250


def test_the_kv_cache_counts_keys_and_values_of_every_layer(snippet):
    # Qwen2.5-1.5B: 28 layers x 2 KV heads x 128 dimensions x (K and V) x 2 bytes = 28 KiB.
    architecture = snippet.module.ARCHITECTURES["Qwen/Qwen2.5-1.5B-Instruct"]
    assert (
        snippet.module.kv_cache_per_token(architecture)
        == 28 * 2 * 128 * 2 * 2
        == 28 * 1024
    )


def stated_rows(stdout: str) -> dict[tuple[str, str], tuple[int, str, float, float]]:
    """(model, config file) -> (GPUs, sharding, GiB per GPU, GiB more with beta > 0), as printed."""
    rows, model = {}, None
    for line in stdout.splitlines():
        if not line.startswith(" "):
            model = line.split(":")[0]
        elif match := re.match(
            r"\s+(\S+\.yaml)\s+(\d+) GPUs, (no ZeRO|ZeRO-\d): +([\d.]+) GiB per GPU, \+ *([\d.]+)",
            line,
        ):
            file, gpus, sharding, states, reference = match.groups()
            rows[model, file] = (int(gpus), sharding, float(states), float(reference))
    return rows


def test_every_config_is_reported_with_the_processes_and_stage_its_file_sets(
    run, snippet
):
    rows = stated_rows(run.stdout)
    files = sorted(path.name for path in CONFIGS.glob("*.yaml"))
    for name, architecture in snippet.module.ARCHITECTURES.items():
        assert sorted(f for m, f in rows if m == name) == files
        parameters = closed_form_parameters(architecture)
        for file in files:
            config = yaml.safe_load(
                (CONFIGS / file).read_text()
            )  # read without accelerate
            stage = config.get("deepspeed_config", {}).get("zero_stage", 0)
            gpus, sharding, states, reference = rows[name, file]
            assert gpus == config["num_processes"]
            assert sharding == (f"ZeRO-{stage}" if stage else "no ZeRO")
            psi, n = parameters, gpus
            expected = {0: 16 * psi, 2: 2 * psi + 14 * psi / n, 3: 16 * psi / n}[stage]
            assert states == round(expected / GiB, 1), (name, file)
            assert reference == round(2 * psi / (n if stage == 3 else 1) / GiB, 1)


def test_the_page_claims_hold_a_7b_model_needs_zero_on_80_gb_gpus(run):
    """The page: a 7B model's training states do not fit an 80 GB GPU without ZeRO; with ZeRO-2 on
    8 GPUs they take about a third of it; the 1.5B model fits even without ZeRO."""
    rows = stated_rows(run.stdout)
    h100 = 80e9 / GiB
    assert rows["Qwen/Qwen2.5-7B-Instruct", "ddp.yaml"][2] > h100
    assert rows["Qwen/Qwen2.5-7B-Instruct", "zero2.yaml"][2] < h100 / 2.5
    assert rows["Qwen/Qwen2.5-1.5B-Instruct", "ddp.yaml"][2] < h100 / 2


def test_its_output_is_the_one_the_page_shows(run):
    assert_output_matches(run)


def test_it_reads_the_configs_from_the_working_directory_as_a_reader_runs_it(run):
    """`python snippets/scaling-up/memory.py` from the repository root; the harness's scratch
    folder shows configs/ as the root does, and every config appears in the report."""
    for path in CONFIGS.glob("*.yaml"):
        assert path.name in run.stdout
