"""The projects the site benchmarks build, each a folder under benchmarks/out/.

`ours` is the repository's own configuration around a programme: mkdocs.yml, docs/ and macros/
(its overrides of the package's files) copied as they are, the programme in programma/. `bare` is the baseline the goal compares with:
the same generated Markdown (what `programma build --md-out` writes, hand-written pages with their
macros expanded) built by Material with no plugin, no custom templates and no extra CSS, the same
Markdown extensions, navigation and strictness.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

from programma_site.defaults import DOCS, overlay
from programma_site.loader import load
from programma_site.model import Programme
from programma_site.plugin import navigation, unlisted
from programma_site.reference import fields
from programma_site.render import page_environment, render

from .results import OUT, ROOT
from .synthetic import write_programme

COPIED = ("mkdocs.yml", "docs", "macros")


def ours(name: str, scale: int | None) -> Path:
    """benchmarks/out/site-<name>/: the real programme (scale None) or a synthetic one."""
    folder = OUT / f"site-{name}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for item in COPIED:
        copy = shutil.copytree if (ROOT / item).is_dir() else shutil.copy2
        copy(ROOT / item, folder / item)
    if scale is None:
        shutil.copytree(ROOT / "programma", folder / "programma")
    else:
        write_programme(folder / "programma", scale)
    return folder


def bare(project: Path) -> Path:
    """A sibling of `project`, `<name>-bare/`, with the same pages as plain Markdown files."""
    folder = project.with_name(project.name + "-bare")
    shutil.rmtree(folder, ignore_errors=True)
    programme = load(project / "programma")
    docs = folder / "docs"
    for name, asset in overlay(project / "docs", DOCS, "assets/**/*").items():
        docs.joinpath(name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(asset, docs / name)
    for page in render(programme, project / "macros"):
        _write(docs / page.path, page.markdown)
    for name, handwritten in overlay(project / "docs", DOCS, "*.md").items():
        _write(docs / name, _expand(handwritten, programme, project))
    config = _bare_config(programme, docs)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return folder


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def _expand(page: Path, programme: Programme, project: Path) -> str:
    """A hand-written page with its macros run, as the plugin's on_page_markdown does."""
    template = page_environment(project / "macros").from_string(page.read_text("utf-8"))
    schema_fields = fields(project / "programma" / "schema")
    return template.render(programme=programme, here=page.name, schema_fields=schema_fields)


def _bare_config(programme: Programme, docs: Path) -> dict[str, Any]:
    real = yaml_load((ROOT / "mkdocs.yml").read_text("utf-8"))
    config: dict[str, Any] = {
        "site_name": real["site_name"],
        "site_url": real["site_url"],
        "strict": True,
        "validation": real["validation"],
        "theme": {"name": "material", "language": "it", "font": False},
        "plugins": [],
        "markdown_extensions": real["markdown_extensions"],
        "nav": _plain(navigation(programme, (), docs)),
    }
    if hidden := unlisted(programme):
        config["not_in_nav"] = "\n".join(f"/{path}" for path in sorted(hidden))
    return config


def _plain(nav: Any) -> Any:
    """The plugin's navigation with its titles (markupsafe.Markup) as plain strings, for YAML."""
    if isinstance(nav, list):
        return [_plain(item) for item in nav]
    if isinstance(nav, dict):
        return {str(key): _plain(value) for key, value in nav.items()}
    return str(nav)
