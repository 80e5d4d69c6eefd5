"""What a schema cannot check: references across files, unique ids, the published numbering,
ids and paths the site already gives its own pages, and texts that show nothing."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

from . import anchors
from .problems import Location, Problem
from .schema import MESSAGES
from .yamlsource import Document

# What a reader never sees: controls, format characters (zero-width space and joiners, word joiner,
# byte order mark, soft hyphen), blanks, combining marks with nothing to combine with, unassigned
# code points; and the letters fonts draw as nothing (Hangul fillers, the braille blank).
INVISIBLE = frozenset({"Cc", "Cf", "Cn", "Zs", "Zl", "Zp", "Mn", "Me"})
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
VISIBLE_ASCII = re.compile(r"[!-~]")


def check_all(
    valori: Document | None, stakeholders: list[Document], slugs: set[str], programma: Document | None = None
) -> list[Problem]:
    """Cross-file checks on schema-valid documents; `slugs` names every stakeholder file."""
    values = {value["slug"] for value in valori.data["valori"]} if valori else None
    problems = [*_duplicates(stakeholders, ("azioni", "id"), "l'identificativo"), *_orders(stakeholders)]
    if valori:
        problems += _duplicates([valori], ("valori", "slug"), "lo slug")
    for document in stakeholders:
        problems += [*_file_name(document), *_references(document, slugs, values), *_numbering(document)]
    problems += anchors.problems(programma, valori, stakeholders)
    documents = [document for document in (programma, valori, *stakeholders) if document]
    return problems + [problem for document in documents for problem in _empty_texts(document)]


def _file_name(document: Document) -> Iterator[Problem]:
    slug, stem = document.data["slug"], PurePath(document.file).stem
    if slug != stem:
        yield document.problem(
            ("slug",),
            f"lo slug «{slug}» deve essere uguale al nome del file: rinomina il file in «{slug}.yaml» o scrivi «{stem}»",
        )


def _duplicates(documents: list[Document], path: tuple[str, str], what: str) -> Iterator[Problem]:
    first: dict[str, str] = {}
    for document in documents:
        for index, item in enumerate(document.data[path[0]]):
            location = (path[0], index, path[1])
            line, column = document.position(location)
            here = f"{document.file}:{line}:{column}"
            if (earlier := first.setdefault(item[path[1]], here)) != here:
                yield document.problem(
                    location, f"{what} «{item[path[1]]}» è già usato in {earlier}: ognuno deve essere unico"
                )


def _orders(documents: list[Document]) -> Iterator[Problem]:
    first: dict[int, str] = {}
    for document in documents:
        order = document.data["ordine"]
        if (earlier := first.setdefault(order, document.file)) != document.file:
            yield document.problem(("ordine",), f"l'ordine {order} è già usato in {earlier}: scegli un numero diverso")


def _references(document: Document, slugs: set[str], values: set[str] | None) -> Iterator[Problem]:
    own = document.data["slug"]
    for index, action in enumerate(document.data["azioni"]):
        for position, slug in enumerate(action.get("anche_per", [])):
            location = ("azioni", index, "anche_per", position)
            if slug == own:
                yield document.problem(
                    location, f"l'azione è già di «{own}»: in anche_per vanno solo gli altri stakeholder"
                )
            elif slug not in slugs:
                yield document.problem(location, _unknown("stakeholder", slug, slugs))
        if values is not None:
            yield from _value_references(document, index, action, values)


def _value_references(document: Document, index: int, action: dict[str, Any], values: set[str]) -> Iterator[Problem]:
    for position, slug in enumerate(action["valori"]):
        if slug not in values:
            yield document.problem(("azioni", index, "valori", position), _unknown("valore", slug, values))


def _unknown(kind: str, slug: str, known: Iterable[str]) -> str:
    close = difflib.get_close_matches(slug, sorted(known), n=1, cutoff=0.5)
    hint = f": forse intendevi «{close[0]}»?" if close else f"; quelli esistenti sono: {', '.join(sorted(known))}"
    return f"{kind} sconosciuto «{slug}»{hint}"


def _numbering(document: Document) -> Iterator[Problem]:
    """Numbers run 1, 2, 3…; a repeat or a jump is the published text's only with a note saying so."""
    previous = 0
    for index, action in enumerate(document.data["azioni"]):
        number = action["numero"]
        if number != previous + 1 and "nota" not in action:
            expected = f"ci si aspetta {previous + 1}"
            yield document.problem(
                ("azioni", index, "numero"),
                f"numero {number} fuori sequenza ({expected}): correggilo, o aggiungi una nota che spieghi la numerazione pubblicata",
            )
        previous = number


def _empty_texts(document: Document) -> Iterator[Problem]:
    """Texts the schema lets through that a reader would still see as empty: an invisible heading, a blank link."""
    for location, text in _strings(document.data, ()):
        if not visible(text):
            yield document.problem(location, MESSAGES["minLength"])


def _strings(data: Any, location: Location) -> Iterator[tuple[Location, str]]:
    if isinstance(data, str):
        yield location, data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _strings(value, (*location, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _strings(value, (*location, index))


def visible(text: str) -> bool:
    """Whether a reader sees anything of `text`."""
    if VISIBLE_ASCII.search(text):  # nearly every text: no need to look at each character
        return True
    return any(unicodedata.category(char) not in INVISIBLE and char not in BLANK_LETTERS for char in text)
