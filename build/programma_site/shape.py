"""The shape the model needs, checked after a project's own schema, which may be looser.

A project may relax its copy of the schema (drop a `required`, widen a type); the loader must
still never meet a missing field or a value of another type. A shape is `str` or `int` (a value
of that type), `[shape]` (a list of such), or `{key: shape}` (a record; a key ending in "?" may
be absent). Fields the model does not read are not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from .problems import Location, Problem
from .yamlsource import Document

TEXTS = [str]
SECTION = {"id": str, "titolo": str, "paragrafi": TEXTS}
VALUE = {"slug": str, "nome": str, "testo": str}
ACTION = {"id": str, "numero": int, "testo": str, "anche_per?": TEXTS, "valori": TEXTS, "nota?": str}
LICENCE = {"dati": {"nome": str, "identificativo": str, "url": str}, "nota": str}
PROGRAMME_FIELDS = ("titolo", "sottotitolo", "coalizione", "candidato", "ruolo_candidato", "periodo", "comune")
SHAPES: dict[str, Any] = {
    "programma.schema.json": {**dict.fromkeys(PROGRAMME_FIELDS, str), "introduzione": [SECTION], "licenza?": LICENCE},
    "valori.schema.json": {"valori": [VALUE]},
    "stakeholder.schema.json": {
        **{"slug": str, "nome": str, "etichetta": str, "alias?": TEXTS, "ordine": int, "narrativa": TEXTS},
        "azioni": [ACTION],
    },
}
KINDS = {str: "string", int: "integer", list: "array", dict: "object"}
TYPES = {
    "string": "un testo",
    "integer": "un numero intero",
    "array": "un elenco (voci che iniziano con «- »)",
    "object": "un gruppo di campi (nome: valore)",
    "boolean": "true o false",
    "null": "nessun valore",
    "number": "un numero",
}


def check(document: Document, schema_name: str) -> list[Problem]:
    """Every place where the document's data is not of the shape the model is built from."""
    return list(_walk(document, document.data, SHAPES[schema_name], ()))


def _walk(document: Document, value: Any, shape: Any, location: Location) -> Iterator[Problem]:
    kind = type(shape) if isinstance(shape, list | dict) else shape
    if not isinstance(value, kind) or isinstance(value, bool):
        yield document.problem(location, wrong_type(value, KINDS[kind]))
    elif isinstance(shape, list):
        for index, item in enumerate(value):
            yield from _walk(document, item, shape[0], (*location, index))
    elif isinstance(shape, dict):
        yield from _record(document, cast(dict[str, Any], value), shape, location)


def _record(document: Document, value: dict[str, Any], shape: dict[str, Any], location: Location) -> Iterator[Problem]:
    for key, inner in shape.items():
        name = key.removesuffix("?")
        if name in value:
            yield from _walk(document, value[name], inner, (*location, name))
        elif not key.endswith("?"):
            yield document.problem(location, f"manca il campo obbligatorio «{name}»")


def wrong_type(value: Any, expected: str | list[str]) -> str:
    """ "serve un testo, trovato un elenco"; `expected` is a JSON type or, in a widened schema, a list of them."""
    wanted = " o ".join(TYPES.get(kind, kind) for kind in ([expected] if isinstance(expected, str) else expected))
    if value is None:
        return f"il campo è vuoto: serve {wanted}"
    found = "un testo" if isinstance(value, str) else TYPES.get(_json_type(value), "un valore")
    quoted = f" («{value}»)" if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return f"serve {wanted}, trovato {found}{quoted}"


def _json_type(value: Any) -> str:
    kinds = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (list, "array"), (dict, "object"))
    return next((kind for python_type, kind in kinds if isinstance(value, python_type)), "")
