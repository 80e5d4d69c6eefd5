"""Printable PDFs: the real programme, and synthetic ones at 1x, 10x and 100x.

In-process figures follow one untimed warm-up (imports, Pango's font map, the hyphenation
dictionary); each timed run builds its own templates, stylesheet and fonts, as a build does.
`programma pdf` is also timed in a fresh process: interpreter, imports and all. At 100x the
900 chapters would take minutes per run: a sample of chapters is printed and the whole
estimated from it. Results go to the terminal and to this benchmark's section of RESULTS.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import weasyprint
from weasyprint.text.ffi import pango

from programma_site.loader import load
from programma_site.model import Programme
from programma_site.pdf import WHOLE_PDF_LIMIT, Printer, prints_whole, render_pdfs
from programma_site.render import human_size

from .results import OUT, ROOT, Watch, median, usable_cores, write_section
from .results import machine as describe_machine
from .synthetic import write_programme

SECTION = "## Printable PDFs"
CHAPTER = "ambiente-salute"  # the longest chapter: 13 actions, 5 shared
GOAL_SECONDS = 10.0
PROGRAMMA = Path(sys.executable).with_name("programma")
DATE = datetime(2025, 1, 1, tzinfo=UTC)
SAMPLE = 30  # chapters printed at 100x to estimate all of them


@dataclass(frozen=True)
class Result:
    name: str
    wall: list[float]
    cpu: list[float]
    note: str = ""
    case: str = ""  # "real", "1x"...: set on the figure that counts in that programme's total


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call (CPU of this process only: workers are not counted)."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, action: Callable[[], object], runs: int, note: str = "", case: str = "") -> Result:
    times = [timed(action) for _ in range(runs)]
    return Result(name, [wall for wall, _ in times], [cpu for _, cpu in times], note, case)


def command(runs: int) -> Result:
    """`programma pdf` in a fresh process each run; CPU time is the children's."""
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            before = os.times()
            wall = time.perf_counter()
            subprocess.run([str(PROGRAMMA), "pdf", "--out", out], cwd=ROOT, capture_output=True, check=True)
            walls.append(time.perf_counter() - wall)
            after = os.times()
            cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return Result("real: `programma pdf`, fresh process", walls, cpus)


def real(programme: Programme, runs: int, heavy_runs: int) -> list[Result]:
    templates = ROOT / "macros"
    render_pdfs(programme, templates, date=DATE, processes=1)  # warm-up, untimed
    count = len(render_pdfs(programme, templates, date=DATE))
    return [
        measure(f"real: one chapter ({CHAPTER})", lambda: render_pdfs(programme, templates, CHAPTER, date=DATE), runs),
        measure(
            f"real: all {count}, one process",
            lambda: render_pdfs(programme, templates, date=DATE, processes=1),
            heavy_runs,
        ),
        measure(
            f"real: all {count}, {usable_cores()} processes",
            lambda: render_pdfs(programme, templates, date=DATE),
            runs,
            case="real",
        ),
        command(runs),
    ]


def synthetic(scale: int, runs: int) -> Result:
    folder = OUT / f"scale-{scale}"
    write_programme(folder, scale)
    programme = load(folder)
    count = len(programme.stakeholders) + (1 if prints_whole(programme) else 0)
    note = "" if prints_whole(programme) else f"chapters only: over {WHOLE_PDF_LIMIT} actions, no whole-programme PDF"
    name = f"{scale}x: all {count}, {usable_cores()} processes"
    return measure(name, lambda: render_pdfs(programme, ROOT / "macros", date=DATE), runs, note, f"{scale}x")


def estimated(scale: int) -> Result:
    """Chapters of a sample printed in this process; all of them estimated as spread over the cores."""
    folder = OUT / f"scale-{scale}"
    write_programme(folder, scale)
    programme = load(folder)
    printer = Printer(programme, ROOT / "macros", DATE)
    sample = programme.stakeholders[:SAMPLE]
    wall, cpu = timed(lambda: [printer.chapter(person) for person in sample])
    factor = len(programme.stakeholders) / len(sample) / usable_cores()
    note = f"estimated from {len(sample)} chapters printed in one process, times {factor:.1f}"
    name = f"{scale}x: all {len(programme.stakeholders)} chapters (estimate)"
    return Result(name, [wall * factor], [cpu], note, f"{scale}x")


def measure_all(programme: Programme, runs: int, heavy_runs: int, scales: tuple[int, ...]) -> list[Result]:
    results = real(programme, runs, heavy_runs)
    for scale in scales:
        if scale < 10:
            results.append(synthetic(scale, runs))
        elif scale < 100:
            results.append(synthetic(scale, heavy_runs))
        else:
            results.append(estimated(scale))
    return results


def machine() -> list[str]:
    version = pango.pango_version()
    pango_version = f"{version // 10000}.{version // 100 % 100}.{version % 100}"
    return describe_machine([f"- WeasyPrint {weasyprint.__version__}, Pango {pango_version}"])


def table(results: list[Result]) -> list[str]:
    rows = [
        "| what | runs | median s | min s | max s | median CPU s, this process | note |",
        "|---|--:|--:|--:|--:|--:|---|",
    ]
    for result in results:
        wall, cpu = result.wall, result.cpu
        rows.append(
            f"| {result.name} | {len(wall)} | {median(wall):.2f} | {min(wall):.2f} | {max(wall):.2f} "
            f"| {median(cpu):.2f} | {result.note} |"
        )
    return rows


def sizes(programme: Programme) -> str:
    pdfs = render_pdfs(programme, ROOT / "macros", date=DATE)
    listed = ", ".join(f"{Path(path).stem} {human_size(len(content))}" for path, content in pdfs.items())
    return f"Sizes (real): {listed}; {human_size(sum(map(len, pdfs.values())))} in all."


def command_median(results: list[Result]) -> float:
    return median(next(result.wall for result in results if "programma pdf" in result.name))


def verdict(results: list[Result]) -> str:
    seconds = command_median(results)
    met = "met" if seconds < GOAL_SECONDS else "missed"
    return f"Goal: all PDFs of the real programme in under {GOAL_SECONDS:.0f} s on 2 cores, from the command: **{met}** (median {seconds:.2f} s)."


def report(results: list[Result], context: list[str], programme: Programme) -> str:
    lines = [
        SECTION,
        "",
        *context,
        "",
        f"The PDFs are printed by up to {usable_cores()} processes at once (one per usable core).",
        "",
    ]
    lines += [*table(results), "", sizes(programme), "", verdict(results), ""]
    return "\n".join(lines)


def main(
    runs: int = 5, heavy_runs: int = 3, scales: tuple[int, ...] = (1, 10, 100), write: bool = True
) -> list[Result]:
    context, watch = machine(), Watch.start()
    programme = load(ROOT / "programma")
    results = measure_all(programme, runs, heavy_runs, scales)
    text = report(results, [*context, watch.note()], programme)
    print(text)
    if write:
        write_section(text)
    return results
