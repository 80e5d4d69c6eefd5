"""Helpers of the bad-input tests: the programme's files, one edit, and the problems it gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from programma_site.loader import load
from programma_site.problems import InvalidProgramme, Problem

ROOT = Path(__file__).parents[1]
CULTURA = Path("programma/stakeholder/cultura.yaml")
VALORI = Path("programma/valori.yaml")
PROGRAMMA = Path("programma/programma.yaml")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), "utf-8")


def position(path: Path, fragment: str) -> tuple[int, int]:
    """Line and column (from 1) where the one occurrence of `fragment` starts."""
    text = path.read_text("utf-8")
    assert text.count(fragment) == 1, f"{fragment!r} occurs {text.count(fragment)} times in {path}"
    index = text.index(fragment)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def problems(directory: Path) -> list[Problem]:
    """The problems `load` raises; the test fails if it returns anything instead."""
    with pytest.raises(InvalidProgramme) as raised:
        load(directory)
    return raised.value.problems


def only_problem(directory: Path) -> Problem:
    found = problems(directory)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


def assert_problem(problem: Problem, file: Path, at: tuple[int, int], message: str, where: str = "") -> None:
    assert (problem.file, (problem.line, problem.column)) == (file.as_posix(), at)
    assert problem.message == message
    assert problem.where == where
