"""Load a programme folder: read every file, check everything, then build the model.

Nothing is built unless every file is valid, so a bad edit can never leave a partial result.
Every name in stakeholder/ is a stakeholder file and must end in `.yaml`, except the hidden
ones (`.gitkeep`, an editor's `.cultura.yaml.swp`), which are left alone. Links and anything
that is not a plain file are refused by name and never read.
"""

from __future__ import annotations

import gc
import os
import stat
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import checks, schema
from .model import Action, Licence, Programme, Section, Stakeholder, Value
from .problems import InvalidProgramme, Problem, display
from .safefile import refusal, unreadable
from .yamlsource import Document, read

MISSING = "ogni programma ha programma.yaml, valori.yaml e la cartella stakeholder/"
STAKEHOLDER_SUFFIXES = {".yaml", ".yml"}  # any case: a `.yml` or `.YAML` file is a stakeholder misnamed


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
    for name, entry in files.items():
        problems += [entry] if isinstance(entry, Problem) else _read_valid(entry, directory / "schema", name, documents)
    stakeholders = [documents[name] for name in files if name.startswith("stakeholder/") and name in documents]
    slugs = {Path(name).stem for name in files if _is_stakeholder(name)}
    problems += checks.check_all(documents.get("valori.yaml"), stakeholders, slugs, documents.get("programma.yaml"))
    if problems:
        raise InvalidProgramme(problems)
    return build(documents["programma.yaml"].data, documents["valori.yaml"].data, stakeholders)


def _files(directory: Path) -> dict[str, Path | Problem]:
    """Every file to read by its name in the programme, or the problem that stops it being read."""
    if directory.is_symlink():  # it could lead anywhere, whose files would then be quoted in messages
        message = "la cartella del programma è un collegamento simbolico, che può portare ovunque: usa la cartella vera"
        return {".": Problem(display(directory), 1, 1, message)}
    found = {name: _checked(directory / name) for name in ("programma.yaml", "valori.yaml")}
    return found | _stakeholder_files(directory / "stakeholder")


def _stakeholder_files(folder: Path) -> dict[str, Path | Problem]:
    """One entry per name in stakeholder/ (hidden ones aside), or one problem for the folder itself."""
    problem = _checked(folder, directory=True)
    if isinstance(problem, Problem):
        return {"stakeholder/": problem}
    try:
        names = sorted(entry.name for entry in _listing(folder) if not entry.name.startswith("."))
    except OSError as error:
        return {"stakeholder/": Problem(display(folder), 1, 1, unreadable(error, "la cartella"))}
    found = {f"stakeholder/{name}": _stakeholder_file(folder / name) for name in names}
    if not any(_is_stakeholder(name) for name in found):
        found["stakeholder/"] = Problem(
            display(folder), 1, 1, "la cartella non contiene nessuno stakeholder: serve un file .yaml per ciascuno"
        )
    return found


def _listing(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return list(entries)


def _stakeholder_file(path: Path) -> Path | Problem:
    if path.suffix == ".yaml":
        return _checked(path)
    if path.suffix.lower() in STAKEHOLDER_SUFFIXES:
        hint = f"il nome di un file stakeholder finisce in «.yaml»: rinominalo in «{path.stem}.yaml»"
        return Problem(display(path), 1, 1, hint)
    hint = "nella cartella stakeholder/ vanno solo i file .yaml degli stakeholder: sposta o cancella questo file"
    return Problem(display(path), 1, 1, hint)


def _is_stakeholder(name: str) -> bool:
    return name.startswith("stakeholder/") and Path(name).suffix.lower() in STAKEHOLDER_SUFFIXES


def _checked(path: Path, directory: bool = False) -> Path | Problem:
    """`path` if it is a plain file (or folder), looked at without following a link; else why not."""
    what = "la cartella" if directory else "il file"
    try:
        info = path.lstat()
    except FileNotFoundError:
        return Problem(display(path), 1, 1, f"{'cartella' if directory else 'file'} mancante: {MISSING}")
    except OSError as error:
        return Problem(display(path), 1, 1, unreadable(error, what))
    if directory and stat.S_ISDIR(info.st_mode):
        return path
    reason = "è un file, non una cartella" if directory and stat.S_ISREG(info.st_mode) else refusal(info)
    return Problem(display(path), 1, 1, reason) if reason else path


def _schema_of(name: str) -> str:
    return "stakeholder.schema.json" if name.startswith("stakeholder/") else name.replace(".yaml", ".schema.json")


def _read_valid(path: Path, schema_dir: Path, name: str, into: dict[str, Document]) -> list[Problem]:
    """Read and schema-check one file; keep its document only when it is valid."""
    document = read(path, display(path))
    if isinstance(document, list):
        return document
    problems = schema.check(document, schema_dir, _schema_of(name))
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
