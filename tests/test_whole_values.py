"""Values are whole: an id matches its pattern from end to end, a text shows something to a reader.

Python's `$` also matches before a final newline, so jsonschema took «cultura-02\\n» for an id
(fastjsonschema, which rewrites `$` as `\\Z`, did not). And a name of zero-width spaces passed
the schema's "not blank" rule while its heading and menu link showed nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import fastjsonschema
import jsonschema
import pytest

from programma_site.checks import visible
from programma_site.defaults import SCHEMA

from .badinput import CULTURA, PROGRAMMA, VALORI, assert_problem, edit, only_problem, position
from .command import run

EMPTY = "il testo è vuoto: scrivi il testo o togli il campo"


# Case 9: a trailing newline


TAIL = "\n    valori: [futuro, inclusione"  # makes the one anche_per edited unique
SLUG_HINT = "usa solo lettere minuscole senza accenti, cifre e trattini, per esempio «ambiente-salute»"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (CULTURA, "id: cultura-02\n", 'id: "cultura-02\\n"\n', ("cultura-02", "azioni[1].id")),
        (CULTURA, "slug: cultura\n", "slug: |\n  cultura\n", ("cultura", "slug")),
        (
            CULTURA,
            f"[bambini-giovani]{TAIL}",
            f'["bambini-giovani\\n"]{TAIL}',
            ("bambini-giovani", "azioni[6].anche_per[0]"),
        ),
        (CULTURA, "[creativita, resilienza]", '[creativita, "resilienza\\n"]', ("resilienza", "azioni[1].valori[1]")),
        (VALORI, "slug: futuro\n", 'slug: "futuro\\n"\n', ("futuro", "valori[0].slug")),
        (PROGRAMMA, "id: filosofia\n", 'id: "filosofia\\n"\n', ("filosofia", "introduzione[0].id")),
    ],
    ids=["action", "stakeholder", "anche_per", "valori", "value", "section"],
)
def test_an_id_ending_in_a_newline_is_refused(
    folder: Path, file: Path, old: str, new: str, expected: tuple[str, str]
) -> None:
    value, where = expected
    edit(file, old, new)
    at = position(file, f'"{value}\\n"' if where != "slug" else "|\n  cultura")
    message = f"«{value}\n» non è un identificativo valido: {SLUG_HINT}"
    assert_problem(only_problem(folder), file, at, message, where)


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        yield from ([node["pattern"]] if isinstance(node.get("pattern"), str) else [])
        for value in node.values():
            yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


ID_PATTERNS = [
    (path.name, pattern)
    for path in sorted((SCHEMA).glob("*.schema.json"))
    for pattern in patterns(json.loads(path.read_text("utf-8")))
    if pattern.startswith("^[a-z0-9]")  # not the text rule (something not blank), nor the licence's
]


def test_the_schemas_hold_every_id_pattern() -> None:
    """Section and action ids, stakeholder and value slugs, references to stakeholders and values."""
    assert len(ID_PATTERNS) == 6


@pytest.mark.parametrize("pattern", [pattern for _, pattern in ID_PATTERNS], ids=[name for name, _ in ID_PATTERNS])
def test_every_id_pattern_matches_whole_values_only_in_both_validators(pattern: str) -> None:
    rule = {"type": "string", "pattern": pattern}
    for validator in (jsonschema.Draft202012Validator(rule), jsonschema.Draft7Validator(rule)):
        assert validator.is_valid("ambiente-salute-01")
        assert not [bad for bad in ("cultura\n", "cultura\n\n", "\ncultura", "cultura\r") if validator.is_valid(bad)]
    fast = fastjsonschema.compile(rule)
    fast("ambiente-salute-01")
    with pytest.raises(fastjsonschema.JsonSchemaValueException):
        fast("cultura\n")


# Case 13: texts made of what a reader cannot see

INVISIBLE_TEXTS = {
    "zero-width-space": "\\u200b",
    "joiners": "\\u200c\\u200d",
    "word-joiner": "\\u2060",
    "byte-order-mark": "\\ufeff",
    "soft-hyphen": "\\u00ad",
    "spaces-around": " \\u200b\\u3000 ",
    "hangul-filler": "\\u3164",
    "braille-blank": "\\u2800",
    "combining-only": "\\u0301\\u0308",
    "direction-marks": "\\u200e\\u202e\\u2066",
}


@pytest.mark.parametrize("escaped", INVISIBLE_TEXTS.values(), ids=INVISIBLE_TEXTS.keys())
def test_a_name_of_invisible_characters_is_empty(folder: Path, escaped: str) -> None:
    edit(CULTURA, 'nome: "Cultura"', f'nome: "{escaped}"')
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, f'"{escaped}"'), EMPTY, "nome")


def test_invisible_characters_written_as_they_are_are_empty_too(folder: Path) -> None:
    edit(CULTURA, 'nome: "Cultura"', "nome: \u200b\u2060\u00ad")
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, "\u200b\u2060"), EMPTY, "nome")
    result = run("validate", cwd=folder.parent)
    assert result.returncode == 1 and f"{CULTURA.as_posix()}:" in result.stdout + result.stderr
    assert EMPTY in result.stdout + result.stderr and "Traceback" not in result.stderr


ZWSP = '"\\u200b"'  # a zero-width space, as a YAML escape


@pytest.mark.parametrize(
    ("file", "old", "new", "where"),
    [
        (PROGRAMMA, 'titolo: "Valenza Futura: un futuro insieme"', f"titolo: {ZWSP}", "titolo"),
        (PROGRAMMA, 'titolo: "La filosofia del programma"', f"titolo: {ZWSP}", "introduzione[0].titolo"),
        (CULTURA, 'etichetta: "Cultura"', f"etichetta: {ZWSP}", "etichetta"),
        (CULTURA, "alias: []", f"alias: [{ZWSP}]", "alias[0]"),
        (CULTURA, "azioni:\n", f"  - {ZWSP}\nazioni:\n", "narrativa[2]"),
        (
            CULTURA,
            "testo: >-\n      Organizzazione di un Festival Internazionale Permanente della creatività\n",
            f"testo: {ZWSP}\n",
            "azioni[2].testo",
        ),
        (VALORI, 'nome: "Resilienza"', f"nome: {ZWSP}", "valori[6].nome"),
    ],
    ids=["title", "section-title", "label", "alias", "paragraph", "action", "value"],
)
def test_every_text_field_of_invisible_characters_is_empty(
    folder: Path, file: Path, old: str, new: str, where: str
) -> None:
    edit(file, old, new)
    assert_problem(only_problem(folder), file, position(file, ZWSP), EMPTY, where)


@pytest.mark.parametrize("text", ["a", "\u200bCultura", "Città", "·", "漢", "\u0915\u094d", "\U0001f600", "\ue000"])
def test_texts_with_something_to_see_are_visible(text: str) -> None:
    assert visible(text)
