"""A project may loosen its copy of the schema; the loader still reports what the model needs, never a traceback."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from programma_site.defaults import SCHEMA

from .conftest import ROOT

PROGRAMMA = Path(sys.executable).with_name("programma")
CULTURA = "programma/stakeholder/cultura.yaml"


@pytest.fixture
def relaxed(tmp_path: Path) -> Path:
    """The real programme whose schemas require nothing and accept any type anywhere."""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    shutil.copytree(SCHEMA, tmp_path / "programma/schema")  # the project's own copy, loosened
    for path in (tmp_path / "programma/schema").glob("*.schema.json"):
        path.write_text(json.dumps(loosen(json.loads(path.read_text("utf-8")))), "utf-8")
    return tmp_path


def loosen(node: Any) -> Any:
    if isinstance(node, list):
        return [loosen(item) for item in node]
    if not isinstance(node, dict):
        return node
    kept = {key: loosen(value) for key, value in node.items() if key not in {"required", "type", "minItems"}}
    return {**kept, "additionalProperties": True} if "properties" in node else kept


def edit(folder: Path, name: str, old: str, new: str) -> tuple[int, int]:
    """Replace the one `old` in the file; the line and column where the value in `new` starts."""
    path = folder / name
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    index = text.index(old) + (new.index(": ") + 2 if ": " in new else 0)
    text = text.replace(old, new)
    path.write_text(text, "utf-8")
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def validate(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(PROGRAMMA), "validate"], cwd=folder, capture_output=True, text=True, check=False)


def test_the_relaxed_programme_is_still_valid(relaxed: Path) -> None:
    result = validate(relaxed)
    assert (result.returncode, result.stderr) == (0, ""), result.stderr


CASES = {
    "missing-field": (CULTURA, "ordine: 5\n", "", "manca il campo obbligatorio «ordine»"),
    "text-for-a-number": (CULTURA, "numero: 3\n", "numero: [3]\n", "azioni[2].numero: serve un numero intero"),
    "number-for-a-text": ("programma/valori.yaml", 'nome: "Futuro"', "nome: 7", "valori[0].nome: serve un testo"),
    "record-for-a-list": (
        "programma/programma.yaml",
        "introduzione:\n",
        "introduzione: {}\nx:\n",
        "introduzione: serve un elenco",
    ),
    "missing-text": (
        "programma/programma.yaml",
        'ruolo_candidato: "Amministrazione a guida"\n',
        "",
        "manca il campo obbligatorio «ruolo_candidato»",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_shape_the_model_cannot_use_is_a_problem_at_its_place(relaxed: Path, case: str) -> None:
    name, old, new, message = CASES[case]
    line, column = edit(relaxed, name, old, new)
    result = validate(relaxed)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    [problem, summary] = result.stderr.splitlines()
    assert summary == "1 problema trovato: il programma non è valido."
    where = problem.split(": ", 1)[0]
    assert where.startswith(f"{name}:") and message in problem, problem
    if new:  # a wrong value is pointed at; a missing field at the record that lacks it
        assert where == f"{name}:{line}:{column}", problem
