"""Page weight as a phone on a static host meets it: `python -m benchmarks.weight SITE STAKEHOLDER`.

Chromium (Debian's, driven by Playwright, as the browser tests do) opens each page with an empty
cache from a local server; every file it requests is counted at the size a static host sends:
text compressed (gzip level 6, and brotli quality 11 for hosts that precompress), fonts, images
and Pagefind's own files as they are (already compressed). Prints one JSON object.

Runs in its own process: the server and the browser need threads, and the PDF printer only
forks from a single-threaded process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import brotli  # type: ignore[import-untyped]
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
BASE = "/programma/"  # where the site is published (site_url), so absolute links resolve as there
TEXT = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".map"}
QUERY = "colonnine"  # the README's example: found in the real programme and at every scale
RESULT_LINK = "pagefind-results a.pf-result-link"
INDEX_PARTS = ("pagefind-entry.json", "*.pf_meta", "index/*", "fragment/*", "filter/*")


@dataclass(frozen=True)
class Weight:
    """What one page view transferred: requests, and bytes raw, gzip and brotli."""

    requests: int
    raw: int
    gzip: int
    brotli: int
    html_gzip: int
    search_gzip: int  # of which Pagefind's files: index, fragments, WebAssembly, scripts


class Handler(SimpleHTTPRequestHandler):
    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path.removeprefix(BASE))

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the benchmark prints its own report."""


@contextmanager
def serving(site: Path) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{BASE}"
    finally:
        server.shutdown()
        thread.join()


def sent(path: Path) -> tuple[int, int, int]:
    """Bytes a static host sends for `path`: raw, gzip, brotli (the same three for compressed formats)."""
    data = path.read_bytes()
    if path.suffix not in TEXT:
        return len(data), len(data), len(data)
    return len(data), len(gzip.compress(data, 6, mtime=0)), len(brotli.compress(data, quality=11))


def weigh(files: list[Path], site: Path) -> Weight:
    sizes = [sent(path) for path in files]
    pagefind = [size for path, size in zip(files, sizes, strict=True) if path.is_relative_to(site / "pagefind")]
    html = [size for path, size in zip(files, sizes, strict=True) if path.suffix == ".html"]
    return Weight(
        requests=len(files),
        raw=sum(size[0] for size in sizes),
        gzip=sum(size[1] for size in sizes),
        brotli=sum(size[2] for size in sizes),
        html_gzip=sum(size[1] for size in html),
        search_gzip=sum(size[1] for size in pagefind),
    )


def visit(browser: Browser, url: str, site: Path, wait_for: str | None = None) -> Weight:
    """Open `url` with an empty cache; the files of every request it made, once each."""
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("requestfinished", lambda request: requested.append(request.url))
    page.goto(url, wait_until="networkidle")
    if wait_for:
        page.wait_for_selector(wait_for, timeout=60_000)
        page.wait_for_load_state("networkidle")
    context.close()
    files = {file for address in requested if (file := local(address, site)) is not None}
    return weigh(sorted(files), site)


def local(address: str, site: Path) -> Path | None:
    path = unquote(urlsplit(address).path)
    if not path.startswith(BASE):
        return None
    file = site / path.removeprefix(BASE)
    file = file / "index.html" if path.endswith("/") else file
    return file if file.is_file() else None


def index_size(site: Path) -> int:
    """Pagefind's index on disk (stored gzip-compressed): everything a search may fetch but its code."""
    folder = site / "pagefind"
    return sum(path.stat().st_size for pattern in INDEX_PARTS for path in folder.glob(pattern) if path.is_file())


def measure(site: Path, stakeholder: str) -> dict[str, Any]:
    with serving(site) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pages = {
            "home": visit(browser, root, site),
            "stakeholder": visit(browser, f"{root}stakeholder/{stakeholder}/", site),
            "all actions": visit(browser, f"{root}azioni/", site),
            "first search": visit(browser, f"{root}cerca/?q={QUERY}", site, wait_for=RESULT_LINK),
        }
        browser.close()
    return {"pages": {name: asdict(weight) for name, weight in pages.items()}, "index": index_size(site)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.weight", description=__doc__)
    parser.add_argument("site", type=Path)
    parser.add_argument("stakeholder", help="slug of the stakeholder page to weigh")
    arguments = parser.parse_args()
    if not CHROMIUM.exists():
        sys.exit(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    json.dump(measure(arguments.site.resolve(), arguments.stakeholder), sys.stdout)


if __name__ == "__main__":
    main()
