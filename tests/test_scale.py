"""What keeps a big programme's build linear: shared actions indexed once, views that would grow as
the square of the stakeholders changing shape past a limit, PDFs printed by several processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from benchmarks.synthetic import write_programme
from click.testing import CliRunner

from programma_site import pdf
from programma_site.cli import cli
from programma_site.loader import load
from programma_site.model import Action, Programme, Stakeholder
from programma_site.plugin import NAV_LIMIT, navigation, unlisted
from programma_site.render import MATRIX_LIMIT, by_stakeholder, render, shared_pairs, shared_with
from programma_site.site import build_site

from .conftest import ROOT

DATE = pdf.datetime(2020, 9, 1, tzinfo=pdf.UTC)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    """A synthetic programme of 90 stakeholders and 840 actions, past every limit."""
    folder = tmp_path_factory.mktemp("big") / "programma"
    write_programme(folder, 10)
    return load(folder)


def naive_shared(programme: Programme, first: Stakeholder, second: Stakeholder) -> tuple[Action, ...]:
    """The definition: a scan of every action, as the cross tables once did for every pair."""
    return tuple(
        action
        for action in programme.actions
        if (action.stakeholder == first.slug and second.slug in action.also_for)
        or (action.stakeholder == second.slug and first.slug in action.also_for)
    )


@pytest.mark.parametrize("which", ["real", "big"])
def test_shared_actions_by_pair_match_the_definition(which: str, programme: Programme, big: Programme) -> None:
    chosen = programme if which == "real" else big
    people = chosen.stakeholders
    expected = [
        (first, second, naive_shared(chosen, first, second))
        for first in people
        for second in people
        if first.slug < second.slug and naive_shared(chosen, first, second)
    ]
    assert shared_pairs(chosen) == expected
    assert all(shared_with(chosen, a, b) == naive_shared(chosen, a, b) for a in people[:20] for b in people[:20])


def test_actions_grouped_by_stakeholder_match_filtering(big: Programme) -> None:
    for actions in big.actions_by_value.values():
        expected = [(p, [a for a in actions if a.stakeholder == p.slug]) for p in big.stakeholders]
        assert by_stakeholder(big, actions) == [(person, own) for person, own in expected if own]


def test_a_big_programme_lists_partners_instead_of_a_matrix(big: Programme) -> None:
    assert len(big.stakeholders) > MATRIX_LIMIT
    pages = {page.path: page.markdown for page in render(big, ROOT / "macros")}
    tables = pages["tabelle.md"]
    assert "Condivide azioni con" in tables
    assert tables.count('<table class="programma-tabella programma-incrocio"') == 1  # stakeholder x value only
    for first, second, _ in shared_pairs(big):
        anchor = f"#{first.slug}--{second.slug}"
        assert f"]({anchor} " in tables, anchor  # listed in the partners table
        assert f"{{ {anchor} }}" in tables, anchor  # and its heading in the pair-by-pair list


def test_the_real_programme_keeps_its_matrix_and_navigation(programme: Programme) -> None:
    assert len(programme.stakeholders) <= min(MATRIX_LIMIT, NAV_LIMIT)
    assert unlisted(programme) == frozenset()
    people = navigation(programme, (), ROOT / "docs")[1]["Gli stakeholder"]
    assert len(people) == 1 + len(programme.stakeholders)


@pytest.mark.slow
def test_a_big_site_builds_strict_with_stakeholders_off_the_navigation(tmp_path: Path) -> None:
    """90 stakeholder pages built and linked, none in the sidebar of every page."""
    for item in ("docs", "macros"):
        os.symlink(ROOT / item, tmp_path / item)
    (tmp_path / "mkdocs.yml").write_text(
        (ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV [PROGRAMMA_PDF, true]", "false")
    )
    write_programme(tmp_path / "programma", 10)
    build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    built = sorted((tmp_path / "site/stakeholder").glob("*/index.html"))
    assert len(built) == 90
    assert "interlocutore-0001/" not in built[1].read_text("utf-8").split('class="md-content"')[0]


@pytest.mark.pdf
def test_pdfs_printed_by_two_processes_are_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In the order a single process gives them; the whole programme is left out to keep the test short."""
    write_programme(tmp_path / "p", 1, stakeholders=4)
    monkeypatch.setattr(pdf, "WHOLE_PDF_LIMIT", 0)
    small = load(tmp_path / "p")
    serial = pdf.render_pdfs(small, ROOT / "macros", date=DATE, processes=1)
    parallel = pdf.render_pdfs(small, ROOT / "macros", date=DATE, processes=2)
    assert list(serial) == [f"pdf/interlocutore-000{number}.pdf" for number in range(1, 5)]
    assert list(parallel) == list(serial)
    assert parallel == serial


@pytest.mark.pdf
def test_past_the_limit_there_is_no_whole_programme_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_programme(tmp_path / "p", 1, stakeholders=2)
    monkeypatch.setattr(pdf, "WHOLE_PDF_LIMIT", 10)
    small = load(tmp_path / "p")
    assert list(pdf.render_pdfs(small, ROOT / "macros", date=DATE)) == [
        "pdf/interlocutore-0001.pdf",
        "pdf/interlocutore-0002.pdf",
    ]
    arguments = [
        "pdf",
        "--dir",
        str(tmp_path / "p"),
        "--templates",
        str(ROOT / "macros"),
        "--out",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == (
        "Programma completo non scritto: 84 azioni, oltre le 10 che un solo PDF contiene; ogni capitolo ha il suo."
    )
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "interlocutore-0001.pdf",
        "interlocutore-0002.pdf",
    ]
