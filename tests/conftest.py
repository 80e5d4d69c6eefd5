"""Shared fixtures: the real and a small invented programme, one strict build of the real site per test run."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from mkdocs.config import load_config
from playwright.sync_api import Browser, sync_playwright

from programma_site.loader import load
from programma_site.model import Programme
from programma_site.site import build_site

from .htmlpage import Page, read_site

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "macros"
PDF_DATE = datetime(2020, 9, 1, 12, 30, tzinfo=UTC)  # every test build's date: SOURCE_DATE_EPOCH
PICCOLO = Path(__file__).with_name("fixtures") / "piccolo"


@pytest.fixture(scope="session")
def programme() -> Programme:
    return load(ROOT / "programma")


@pytest.fixture(scope="session")
def piccolo(tmp_path_factory: pytest.TempPathFactory) -> Programme:
    """The small invented programme of tests/fixtures/piccolo, checked against the package's schemas."""
    folder = tmp_path_factory.mktemp("piccolo") / "programma"
    shutil.copytree(PICCOLO, folder)
    return load(folder)


# Tests that need a fixture (or its dependency) named here are marked so `make test-fast` can leave them out.
MARKED_BY_FIXTURE = {"browser": "browser", "built_site": "pdf", "hostile_site": "pdf"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by what it needs: a browser, or a site build that prints the PDFs."""
    for item in items:
        for fixture, marker in MARKED_BY_FIXTURE.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(marker)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`programma site` as `make site` runs it: strict MkDocs build, PDFs and search index.

    It is the one print of the real programme's PDFs per test run (see `pdfs`), dated PDF_DATE.
    """
    os.environ["SOURCE_DATE_EPOCH"] = str(int(PDF_DATE.timestamp()))
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    destination = tmp_path_factory.mktemp("built") / "site"
    cwd = Path.cwd()
    os.chdir(ROOT)  # mkdocs.yml's paths are relative to the project
    try:
        build_site(ROOT / "mkdocs.yml", destination)
    finally:
        os.chdir(cwd)
    return destination


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, Page]:
    return read_site(built_site)


@pytest.fixture(scope="session")
def pdfs(built_site: Path, programme: Programme) -> dict[str, bytes]:
    """The PDFs of the built site, {"pdf/<slug>.pdf": bytes}, chapters in programme order, then the rest."""
    order = {person.slug: index for index, person in enumerate(programme.stakeholders)}
    files = sorted((built_site / "pdf").glob("*.pdf"), key=lambda path: (order.get(path.stem, len(order)), path.name))
    return {f"pdf/{path.name}": path.read_bytes() for path in files}


# Browser tests: the built site served over HTTP at the path it is published under, one Chromium per run.

CHROMIUM = Path("/usr/bin/chromium")
# Headless flags that work here: nothing in the background tries to reach the network.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVER_START_LIMIT = 60.0  # seconds; generous, so a slow machine never fails a test


@dataclass(frozen=True)
class Served:
    """Where the built site answers: http://127.0.0.1:PORT plus the published sub-path (/programma/)."""

    origin: str
    base: str

    def url(self, path: str) -> str:
        """The absolute URL of a site path such as `stakeholder/bellezza/` or `/cerca/?q=x`."""
        return self.origin + self.base + path.removeprefix("/")


@pytest.fixture(scope="session")
def served_site(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(built_site, tmp_path_factory.mktemp("served")) as served:
        yield served


@contextmanager
def serving(site: Path, scratch: Path) -> Iterator[Served]:
    """A static server (tests/localserver.py) on a free port, serving `site` under the path of `site_url`.

    The 404 page's links are absolute (`/programma/assets/…`), as MkDocs writes them from
    `site_url`; served from the root instead, that page would load without its styles.
    """
    base = urlsplit(load_config(str(ROOT / "mkdocs.yml")).site_url or "/").path
    root = _published_at(site, base, scratch)
    port = _free_port()
    command = [sys.executable, str(Path(__file__).with_name("localserver.py")), str(port), str(root)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        served = Served(f"http://127.0.0.1:{port}", base)
        _wait_until_serving(server, served.url(""))
        yield served
    finally:
        _stop(server)


def _published_at(site: Path, base: str, root: Path) -> Path:
    """A folder in which `site` sits at the URL path `base`."""
    if base.strip("/") == "":
        return site
    (root / base.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (root / base.strip("/")).symlink_to(site.resolve(), target_is_directory=True)
    return root


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_serving(server: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + SERVER_START_LIMIT
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the HTTP server for the built site never answered at {url} (exit code {server.poll()})")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright (never its own browser download).

    `launch` gives it a fresh temporary profile, so no state is carried over from earlier runs.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install chromium), as .ci/run does"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the real folder, with the working folder set so files show as programma/…"""
    shutil.copytree(ROOT / "programma", tmp_path / "programma")
    monkeypatch.chdir(tmp_path)
    return Path("programma")
