"""Read a programme folder as it was at a git revision, without touching the work tree."""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path


class RevisionError(Exception):
    """The revision or the folder in it cannot be read; the message is for people, in Italian."""


def extract(revision: str, data_dir: str, into: Path) -> Path:
    """Write `data_dir` as of `revision` under `into` and return its path there."""
    command = ["git", "archive", "--format=tar", revision, "--", data_dir]
    result = subprocess.run(command, capture_output=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"non riesco a leggere «{data_dir}» alla revisione git «{revision}»: {reason}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into / data_dir


def source_date(root: Path) -> datetime:
    """SOURCE_DATE_EPOCH, else the time of the last commit of the repository holding `root`, else 1970."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH") or _last_commit(root)
    return datetime.fromtimestamp(int(epoch or 0), UTC)


def _last_commit(root: Path) -> str:
    command = ["git", "-C", str(root), "log", "-1", "--format=%ct"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""
