"""What every benchmark shares: the machine it ran on, medians, and its own section of RESULTS.md."""

from __future__ import annotations

import math
import os
import platform
import re
import statistics
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS = HERE / "RESULTS.md"
OUT = HERE / "out"
BUSY_SHARE = 0.10  # other processes' share of the CPUs above which a section is marked as measured on a busy machine


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def cpu_name() -> str:
    path = Path("/proc/cpuinfo")
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    names = (line.split(":", 1)[1].strip() for line in lines if line.startswith("model name"))
    return next(names, platform.processor() or "unknown CPU")


def commit() -> str:
    command = ["git", "-C", str(HERE), "describe", "--always", "--dirty"]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def memory_gb() -> float:
    path = Path("/proc/meminfo")
    lines = path.read_text("utf-8").splitlines() if path.is_file() else []
    kilobytes = next((int(line.split()[1]) for line in lines if line.startswith("MemTotal:")), 0)
    return kilobytes / 1e6


def machine(extra: Sequence[str] = ()) -> list[str]:
    """Markdown bullets naming what the figures depend on; read before measuring, for the load average."""
    return [
        f"- CPU: {cpu_name()}; {os.cpu_count()} logical cores, {usable_cores()} usable by this process; "
        f"{memory_gb():.1f} GB of memory",
        f"- Python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} {platform.machine()}",
        *extra,
        f"- Commit {commit()}, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {load_note()}",
    ]


def load_note() -> str:
    return f"load average {os.getloadavg()[0]:.2f} at the start (this benchmark's own runs included)"


@dataclass(frozen=True)
class Watch:
    """CPU time the whole machine and this benchmark (with its children) had used at one moment.

    The difference between two watches is the CPU time other processes took meanwhile: what
    inflates a measurement, unlike the load average, which also counts this benchmark's own runs.
    """

    machine: float
    own: float
    wall: float

    @classmethod
    def start(cls) -> Watch:
        times = os.times()
        own = times.user + times.system + times.children_user + times.children_system
        return cls(_machine_cpu(), own, time.perf_counter())

    def others_share(self) -> float:
        """The share of all cores that other processes used since this watch started."""
        now = Watch.start()
        elapsed = (now.wall - self.wall) * usable_cores()
        others = (now.machine - self.machine) - (now.own - self.own)
        return max(others, 0.0) / elapsed if elapsed > 0 else math.nan

    def note(self) -> str:
        share = self.others_share()
        busy = " (**busy machine**: figures inflated, rerun when quiet)" if share > BUSY_SHARE else ""
        return f"- Other processes used {share:.0%} of the CPUs while this was measured{busy}"


def _machine_cpu() -> float:
    """CPU seconds spent by every process since boot, from /proc/stat (0 where there is none)."""
    path = Path("/proc/stat")
    if not path.is_file():
        return 0.0
    fields = [int(value) for value in path.read_text("ascii").split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


def exponent(small: float, large: float, factor: float) -> float:
    """k in time ~ size^k, from two sizes `factor` apart: 1 is linear, 2 quadratic."""
    if small <= 0 or large <= 0:
        return math.nan
    return math.log(large / small) / math.log(factor)


def write_section(text: str, path: Path = RESULTS) -> None:
    """Replace the section of RESULTS.md headed by `text`'s first line (up to the next `## `), keeping the others."""
    section = text.split("\n", 1)[0]
    old = path.read_text("utf-8") if path.is_file() else "# Benchmark results\n\n"
    heading = re.search(rf"^{re.escape(section)}$", old, re.MULTILINE)
    if heading is None:
        path.write_text(old.rstrip("\n") + "\n\n" + text, "utf-8")
        return
    following = re.compile(r"^## ", re.MULTILINE).search(old, heading.end())
    rest = "\n" + old[following.start() :] if following else ""
    path.write_text(old[: heading.start()] + text + rest, "utf-8")
