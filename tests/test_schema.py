"""The schema check: the compiled fast path only where it is proven to agree, and broken schema files reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from programma_site.defaults import SCHEMA
from programma_site.problems import Problem
from programma_site.schema import check, passes
from programma_site.yamlsource import Document, parse

from .agreement import programme_files, verdicts
from .conftest import ROOT

DRAFT = "https://json-schema.org/draft/2020-12/schema"
PROGRAMMA = Path(sys.executable).with_name("programma")


def schema_dir(tmp_path: Path, **schemas: Any) -> Path:
    for name, schema in schemas.items():
        (tmp_path / f"{name}.schema.json").write_text(json.dumps({"$schema": DRAFT, **schema}), "utf-8")
    return tmp_path


def document(text: str) -> Document:
    parsed = parse(text, "dati.yaml")
    assert isinstance(parsed, Document), parsed
    return parsed


def messages(directory: Path, text: str) -> list[str]:
    return [str(problem) for problem in check(document(text), directory, "root.schema.json")]


def test_a_kept_reference_is_checked_by_jsonschema_alone(tmp_path: Path) -> None:
    """A `$ref` that cannot be inlined once crashed the fast path inside check()."""
    short = {"$id": "t.schema.json", "type": "string", "maxLength": 3}
    root = {"type": "object", "properties": {"a": {"$ref": "t.schema.json", "maxLength": 5}}}
    directory = schema_dir(tmp_path, t=short, root=root)
    assert passes(directory, "root.schema.json") is None
    assert messages(directory, "a: abcd\n") == [
        "dati.yaml:1:4: a: valore non valido per la regola «maxLength» dello schema"
    ]
    assert messages(directory, "a: abc\n") == []


def test_dependent_required_is_read_as_draft_2020_12(tmp_path: Path) -> None:
    root = {"type": "object", "dependentRequired": {"nota": ["numero"]}}
    directory = schema_dir(tmp_path, root=root)
    assert passes(directory, "root.schema.json") is None
    assert messages(directory, "nota: x\n") == [
        "dati.yaml:1:1: valore non valido per la regola «dependentRequired» dello schema"
    ]
    assert messages(directory, "nota: x\nnumero: 1\n") == []


def test_prefix_items_is_read_as_draft_2020_12(tmp_path: Path) -> None:
    root = {"type": "array", "prefixItems": [{"type": "integer"}]}
    directory = schema_dir(tmp_path, root=root)
    assert passes(directory, "root.schema.json") is None
    assert messages(directory, "- uno\n") == ["dati.yaml:1:3: [0]: serve un numero intero, trovato un testo («uno»)"]


OUTSIDE: dict[str, dict[str, Any]] = {
    "format": {"type": "string", "format": "email"},  # fastjsonschema checks formats, 2020-12 only annotates
    "unknown": {"type": "string", "x-nuovo": 1},
    "dependentSchemas": {"type": "object", "dependentSchemas": {"a": {"required": ["b"]}}},
    "unevaluatedProperties": {"type": "object", "unevaluatedProperties": False},
}


@pytest.mark.parametrize("keyword", sorted(OUTSIDE))
def test_a_keyword_outside_the_proven_list_means_jsonschema_alone(tmp_path: Path, keyword: str) -> None:
    nested = {"type": "object", "properties": {"a": {"type": "array", "items": OUTSIDE[keyword]}}}
    assert passes(schema_dir(tmp_path, root=nested), "root.schema.json") is None


def test_only_proven_keywords_take_the_fast_path(tmp_path: Path) -> None:
    proven = {"type": "object", "properties": {"a": {"anyOf": [{"type": "string", "minLength": 1}, {"not": {}}]}}}
    assert passes(schema_dir(tmp_path, root=proven), "root.schema.json") is not None


def test_the_real_schemas_take_the_fast_path() -> None:
    for path in sorted(SCHEMA.glob("*.schema.json")):
        assert passes(SCHEMA, path.name) is not None, path.name


def test_both_validators_agree_on_every_real_file() -> None:
    files = programme_files(ROOT / "programma")
    found = [verdicts(path, SCHEMA) for path in files]
    assert found == [(True, True)] * len(files)  # every real file is valid, by both


# A schema file that cannot be used: one Italian problem naming it, never a traceback.

BROKEN = {
    "not-json": ('{\n  "type": "object",\n  "properties": {,}\n}\n', "3:18", "non è JSON valido"),
    "not-an-object": ("[1, 2]\n", "1:1", "deve contenere un oggetto JSON"),
    "not-a-schema": ('{"type": "oggetto"}\n', "1:1", "non è uno JSON Schema valido: regola «anyOf» in «type»"),
    "not-utf8": (b'{"title": "\xe0"}'.decode("latin-1"), "1:1", "non è in UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_schema_file_is_a_problem_naming_it(tmp_path: Path, case: str) -> None:
    text, at, message = BROKEN[case]
    (tmp_path / "root.schema.json").write_bytes(text.encode("latin-1" if case == "not-utf8" else "utf-8"))
    [problem] = check(document("a: 1\n"), tmp_path, "root.schema.json")
    assert f"{problem.file}:{problem.line}:{problem.column}" == f"{tmp_path}/root.schema.json:{at}"
    assert message in problem.message


def test_a_missing_schema_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    assert check(document("a: 1\n"), tmp_path, "root.schema.json") == [
        Problem(f"{tmp_path}/root.schema.json", 1, 1, "file dello schema mancante")
    ]


def test_an_unreadable_schema_file_is_a_problem_naming_it(tmp_path: Path) -> None:
    """Really unreadable: as root, `programma validate` runs with the capabilities that ignore permissions dropped."""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    testo = tmp_path / "programma/schema/testo.schema.json"
    testo.parent.mkdir()
    shutil.copy(SCHEMA / testo.name, testo)
    testo.chmod(0)
    wrapper: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, permissions are ignored unless setpriv (util-linux) drops the capabilities")
        wrapper = [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    result = subprocess.run(
        [*wrapper, str(PROGRAMMA), "validate"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 1, result.stderr
    message = "programma/schema/testo.schema.json:1:1: non si può leggere il file dello schema (permesso negato)"
    assert result.stderr.splitlines()[0] == message


def test_a_schema_file_that_is_a_folder_is_a_problem_naming_it(tmp_path: Path) -> None:
    (tmp_path / "root.schema.json").mkdir()
    [problem] = check(document("a: 1\n"), tmp_path, "root.schema.json")
    assert problem == Problem(
        f"{tmp_path}/root.schema.json", 1, 1, "non si può leggere il file dello schema (è una cartella)"
    )


def test_a_reference_to_no_file_is_a_problem_naming_the_schema(tmp_path: Path) -> None:
    directory = schema_dir(tmp_path, root={"type": "object", "properties": {"a": {"$ref": "manca.schema.json"}}})
    [problem] = check(document("a: 1\n"), directory, "root.schema.json")
    assert (problem.file, problem.message) == (
        f"{directory}/root.schema.json",
        "riferimento dello schema non trovato: «manca.schema.json»",
    )


def test_validate_with_a_broken_schema_exits_1_without_a_traceback(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    testo = tmp_path / "programma/schema/testo.schema.json"  # the project's own copy, overriding the package's
    testo.parent.mkdir()
    testo.write_text((SCHEMA / testo.name).read_text("utf-8").replace('"type"', '"type" "string",', 1), "utf-8")
    result = subprocess.run([str(PROGRAMMA), "validate"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("programma/schema/testo.schema.json:"), result.stderr
    assert result.stderr.endswith("1 problema trovato: il programma non è valido.\n"), result.stderr


def test_a_widened_type_is_named_in_the_message(tmp_path: Path) -> None:
    """A project's schema may accept several types; the message names them all (it once raised a TypeError)."""
    directory = schema_dir(tmp_path, root={"type": "object", "properties": {"n": {"type": ["integer", "string"]}}})
    assert messages(directory, "n: [3]\n") == [
        "dati.yaml:1:4: n: serve un numero intero o un testo, trovato un elenco (voci che iniziano con «- »)"
    ]
