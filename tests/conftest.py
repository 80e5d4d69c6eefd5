"""Shared fixtures: the real programme, and one real strict build of the real site per test run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from programma_site.loader import load
from programma_site.model import Programme
from programma_site.site import build_site

from .htmlpage import Page, read_site

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def programme() -> Programme:
    return load(ROOT / "programma")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`programma site` as `make site` runs it: strict MkDocs build plus search index."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    destination = tmp_path_factory.mktemp("built") / "site"
    cwd = Path.cwd()
    os.chdir(ROOT)  # mkdocs.yml's paths are relative to the project
    try:
        build_site(ROOT / "mkdocs.yml", destination)
    finally:
        os.chdir(cwd)
    return destination


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, Page]:
    return read_site(built_site)
