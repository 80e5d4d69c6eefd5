"""Full-text search for the built site (Pagefind: it stems Italian, and loads its index in chunks)."""

from __future__ import annotations

from pathlib import Path


def index(site: Path) -> None:
    """Index the built HTML of `site` in place; filled in with the Pagefind integration."""
