"""The CSV tables of the open data, and their Frictionless description, derived from the JSON Schema.

Each column names the schema property it publishes: its type, constraints, Italian title and
description come from there, so the data package can never drift from what the editors' tools
check. Lists of slugs share one cell, separated by SEPARATOR; the link tables (azioni_valori,
azioni_anche_per) hold the same lists one pair per row, so that their foreign keys are real.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .model import Programme
from .reference import Field, resolve

# A space: slugs never hold one (the schema's slug pattern), it is no CSV delimiter in any locale
# (Excel in Italy splits on `;`), and a cell such as "futuro inclusione" stays readable.
SEPARATOR = " "
SEPARATOR_NOTE = "Nel CSV gli slug sono in una sola cella, separati da uno spazio; la stessa lista è anche in {table}, una coppia per riga."
KINDS = {"string": "testo", "integer": "numero intero"}


@dataclass(frozen=True)
class Column:
    """One CSV column: its name and the schema property it publishes (`azioni[].id`: into the list's items)."""

    name: str
    schema: str
    path: str
    note: str = ""  # what the table adds to the schema's description
    # A column that reuses a property out of its file (a reference to another table) has its own
    # title, and its note replaces the schema's description, which speaks of the YAML file.
    title: str = ""


@dataclass(frozen=True)
class Table:
    """One CSV file of the package."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (column, other table, its column)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"


S, V = "stakeholder.schema.json", "valori.schema.json"
OWNER = "Lo stakeholder a cui l'azione appartiene: il suo slug in stakeholder.csv."
ACTION = "L'azione: il suo identificativo in azioni.csv."
VALUE = "Un valore a cui l'azione contribuisce (classificazione redazionale): il suo slug in valori.csv."
OTHER = "Un altro stakeholder che l'azione riguarda: il suo slug in stakeholder.csv."
TABLES = (
    Table("stakeholder", "Stakeholder", "Gli stakeholder (interlocutori) del programma, nell'ordine del sito.",
          (Column("slug", S, "slug"), Column("nome", S, "nome"), Column("etichetta", S, "etichetta"),
           Column("ordine", S, "ordine")), ("slug",)),
    Table("valori", "Valori", "I valori portanti del programma, nell'ordine del sito.",
          (Column("slug", V, "valori[].slug"), Column("nome", V, "valori[].nome"), Column("testo", V, "valori[].testo")),
          ("slug",)),
    Table("azioni", "Azioni", "Le azioni del programma, una per riga, nell'ordine pubblicato.",
          (Column("id", S, "azioni[].id"), Column("stakeholder", S, "slug", OWNER, "Stakeholder"),
           Column("numero", S, "azioni[].numero"), Column("testo", S, "azioni[].testo"),
           Column("anche_per", S, "azioni[].anche_per", SEPARATOR_NOTE.format(table="azioni_anche_per.csv")),
           Column("valori", S, "azioni[].valori", SEPARATOR_NOTE.format(table="azioni_valori.csv")),
           Column("nota", S, "azioni[].nota")),
          ("id",), (("stakeholder", "stakeholder", "slug"),)),
    Table("azioni_valori", "Azioni e valori", "La classificazione redazionale delle azioni per valore: una riga per ogni coppia azione-valore.",
          (Column("azione", S, "azioni[].id", ACTION, "Azione"), Column("valore", V, "valori[].slug", VALUE, "Valore")),
          ("azione", "valore"), (("azione", "azioni", "id"), ("valore", "valori", "slug"))),
    Table("azioni_anche_per", "Azioni che riguardano anche altri stakeholder", "Una riga per ogni altro stakeholder che un'azione riguarda (il campo anche_per).",
          (Column("azione", S, "azioni[].id", ACTION, "Azione"), Column("stakeholder", S, "slug", OTHER, "Riguarda anche")),
          ("azione", "stakeholder"), (("azione", "azioni", "id"), ("stakeholder", "stakeholder", "slug"))),
)  # fmt: skip


def node(schemas: dict[str, Any], column: Column) -> tuple[dict[str, Any], bool]:
    """The schema node a column publishes, and whether every row must have a value."""
    current, required = schemas[column.schema], True
    for step in column.path.split("."):
        name = step.removesuffix("[]")
        required = name in current.get("required", [])
        current = resolve(schemas, current["properties"][name])
        if step.endswith("[]"):
            current = {**resolve(schemas, current["items"]), "title": current.get("title", "")}
    return current, required


WHOLE_VALUE = "(?!\\n)"


def full_match(pattern: str) -> str:
    """A JSON Schema pattern (found anywhere in the text) as a Table Schema one (matching the whole text)."""
    whole = pattern.removesuffix(WHOLE_VALUE)  # the schemas' guard against Python's `$` before a final newline
    if whole.startswith("^") and whole.endswith("$"):
        return whole[1:-1]
    return f"[\\s\\S]*({pattern})[\\s\\S]*"


def table_field(schemas: dict[str, Any], column: Column) -> dict[str, Any]:
    """A Table Schema field descriptor for one column."""
    schema, required = node(schemas, column)
    constraints: dict[str, Any] = {"required": required}
    if schema.get("type") == "array":
        item = full_match(resolve(schemas, schema["items"])["pattern"])
        constraints["pattern"] = f"({item})({SEPARATOR}({item}))*"
    else:
        constraints.update(_checks(schema))
    kind = "integer" if schema.get("type") == "integer" else "string"
    title = column.title or schema.get("title", "")
    description = column.note if column.title else " ".join(filter(None, (schema.get("description", ""), column.note)))
    return {"name": column.name, "title": title, "description": description, "type": kind, "constraints": constraints}


def _checks(schema: dict[str, Any]) -> dict[str, Any]:
    checks: dict[str, Any] = {
        key: schema[key] for key in ("minimum", "maximum", "minLength", "maxLength", "enum") if key in schema
    }
    if "pattern" in schema:
        checks["pattern"] = full_match(schema["pattern"])
    return checks


def table_schema(schemas: dict[str, Any], table: Table) -> dict[str, Any]:
    keys = [
        {"fields": [column], "reference": {"resource": other, "fields": [field]}}
        for column, other, field in table.foreign_keys
    ]
    fields = [table_field(schemas, column) for column in table.columns]
    return {"fields": fields, "missingValues": [""], "primaryKey": list(table.primary_key), "foreignKeys": keys}


def page_fields(schemas: dict[str, Any]) -> tuple[Field, ...]:
    """The tables' columns as the field reference of the site shows them (lib.md.j2's field_reference)."""
    return tuple(
        Field(table.path, field["name"], _kind(field), field["constraints"]["required"], field["title"], field["description"])
        for table in TABLES
        for field in (table_field(schemas, column) for column in table.columns)
    )  # fmt: skip


def _kind(field: dict[str, Any]) -> str:
    return "slug separati da spazi" if SEPARATOR in field["constraints"].get("pattern", "") else KINDS[field["type"]]


def package(programme: Programme, schemas: dict[str, Any], date: datetime, files: dict[str, bytes]) -> dict[str, Any]:
    """The Frictionless Data Package descriptor (tabular-data-package) for the exported `files`."""
    descriptor: dict[str, Any] = {
        "profile": "tabular-data-package",
        "name": "programma",
        "title": programme.title,
        "description": f"{programme.subtitle}, {programme.coalition} ({programme.municipality}): "
        "i testi come pubblicati, azione per azione, con le aggiunte della redazione. "
        "Il programma intero, con i testi introduttivi e le presentazioni degli stakeholder, è in programma.json.",
        "version": date.astimezone(UTC).strftime("%Y-%m-%d"),
        "created": date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "keywords": ["programma elettorale", programme.municipality, programme.coalition],
        "sources": [{"title": f"{programme.title}. {programme.subtitle}"}],
        "contributors": [{"title": programme.coalition, "role": "author"}],
    }
    if programme.licence is not None:
        licence = programme.licence
        descriptor["licenses"] = [{"name": licence.spdx, "path": licence.url, "title": licence.name}]
        descriptor["sources"][0]["description"] = licence.note
    descriptor["resources"] = [_resource(schemas, table, files[table.path]) for table in TABLES]
    return descriptor


def _resource(schemas: dict[str, Any], table: Table, content: bytes) -> dict[str, Any]:
    return {
        "name": table.name,
        "path": table.path,
        "profile": "tabular-data-resource",
        "title": table.title,
        "description": table.description,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(content),
        "hash": f"sha256:{hashlib.sha256(content).hexdigest()}",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": table_schema(schemas, table),
    }
