"""Live preview: how long `mkdocs serve` (PDFs off, as `make serve` runs it) takes to rebuild after
one YAML file of the real programme is edited, measured on a real server process.

Two figures per edit, from the server's own log lines, timestamped as they arrive: the rebuild
("Building documentation..." to "Reloading browsers": configuration, load, render, MkDocs,
search index), and the wait a writer sees from saving the file to the reload, which adds
MkDocs' file watcher (it polls every 0.5 s). Each edit is checked on the served page.
"""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from . import project
from .bench_site import environment
from .results import Watch, median

SECTION = "## Live preview"
GOAL_SECONDS = 1.0
EDITED = "stakeholder/bellezza.yaml"
PAGE = "stakeholder/bellezza/"
START_LIMIT = 60.0
REBUILD_LIMIT = 60.0


@dataclass(frozen=True)
class Rebuild:
    rebuild: float  # the server's rebuild
    wait: float  # from saving the file to the reload


class Log:
    """The server's log lines, each with the time it was read."""

    def __init__(self, server: subprocess.Popen[str]) -> None:
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        threading.Thread(target=self._read, args=(server,), daemon=True).start()

    def _read(self, server: subprocess.Popen[str]) -> None:
        assert server.stderr is not None
        for line in server.stderr:
            self.lines.put((time.perf_counter(), line))

    def wait_for(self, text: str, limit: float) -> float:
        """When a line containing `text` arrived; lines before it are dropped."""
        deadline = time.monotonic() + limit
        while (left := deadline - time.monotonic()) > 0:
            try:
                arrived, line = self.lines.get(timeout=left)
            except queue.Empty:
                break
            if "ERROR" in line or "Aborted" in line:
                raise RuntimeError(f"mkdocs serve: {line.strip()}")
            if text in line:
                return arrived
        raise RuntimeError(f"mkdocs serve: no «{text}» within {limit:.0f} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def edit(path: Path, original: str, marker: str) -> None:
    """Append `marker` to the first action's text: a real edit that leaves the file valid."""
    lines = original.split("\n")
    first = next(index for index, line in enumerate(lines) if line.strip() == "testo: >-") + 1
    lines[first] += f" {marker}"
    path.write_text("\n".join(lines), "utf-8")


def shows(url: str, marker: str) -> bool:
    with urllib.request.urlopen(url, timeout=10) as response:
        return marker in response.read().decode("utf-8")


def measure(edits: int) -> list[Rebuild]:
    folder = project.ours("live", None)
    port = free_port()
    command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=folder, env=environment(False), stderr=subprocess.PIPE, text=True)
    try:
        log = Log(server)
        log.wait_for("Serving on", START_LIMIT)
        return [_one_edit(folder, log, f"http://127.0.0.1:{port}/programma/{PAGE}", number) for number in range(edits)]
    finally:
        server.terminate()
        server.wait(timeout=30)


def _one_edit(folder: Path, log: Log, url: str, number: int) -> Rebuild:
    path = folder / "programma" / EDITED
    original = path.read_text("utf-8")
    marker = f"modificaprova{number}"
    time.sleep(1.0)  # let the watcher settle, so each edit is one rebuild
    saved = time.perf_counter()
    edit(path, original, marker)
    started = log.wait_for("Building documentation", REBUILD_LIMIT)
    reloaded = log.wait_for("Reloading browsers", REBUILD_LIMIT)
    if not shows(url, marker):
        raise RuntimeError(f"mkdocs serve rebuilt, but {url} does not show the edit")
    path.write_text(original, "utf-8")
    log.wait_for("Reloading browsers", REBUILD_LIMIT)  # the rebuild that restoring the file causes
    return Rebuild(rebuild=reloaded - started, wait=reloaded - saved)


def report(results: list[Rebuild], context: list[str]) -> str:
    rebuilds, waits = [r.rebuild for r in results], [r.wait for r in results]
    met = "met" if median(rebuilds) < GOAL_SECONDS else "missed"
    return "\n".join(
        [
            SECTION,
            "",
            *context,
            "",
            f"{len(results)} edits of `programma/{EDITED}` on a real `mkdocs serve` (PDFs off).",
            "",
            "| figure | median s | min s | max s |",
            "|---|--:|--:|--:|",
            f"| rebuild, from the server's first log line to its reload | {median(rebuilds):.2f} | {min(rebuilds):.2f} | {max(rebuilds):.2f} |",
            f"| from saving the file to the reload (adds the watcher's polling) | {median(waits):.2f} | {min(waits):.2f} | {max(waits):.2f} |",
            "",
            f"Goal: a live rebuild in under {GOAL_SECONDS:.0f} s: **{met}** (median {median(rebuilds):.2f} s).",
            "",
        ]
    )


def main(edits: int, context: list[str]) -> tuple[str, list[Rebuild]]:
    watch = Watch.start()
    results = measure(edits)
    return report(results, [*context, watch.note()]), results
