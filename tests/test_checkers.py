"""The real checkers on the real built site: the Nu HTML validator, LinkChecker, Lighthouse.

Each must find nothing: no HTML error (apart from Material's own `autocomplete` on its two
checkboxes a page, filtered by message), no broken link or anchor, and full marks from Lighthouse
in accessibility, best practices and SEO on the home page, a stakeholder page and all the actions,
as a phone and as a desktop. Performance is measured by `make quality`, not asserted: it is timing.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .checkers import (
    CATEGORIES,
    FORM_FACTORS,
    LIGHTHOUSE_PAGES,
    Audit,
    LinkCheck,
    Validation,
    check_links,
    lighthouse,
    validate,
)
from .conftest import Served
from .htmlpage import Page

RUNS = [(path, form_factor) for path in LIGHTHOUSE_PAGES for form_factor in FORM_FACTORS]
PARALLEL_RUNS = 3  # scores other than performance do not depend on speed


@pytest.fixture(scope="module")
def validation(built_site: Path) -> Validation:
    return validate(built_site)


def test_the_nu_validator_finds_no_error_on_any_page(validation: Validation, pages: dict[str, Page]) -> None:
    assert validation.pages == len(pages)
    assert [str(error) for error in validation.errors] == []


def test_only_materials_two_autocomplete_errors_a_page_are_filtered(validation: Validation) -> None:
    assert validation.material_autocomplete == 2 * validation.pages


@pytest.fixture(scope="module")
def link_check(served_site: Served, tmp_path_factory: pytest.TempPathFactory) -> LinkCheck:
    # The 404 page is linked from nowhere: it is a start page of its own.
    starts = [served_site.url(""), served_site.url("404.html")]
    return check_links(starts, tmp_path_factory.mktemp("linkchecker"))


def test_linkchecker_finds_no_broken_link_or_anchor(link_check: LinkCheck) -> None:
    assert link_check.links > 300  # it really crawled the site: pages, assets, PDFs, every #anchor
    assert [str(problem) for problem in link_check.problems] == []
    assert link_check.exit_code == 0


@pytest.fixture(scope="module")
def audits(served_site: Served, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Audit]:
    def run(path: str, form_factor: str) -> Audit:
        return lighthouse(served_site.url(path), form_factor, tmp_path_factory.mktemp("lighthouse"))

    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        futures = {run_id: pool.submit(run, *run_id) for run_id in RUNS}
        return {run_id: future.result() for run_id, future in futures.items()}


@pytest.mark.parametrize(("path", "form_factor"), RUNS)
def test_lighthouse_gives_full_marks(audits: dict[tuple[str, str], Audit], path: str, form_factor: str) -> None:
    audit = audits[(path, form_factor)]
    assert audit.scores == dict.fromkeys(CATEGORIES, 1), [str(finding) for finding in audit.failing]

