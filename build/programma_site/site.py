"""Build the whole site into a staging folder, and only then swap it in.

A failed build (invalid data, a strict warning, a search-indexing error, a full disk) leaves the
previous site untouched: nothing is written to the destination until everything has succeeded.
The staging folder, the lock and the guard on the destination are output.py's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException

from .output import check_output, failure, only_files, replacing
from .search import SearchIndexError
from .sourcedate import SourceDateError

T = TypeVar("T")

# Written into every built site: a folder holding it may be replaced by the next build.
MARKER = ".programma-site"


class SiteError(MkDocsException):
    """The build failed; the message says why, in MkDocs' words when they are all there is."""


def build_site(config_file: Path, destination: Path) -> None:
    """Build `destination` from `config_file` (strict), atomically from a reader's point of view."""
    with _kept_messages() as messages:
        config = _mkdocs(load_config, messages, str(config_file), strict=True)
        roots = [Path(config.config_file_path).parent]
        with replacing(check_output(destination, sources(config), roots, earlier_site), MARKER) as staging:
            config.site_dir = str(staging)
            _mkdocs(build, messages, config)


def _mkdocs(step: Callable[..., T], messages: list[str], *args: Any, **kwargs: Any) -> T:
    """One MkDocs step; its failure, whatever the type, becomes one that says what failed."""
    try:
        return step(*args, **kwargs)
    except OSError as error:
        raise SiteError(str(failure("costruire il sito", error))) from None
    except MkDocsException as error:
        if isinstance(error, SiteError | SearchIndexError | SourceDateError) or not messages:
            raise SiteError(str(error)) from None
        more = f" (e altri {len(messages) - 1} messaggi, qui sopra)" if len(messages) > 1 else ""
        raise SiteError(messages[0].splitlines()[0].rstrip(":") + more) from None


def sources(config: MkDocsConfig) -> list[Path]:
    """The folders a build reads: none may be, hold or be inside its output."""
    root = Path(config.config_file_path).parent
    folders = [Path(config.docs_dir), root / ".git"]
    plugin = config.plugins.get("programma")
    if plugin is not None:
        folders += [Path(plugin.config.data_dir), Path(plugin.config.templates_dir)]
    return folders


def earlier_site(folder: Path) -> bool:
    """An earlier build carries MARKER; a folder of PDFs alone is what `programma pdf` leaves in site/pdf."""
    return (folder / MARKER).is_file() or only_files(".pdf")(folder)


@contextmanager
def _kept_messages() -> Iterator[list[str]]:
    """MkDocs' warnings and errors, shown as they come (strict mode turns them into a failed build)
    and kept, so that the failure's own message can repeat what failed."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.WARNING)
    kept = Kept()
    logger.addHandler(kept)
    try:
        yield kept.lines
    finally:
        logger.removeHandler(kept)


class Kept(logging.Handler):
    """The messages of one build."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
