"""The programme as immutable, typed objects, with references resolved both ways."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Value:
    """One of the programme's values (valori)."""

    slug: str
    name: str
    text: str


@dataclass(frozen=True)
class Action:
    """One action (azione) as published, with its editorial classification by value."""

    id: str
    number: int
    text: str
    stakeholder: str
    also_for: tuple[str, ...]
    values: tuple[str, ...]
    note: str | None = None


@dataclass(frozen=True)
class Stakeholder:
    """A stakeholder (interlocutore): its narrative, its actions, and others' actions that concern it."""

    slug: str
    name: str
    label: str
    aliases: tuple[str, ...]
    order: int
    narrative: tuple[str, ...]
    actions: tuple[Action, ...]
    shared: tuple[Action, ...]
    source: str

    @property
    def shared_count(self) -> int:
        """Actions of this stakeholder that concern others, plus others' actions that concern it."""
        return sum(1 for action in self.actions if action.also_for) + len(self.shared)


@dataclass(frozen=True)
class Section:
    """An introductory section of the programme."""

    id: str
    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Licence:
    """The data's licence (licenza): the editors' statement of how the programme may be reused."""

    name: str
    spdx: str
    url: str
    note: str


@dataclass(frozen=True)
class Programme:
    """The whole programme. Lookups are built once, so templates never search lists."""

    title: str
    subtitle: str
    coalition: str
    candidate: str
    # How the programme names the candidate's role, shown before the name ("Candidata sindaca").
    candidate_role: str
    period: str
    municipality: str
    sections: tuple[Section, ...]
    values: tuple[Value, ...]
    stakeholders: tuple[Stakeholder, ...]
    by_stakeholder: Mapping[str, Stakeholder] = field(repr=False, compare=False)
    by_value: Mapping[str, Value] = field(repr=False, compare=False)
    actions_by_value: Mapping[str, tuple[Action, ...]] = field(repr=False, compare=False)
    # Actions of either stakeholder of a pair that concern the other, in programme order.
    shared_by_pair: Mapping[frozenset[str], tuple[Action, ...]] = field(repr=False, compare=False)
    licence: Licence | None = None

    @cached_property
    def actions(self) -> tuple[Action, ...]:
        """Every action in programme order; built once, as templates ask for it on every page."""
        return tuple(action for stakeholder in self.stakeholders for action in stakeholder.actions)

    @property
    def cross_references(self) -> int:
        return sum(len(action.also_for) for action in self.actions)
