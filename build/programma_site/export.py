"""The programme as open data: one JSON file, CSV tables, and the data package that describes them.

A pure function of the model, the JSON Schema and the data's date: the same inputs give the same
bytes. Texts are written verbatim. The CSV files are UTF-8 without a byte order mark and follow
RFC 4180 (comma, double quotes, CRLF): a BOM would become part of the first column's name in
tools that do not expect one; spreadsheets import the files as UTF-8 (see the *Dati aperti* page).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .datapackage import SEPARATOR, TABLES, package, page_fields
from .model import Action, Programme, Stakeholder
from .reference import Field, read_schemas

Row = tuple[str | int, ...]
ABOUT = {
    "datapackage.json": "La descrizione dei dati (Frictionless Data Package): licenza, fonte, e per ogni tabella i campi, i tipi, i controlli e le chiavi.",
    "programma.json": "Il programma intero, con gli stessi campi dei file YAML: testi introduttivi, valori, stakeholder con presentazione e azioni.",
    **{table.path: table.description for table in TABLES},
}


@dataclass(frozen=True)
class DataFile:
    """One published file, as the page lists it."""

    name: str
    about: str
    size: int  # bytes


@dataclass(frozen=True)
class OpenData:
    """What the *Dati aperti* page shows: the published files, the tables' fields, the data's date."""

    files: tuple[DataFile, ...]  # datapackage.json first, as the entry point
    fields: tuple[Field, ...]
    date: datetime


def export(programme: Programme, schema_dir: Path, date: datetime) -> dict[str, bytes]:
    """Every file of the open data, by name: programma.json, one CSV per table, datapackage.json."""
    schemas = read_schemas(schema_dir)
    files = {"programma.json": to_json(document(programme))}
    tables = rows(programme)
    files |= {table.path: to_csv([column.name for column in table.columns], tables[table.name]) for table in TABLES}
    files["datapackage.json"] = to_json(package(programme, schemas, date, files))
    return files


def describe(files: Mapping[str, bytes], schema_dir: Path, date: datetime) -> OpenData:
    """The page's view of an export: what each file holds and its size, and the tables' fields."""
    order = sorted(files, key=lambda name: (name != "datapackage.json", name != "programma.json"))
    listed = tuple(DataFile(name, ABOUT[name], len(files[name])) for name in order)
    return OpenData(listed, page_fields(read_schemas(schema_dir)), date)


def dataset(programme: Programme, data: OpenData) -> str:
    """The schema.org Dataset for search engines, as JSON safe inside <script> (no <, >, & left)."""
    described: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": programme.title,
        "description": f"{programme.subtitle} di {programme.coalition} ({programme.municipality}) come dati aperti: "
        "testi, azioni, stakeholder e valori in JSON e CSV, con la descrizione Frictionless dei campi.",
        "inLanguage": "it",
        "dateModified": data.date.astimezone(UTC).strftime("%Y-%m-%d"),
        "creator": {"@type": "Organization", "name": programme.coalition},
        "isAccessibleForFree": True,
        "distribution": [_download(file) for file in data.files],
    }
    if programme.licence is not None:
        described["license"] = programme.licence.url
    text = json.dumps(described, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _download(file: DataFile) -> dict[str, str]:
    kind = "text/csv" if file.name.endswith(".csv") else "application/json"
    return {"@type": "DataDownload", "name": file.name, "encodingFormat": kind, "contentUrl": file.name}


def to_json(data: Any) -> bytes:
    """UTF-8 JSON, keys in the order given (the schema's), one trailing newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def to_csv(header: list[str], lines: Iterable[Row]) -> bytes:
    """RFC 4180: quotes only where needed (commas, quotes, line breaks), CRLF between records."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows(lines)
    return buffer.getvalue().encode("utf-8")


def rows(programme: Programme) -> dict[str, list[Row]]:
    """Each table's rows, in programme order; the columns are those of datapackage.TABLES."""
    actions = programme.actions
    return {
        "stakeholder": [(p.slug, p.name, p.label, p.order) for p in programme.stakeholders],
        "valori": [(value.slug, value.name, value.text) for value in programme.values],
        "azioni": [_action_row(action) for action in actions],
        "azioni_valori": [(action.id, slug) for action in actions for slug in action.values],
        "azioni_anche_per": [(action.id, slug) for action in actions for slug in action.also_for],
    }


def _action_row(action: Action) -> Row:
    also_for, values = SEPARATOR.join(action.also_for), SEPARATOR.join(action.values)
    return (action.id, action.stakeholder, action.number, action.text, also_for, values, action.note or "")


def document(programme: Programme) -> dict[str, Any]:
    """The whole programme with the YAML files' own keys, so the same field reference describes it."""
    head: dict[str, Any] = {
        "titolo": programme.title,
        "sottotitolo": programme.subtitle,
        "coalizione": programme.coalition,
        "candidato": programme.candidate,
        "ruolo_candidato": programme.candidate_role,
        "periodo": programme.period,
        "comune": programme.municipality,
    }
    if programme.licence is not None:
        licence = programme.licence
        head["licenza"] = {"dati": {"nome": licence.name, "identificativo": licence.spdx, "url": licence.url}}
        head["licenza"]["nota"] = licence.note
    return {
        **head,
        "introduzione": [{"id": s.id, "titolo": s.title, "paragrafi": list(s.paragraphs)} for s in programme.sections],
        "valori": [{"slug": value.slug, "nome": value.name, "testo": value.text} for value in programme.values],
        "stakeholder": [_stakeholder(person) for person in programme.stakeholders],
    }


def _stakeholder(person: Stakeholder) -> dict[str, Any]:
    return {
        "slug": person.slug,
        "nome": person.name,
        "etichetta": person.label,
        "alias": list(person.aliases),
        "ordine": person.order,
        "narrativa": list(person.narrative),
        "azioni": [_action(action) for action in person.actions],
    }


def _action(action: Action) -> dict[str, Any]:
    item: dict[str, Any] = {"id": action.id, "numero": action.number, "testo": action.text}
    item |= {"anche_per": list(action.also_for), "valori": list(action.values)}
    return item | ({"nota": action.note} if action.note is not None else {})
