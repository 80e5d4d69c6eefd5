"""What a reader does, in a real Chromium, on the real built site served over HTTP.

Search forgives Italian inflection, from the header form as well as from Pagefind's own API;
every page passes axe-core (WCAG 2.0 and 2.1, A and AA) on a desktop and on a phone, and never
scrolls sideways; nothing is fetched from another host; printing keeps the content only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped]
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from programma_site.loader import load
from programma_site.model import Action, Programme

from .conftest import ROOT, Served
from .htmlpage import Page as BuiltPage

ACTIONS = load(ROOT / "programma").actions
DESKTOP, PHONE = 1280, 375
HEIGHT = 800
TIMEOUT_MS = 60_000  # a slow machine waits longer; no test measures time
SEARCH_PAGE = "cerca/"
HEADER_BOX = "Cerca nel programma"
RESULT_LINK = "pagefind-results a.pf-result-link"
# What has the keyboard focus: the header box by its label, anything else by tag and text.
FOCUSED = """(() => {
  const element = document.activeElement;
  return element.closest(".md-header") && element.name === "q"
    ? element.labels[0].textContent.trim()
    : `${element.tagName} ${element.textContent.trim().slice(0, 40)}`;
})()"""
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}


class Inflection(NamedTuple):
    query: str  # typed by the reader
    written: str  # the form the stakeholder's page uses
    slug: str


# Typed into the header, as a reader would: a singular that the pages only use in the plural.
INFLECTED = [
    Inflection("colonnina", "colonnine", "ambiente-salute"),
    Inflection("facciata", "facciate", "bellezza"),
    Inflection("cassonetto", "cassonetti", "ambiente-salute"),
]
# One query per stakeholder, in a form its page never uses (singular for plural and back).
DISTINCTIVE = {
    "bambini-giovani": "biblioteche",
    "under-30": "suggerimento",
    "famiglie-anziani": "anziano",
    "imprese-lavoro": "commerciante",
    "cultura": "archivio",
    "bellezza": "marciapiede",
    "terzo-settore-sport": "piscine",
    "ambiente-salute": "rifiuto",
    "dipendenti-comunali": "cantiere",
}
PAGEFIND_SEARCH = """async ([module, query]) => {
  const pagefind = await import(module);
  const found = await pagefind.search(query);
  const pages = await Promise.all(found.results.map((result) => result.data()));
  return pages.map((page) => page.url);
}"""
MEASURE = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
  scrollingTables: [...document.querySelectorAll(".programma-scorrimento")]
    .filter((region) => region.scrollWidth > region.clientWidth).length,
})"""
# The search page after a query, as a reader meets it: results listed, or none found.
SEARCH_STATES = {
    f"/{SEARCH_PAGE}?q=colonnina": RESULT_LINK,
    f"/{SEARCH_PAGE}?q=zzzyzx": "pagefind-summary:has-text('Nessun risultato')",
}
# Shown on screen, hidden in print: what a printed page does without.
NOT_PRINTED = {
    "header": ".md-header",
    "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary",
    "header search form": ".md-header form.programma-cerca",
    "footer": ".md-footer",
}

expect.set_options(timeout=TIMEOUT_MS)


def new_context(browser: Browser, width: int = DESKTOP) -> BrowserContext:
    context = browser.new_context(viewport={"width": width, "height": HEIGHT}, locale="it-IT")
    context.set_default_timeout(TIMEOUT_MS)
    return context


def stakeholder_path(served: Served, slug: str) -> str:
    return f"{served.base}stakeholder/{slug}/"


def mentions(page: BuiltPage, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", page.text, re.IGNORECASE) is not None


def search_from_header(page: Page, served: Served, query: str) -> None:
    """Type into the header box key by key and press Enter, as a reader does."""
    page.goto(served.url(""))
    box = page.get_by_role("searchbox", name=HEADER_BOX, exact=True)
    box.click()
    box.press_sequentially(query, delay=60)
    box.press("Enter")
    page.wait_for_url(served.url(f"{SEARCH_PAGE}?q={query}"))


def result_link(page: Page, path: str) -> Locator:
    return page.locator(f'{RESULT_LINK}[href="{path}"]')


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = new_context(browser)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    yield tab
    tab.close()


# Search


@pytest.mark.parametrize("case", INFLECTED, ids=lambda case: case.query)
def test_header_search_forgives_inflection(
    page: Page, served_site: Served, pages: dict[str, BuiltPage], case: Inflection
) -> None:
    target = pages[f"/stakeholder/{case.slug}/"]
    assert mentions(target, case.written) and not mentions(target, case.query)  # only stemming can match
    search_from_header(page, served_site, case.query)
    expect(page.locator("pagefind-input input")).to_have_value(case.query)
    expect(result_link(page, stakeholder_path(served_site, case.slug))).to_have_count(1)


def test_search_boxes_have_accessible_names(page: Page, served_site: Served) -> None:
    page.goto(served_site.url(SEARCH_PAGE))  # both boxes: the header's and Pagefind's
    expect(page.locator("pagefind-input input")).to_be_attached()
    expect(page.get_by_role("searchbox", name=HEADER_BOX, exact=True)).to_have_count(1)
    expect(page.get_by_role("searchbox")).to_have_count(2)
    expect(page.get_by_role("searchbox", name=re.compile(r"\w"))).to_have_count(2)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_keyboard_alone_reaches_the_header_search_and_searches(page: Page, served_site: Served, width: int) -> None:
    page.set_viewport_size({"width": width, "height": HEIGHT})
    page.goto(served_site.url(""))
    focused: list[str] = []
    while len(focused) < 5 and HEADER_BOX not in focused:
        page.keyboard.press("Tab")
        focused.append(page.evaluate(FOCUSED))
    assert focused[-1] == HEADER_BOX, f"five Tab presses went through {focused}"
    page.keyboard.type("bellezza-07", delay=60)
    page.keyboard.press("Enter")
    expect(result_link(page, stakeholder_path(served_site, "bellezza"))).to_have_count(1)


@pytest.fixture(scope="module")
def pagefind(context: BrowserContext, served_site: Served) -> Iterator[Callable[[str], list[str]]]:
    """Pagefind's JavaScript API in one tab: the URLs of every page a query finds."""
    tab = context.new_page()
    tab.goto(served_site.url(""))
    module = served_site.url("pagefind/pagefind.js")

    def search(query: str) -> list[str]:
        urls: list[str] = tab.evaluate(PAGEFIND_SEARCH, [module, query])
        return urls

    yield search
    tab.close()


@pytest.mark.parametrize("action", ACTIONS, ids=lambda action: action.id)
def test_every_action_id_finds_its_stakeholder_page(
    pagefind: Callable[[str], list[str]], served_site: Served, action: Action
) -> None:
    assert stakeholder_path(served_site, action.stakeholder) in pagefind(action.id)


def test_every_stakeholder_has_a_distinctive_query(programme: Programme) -> None:
    assert set(DISTINCTIVE) == {person.slug for person in programme.stakeholders}


@pytest.mark.parametrize(("slug", "query"), DISTINCTIVE.items())
def test_an_inflected_word_finds_its_stakeholder(
    pagefind: Callable[[str], list[str]], served_site: Served, pages: dict[str, BuiltPage], slug: str, query: str
) -> None:
    assert not mentions(pages[f"/stakeholder/{slug}/"], query)  # only stemming can match
    assert stakeholder_path(served_site, slug) in pagefind(query)


# Accessibility and layout, every page at two widths


@dataclass(frozen=True)
class Audit:
    """One page at one width: what axe found, and whether the page scrolls sideways."""

    path: str
    status: int
    violations: list[str]
    rules_passed: int
    scroll_width: int
    client_width: int
    scrolling_tables: int


def audited_paths(pages: dict[str, BuiltPage]) -> list[str]:
    """Every built page, and the search page in the states Pagefind draws after a query."""
    return [*sorted(pages), *SEARCH_STATES]


def wait_until_ready(page: Page, path: str) -> None:
    if path.startswith(f"/{SEARCH_PAGE}"):
        page.locator("pagefind-input input").wait_for(state="attached")
    if path in SEARCH_STATES:
        page.locator(SEARCH_STATES[path]).first.wait_for()
    page.evaluate("document.fonts.ready.then(() => true)")


def describe(violation: dict[str, Any]) -> str:
    targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"])
    return f"{violation['id']} ({violation['impact']}): {targets}"


def audit(page: Page, served: Served, path: str) -> Audit:
    response = page.goto(served.url(path))
    wait_until_ready(page, path)
    found = Axe().run(page, options=AXE_OPTIONS).response
    size = page.evaluate(MEASURE)
    status = response.status if response else 0
    violations = [describe(violation) for violation in found["violations"]]
    passed = len(found["passes"])
    return Audit(path, status, violations, passed, size["scrollWidth"], size["clientWidth"], size["scrollingTables"])


def report(title: str, found: dict[str, list[str]]) -> str:
    """Every problem on every page, one a line, so a failure shows them all."""
    return "\n".join(
        [f"{title}:", *(f"  {path}: {problem}" for path, problems in found.items() for problem in problems)]
    )


class Auditor:
    """Audits every page at a width the first time a test asks for that width."""

    def __init__(self, browser: Browser, served: Served, paths: list[str]) -> None:
        self.browser, self.served, self.paths = browser, served, paths
        self.done: dict[int, list[Audit]] = {}

    def at(self, width: int) -> list[Audit]:
        if width not in self.done:
            context = new_context(self.browser, width)
            try:
                tab = context.new_page()
                self.done[width] = [audit(tab, self.served, path) for path in self.paths]
            finally:
                context.close()
        return self.done[width]


@pytest.fixture(scope="module")
def auditor(browser: Browser, served_site: Served, pages: dict[str, BuiltPage]) -> Auditor:
    return Auditor(browser, served_site, audited_paths(pages))


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_axe_finds_no_violation_on_any_page(auditor: Auditor, width: int) -> None:
    audits = auditor.at(width)
    assert {a.path: a.status for a in audits if a.status != 200} == {}
    assert all(a.rules_passed > 0 for a in audits)  # axe really looked at each page
    found = {a.path: a.violations for a in audits if a.violations}
    assert not found, report(f"axe at {width} px", found)


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_no_page_scrolls_sideways(auditor: Auditor, width: int) -> None:
    audits = auditor.at(width)
    wide = {
        a.path: [f"{a.scroll_width} px wide in {a.client_width}"] for a in audits if a.scroll_width > a.client_width
    }
    assert not wide, report(f"sideways scrolling at {width} px", wide)


def test_wide_tables_scroll_inside_their_own_region_on_a_phone(auditor: Auditor) -> None:
    # Without this, "no page scrolls sideways" could pass because nothing was wide.
    assert sum(a.scrolling_tables for a in auditor.at(PHONE)) > 0


# Privacy: the local server is the only host


def test_nothing_is_fetched_from_another_host(
    browser: Browser, served_site: Served, pages: dict[str, BuiltPage]
) -> None:
    context = new_context(browser)
    requested: list[str] = []
    context.on("request", lambda request: requested.append(request.url))
    try:
        tab = context.new_page()
        for path in sorted(pages):
            tab.goto(served_site.url(path), wait_until="networkidle")
        search_from_header(tab, served_site, "colonnina")
        expect(tab.locator(RESULT_LINK).first).to_be_visible()
        tab.wait_for_load_state("networkidle")
    finally:
        context.close()
    assert any(url.endswith(".pf_index") for url in requested)  # the search did fetch its index
    local = (served_site.origin + "/", "data:", "blob:")
    assert [url for url in requested if not url.startswith(local)] == []


# Print


def test_printing_keeps_the_content_only(page: Page, served_site: Served) -> None:
    page.goto(served_site.url("stakeholder/bellezza/"))
    actions = page.locator("table.programma-tabella", has=page.locator("caption", has_text="Le azioni per"))
    for name, selector in NOT_PRINTED.items():
        expect(page.locator(selector), f"{name} on screen").to_be_visible()
    page.emulate_media(media="print")
    for name, selector in NOT_PRINTED.items():
        expect(page.locator(selector), f"{name} in print").to_be_hidden()
    expect(actions).to_be_visible()
