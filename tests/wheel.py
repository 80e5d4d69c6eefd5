"""The wheel as a release builds it, for the tests that install or inspect it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(destination: Path) -> Path:
    """Build the wheel into `destination` with hatchling from the locks (no build isolation, no network)."""
    command = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*command, "-w", str(destination), str(ROOT)], check=True, capture_output=True, timeout=300)
    return next(destination.glob("programma_site-*.whl"))
