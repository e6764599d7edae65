"""The browser suite's set-up is part of every clean run: .ci/run and CI install chromium before the
tests, and CI keeps the screenshots. (Static checks: fast, no browser.)"""

import yaml
from support.harness import ROOT

INSTALL = ".ci/install-chromium"


def test_ci_run_installs_chromium_before_the_readme_test_command():
    lines = (ROOT / ".ci" / "run").read_text().splitlines()
    install = next(i for i, line in enumerate(lines) if INSTALL in line)
    tests = next(i for i, line in enumerate(lines) if "python -m pytest" in line)
    assert install < tests
    assert (ROOT / INSTALL).stat().st_mode & 0o111, f"{INSTALL} is not executable"


def test_the_cpu_lane_installs_chromium_and_uploads_the_screenshots():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    steps = workflow["jobs"]["cpu"]["steps"]
    runs = [step.get("run", "") for step in steps]
    install = next(i for i, run in enumerate(runs) if INSTALL in run)
    tests = next(i for i, run in enumerate(runs) if "python -m pytest" in run)
    assert install < tests
    uploads = [
        step
        for step in steps[tests:]
        if step.get("uses", "").startswith("actions/upload-artifact@")
        and step["with"]["path"].rstrip("/") == "build/screenshots"
    ]
    assert uploads, "no step uploads build/screenshots"
    assert "cancelled()" in uploads[0]["if"], (
        "upload the screenshots when tests fail too"
    )
