"""References between schema files are inlined for speed, without changing what is checked."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from programma_site.defaults import SCHEMA
from programma_site.schema import validator

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TEXT = {"$id": "t.schema.json", "type": "string"}


def schema_dir(tmp_path: Path, **schemas: dict[str, Any]) -> Path:
    for name, schema in schemas.items():
        (tmp_path / f"{name}.schema.json").write_text(json.dumps({"$schema": DRAFT, **schema}), "utf-8")
    return tmp_path


def errors(directory: Path, name: str, instance: Any) -> list[tuple[str, list[str | int]]]:
    found = validator(directory, f"{name}.schema.json").iter_errors(instance)
    return sorted((str(error.validator), list(error.absolute_path)) for error in found)


def test_the_real_schemas_need_no_reference_at_validation_time() -> None:
    for path in sorted(SCHEMA.glob("*.schema.json")):
        schema = validator(SCHEMA, path.name).schema
        assert '"$ref"' not in json.dumps(schema), path.name
        assert '"$ref"' in path.read_text("utf-8") or path.name == "testo.schema.json"


def test_inlined_reference_checks_the_same(tmp_path: Path) -> None:
    root = {"type": "object", "properties": {"a": {"$ref": "t.schema.json", "title": "A"}}}
    directory = schema_dir(tmp_path, t=TEXT, root=root)
    assert "$ref" not in validator(directory, "root.schema.json").schema["properties"]["a"]
    assert errors(directory, "root", {"a": 3}) == [("type", ["a"])]
    assert errors(directory, "root", {"a": "x"}) == []


def test_a_keyword_on_both_sides_keeps_the_reference(tmp_path: Path) -> None:
    short = {**TEXT, "maxLength": 3}
    root = {"type": "object", "properties": {"a": {"$ref": "t.schema.json", "maxLength": 5, "minLength": 2}}}
    directory = schema_dir(tmp_path, t=short, root=root)
    assert validator(directory, "root.schema.json").schema["properties"]["a"]["$ref"] == "t.schema.json"
    assert errors(directory, "root", {"a": "abcd"}) == [("maxLength", ["a"])]
    assert errors(directory, "root", {"a": "a"}) == [("minLength", ["a"])]


def test_a_cycle_of_references_terminates_and_still_checks(tmp_path: Path) -> None:
    tree = {"type": "object", "properties": {"child": {"$ref": "tree.schema.json"}, "n": {"type": "integer"}}}
    directory = schema_dir(tmp_path, tree=tree)
    assert errors(directory, "tree", {"child": {"child": {"n": "x"}}}) == [("type", ["child", "child", "n"])]


def test_a_file_with_its_own_definitions_is_not_inlined(tmp_path: Path) -> None:
    defs = {"$id": "d.schema.json", "$defs": {"s": {"type": "string"}}, "$ref": "#/$defs/s"}
    root = {"type": "object", "properties": {"a": {"$ref": "d.schema.json"}}}
    directory = schema_dir(tmp_path, d=defs, root=root)
    assert validator(directory, "root.schema.json").schema["properties"]["a"] == {"$ref": "d.schema.json"}
    assert errors(directory, "root", {"a": 1}) == [("type", ["a"])]
