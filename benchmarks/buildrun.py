"""One site build in this fresh process, timed stage by stage: `python -m benchmarks.buildrun CONFIG DEST`.

Prints one JSON object: seconds spent in each stage of the build, the build as a whole, and the
peak memory of this process. The stages are timed
by wrapping the functions the plugin calls, so they are measured inside the real build, with its
caches as they are; what is left of the build is MkDocs' own work.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.structure import pages

from programma_site import plugin, search
from programma_site.site import build_site

ALL_ACTIONS = "azioni.md"
# Stage name -> (object whose attribute is wrapped, attribute name).
STAGES: dict[str, tuple[Any, str]] = {
    "load": (plugin, "_load"),
    "render": (plugin, "render"),
    "pdf": (plugin, "_pdfs"),
    "search": (search, "index"),
    "markdown": (pages.Page, "render"),  # MkDocs: one page's Markdown to HTML
}


def stopwatch(seconds: dict[str, float], stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, adding the time each call takes to seconds[stage] (and the all-actions page's apart)."""

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            elapsed = time.perf_counter() - start
            seconds[stage] = seconds.get(stage, 0.0) + elapsed
            if stage == "markdown" and args[0].file.src_uri == ALL_ACTIONS:
                seconds["markdown_all_actions"] = elapsed

    return timed


def instrument() -> dict[str, float]:
    seconds: dict[str, float] = dict.fromkeys(STAGES, 0.0)
    for stage, (owner, name) in STAGES.items():
        setattr(owner, name, stopwatch(seconds, stage, getattr(owner, name)))
    return seconds


def peak_megabytes() -> float:
    """This process's peak resident memory. Pagefind's and the PDF workers' are their own: children's
    peaks as getrusage reports them start from this process's size when they were forked."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.buildrun", description=__doc__)
    parser.add_argument("config", type=Path)
    parser.add_argument("destination", type=Path)
    arguments = parser.parse_args()
    seconds = instrument()
    start, cpu = time.perf_counter(), time.process_time()
    build_site(arguments.config, arguments.destination)
    seconds["build"] = time.perf_counter() - start
    seconds["cpu"] = time.process_time() - cpu
    json.dump({"seconds": seconds, "peak_mb": peak_megabytes()}, sys.stdout)


if __name__ == "__main__":
    main()
