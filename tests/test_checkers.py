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
from .quality import report

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


def test_the_quality_report_gives_each_checkers_figures() -> None:
    """`make quality`'s report, from a summary as the run writes it (the run itself is `make quality`)."""
    scores = {"performance": 0.93, "accessibility": 1, "best-practices": 1, "seo": 1}
    audit = {"url": "http://127.0.0.1:1/programma/azioni/", "form_factor": "mobile", "scores": scores}
    audit |= {"metrics": {"largest-contentful-paint": "1.8 s"}, "failing": []}
    summary = {
        "passed": False,
        "commit": "abc1234",
        "versions": {"vnu": "26.9.27", "linkchecker": "10.6.0", "lighthouse": "12.8.2"},
        "vnu": {"pages": 17, "errors": ["/cerca/index.html:741: Attribute “markdown” not allowed"]}
        | {"material_autocomplete_filtered": 34},
        "linkchecker": {"links": 395, "problems": []},
        "lighthouse": [audit],
        "tests": {"passed": 182, "failed": [], "seconds": 100, "files": []},
    }
    text = report(summary)
    assert "**Some enforced checks fail.**" in text
    assert "| Nu HTML validator 26.9.27 | 1 error on 17 pages (34 of Material's `autocomplete` errors" in text
    assert "| LinkChecker 10.6.0 | 0 broken of 395 links and anchors |" in text
    assert "| /azioni/ | mobile | 0.93 (below goal) | 1.00 | 1.00 | 1.00 |  | 1.8 s |" in text
    assert "- /cerca/index.html:741: Attribute “markdown” not allowed" in text
