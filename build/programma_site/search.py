"""Full-text search for the built site, by Pagefind.

Material's own search cannot stem Italian queries (its query path skips the stemmer), so
`colonnina` would never find `colonnine`. Pagefind stems Italian, indexes the built HTML
whatever engine made it, and loads its index in small chunks. Its binary ships in a wheel
(pagefind-bin), so nothing is downloaded at build time.

Pagefind is driven as a service (`pagefind --service`), one request at a time, and not as
`pagefind --site`: the command numbers pages in the order the filesystem lists them, so the
same site gave different index bytes on tmpfs and ext4. Here pages are added in sorted order,
and the index files come back as data that this module writes itself: a full disk is an
OSError, where the command wrote empty files and exited 0.
"""

from __future__ import annotations

import base64
import contextlib
import json
import subprocess
from io import BufferedReader
from pathlib import Path
from typing import Any, cast

from mkdocs.exceptions import PluginError
from pagefind_bin import get_executable  # type: ignore[import-untyped]  # the wheel ships no type information

from .output import failure

CONFIG = {"force_language": "it", "exclude_selectors": [".headerlink", ".md-content__button"]}  # permalinks, edit
ENTRY = "pagefind-entry.json"  # what the search page loads first
FAILED = "indicizzazione della ricerca non riuscita"
STOPPED = f"{FAILED}: Pagefind si è interrotto"


class SearchIndexError(PluginError):
    """Pagefind failed, or its index could not be written; the message says which, in Italian.

    A PluginError, because MkDocs logs those (a bare MkDocsException raised in on_post_build
    aborted the build with nothing printed: `programma site` said only "vedi sopra").
    """


def index(site: Path) -> None:
    """Index every page of `site` marked data-pagefind-body, writing `site/pagefind/`."""
    folder = site / "pagefind"
    try:
        files = _indexed(site, sorted(site.rglob("*.html")))
        for name, content in sorted(files.items()):
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
        _check_written(folder, files)
    except OSError as error:
        raise SearchIndexError(str(failure("scrivere l'indice della ricerca", error))) from None


def _check_written(folder: Path, files: dict[str, bytes]) -> None:
    """Every file whole, and the entry point there: an index cut short is a site whose search fails."""
    short = [name for name, content in files.items() if (folder / name).stat().st_size != len(content)]
    if short or ENTRY not in files:
        raise SearchIndexError(f"indice della ricerca incompleto: {', '.join(short) or ENTRY + ' mancante'}")


def _indexed(site: Path, pages: list[Path]) -> dict[str, bytes]:
    """{path inside pagefind/: bytes}, from one Pagefind service that is given the pages in order."""
    with Service() as service:
        number = service.ask({"type": "NewIndex", "config": CONFIG})["index_id"]
        for page in pages:
            text = page.read_text("utf-8")
            service.ask(
                {"type": "AddFile", "index_id": number, "file_path": _relative(page, site), "file_contents": text}
            )
        files = service.ask({"type": "GetFiles", "index_id": number})["files"]
    return {file["path"]: base64.b64decode(file["content"]) for file in files}


def _relative(page: Path, site: Path) -> str:
    return page.relative_to(site).as_posix()


class Service:
    """`pagefind --service`: base64-encoded JSON messages, each ended by a comma, both ways."""

    def __init__(self) -> None:
        command = [str(get_executable()), "--service"]  # the binary itself: `python -m pagefind` costs 0.3 s more
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.process.stdin is not None and self.process.stdout is not None
        self.requests, self.answers = self.process.stdin, cast(BufferedReader, self.process.stdout)
        self.sent, self.unread = 0, b""

    def __enter__(self) -> Service:
        return self

    def __exit__(self, failed: type[BaseException] | None, *_: object) -> None:
        with contextlib.suppress(BrokenPipeError):
            self.requests.close()
        if failed is not None:
            self.process.kill()  # the index will not be used: no need to let Pagefind finish
        if self.process.wait() != 0 and failed is None:
            raise SearchIndexError(f"{FAILED}: Pagefind è uscito con {self.process.returncode}")

    def ask(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one request and wait for its answer: the next request is read only after this one is done."""
        self.sent += 1
        message = json.dumps({"message_id": self.sent, "payload": payload}).encode()
        try:
            self.requests.write(base64.b64encode(message) + b",")
            self.requests.flush()
        except BrokenPipeError:
            raise SearchIndexError(STOPPED) from None
        answer: dict[str, Any] = json.loads(base64.b64decode(self._reply()))["payload"]
        if answer.get("type") == "Error":
            raise SearchIndexError(f"{FAILED}: {answer.get('message')}")
        return answer

    def _reply(self) -> bytes:
        while b"," not in self.unread:
            chunk = self.answers.read1(1 << 20)
            if not chunk:
                raise SearchIndexError(STOPPED)
            self.unread += chunk
        reply, _, self.unread = self.unread.partition(b",")
        return reply
