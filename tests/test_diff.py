"""`programma diff` on small git repositories with real commits, in both formats."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from programma_site.cli import cli
from programma_site.loader import load

from .conftest import ROOT

BELLEZZA = "programma/stakeholder/bellezza.yaml"
CULTURA = "programma/stakeholder/cultura.yaml"
COUNTED = ["Stakeholder", "Azioni", "Riferimenti incrociati", "Valori"]
CULTURA_08 = """  - id: cultura-08
    numero: 8
    testo: >-
      Riconoscimenti per gli studenti meritevoli (es borse di studio comunali) che intendano
      sviluppare attività del gioiello
    anche_per: [bambini-giovani]
    valori: [futuro, creativita]
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository whose first commit, tagged `base`, holds the real programme."""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", "x")
    commit(tmp_path, "base")
    git(tmp_path, "tag", "base")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def commit(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "--allow-empty", "-m", message)


def edit(repo: Path, file: str, change: Callable[[str], str]) -> None:
    path = repo / file
    path.write_text(change(path.read_text("utf-8")), "utf-8")
    commit(repo, f"edit {file}")


def diff(*args: str) -> Result:
    return CliRunner().invoke(cli, ["diff", *args])


def as_json(*args: str) -> dict[str, object]:
    result = diff(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)  # type: ignore[no-any-return]


def changes(data: dict[str, object]) -> list[tuple[str, str, str, str]]:
    sections = data["sections"]
    assert isinstance(sections, list)
    return [(c["kind"], c["subject"], c["before"], c["after"]) for s in sections for c in s["changes"]]


def test_identical_programmes_say_so_in_one_line(repo: Path) -> None:
    result = diff("base", "HEAD", "--exit-code")
    assert (result.exit_code, result.output) == (0, "Nessuna modifica al programma.\n")
    programme = load(repo / "programma")
    real = [len(programme.stakeholders), len(programme.actions), programme.cross_references, len(programme.values)]
    counts = [{"name": name, "before": n, "after": n} for name, n in zip(COUNTED, real, strict=True)]
    assert as_json("base", "HEAD") == {"changed": False, "counts": counts, "sections": []}


def test_added_action(repo: Path) -> None:
    added = "  - id: bellezza-09\n    numero: 9\n    testo: Una piazza per tutti\n    valori: [futuro]\n"
    edit(repo, BELLEZZA, lambda text: text + added)
    result = diff("base", "HEAD", "--exit-code")
    assert result.exit_code == 1
    assert "| Azioni | 84 | 85 |" in result.output
    assert (
        "### Bellezza" in result.output
        and "**Aggiunta** · Bellezza 9 \\(bellezza\\-09\\): Una piazza per tutti" in result.output
    )
    assert changes(as_json("base", "HEAD")) == [("aggiunta", "Bellezza 9 (bellezza-09)", "", "Una piazza per tutti")]


def test_reworded_action_is_a_word_level_diff(repo: Path) -> None:
    edit(repo, BELLEZZA, lambda text: text.replace("Conclusioni iter per", "Conclusione del percorso per"))
    result = diff("base", "HEAD")
    assert "~~Conclusioni iter~~ **Conclusione del percorso** per la nuova illuminazione" in result.output
    [(kind, subject, before, after)] = changes(as_json("base", "HEAD"))
    assert (kind, subject) == ("testo modificato", "Bellezza 2 (bellezza-02)")
    assert before.startswith("Conclusioni iter") and after.startswith("Conclusione del percorso")


def test_moved_action(repo: Path) -> None:
    path = repo / CULTURA
    path.write_text(path.read_text("utf-8").replace(CULTURA_08, ""), "utf-8")
    moved = CULTURA_08.replace("numero: 8", "numero: 9")
    edit(repo, BELLEZZA, lambda text: text + moved)
    found = changes(as_json("base", "HEAD"))
    assert ("spostata", "Bellezza 9 (cultura-08)", "Cultura", "Bellezza") in found
    assert ("rinumerata", "Bellezza 9 (cultura-08)", "8", "9") in found
    assert not [c for c in found if c[0] in ("aggiunta", "rimossa")]
    assert "**Spostata** · Bellezza 9 \\(cultura\\-08\\): Cultura → Bellezza" in diff("base", "HEAD").output


def test_renumbered_action(repo: Path) -> None:
    edit(
        repo,
        BELLEZZA,
        lambda text: text.replace(
            "  - id: bellezza-08\n    numero: 8", "  - id: bellezza-08\n    numero: 10\n    nota: Salto."
        ),
    )
    found = changes(as_json("base", "HEAD"))
    assert ("rinumerata", "Bellezza 10 (bellezza-08)", "8", "10") in found
    assert ("nota", "Bellezza 10 (bellezza-08)", "", "Salto.") in found


def test_value_retagged(repo: Path) -> None:
    edit(repo, BELLEZZA, lambda text: text.replace("valori: [sviluppo-sostenibile]", "valori: [futuro]", 1))
    assert changes(as_json("base", "HEAD")) == [
        ("valori", "Bellezza 2 (bellezza-02)", "Sviluppo sostenibile", "Futuro")
    ]
    assert "**Valori** · Bellezza 2 \\(bellezza\\-02\\): Sviluppo sostenibile → Futuro" in diff("base", "HEAD").output


def test_cross_reference_changed(repo: Path) -> None:
    edit(repo, BELLEZZA, lambda text: text.replace("anche_per: [cultura]", "anche_per: [cultura, under-30]"))
    found = changes(as_json("base", "HEAD"))
    assert found == [("riguarda anche", "Bellezza 8 (bellezza-08)", "Cultura", "Cultura, Under 30")]


def test_narrative_edit(repo: Path) -> None:
    edit(repo, BELLEZZA, lambda text: text.replace("La bellezza intesa non", "La bellezza, intesa non"))
    result = diff("base", "HEAD")
    assert "Presentazione, paragrafo 1" in result.output and "~~bellezza~~ **bellezza,**" in result.output
    assert changes(as_json("base", "HEAD"))[0][:2] == ("modificato", "Presentazione, paragrafo 1")


def test_folders_work_like_revisions(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    other = tmp_path_factory.mktemp("other") / "programma"
    shutil.copytree(repo / "programma", other)
    (other / "valori.yaml").write_text(
        (other / "valori.yaml").read_text("utf-8").replace("il futuro è ora!", "il futuro è adesso!"), "utf-8"
    )
    result = diff(str(repo / "programma"), str(other))
    assert "### Valori" in result.output and "~~ora\\!~~ **adesso\\!**" in result.output


def test_invalid_side_is_reported_with_the_validator_messages(repo: Path) -> None:
    edit(
        repo,
        BELLEZZA,
        lambda text: text.replace("    testo: >-\n      Conclusioni", "    tetso: >-\n      Conclusioni"),
    )
    result = CliRunner().invoke(cli, ["diff", "base", "HEAD"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "HEAD:programma/stakeholder/bellezza.yaml:27:5: azioni[1].tetso: campo sconosciuto «tetso»" in result.output


def test_unknown_revision_is_a_clear_error(repo: Path) -> None:
    result = CliRunner().invoke(cli, ["diff", "base", "nessuna-revisione"])
    assert result.exit_code == 1 and "nessuna-revisione" in result.output and "Traceback" not in result.output


# What the command line and the revision's own files must never do


@pytest.mark.parametrize("which", ["old", "new"])
def test_a_revision_that_looks_like_an_option_never_reaches_git(repo: Path, which: str) -> None:
    target = repo / "sovrascritto.txt"
    target.write_text("da tenere\n", "utf-8")
    option = f"--output={target}"
    result = diff("--", option, "HEAD") if which == "old" else diff("HEAD", "--", option)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"Errore: «{option}» non è una revisione git: una revisione non inizia con «-»" in result.output
    assert target.read_text("utf-8") == "da tenere\n"
    assert sorted(path.name for path in repo.iterdir()) == [".git", "programma", "sovrascritto.txt"]


def test_a_revision_with_invisible_characters_is_refused_escaped(repo: Path) -> None:
    result = diff("base", "HEAD\x1b[2J")
    assert result.exit_code == 1 and "\x1b" not in result.output
    assert result.output.startswith("Errore: «HEAD\\x1b[2J» non è una revisione git")


@pytest.mark.parametrize("data_dir", ["../programma", "/etc", "programma/../.."])
def test_dir_outside_the_repository_is_refused(repo: Path, data_dir: str) -> None:
    result = diff("base", "HEAD", "--dir", data_dir)
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"Errore: --dir «{data_dir}»: per le revisioni git serve un percorso dentro il repository" in result.output


def test_a_tree_is_not_a_commit(repo: Path) -> None:
    result = diff("base", "HEAD^{tree}")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Errore: «HEAD^{tree}» non è un commit di questo repository git" in result.output


def test_git_missing_from_the_path(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(repo / "vuota"))
    result = diff("base", "HEAD")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == "Errore: git non è installato o non è nel PATH: serve per leggere le revisioni\n"


@pytest.mark.parametrize("target", ["/etc/passwd", "../valori.yaml"], ids=["absolute", "relative"])
def test_a_link_in_the_revision_is_reported_not_followed(repo: Path, target: str) -> None:
    (repo / "programma/stakeholder/ladro.yaml").symlink_to(target)
    commit(repo, "link")
    result = diff("base", "HEAD")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.splitlines() == [
        "HEAD:programma/stakeholder/ladro.yaml:1:1: è un collegamento simbolico, che può portare fuori dalla "
        "cartella del programma: sostituiscilo con il file o la cartella vera",
        "1 problema trovato: il programma non è valido.",
    ]


def test_a_linked_stakeholder_folder_in_the_revision(repo: Path) -> None:
    (repo / "programma/stakeholder").rename(repo / "altrove")
    (repo / "programma/stakeholder").symlink_to("../altrove", target_is_directory=True)
    commit(repo, "linked folder")
    result = diff("base", "HEAD")
    assert result.exit_code == 1 and "HEAD:programma/stakeholder:1:1: è un collegamento simbolico" in result.output


def test_a_folder_against_a_revision_with_a_link(repo: Path) -> None:
    (repo / "programma/stakeholder/ladro.yaml").symlink_to("/etc/passwd")
    result = diff("base", "programma")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "programma/stakeholder/ladro.yaml:1:1: è un collegamento simbolico" in result.output


def test_a_linked_programme_folder_in_the_revision(repo: Path) -> None:
    (repo / "programma").rename(repo / "vero")
    (repo / "programma").symlink_to("vero", target_is_directory=True)
    commit(repo, "linked programme")
    result = diff("base", "HEAD")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output.splitlines() == [
        "HEAD:programma:1:1: la cartella del programma è un collegamento simbolico, che può portare ovunque: "
        "usa la cartella vera",
        "1 problema trovato: il programma non è valido.",
    ]


def test_dir_naming_a_file_in_the_revision(repo: Path) -> None:
    result = diff("base", "HEAD", "--dir", "programma/valori.yaml")
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert result.output == "Errore: «programma/valori.yaml» alla revisione git «base» non è una cartella\n"


def test_dir_written_another_way_names_files_as_usual(repo: Path) -> None:
    edit(
        repo,
        BELLEZZA,
        lambda text: text.replace("    testo: >-\n      Conclusioni", "    tetso: >-\n      Conclusioni"),
    )
    result = diff("base", "HEAD", "--dir", "./programma/")
    assert result.output.startswith("HEAD:programma/stakeholder/bellezza.yaml:27:5: azioni[1].tetso: campo sconosciuto")
