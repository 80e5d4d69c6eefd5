"""Printable PDFs: one chapter, all ten PDFs, and `programma pdf` as a terminal runs it.

In-process figures follow one untimed warm-up (imports, Pango's font map, the hyphenation
dictionary); each timed run builds its own templates, stylesheet and fonts, as a build does.
The command's figure is a fresh process: interpreter, imports and all. Results go to the
terminal and to this benchmark's section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import os
import platform
import re
import statistics
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
from programma_site.pdf import render_pdfs
from programma_site.render import human_size

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
SECTION = "## Printable PDFs"
CHAPTER = "ambiente-salute"  # the longest chapter: 13 actions, 5 shared
GOAL_SECONDS = 10.0
PROGRAMMA = Path(sys.executable).with_name("programma")


@dataclass(frozen=True)
class Result:
    name: str
    wall: list[float]
    cpu: list[float]


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call: CPU time shows when a busy machine inflated the wall clock."""
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(name: str, action: Callable[[], object], runs: int) -> Result:
    times = [timed(action) for _ in range(runs)]
    return Result(name, [wall for wall, _ in times], [cpu for _, cpu in times])


def command(runs: int) -> Result:
    """`programma pdf` in a fresh process each run; CPU time is the child's."""
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            before = os.times()
            wall = time.perf_counter()
            subprocess.run([str(PROGRAMMA), "pdf", "--out", out], cwd=ROOT, capture_output=True, check=True)
            walls.append(time.perf_counter() - wall)
            after = os.times()
            cpus.append(after.children_user + after.children_system - before.children_user - before.children_system)
    return Result("`programma pdf`: all ten, fresh process", walls, cpus)


def measure_all(programme: Programme, runs: int) -> list[Result]:
    templates = ROOT / "macros"
    render_pdfs(programme, templates)  # warm-up, untimed
    return [
        measure(f"one chapter ({CHAPTER})", lambda: render_pdfs(programme, templates, CHAPTER), runs),
        measure("all ten PDFs, in process", lambda: render_pdfs(programme, templates), runs),
        command(runs),
    ]


def machine() -> list[str]:
    """What the figures depend on: CPU, cores, Python, WeasyPrint and Pango, commit."""
    cpuinfo = Path("/proc/cpuinfo")
    lines = cpuinfo.read_text("utf-8").splitlines() if cpuinfo.is_file() else []
    cpu = next((line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")), platform.processor())
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    version = pango.pango_version()
    return [
        f"- CPU: {cpu}; {os.cpu_count()} logical cores, {usable} usable by this process",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.machine()}",
        f"- WeasyPrint {weasyprint.__version__}, Pango {version // 10000}.{version // 100 % 100}.{version % 100}",
        f"- Commit {_commit()}, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, load average {os.getloadavg()[0]:.2f} at the start",
    ]


def _commit() -> str:
    command = ["git", "-C", str(HERE), "describe", "--always", "--dirty"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def table(results: list[Result]) -> list[str]:
    rows = ["| what | median s | min s | max s | median CPU s |", "|---|--:|--:|--:|--:|"]
    for result in results:
        wall, cpu = result.wall, result.cpu
        rows.append(
            f"| {result.name} | {statistics.median(wall):.2f} | {min(wall):.2f} | {max(wall):.2f} "
            f"| {statistics.median(cpu):.2f} |"
        )
    return rows


def sizes(programme: Programme) -> str:
    pdfs = render_pdfs(programme, ROOT / "macros")
    listed = ", ".join(f"{Path(path).stem} {human_size(len(content))}" for path, content in pdfs.items())
    return f"Sizes: {listed}; {human_size(sum(map(len, pdfs.values())))} in all."


def verdict(results: list[Result]) -> str:
    median = statistics.median(results[-1].wall)
    met = "met" if median < GOAL_SECONDS else "missed"
    return f"Goal: all ten PDFs in under {GOAL_SECONDS:.0f} s on 2 cores, from the command: **{met}** (median {median:.2f} s)."


def report(results: list[Result], runs: int, context: list[str], programme: Programme) -> str:
    lines = [SECTION, "", *context, "", f"{runs} runs each; rendering is single-threaded.", ""]
    lines += [*table(results), "", sizes(programme), "", verdict(results), ""]
    return "\n".join(lines)


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace this benchmark's section of RESULTS.md (up to the next `## `), keeping the others."""
    old = path.read_text("utf-8") if path.is_file() else "# Benchmark results\n\n"
    heading = re.search(rf"^{re.escape(SECTION)}$", old, re.MULTILINE)
    if heading is None:
        path.write_text(old.rstrip("\n") + "\n\n" + text, "utf-8")
        return
    following = re.compile(r"^## ", re.MULTILINE).search(old, heading.end())
    rest = "\n" + old[following.start() :] if following else ""
    path.write_text(old[: heading.start()] + text + rest, "utf-8")


def main(runs: int = 5, write: bool = True) -> str:
    context = machine()  # before measuring, so the load average is the one the runs met
    programme = load(ROOT / "programma")
    text = report(measure_all(programme, runs), runs, context, programme)
    print(text)
    if write:
        write_section(text)
    return text


if __name__ == "__main__":
    main()
