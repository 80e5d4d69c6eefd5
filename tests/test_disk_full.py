"""A full, read-only or mounted output disk (issue 10, cases 5 and 6): exit 1, Italian, the previous site whole.

Each test mounts a small tmpfs of its own (tests/smalldisk.py), puts an earlier build there, and
fills the disk at the moment it means to test.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from programma_site import search
from programma_site.cli import cli

from .smalldisk import FILLER, fill, small_disk_fixture  # noqa: F401  (the fixture small_disk)
from .test_output_safety import FAST, programma, project_fixture, snapshot  # noqa: F401  (the fixture project)

FULL = "spazio esaurito sul disco"


@pytest.fixture
def previous(built_site: Path, small_disk: Path) -> Path:
    """A copy of a real build on the small disk: the site a failed build must leave whole."""
    shutil.copytree(built_site, small_disk / "site")
    return small_disk / "site"


def left_on(disk: Path) -> list[str]:
    return sorted(path.name for path in disk.iterdir())


def test_full_disk_while_pages_are_written(project: Path, previous: Path) -> None:
    before = snapshot(previous)
    fill(previous.parent, leave=200_000)
    result = programma("site", "--out", str(previous), cwd=project, env=FAST)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith(f"Errore: costruzione del sito non riuscita, «{previous}»")
    assert f"impossibile costruire il sito: {FULL}" in result.stderr
    assert snapshot(previous) == before
    assert left_on(previous.parent) == [FILLER, "site"]


def test_full_disk_while_the_search_index_is_written(
    project: Path, previous: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pagefind's command wrote empty files there and exited 0: a broken site reported as built."""
    before = snapshot(previous)
    real_index = search.index

    def index_on_a_full_disk(site: Path) -> None:
        fill(previous.parent)
        real_index(site)

    monkeypatch.setattr(search, "index", index_on_a_full_disk)
    monkeypatch.chdir(project)
    monkeypatch.setenv("PROGRAMMA_PDF", "false")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    result = CliRunner().invoke(cli, ["site", "--out", str(previous)])
    assert result.exit_code == 1, result.output
    assert f"impossibile scrivere l'indice della ricerca: {FULL}" in result.output
    assert snapshot(previous) == before
    assert left_on(previous.parent) == [FILLER, "site"]


@pytest.mark.parametrize("command", [["pdf", "--stakeholder", "cultura", "--out"], ["build", "--md-out"]])
def test_full_disk_for_pdf_and_markdown(project: Path, small_disk: Path, command: list[str]) -> None:
    fill(small_disk)
    result = programma(*command, str(small_disk / "uscita"), cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Errore: impossibile ") and FULL in result.stderr, result.stderr


def test_read_only_disk(project: Path, previous: Path) -> None:
    before = snapshot(previous)
    subprocess.run(["mount", "-o", "remount,ro", str(previous.parent)], check=True)
    result = programma("site", "--out", str(previous), cwd=project, env=FAST)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "file system in sola lettura" in result.stderr.splitlines()[-1]
    assert snapshot(previous) == before


def test_a_mount_point_is_not_replaced(project: Path, small_disk: Path) -> None:
    result = programma("site", "--out", str(small_disk), cwd=project, env=FAST)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"«{small_disk}» è un punto di montaggio e non si può sostituire" in result.stderr
    assert left_on(small_disk) == []
