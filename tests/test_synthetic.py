"""The benchmark's synthetic programmes are valid, deterministic and shaped like the real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmarks.synthetic import write_programme

from programma_site.loader import load
from programma_site.model import Programme


def files(directory: Path) -> dict[str, bytes]:
    return {path.relative_to(directory).as_posix(): path.read_bytes() for path in sorted(directory.rglob("*.yaml"))}


@pytest.mark.parametrize("scale", [1, 10])
def test_loads_with_the_promised_counts(tmp_path: Path, scale: int) -> None:
    write_programme(tmp_path / "p", scale)
    programme = load(tmp_path / "p")
    assert len(programme.stakeholders) == 9 * scale
    assert len(programme.actions) == 84 * scale
    assert len(programme.values) == 7
    assert len(programme.sections) == 3
    assert [len(person.actions) for person in programme.stakeholders[:9]] == [5, 6, 11, 13, 8, 9, 11, 13, 8]


def test_proportions_follow_the_real_programme(tmp_path: Path, programme: Programme) -> None:
    write_programme(tmp_path / "p", 10)
    synthetic = load(tmp_path / "p")
    shared = sum(1 for action in synthetic.actions if action.also_for) / len(synthetic.actions)
    assert 0.15 < shared < 0.25  # the real programme: 17 of 84
    assert {len(action.values) for action in synthetic.actions} == {1, 2, 3}
    real_lengths = sorted(len(action.text) for action in programme.actions)
    lengths = [len(action.text) for action in synthetic.actions]
    assert real_lengths[0] <= min(lengths) and max(lengths) <= real_lengths[-1] + 30
    assert any(action.note for action in synthetic.actions)


def test_same_arguments_write_the_same_bytes(tmp_path: Path) -> None:
    write_programme(tmp_path / "a", 1)
    write_programme(tmp_path / "b", 1)
    write_programme(tmp_path / "c", 1, seed=7)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_rewriting_replaces_the_folder(tmp_path: Path) -> None:
    write_programme(tmp_path / "p", 10)
    write_programme(tmp_path / "p", 1)
    assert len(list((tmp_path / "p/stakeholder").glob("*.yaml"))) == 9
    assert len(load(tmp_path / "p").actions) == 84


def test_few_stakeholders_with_long_files(tmp_path: Path) -> None:
    write_programme(tmp_path / "p", 10, stakeholders=9)
    programme = load(tmp_path / "p")
    assert len(programme.stakeholders) == 9
    assert len(programme.actions) == 840
    assert {len(person.actions) for person in programme.stakeholders} == {93, 94}


def test_every_file_names_its_schema(tmp_path: Path) -> None:
    write_programme(tmp_path / "p", 1)
    for name, content in files(tmp_path / "p").items():
        first = content.decode("utf-8").splitlines()[0]
        schema = first.removeprefix("# yaml-language-server: $schema=")
        assert schema != first, name
        assert (tmp_path / "p" / name).parent.joinpath(schema).is_file(), name


def test_scale_below_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        write_programme(tmp_path / "p", 0)
