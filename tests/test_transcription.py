"""The YAML programme says exactly what the published text says: nothing lost, nothing added.

The seed text (the PDF's extraction) is parsed here on its own terms, independently of the
YAML, and compared with the loaded model. Only whitespace is normalised.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from programma_site.defaults import SCHEMA
from programma_site.model import Programme, Stakeholder
from programma_site.problems import Location
from programma_site.yamlsource import Document, read

ROOT = Path(__file__).parents[1]
SEED = ROOT.parent / "shared/seed/000_7254ab6fb40c7023.txt"
PROGRAMME = ROOT / "programma"
PAGE_HEADER = "## Valenza Futura: un futuro insieme"
TABLE_HEADER = "Interlocutore (Stakeholder) di riferimento\t"
NARRATIVE = re.compile(r"\*\*Stakeholder – (?P<name>[^*]+)\.\*\* (?P<text>.+)")
VALUE = re.compile(r"\d+\. \*\*(?P<name>[^*:]+):\*\* (?P<text>.+)")
SENTENCE_END = (".", "!", "?", ":", ";", '"', "»", ")")
EDITORIAL_KEYS = {"id", "slug", "anche_per", "nota", "ordine", "numero", "licenza"}


def norm(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Unit:
    """One non-blank line of the seed, and whether a page break came just before it."""

    text: str
    after_break: bool


@dataclass(frozen=True)
class Row:
    labels: tuple[str, ...]
    number: int
    text: str


@dataclass
class Seed:
    """The published programme as the seed text gives it."""

    title: str = ""
    subtitle: str = ""
    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    values: list[tuple[str, str]] = field(default_factory=list)
    narratives: dict[str, list[str]] = field(default_factory=dict)
    rows: list[Row] = field(default_factory=list)
    joined: list[str] = field(default_factory=list)
    stray_rows: int = 0


# Reading the seed


def units(text: str) -> list[Unit]:
    """Non-blank lines, page headers dropped, each marked when a page break precedes it."""
    result: list[Unit] = []
    after_break = False
    for line in text.splitlines():
        if line.strip() == PAGE_HEADER:
            after_break = True
        elif line.strip():
            result.append(Unit(line.rstrip(), after_break))
            after_break = False
    return result


def join_cuts(lines: list[Unit], joined: list[str]) -> list[str]:
    """Glue back what a page break cut: prose left mid-sentence, table rows continued after two tabs."""
    result: list[str] = []
    for unit in lines:
        if unit.text.startswith("\t\t") or _cut_prose(result, unit):
            result[-1] = f"{result[-1]} {unit.text.strip()}"
            joined.append(result[-1])
        else:
            result.append(unit.text)
    return result


def _cut_prose(previous: list[str], unit: Unit) -> bool:
    """A page break left the last paragraph mid-sentence, and what follows starts nothing new."""
    if not (unit.after_break and previous) or _starts_something(unit.text):
        return False
    last = previous[-1]
    return not ("\t" in last or last.startswith("#") or last.endswith(SENTENCE_END))


def _starts_something(line: str) -> bool:
    return "\t" in line or line.startswith("#") or bool(NARRATIVE.fullmatch(line) or VALUE.fullmatch(line))


def parse_seed(text: str) -> Seed:
    seed = Seed()
    paragraphs: list[str] | None = None
    for line in join_cuts(units(text), seed.joined):
        paragraphs = _classify(seed, line, paragraphs)
    seed.sections = [(title, paras) for title, paras in seed.sections if paras]
    return seed


def _classify(seed: Seed, line: str, paragraphs: list[str] | None) -> list[str] | None:
    """File one line of the seed; return the list further plain paragraphs belong to."""
    if "\t" in line:
        _table_line(seed, line)
        return None
    if line.startswith("#"):
        return _heading(seed, line)
    if value := VALUE.fullmatch(line):
        seed.values.append((value["name"], norm(value["text"])))
        return paragraphs
    if narrative := NARRATIVE.fullmatch(line):
        seed.narratives[narrative["name"]] = [norm(narrative["text"])]
        return seed.narratives[narrative["name"]]
    assert paragraphs is not None, f"paragraph outside any section: {line[:60]!r}"
    paragraphs.append(norm(line))
    return paragraphs


def _heading(seed: Seed, line: str) -> list[str] | None:
    if line.startswith("### "):
        seed.sections.append((line[4:].strip(), []))
        return seed.sections[-1][1]
    if line.startswith("## "):
        seed.subtitle = line[3:].strip()
    elif line.startswith("# "):
        seed.title = line[2:].strip()
    return None


def _table_line(seed: Seed, line: str) -> None:
    if line.startswith(TABLE_HEADER):
        return
    label, number, text = line.split("\t")
    if label.strip("-") == "" and number.strip("-") == "":
        seed.stray_rows += 1
        return
    seed.rows.append(Row(tuple(part.strip() for part in label.split("/")), int(number), norm(text)))


# Fixtures


@pytest.fixture(scope="module")
def seed_text() -> str:
    if not SEED.is_file():
        pytest.fail(f"the seed text is missing: expected it at {SEED} (../shared relative to the repository)")
    return SEED.read_text("utf-8")


@pytest.fixture(scope="module")
def seed(seed_text: str) -> Seed:
    return parse_seed(seed_text)


def resolve(label: str, programme: Programme) -> Stakeholder:
    """The one stakeholder a table label names, through its label, aliases or name."""
    wanted = label.casefold()
    matches = [
        person
        for person in programme.stakeholders
        if wanted in {spelling.casefold() for spelling in (person.label, person.name, *person.aliases)}
    ]
    assert len(matches) == 1, f"label {label!r} names {len(matches)} stakeholders"
    return matches[0]


# The seed as read


def test_seed_counts(seed: Seed, programme: Programme) -> None:
    owners = {resolve(row.labels[0], programme).slug for row in seed.rows}
    assert len(seed.rows) == 84
    assert len(owners) == 9
    assert len(seed.values) == 7
    assert sum(len(row.labels) == 2 for row in seed.rows) == 17
    assert len({(resolve(row.labels[0], programme).slug, row.number) for row in seed.rows}) == 83
    assert len(seed.narratives) == 9


def test_page_breaks_are_undone(seed: Seed) -> None:
    assert len(seed.joined) == 3
    assert any("che hanno scelto Valenza per diventare i più bravi" in text for text in seed.joined)
    assert any("un progetto di concreto impatto sulla città." in text for text in seed.joined)
    assert any(
        row.text.endswith(
            "agevolata e calmierata garantita dal Comune per facilitare la certificazione delle imprese meno strutturate"
        )
        for row in seed.rows
    )
    assert seed.stray_rows == 1


def test_page_headers_are_not_content(seed: Seed) -> None:
    texts = [text for _, paragraphs in seed.sections for text in paragraphs]
    texts += [text for paragraphs in seed.narratives.values() for text in paragraphs]
    assert not [text for text in texts if "Valenza Futura: un futuro insieme" in text]


# Seed → model


def test_every_action_row_is_in_the_model(seed: Seed, programme: Programme) -> None:
    expected: dict[str, list[tuple[int, str, tuple[str, ...]]]] = {}
    for row in seed.rows:
        owner = resolve(row.labels[0], programme).slug
        also = tuple(resolve(label, programme).slug for label in row.labels[1:])
        expected.setdefault(owner, []).append((row.number, row.text, also))
    actual = {
        person.slug: [(action.number, norm(action.text), action.also_for) for action in person.actions]
        for person in programme.stakeholders
    }
    assert actual == expected


def test_action_counts_match_the_model(programme: Programme) -> None:
    assert len(programme.stakeholders) == 9
    assert len(programme.actions) == 84
    assert sum(1 for action in programme.actions if action.also_for) == 17
    assert len(programme.values) == 7


def test_every_narrative_paragraph_is_in_the_model(seed: Seed, programme: Programme) -> None:
    expected = {resolve(name, programme).slug: paragraphs for name, paragraphs in seed.narratives.items()}
    actual = {person.slug: [norm(text) for text in person.narrative] for person in programme.stakeholders}
    assert actual == expected


def test_narrative_names_are_the_stakeholder_names(seed: Seed, programme: Programme) -> None:
    assert sorted(seed.narratives) == sorted(person.name for person in programme.stakeholders)


def test_no_narrative_keeps_the_source_markup(programme: Programme) -> None:
    markup = [text for person in programme.stakeholders for text in person.narrative if "**" in text]
    assert not markup
    assert not [
        text for person in programme.stakeholders for text in person.narrative if text.startswith("Stakeholder")
    ]


def test_every_value_is_in_the_model(seed: Seed, programme: Programme) -> None:
    expected = [(name.casefold(), text) for name, text in seed.values]
    actual = [(value.name.casefold(), norm(value.text)) for value in programme.values]
    assert actual == expected
    assert all(value.name[0].isupper() and not value.name.isupper() for value in programme.values)


def test_every_introductory_paragraph_is_in_the_model(seed: Seed, programme: Programme) -> None:
    actual = [(section.title, [norm(text) for text in section.paragraphs]) for section in programme.sections]
    assert actual == seed.sections
    assert len(actual) == 3


def test_title_and_subtitle(seed: Seed, programme: Programme) -> None:
    assert (programme.title, programme.subtitle) == (seed.title, seed.subtitle)


# Model → seed: nothing the source does not say


def strings(data: Any, location: Location = ()) -> Iterator[tuple[Location, str]]:
    """Every text in a YAML document, with where it sits."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from strings(value, (*location, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from strings(value, (*location, index))
    elif isinstance(data, str):
        yield location, data


def editorial(location: Location, file: str) -> bool:
    """Identifiers, cross-reference slugs, notes and the value classification are the editors'."""
    if EDITORIAL_KEYS & set(location):
        return True
    return file.startswith("stakeholder/") and "valori" in location


def documents() -> list[tuple[str, Document]]:
    paths = sorted(PROGRAMME.rglob("*.yaml"))
    assert len(paths) == 11
    result = []
    for path in paths:
        name = path.relative_to(PROGRAMME).as_posix()
        document = read(path, name)
        assert isinstance(document, Document), document
        result.append((name, document))
    return result


def test_no_text_in_the_programme_is_missing_from_the_source(seed_text: str) -> None:
    source = norm("\n".join(join_cuts(units(seed_text), [])))
    missing = []
    for name, document in documents():
        for location, text in strings(document.data):
            if editorial(location, name):
                continue
            wanted = norm(text).upper() if name == "valori.yaml" and location[-1] == "nome" else norm(text)
            if wanted not in source:
                missing.append(f"{name}: {location}: {text[:60]}")
    assert missing == []


def test_the_source_without_page_breaks_has_no_page_header(seed_text: str) -> None:
    source = "\n".join(join_cuts(units(seed_text), []))
    assert PAGE_HEADER in seed_text
    assert PAGE_HEADER not in source
    assert "che hanno scelto Valenza per diventare" in source


def test_every_long_text_is_a_whole_unit_of_the_source(seed: Seed, programme: Programme) -> None:
    units_ = {row.text for row in seed.rows} | {text for _, text in seed.values}
    units_ |= {text for paragraphs in seed.narratives.values() for text in paragraphs}
    units_ |= {text for _, paragraphs in seed.sections for text in paragraphs}
    texts = [action.text for action in programme.actions] + [value.text for value in programme.values]
    texts += [text for person in programme.stakeholders for text in person.narrative]
    texts += [text for section in programme.sections for text in section.paragraphs]
    assert [text for text in texts if norm(text) not in units_] == []
    assert len(texts) == len({norm(text) for text in texts}) == len(units_)


# Editors' tooling


@pytest.mark.parametrize("path", sorted(PROGRAMME.rglob("*.yaml")), ids=lambda path: path.name)
def test_every_file_names_its_schema(path: Path) -> None:
    first = path.read_text("utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    schema = path.parent / first.removeprefix(prefix).strip()
    assert schema.is_file(), f"{path.name} points at {schema}, which does not exist"
    expected = "stakeholder.schema.json" if path.parent.name == "stakeholder" else f"{path.stem}.schema.json"
    assert schema.resolve() == (SCHEMA / expected).resolve()
