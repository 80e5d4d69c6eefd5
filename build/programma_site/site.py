"""Build the whole site into a staging folder, and only then swap it in.

A failed build (invalid data, a strict warning, a search-indexing error) leaves the previous
site untouched: nothing is written to the destination until everything has succeeded.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


def build_site(config_file: Path, destination: Path) -> None:
    """Build `destination` from `config_file` (strict), atomically from a reader's point of view."""
    staging = destination.with_name(destination.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        _log_warnings()
        build(load_config(str(config_file), site_dir=str(staging), strict=True))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap(staging, destination)


def _swap(staging: Path, destination: Path) -> None:
    retired = destination.with_name(destination.name + ".old")
    shutil.rmtree(retired, ignore_errors=True)
    if destination.exists():
        destination.rename(retired)
    staging.rename(destination)
    shutil.rmtree(retired, ignore_errors=True)


def _log_warnings() -> None:
    """Show MkDocs' warnings, which strict mode turns into a failed build."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
