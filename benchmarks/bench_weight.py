"""Page weight and search index at each scale, from the sites bench_site.py built (benchmarks/weight.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .bench_site import Measured, environment
from .results import ROOT

SECTION = "## Page weight and search index"
PAGE_GOAL = 150_000  # bytes, compressed, a stakeholder page with its CSS, JavaScript and fonts
INDEX_GOAL = 150_000  # bytes, the real programme's search index
FIRST_SEARCH_GOAL = 1_000_000  # bytes a first search downloads at 100x, code included
PAGES = ("home", "stakeholder", "all actions", "first search")


@dataclass(frozen=True)
class Weighed:
    name: str
    scale: int | None
    stakeholder: str
    pages: dict[str, dict[str, int]]
    index: int


def heaviest_stakeholder(site: Path) -> str:
    """The stakeholder page with the most HTML: the worst case a reader can open."""
    pages = [page for page in (site / "stakeholder").glob("*/index.html")]
    return max(pages, key=lambda page: (page.stat().st_size, page.parent.name)).parent.name


def weigh(measured: Measured) -> Weighed:
    slug = heaviest_stakeholder(measured.site)
    command = [sys.executable, "-m", "benchmarks.weight", str(measured.site), slug]
    result = subprocess.run(command, cwd=ROOT, env=environment(False), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"page weight of {measured.site} failed:\n{result.stderr}")
    found: dict[str, Any] = json.loads(result.stdout)
    return Weighed(measured.case.name, measured.case.scale, slug, found["pages"], found["index"])


def kb(size: int) -> str:
    return f"{size / 1000:,.1f}"


def table(results: list[Weighed]) -> list[str]:
    rows = [
        "| programme | page | requests | raw kB | gzip kB | brotli kB | of which HTML, gzip kB | of which Pagefind, kB |",
        "|---|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        for name in PAGES:
            page = result.pages[name]
            shown = f"stakeholder ({result.stakeholder})" if name == "stakeholder" else name
            rows.append(
                f"| {result.name} | {shown} | {page['requests']} | {kb(page['raw'])} | {kb(page['gzip'])} "
                f"| {kb(page['brotli'])} | {kb(page['html_gzip'])} | {kb(page['search_gzip'])} |"
            )
    return rows


def index_table(results: list[Weighed]) -> list[str]:
    rows = [
        "| programme | search index on disk, kB | first search downloads, kB (gzip) | of which Pagefind, kB |",
        "|---|--:|--:|--:|",
    ]
    for result in results:
        first = result.pages["first search"]
        rows.append(f"| {result.name} | {kb(result.index)} | {kb(first['gzip'])} | {kb(first['search_gzip'])} |")
    return rows


def verdicts(results: list[Weighed]) -> list[str]:
    lines = []
    for result in results:
        page = result.pages["stakeholder"]["gzip"]
        met = "met" if page < PAGE_GOAL else "missed"
        lines.append(f"- {result.name}: stakeholder page {kb(page)} kB gzip (goal under {kb(PAGE_GOAL)}): **{met}**.")
    real = next((result for result in results if result.scale is None), None)
    if real:
        met = "met" if real.index < INDEX_GOAL else "missed"
        lines.append(f"- Real programme: search index {kb(real.index)} kB (goal under {kb(INDEX_GOAL)}): **{met}**.")
    largest = max(results, key=lambda result: result.scale or 0)
    first = largest.pages["first search"]["gzip"]
    met = "met" if first < FIRST_SEARCH_GOAL else "missed"
    lines.append(
        f"- {largest.name}: a first search downloads {kb(first)} kB of {kb(largest.index)} kB of index "
        f"(goal: under {kb(FIRST_SEARCH_GOAL)} kB, code included): **{met}**."
    )
    return lines


def report(results: list[Weighed], context: list[str]) -> str:
    lines = [SECTION, "", *context, ""]
    lines += [
        "Each page opened once by Chromium with an empty cache; every file it fetched counted as a static host",
        "sends it: text compressed (gzip level 6; brotli quality 11), fonts, images and Pagefind's index files",
        "as they are (already compressed). The first search is /cerca/?q=colonnine until its results show.",
        "",
    ]
    lines += [*table(results), "", *index_table(results), "", *verdicts(results), ""]
    return "\n".join(lines)


def main(sites: list[Measured], context: list[str]) -> tuple[str, list[Weighed]]:
    """Byte counts, which the machine's load does not change (nor can it be told: Chromium's
    processes leave this one's accounting)."""
    results = [weigh(site) for site in sites]
    return report(results, context), results
