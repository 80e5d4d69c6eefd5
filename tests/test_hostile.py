"""The hostile programme (tests/hostile/), built for real: safe, literal and unbroken on the site and in the PDFs.

Checked three ways: on the built HTML, in Chromium (no dialog, no script or frame from the data,
every text read back, no sideways scrolling on a phone), and in the PDFs' text layer.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import Browser, BrowserContext, Dialog
from playwright.sync_api import Page as Tab

from programma_site.loader import load
from programma_site.model import Programme
from programma_site.render import escape_attribute, escape_markdown

from .checkers import validate
from .conftest import Served, serving
from .hostile import (
    HOSTILE,
    PAYLOADS,
    Elements,
    build_hostile,
    chapter_texts,
    every_text,
    normalised,
    page_texts,
    printed,
    printed_parts,
)
from .htmlpage import Page, read_site
from .paper import PAGE_WIDTH, SIDE_MARGIN, printed_words

PHONE, DESKTOP, HEIGHT = 375, 1280, 800
TIMEOUT_MS = 60_000  # a slow machine waits longer; no test measures time
SITE_NAME = "Valenza Futura: un futuro insieme"
# What the data could have smuggled into a page, as the browser's DOM has it.
SMUGGLED = """() => {
  const all = [...document.querySelectorAll("*")];
  const urls = all.flatMap((e) => ["href", "src", "action", "formaction", "data"].map((a) => e.getAttribute(a)));
  return {
    frames: document.querySelectorAll("iframe, frame, object, embed").length,
    // A JSON-LD block is data the browser never runs (the Dati aperti page's Dataset): its text may quote the data.
    scripts: [...document.scripts]
      .filter((s) => s.type !== "application/ld+json" && /alert\\(/.test(s.textContent + (s.src || ""))).length,
    handlers: all.flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName} ${a.name}`)),
    javascript: urls.filter((url) => url && /^\\s*javascript:/i.test(url)),
    images: [...document.images].filter((image) => image.getAttribute("src") === "x").length,
  };
}"""
# How the page and its tables lay out: the page must not scroll sideways, no cell's text may spill out of its cell.
LAYOUT = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  spilling: [...document.querySelectorAll(".md-content td, .md-content th, .md-content p, .md-content li, .md-content h1, .md-content h2, .md-content h3")]
    .filter((e) => e.scrollWidth > e.clientWidth + 1)
    .map((e) => `${e.tagName} ${e.textContent.trim().slice(0, 40)}`),
  rows: [...document.querySelectorAll("table.programma-tabella")].map((t) => [...t.rows].map((r) => r.cells.length)),
  widestCell: Math.max(0, ...[...document.querySelectorAll(".md-content td, .md-content th")].map((c) => c.offsetWidth)),
})"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_hostile(tmp_path_factory.mktemp("hostile"))


@pytest.fixture(scope="module")
def hostile(hostile_site: Path) -> Programme:
    """The hostile programme as the build read it (with the real schema beside it)."""
    return load(hostile_site.parent / "programma")


@pytest.fixture(scope="module")
def hostile_pages(hostile_site: Path) -> dict[str, Page]:
    return read_site(hostile_site)


@pytest.fixture(scope="module")
def hostile_served(hostile_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(hostile_site, tmp_path_factory.mktemp("hostile-served")) as served:
        yield served


# The fixture itself


@pytest.mark.parametrize("name", PAYLOADS)
def test_the_fixture_carries_every_trap(hostile: Programme, name: str) -> None:
    assert any(PAYLOADS[name] in text for text in every_text(hostile)), name


def test_the_fixture_is_valid_and_breaks_lines_inside_an_action(hostile: Programme) -> None:
    table_action = hostile.by_stakeholder["uno"].actions[0]
    assert "|" in table_action.text and "\n" in table_action.text
    assert [path.name for path in sorted(HOSTILE.rglob("*.yaml"))] == [
        "programma.yaml",
        "due.yaml",
        "uno.yaml",
        "valori.yaml",
    ]


# Escaping, unit by unit


@pytest.mark.parametrize(
    ("text", "markdown"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"),
        ("[x](javascript:alert(1))", "\\[x\\]\\(javascript:alert\\(1\\)\\)"),
        ("a | b\n| c", "a \\| b \\| c"),
        ("~~barrato~~", "&#126;&#126;barrato&#126;&#126;"),
        ("{{ 7*7 }}", "\\{\\{ 7\\*7 \\}\\}"),
        ("# titolo", "\\# titolo"),
        ("&amp;", "&amp;amp;"),
    ],
)
def test_escape_markdown(text: str, markdown: str) -> None:
    assert escape_markdown(text) == markdown


def test_escape_attribute() -> None:
    assert escape_attribute("a \"b\" 'c' <d>\n&") == "a &quot;b&quot; &#x27;c&#x27; &lt;d&gt; &amp;"


# The built HTML


def test_every_page_shows_its_texts_as_written(hostile: Programme, hostile_pages: dict[str, Page]) -> None:
    missing = {
        url: [text for text in texts if normalised(text) not in hostile_pages[url].text]
        for url, texts in page_texts(hostile).items()
    }
    assert {url: texts for url, texts in missing.items() if texts} == {}


def test_no_page_holds_markup_from_the_data(hostile_pages: dict[str, Page]) -> None:
    found = {url: Elements(page.path).smuggled() for url, page in hostile_pages.items()}
    assert {url: smuggled for url, smuggled in found.items() if smuggled} == {}


def test_titles_and_navigation_read_as_written(hostile: Programme, hostile_pages: dict[str, Page]) -> None:
    for person in hostile.stakeholders:
        page = Elements(hostile_pages[f"/stakeholder/{person.slug}/"].path)
        assert normalised(page.title) == f"{normalised(person.name)} - {SITE_NAME}"
        assert normalised(person.name) in [normalised(text) for text in page.nav]
    assert "49" not in hostile_pages["/"].text  # {{ 7*7 }} was never evaluated


def test_action_tables_keep_one_row_per_action_and_their_columns(
    hostile: Programme, hostile_pages: dict[str, Page]
) -> None:
    for person in hostile.stakeholders:
        [table] = [t for t in hostile_pages[f"/stakeholder/{person.slug}/"].tables if t.caption.startswith("Le azioni")]
        assert normalised(table.caption) == normalised(f"Le azioni per {person.name}")
        assert table.header == ["N.", "Azione", "Riguarda anche", "Valori"]
        assert table.row_ids == [action.id for action in person.actions]
        assert [len(row) for row in table.rows] == [4] * len(person.actions)
        for action, row in zip(person.actions, table.rows, strict=True):
            assert row[1].startswith(normalised(action.text))


# In Chromium


@dataclass(frozen=True)
class Visit:
    """One page as Chromium showed it: dialogs opened, what was smuggled in, the text, the layout."""

    dialogs: list[str]
    smuggled: dict[str, Any]
    text: str
    title: str
    labels: list[str]
    layout: dict[str, Any]


def visit(tab: Tab, url: str) -> Visit:
    dialogs: list[str] = []

    def dismiss(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", dismiss)
    tab.goto(url, wait_until="load")
    tab.evaluate("document.fonts.ready.then(() => true)")
    text = normalised(tab.locator(".md-content").inner_text())
    labels = tab.locator("[aria-label]").evaluate_all("(all) => all.map((e) => e.getAttribute('aria-label'))")
    return Visit(dialogs, tab.evaluate(SMUGGLED), text, tab.title(), labels, tab.evaluate(LAYOUT))


class Visitor:
    """Visits every page of the hostile site once per width, the first time a test asks."""

    def __init__(self, browser: Browser, served: Served, paths: list[str]) -> None:
        self.browser, self.served, self.paths = browser, served, paths
        self.done: dict[int, dict[str, Visit]] = {}

    def at(self, width: int) -> dict[str, Visit]:
        if width not in self.done:
            context = self.browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="it-IT")
            context.set_default_timeout(TIMEOUT_MS)
            try:
                self.done[width] = {path: self._visit(context, path) for path in self.paths}
            finally:
                context.close()
        return self.done[width]

    def _visit(self, context: BrowserContext, path: str) -> Visit:
        tab = context.new_page()
        try:
            return visit(tab, self.served.url(path))
        finally:
            tab.close()


@pytest.fixture(scope="module")
def visitor(browser: Browser, hostile_served: Served, hostile_pages: dict[str, Page]) -> Visitor:
    paths = sorted(path for path in hostile_pages if path != "/404.html")
    return Visitor(browser, hostile_served, paths)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_dialog_opens_and_nothing_from_the_data_runs(visitor: Visitor, width: int) -> None:
    clean = {"frames": 0, "scripts": 0, "handlers": [], "javascript": [], "images": 0}
    found = {path: (v.dialogs, v.smuggled) for path, v in visitor.at(width).items() if v.dialogs or v.smuggled != clean}
    assert found == {}


def test_every_text_reads_back_in_the_browser(visitor: Visitor, hostile: Programme) -> None:
    visits = visitor.at(DESKTOP)
    missing = {
        path: [text for text in texts if normalised(text) not in visits[path].text]
        for path, texts in page_texts(hostile).items()
    }
    assert {path: texts for path, texts in missing.items() if texts} == {}


def test_titles_and_labels_read_back_in_the_browser(visitor: Visitor, hostile: Programme) -> None:
    visits = visitor.at(DESKTOP)
    for person in hostile.stakeholders:
        seen = visits[f"/stakeholder/{person.slug}/"]
        assert seen.title == f"{normalised(person.name)} - {SITE_NAME}"
        assert normalised(f"Le azioni per {person.name}") in seen.labels


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_page_or_table_breaks(visitor: Visitor, width: int) -> None:
    visits = visitor.at(width)
    wide = {
        path: v.layout["scrollWidth"] for path, v in visits.items() if v.layout["scrollWidth"] > v.layout["clientWidth"]
    }
    assert wide == {}, f"pages wider than {width} px"
    assert {path: v.layout["spilling"] for path, v in visits.items() if v.layout["spilling"]} == {}
    assert {path: v.layout["widestCell"] for path, v in visits.items() if v.layout["widestCell"] > width} == {}
    for path, v in visits.items():
        for table in v.layout["rows"]:
            assert len(set(table)) == 1, (path, table)  # every row as many cells as the header


# The PDFs


@pytest.fixture(scope="module")
def pdf_texts(hostile_site: Path) -> dict[str, str]:
    """Each PDF's text, twice: in drawing order (pypdf: table cells whole) and reading order (pdftotext)."""
    texts = {}
    for pdf in sorted((hostile_site / "pdf").glob("*.pdf")):
        pages = pypdf.PdfReader(BytesIO(pdf.read_bytes())).pages
        drawn = "".join(page.extract_text() for page in pages)
        read = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        texts[pdf.name] = printed(drawn) + "\n" + printed(read)
    return texts


def test_every_stakeholder_and_the_whole_programme_are_printed(hostile_site: Path, hostile: Programme) -> None:
    expected = [f"{person.slug}.pdf" for person in hostile.stakeholders] + ["programma.pdf"]
    assert sorted(path.name for path in (hostile_site / "pdf").glob("*.pdf")) == sorted(expected)


def test_every_text_is_printed_literally(pdf_texts: dict[str, str], hostile: Programme) -> None:
    cover = [
        hostile.title,
        hostile.subtitle,
        hostile.municipality,
        hostile.coalition,
        hostile.candidate,
        hostile.period,
    ]
    expected = {f"{person.slug}.pdf": cover + chapter_texts(person) for person in hostile.stakeholders}
    expected["programma.pdf"] = every_text(hostile)
    missing = {
        name: [text for text in texts if not all(part in pdf_texts[name] for part in printed_parts(text))]
        for name, texts in expected.items()
    }
    assert {name: texts for name, texts in missing.items() if texts} == {}


def test_no_printed_word_runs_past_the_margins(hostile_site: Path) -> None:
    for pdf in sorted((hostile_site / "pdf").glob("*.pdf")):
        for number, words in enumerate(printed_words(pdf), 1):
            outside = [
                w.text[:30] for w in words if w.x_min < SIDE_MARGIN - 1 or w.x_max > PAGE_WIDTH - SIDE_MARGIN + 1
            ]
            assert outside == [], f"{pdf.name}, page {number}"


# The Nu validator


def test_the_hostile_site_is_valid_html(hostile_site: Path, hostile_pages: dict[str, Page]) -> None:
    validation = validate(hostile_site)
    assert validation.pages == len(hostile_pages)
    assert [str(error) for error in validation.errors] == []
