"""`python -m benchmarks` (`make bench`): run every benchmark and update benchmarks/RESULTS.md.

Each benchmark rewrites its own section; the summary at the top sets every figure against its
goal. Sections written by hand (the notes on profiles and changes) are left as they are.
"""

from __future__ import annotations

import argparse
import time

from . import bench_load, bench_pdf, bench_serve, bench_site, summary
from .results import Watch, machine, write_section


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (at least 5)")
    parser.add_argument("--heavy-runs", type=int, default=3, help="timed runs at 10x and 100x (at least 3)")
    parser.add_argument("--scales", default="1,10,100", help="synthetic scales, comma-separated")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parsed = parser.parse_args()
    if parsed.runs < 5 or parsed.heavy_runs < 3:
        parser.error("--runs must be at least 5 and --heavy-runs at least 3: a median of fewer says little")
    return parsed


def cases(scales: tuple[int, ...], runs: int, heavy_runs: int) -> list[bench_site.Case]:
    found = [bench_site.Case("real", None, runs)]
    return found + [bench_site.Case(f"{scale}x", scale, runs if scale < 10 else heavy_runs) for scale in scales]


def main() -> None:
    options = arguments()
    write = not options.no_write
    scales = tuple(int(scale) for scale in options.scales.split(","))
    started, busy = time.perf_counter(), {}
    context = machine()
    watch = Watch.start()
    sites, full = bench_site.main(cases(scales, options.runs, options.heavy_runs), options.runs, context, write)
    busy["site build"] = watch.others_share()
    watch = Watch.start()
    serve_text, rebuilds = bench_serve.main(options.runs, context)
    busy["live preview"], watch = watch.others_share(), Watch.start()
    pdfs = bench_pdf.main(options.runs, options.heavy_runs, scales, write)
    busy["PDFs"], watch = watch.others_share(), Watch.start()
    bench_load.main(options.runs, scales, write)
    busy["load and validate"] = watch.others_share()
    print(serve_text)
    findings = summary.Findings(sites, full, rebuilds, pdfs)
    text = summary.report(findings, [*context, summary.busy_note(busy)], time.perf_counter() - started)
    print(text)
    if write:
        for section in (serve_text, text):
            write_section(section)


main()
