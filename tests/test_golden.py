"""Golden Markdown: the generated pages of a small invented programme, compared with stored files.

tests/fixtures/piccolo/ is a test fixture (3 stakeholders, 2 values, shared actions, a note);
tests/golden/piccolo/ holds the Markdown `render` must give for it, page by page. When a change
to the templates or the model is meant to change the pages, update the stored files on purpose
and review the difference before committing it:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py && git diff tests/golden/
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from programma_site.model import Programme
from programma_site.render import render

from .conftest import TEMPLATES

GOLDEN = Path(__file__).with_name("golden") / "piccolo"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
# Sizes of PDFs as the site would offer them, so the pages' download links are in the golden files too.
DOWNLOADS = {"pdf/programma.pdf": 123_456, "pdf/scuole.pdf": 45_678, "pdf/quartieri.pdf": 2_048}
PAGES = [
    "index.md", "stakeholder/index.md", "stakeholder/scuole.md", "stakeholder/quartieri.md",
    "stakeholder/botteghe.md", "valori/index.md", "azioni.md", "tabelle.md",
]  # fmt: skip


@pytest.fixture(scope="module")
def pages(piccolo: Programme) -> dict[str, str]:
    rendered = {page.path: page.markdown for page in render(piccolo, TEMPLATES, downloads=DOWNLOADS)}
    if UPDATE:
        for stale in GOLDEN.rglob("*.md"):
            stale.unlink()
        for path, markdown in rendered.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_text(markdown, "utf-8")
    return rendered


def test_every_generated_page_has_a_golden_file(pages: dict[str, str]) -> None:
    assert list(pages) == PAGES
    assert sorted(path.relative_to(GOLDEN).as_posix() for path in GOLDEN.rglob("*.md")) == sorted(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_the_page_is_its_golden_file(pages: dict[str, str], path: str) -> None:
    assert pages[path] == (GOLDEN / path).read_text("utf-8"), f"{path}: see the module docstring to update"
