"""configs/accelerate/: the launch configs the Scaling up page shows parse with accelerate's and
TRL's own loaders, and say what the page says they do."""

import importlib.resources

import pytest
import yaml
from support.harness import ROOT

CONFIGS = ROOT / "configs" / "accelerate"
PAGE = ROOT / "docs" / "examples" / "scaling-up.md"
# file -> (processes, machines, ZeRO stage or None for plain data parallelism)
EXPECTED = {
    "ddp.yaml": (8, 1, None),
    "zero2.yaml": (8, 1, 2),
    "zero3.yaml": (8, 1, 3),
    "zero3-two-nodes.yaml": (16, 2, 3),
}


def test_the_folder_holds_exactly_the_configs_the_page_includes():
    assert sorted(p.name for p in CONFIGS.glob("*.yaml")) == sorted(EXPECTED)
    page = PAGE.read_text()
    for name in EXPECTED:
        assert f'--8<-- "configs/accelerate/{name}"' in page, name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_accelerate_reads_each_config_as_the_page_describes_it(name):
    from accelerate.commands.config.config_args import load_config_from_file

    config = load_config_from_file(str(CONFIGS / name))
    processes, machines, stage = EXPECTED[name]
    assert (config.num_processes, config.num_machines) == (processes, machines)
    assert config.mixed_precision == "bf16"
    if stage is None:
        assert config.distributed_type.value == "MULTI_GPU"
    else:
        assert config.distributed_type.value == "DEEPSPEED"
        assert config.deepspeed_config["zero_stage"] == stage


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_trls_launcher_takes_each_config_and_accelerate_launch_validates_it(name):
    """`trl grpo --accelerate_config FILE` resolves a file path the way it resolves its own
    config names; accelerate's launch command then fills its arguments from the file."""
    from accelerate.commands.launch import (
        _validate_launch_command,
        launch_command_parser,
    )
    from trl.cli.accelerate_config import resolve_accelerate_config_argument

    path = str(CONFIGS / name)
    argv = resolve_accelerate_config_argument(["--accelerate_config", path, "train.py"])
    assert argv[:2] == ["--config_file", path]
    args, _, _ = _validate_launch_command(launch_command_parser().parse_args(argv))
    processes, machines, stage = EXPECTED[name]
    assert (args.num_processes, args.num_machines) == (processes, machines)
    assert args.use_deepspeed == (stage is not None)
    assert args.multi_gpu == (stage is None)
    if stage is not None:
        assert args.zero_stage == stage


def test_a_multi_node_config_names_where_the_first_machine_listens():
    config = yaml.safe_load((CONFIGS / "zero3-two-nodes.yaml").read_text())
    assert config["machine_rank"] == 0 and config["main_process_port"]
    assert config["main_process_ip"]


@pytest.mark.parametrize(
    "name", ["single_gpu", "multi_gpu", "zero1", "zero2", "zero3", "fsdp1", "fsdp2"]
)
def test_the_configs_trl_ships_under_the_names_the_page_gives(name):
    shipped = importlib.resources.files("trl.accelerate_configs").joinpath(
        f"{name}.yaml"
    )
    assert shipped.is_file(), name
    assert f"`{name}`" in PAGE.read_text()


def test_a_generation_batch_must_hold_whole_groups(tmp_path):
    """The page: per-device batch x processes x accumulation steps must be a multiple of
    num_generations (TRL 1.16 checks it when the config is built)."""
    from trl import GRPOConfig

    with pytest.raises(ValueError, match="must be divisible by num_generations"):
        GRPOConfig(
            output_dir=str(tmp_path),
            per_device_train_batch_size=12,
            num_generations=8,
            use_cpu=True,
            report_to="none",
        )
    config = GRPOConfig(
        output_dir=str(tmp_path),
        per_device_train_batch_size=4,
        gradient_accumulation_steps=2,
        num_generations=8,
        use_cpu=True,
        report_to="none",
    )
    assert config.generation_batch_size == 8
