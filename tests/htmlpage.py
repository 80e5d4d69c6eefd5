"""A small reader of built HTML pages for the tests: ids, links, tables, scripts (stdlib only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit


@dataclass
class Table:
    caption: str = ""
    classes: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    row_ids: list[str] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)  # hrefs per row


class Page(HTMLParser):
    """Parse one built page; the attributes are what the tests look at."""

    def __init__(self, path: Path, url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.path, self.url = path, url
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.tables: list[Table] = []
        self.lang = ""
        self.text_parts: list[str] = []
        self._cell: list[str] | None = None
        self._in_caption = False
        self._table_open = False
        self.feed(path.read_text("utf-8"))

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.text_parts).split())

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        getattr(self, f"_start_{tag}", lambda _: None)(attributes)

    def _start_html(self, attributes: dict[str, str]) -> None:
        self.lang = attributes.get("lang", "")

    def _start_a(self, attributes: dict[str, str]) -> None:
        if "href" in attributes:
            self.links.append(attributes["href"])
            if self._table_open and self.tables[-1].links:
                self.tables[-1].links[-1].append(attributes["href"])

    def _start_script(self, attributes: dict[str, str]) -> None:
        self.scripts.append(attributes.get("src", ""))

    def _start_link(self, attributes: dict[str, str]) -> None:
        if "stylesheet" in attributes.get("rel", ""):
            self.stylesheets.append(attributes.get("href", ""))

    def _start_table(self, attributes: dict[str, str]) -> None:
        self.tables.append(Table(classes=attributes.get("class", "")))
        self._table_open = True

    def _start_caption(self, attributes: dict[str, str]) -> None:
        self._in_caption = True

    def _start_tr(self, attributes: dict[str, str]) -> None:
        if self.tables:
            self.tables[-1].rows.append([])
            self.tables[-1].links.append([])
            self.tables[-1].row_ids.append(attributes.get("id", ""))

    def _start_td(self, attributes: dict[str, str]) -> None:
        self._cell = []

    _start_th = _start_td

    def handle_endtag(self, tag: str) -> None:
        if tag == "caption":
            self._in_caption = False
        if tag == "table":
            self._table_open = False
        if tag in ("td", "th") and self._cell is not None and self.tables:
            self.tables[-1].rows[-1].append(" ".join(" ".join(self._cell).split()))
            self._cell = None
        if tag == "thead" and self.tables:
            table = self.tables[-1]
            table.header, table.rows, table.links, table.row_ids = table.rows[-1], [], [], []

    def handle_data(self, data: str) -> None:
        self.text_parts.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._in_caption and self.tables:
            self.tables[-1].caption += data

    def resolve(self, href: str) -> tuple[str, str]:
        """The site-relative URL path and the anchor a link points to."""
        parts = urlsplit(urljoin(self.url, href))
        return parts.path, parts.fragment


def read_site(site: Path) -> dict[str, Page]:
    """Every HTML page of a built site, keyed by its URL path (`/stakeholder/bellezza/`)."""
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        url = "/" + relative.removesuffix("index.html")
        pages[url] = Page(path, url)
    return pages
