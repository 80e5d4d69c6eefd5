"""What a pull request decides besides the text: links, FIFOs, sockets, huge or unreadable files,
misnamed or missing folders. Each is refused by name, before anything is read from it."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from programma_site import safefile
from programma_site.loader import load

from .badinput import CULTURA, ROOT, assert_problem, only_problem, problems

STAKEHOLDERS = Path("programma/stakeholder")
PROGRAMMA = Path(sys.executable).with_name("programma")
SECRET = "segreto: parola-d-ordine-42\n"
LINK = (
    "è un collegamento simbolico, che può portare fuori dalla cartella del programma: "
    "sostituiscilo con il file o la cartella vera"
)


@pytest.fixture
def secret(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A file outside the programme whose content must never appear in a message."""
    path = tmp_path_factory.mktemp("fuori") / "segreto.yaml"
    path.write_text(SECRET, "utf-8")
    return path.resolve()


def validate(directory: Path, *wrapper: str) -> subprocess.CompletedProcess[str]:
    """`programma validate` in its own process, so that a hang or a crash fails only this test."""
    command = [*wrapper, str(PROGRAMMA), "validate", "--dir", str(directory)]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=60, cwd=directory.parent)


# Links


def test_link_to_a_file_outside_is_refused_unread(folder: Path, secret: Path) -> None:
    (STAKEHOLDERS / "ladro.yaml").symlink_to(secret)
    problem = only_problem(folder)
    assert_problem(problem, STAKEHOLDERS / "ladro.yaml", (1, 1), LINK)
    assert "segreto" not in str(problem) and str(secret.parent) not in str(problem)


def test_link_inside_the_programme_is_refused_too(folder: Path) -> None:
    (STAKEHOLDERS / "copia.yaml").symlink_to("cultura.yaml")
    assert_problem(only_problem(folder), STAKEHOLDERS / "copia.yaml", (1, 1), LINK)


def test_a_file_replaced_by_a_link(folder: Path, secret: Path) -> None:
    CULTURA.unlink()
    CULTURA.symlink_to(secret)
    assert_problem(only_problem(folder), CULTURA, (1, 1), LINK)


def test_linked_stakeholder_folder_is_refused_unlisted(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    elsewhere = tmp_path_factory.mktemp("altrove") / "stakeholder"
    STAKEHOLDERS.rename(elsewhere)
    STAKEHOLDERS.symlink_to(elsewhere.resolve(), target_is_directory=True)
    assert_problem(only_problem(folder), STAKEHOLDERS, (1, 1), LINK)


def test_linked_programme_folder_is_refused(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    real = tmp_path_factory.mktemp("vera") / "programma"
    folder.rename(real)
    folder.symlink_to(real.resolve(), target_is_directory=True)
    message = "la cartella del programma è un collegamento simbolico, che può portare ovunque: usa la cartella vera"
    assert_problem(only_problem(folder), folder, (1, 1), message)


def test_a_link_swapped_in_after_listing_is_still_not_followed(folder: Path, secret: Path) -> None:
    CULTURA.unlink()
    CULTURA.symlink_to(secret)
    assert safefile.read_bytes(CULTURA) == LINK  # O_NOFOLLOW, whatever the listing saw


# Things that are not files


def test_fifo_is_refused_without_waiting_for_a_writer(folder: Path) -> None:
    os.mkfifo(STAKEHOLDERS / "coda.yaml")
    result = validate(folder.resolve())  # reading it would wait forever: the timeout fails the test
    message = "non è un file normale (è una FIFO, un socket o un dispositivo): il programma legge solo file"
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr.splitlines()[0] == f"programma/stakeholder/coda.yaml:1:1: {message}"


def test_socket_is_refused(folder: Path) -> None:
    with socket.socket(socket.AF_UNIX) as listening:
        listening.bind(str(STAKEHOLDERS / "presa.yaml"))
        message = "non è un file normale (è una FIFO, un socket o un dispositivo): il programma legge solo file"
        assert_problem(only_problem(folder), STAKEHOLDERS / "presa.yaml", (1, 1), message)


def test_folder_named_like_a_file(folder: Path) -> None:
    (STAKEHOLDERS / "vecchio.yaml").mkdir()
    assert_problem(only_problem(folder), STAKEHOLDERS / "vecchio.yaml", (1, 1), "è una cartella, non un file")


def test_file_too_large_is_refused_unread(folder: Path) -> None:
    with CULTURA.open("a", encoding="utf-8") as file:
        file.write("# " + "x" * 20_000_000 + "\n")
    message = "il file è troppo grande (20,0 MB): il massimo è 20,0 MB"
    assert_problem(only_problem(folder), CULTURA, (1, 1), message)


# Unreadable files and folders


def test_file_without_read_permission(folder: Path) -> None:
    """Really unreadable: as root, run with the capabilities that ignore permissions dropped."""
    wrapper: tuple[str, ...] = ()
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, permissions are ignored unless setpriv (util-linux) drops the capabilities")
        wrapper = (setpriv, "--bounding-set=-dac_override,-dac_read_search")
    CULTURA.chmod(0)
    result = validate(folder.resolve(), *wrapper)
    assert (result.returncode, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines == [f"{CULTURA.as_posix()}:1:1: non si può leggere il file: permesso negato", lines[-1]]
    assert lines[-1] == "1 problema trovato: il programma non è valido."


def test_any_error_while_reading_is_a_problem(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(descriptor: int) -> os.stat_result:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(safefile, "os", SimpleNamespace(**{**vars(os), "fstat": failing}))  # only the reader's
    found = problems(folder)
    assert {problem.message for problem in found} == {"non si può leggere il file (errore del sistema EIO)"}
    assert len(found) == 2 + len(list((ROOT / STAKEHOLDERS).glob("*.yaml")))


def test_unreadable_stakeholder_folder(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = os.scandir

    def refused(path: str | Path = ".") -> object:
        if Path(path) == STAKEHOLDERS:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refused)
    message = "non si può leggere la cartella: permesso negato"
    assert_problem(only_problem(folder), STAKEHOLDERS, (1, 1), message)


# The stakeholder folder and the names in it


def test_missing_stakeholder_folder(folder: Path) -> None:
    shutil.rmtree(STAKEHOLDERS)
    message = "cartella mancante: ogni programma ha programma.yaml, valori.yaml e la cartella stakeholder/"
    assert_problem(only_problem(folder), STAKEHOLDERS, (1, 1), message)


def test_stakeholder_folder_that_is_a_file(folder: Path) -> None:
    shutil.rmtree(STAKEHOLDERS)
    STAKEHOLDERS.write_text("", "utf-8")
    assert_problem(only_problem(folder), STAKEHOLDERS, (1, 1), "è un file, non una cartella")


@pytest.mark.parametrize("kept", [[], [".gitkeep"]], ids=["empty", "only-a-hidden-file"])
def test_programme_without_stakeholders(folder: Path, kept: list[str]) -> None:
    shutil.rmtree(STAKEHOLDERS)
    STAKEHOLDERS.mkdir()
    for name in kept:
        (STAKEHOLDERS / name).write_text("", "utf-8")
    message = "la cartella non contiene nessuno stakeholder: serve un file .yaml per ciascuno"
    assert_problem(only_problem(folder), STAKEHOLDERS, (1, 1), message)


@pytest.mark.parametrize("suffix", [".yml", ".YAML", ".Yaml", ".YML"])
def test_stakeholder_file_with_another_suffix_is_named(folder: Path, suffix: str) -> None:
    CULTURA.rename(CULTURA.with_suffix(suffix))
    message = "il nome di un file stakeholder finisce in «.yaml»: rinominalo in «cultura.yaml»"
    assert_problem(only_problem(folder), CULTURA.with_suffix(suffix), (1, 1), message)  # and no unknown «cultura»


@pytest.mark.parametrize("name", ["LEGGIMI.md", "cultura.yaml~", "vecchi"])
def test_anything_else_in_the_stakeholder_folder_is_named(folder: Path, name: str) -> None:
    path = STAKEHOLDERS / name
    if name == "vecchi":
        path.mkdir()
    else:
        shutil.copy(CULTURA, path)
    message = "nella cartella stakeholder/ vanno solo i file .yaml degli stakeholder: sposta o cancella questo file"
    assert_problem(only_problem(folder), path, (1, 1), message)


def test_hidden_files_in_the_stakeholder_folder_are_left_alone(folder: Path) -> None:
    (STAKEHOLDERS / ".gitkeep").write_text("", "utf-8")
    (STAKEHOLDERS / ".cultura.yaml.swp").write_bytes(b"\x00\x01")
    assert len(load(folder).stakeholders) == 9


# Nesting that crashed the process


@pytest.mark.parametrize(
    "deep",
    [
        "[" * 100_000 + "]" * 100_000,
        "{a: " * 50_000 + "}" * 50_000,
        "\n" + "".join(" " * level + "a:\n" for level in range(1, 3000)),
        "\n  " + "- " * 50_000 + "x",
    ],
    ids=["flow-lists", "flow-maps", "block-maps", "block-lists"],
)
def test_nesting_that_crashed_the_process_is_refused(folder: Path, deep: str) -> None:
    """libyaml's C composer recursed until the process died (segmentation fault) past ~25,000 levels."""
    text = CULTURA.read_text("utf-8")
    CULTURA.write_text(text.replace('nome: "Cultura"', f"nome: {deep}"), "utf-8")
    result = validate(folder.resolve())
    message = "elenchi e gruppi di campi annidati oltre 50 livelli: togli i livelli in più"
    assert (result.returncode, result.stdout) == (1, "")
    [line, summary] = result.stderr.splitlines()
    assert line.startswith(f"{CULTURA.as_posix()}:") and line.endswith(f": {message}")
    assert summary == "1 problema trovato: il programma non è valido."
