"""Load a programme folder: read every file, check everything, then build the model.

Nothing is built unless every file is valid, so a bad edit can never leave a partial result.
"""

from __future__ import annotations

import gc
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import checks, schema
from .model import Action, Licence, Programme, Section, Stakeholder, Value
from .problems import InvalidProgramme, Problem, display
from .yamlsource import Document, read


def load(directory: Path) -> Programme:
    """The programme in `directory`, or InvalidProgramme listing every problem in every file."""
    # Loading makes hundreds of thousands of small acyclic objects: the cyclic collector's passes
    # over them are pure overhead (8% of a 100x load), so it waits until the load is over.
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load(directory)
    finally:
        if enabled:
            gc.enable()


def _load(directory: Path) -> Programme:
    files = _files(directory)
    documents: dict[str, Document] = {}
    problems: list[Problem] = []
    for name, path in files.items():
        problems += _read_valid(path, directory / "schema", _schema_of(name), documents, name)
    stakeholders = [documents[name] for name in files if name.startswith("stakeholder/") and name in documents]
    slugs = {Path(name).stem for name in files if name.startswith("stakeholder/")}
    problems += checks.check_all(documents.get("valori.yaml"), stakeholders, slugs, documents.get("programma.yaml"))
    if problems:
        raise InvalidProgramme(problems)
    return build(documents["programma.yaml"].data, documents["valori.yaml"].data, stakeholders)


def _files(directory: Path) -> dict[str, Path]:
    names = ["programma.yaml", "valori.yaml"]
    names += sorted(f"stakeholder/{path.name}" for path in (directory / "stakeholder").glob("*.yaml"))
    return {name: directory / name for name in names}


def _schema_of(name: str) -> str:
    return "stakeholder.schema.json" if name.startswith("stakeholder/") else name.replace(".yaml", ".schema.json")


def _read_valid(path: Path, schema_dir: Path, schema_name: str, into: dict[str, Document], name: str) -> list[Problem]:
    """Read and schema-check one file; keep its document only when it is valid."""
    shown = display(path)
    if not path.is_file():
        return [
            Problem(
                shown, 1, 1, "file mancante: ogni programma ha programma.yaml, valori.yaml e la cartella stakeholder/"
            )
        ]
    document = read(path, shown)
    if isinstance(document, list):
        return document
    problems = schema.check(document, schema_dir, schema_name)
    if not problems:
        into[name] = document
    return problems


def build(meta: dict[str, Any], valori: dict[str, Any], stakeholders: list[Document]) -> Programme:
    """The immutable model from valid data; shared actions are resolved here, once."""
    values = tuple(Value(slug=item["slug"], name=item["nome"], text=item["testo"]) for item in valori["valori"])
    ordered = sorted(stakeholders, key=lambda document: document.data["ordine"])
    actions = {document.data["slug"]: _actions(document.data) for document in ordered}
    shared = _shared(actions)
    people = tuple(_stakeholder(document, actions, shared) for document in ordered)
    return Programme(
        title=meta["titolo"],
        subtitle=meta["sottotitolo"],
        coalition=meta["coalizione"],
        candidate=meta["candidato"],
        candidate_role=meta["ruolo_candidato"],
        period=meta["periodo"],
        municipality=meta["comune"],
        sections=tuple(_section(item) for item in meta["introduzione"]),
        values=values,
        stakeholders=people,
        by_stakeholder=MappingProxyType({person.slug: person for person in people}),
        by_value=MappingProxyType({value.slug: value for value in values}),
        actions_by_value=MappingProxyType(_by_value(values, people)),
        shared_by_pair=MappingProxyType(_by_pair(people)),
        licence=_licence(meta.get("licenza")),
    )


def _licence(data: dict[str, Any] | None) -> Licence | None:
    if data is None:
        return None
    work = data["dati"]
    return Licence(name=work["nome"], spdx=work["identificativo"], url=work["url"], note=data["nota"])


def _section(item: dict[str, Any]) -> Section:
    return Section(id=item["id"], title=item["titolo"], paragraphs=tuple(item["paragrafi"]))


def _actions(data: dict[str, Any]) -> tuple[Action, ...]:
    return tuple(
        Action(
            id=item["id"],
            number=item["numero"],
            text=item["testo"],
            stakeholder=data["slug"],
            also_for=tuple(item.get("anche_per", [])),
            values=tuple(item["valori"]),
            note=item.get("nota"),
        )
        for item in data["azioni"]
    )


def _shared(actions: dict[str, tuple[Action, ...]]) -> dict[str, tuple[Action, ...]]:
    """Others' actions concerning each stakeholder, in stakeholder then action order.

    One pass over all actions: scanning them once per stakeholder grew as stakeholders x actions.
    """
    shared: dict[str, list[Action]] = {}
    for owner, own in actions.items():
        for action in own:
            for slug in action.also_for:
                if slug != owner:
                    shared.setdefault(slug, []).append(action)
    return {slug: tuple(found) for slug, found in shared.items()}


def _stakeholder(
    document: Document, actions: dict[str, tuple[Action, ...]], shared: dict[str, tuple[Action, ...]]
) -> Stakeholder:
    data = document.data
    return Stakeholder(
        slug=data["slug"],
        name=data["nome"],
        label=data["etichetta"],
        aliases=tuple(data.get("alias", [])),
        order=data["ordine"],
        narrative=tuple(data["narrativa"]),
        actions=actions[data["slug"]],
        shared=shared.get(data["slug"], ()),
        source=f"stakeholder/{Path(document.file).name}",
    )


def _by_value(values: tuple[Value, ...], people: tuple[Stakeholder, ...]) -> dict[str, tuple[Action, ...]]:
    every = [action for person in people for action in person.actions]
    return {value.slug: tuple(a for a in every if value.slug in a.values) for value in values}


def _by_pair(people: tuple[Stakeholder, ...]) -> dict[frozenset[str], tuple[Action, ...]]:
    """Shared actions by pair of stakeholders, in one pass: the cross tables once scanned every
    action for every pair, which grew as stakeholders squared times actions."""
    pairs: dict[frozenset[str], dict[str, Action]] = {}
    for person in people:
        for action in person.actions:
            for slug in action.also_for:
                pairs.setdefault(frozenset((person.slug, slug)), {})[action.id] = action
    return {pair: tuple(found.values()) for pair, found in pairs.items()}
