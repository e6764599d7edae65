"""The README's promises: two commands for a fresh machine, the second one being what .ci/run runs."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from support.harness import ROOT, load_script


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
    # --cov: the whole suite fails unless every line of every snippet and of the package ran
    # (pyproject.toml, [tool.coverage]); a partial run such as `pytest tests/grpo` measures nothing.
    assert test.startswith("python3 -m venv .venv") and test.endswith(
        "python -m pytest --cov"
    )
    assert "-c .ci/constraints.txt" in test and '-e ".[test]"' in test


def test_ci_runs_the_readme_test_command_verbatim():
    _, test = readme_commands()
    run = (ROOT / ".ci" / "run").read_text()
    assert test in run.splitlines()
    assert "set -euo pipefail" in run


def ci_steps() -> dict[str, dict]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    return {
        step.get("name", step.get("uses")): step
        for step in workflow["jobs"]["cpu"]["steps"]
    }


def test_ci_installs_then_runs_the_readme_test_command():
    *install, suite = readme_commands()[1].split(" && ")
    steps = ci_steps()
    assert steps["Install"]["run"] == " && ".join(install)
    test_step = next(
        step for name, step in steps.items() if name.startswith("Test suite")
    )
    assert test_step["run"].startswith(suite), test_step["run"]


# The checks the suite runs itself; CI runs them once, inside the suite, never as steps of their own.
SUITE_TOOLS = ("ruff", "zizmor", "check-jsonschema", "mkdocs", "lychee")


def doubled_checks(steps: dict[str, dict]) -> list[str]:
    """The workflow steps that run a check the suite already runs."""
    return [
        f"{name}: {step['run']}"
        for name, step in steps.items()
        if any(tool in step.get("run", "") for tool in SUITE_TOOLS)
    ]


def test_ci_runs_each_check_in_one_place_the_suite():
    doubled = doubled_checks(ci_steps())
    assert not doubled, "these checks already run in the suite:\n" + "\n".join(doubled)


def test_a_planted_duplicate_ci_step_is_named():
    steps = {**ci_steps(), "Lint": {"run": ".venv/bin/ruff check ."}}
    assert doubled_checks(steps) == ["Lint: .venv/bin/ruff check ."]


def test_ci_uploads_the_site_the_suite_built():
    steps = ci_steps()
    test_step = next(
        step for name, step in steps.items() if name.startswith("Test suite")
    )
    upload = next(
        step for step in steps.values() if step.get("with", {}).get("name") == "site"
    )
    assert upload["with"]["path"].rstrip("/") == test_step["env"]["COURSE_SITE_DIR"]


CONSTRAINTS = ROOT / ".ci" / "constraints.txt"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def constraint_lines() -> list[str]:
    lines = CONSTRAINTS.read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def test_the_constraint_pins_torch_and_the_package_does_not():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert re.search(r'"torch>=[\d.]+"', pyproject) and not re.search(
        r'"torch==', pyproject
    )
    assert f"--extra-index-url {CPU_INDEX}" in constraint_lines()


@pytest.mark.parametrize(
    "platform, pinned",
    [("linux", "2.13.0+cpu"), ("darwin", "2.13.0"), ("win32", "2.13.0")],
)
def test_the_constraint_takes_the_cpu_build_on_linux_and_pypis_wheel_elsewhere(
    platform, pinned
):
    from packaging.requirements import Requirement

    environment = {"sys_platform": platform}
    chosen = [
        str(requirement.specifier)
        for requirement in map(Requirement, constraint_lines()[1:])
        if requirement.name == "torch"
        and (requirement.marker is None or requirement.marker.evaluate(environment))
    ]
    assert chosen == [f"=={pinned}"]


def fake_torch_wheel(folder: Path, version: str) -> None:
    """An empty distribution named torch, enough for pip to resolve a version."""
    import zipfile
    from urllib.parse import quote

    folder.mkdir(parents=True, exist_ok=True)
    info = f"torch-{version}.dist-info"
    with zipfile.ZipFile(folder / f"torch-{version}-py3-none-any.whl", "w") as wheel:
        wheel.writestr("torch/__init__.py", "")
        wheel.writestr(
            f"{info}/METADATA",
            f"Metadata-Version: 2.1\nName: torch\nVersion: {version}\n",
        )
        wheel.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(f"{info}/RECORD", "")
    # A simple-repository page (PEP 503) listing it, as an index serves one per project.
    name = f"torch-{version}-py3-none-any.whl"
    (folder / "index.html").write_text(f'<a href="{quote(name)}">{name}</a>\n')


@pytest.mark.skipif(
    sys.platform != "linux", reason="the CPU build is pinned on Linux only"
)
def test_pip_reads_the_cpu_index_from_the_constraint_file_and_takes_its_wheel(tmp_path):
    """pip honours the index option inside the constraints file: with PyPI standing in for an
    index that has only the plain version, torch still resolves to the CPU index's +cpu build."""
    import json

    fake_torch_wheel(tmp_path / "pypi" / "torch", "2.13.0")
    fake_torch_wheel(tmp_path / "cpu" / "torch", "2.13.0+cpu")
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(
        CONSTRAINTS.read_text().replace(CPU_INDEX, (tmp_path / "cpu").as_uri())
    )
    report = tmp_path / "report.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--dry-run",
            "--isolated",
            "--quiet",
            "--ignore-installed",
            "--index-url",
            (tmp_path / "pypi").as_uri(),
            "-c",
            str(constraints),
            "--report",
            str(report),
            "torch",
        ],
        env={**os.environ, "PIP_CONFIG_FILE": os.devnull},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    installed = json.loads(report.read_text())["install"]
    assert [item["metadata"]["version"] for item in installed] == ["2.13.0+cpu"]


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


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def check_workflows(github_dir: Path) -> list[str]:
    """Run the workflow checks CI runs; return the failures' output."""
    workflows = sorted(str(p) for p in (github_dir / "workflows").glob("*.yml"))
    commands = [
        [tool("zizmor"), "--offline", "--min-severity", "medium", str(github_dir)],
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *workflows,
        ],
        [
            tool("check-jsonschema"),
            "--builtin-schema",
            "custom.github-workflows-require-timeout",
            *workflows,
        ],
    ]
    if (github_dir / "dependabot.yml").is_file():
        commands.append(
            [
                tool("check-jsonschema"),
                "--builtin-schema",
                "vendor.dependabot",
                str(github_dir / "dependabot.yml"),
            ]
        )
    failures = []
    for command in commands:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            failures.append(f"$ {' '.join(command)}\n{result.stdout}{result.stderr}")
    return failures


def test_the_workflows_pass_zizmor_and_their_schemas():
    failures = check_workflows(ROOT / ".github")
    assert not failures, "\n".join(failures)


PLANTED_JOB = """\
name: planted
on: {trigger}
permissions:
  contents: read
jobs:
  job:
    runs-on: ubuntu-latest
{timeout}    steps:
      - uses: {action}
        with:
          persist-credentials: false
"""
PINNED = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"


@pytest.mark.parametrize(
    "trigger, timeout, action, complaint",
    [
        (
            "pull_request_target",
            "    timeout-minutes: 5\n",
            PINNED,
            "dangerous-triggers",
        ),
        ("push", "    timeout-minutes: 5\n", "actions/checkout@v4", "unpinned-uses"),
        ("push", "", PINNED, "timeout-minutes"),
    ],
    ids=["pull_request_target", "unpinned-action", "no-timeout"],
)
def test_the_workflow_checks_catch_a_planted_mistake(
    tmp_path, trigger, timeout, action, complaint
):
    github = tmp_path / ".github"  # zizmor looks for workflows under a .github folder
    (github / "workflows").mkdir(parents=True)
    workflow = PLANTED_JOB.format(trigger=trigger, timeout=timeout, action=action)
    (github / "workflows" / "planted.yml").write_text(workflow)
    failures = check_workflows(github)
    assert failures and complaint in "\n".join(failures), failures


def test_the_gpu_lane_runs_only_on_trusted_events():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "gpu.yml").read_text())
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert set(triggers) == {"push", "schedule", "workflow_dispatch"}, triggers
    assert triggers["push"] == {"branches": ["main"]}
    job = workflow["jobs"]["gpu"]
    assert "self-hosted" in job["runs-on"] and "gpu" in job["runs-on"]
    assert job["env"]["COURSE_DEVICE"] == "cuda"


def test_the_nightly_gpu_lane_reruns_the_seed_spread_without_touching_the_pages_copy():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "gpu.yml").read_text())
    steps = workflow["jobs"]["gpu"]["steps"]
    spread = [s for s in steps if "scripts/record.py" in s.get("run", "")]
    assert len(spread) == 1, spread
    assert spread[0]["if"] == "${{ github.event_name == 'schedule' }}"
    output = spread[0]["run"].split("--output", 1)[1].split()[0]
    assert output != "docs/generated/runs.yml"
    uploads = [s for s in steps if s.get("with", {}).get("path") == output]
    assert len(uploads) == 1 and uploads[0]["if"] == spread[0]["if"], uploads


COVERED_SNIPPET = """\
import sys


def sign(x):
    if x < 0:
        return -1
    return 1


print(sign(2), sign(-2))
"""


def measure(tree: Path) -> subprocess.CompletedProcess:
    """Run tree/run.py under the project's coverage configuration; return ``coverage report``'s result."""
    config = f"--rcfile={ROOT / 'pyproject.toml'}"
    # Clean of the outer run's COVERAGE_* variables, so only this measure is taken.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    results = [
        subprocess.run(
            [sys.executable, "-m", "coverage", *command],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        for command in (["run", config, "run.py"], ["report", config])
    ]
    assert results[0].returncode == 0, results[0].stderr
    results[1].stderr = results[0].stderr + results[1].stderr
    return results[1]


def plant(tree: Path, files: dict[str, str]) -> Path:
    files = {
        "run.py": "import runpy\nrunpy.run_path('snippets/topic/demo.py')\n",
        "snippets/topic/demo.py": COVERED_SNIPPET,
        "src/reasoning_course/__init__.py": "",
        **files,
    }
    for name, text in files.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_text(text)
    return tree


def test_coverage_passes_when_every_line_of_every_snippet_runs(tmp_path):
    result = measure(plant(tmp_path, {}))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stderr, (
        result.stderr
    )  # e.g. an option in the wrong table


@pytest.mark.parametrize(
    "files, missed",
    [
        (
            {"snippets/topic/demo.py": COVERED_SNIPPET.replace("sign(-2)", "0")},
            r"snippets/topic/demo\.py .* 6\b",
        ),
        (
            {"snippets/other/unrun.py": "print('no test runs me')\n"},
            r"unrun\.py .* 1\b",
        ),
        (
            {"src/reasoning_course/unused.py": "def f():\n    return 1\n"},
            r"unused\.py .* 1-2\b",
        ),
        (
            {
                "snippets/topic/demo.py": COVERED_SNIPPET.replace(
                    "        return -1", "        return -1  # pragma: no cover"
                ).replace("sign(-2)", "0")
            },
            r"snippets/topic/demo\.py .* 6\b",
        ),
    ],
    ids=["unrun-line", "unrun-snippet", "unrun-module", "pragma-ignored"],
)
def test_coverage_fails_on_a_line_that_never_runs(tmp_path, files, missed):
    result = measure(plant(tmp_path, files))
    assert result.returncode == 2, result.stdout + result.stderr  # fail_under's status
    assert re.search(missed, result.stdout), result.stdout


def supported_pythons() -> list[str]:
    pyproject = (ROOT / "pyproject.toml").read_text()
    return re.findall(r'"Programming Language :: Python :: (3\.\d+)"', pyproject)


def canary_command() -> str:
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "canary.yml").read_text()
    )
    job = workflow["jobs"]["newest-releases"]
    versions = sorted(supported_pythons(), key=lambda v: tuple(map(int, v.split("."))))
    assert versions[0] == "3.11" and '">=3.11"' in (ROOT / "pyproject.toml").read_text()
    assert job["strategy"]["matrix"]["python"] == [versions[0], versions[-1]]
    return next(s["run"] for s in job["steps"] if s.get("name") == "Example tests")


def example_tests(root: Path) -> list[str]:
    """The test files ``pytest -m example`` selects in the tree at ``root``, as the canary runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-m", "example"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return sorted(
        {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    )


def test_the_canary_runs_every_example_test_on_the_oldest_and_newest_python():
    run = canary_command()
    assert run.split()[:5] == [".venv/bin/python", "-m", "pytest", "-m", "example"], run
    # One test folder per snippet folder (tests/<topic>/ for snippets/<topic>/), and every example
    # page shows the snippets of at least one such folder (the two GRPO pages share snippets/grpo/).
    topics = sorted(
        folder.name for folder in (ROOT / "snippets").iterdir() if folder.is_dir()
    )
    assert len(topics) >= 3 and all((ROOT / "tests" / t).is_dir() for t in topics)
    for page in (ROOT / "docs" / "examples").glob("*.md"):
        shown = set(re.findall(r'--8<-- "snippets/([^/"]+)/', page.read_text()))
        assert shown and shown <= set(topics), page.name
    # The marker selects every test module of those folders, the tiny models' and the harness's.
    wanted = sorted(
        path.relative_to(ROOT).as_posix()
        for topic in topics
        for path in (ROOT / "tests" / topic).glob("test_*.py")
    )
    assert example_tests(ROOT) == sorted(
        [*wanted, "tests/test_harness.py", "tests/test_tiny_models.py"]
    )


def test_the_docs_workflow_publishes_with_the_pages_address_as_site_url():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docs.yml").read_text())
    steps = workflow["jobs"]["build"]["steps"]
    build = next(s for s in steps if s.get("name", "").startswith("Build"))
    assert build["env"]["COURSE_SITE_URL"] == "${{ steps.pages.outputs.base_url }}/"
    pages = next(s for s in steps if s.get("id") == "pages")
    assert pages["uses"].startswith("actions/configure-pages@")
    assert steps.index(pages) < steps.index(build)
    config = (ROOT / "mkdocs.yml").read_text()
    assert "site_url: !ENV [COURSE_SITE_URL, null]" in config.splitlines()


def test_no_workflow_that_installs_with_the_constraint_sets_an_index_of_its_own():
    for path in (ROOT / ".github" / "workflows").glob("*.yml"):
        text = path.read_text()
        if "-c .ci/constraints.txt" in text:
            assert "PIP_EXTRA_INDEX_URL" not in text and "index-url" not in text, (
                path.name
            )


def test_the_licence_notice_and_citation_agree_with_the_package_and_the_site():
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'license = "Apache-2.0"' in pyproject
    assert 'license-files = ["LICENSE", "NOTICE"]' in pyproject
    licence = (ROOT / "LICENSE").read_text()
    assert licence.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    assert "END OF TERMS AND CONDITIONS" in licence
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    version = re.search(r'^version = "(.+)"', pyproject, re.M).group(1)
    config = (ROOT / "mkdocs.yml").read_text()
    repo_url = re.search(r"^repo_url: (\S+)", config, re.M).group(1)
    assert citation["cff-version"] == "1.2.0" and citation["authors"]
    assert (citation["license"], citation["version"]) == ("Apache-2.0", version)
    assert citation["repository-code"] == repo_url
    notice = (ROOT / "NOTICE").read_text()
    lesson = (ROOT / "docs" / "lesson.md").read_text()
    source = "https://huggingface.co/learn/llm-course/chapter12"
    assert (
        source in notice
        and source in lesson
        and "Apache License, Version 2.0" in notice
    )


def test_the_notice_names_each_vendored_file_with_its_version():
    notice = " ".join((ROOT / "NOTICE").read_text().split())
    mermaid = (ROOT / "scripts" / "vendor" / "mermaid.min.js").read_text()
    (mermaid_version,) = set(re.findall(r'version:"(\d+\.\d+\.\d+)"', mermaid)) - {
        "0.0.0"
    }
    axe = (ROOT / "tests" / "browser" / "vendor" / "README.md").read_text()
    axe_version = re.search(r"axe-core (\d+\.\d+\.\d+)", axe).group(1)
    # Mermaid draws the diagrams ahead of time (scripts/render_diagrams.py); the site ships none.
    assert f"scripts/vendor/mermaid.min.js: Mermaid {mermaid_version}," in notice
    assert "its licence is scripts/vendor/mermaid.LICENSE.txt" in notice
    assert (ROOT / "scripts" / "vendor" / "mermaid.LICENSE.txt").is_file()
    assert f"axe.min.js: axe-core {axe_version}," in notice


def test_the_stack_is_pinned_below_the_versions_that_drop_what_the_site_uses():
    docs = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]["docs"]
    # MkDocs 2 drops plugins and theme overrides; Material 10 is not promised.
    assert "mkdocs>=1.6.1,<2" in docs and "mkdocs-material>=9.8.1,<10" in docs


def test_the_zensical_job_is_scheduled_on_demand_allowed_to_fail_and_reports():
    workflow = yaml.safe_load(
        (ROOT / ".github" / "workflows" / "zensical.yml").read_text()
    )
    assert set(workflow[True]) == {"schedule", "workflow_dispatch"}
    (job,) = workflow["jobs"].values()
    assert job["continue-on-error"] is True
    runs = [step.get("run", "") for step in job["steps"]]
    assert any("pip install" in run and "zensical" in run for run in runs), runs
    assert runs[-1] == ".venv/bin/python scripts/zensical_report.py"


def test_the_zensical_report_names_what_one_site_lacks_page_by_page(tmp_path):
    report = load_script("zensical_report")
    ours, theirs = tmp_path / "mkdocs", tmp_path / "zensical"
    for site, page, extra in (
        (
            ours,
            '<p>AIME 79.8% <abbr title="x">GRPO</abbr></p><math></math>',
            "flashcards.tsv",
        ),
        (
            theirs,
            "<p>AIME {{ r1.aime }} GRPO</p><!-- course:quiz lesson -->",
            "hooks/x.py",
        ),
    ):
        (site / "lesson").mkdir(parents=True)
        (site / "lesson" / "index.html").write_text(page)
        (site / extra).parent.mkdir(parents=True, exist_ok=True)
        (site / extra).write_text("")
        (site / "assets" / "javascripts").mkdir(parents=True)
        (site / "assets" / "javascripts" / f"bundle.{site.name}.min.js").write_text("")
    lines = report.compare(ours, theirs)
    assert "- `flashcards.tsv`" in lines and "- `hooks/x.py`" in lines
    assert not any("bundle" in line for line in lines)  # the themes' own files
    rows = [line for line in lines if line.startswith("| `lesson/index.html`")]
    assert [row.split(" | ")[1:] for row in rows] == [
        ["figures left as {{ placeholders }} (course_figures)", "0", "1 |"],
        ["course markers left as they are", "0", "1 |"],
        ["glossary tooltips (course_glossary)", "1", "0 |"],
        ["formulas as MathML (course_math)", "1", "0 |"],
    ]
    assert report.compare(ours, ours) == []


def test_each_adaptation_for_zensical_is_still_in_mkdocs_yml():
    # Drop an adaptation from scripts/zensical_report.py once mkdocs.yml no longer needs it.
    config = (ROOT / "mkdocs.yml").read_text()
    for old in load_script("zensical_report").ADAPTATIONS:
        assert old in config, old
