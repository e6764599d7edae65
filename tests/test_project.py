"""The README's promises: two commands for a fresh machine, the second one being what .ci/run runs."""

import re
import subprocess
import sys
from pathlib import Path

import yaml
from harness import ROOT


def readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Two commands for a fresh machine", 1)[1].split(
        "\n## ", 1
    )[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_the_readme_gives_exactly_two_commands_serve_then_test():
    commands = readme_commands()
    assert len(commands) == 2, commands
    serve, test = commands
    assert all("\n" not in command for command in commands), (
        "each must be one line a reader can paste"
    )
    assert serve.startswith("python3 -m venv .venv") and serve.endswith("mkdocs serve")
    assert '-e ".[docs]"' in serve
    assert test.startswith("python3 -m venv .venv") and test.endswith(
        "python -m pytest"
    )
    assert "-c .ci/constraints.txt" in test and '-e ".[test]"' in test


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = readme_commands()
    run = (ROOT / ".ci" / "run").read_text()
    assert test in run.splitlines()
    assert "set -euo pipefail" in run


def test_the_constraint_pins_torch_and_the_package_does_not():
    assert (ROOT / ".ci" / "constraints.txt").read_text().split() == ["torch==2.13.0"]
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"torch>=[\d.]+"', pyproject) and not re.search(
        r'"torch==', pyproject
    )


def test_workflows_pin_actions_by_commit_and_limit_permissions_and_time():
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        workflow = yaml.safe_load(path.read_text())
        assert workflow["permissions"] == {"contents": "read"}, path
        for name, job in workflow["jobs"].items():
            assert "timeout-minutes" in job, f"{path.name}: job {name} has no timeout"
            for step in job["steps"]:
                if "uses" in step:
                    assert re.fullmatch(
                        r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", step["uses"]
                    ), f"{path.name}: {step['uses']}"
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_the_code_is_linted_and_formatted():
    ruff = Path(sys.executable).with_name("ruff")
    for command in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run(
            [str(ruff), *command], cwd=ROOT, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, (
            f"ruff {' '.join(command)}:\n{result.stdout}{result.stderr}"
        )


def test_snippet_lines_fit_a_page_without_scrolling():
    too_long = [
        f"{path.relative_to(ROOT)}:{number}: {len(line)} columns"
        for path in sorted((ROOT / "snippets").rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if len(line) > 88
    ]
    assert not too_long, "wrap these lines at 88 columns:\n" + "\n".join(too_long)
