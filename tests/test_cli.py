"""The `programma` command as people run it: exit codes, Italian output, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from programma_site.cli import cli

from .command import run

ROOT = Path(__file__).parents[1]
VALID = "Programma valido: 9 stakeholder, 84 azioni, 17 riferimenti incrociati, 7 valori.\n"


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """A copy of the programme with two problems in two files."""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    cultura = tmp_path / "programma/stakeholder/cultura.yaml"
    cultura.write_text(cultura.read_text("utf-8").replace("numero: 8\n", "numero: 9\n"), "utf-8")
    valori = tmp_path / "programma/valori.yaml"
    valori.write_text(valori.read_text("utf-8").replace("  - slug: futuro\n", "  - slug: Futuro\n"), "utf-8")
    return tmp_path


def test_validate_the_real_programme() -> None:
    result = run("validate")
    assert (result.returncode, result.stdout, result.stderr) == (0, VALID, "")


def test_validate_with_dir() -> None:
    result = run("validate", "--dir", str(ROOT / "programma"), cwd=ROOT.parent)
    assert (result.returncode, result.stdout) == (0, VALID)


def test_invalid_data_exits_1_with_every_problem_on_stderr(broken: Path) -> None:
    result = run("validate", cwd=broken)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("programma/stakeholder/cultura.yaml:")
    assert lines[0].endswith(
        ": azioni[7].numero: numero 9 fuori sequenza (ci si aspetta 8): correggilo, o aggiungi una nota che spieghi la numerazione pubblicata"
    )
    assert lines[1].startswith("programma/valori.yaml:3:11: valori[0].slug: «Futuro» non è un identificativo valido")
    assert lines[2:] == ["2 problemi trovati: il programma non è valido."]
    assert "Traceback" not in result.stderr


def test_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", "--dir", "non-esiste", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "Errore d'uso: la cartella «non-esiste» non esiste\nProva «programma --help».\n"


def test_default_directory_missing_is_a_usage_error(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 2
    assert "la cartella «programma» non esiste" in result.stderr
    assert "Traceback" not in result.stderr


def test_option_without_its_value_is_a_usage_error() -> None:
    result = run("validate", "--dir")
    assert result.returncode == 2
    assert result.stderr.startswith("Errore d'uso: ")
    assert "Traceback" not in result.stderr


def test_unknown_command_is_a_usage_error() -> None:
    result = run("convalida")
    assert result.returncode == 2
    assert result.stderr.startswith("Errore d'uso: ")


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    assert "Strumenti per il programma" in result.stdout
    for name in cli.commands:
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_is_documented(name: str) -> None:
    command = cli.commands[name]
    assert command.help, f"«programma {name}» has no docstring"
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    assert " ".join(command.help.split()) in " ".join(result.output.split())
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"option {parameter.opts} of «programma {name}» has no help text"


def test_validate_in_process() -> None:
    result = CliRunner().invoke(cli, ["validate", "--dir", str(ROOT / "programma")])
    assert (result.exit_code, result.output) == (0, VALID)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--bogus"], "l'opzione «--bogus» non esiste."),
        (["validate", "--dirr", "x"], "l'opzione «--dirr» non esiste. Forse intendevi '--dir'?"),
        (["diff"], "manca l'argomento OLD."),
        (["diff", "a", "b", "--format", "xml"], "«xml» non è un valore valido per «--format»"),
        (["validate", "extra"], "argomenti in più: extra."),
    ],
)
def test_usage_errors_are_italian(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2 and f"Errore d'uso: {message}" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_problem_is_one_line_whatever_the_data(tmp_path: Path) -> None:
    """A pull request chooses its file names and keys: none may add a line or close the comment's code block."""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    stakeholders = tmp_path / "programma/stakeholder"
    (stakeholders / "cultura.yaml").rename(stakeholders / "cultura\n```\n# Titolo.yaml")
    valori = tmp_path / "programma/valori.yaml"
    valori.write_text(valori.read_text("utf-8") + '"x\\n```\\n@tutti": 1\n', "utf-8")
    result = run("validate", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert result.returncode == 1 and lines[-1] == f"{len(lines) - 1} problemi trovati: il programma non è valido."
    assert len(lines) > 3 and all(line.startswith("programma/") for line in lines[:-1])
    assert (
        "`" not in result.stderr and "programma/stakeholder/cultura\\n\\x60\\x60\\x60\\n# Titolo.yaml:" in result.stderr
    )
    assert "programma/valori.yaml:" in result.stderr and "«x\\n\\x60\\x60\\x60\\n@tutti»" in result.stderr


def test_usage_error_quoting_the_command_line_is_escaped(tmp_path: Path) -> None:
    result = run("validate", "--dir", "x\x1b[2J", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "Errore d'uso: la cartella «x\\x1b[2J» non esiste\nProva «programma --help».\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["validate", "--dir", "programma/valori.yaml"],
            "«programma/valori.yaml», indicato per «--dir», è un file, non una cartella.",
        ),
        (["site", "--config", "programma"], "--config: «programma» è una cartella, non un file"),
    ],
    ids=["dir-is-a-file", "config-is-a-folder"],
)
def test_a_file_for_a_folder_and_a_folder_for_a_file(args: list[str], message: str) -> None:
    result = run(*args)
    assert (result.returncode, result.stderr) == (2, f"Errore d'uso: {message}\nProva «programma --help».\n")
