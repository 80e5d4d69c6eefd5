"""A real strict build of the real programme, checked page by page on the built HTML."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from mkdocs.exceptions import MkDocsException

from programma_site import pdf
from programma_site.model import Programme
from programma_site.render import shared_with
from programma_site.site import MARKER, build_site

from .conftest import ROOT
from .htmlpage import Page, Table

REPO = "https://github.com/valenza-futura/programma/edit/main/"


def table(page: Page, caption_start: str) -> Table:
    return next(t for t in page.tables if t.caption.startswith(caption_start))


def test_every_page_is_built(pages: dict[str, Page], programme: Programme) -> None:
    expected = {"/", "/stakeholder/", "/valori/", "/azioni/", "/tabelle/", "/come-proporre-una-modifica/"}
    expected |= {f"/stakeholder/{person.slug}/" for person in programme.stakeholders}
    assert expected <= set(pages)
    assert all(page.lang == "it" for page in pages.values())


def test_home_has_title_coalition_period_values_and_ways_in(pages: dict[str, Page], programme: Programme) -> None:
    home = pages["/"]
    for words in (programme.title, programme.coalition, programme.period, programme.sections[0].paragraphs[0]):
        assert words in home.text
    for value in programme.values:
        assert value.name in home.text and f"valori/#{value.slug}" in " ".join(home.links)
    for target in ("stakeholder/", "valori/", "azioni/", "tabelle/"):
        assert target in home.links


def test_stakeholder_index_counts(pages: dict[str, Page], programme: Programme) -> None:
    index = table(pages["/stakeholder/"], "Gli stakeholder")
    assert index.header == ["Stakeholder", "Azioni", "Azioni condivise"]
    expected = [[p.name, str(len(p.actions)), str(p.shared_count)] for p in programme.stakeholders]
    assert index.rows == expected
    for section in programme.sections[1:]:
        assert section.paragraphs[-1] in pages["/stakeholder/"].text


@pytest.mark.parametrize("slug", [
    "bambini-giovani", "under-30", "famiglie-anziani", "imprese-lavoro", "cultura",
    "bellezza", "terzo-settore-sport", "ambiente-salute", "dipendenti-comunali",
])  # fmt: skip
def test_stakeholder_page(pages: dict[str, Page], programme: Programme, slug: str) -> None:
    person, page = programme.by_stakeholder[slug], pages[f"/stakeholder/{slug}/"]
    actions = table(page, "Le azioni per")
    assert actions.header == ["N.", "Azione", "Riguarda anche", "Valori"]
    assert actions.row_ids == [action.id for action in person.actions]
    for action, row, hrefs in zip(person.actions, actions.rows, actions.links, strict=True):
        assert row[0] == f"{action.number} {action.id}" and row[1].startswith(action.text)
        assert f"#{action.id}" in hrefs  # the visible permalink
        assert [h for h in hrefs if h.startswith("../") and "valori" not in h] == [f"../{s}/" for s in action.also_for]
        assert [h.split("#")[1] for h in hrefs if "valori/#" in h] == list(action.values)
    for paragraph in person.narrative:
        assert paragraph in page.text
    for action in person.shared:
        assert f"../{action.stakeholder}/#{action.id}" in page.links and action.text in page.text


def test_values_page_groups_actions_by_stakeholder(pages: dict[str, Page], programme: Programme) -> None:
    page = pages["/valori/"]
    assert "classificazione redazionale" in page.text
    for value in programme.values:
        actions = programme.actions_by_value[value.slug]
        assert value.slug in page.ids and f"{len(actions)} azioni" in page.text
        for person in programme.stakeholders:
            own = [a for a in actions if a.stakeholder == person.slug]
            assert (f"{value.slug}-{person.slug}" in page.ids) == bool(own)
            assert all(f"../stakeholder/{a.stakeholder}/#{a.id}" in page.links for a in own)


def test_all_actions_table(pages: dict[str, Page], programme: Programme) -> None:
    every = table(pages["/azioni/"], "Tutte le azioni")
    assert len(every.rows) == len(programme.actions) == 84
    assert every.row_ids == [action.id for action in programme.actions]
    names = {p.slug: p.name for p in programme.stakeholders}
    assert [row[0] for row in every.rows] == [names[a.stakeholder] for a in programme.actions]


def test_cross_tables(pages: dict[str, Page], programme: Programme) -> None:
    page, people = pages["/tabelle/"], programme.stakeholders
    matrix = table(page, "Azioni condivise tra stakeholder")
    for row, first in zip(matrix.rows, people, strict=True):
        for cell, second in zip(row[1:], people, strict=True):
            shared = shared_with(programme, first, second) if first != second else ()
            assert cell == (str(len(shared)) if shared else "—")
    by_value = table(page, "Azioni per stakeholder e valore")
    for row, person in zip(by_value.rows, people, strict=True):
        counts = [sum(v.slug in a.values for a in person.actions) for v in programme.values]
        assert row[1:] == [str(c) if c else "—" for c in counts]


def test_every_internal_link_and_anchor_resolves(pages: dict[str, Page], built_site: Path) -> None:
    broken = []
    for url, page in pages.items():
        if url == "/404.html":  # served at any depth, so its links are absolute from site_url
            continue
        for href in page.links:
            if href.startswith(("http:", "https:", "mailto:")):
                continue
            path, anchor = page.resolve(href)
            target = pages.get(path)
            if target is None and not (built_site / path.lstrip("/")).is_file():
                broken.append(f"{url} -> {href}")
            elif target is not None and anchor and anchor not in target.ids:
                broken.append(f"{url} -> {href} (ancora mancante)")
    assert broken == []


def test_edit_link_opens_the_source_file(pages: dict[str, Page], programme: Programme) -> None:
    expected = {"/": "programma/programma.yaml", "/valori/": "programma/valori.yaml"}
    expected |= {f"/stakeholder/{p.slug}/": f"programma/stakeholder/{p.slug}.yaml" for p in programme.stakeholders}
    for url, source in expected.items():
        assert REPO + source in pages[url].links, url


def test_the_package_pages_have_no_edit_link(pages: dict[str, Page]) -> None:
    """The guide and the search page come from the package, not from this repository: nothing to edit here."""
    for url in ("/come-proporre-una-modifica/", "/cerca/"):
        assert not [link for link in pages[url].links if link.startswith(REPO)], url


def test_no_request_leaves_the_site(pages: dict[str, Page]) -> None:
    for page in pages.values():
        assert not [s for s in page.scripts + page.stylesheets if s.startswith(("http:", "https:", "//"))]
    assert 'data-md-component="source"' not in (pages["/"].path.read_text("utf-8"))
    for css in pages["/"].path.parent.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text("utf-8")


def _digest(site: Path) -> dict[str, str]:
    return {
        p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_two_builds_are_byte_identical(
    built_site: Path, pdfs: dict[str, bytes], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Everything but the PDFs built again; the PDFs' own bytes are tested in test_pdf.py, in this
    process and in another, so printing the whole programme a second time here would add nothing."""
    monkeypatch.setattr(pdf, "render_pdfs", lambda *arguments, **options: dict(pdfs))
    again = tmp_path / "site"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        build_site(ROOT / "mkdocs.yml", again)
    finally:
        os.chdir(cwd)
    assert _digest(again) == _digest(built_site)


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for name in ("programma", "macros", "docs"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    bad = tmp_path / "programma" / "stakeholder" / "cultura.yaml"
    bad.write_text(bad.read_text("utf-8").replace("numero: 3", "numero: tre"), "utf-8")
    previous = tmp_path / "site"
    previous.mkdir()
    (previous / "index.html").write_text("precedente", "utf-8")
    (previous / MARKER).touch()  # an earlier build, which a build may replace
    cwd = Path.cwd()
    os.chdir(tmp_path)
    try:
        with pytest.raises(MkDocsException):
            build_site(tmp_path / "mkdocs.yml", previous)
    finally:
        os.chdir(cwd)
    assert "cultura.yaml:36:13: azioni[2].numero: serve un numero intero" in caplog.text
    assert sorted(p.name for p in previous.iterdir()) == [MARKER, "index.html"]
    assert (previous / "index.html").read_text("utf-8") == "precedente"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "macros", "mkdocs.yml", "programma", "site"]
