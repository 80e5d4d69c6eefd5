"""Full-text search for the built site, by Pagefind.

Material's own search cannot stem Italian queries (its query path skips the stemmer), so
`colonnina` would never find `colonnine`. Pagefind stems Italian, indexes the built HTML
whatever engine made it, and loads its index in small chunks. Its binary ships in a wheel
(pagefind-bin), so nothing is downloaded at build time.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError


class SearchIndexError(PluginError):
    """Pagefind failed; its own words are kept for the person reading the build log.

    A PluginError, because MkDocs logs those (a bare MkDocsException raised in on_post_build
    aborted the build with nothing printed: `programma site` said only "vedi sopra").
    """


def index(site: Path) -> None:
    """Index every page of `site` marked data-pagefind-body, writing `site/pagefind/`."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "it", "--silent"]
    command += ["--exclude-selectors", ".headerlink, .md-content__button"]  # permalink marks, edit button
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SearchIndexError(f"indicizzazione della ricerca non riuscita:\n{result.stdout}{result.stderr}")
