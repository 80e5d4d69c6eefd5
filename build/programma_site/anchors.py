"""The names the data gives to the site's files and to the ids of its pages, checked against the
site's own (render.SITE_FILES, render.FIXED_IDS) and against each other.

A stakeholder `index` would replace the stakeholder list; an action `azioni` would take the id of
its page's heading, so links to either land on the wrong place. These checks run on the parsed
files, before the model exists, so that each problem points at the line that causes it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from . import render
from .problems import Location, Problem
from .yamlsource import Document


@dataclass(frozen=True, eq=False)
class Anchor:
    """An id a page holds, made from a value of a document; `derived` says how, if not as it is."""

    id: str
    document: Document
    location: Location
    derived: str = ""


def problems(programma: Document | None, valori: Document | None, stakeholders: list[Document]) -> list[Problem]:
    """Every slug naming a file the site has already, every id a page would hold twice."""
    found = [problem for document in stakeholders for problem in _reserved_paths(document)]
    for page, template, anchors in page_anchors(programma, valori, stakeholders):
        found += _collisions(page, render.FIXED_IDS[template], anchors)
    return found


def _reserved_paths(document: Document) -> Iterator[Problem]:
    slug = document.data["slug"]
    for path in render.stakeholder_files(slug):
        if path in render.SITE_FILES:
            message = f"lo slug «{slug}» è riservato: il sito usa già «{path}» per altro; scegli un altro slug e rinomina il file"
            yield document.problem(("slug",), message)


def page_anchors(
    programma: Document | None, valori: Document | None, stakeholders: list[Document]
) -> Iterator[tuple[str, str, list[Anchor]]]:
    """(page, template, ids from the data) for every page and for the whole-programme PDF.

    Left out: the ids of pairs on tabelle.md, «<slug>--<slug>», which no slug or fixed id can equal
    (slugs never hold two hyphens in a row), and the heading ids Markdown makes from titles, which
    it keeps apart from every other id on the page by itself.
    """
    actions = [anchor for document in stakeholders for anchor in _anchors(document, "azioni", "id")]
    sections = _anchors(programma, "introduzione", "id") if programma else []
    values = _anchors(valori, "valori", "slug") if valori else []
    if programma:  # sections on both pages: one may move from the home page to the stakeholder index
        yield "index.md", "home.md.j2", sections
        yield "stakeholder/index.md", "stakeholder-indice.md.j2", sections
    for document in stakeholders:
        yield render.stakeholder_page(document.data["slug"]), "stakeholder.md.j2", _anchors(document, "azioni", "id")
    yield "azioni.md", "azioni.md.j2", actions
    yield "tabelle.md", "tabelle.md.j2", []
    if valori:
        yield "valori/index.md", "valori.md.j2", [*_by_stakeholder(values, stakeholders), *values]
    yield render.WHOLE_PDF, "programma.html.j2", [*_printed(sections, values, stakeholders), *actions]


def _anchors(document: Document, items: str, key: str) -> list[Anchor]:
    return [Anchor(item[key], document, (items, index, key)) for index, item in enumerate(document.data[items])]


def _by_stakeholder(values: list[Anchor], stakeholders: list[Document]) -> Iterator[Anchor]:
    """The headings «<value>-<stakeholder>» of valori/index.md, for every pair, whether it has actions yet or not."""
    for value in values:
        for slug in (document.data["slug"] for document in stakeholders):
            joined = f"del valore «{value.id}» per lo stakeholder «{slug}»"
            yield Anchor(f"{value.id}-{slug}", value.document, value.location, joined)


def _printed(sections: list[Anchor], values: list[Anchor], stakeholders: list[Document]) -> Iterator[Anchor]:
    """The whole-programme PDF is one document: its sections, values and chapters are prefixed ids.

    Each once: a repeat is a repeated section id or value slug, already reported on the pages.
    """
    chapters = [Anchor(document.data["slug"], document, ("slug",)) for document in stakeholders]
    seen: set[str] = set()
    for prefix, what, anchors in (
        ("sezione-", "della sezione", sections),
        ("valore-", "del valore", values),
        ("capitolo-", "del capitolo", chapters),
    ):
        for anchor in anchors:
            if prefix + anchor.id not in seen:
                seen.add(prefix + anchor.id)
                yield Anchor(prefix + anchor.id, anchor.document, anchor.location, f"{what} «{anchor.id}»")


def _collisions(page: str, fixed: frozenset[str], anchors: list[Anchor]) -> Iterator[Problem]:
    where = f"del PDF {page}" if page.endswith(".pdf") else f"della pagina {page}"
    first: dict[str, Anchor] = {}
    for anchor in anchors:
        if anchor.id in fixed:
            message = f"l'identificativo «{anchor.id}» è riservato: lo usa già un titolo {where}; scegline un altro"
            yield anchor.document.problem(anchor.location, message)
        elif (earlier := first.setdefault(anchor.id, anchor)) is not anchor:
            yield anchor.document.problem(anchor.location, _clash(anchor.id, earlier, where))


def _clash(id_: str, earlier: Anchor, where: str) -> str:
    if earlier.derived:
        return f"l'identificativo «{id_}» è già l'ancora {earlier.derived} {where}: scegline un altro"
    line, column = earlier.document.position(earlier.location)
    return f"l'identificativo «{id_}» è già usato in {earlier.document.file}:{line}:{column}: ognuno deve essere unico"
