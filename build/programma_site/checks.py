"""What a schema cannot check: references across files, unique ids, the published numbering."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import Any

from .problems import Problem
from .yamlsource import Document


def check_all(valori: Document | None, stakeholders: list[Document], slugs: set[str]) -> list[Problem]:
    """Cross-file checks on schema-valid documents; `slugs` names every stakeholder file."""
    values = {value["slug"] for value in valori.data["valori"]} if valori else None
    problems = [*_duplicates(stakeholders, ("azioni", "id"), "l'identificativo"), *_orders(stakeholders)]
    if valori:
        problems += _duplicates([valori], ("valori", "slug"), "lo slug")
    for document in stakeholders:
        problems += [*_file_name(document), *_references(document, slugs, values), *_numbering(document)]
    return problems


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
