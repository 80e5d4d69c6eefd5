"""The field reference for editors, read from the JSON Schema so it can never drift from it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .defaults import schemas as read_schemas

__all__ = ["Field", "fields", "read_schemas", "resolve"]

TYPES = {"string": "testo", "integer": "numero intero", "array": "elenco", "object": "gruppo di campi"}
PLURALS = {"string": "testi", "integer": "numeri interi", "object": "gruppi di campi"}
# The schema files in the order an editor meets them, with the file each one describes.
FILES = (
    ("programma.schema.json", "programma/programma.yaml"),
    ("valori.schema.json", "programma/valori.yaml"),
    ("stakeholder.schema.json", "programma/stakeholder/<slug>.yaml"),
)


@dataclass(frozen=True)
class Field:
    """One field of a programme file, as the schema describes it."""

    file: str
    path: str
    kind: str
    required: bool
    title: str
    description: str


def fields(schema_dir: Path) -> tuple[Field, ...]:
    """Every property of every schema, depth first, in the schema's own order."""
    schemas = read_schemas(schema_dir)
    return tuple(f for name, file in FILES for f in _walk(schemas, schemas[name], file, ""))


def _walk(schemas: dict[str, Any], node: dict[str, Any], file: str, prefix: str) -> list[Field]:
    found: list[Field] = []
    required = set(node.get("required", []))
    for name, prop in node.get("properties", {}).items():
        resolved = resolve(schemas, prop)
        path = f"{prefix}{name}"
        found.append(Field(file, path, _kind(schemas, resolved), name in required, prop.get("title", resolved.get("title", "")),
                           prop.get("description", resolved.get("description", ""))))  # fmt: skip
        items = resolve(schemas, resolved.get("items", {}))
        found += _walk(schemas, items, file, f"{path}[].") + _walk(schemas, resolved, file, f"{path}.")
    return found


def resolve(schemas: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow a $ref to a sibling schema file, keeping the referring node's own keywords on top."""
    if "$ref" not in node:
        return node
    return {**schemas[node["$ref"]], **{key: value for key, value in node.items() if key != "$ref"}}


def _kind(schemas: dict[str, Any], node: dict[str, Any]) -> str:
    kind = TYPES.get(str(node.get("type", "")), "")
    if node.get("type") == "array":
        items = resolve(schemas, node.get("items", {}))
        kind += f" di {PLURALS.get(items.get('type', ''), 'voci')}"
    return kind
