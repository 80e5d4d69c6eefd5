"""Where `programma site`, `pdf` and `build` write, and what they leave behind (issue 10: 1, 4, 6, 16, 17).

Every case runs the installed command on a copy of the project, as a person would type it, and
checks the exit status, the Italian message and that nothing outside the output folder changed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from programma_site import search
from programma_site.output import OutputError, check_output
from programma_site.search import SearchIndexError, index
from programma_site.site import MARKER
from programma_site.sourcedate import SourceDateError, epoch

from .conftest import ROOT
from .smalldisk import small_disk_fixture  # noqa: F401  (the fixture small_disk)

PROGRAMMA = Path(sys.executable).with_name("programma")
FAST = {"PROGRAMMA_PDF": "false"}  # no WeasyPrint: these tests are about folders, not PDFs
PAGES = ("index.html", "404.html", "sitemap.xml", "stakeholder/cultura/index.html", "pagefind/pagefind-entry.json")


def programma(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed entry point in `cwd`, with a fixed build date unless `env` says otherwise."""
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    environment = {name: value for name, value in environment.items() if value is not None and value != "<unset>"}
    command = [str(PROGRAMMA), *args]
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False, timeout=300)


@pytest.fixture(name="project")
def project_fixture(tmp_path: Path) -> Path:
    """A copy of the project's sources, so that a failure here can never harm the real ones."""
    folder = tmp_path / "progetto"
    for name in ("programma", "macros", "docs"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder)
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n", "utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with the digest of each file."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "/"
        for path in sorted(folder.rglob("*"))
    }


def refused(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Errore: ") and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def complete(site: Path) -> None:
    missing = [page for page in PAGES if not (site / page).is_file() or (site / page).stat().st_size == 0]
    assert missing == []
    assert (site / MARKER).is_file()


@pytest.mark.parametrize(
    "out",
    ["programma", "docs", "macros", "macros/overrides", "programma/stakeholder", ".", "..", ".git", "../progetto/docs"],
)
@pytest.mark.parametrize("command", [["site", "--out"], ["pdf", "--out"], ["build", "--md-out"]])
def test_a_source_folder_is_never_an_output(project: Path, command: list[str], out: str) -> None:
    before = snapshot(project.parent)
    result = programma(*command, out, cwd=project)
    refused(result, f"«{out}»")
    assert snapshot(project.parent) == before


@pytest.mark.parametrize("command", [["site", "--out"], ["pdf", "--out"], ["build", "--md-out"]])
def test_the_home_folder_is_never_an_output(project: Path, command: list[str]) -> None:
    home = project.parent / "casa"
    home.mkdir()
    result = programma(*command, str(home), cwd=project, env={"HOME": str(home)})
    refused(result, f"«{home}» è o contiene «{home}»")
    assert list(home.iterdir()) == []


def test_the_filesystem_root_is_never_an_output() -> None:
    """Asked of the guard itself: a command that failed this would write into /."""
    with pytest.raises(OutputError, match=r"^«/» è o contiene «"):
        check_output(Path("/"), [], [], lambda folder: True)


@pytest.mark.parametrize("command", [["site", "--out"], ["pdf", "--out"], ["build", "--md-out"]])
def test_a_folder_with_someone_elses_files_is_never_replaced(project: Path, command: list[str]) -> None:
    (project / "appunti").mkdir()
    (project / "appunti" / "note.txt").write_text("da non perdere", "utf-8")
    before = snapshot(project)
    refused(programma(*command, "appunti", cwd=project), "non sembra prodotta da programma")
    assert snapshot(project) == before


@pytest.mark.parametrize("command", [["site", "--out"], ["pdf", "--out"], ["build", "--md-out"]])
def test_an_output_that_is_a_file_is_refused_in_italian(project: Path, command: list[str]) -> None:
    (project / "uscita").write_text("un file", "utf-8")
    refused(programma(*command, "uscita", cwd=project), "«uscita» è un file, non una cartella")
    assert (project / "uscita").read_text("utf-8") == "un file"


def test_an_earlier_build_is_replaced_and_leaves_nothing_beside_it(project: Path) -> None:
    first = programma("site", cwd=project, env=FAST)
    assert first.returncode == 0, first.stderr
    (project / "site" / "vecchio.html").write_text("di una costruzione precedente", "utf-8")
    again = programma("site", cwd=project, env=FAST)
    assert (again.returncode, again.stdout) == (0, "Sito costruito in site/.\n"), again.stderr
    complete(project / "site")
    assert not (project / "site" / "vecchio.html").exists()
    assert stat.S_IMODE((project / "site").stat().st_mode) == stat.S_IMODE((project / "docs").stat().st_mode)
    assert sorted(p.name for p in project.iterdir()) == [".git", "docs", "macros", "mkdocs.yml", "programma", "site"]


def test_markdown_output_is_replaced_whole(project: Path) -> None:
    assert programma("build", "--md-out", "pagine", cwd=project).returncode == 0
    (project / "pagine" / "stakeholder" / "rimosso.md").write_text("uno stakeholder tolto dal programma", "utf-8")
    result = programma("build", "--md-out", "pagine", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "pagine" / "stakeholder" / "cultura.md").is_file()
    assert not (project / "pagine" / "stakeholder" / "rimosso.md").exists()


def test_pdf_into_the_folder_of_an_earlier_run(project: Path) -> None:
    for _ in range(2):
        result = programma("pdf", "--stakeholder", "cultura", "--out", "stampa", cwd=project)
        assert result.returncode == 0, result.stderr
    assert [p.name for p in (project / "stampa").iterdir()] == ["cultura.pdf"]


def test_a_symlinked_site_is_refused_and_its_target_untouched(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "altrove"
    elsewhere.mkdir()
    (elsewhere / MARKER).touch()
    (elsewhere / "index.html").write_text("fuori dal progetto", "utf-8")
    (project / "site").symlink_to(elsewhere, target_is_directory=True)
    refused(programma("site", cwd=project, env=FAST), "«site» è un collegamento simbolico")
    assert (project / "site").is_symlink()
    assert (elsewhere / "index.html").read_text("utf-8") == "fuori dal progetto"


def test_leftover_site_old_and_site_new_files_are_left_alone(project: Path) -> None:
    for name in ("site.old", "site.new"):
        (project / name).write_text("un file rimasto", "utf-8")
    result = programma("site", cwd=project, env=FAST)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    complete(project / "site")
    assert (project / "site.old").read_text("utf-8") == (project / "site.new").read_text("utf-8") == "un file rimasto"


def test_a_symlinked_parent_leading_into_a_source_folder_is_refused(project: Path) -> None:
    (project / "scorciatoia").symlink_to(project / "programma", target_is_directory=True)
    before = snapshot(project / "programma")
    refused(programma("site", "--out", "scorciatoia/site", cwd=project), "una cartella di sorgenti")
    assert snapshot(project / "programma") == before


def test_an_output_under_a_file_is_refused_in_italian(project: Path) -> None:
    (project / "LEGGIMI").write_text("un file", "utf-8")
    refused(programma("site", "--out", "LEGGIMI/site", cwd=project, env=FAST), "impossibile aprire la cartella «")
    assert (project / "LEGGIMI").read_text("utf-8") == "un file"


def test_staging_left_by_a_killed_build_is_swept(project: Path) -> None:
    (project / ".site.programma-new-ucciso" / "assets").mkdir(parents=True)
    (project / ".site.programma-old-ucciso").mkdir()
    result = programma("site", cwd=project, env=FAST)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in project.iterdir()) == [".git", "docs", "macros", "mkdocs.yml", "programma", "site"]


def test_the_parents_of_a_new_output_are_made(project: Path) -> None:
    result = programma("site", "--out", "qualita/sito", cwd=project, env=FAST)
    assert result.returncode == 0, result.stderr
    complete(project / "qualita" / "sito")
    assert [p.name for p in (project / "qualita").iterdir()] == ["sito"]


def test_pdfs_printed_into_the_default_folder_before_the_first_site(project: Path) -> None:
    """`programma pdf` fills site/pdf/ before any site exists; `programma site` may still replace site/."""
    assert programma("pdf", "--stakeholder", "cultura", cwd=project).returncode == 0
    result = programma("site", cwd=project, env=FAST)
    assert result.returncode == 0, result.stderr
    complete(project / "site")


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda config: None, "--config: il file «manca.yml» non esiste"),
        (lambda config: config.mkdir(), "--config: «manca.yml» è una cartella, non un file"),
    ],
)
def test_config_that_cannot_be_read_is_named(project: Path, make: object, words: str) -> None:
    make(project / "manca.yml")  # type: ignore[operator]
    result = programma("site", "--config", "manca.yml", cwd=project)
    assert result.returncode == 2
    assert result.stderr == f"Errore d'uso: {words}\nProva «programma --help».\n"


def test_a_mkdocs_failure_says_what_failed(project: Path) -> None:
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("name: material", "name: inesistente"), "utf-8")
    result = programma("site", cwd=project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith(
        "Errore: costruzione del sito non riuscita, «site» non è stato toccato: Config value 'theme'"
    )
    assert "inesistente" in last and "vedi sopra" not in result.stderr


def test_invalid_data_says_so_in_the_last_line(project: Path) -> None:
    cultura = project / "programma" / "stakeholder" / "cultura.yaml"
    cultura.write_text(cultura.read_text("utf-8").replace("numero: 3", "numero: tre"), "utf-8")
    result = programma("site", cwd=project, env=FAST)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cultura.yaml:36:13: azioni[2].numero: serve un numero intero" in result.stderr
    assert result.stderr.splitlines()[-1].endswith("non è stato toccato: il programma non è valido")
    assert not (project / "site").exists()


def test_two_builds_at_once_leave_a_whole_site(project: Path) -> None:
    """Once: both exit 0, and site/ is the whole site. (8 of 8 tries left it without pages before.)"""
    for _ in range(3):
        environment = {**os.environ, **FAST, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
        runs = [
            subprocess.Popen([str(PROGRAMMA), "site"], cwd=project, env=environment, stderr=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        errors = [run.communicate(timeout=300)[1] for run in runs]
        assert [run.returncode for run in runs] == [0, 0], errors
        complete(project / "site")
        assert sorted(p.name for p in project.iterdir()) == [
            ".git",
            "docs",
            "macros",
            "mkdocs.yml",
            "programma",
            "site",
        ]


def test_an_interrupted_build_leaves_no_staging_folder(project: Path) -> None:
    assert programma("site", cwd=project, env=FAST).returncode == 0
    before = snapshot(project / "site")
    environment = {**os.environ, **FAST, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    run = subprocess.Popen([str(PROGRAMMA), "site"], cwd=project, env=environment, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not list(project.glob(".site.programma-new-*/assets")) and time.monotonic() < deadline:
        time.sleep(0.02)
    run.send_signal(signal.SIGINT)
    _, errors = run.communicate(timeout=120)
    assert run.returncode == 1 and "Traceback" not in errors, errors
    assert sorted(p.name for p in project.iterdir()) == [".git", "docs", "macros", "mkdocs.yml", "programma", "site"]
    assert snapshot(project / "site") == before


@pytest.mark.parametrize("command", [["site"], ["pdf", "--stakeholder", "cultura", "--out", "stampa"]])
def test_a_garbage_source_date_is_a_usage_error(project: Path, command: list[str]) -> None:
    result = programma(*command, cwd=project, env={"SOURCE_DATE_EPOCH": "ieri"})
    assert result.returncode == 2
    assert result.stderr.startswith("Errore d'uso: SOURCE_DATE_EPOCH=«ieri» non è una data")
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists() and not (project / "stampa").exists()


def test_without_source_date_the_last_commit_dates_the_build(project: Path) -> None:
    """The same commit, the same bytes, whatever today's date: `programma site` reads the commit itself."""
    shutil.rmtree(project / ".git")
    when = "1600000000"
    git = {"GIT_AUTHOR_DATE": f"@{when} +0000", "GIT_COMMITTER_DATE": f"@{when} +0000"}
    for step in (["init", "-q"], ["add", "."], ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "x"]):
        subprocess.run(["git", *step], cwd=project, env={**os.environ, **git}, check=True)
    assert (
        programma("site", "--out", "senza", cwd=project, env={**FAST, "SOURCE_DATE_EPOCH": "<unset>"}).returncode == 0
    )
    assert programma("site", "--out", "con", cwd=project, env={**FAST, "SOURCE_DATE_EPOCH": when}).returncode == 0
    assert "<lastmod>2020-09-13</lastmod>" in (project / "senza" / "sitemap.xml").read_text("utf-8")
    assert snapshot(project / "senza") == snapshot(project / "con")


def test_click_path_messages_are_italian(project: Path) -> None:
    (project / "file").write_text("", "utf-8")
    result = programma("validate", "--dir", "file", cwd=project)
    assert result.returncode == 2
    assert "Errore d'uso: «file», indicato per «--dir», è un file, non una cartella." in result.stderr


def _copy_in_order(source: Path, target: Path, reverse: bool) -> None:
    files = sorted(path for path in source.rglob("*.html") if "pagefind" not in path.parts)
    for path in reversed(files) if reverse else files:
        (target / path.relative_to(source)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target / path.relative_to(source))


def test_search_index_bytes_do_not_depend_on_the_order_files_were_written(built_site: Path, small_disk: Path) -> None:
    """One copy on ext4 (hash order), one on tmpfs (reverse creation order): before, their indexes differed."""
    first, second = small_disk.parent / "in-ordine", small_disk / "al-contrario"
    _copy_in_order(built_site, first, reverse=False)
    _copy_in_order(built_site, second, reverse=True)
    index(first)
    index(second)
    assert snapshot(first / "pagefind") == snapshot(second / "pagefind") == snapshot(built_site / "pagefind")


@pytest.mark.parametrize("value", ["ieri", "-1", "1.5", "1e9", "١٧٠٠٠٠٠٠٠٠", "99999999999999"])
def test_source_date_accepts_only_seconds_since_1970(value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(SourceDateError, match="non è una data"):
        epoch(ROOT)


def test_source_date_falls_back_to_the_last_commit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    last = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
    )
    assert epoch(ROOT) == int(last.stdout)


def test_a_pagefind_that_stops_is_a_search_index_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "index.html").write_text("<html><body data-pagefind-body>ciao</body></html>", "utf-8")
    monkeypatch.setattr(search, "get_executable", lambda: Path("/bin/false"))
    with pytest.raises(
        SearchIndexError, match=r"^indicizzazione della ricerca non riuscita: Pagefind si è interrotto$"
    ):
        search.index(tmp_path)
    assert not (tmp_path / "pagefind").exists()
