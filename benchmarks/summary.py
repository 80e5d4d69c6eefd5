"""The summary at the top of RESULTS.md: every figure the issue asks for, against its goal."""

from __future__ import annotations

from dataclasses import dataclass

from . import bench_pdf, bench_serve, bench_site
from .bench_site import Measured
from .results import BUSY_SHARE, exponent, median

SECTION = "## Summary"
FULL_BUILD_GOAL = 5.0  # seconds: the real programme, site and PDFs
LINEAR = 1.10  # a scaling exponent up to this is linear within the noise of a shared 2-core machine


def busy_note(shares: dict[str, float]) -> str:
    """Other processes' share of the CPUs while each timed section ran; a busy section is flagged."""
    listed = ", ".join(
        f"{name} {share:.0%}" + (" (**busy**: rerun when quiet)" if share > BUSY_SHARE else "")
        for name, share in shares.items()
    )
    return f"- Other processes' share of the CPUs while each section was timed: {listed}"


def _met(met: bool) -> str:
    return "met" if met else "**missed**"


def totals(sites: list[Measured], pdfs: list[bench_pdf.Result]) -> list[str]:
    """Each stage and the total, by programme: the site's stages, then the PDFs measured apart."""
    pdf_by_case = {result.case: result for result in pdfs if result.case}
    rows = [
        "| programme | load + validate | render | MkDocs | search index | PDFs | total | peak memory, build process |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for site in sites:
        stages = [site.median(stage) for stage in ("load", "render", "mkdocs", "search")]
        printed = pdf_by_case.get(site.case.name)
        pdf = median(printed.wall) if printed else float("nan")
        about = "≈" if printed and "estimate" in printed.name else ""
        cells = [f"{value:.2f}" for value in stages] + [f"{about}{pdf:.2f}", f"{about}{sum(stages) + pdf:.2f}"]
        rows.append(f"| {site.case.name} | {' | '.join(cells)} | {site.peak_mb:,.0f} MB |")
    return rows


def goals(sites: list[Measured], rebuilds: list[bench_serve.Rebuild], full: float) -> list[str]:
    rows = ["| goal | figure | verdict |", "|---|---|---|"]
    for site in sites:
        ratio = site.site_build / median(site.bare)
        rows.append(
            f"| {site.case.name}: site build within {bench_site.BUILD_RATIO_GOAL}x of bare Material "
            f"| {site.site_build:.2f} s against {median(site.bare):.2f} s: {ratio:.2f}x "
            f"| {_met(ratio <= bench_site.BUILD_RATIO_GOAL)} |"
        )
    for site in sites:
        share = site.own / site.median("build")
        rows.append(
            f"| {site.case.name}: own steps (load, validate, render) under {bench_site.OWN_SHARE_GOAL:.0%} of the site build "
            f"| {site.own:.3f} s of {site.median('build'):.2f} s: {share:.1%} | {_met(share < bench_site.OWN_SHARE_GOAL)} |"
        )
    rows.append(
        f"| real: full build (site and PDFs) under {FULL_BUILD_GOAL:.0f} s | {full:.2f} s | {_met(full < FULL_BUILD_GOAL)} |"
    )
    rows += scaling(sites)
    seconds = median([rebuild.rebuild for rebuild in rebuilds])
    rows.append(
        f"| live rebuild under {bench_serve.GOAL_SECONDS:.0f} s | {seconds:.2f} s "
        f"(save to reload: {median([rebuild.wait for rebuild in rebuilds]):.2f} s) | {_met(seconds < bench_serve.GOAL_SECONDS)} |"
    )
    return rows


def scaling(sites: list[Measured]) -> list[str]:
    by_scale = {site.case.scale: site for site in sites}
    if 1 not in by_scale or 100 not in by_scale:
        return ["| 100x scales linearly | not measured (run with scales 1 and 100) | — |"]
    small, large = by_scale[1].median("build"), by_scale[100].median("build")
    power = exponent(small, large, 100)
    return [
        f"| 1x to 100x scales linearly (exponent at most {LINEAR}) | site build {small:.2f} s to {large:.2f} s: "
        f"exponent {power:.2f} | {_met(power <= LINEAR)} |"
    ]


@dataclass(frozen=True)
class Findings:
    """Everything the benchmarks measured, for the summary."""

    sites: list[Measured]
    full_builds: list[float]  # the real programme, site and PDFs, fresh process
    rebuilds: list[bench_serve.Rebuild]
    pdfs: list[bench_pdf.Result]


def report(findings: Findings, context: list[str], elapsed: float) -> str:
    sites = findings.sites
    lines = [SECTION, "", *context, f"- `make bench` took {elapsed / 60:.1f} minutes", ""]
    lines += [
        "Seconds, medians of fresh-process runs; details and run counts in the sections below. The site",
        "stages are measured inside one build with PDFs off, the PDFs apart (at 10x and 100x chapters only:",
        "past 400 actions there is no whole-programme PDF; at 100x estimated from a sample of chapters).",
        "",
    ]
    lines += [*totals(sites, findings.pdfs), ""]
    lines += [*goals(sites, findings.rebuilds, median(findings.full_builds)), ""]
    return "\n".join(lines)
