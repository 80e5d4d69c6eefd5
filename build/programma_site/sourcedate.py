"""The one date of a build: SOURCE_DATE_EPOCH, else the time of the last commit, else 1970.

Every date a build writes (the sitemap's, the PDFs') comes from here, so the same commit builds
the same bytes on any day. `pin` puts the date into the environment when it is absent, for
MkDocs, which reads SOURCE_DATE_EPOCH itself and otherwise uses the wall clock.
"""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from mkdocs.exceptions import PluginError

LATEST = 253402300799  # 9999-12-31T23:59:59Z: past it, no date can be written


class SourceDateError(PluginError):
    """SOURCE_DATE_EPOCH is set but is not a date; a PluginError, so a plain `mkdocs build` reports it too."""


def epoch(root: Path) -> int:
    """Seconds since 1970 for the build of the repository holding `root`."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip() or _last_commit(root) or "0"
    if not (value.isascii() and value.isdigit() and int(value) <= LATEST):
        raise SourceDateError(
            f"SOURCE_DATE_EPOCH=«{value}» non è una data: servono i secondi dal 1970, per esempio 1700000000"
        )
    return int(value)


def source_date(root: Path) -> datetime:
    """The build's date, as a moment in UTC."""
    return datetime.fromtimestamp(epoch(root), UTC)


def pin(root: Path) -> None:
    """Set SOURCE_DATE_EPOCH for this process from `epoch`, checking it when it is already set."""
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch(root))


def _last_commit(root: Path) -> str:
    command = ["git", "-C", str(root), "log", "-1", "--format=%ct"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
