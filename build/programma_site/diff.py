"""What changed between two versions of a programme, as a reviewer reads it.

`compare` is a pure function of two models; `to_markdown` and `to_json` present its result.
Actions are matched by their stable id, so a renumbered or moved action is one change, not
a removal plus an addition.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from .model import Action, Programme, Stakeholder
from .render import escape_markdown

META = (("title", "Titolo"), ("subtitle", "Sottotitolo"), ("coalition", "Coalizione"),
        ("candidate", "Candidato"), ("candidate_role", "Ruolo del candidato"), ("period", "Periodo"),
        ("municipality", "Comune"))  # fmt: skip


@dataclass(frozen=True)
class Change:
    """One change, in the place a reader looks for it (a stakeholder, the values, the metadata)."""

    kind: str
    subject: str
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Section:
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Comparison:
    counts: tuple[tuple[str, int, int], ...]
    sections: tuple[Section, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.sections)


def compare(old: Programme, new: Programme) -> Comparison:
    """Every difference between two programmes, grouped and ordered as the new programme is."""
    sections = [
        Section("Dati generali", tuple(_metadata(old, new))),
        Section("Valori", tuple(_values(old, new))),
        *(_stakeholder_section(old, new, slug) for slug in _slugs(old, new)),
    ]
    return Comparison(_counts(old, new), tuple(section for section in sections if section.changes))


def _counts(old: Programme, new: Programme) -> tuple[tuple[str, int, int], ...]:
    def count(programme: Programme) -> tuple[int, int, int, int]:
        return (len(programme.stakeholders), len(programme.actions), programme.cross_references, len(programme.values))

    names = ("Stakeholder", "Azioni", "Riferimenti incrociati", "Valori")
    return tuple(zip(names, count(old), count(new), strict=True))


def _slugs(old: Programme, new: Programme) -> list[str]:
    ordered = [person.slug for person in new.stakeholders]
    return ordered + [person.slug for person in old.stakeholders if person.slug not in new.by_stakeholder]


def _metadata(old: Programme, new: Programme) -> Iterator[Change]:
    for attribute, label in META:
        if getattr(old, attribute) != getattr(new, attribute):
            yield Change("modificato", label, getattr(old, attribute), getattr(new, attribute))
    before = {section.id: section for section in old.sections}
    for section in new.sections:
        previous = before.get(section.id)
        old_text = "\n\n".join(previous.paragraphs) if previous else ""
        if previous is None or previous.title != section.title or previous.paragraphs != section.paragraphs:
            yield Change("modificato", f"Sezione «{section.title}»", old_text, "\n\n".join(section.paragraphs))
    for section in old.sections:
        if section.id not in {s.id for s in new.sections}:
            yield Change("rimosso", f"Sezione «{section.title}»", "\n\n".join(section.paragraphs))


def _values(old: Programme, new: Programme) -> Iterator[Change]:
    for value in new.values:
        previous = old.by_value.get(value.slug)
        if previous is None:
            yield Change("aggiunto", value.name, after=value.text)
        elif (previous.name, previous.text) != (value.name, value.text):
            yield Change("modificato", value.name, f"{previous.name}: {previous.text}", f"{value.name}: {value.text}")
    for value in old.values:
        if value.slug not in new.by_value:
            yield Change("rimosso", value.name, before=value.text)


def _stakeholder_section(old: Programme, new: Programme, slug: str) -> Section:
    person, previous = new.by_stakeholder.get(slug), old.by_stakeholder.get(slug)
    title = (person or previous).name  # type: ignore[union-attr]  # one of the two always exists
    if previous is None or person is None:
        kind = "aggiunto" if previous is None else "rimosso"
        return Section(
            title, (Change(kind, "Stakeholder", after=title if person else "", before=title if previous else ""),)
        )
    changes = [*_stakeholder_fields(previous, person), *_narrative(previous, person), *_actions(old, new, person)]
    return Section(title, tuple(changes))


def _stakeholder_fields(previous: Stakeholder, person: Stakeholder) -> Iterator[Change]:
    for attribute, label in (("name", "Nome"), ("label", "Etichetta"), ("order", "Ordine")):
        if getattr(previous, attribute) != getattr(person, attribute):
            yield Change("modificato", label, str(getattr(previous, attribute)), str(getattr(person, attribute)))
    if previous.aliases != person.aliases:
        yield Change("modificato", "Altri nomi", ", ".join(previous.aliases), ", ".join(person.aliases))


def _narrative(previous: Stakeholder, person: Stakeholder) -> Iterator[Change]:
    matcher = difflib.SequenceMatcher(a=previous.narrative, b=person.narrative, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "equal":
            before, after = "\n\n".join(previous.narrative[a0:a1]), "\n\n".join(person.narrative[b0:b1])
            where = f"paragrafo {b0 + 1}" if b1 > b0 else f"paragrafo {a0 + 1} (rimosso)"
            yield Change("modificato", f"Presentazione, {where}", before, after)


def _actions(old: Programme, new: Programme, person: Stakeholder) -> Iterator[Change]:
    before = {action.id: action for action in old.actions}
    for action in person.actions:
        previous = before.get(action.id)
        if previous is None:
            yield Change("aggiunta", _label(new, action), after=action.text)
        else:
            yield from _action_changes(old, new, previous, action)
    after = {action.id for action in new.actions}
    for action in old.by_stakeholder[person.slug].actions:
        if action.id not in after:
            yield Change("rimossa", _label(old, action), before=action.text)


def _action_changes(old: Programme, new: Programme, previous: Action, action: Action) -> Iterator[Change]:
    label = _label(new, action)
    if previous.stakeholder != action.stakeholder:
        yield Change(
            "spostata",
            label,
            old.by_stakeholder[previous.stakeholder].name,
            new.by_stakeholder[action.stakeholder].name,
        )
    if previous.number != action.number:
        yield Change("rinumerata", label, str(previous.number), str(action.number))
    if previous.text != action.text:
        yield Change("testo modificato", label, previous.text, action.text)
    if previous.also_for != action.also_for:
        yield Change("riguarda anche", label, _names(old, previous.also_for), _names(new, action.also_for))
    if previous.values != action.values:
        yield Change("valori", label, _value_names(old, previous.values), _value_names(new, action.values))
    if previous.note != action.note:
        yield Change("nota", label, previous.note or "", action.note or "")


def _label(programme: Programme, action: Action) -> str:
    return f"{programme.by_stakeholder[action.stakeholder].name} {action.number} ({action.id})"


def _names(programme: Programme, slugs: tuple[str, ...]) -> str:
    return ", ".join(programme.by_stakeholder[slug].name for slug in slugs) or "nessuno"


def _value_names(programme: Programme, slugs: tuple[str, ...]) -> str:
    return ", ".join(programme.by_value[slug].name for slug in slugs)


def word_diff(before: str, after: str) -> str:
    """Markdown of a word-level diff: removed words struck through, added words in bold."""
    old, new = before.split(), after.split()
    parts = []
    for tag, a0, a1, b0, b1 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            parts.append(escape_markdown(" ".join(old[a0:a1])))
            continue
        if a1 > a0:
            parts.append(f"~~{escape_markdown(' '.join(old[a0:a1]))}~~")
        if b1 > b0:
            parts.append(f"**{escape_markdown(' '.join(new[b0:b1]))}**")
    return " ".join(parts)


def to_markdown(comparison: Comparison) -> str:
    """The change summary posted on a pull request, in Italian."""
    if not comparison.changed:
        return "Nessuna modifica al programma.\n"
    lines = ["## Modifiche al programma", "", "| | prima | dopo |", "|---|---:|---:|"]
    lines += [f"| {name} | {before} | {after} |" for name, before, after in comparison.counts]
    for section in comparison.sections:
        lines += ["", f"### {escape_markdown(section.title)}", ""]
        lines += [_change_line(change) for change in section.changes]
    return "\n".join(lines) + "\n"


TEXT_KINDS = {"testo modificato", "modificato", "nota"}


def _change_line(change: Change) -> str:
    subject = escape_markdown(change.subject)
    if change.kind in TEXT_KINDS and change.before and change.after:
        return f"- **{change.kind.capitalize()}** · {subject}: {word_diff(change.before, change.after)}"
    if change.before and change.after:
        return f"- **{change.kind.capitalize()}** · {subject}: {escape_markdown(change.before)} → {escape_markdown(change.after)}"
    text = escape_markdown(change.after or change.before)
    return f"- **{change.kind.capitalize()}** · {subject}" + (f": {text}" if text else "")


def to_json(comparison: Comparison) -> str:
    """The same comparison for machines: stable keys, stable order."""
    data = {
        "changed": comparison.changed,
        "counts": [{"name": n, "before": b, "after": a} for n, b, a in comparison.counts],
        "sections": [{"title": s.title, "changes": [asdict(c) for c in s.changes]} for s in comparison.sections],
    }
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
