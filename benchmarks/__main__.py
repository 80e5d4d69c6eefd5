"""`python -m benchmarks`: run every benchmark and update benchmarks/RESULTS.md."""

from __future__ import annotations

import argparse

from . import bench_load, bench_pdf


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per programme (at least 5)")
    parser.add_argument("--scales", default="1,10,100", help="synthetic scales, comma-separated")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    arguments = parser.parse_args()
    if arguments.runs < 5:
        parser.error("--runs must be at least 5: a median of fewer says little")
    scales = tuple(int(scale) for scale in arguments.scales.split(","))
    bench_load.main(arguments.runs, scales, write=not arguments.no_write)
    bench_pdf.main(arguments.runs, write=not arguments.no_write)


main()
