"""The site build, stage by stage, for the real programme and synthetic ones at 1x, 10x and 100x.

Each run is a fresh process building the site as `PROGRAMMA_PDF=false programma site` does
(benchmarks/buildrun.py): load and validate, render, MkDocs, the Pagefind index. The PDFs are
measured apart (bench_pdf.py). Each of our runs is followed by a run of the bare baseline
(benchmarks/project.py): Material alone building the same Markdown, so both meet the same load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import project
from .results import OUT, ROOT, Watch, exponent, median, write_section

SECTION = "## Site build"
BUILD_RATIO_GOAL = 1.25  # our site build (search index aside) against bare Material on the same pages
OWN_SHARE_GOAL = 0.10  # load, validate and render against the whole site build
STAGES = ("load", "render", "mkdocs", "markdown", "markdown_all_actions", "search", "build", "process")


@dataclass(frozen=True)
class Case:
    name: str
    scale: int | None  # None: the real programme
    runs: int


@dataclass
class Measured:
    """Every run's figures for one case, and where its last build is."""

    case: Case
    site: Path
    pages: int = 0
    ours: dict[str, list[float]] = field(default_factory=dict)
    bare: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    def median(self, stage: str) -> float:
        return median(self.ours.get(stage, []))

    @property
    def site_build(self) -> float:
        """Our build without the search index, the part bare Material also does."""
        return self.median("build") - self.median("search")

    @property
    def own(self) -> float:
        return self.median("load") + self.median("render")


def environment(pdf: bool) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_MKDOCS_2_WARNING="1", PROGRAMMA_PDF=str(pdf).lower())
    env.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    return env


def build_once(folder: Path, destination: Path) -> dict[str, float]:
    """One fresh-process build of `folder`'s mkdocs.yml; its stages, plus `process` (interpreter included)."""
    command = [sys.executable, "-m", "benchmarks.buildrun", "mkdocs.yml", str(destination)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=folder, env=environment(False), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"build of {folder} failed:\n{result.stderr}")
    report = json.loads(result.stdout)
    seconds: dict[str, float] = report["seconds"]
    own = seconds["load"] + seconds["render"] + seconds["pdf"] + seconds["search"]
    return {**seconds, "mkdocs": seconds["build"] - own, "process": elapsed, "peak_mb": report["peak_mb"]}


def measure(case: Case) -> Measured:
    ours = project.ours(case.name, case.scale)
    bare = project.bare(ours)
    measured = Measured(case, OUT / f"built-{case.name}")
    for _ in range(case.runs):
        figures = build_once(ours, measured.site)
        for stage, value in figures.items():
            measured.ours.setdefault(stage, []).append(value)
        measured.bare.append(build_once(bare, OUT / f"built-{case.name}-bare")["build"])
    measured.peak_mb = max(measured.ours["peak_mb"])
    measured.pages = sum(1 for _ in measured.site.rglob("index.html"))
    return measured


def full_build(runs: int) -> list[float]:
    """`programma site` on the real programme, PDFs included, as `make site` runs it: fresh process each time."""
    command = [str(Path(sys.executable).with_name("programma")), "site", "--out", str(OUT / "built-full")]
    env = environment(True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def stage_table(results: list[Measured]) -> list[str]:
    rows = [
        "| programme | pages | load + validate | render | MkDocs | of which Markdown | all-actions page's Markdown "
        "| search index | site build | fresh process |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        cells = [f"{result.median(stage):.3f}" for stage in STAGES]
        rows.append(f"| {result.case.name} | {result.pages:,} | " + " | ".join(cells) + " |")
    return rows


def ratio_table(results: list[Measured]) -> list[str]:
    rows = [
        "| programme | our site build, search aside | bare Material, same pages | ratio | own steps "
        "| own / MkDocs' own | own / site build |",
        "|---|--:|--:|--:|--:|--:|--:|",
    ]
    for result in results:
        bare = median(result.bare)
        rows.append(
            f"| {result.case.name} | {result.site_build:.3f} | {bare:.3f} | {result.site_build / bare:.2f} "
            f"| {result.own:.3f} | {result.own / result.median('mkdocs'):.1%} "
            f"| {result.own / result.median('build'):.1%} |"
        )
    return rows


def scaling_table(results: list[Measured]) -> list[str]:
    by_scale = {result.case.scale: result for result in results if result.case.scale}
    if not {1, 100} <= by_scale.keys():
        return ["Scaling not measured: run with scales 1 and 100."]
    rows = ["| figure | 1x s | 100x s | exponent 1x to 100x | exponent 10x to 100x |", "|---|--:|--:|--:|--:|"]
    names = {"load": "load + validate", "mkdocs": "MkDocs", "search": "search index", "build": "site build"}
    for stage in ("load", "render", "mkdocs", "markdown", "search", "build"):
        small, large = by_scale[1].median(stage), by_scale[100].median(stage)
        middle = by_scale[10].median(stage) if 10 in by_scale else float("nan")
        rows.append(
            f"| {names.get(stage, stage)} | {small:.3f} | {large:.3f} | {exponent(small, large, 100):.2f} "
            f"| {exponent(middle, large, 10):.2f} |"
        )
    return rows


def verdicts(results: list[Measured], full: list[float]) -> list[str]:
    lines = []
    for result in results:
        ratio = result.site_build / median(result.bare)
        share = result.own / result.median("build")
        lines.append(
            f"- {result.case.name}: site build {ratio:.2f}x bare Material (goal {BUILD_RATIO_GOAL}x: "
            f"**{_met(ratio <= BUILD_RATIO_GOAL)}**); own steps {share:.1%} of the site build "
            f"(goal under {OWN_SHARE_GOAL:.0%}: **{_met(share < OWN_SHARE_GOAL)}**)."
        )
    lines.append(f"- Real programme, full build with PDFs (`programma site`): median {median(full):.2f} s.")
    return lines


def _met(met: bool) -> str:
    return "met" if met else "missed"


def report(results: list[Measured], full: list[float], context: list[str]) -> str:
    runs = ", ".join(f"{result.case.name} {result.case.runs}" for result in results)
    lines = [SECTION, "", *context, "", f"Median seconds of fresh-process builds (runs: {runs}); PDFs off.", ""]
    lines += [*stage_table(results), "", *ratio_table(results), "", *scaling_table(results), ""]
    lines += [f"Full build of the real programme, PDFs included: {_spread(full)}.", ""]
    lines += [*verdicts(results, full), ""]
    return "\n".join(lines)


def _spread(times: list[float]) -> str:
    return f"median {median(times):.2f} s (min {min(times):.2f}, max {max(times):.2f}, {len(times)} runs)"


def main(
    cases: list[Case], full_runs: int, context: list[str], write: bool = True
) -> tuple[list[Measured], list[float]]:
    """Every case's figures, and the real programme's full builds (PDFs included).

    The full builds go first, on a machine not yet warm from minutes of builds on both cores.
    """
    watch = Watch.start()
    full = full_build(full_runs)
    results = [measure(case) for case in cases]
    text = report(results, full, [*context, watch.note()])
    print(text)
    if write:
        write_section(text)
    return results, full
