"""The printable PDFs, read back as a reader's tools read them: text, pages, geometry, metadata."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from programma_site.model import Action, Programme, Stakeholder
from programma_site.pdf import render_pdfs
from programma_site.render import human_size, italian_date, render, shared_with
from programma_site.sourcedate import source_date

from .conftest import PDF_DATE, ROOT, TEMPLATES
from .htmlpage import Page
from .paper import MM, PAGE_WIDTH, SIDE_MARGIN, Word, printed_pages, words_of

DATE = PDF_DATE
VALUES_COLUMN = 29 * MM  # col.col-valori in print.css: the rightmost column of the actions tables
HEADER = "N.AzioneRiguardaancheValori"
SLUGS = [
    "bambini-giovani", "under-30", "famiglie-anziani", "imprese-lavoro", "cultura",
    "bellezza", "terzo-settore-sport", "ambiente-salute", "dipendenti-comunali",
]  # fmt: skip
PROGRAMMA = Path(sys.executable).with_name("programma")  # the installed command, as a terminal runs it
POPPLER = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


def flat(text: str) -> str:
    """Text with what line breaking changes taken out: spaces, line ends, hyphens, ligatures."""
    return re.sub(r"[\s\-\u00ad\u2010]+", "", unicodedata.normalize("NFKC", text))


@pytest.fixture(scope="session")
def pdf_dir(built_site: Path) -> Path:
    """The PDFs as files, for poppler's tools: those the site build printed (conftest's `pdfs`)."""
    return built_site / "pdf"


@pytest.fixture(scope="session")
def texts(pdfs: dict[str, bytes]) -> dict[str, list[str]]:
    """Each PDF's text page by page, in drawing order (pypdf): a table cell's words stay together."""
    return {path: [page.extract_text() for page in reader(content).pages] for path, content in pdfs.items()}


@pytest.fixture(scope="session")
def bodies(pdf_dir: Path) -> dict[str, str]:
    """Each PDF's running text in reading order (pdftotext), without running headers and footers.

    Paragraphs that cross a page break read as one: the page furniture is cropped away.
    """
    top, height = round(24 * MM), round((297 - 24 - 22) * MM)
    crop = ["-x", "0", "-y", str(top), "-W", str(round(PAGE_WIDTH)), "-H", str(height)]
    return {f"pdf/{pdf.name}": flat(pdftotext(*crop, str(pdf), "-")) for pdf in sorted(pdf_dir.glob("*.pdf"))}


def pdftotext(*arguments: str) -> str:
    return subprocess.run(["pdftotext", *arguments], capture_output=True, check=True, text=True).stdout


def reader(content: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(BytesIO(content))


def paragraphs(programme: Programme, person: Stakeholder) -> list[str]:
    """The running text of a chapter: narrative, actions, editorial notes, shared actions and their source."""
    texts = [*person.narrative, *(action.text for action in (*person.actions, *person.shared))]
    texts += [action.note for action in (*person.actions, *person.shared) if action.note]
    return texts + [reference(programme, action) for action in person.shared]


def rows(person: Stakeholder) -> list[str]:
    """What each row of a chapter's actions table starts with: number, id, text."""
    return [flat(f"{action.number}{action.id}{action.text}") for action in person.actions]


def reference(programme: Programme, action: Action) -> str:
    return f"{programme.by_stakeholder[action.stakeholder].name}, azione {action.number} ({action.id})"


def test_one_pdf_per_stakeholder_and_one_for_the_whole_programme(pdfs: dict[str, bytes]) -> None:
    assert list(pdfs) == [f"pdf/{slug}.pdf" for slug in SLUGS] + ["pdf/programma.pdf"]
    assert all(content.startswith(b"%PDF-") for content in pdfs.values())


@pytest.mark.parametrize("slug", SLUGS)
def test_chapter_has_a_cover_and_numbered_pages(texts: dict[str, list[str]], programme: Programme, slug: str) -> None:
    person, pages = programme.by_stakeholder[slug], texts[f"pdf/{slug}.pdf"]
    cover = flat(pages[0])
    for words in (programme.title, programme.coalition, programme.period, person.name, "1º settembre 2020"):
        assert flat(words) in cover
    assert all(flat(f"Pagina {n} di {len(pages)}") in flat(page) for n, page in enumerate(pages, 1))


@POPPLER
@pytest.mark.parametrize("slug", SLUGS)
def test_chapter_prints_narrative_actions_notes_and_shared_actions(
    texts: dict[str, list[str]], bodies: dict[str, str], programme: Programme, slug: str
) -> None:
    person, name = programme.by_stakeholder[slug], f"pdf/{slug}.pdf"
    for words in paragraphs(programme, person):
        assert flat(words) in bodies[name], words
    pages = [flat(page) for page in texts[name]]
    assert all(any(row in page for page in pages) for row in rows(person))


@pytest.mark.parametrize("slug", SLUGS)
def test_chapter_prints_the_values_of_every_action(
    texts: dict[str, list[str]], programme: Programme, slug: str
) -> None:
    person = programme.by_stakeholder[slug]
    pages = [flat(page) for page in texts[f"pdf/{slug}.pdf"]]
    for action in person.actions:
        names = flat("".join(programme.by_value[value].name for value in action.values))
        assert any(flat(f"{action.text}") in page and names in page for page in pages), action.id
    summary = flat("".join(texts[f"pdf/{slug}.pdf"])).split(flat("I valori di queste azioni"))[1]
    for value in programme.values:
        numbers = [action.number for action in person.actions if value.slug in action.values]
        if numbers:  # «Futuro azioni 1, 4, 7»
            assert flat(f"{value.name} {'azione' if len(numbers) == 1 else 'azioni'} {numbers[0]}") in summary


@POPPLER
def test_whole_programme_prints_everything(
    texts: dict[str, list[str]], bodies: dict[str, str], programme: Programme
) -> None:
    body = bodies["pdf/programma.pdf"]
    for section in programme.sections:
        assert all(flat(words) in body for words in (section.title, *section.paragraphs))
    for value in programme.values:
        assert flat(f"{value.name}: {value.text}") in body
    pages = [flat(page) for page in texts["pdf/programma.pdf"]]
    for person in programme.stakeholders:
        assert all(flat(words) in body for words in paragraphs(programme, person))
        assert all(any(row in page for page in pages) for row in rows(person))
    assert flat(f"Pagina 1 di {len(pages)}") in pages[0]


def test_contents_give_the_page_where_each_chapter_starts(texts: dict[str, list[str]], programme: Programme) -> None:
    pages = texts["pdf/programma.pdf"]
    assert pages[1].startswith("Indice")
    starts = chapter_starts(pages, programme)
    for person in programme.stakeholders:
        found = re.search(rf"{re.escape(person.name)}[ .]*(\d+)", pages[1])
        assert found and int(found[1]) == starts[person.slug] + 1, person.name


def test_cross_tables_count_shared_actions_and_values(texts: dict[str, list[str]], programme: Programme) -> None:
    pages = texts["pdf/programma.pdf"]
    tables = flat("".join(pages[next(n for n, page in enumerate(pages) if "Stakeholder per stakeholder" in page) :]))
    people = programme.stakeholders
    for number, person in enumerate(people, 1):
        shared = [len(shared_with(programme, person, other)) if other != person else 0 for other in people]
        assert flat(f"{number}{person.name}{''.join(str(count or '—') for count in shared)}") in tables
        valued = [len([a for a in person.actions if value.slug in a.values]) for value in programme.values]
        assert flat(f"{person.name}{''.join(str(count or '—') for count in valued)}") in tables


def test_references_print_their_target_page(texts: dict[str, list[str]], programme: Programme) -> None:
    pages = texts["pdf/programma.pdf"]
    text = " ".join(" ".join(pages).split())
    for action in programme.actions:
        if action.also_for:
            found = re.search(rf"{re.escape(reference(programme, action))}, p\. (\d+)", text)
            assert found, action.id
            assert flat(f"{action.number}{action.id}{action.text}") in flat(pages[int(found[1]) - 1])


def test_tables_repeat_their_header_on_every_page(texts: dict[str, list[str]], programme: Programme) -> None:
    """Every page holding rows of an actions table has the table's header above them."""
    spanning = dict.fromkeys(texts, 0)
    for name, text in texts.items():
        pages = [flat(page) for page in text]
        for person in programme.stakeholders:
            firsts = [flat(f"{a.number}{a.id}") for a in person.actions]  # a row's first cell: number and id
            holding = [page for page in pages if any(first in page for first in firsts)]
            for page in holding:
                assert HEADER in page[: min(page.index(first) for first in firsts if first in page)], name
            spanning[name] += len(holding) > 1
    assert spanning["pdf/programma.pdf"] >= 2, "no table spans two pages: the test would prove nothing"
    assert sum(spanning.values()) > spanning["pdf/programma.pdf"]


def chapter_starts(pages: list[str], programme: Programme) -> dict[str, int]:
    """The index of the page where each chapter printed in `pages` starts (its narrative's first words)."""
    starts = {}
    for person in programme.stakeholders:
        opening = flat(person.narrative[0])[:80]
        found = [n for n, page in enumerate(pages) if opening in flat(page)]
        if found:
            starts[person.slug] = found[0]
    return starts


@POPPLER
@pytest.mark.parametrize("name", ["programma.pdf", "terzo-settore-sport.pdf"])
def test_no_word_runs_past_the_margins(pdf_dir: Path, name: str) -> None:
    pages = words_by_page(pdf_dir / name)
    for number, words in enumerate(pages, 1):
        assert all(word.x_min >= SIDE_MARGIN - 1 and word.x_max <= PAGE_WIDTH - SIDE_MARGIN + 1 for word in words), (
            f"page {number}"
        )


@POPPLER
@pytest.mark.parametrize("slug", SLUGS)
def test_rightmost_column_is_printed_whole(pdf_dir: Path, programme: Programme, slug: str) -> None:
    """The Valori column's header and every value name stand inside the column, inside the page."""
    column = (PAGE_WIDTH - SIDE_MARGIN - VALUES_COLUMN - 1, PAGE_WIDTH - SIDE_MARGIN + 1)
    words = [word for page in words_by_page(pdf_dir / f"{slug}.pdf") for word in page]
    inside = [word.text for word in words if column[0] <= word.x_min and word.x_max <= column[1]]
    assert "Valori" in inside
    printed = " ".join(inside)
    for action in programme.by_stakeholder[slug].actions:
        for value in action.values:
            assert all(part in printed for part in programme.by_value[value].name.split())


@POPPLER
def test_pages_are_blank_beyond_the_margins(pdf_dir: Path, tmp_path: Path) -> None:
    """Rendered as a reader sees them, no page of the whole programme has ink in its side margins."""
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf_dir / "programma.pdf"), str(tmp_path / "p")], check=True)
    for image in sorted(tmp_path.glob("p-*.png")):
        with Image.open(image) as page:
            grey = page.convert("L")
            margin = round(grey.width * (SIDE_MARGIN - 2 * MM) / PAGE_WIDTH)
            for strip in (grey.crop((0, 0, margin, grey.height)), grey.crop((grey.width - margin, 0, *grey.size))):
                assert strip.getextrema()[0] >= 250, image.name


def words_by_page(pdf: Path) -> list[list[Word]]:
    """Every word with its box, page by page, on pages of A4 width."""
    pages = printed_pages(pdf)
    assert all(abs(float(page.attrib["width"]) - PAGE_WIDTH) < 1 for page in pages), "not A4"
    return [words_of(page) for page in pages]


def test_metadata(pdfs: dict[str, bytes], programme: Programme) -> None:
    for path, content in pdfs.items():
        pdf = reader(content)
        info = pdf.metadata
        assert info is not None
        assert info.title is not None and info.title.endswith(programme.title)
        assert info.author == programme.coalition
        assert info["/CreationDate"] == info["/ModDate"] == "D:20200901123000Z"
        assert pdf.trailer["/Root"]["/Lang"] == "it"
        assert "/StructTreeRoot" in pdf.trailer["/Root"], f"{path} is not tagged"
    assert reader(pdfs["pdf/cultura.pdf"]).metadata.title.startswith("Cultura")  # type: ignore[union-attr]


def test_only_titillium_web_is_embedded(pdfs: dict[str, bytes]) -> None:
    """No glyph falls back to a system font (WeasyPrint's default hyphen, U+2010, once did)."""
    for path, content in pdfs.items():
        fonts = set()
        for page in reader(content).pages:
            for font in page["/Resources"].get("/Font", {}).values():
                fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
        assert fonts and all(font.startswith("Titillium-Web") for font in fonts), (path, fonts)


def test_the_same_input_gives_the_same_bytes(pdfs: dict[str, bytes], programme: Programme) -> None:
    again = render_pdfs(programme, TEMPLATES, "cultura", date=DATE)
    assert again == {"pdf/cultura.pdf": pdfs["pdf/cultura.pdf"]}


def test_the_command_writes_the_same_bytes_in_another_process(pdfs: dict[str, bytes], tmp_path: Path) -> None:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": str(int(DATE.timestamp()))}
    command = [str(PROGRAMMA), "pdf", "--stakeholder", "bellezza", "--out", str(tmp_path)]
    result = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, check=False)
    size = human_size(len(pdfs["pdf/bellezza.pdf"]))
    assert (result.returncode, result.stdout) == (0, f"Scritto {tmp_path}/bellezza.pdf ({size}).\n"), result.stderr
    assert (tmp_path / "bellezza.pdf").read_bytes() == pdfs["pdf/bellezza.pdf"]


def test_unknown_stakeholder(programme: Programme) -> None:
    with pytest.raises(ValueError, match="sport"):
        render_pdfs(programme, TEMPLATES, "sport", date=DATE)


def test_the_command_suggests_the_closest_stakeholder(tmp_path: Path) -> None:
    command = [str(PROGRAMMA), "pdf", "--stakeholder", "ambiente", "--out", str(tmp_path / "pdf")]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(
        "Errore d'uso: --stakeholder: «ambiente» non è uno stakeholder del programma; forse intendevi «ambiente-salute»?"
    )
    assert not (tmp_path / "pdf").exists()


def test_source_date_from_the_environment_then_git_then_1970(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1598963400")
    assert source_date(tmp_path) == DATE
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    last_commit = subprocess.run(
        ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True, text=True, check=True
    )
    assert source_date(ROOT) == datetime.fromtimestamp(int(last_commit.stdout), UTC)
    assert source_date(tmp_path) == datetime.fromtimestamp(0, UTC)  # not a repository


@pytest.mark.parametrize(
    ("size", "words"),
    [(870, "870 byte"), (26_771, "27 kB"), (171_637, "172 kB"), (999_499, "999 kB"), (1_400_000, "1,4 MB")],
)
def test_human_size(size: int, words: str) -> None:
    assert human_size(size) == words


@pytest.mark.parametrize("slug", SLUGS)
def test_stakeholder_pages_link_their_pdf_with_its_size(pages: dict[str, Page], built_site: Path, slug: str) -> None:
    page = pages[f"/stakeholder/{slug}/"]
    [href] = [href for href in page.links if href.endswith(".pdf")]
    target = built_site / page.resolve(href)[0].lstrip("/")
    assert target == built_site / "pdf" / f"{slug}.pdf" and target.read_bytes().startswith(b"%PDF-")
    assert f"Scarica il capitolo in PDF ({human_size(target.stat().st_size)})" in page.text


def test_home_links_the_whole_programme(pages: dict[str, Page], built_site: Path) -> None:
    home = pages["/"]
    assert "pdf/programma.pdf" in home.links
    size = human_size((built_site / "pdf/programma.pdf").stat().st_size)
    assert f"Scarica il programma completo in PDF ({size})" in home.text


@pytest.mark.parametrize(
    ("date", "words"),
    [(DATE, "1º settembre 2020"), (datetime(2026, 11, 25, 23, 59, tzinfo=UTC), "25 novembre 2026")],
)
def test_italian_date(date: datetime, words: str) -> None:
    assert italian_date(date) == words


def test_pages_link_only_the_downloads_they_are_given(programme: Programme) -> None:
    """Without PDFs (the plugin's `pdf: false`, or `programma build`) no page offers one."""
    assert not any("Scarica" in page.markdown for page in render(programme, TEMPLATES))
    pages = {page.path: page.markdown for page in render(programme, TEMPLATES, downloads={"pdf/cultura.pdf": 26_771})}
    assert "[Scarica il capitolo in PDF (27 kB)](../pdf/cultura.pdf)" in pages["stakeholder/cultura.md"]
    assert [path for path, markdown in pages.items() if "Scarica" in markdown] == ["stakeholder/cultura.md"]
