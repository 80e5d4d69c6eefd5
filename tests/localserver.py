"""The static server the tests read the built site from: `python -m http.server`, plus what a real host does.

- Text (HTML, CSS, JavaScript, JSON, SVG) is sent gzip-compressed to a client that accepts it,
  as GitHub Pages sends it: Lighthouse then measures the pages as readers receive them.
- `LinkChecker: local` tells LinkChecker this server may be checked at full speed; without it,
  LinkChecker waits about a third of a second between two requests to the same host.

Run as `python tests/localserver.py PORT DIRECTORY`; it serves on 127.0.0.1 only.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import sys
from pathlib import Path
from typing import Any, BinaryIO

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("LinkChecker", "local")
        super().end_headers()

    def send_head(self) -> BinaryIO | None:
        file = self._file()
        if file is None or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        body = compressed(file)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def _file(self) -> Path | None:
        """The compressible file a GET would send, or None to let the standard handler answer."""
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        compressible = self.guess_type(str(path)).startswith(COMPRESSIBLE)
        return path if path.is_file() and compressible else None

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests report what they find, not every request."""


def compressed(file: Path) -> bytes:
    """What this server sends for a compressible file (gzip, as GitHub Pages does); tests weigh pages with it."""
    return gzip.compress(file.read_bytes(), mtime=0)


def main(port: int, directory: str) -> None:
    handler = functools.partial(Handler, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
