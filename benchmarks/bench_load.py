"""Load and validate: the real programme and synthetic ones at 1x, 10x and 100x its size.

Each run is what `programma validate` does in a fresh process, less the interpreter start:
the schema cache is emptied first. A second figure keeps the compiled schemas, as a long
`mkdocs serve` session does. Results go to the terminal and to benchmarks/RESULTS.md.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from programma_site import schema
from programma_site.loader import load

from .results import OUT, Watch, write_section
from .results import machine as describe_machine
from .synthetic import ACTIONS_PER_SCALE, REAL, write_programme

SECTION = "## Load and validate"
GOAL_SECONDS = 1.0


@dataclass(frozen=True)
class Case:
    name: str
    directory: Path


@dataclass(frozen=True)
class Result:
    case: Case
    stakeholders: int
    actions: int
    megabytes: float
    cold: list[float]
    cold_cpu: list[float]
    warm: list[float]


def cases(scales: tuple[int, ...]) -> list[Case]:
    """The real programme, then a synthetic one per scale (and 100x as 9 long files, for contrast)."""
    found = [Case("real programme", REAL)]
    for scale in scales:
        write_programme(OUT / f"scale-{scale}", scale)
        found.append(Case(f"synthetic {scale}x", OUT / f"scale-{scale}"))
    if 100 in scales:
        write_programme(OUT / "scale-100-wide", 100, stakeholders=9)
        found.append(Case("synthetic 100x, 9 stakeholders", OUT / "scale-100-wide"))
    return found


def timed(action: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one call: CPU time shows when a busy machine inflated the wall clock.

    Garbage is collected first, so each run meets a heap as small as a fresh `programma validate` does.
    """
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def cold_load(directory: Path) -> None:
    schema.validator.cache_clear()
    schema.passes.cache_clear()  # the compiled fast checks too, as a fresh process has none
    load(directory)


def measure(case: Case, runs: int) -> Result:
    stakeholders, actions = counts(case.directory)
    cold = [timed(lambda: cold_load(case.directory)) for _ in range(runs)]
    warm = [timed(lambda: load(case.directory))[0] for _ in range(runs)]
    size = sum(path.stat().st_size for path in case.directory.rglob("*.yaml"))
    walls, cpus = [wall for wall, _ in cold], [cpu for _, cpu in cold]
    return Result(case, stakeholders, actions, size / 1e6, walls, cpus, warm)


def counts(directory: Path) -> tuple[int, int]:
    """Stakeholders and actions; loading also proves the case valid before it is timed."""
    programme = load(directory)
    return len(programme.stakeholders), len(programme.actions)


def machine() -> list[str]:
    """What the figures depend on: CPU, cores, Python, libyaml, commit."""
    return describe_machine([f"- PyYAML {yaml.__version__}, libyaml {'yes' if yaml.__with_libyaml__ else 'no'}"])


def table(results: list[Result]) -> list[str]:
    rows = [
        "| programme | stakeholders | actions | YAML MB | median s | min s | max s | median CPU s | median s, schemas cached |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        rows.append(
            f"| {result.case.name} | {result.stakeholders:,} | {result.actions:,} | {result.megabytes:.2f} "
            f"| {statistics.median(result.cold):.3f} | {min(result.cold):.3f} | {max(result.cold):.3f} "
            f"| {statistics.median(result.cold_cpu):.3f} | {statistics.median(result.warm):.3f} |"
        )
    return rows


def verdict(results: list[Result]) -> str:
    target = next((r for r in results if r.actions == 100 * ACTIONS_PER_SCALE and r.stakeholders > 9), None)
    if target is None:
        return "Goal (100x under 1 s on 2 cores) not measured: run with scale 100."
    median = statistics.median(target.cold)
    met = "met" if median < GOAL_SECONDS else "missed"
    return f"Goal: 100x ({target.actions:,} actions) loaded and validated in under {GOAL_SECONDS:.0f} s: **{met}** (median {median:.3f} s)."


def report(results: list[Result], runs: int, context: list[str]) -> str:
    lines = [SECTION, "", *context, "", f"{runs} runs per programme; each run in one process, single-threaded.", ""]
    lines += [*table(results), "", verdict(results), ""]
    return "\n".join(lines)


def main(runs: int = 7, scales: tuple[int, ...] = (1, 10, 100), write: bool = True) -> str:
    context, watch = machine(), Watch.start()
    results = [measure(case, runs) for case in cases(scales)]
    text = report(results, runs, [*context, watch.note()])
    print(text)
    if write:
        write_section(text)
    return text
