"""Both schema validators' verdicts on one file: the compiled fast path must agree with jsonschema."""

from __future__ import annotations

from pathlib import Path

from programma_site.schema import passes, validator
from programma_site.yamlsource import Document, read


def schema_name(path: Path) -> str:
    return "stakeholder.schema.json" if path.parent.name == "stakeholder" else f"{path.stem}.schema.json"


def verdicts(path: Path, schema_dir: Path) -> tuple[bool, bool] | None:
    """(fast path says valid, jsonschema says valid), or None when the file is not even read as YAML."""
    document = read(path, path.name)
    fast = passes(schema_dir, schema_name(path))
    if not isinstance(document, Document) or fast is None:
        return None
    return fast(document.data), validator(schema_dir, schema_name(path)).is_valid(document.data)


def programme_files(folder: Path) -> list[Path]:
    return [folder / "programma.yaml", folder / "valori.yaml", *sorted((folder / "stakeholder").glob("*.yaml"))]
