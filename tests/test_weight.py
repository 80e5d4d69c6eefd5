"""Page weight: what a first visit downloads stays within a budget, in bytes.

Bytes do not depend on how busy the machine is, so these budgets are tests, not benchmarks.
Chromium opens each page with an empty cache from the test server (tests/localserver.py);
every file it fetched is counted as that server sends it: text gzip-compressed, fonts and
images as they are.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from playwright.sync_api import Browser

from .conftest import Served
from .localserver import COMPRESSIBLE, compressed

PAGE_BUDGET = 150_000  # bytes: a stakeholder page with its CSS, JavaScript and fonts, as sent
INDEX_BUDGET = 150_000  # bytes on disk: the real programme's search index (Pagefind stores it compressed)
INDEX_PARTS = ("pagefind-entry.json", "*.pf_meta", "index/*", "fragment/*", "filter/*")


def first_visit(browser: Browser, served: Served, site: Path, path: str) -> list[Path]:
    """The site's files a first visit to `path` fetched, once each."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("requestfinished", lambda request: fetched.append(request.url))
    page.goto(served.url(path), wait_until="networkidle")
    context.close()
    files = {file for url in fetched if (file := local(url, served, site)) is not None}
    return sorted(files)


def local(url: str, served: Served, site: Path) -> Path | None:
    path = unquote(urlsplit(url).path)
    if not path.startswith(served.base):
        return None
    file = site / path.removeprefix(served.base)
    file = file / "index.html" if path.endswith("/") else file
    return file if file.is_file() else None


def sent(file: Path) -> int:
    kind = mimetypes.guess_type(file.name)[0] or ""
    return len(compressed(file)) if kind.startswith(COMPRESSIBLE) else file.stat().st_size


def heaviest_stakeholder(site: Path) -> str:
    """The stakeholder page with the most HTML: the worst case a reader can open."""
    pages = sorted((site / "stakeholder").glob("*/index.html"))
    return max(pages, key=lambda page: page.stat().st_size).parent.name


def test_a_stakeholder_page_first_visit_is_within_budget(
    browser: Browser, served_site: Served, built_site: Path
) -> None:
    slug = heaviest_stakeholder(built_site)
    files = first_visit(browser, served_site, built_site, f"stakeholder/{slug}/")
    total = sum(map(sent, files))
    assert built_site / f"stakeholder/{slug}/index.html" in files and any(f.suffix == ".woff2" for f in files)
    assert total < PAGE_BUDGET, f"{slug}: {total:,} bytes in {len(files)} files"


def test_the_search_index_is_within_budget(built_site: Path) -> None:
    folder = built_site / "pagefind"
    size = sum(path.stat().st_size for part in INDEX_PARTS for path in folder.glob(part) if path.is_file())
    assert 0 < size < INDEX_BUDGET, f"{size:,} bytes"
