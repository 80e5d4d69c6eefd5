"""The open data: verbatim texts, exact CSV round trips, and a data package the real `frictionless` accepts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from programma_site.cli import cli
from programma_site.defaults import SCHEMA as PACKAGE_SCHEMA
from programma_site.export import dataset, describe, export, rows
from programma_site.loader import load
from programma_site.model import Programme
from programma_site.reference import read_schemas
from programma_site.render import italian_date
from programma_site.sourcedate import source_date

from .hostile import hostile_project
from .htmlpage import Page

ROOT = Path(__file__).parents[1]
SCHEMA = PACKAGE_SCHEMA  # the package's: this repository keeps no copy
DATE = datetime.fromtimestamp(1700000000, UTC)
FRICTIONLESS = Path(sys.executable).with_name("frictionless")
CSV_FILES = ("stakeholder.csv", "valori.csv", "azioni.csv", "azioni_valori.csv", "azioni_anche_per.csv")


@pytest.fixture(scope="module")
def files(programme: Programme) -> dict[str, bytes]:
    return export(programme, SCHEMA, DATE)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    return load(hostile_project(tmp_path_factory.mktemp("hostile")) / "programma")


def write(files: dict[str, bytes], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return folder / "datapackage.json"


def validate(package: Path) -> tuple[int, list[str]]:
    """`frictionless validate` as a person runs it: its exit code and the types of the errors it found."""
    assert FRICTIONLESS.is_file(), f"frictionless is not installed next to {sys.executable}"
    command = [str(FRICTIONLESS), "validate", "--json", package.name]
    result = subprocess.run(command, cwd=package.parent, capture_output=True, text=True, check=False, timeout=120)
    report = json.loads(result.stdout)
    errors = [error["type"] for task in report["tasks"] for error in task["errors"]] + [
        error["type"] for error in report["errors"]
    ]
    return result.returncode, errors


def table(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8"), newline="")))


def tampered(files: dict[str, bytes], name: str, old: str, new: str) -> dict[str, bytes]:
    """A copy with one CSV edited and its size and hash updated, so only the content's meaning is wrong."""
    changed = dict(files)
    changed[name] = files[name].replace(old.encode(), new.encode(), 1)
    assert changed[name] != files[name]
    package = json.loads(files["datapackage.json"])
    resource = next(r for r in package["resources"] if r["path"] == name)
    resource["bytes"], resource["hash"] = len(changed[name]), f"sha256:{hashlib.sha256(changed[name]).hexdigest()}"
    changed["datapackage.json"] = json.dumps(package).encode()
    return changed


# The real tool


def test_the_real_package_is_valid_foreign_keys_included(files: dict[str, bytes], tmp_path: Path) -> None:
    assert validate(write(files, tmp_path)) == (0, [])


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("azioni.csv", ",bambini-giovani,1,", ",ignoto,1,"),
        ("azioni_valori.csv", "bambini-giovani-01,futuro", "bambini-giovani-01,ignoto"),
        ("azioni_anche_per.csv", "\r\n", "\r\nazione-inesistente,cultura\r\n"),
    ],
)
def test_a_row_pointing_at_nothing_fails(
    files: dict[str, bytes], tmp_path: Path, name: str, old: str, new: str
) -> None:
    assert validate(write(tampered(files, name, old, new), tmp_path)) == (1, ["foreign-key"])


def test_a_text_breaking_the_schema_fails(files: dict[str, bytes], tmp_path: Path) -> None:
    broken = tampered(files, "azioni.csv", ",futuro creativita,", ",futuro  Creatività,")
    assert validate(write(broken, tmp_path)) == (1, ["constraint-error"])


def test_a_file_changed_after_the_export_fails(files: dict[str, bytes], tmp_path: Path) -> None:
    changed = {**files, "valori.csv": files["valori.csv"] + b"altro,Altro,testo\r\n"}
    assert validate(write(changed, tmp_path)) == (1, ["hash-count", "byte-count"])


def test_the_hostile_package_is_valid(hostile: Programme, tmp_path: Path) -> None:
    assert validate(write(export(hostile, SCHEMA, DATE), tmp_path)) == (0, [])


# Verbatim texts


def test_azioni_csv_has_every_action_verbatim(files: dict[str, bytes], programme: Programme) -> None:
    header, *lines = table(files["azioni.csv"])
    assert header == ["id", "stakeholder", "numero", "testo", "anche_per", "valori", "nota"]
    assert len(lines) == 84
    for line, action in zip(lines, programme.actions, strict=True):
        assert line[:4] == [action.id, action.stakeholder, str(action.number), action.text]
        assert line[4:] == [" ".join(action.also_for), " ".join(action.values), action.note or ""]


def test_programma_json_has_every_text_verbatim(files: dict[str, bytes], programme: Programme) -> None:
    data = json.loads(files["programma.json"])
    assert [data[key] for key in ("titolo", "sottotitolo", "coalizione", "candidato", "periodo", "comune")] == [
        programme.title, programme.subtitle, programme.coalition, programme.candidate, programme.period,
        programme.municipality,
    ]  # fmt: skip
    assert [(s["titolo"], s["paragrafi"]) for s in data["introduzione"]] == [
        (s.title, list(s.paragraphs)) for s in programme.sections
    ]
    assert [(v["nome"], v["testo"]) for v in data["valori"]] == [(v.name, v.text) for v in programme.values]
    for item, person in zip(data["stakeholder"], programme.stakeholders, strict=True):
        assert (item["nome"], item["etichetta"], item["alias"]) == (person.name, person.label, list(person.aliases))
        assert item["narrativa"] == list(person.narrative)
        assert [(a["testo"], a.get("nota")) for a in item["azioni"]] == [(a.text, a.note) for a in person.actions]


def test_programma_json_has_the_yaml_files_shape(files: dict[str, bytes]) -> None:
    """Each part validates against the schema of the file it comes from, so one field reference serves both."""
    data = json.loads(files["programma.json"])
    schemas = read_schemas(SCHEMA)
    registry: Registry[Any] = Registry().with_resources((n, Resource.from_contents(s)) for n, s in schemas.items())
    head = {key: value for key, value in data.items() if key not in ("valori", "stakeholder")}
    parts = [("programma.schema.json", head), ("valori.schema.json", {"valori": data["valori"]})]
    parts += [("stakeholder.schema.json", person) for person in data["stakeholder"]]
    for name, part in parts:
        assert list(Draft202012Validator(schemas[name], registry=registry).iter_errors(part)) == [], name


def test_the_hostile_tables_round_trip_exactly(hostile: Programme) -> None:
    files, tables = export(hostile, SCHEMA, DATE), rows(hostile)
    cells = [cell for lines in tables.values() for line in lines for cell in line if isinstance(cell, str)]
    for trap in ('"', ",", "\n", "|", "שלום", "🌍"):
        assert any(trap in cell for cell in cells), trap  # the fixture does test each trap
    for name in CSV_FILES:
        _header, *lines = table(files[name])
        assert lines == [[str(cell) for cell in row] for row in tables[name.removesuffix(".csv")]], name
    assert [line[3] for line in table(files["azioni.csv"])[1:]] == [action.text for action in hostile.actions]


def test_the_hostile_licence_reaches_the_package(hostile: Programme) -> None:
    package = json.loads(export(hostile, SCHEMA, DATE)["datapackage.json"])
    assert hostile.licence is not None and "\n" in hostile.licence.note
    assert package["licenses"] == [{"name": "CC-BY-4.0", "path": hostile.licence.url, "title": hostile.licence.name}]
    assert package["sources"][0]["description"] == hostile.licence.note


# Format and determinism


def test_two_exports_are_byte_identical(files: dict[str, bytes]) -> None:
    assert export(load(ROOT / "programma"), SCHEMA, DATE) == files


def test_another_process_writes_the_same_bytes(files: dict[str, bytes], tmp_path: Path) -> None:
    """A new interpreter with another hash seed: nothing depends on set or dict ordering of a run."""
    environment = {"PYTHONHASHSEED": "4242", "SOURCE_DATE_EPOCH": str(int(DATE.timestamp())), "PATH": ""}
    command = [str(Path(sys.executable).with_name("programma")), "export", "--out", str(tmp_path / "dati")]
    subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, check=True, timeout=120)
    assert {path.name: path.read_bytes() for path in (tmp_path / "dati").iterdir()} == files


def test_the_files_are_utf8_without_bom_crlf_csv_and_json_with_a_newline(files: dict[str, bytes]) -> None:
    assert list(files) == ["programma.json", *CSV_FILES, "datapackage.json"]
    for name, content in files.items():
        assert not content.startswith(b"\xef\xbb\xbf"), name
        content.decode("utf-8")
    for name in ("programma.json", "valori.csv", "azioni.csv", "datapackage.json"):
        assert "à".encode() in files[name] and b"\\u00e0" not in files[name], name  # UTF-8, never escaped
    for name in CSV_FILES:
        assert files[name].endswith(b"\r\n") and b"\n" not in files[name].replace(b"\r\n", b""), name
    assert files["datapackage.json"].endswith(b"}\n") and files["programma.json"].endswith(b"}\n")


def test_the_package_carries_the_licence_date_and_sources(files: dict[str, bytes], programme: Programme) -> None:
    package = json.loads(files["datapackage.json"])
    assert package["profile"] == "tabular-data-package"
    assert (package["created"], package["version"]) == ("2023-11-14T22:13:20Z", "2023-11-14")
    assert package["licenses"] == [
        {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/deed.it", "title": "CC BY 4.0"}
    ]
    assert package["contributors"] == [{"title": "Valenza Futura", "role": "author"}]
    assert package["sources"][0]["title"] == "Valenza Futura: un futuro insieme. Programma elettorale 2020-2025"


# Derived from the JSON Schema


def fields_of(files: dict[str, bytes], resource: str) -> dict[str, dict[str, Any]]:
    package = json.loads(files["datapackage.json"])
    found = next(r for r in package["resources"] if r["name"] == resource)
    return {field["name"]: field for field in found["schema"]["fields"]}


def test_the_table_schemas_carry_the_json_schema(files: dict[str, bytes]) -> None:
    azioni = fields_of(files, "azioni")
    stakeholder = json.loads((SCHEMA / "stakeholder.schema.json").read_text("utf-8"))
    action = stakeholder["properties"]["azioni"]["items"]["properties"]
    assert azioni["id"]["title"] == action["id"]["title"] == "Identificativo"
    assert azioni["id"]["description"] == action["id"]["description"]
    assert azioni["id"]["constraints"] == {"required": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}
    assert azioni["numero"] | {"description": ""} == {
        "name": "numero", "title": "Numero", "description": "", "type": "integer",
        "constraints": {"required": True, "minimum": 1},
    }  # fmt: skip
    assert azioni["nota"]["constraints"]["required"] is False
    assert "separati da uno spazio" in azioni["valori"]["description"]


def test_a_changed_schema_changes_the_package(programme: Programme, tmp_path: Path) -> None:
    schema = shutil.copytree(SCHEMA, tmp_path / "schema")
    path = schema / "valori.schema.json"
    path.write_text(path.read_text("utf-8").replace('"title": "Nome"', '"title": "Nome del valore"'), "utf-8")
    assert fields_of(export(programme, schema, DATE), "valori")["nome"]["title"] == "Nome del valore"


def test_keys_point_at_the_tables_they_name(files: dict[str, bytes]) -> None:
    package = json.loads(files["datapackage.json"])
    keys = {r["name"]: (r["schema"]["primaryKey"], r["schema"]["foreignKeys"]) for r in package["resources"]}
    assert keys["azioni"] == (
        ["id"],
        [{"fields": ["stakeholder"], "reference": {"resource": "stakeholder", "fields": ["slug"]}}],
    )
    assert [key["reference"]["resource"] for key in keys["azioni_valori"][1]] == ["azioni", "valori"]
    assert [key["reference"]["resource"] for key in keys["azioni_anche_per"][1]] == ["azioni", "stakeholder"]


# The page


def json_ld(page: Page) -> dict[str, Any]:
    text = page.path.read_text("utf-8")
    start = text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return dict(json.loads(text[start : text.index("</script>", start)]))


def test_the_page_links_every_published_file_with_its_size(pages: dict[str, Page], built_site: Path) -> None:
    page = pages["/dati/"]
    listed = next(t for t in page.tables if t.caption == "I file dei dati aperti")
    published = sorted(path.name for path in (built_site / "dati").iterdir() if path.name != "index.html")
    assert sorted(row[0] for row in listed.rows) == sorted(links[0] for links in listed.links) == published
    azioni = next(row for row in listed.rows if row[0] == "azioni.csv")
    assert azioni[2] == f"{round((built_site / 'dati/azioni.csv').stat().st_size / 1000)} kB"


def test_the_published_files_are_the_export(built_site: Path, programme: Programme) -> None:
    files = export(programme, SCHEMA, source_date(ROOT))  # the build's date: SOURCE_DATE_EPOCH, or the last commit
    assert {name: (built_site / "dati" / name).read_bytes() for name in files} == files


def test_the_page_explains_every_field_licence_citation_and_date(pages: dict[str, Page], programme: Programme) -> None:
    page = pages["/dati/"]
    captions = [t.caption for t in page.tables]
    assert [f"Campi di {name}" for name in CSV_FILES] == [c for c in captions if c.startswith("Campi di ")]
    azioni = next(t for t in page.tables if t.caption == "Campi di azioni.csv")
    assert [row[0] for row in azioni.rows] == ["id", "stakeholder", "numero", "testo", "anche_per", "valori", "nota"]
    assert programme.licence is not None
    assert programme.licence.url in page.links and " ".join(programme.licence.note.split()) in page.text
    updated = italian_date(source_date(ROOT))  # the date the site was built with
    citation = f"Valenza Futura, Valenza Futura: un futuro insieme. Programma elettorale 2020-2025, dati aperti aggiornati al {updated}"
    assert citation in page.text.replace(" ,", ",")  # the text joins the <em> and what follows with a space


def test_the_page_describes_a_schema_org_dataset(pages: dict[str, Page]) -> None:
    described = json_ld(pages["/dati/"])
    assert (described["@type"], described["license"]) == (
        "Dataset",
        "https://creativecommons.org/licenses/by/4.0/deed.it",
    )
    assert [d["contentUrl"] for d in described["distribution"]][:2] == ["datapackage.json", "programma.json"]


def test_the_dataset_json_cannot_close_its_script(hostile: Programme) -> None:
    data = describe(export(hostile, SCHEMA, DATE), SCHEMA, DATE)
    text = dataset(hostile, data)
    assert not {"<", ">", "&"} & set(text)
    assert json.loads(text)["name"] == hostile.title and "</script>" in hostile.title


# The command


def test_export_command_writes_the_files(
    tmp_path: Path, files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(DATE.timestamp())))
    out = tmp_path / "nuova" / "dati"
    result = CliRunner().invoke(cli, ["export", "--dir", str(ROOT / "programma"), "--out", str(out)])
    assert (result.exit_code, result.output) == (0, f"7 file di dati aperti scritti in {out}/.\n")
    assert {path.name: path.read_bytes() for path in out.iterdir()} == files


@pytest.mark.parametrize("out", ["programma", "programma/stakeholder", "."])
def test_export_command_refuses_a_source_folder(tmp_path: Path, out: str) -> None:
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    (tmp_path / "mkdocs.yml").write_text("site_name: prova\n", "utf-8")
    before = sorted(tmp_path.rglob("*"))
    result = subprocess.run(
        [str(Path(sys.executable).with_name("programma")), "export", "--out", out],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"--out: «{out}» è una cartella di sorgenti" in result.stderr and "Traceback" not in result.stderr
    assert sorted(tmp_path.rglob("*")) == before


def test_export_command_refuses_a_file_in_italian(tmp_path: Path) -> None:
    (tmp_path / "dati").write_text("non una cartella\n", "utf-8")
    result = subprocess.run(
        [str(Path(sys.executable).with_name("programma")), "export", "--dir", str(ROOT / "programma"), "--out", "dati"],
        cwd=tmp_path, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("Errore d'uso: «dati», indicato per «--out», è un file, non una cartella.\n")
    assert (tmp_path / "dati").read_text("utf-8") == "non una cartella\n"
