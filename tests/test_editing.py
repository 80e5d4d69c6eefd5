"""The editors' guide on the site: its field reference lists every property of the JSON Schema."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from programma_site.defaults import SCHEMA as SCHEMAS

from .conftest import ROOT
from .htmlpage import Page


def properties(node: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every property path of a schema, read straight from the JSON (refs to the text schema have none)."""
    for name, prop in node.get("properties", {}).items():
        yield prefix + name
        yield from properties(prop.get("items", {}), f"{prefix}{name}[].")
        yield from properties(prop, f"{prefix}{name}.")


FILES = {"programma": "programma.yaml", "valori": "valori.yaml", "stakeholder": "stakeholder/<slug>.yaml"}


@pytest.mark.parametrize("schema", sorted(FILES))
def test_field_reference_lists_every_schema_property(pages: dict[str, Page], schema: str) -> None:
    guide = pages["/come-proporre-una-modifica/"]
    tables = [t for t in guide.tables if t.caption == f"Campi di programma/{FILES[schema]}"]
    assert len(tables) == 1
    listed = [row[0] for row in tables[0].rows]
    expected = list(properties(json.loads((SCHEMAS / f"{schema}.schema.json").read_text("utf-8"))))
    assert listed == expected and len(expected) >= 3
    for row in tables[0].rows:
        assert row[2] in ("sì", "no") and row[3].endswith((".", ")")) and len(row[3]) > 20


def test_guide_explains_the_path_from_edit_link_to_published_page(pages: dict[str, Page]) -> None:
    text = pages["/come-proporre-una-modifica/"].text
    for step in (
        "Modifica questa pagina",
        "Propose changes",
        "Create pull request",
        "riga",
        "colonna",
        "Modifiche al programma",
    ):
        assert step in text


def test_contributing_points_to_the_guide() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
    assert "come-proporre-una-modifica" in text


def test_pre_commit_runs_the_validator() -> None:
    config = (ROOT / ".pre-commit-config.yaml").read_text("utf-8")
    assert (
        "entry: .venv/bin/programma validate" in config
        and "files: ^(programma/|build/programma_site/schema/)" in config
    )


def test_every_schema_has_a_title_and_description() -> None:
    for path in SCHEMAS.glob("*.schema.json"):
        schema = json.loads(path.read_text("utf-8"))
        assert schema["title"] and schema["description"], path.name
