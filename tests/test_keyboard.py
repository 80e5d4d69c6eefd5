"""Keyboard and screen-reader basics, in Chromium on the real built site.

The skip link moves the reader past the navigation; the Tab key alone reaches every interactive
element on screen, and each shows where the focus is; the search boxes have names; every table
has a caption and header cells, in the HTML and in the accessibility tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .conftest import Served
from .htmlpage import Page as BuiltPage

DESKTOP, PHONE, HEIGHT = 1280, 375, 800
TIMEOUT_MS = 60_000  # a slow machine waits longer; no test measures time
HEADER_BOX = "Cerca nel programma"
# Pages with every kind of control: navigation, header search, tables of links, the search page, a guide.
PATHS = ["", "stakeholder/bellezza/", "cerca/", "come-proporre-una-modifica/"]
# Marks every element a reader can operate, with the styles it has without focus, and says which are
# on screen now (the skip link and Material's back-to-top button are transparent until needed).
MARK = """() => {
  const selector = "a[href], button, input, select, textarea, summary, [tabindex]";
  const rendered = (e) => e.checkVisibility({ visibilityProperty: true }) && e.getClientRects().length > 0;
  const all = [...document.querySelectorAll(selector)]
    .filter((e) => e.tabIndex >= 0 && !e.disabled && e.type !== "hidden" && rendered(e));
  const styles = ["outline-style", "outline-width", "outline-color", "box-shadow", "background-color",
                  "color", "text-decoration-line", "border-color", "opacity"];
  window.programmaStyle = (e) => styles.map((name) => getComputedStyle(e).getPropertyValue(name)).join("|");
  all.forEach((e, index) => { e.dataset.tasto = index; e.dataset.stile = window.programmaStyle(e); });
  return all.map((e) => ({
    name: `${e.tagName} ${(e.textContent || e.getAttribute("aria-label") || "").trim().slice(0, 30)}`,
    onScreen: e.checkVisibility({ opacityProperty: true, visibilityProperty: true }),
  }));
}"""
# Where the focus is now, and whether it looks different from the same element without focus.
FOCUS = """() => {
  let e = document.activeElement;
  while (e && e.shadowRoot && e.shadowRoot.activeElement) e = e.shadowRoot.activeElement;
  if (!e || e === document.body || e.dataset.tasto === undefined) return null;
  const box = e.getBoundingClientRect();
  const inView = box.right > 0 && box.bottom > 0 && box.left < innerWidth && box.top < innerHeight;
  return { index: Number(e.dataset.tasto), shown: inView && window.programmaStyle(e) !== e.dataset.stile };
}"""
TABLES = """() => [...document.querySelectorAll(".md-content table")].map((t) => ({
  caption: t.caption ? t.caption.textContent.trim() : "",
  header: t.tHead ? [...t.tHead.rows[0].cells].map((c) => `${c.tagName} ${c.getAttribute("scope")}`) : [],
}))"""


@pytest.fixture(scope="module", params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": request.param, "height": HEIGHT}, locale="it-IT")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    tab = context.new_page()
    yield tab
    tab.close()


def open_page(page: Page, served: Served, path: str) -> None:
    page.goto(served.url(path))
    if path == "cerca/":
        page.locator("pagefind-input input").wait_for(state="attached")
    page.evaluate("document.fonts.ready.then(() => true)")


def tab_through(page: Page, limit: int) -> list[dict[str, Any]]:
    """Press Tab until the focus comes round to the first element again (or `limit` presses)."""
    reached: list[dict[str, Any]] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUS)
        if focused is not None and reached and focused["index"] == reached[0]["index"]:
            break
        if focused is not None:
            reached.append(focused)
    return reached


@pytest.mark.parametrize("path", PATHS)
def test_tab_reaches_every_control_on_screen_with_a_visible_focus(page: Page, served_site: Served, path: str) -> None:
    open_page(page, served_site, path)
    controls = page.evaluate(MARK)
    reached = tab_through(page, len(controls) + 40)
    assert len(controls) > 5  # the page was really looked at
    indices = {r["index"] for r in reached}
    missed = [c["name"] for index, c in enumerate(controls) if c["onScreen"] and index not in indices]
    assert missed == [], "never reached by Tab"
    unseen = sorted({controls[r["index"]]["name"] for r in reached if not r["shown"]})
    assert unseen == [], "focus not visible"


def test_the_skip_link_moves_past_the_navigation(page: Page, served_site: Served) -> None:
    open_page(page, served_site, "stakeholder/bellezza/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Vai al contenuto")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # shown when focused, not only read out
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('article.md-content__inner') !== null")
    assert page.evaluate("document.activeElement.closest('.md-sidebar, .md-header') === null")


@pytest.mark.parametrize("path", PATHS)
def test_search_box_and_button_have_names(page: Page, served_site: Served, path: str) -> None:
    open_page(page, served_site, path)
    header = page.locator(".md-header")
    expect(header.get_by_role("search")).to_have_count(1)
    expect(header.get_by_role("searchbox", name=HEADER_BOX, exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Cerca", exact=True)).to_be_visible()


def test_every_table_has_a_caption_and_header_cells(pages: dict[str, BuiltPage]) -> None:
    tables = {url: page.tables for url, page in pages.items() if page.tables}
    assert sum(len(found) for found in tables.values()) >= 15
    for url, found in tables.items():
        for table in found:
            assert table.caption.strip(), url
            assert table.header and all(table.header), (url, table.caption)


@pytest.mark.parametrize("path", ["stakeholder/bellezza/", "tabelle/", "come-proporre-una-modifica/"])
def test_tables_are_named_by_their_caption_for_screen_readers(page: Page, served_site: Served, path: str) -> None:
    open_page(page, served_site, path)
    tables = page.evaluate(TABLES)
    assert tables
    for table in tables:
        assert table["caption"] and all(cell.startswith("TH col") for cell in table["header"]), table
        named = page.get_by_role("table", name=table["caption"], exact=True)
        expect(named).to_have_count(1)
        expect(named.get_by_role("columnheader")).to_have_count(len(table["header"]))


def test_the_phone_drawer_hides_its_links_until_opened(browser: Browser, served_site: Served) -> None:
    """Closed, the drawer's links are out of the Tab order; opened (Material's menu button), they are in it."""
    context = browser.new_context(viewport={"width": PHONE, "height": HEIGHT}, locale="it-IT")
    try:
        page = context.new_page()
        page.goto(served_site.url(""))
        link = page.locator(".md-sidebar--primary a.md-nav__link", has_text="Tutte le azioni")
        expect(link).to_be_hidden()
        page.locator("label.md-header__button[for='__drawer']").click()
        expect(link).to_be_visible()
        link.focus()
        expect(link).to_be_focused()
    finally:
        context.close()
