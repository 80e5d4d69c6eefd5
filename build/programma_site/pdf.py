"""Render the programme into printable A4 PDFs with WeasyPrint: one per stakeholder, one for all.

A pure function of the programme, the print templates in macros/print/ and a date: the same
inputs give byte-identical PDFs. The date (shown on the cover and stored as the PDF's creation
and modification date) comes from SOURCE_DATE_EPOCH, else from the last commit, so a build
never stamps the wall clock into a file.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .model import Programme, Stakeholder
from .render import WHOLE_PDF, chapter_pdf, shared_with

MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip


def render_pdfs(
    programme: Programme, templates: Path, only: str | None = None, *, date: datetime | None = None
) -> dict[str, bytes]:
    """Every PDF, {"pdf/<slug>.pdf": bytes, ..., "pdf/programma.pdf": bytes}; `only` a slug: that chapter alone."""
    if only is not None and only not in programme.by_stakeholder:
        raise ValueError(f"unknown stakeholder: {only}")
    printer = Printer(programme, templates, date or source_date(templates))
    people = [programme.by_stakeholder[only]] if only else programme.stakeholders
    pdfs = {chapter_pdf(person.slug): printer.chapter(person) for person in people}
    if only is None:
        pdfs[WHOLE_PDF] = printer.whole()
    return pdfs


class Printer:
    """The templates, the stylesheet and the fonts, loaded once for all the PDFs of a build."""

    def __init__(self, programme: Programme, templates: Path, date: datetime) -> None:
        self.programme, self.date = programme, date
        self.folder = (templates / "print").resolve()
        self.env = environment(self.folder)
        self.fonts = FontConfiguration()
        self.css = CSS(filename=self.folder / "print.css", font_config=self.fonts)

    def chapter(self, person: Stakeholder) -> bytes:
        return self._pdf("capitolo.html.j2", person.slug, stakeholder=person)

    def whole(self) -> bytes:
        return self._pdf("programma.html.j2", "programma")

    def _pdf(self, template: str, name: str, **context: object) -> bytes:
        page = self.env.get_template(template).render(programme=self.programme, date=self.date, **context)
        document = HTML(string=page, base_url=self.folder.as_uri() + "/")
        pdf: bytes = document.write_pdf(
            stylesheets=[self.css],
            font_config=self.fonts,
            pdf_identifier=f"programma-{name}".encode(),  # stable: WeasyPrint writes no /ID by default
            pdf_tags=True,  # structure for screen readers: headings, lists, table headers
        )
        return pdf


def environment(folder: Path) -> jinja2.Environment:
    """Jinja for HTML: autoescaped, so text from the data can never become markup."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(italian_date=italian_date, w3c=w3c_date)
    env.globals.update(shared_with=shared_with)
    env.tests["contains"] = lambda sequence, item: item in sequence
    return env


def italian_date(date: datetime) -> str:
    """25 novembre 2025, 1º dicembre 2025: the date as Italian writes it, whatever the machine's locale."""
    day = "1º" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS[date.month - 1]} {date.year}"


def w3c_date(date: datetime) -> str:
    """The form WeasyPrint reads from <meta name="dcterms.created">, in UTC."""
    return date.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def source_date(root: Path) -> datetime:
    """SOURCE_DATE_EPOCH, else the time of the last commit of the repository holding `root`, else 1970."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _last_commit(root)
    return datetime.fromtimestamp(int(epoch or 0), UTC)


def _last_commit(root: Path) -> str:
    command = ["git", "-C", str(root), "log", "-1", "--format=%ct"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
