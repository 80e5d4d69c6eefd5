"""A small filesystem of the test's own, to fill up: a size-limited tmpfs, mounted as root.

Without root, or where mounting is not allowed (an unprivileged container), the tests that need
it are skipped with the reason; in CI (CI=true) they fail instead, so that CI always runs them.
"""

from __future__ import annotations

import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = 64 * 1024 * 1024  # room for a previous site and a new one, with the PDFs
FILLER = "riempitivo"


@pytest.fixture(name="small_disk")
def small_disk_fixture(tmp_path: Path) -> Iterator[Path]:
    """An empty tmpfs of SIZE bytes, mounted at tmp_path/disco and unmounted after the test."""
    if os.geteuid() != 0:
        _unavailable("mounting a tmpfs needs root")
    mount = tmp_path / "disco"
    mount.mkdir()
    command = ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        _unavailable(f"mount -t tmpfs failed: {result.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=False)


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the disk-full tests (a privileged container, as ci.yml asks)")
    pytest.skip(reason)


def fill(disk: Path, leave: int = 0) -> None:
    """Fill `disk` with one file, then give back `leave` bytes of it."""
    filler = disk / FILLER
    with filler.open("wb") as out:
        try:
            while True:
                out.write(b"\0" * (1 << 20))
                out.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
