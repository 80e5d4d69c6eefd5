"""Render the programme into printable A4 PDFs with WeasyPrint: one per stakeholder, one for all.

A pure function of the programme, the print templates in macros/print/ and a date: the same
inputs give byte-identical PDFs. The date (shown on the cover and stored as the PDF's creation
and modification date) comes from SOURCE_DATE_EPOCH, else from the last commit, so a build
never stamps the wall clock into a file.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import jinja2
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from .model import Programme, Stakeholder
from .render import MATRIX_LIMIT, WHOLE_PDF, bytecode_cache, chapter_pdf, partners, shared_pairs, shared_with
from .sourcedate import epoch

MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip


# One document cannot be split across processes, and its time grows faster than its length
# (840 actions: 46 s, 1.4 MB). Past this many actions the whole programme is not printed as one
# book; every chapter still is.
WHOLE_PDF_LIMIT = 400
WHOLE = ""  # the job that prints the whole programme; any other job is a stakeholder's slug


def render_pdfs(
    programme: Programme,
    templates: Path,
    only: str | None = None,
    *,
    date: datetime | None = None,
    processes: int | None = None,
) -> dict[str, bytes]:
    """Every PDF, {"pdf/<slug>.pdf": bytes, ..., "pdf/programma.pdf": bytes}; `only` a slug: that chapter alone.

    The whole programme is left out past WHOLE_PDF_LIMIT actions. The PDFs are printed by
    `processes` processes (default: one per usable core); each PDF's bytes do not depend on which.
    """
    if only is not None and only not in programme.by_stakeholder:
        raise ValueError(f"unknown stakeholder: {only}")
    jobs = [only] if only else [person.slug for person in programme.stakeholders]
    if only is None and prints_whole(programme):
        jobs.append(WHOLE)
    printed = _print_all(programme, templates, date or source_date(templates), jobs, processes)
    return {(WHOLE_PDF if job == WHOLE else chapter_pdf(job)): printed[job] for job in jobs}


def prints_whole(programme: Programme) -> bool:
    return len(programme.actions) <= WHOLE_PDF_LIMIT


def _print_all(
    programme: Programme, templates: Path, date: datetime, jobs: list[str], processes: int | None
) -> dict[str, bytes]:
    count = min(processes or _usable_cores(), len(jobs))
    printer = Printer(programme, templates, date)  # before forking: each worker starts with it ready
    # Forking copies the printer and the programme without pickling them. It is safe only from a
    # single thread, and only on Linux: elsewhere system libraries that Pango loads may not survive it.
    if count < 2 or threading.active_count() > 1 or not sys.platform.startswith("linux"):
        return {job: printer.print(job) for job in jobs}
    longest_first = sorted(jobs, key=lambda job: -_weight(programme, job))
    context = multiprocessing.get_context("fork")
    with context.Pool(count, initializer=_start_worker, initargs=(printer,)) as pool:
        return dict(pool.imap_unordered(_print_in_worker, longest_first, chunksize=1))


def _usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _weight(programme: Programme, job: str) -> int:
    """About how long a job prints, so the longest start first and no process waits on one at the end."""
    people = programme.stakeholders if job == WHOLE else (programme.by_stakeholder[job],)
    return sum(1 + len(person.actions) + len(person.shared) for person in people)


_worker: Printer | None = None  # in each worker process, the printer it inherited


def _start_worker(printer: Printer) -> None:
    global _worker  # noqa: PLW0603
    _worker = printer
    gc.freeze()  # the heap inherited from the build is never garbage: collections can skip it


def _print_in_worker(job: str) -> tuple[str, bytes]:
    """One PDF, without cyclic garbage collection while WeasyPrint lays it out: its objects live
    as long as the document, so collecting them midway only costs time (5-10% of a PDF)."""
    assert _worker is not None
    gc.disable()
    try:
        return job, _worker.print(job)
    finally:
        gc.enable()


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

    def print(self, job: str) -> bytes:
        """The whole programme for WHOLE, else the chapter of the stakeholder with that slug."""
        return self.whole() if job == WHOLE else self.chapter(self.programme.by_stakeholder[job])

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
        bytecode_cache=bytecode_cache(),
    )
    env.filters.update(italian_date=italian_date, w3c=w3c_date)
    env.globals.update(shared_with=shared_with, shared_pairs=shared_pairs, partners=partners, matrix_limit=MATRIX_LIMIT)
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
    return datetime.fromtimestamp(epoch(root), UTC)
