"""What the package ships for every programme, and how a project's own files take their place.

A project overrides the package file by file, as Material's `custom_dir` does: a file at the same
relative path in the project's folder (`macros/`, `macros/overrides/`, `docs/`, `programma/schema/`)
wins; every other file comes from here. A project with none of those folders builds a whole site.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).parent
TEMPLATES = PACKAGE / "templates"  # the pages' *.md.j2, and print/ for the PDFs
OVERRIDES = PACKAGE / "overrides"  # Material template overrides, searched after the project's custom_dir
DOCS = PACKAGE / "docs"  # hand-written pages and assets every programme needs
SCHEMA = PACKAGE / "schema"  # the JSON Schema of the programme files
STYLESHEETS = ("assets/stylesheets/fonts.css", "assets/stylesheets/programma.css")


def search_path(own: Path, default: Path) -> list[Path]:
    """Where Jinja looks for a template: the project's folder first, when it exists, then the package's."""
    return [own, default] if own.is_dir() else [default]


def first(folders: list[Path], name: str) -> Path:
    """The file `name` from the first of `folders` (a search path) that has it."""
    return next((folder / name for folder in folders if (folder / name).is_file()), folders[-1] / name)


def package_files(own: Path, default: Path, pattern: str = "**/*") -> dict[str, Path]:
    """The package's files under `default` that `own` does not replace, by relative POSIX path, sorted."""
    found = {path.relative_to(default).as_posix(): path for path in sorted(default.glob(pattern)) if path.is_file()}
    return {name: path for name, path in found.items() if not (own / name).exists()}


def overlay(own: Path, default: Path, pattern: str) -> dict[str, Path]:
    """Every file matching `pattern`: the project's, then the package's it does not replace, sorted by name."""
    mine = {
        path.relative_to(own).as_posix(): path for path in own.glob(pattern)
    }  # a folder there is an error to report
    return dict(sorted({**package_files(own, default, pattern), **mine}.items()))


def schemas(own: Path) -> dict[str, Any]:
    """The JSON Schemas a programme is checked against, by file name: the package's, each replaced by
    the project's namesake in `own` (its programma/schema/), plus any the project adds."""
    return {name: json.loads(path.read_text("utf-8")) for name, path in overlay(own, SCHEMA, "*.schema.json").items()}
