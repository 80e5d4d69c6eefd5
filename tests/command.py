"""The installed `programma` command, run as a terminal runs it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]
PROGRAMMA = Path(sys.executable).with_name("programma")


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """The installed entry point, exactly as a terminal runs it."""
    assert PROGRAMMA.is_file(), f"the programma command is not installed next to {sys.executable}"
    return subprocess.run([str(PROGRAMMA), *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120)
