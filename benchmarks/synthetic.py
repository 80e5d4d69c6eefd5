"""A deterministic synthetic programme with the real programme's proportions.

Scale 1 is the size of the real programme: 9 stakeholders, 84 actions, 7 values. Scale N has
9*N stakeholders and 84*N actions: a bigger programme grows by more interlocutors, each with
a file the size of today's, so the per-file costs and the cross-stakeholder resolution grow as
they would in practice. The actions per stakeholder cycle through the real counts (5, 6, 11…),
so every scale has exactly 84*N actions. Values stay 7 and the introduction keeps its three
sections: neither grows with the number of actions. `stakeholders=` overrides the count, to
measure the other shape (few stakeholders with very long files).

Everything else is sampled from the real programme with `random.Random(seed)`: text lengths
(actions, narratives, notes, values, introductory paragraphs), words, the share of actions
naming a second stakeholder (17 in 84, about 20%), 1-3 values per action, notes on about 5%.
The same arguments always write the same bytes.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from programma_site.defaults import SCHEMA
from programma_site.loader import load

REAL = Path(__file__).resolve().parents[1] / "programma"
STAKEHOLDERS_PER_SCALE = 9
ACTIONS_PER_SCALE = 84
SHARED_SHARE = 17 / 84
NOTE_SHARE = 4 / 84
VALUES = ("futuro", "inclusione", "partecipazione", "solidarieta", "creativita", "sviluppo-sostenibile", "resilienza")
SECTIONS = 3
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml when present: ~10x faster
MODELINE = "# yaml-language-server: $schema={}\n"  # the package's schema: the files sit in a scratch folder


@dataclass(frozen=True)
class Sample:
    """What the generator borrows from the real programme."""

    words: tuple[str, ...]
    actions_per_stakeholder: tuple[int, ...]
    action_lengths: tuple[int, ...]
    narrative_lengths: tuple[tuple[int, ...], ...]
    note_lengths: tuple[int, ...]
    value_lengths: tuple[int, ...]
    section_lengths: tuple[tuple[int, ...], ...]


def sample(directory: Path = REAL) -> Sample:
    """Word list and text lengths of the programme in `directory`."""
    real = load(directory)
    texts = [action.text for action in real.actions] + [value.text for value in real.values]
    return Sample(
        words=tuple(sorted({word for text in texts for word in text.split()})),
        actions_per_stakeholder=tuple(len(person.actions) for person in real.stakeholders),
        action_lengths=tuple(len(action.text) for action in real.actions),
        narrative_lengths=tuple(tuple(map(len, person.narrative)) for person in real.stakeholders),
        note_lengths=tuple(len(action.note) for action in real.actions if action.note),
        value_lengths=tuple(len(value.text) for value in real.values),
        section_lengths=tuple(tuple(map(len, section.paragraphs)) for section in real.sections),
    )


class Writer:
    """Random text and records drawn from one seeded generator, in a fixed order."""

    def __init__(self, source: Sample, seed: int) -> None:
        self.source = source
        self.rng = random.Random(seed)

    def text(self, length: int) -> str:
        """Words drawn from the real texts until the text is `length` characters long, or a word longer."""
        words = [self.rng.choice(self.source.words)]
        size = len(words[0])
        while size < length:
            words.append(self.rng.choice(self.source.words))
            size += 1 + len(words[-1])
        sentence = " ".join(words)
        return sentence[0].upper() + sentence[1:]

    def texts(self, lengths: Sequence[int]) -> list[str]:
        return [self.text(length) for length in lengths]

    def action(self, owner: str, number: int, others: Sequence[str]) -> dict[str, Any]:
        action: dict[str, Any] = {
            "id": f"{owner}-{number:02d}",
            "numero": number,
            "testo": self.text(self.rng.choice(self.source.action_lengths)),
        }
        if len(others) > 1 and self.rng.random() < SHARED_SHARE:
            action["anche_per"] = [self._other(owner, others)]
        action["valori"] = self.rng.sample(VALUES, self.rng.randint(1, 3))
        if self.rng.random() < NOTE_SHARE:
            action["nota"] = self.text(self.rng.choice(self.source.note_lengths))
        return action

    def _other(self, owner: str, slugs: Sequence[str]) -> str:
        while (other := self.rng.choice(slugs)) == owner:
            pass
        return other

    def stakeholder(self, index: int, slugs: Sequence[str]) -> dict[str, Any]:
        slug, shares = slugs[index], self.source.actions_per_stakeholder
        name = self.text(self.rng.randint(8, 24))
        return {
            "slug": slug,
            "nome": name,
            "etichetta": name.replace(" ", ""),
            "alias": [self.text(self.rng.randint(6, 20)) for _ in range(self.rng.randint(0, 2))],
            "ordine": index + 1,
            "narrativa": self.texts(self.source.narrative_lengths[index % len(self.source.narrative_lengths)]),
            "azioni": [self.action(slug, number, slugs) for number in range(1, shares[index % len(shares)] + 1)],
        }

    def values(self) -> dict[str, Any]:
        return {
            "valori": [
                {"slug": slug, "nome": slug.replace("-", " ").capitalize(), "testo": self.text(length)}
                for slug, length in zip(VALUES, self.source.value_lengths, strict=True)
            ]
        }

    def programme(self, scale: int) -> dict[str, Any]:
        return {
            "titolo": f"Programma sintetico, scala {scale}",
            "sottotitolo": self.text(30),
            "coalizione": self.text(14),
            "candidato": self.text(14),
            "ruolo_candidato": self.text(14),
            "periodo": "2025-2030",
            "comune": self.text(8),
            "introduzione": [
                {"id": f"sezione-{index + 1}", "titolo": self.text(40), "paragrafi": self.texts(lengths)}
                for index, lengths in enumerate(self.source.section_lengths[:SECTIONS])
            ],
        }


def write_programme(directory: Path, scale: int, *, stakeholders: int | None = None, seed: int = 2020) -> None:
    """Write a valid programme folder of 84*scale actions into `directory` (emptied first)."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    source = sample()
    count = stakeholders or STAKEHOLDERS_PER_SCALE * scale
    shares = _spread(ACTIONS_PER_SCALE * scale, count) if stakeholders else source.actions_per_stakeholder
    writer = Writer(Sample(**{**source.__dict__, "actions_per_stakeholder": tuple(shares)}), seed)
    shutil.rmtree(directory, ignore_errors=True)
    (directory / "stakeholder").mkdir(parents=True)
    _dump(directory / "programma.yaml", "programma", writer.programme(scale))
    _dump(directory / "valori.yaml", "valori", writer.values())
    slugs = [f"interlocutore-{index + 1:04d}" for index in range(count)]
    for index, slug in enumerate(slugs):
        _dump(directory / "stakeholder" / f"{slug}.yaml", "stakeholder", writer.stakeholder(index, slugs))


def _spread(total: int, parts: int) -> list[int]:
    """`total` split into `parts` near-equal whole numbers."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


def _dump(path: Path, schema: str, data: dict[str, Any]) -> None:
    modeline = MODELINE.format(SCHEMA / f"{schema}.schema.json")
    text = yaml.dump(data, Dumper=DUMPER, allow_unicode=True, sort_keys=False, width=100)
    path.write_text(modeline + text, "utf-8")
