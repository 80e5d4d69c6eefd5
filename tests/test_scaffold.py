"""`programma new`: a new programme repository that builds on its own, from the package alone."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from programma_site.cli import cli
from programma_site.defaults import DOCS, SCHEMA
from programma_site.loader import load
from programma_site.site import build_site

from .wheel import build_wheel

ROOT = Path(__file__).resolve().parents[1]
FILES = [
    ".ci/run",
    ".github/workflows/ci.yml",
    ".github/workflows/pages.yml",
    ".gitignore",
    "Makefile",
    "README.md",
    "docs/.gitkeep",
    "mkdocs.yml",
    "programma/programma.yaml",
    "programma/stakeholder/esempio.yaml",
    "programma/valori.yaml",
    "requirements/programma.txt",
    "requirements/site.lock",
]
COMMIT_DATE = "2031-04-05T06:07:08Z"


def new(target: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["new", str(target)])
    return result.exit_code, result.output


def files(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_new_writes_a_whole_repository(tmp_path: Path) -> None:
    code, output = new(tmp_path / "lista-civica")
    project = tmp_path / "lista-civica"
    assert (code, output) == (0, f"Creato {project}/ (13 file). Poi: cd {project} && git init && make site\n")
    assert files(project) == FILES
    assert os.access(project / ".ci" / "run", os.X_OK)
    assert (project / "requirements" / "site.lock").read_bytes() == (ROOT / "requirements" / "site.lock").read_bytes()
    assert "programma-site==0.1.0\n" in (project / "requirements" / "programma.txt").read_text("utf-8")
    assert "repo_url: https://github.com/esempio/lista-civica\n" in (project / "mkdocs.yml").read_text("utf-8")
    assert all("__NOME__" not in (project / name).read_text("utf-8") for name in FILES)
    programme = load(project / "programma")
    assert (len(programme.stakeholders), len(programme.actions), len(programme.values)) == (1, 1, 1)
    assert programme.stakeholders[0].name == "Esempio" and programme.values[0].name == "Esempio"


def test_every_scaffold_file_names_the_schema_the_makefile_links(tmp_path: Path) -> None:
    """`make` links .venv/schema to the installed package's schema: each modeline must resolve through it."""
    new(tmp_path / "p")
    (tmp_path / "p" / ".venv").mkdir()
    (tmp_path / "p" / ".venv" / "schema").symlink_to(SCHEMA)
    for path in sorted((tmp_path / "p" / "programma").rglob("*.yaml")):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../"), path.name
        assert path.parent.joinpath(first.partition("$schema=")[2]).is_file(), path.name


def test_new_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "mio.txt").write_text("da non toccare", "utf-8")
    result = CliRunner().invoke(cli, ["new", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == f"Errore: «{tmp_path}» esiste già e non è una cartella vuota: scegli una cartella nuova.\n"
    assert files(tmp_path) == ["mio.txt"] and (tmp_path / "mio.txt").read_text("utf-8") == "da non toccare"


def test_new_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", "utf-8")
    assert new(tmp_path / "file")[0] == 1
    assert (tmp_path / "file").read_text("utf-8") == "x"


def test_new_fills_an_empty_folder(tmp_path: Path) -> None:
    assert new(tmp_path)[0] == 0
    assert files(tmp_path) == FILES


def test_the_new_programme_builds_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own folders hold no template, page or asset: the package gives them all."""
    project = tmp_path / "nuovo"
    new(project)
    monkeypatch.chdir(project)
    monkeypatch.setenv("PROGRAMMA_PDF", "false")
    build_site(project / "mkdocs.yml", project / "site")
    page = (project / "site" / "stakeholder" / "esempio" / "index.html").read_text("utf-8")
    assert "Un'azione di esempio" in page
    assert "https://github.com/esempio/nuovo/edit/main/programma/stakeholder/esempio.yaml" in page
    assert (project / "site" / "come-proporre-una-modifica" / "index.html").is_file()


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert result.returncode == 0, f"{command}: {result.stdout[-3000:]}\n{result.stderr[-3000:]}"


def git(project: Path, *args: str) -> list[str]:
    return ["git", "-C", str(project), "-c", "user.name=Prova", "-c", "user.email=prova@example.org", *args]


@pytest.mark.slow
def test_a_new_programme_builds_from_the_wheel_outside_the_repository(tmp_path: Path) -> None:
    """The issue's test: wheel, clean venv, `programma new`, a fresh clone, then its `make site` and `make test`."""
    assert ROOT not in tmp_path.parents
    dist = tmp_path / "dist"
    wheel = build_wheel(dist)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], tmp_path)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    run([*pip, "--require-hashes", "-r", str(ROOT / "requirements" / "site.lock")], tmp_path)
    run([*pip, "--no-deps", str(wheel)], tmp_path)
    run([str(venv / "bin" / "programma"), "new", "nuovo"], tmp_path)
    dated = {**os.environ, "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    run(git(tmp_path / "nuovo", "init", "--quiet"), tmp_path)
    run(git(tmp_path / "nuovo", "add", "."), tmp_path)
    run(git(tmp_path / "nuovo", "commit", "--quiet", "-m", "Nuovo programma"), tmp_path, dated)
    run(["git", "clone", "--quiet", "nuovo", "clone"], tmp_path)
    links = " ".join(filter(None, [str(dist), os.environ.get("PIP_FIND_LINKS", "")]))
    environment = {key: value for key, value in os.environ.items() if key not in {"SOURCE_DATE_EPOCH", "VIRTUAL_ENV"}}
    for target in ("site", "test"):
        run(["make", target], tmp_path / "clone", {**environment, "PIP_FIND_LINKS": links})
    check_built(tmp_path / "clone" / "site")


def check_built(site: Path) -> None:
    assert "Esempio: un programma di prova" in (site / "index.html").read_text("utf-8")
    assert "Un'azione di esempio" in (site / "stakeholder" / "esempio" / "index.html").read_text("utf-8")
    assert (site / "pagefind" / "pagefind.js").is_file() and list((site / "pagefind").glob("index/*.pf_index"))
    for asset in ("assets/stylesheets/programma.css", "assets/stylesheets/fonts.css", "assets/fonts/OFL.txt"):
        assert (site / asset).read_bytes() == (DOCS / asset).read_bytes()
    assert len(list((site / "assets" / "fonts").glob("*.woff2"))) == 8
    for name in ("esempio.pdf", "programma.pdf"):
        reader = pypdf.PdfReader(BytesIO((site / "pdf" / name).read_bytes()))
        assert reader.metadata is not None and reader.metadata.creation_date is not None
        assert reader.metadata.creation_date.astimezone(UTC) == datetime(2031, 4, 5, 6, 7, 8, tzinfo=UTC)
