"""The MkDocs plugin: a thin adapter that adds the rendered pages to the build in memory."""

from __future__ import annotations

import os
import posixpath
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape
from mkdocs.config import base
from mkdocs.config import config_options as option
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from . import search
from .defaults import DOCS, OVERRIDES, STYLESHEETS, overlay, package_files
from .export import describe, export
from .loader import load
from .model import Programme
from .problems import InvalidProgramme
from .reference import fields
from .render import DATA_PAGE, Page, bytecode_cache, page_environment, render, stakeholder_page
from .sourcedate import source_date

# Past this many stakeholders the sidebar, on every page, would list them all: a wall nobody scans,
# and HTML growing as their square. The stakeholder index and search reach them instead.
NAV_LIMIT = 30


class ProgrammaConfig(base.Config):
    data_dir = option.Dir(exists=True, default="programma")
    templates_dir = option.Dir(default="macros")  # the project's own templates, if any: the package has them all
    pdf = option.Type(bool, default=True)  # the printable chapters; `pdf: false` skips WeasyPrint


class ProgrammaPlugin(BasePlugin[ProgrammaConfig]):
    """Load and render once per build; MkDocs then treats the pages like any other."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.programme = _load(Path(self.config.data_dir))
        data_dir = _from_root(config, self.config.data_dir)
        templates = Path(self.config.templates_dir)
        self.pdfs = _pdfs(self.programme, templates, Path(self.config.data_dir)) if self.config.pdf else {}
        sizes = {path: len(content) for path, content in self.pdfs.items()}
        schema_dir, date = Path(self.config.data_dir) / "schema", source_date(Path(self.config.data_dir))
        self.data = export(self.programme, schema_dir, date)  # published beside the Dati aperti page
        open_data = describe(self.data, schema_dir, date)
        self.pages = render(self.programme, templates, data_dir, sizes, open_data)
        self.unlisted: frozenset[str] = frozenset()
        if config.nav is None:
            config.nav = navigation(self.programme, self.pages, Path(config.docs_dir))
            self.unlisted = unlisted(self.programme)
        _use_package_theme(config)
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        docs = _from_root(config, config.docs_dir)
        for file in files.documentation_pages():
            file.edit_uri = f"{docs}/{file.src_uri}"  # edit_uri in mkdocs.yml is relative to the repository root
        for path in package_files(Path(config.docs_dir), DOCS):
            file = File(path, str(DOCS), config.site_dir, config.use_directory_urls)
            file.edit_uri = None  # the package's page: not in the project's repository, nothing to edit there
            files.append(file)
        for page in self.pages:
            inclusion = InclusionLevel.NOT_IN_NAV if page.path in self.unlisted else InclusionLevel.UNDEFINED
            generated = File.generated(config, page.path, content=page.markdown, inclusion=inclusion)
            generated.edit_uri = page.source
            files.append(generated)
        for path, content in self.pdfs.items():
            files.append(File.generated(config, path, content=content))
        for name, content in self.data.items():
            files.append(File.generated(config, posixpath.join(posixpath.dirname(DATA_PAGE), name), content=content))
        return files

    def on_page_markdown(self, markdown: str, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        """Hand-written pages may call the same macros; generated ones are never re-templated."""
        if page.file.generated_by is not None:
            return markdown
        template = page_environment(Path(self.config.templates_dir)).from_string(markdown)
        schema_fields = fields(Path(self.config.data_dir) / "schema")
        return template.render(programme=self.programme, here=page.file.src_uri, schema_fields=schema_fields)

    def on_env(self, env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        """Material's templates compiled once and kept, as ours are: compiling them took a quarter of a build."""
        env.bytecode_cache = bytecode_cache()
        return env

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Index the finished HTML for search, so `mkdocs build` and `mkdocs serve` both have it."""
        search.index(Path(config.site_dir))

    def on_serve(self, server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        for folder in (self.config.data_dir, self.config.templates_dir):
            if Path(folder).is_dir():
                server.watch(folder)
        return server


def _load(directory: Path) -> Programme:
    try:
        return load(directory)
    except InvalidProgramme as invalid:
        raise PluginError(f"il programma non è valido:\n{invalid}") from None


def _pdfs(programme: Programme, templates: Path, data_dir: Path) -> dict[str, bytes]:
    # Imported only when wanted, so that `pdf: false` builds without WeasyPrint or Pango.
    from .pdf import render_pdfs  # noqa: PLC0415

    return render_pdfs(programme, templates, date=source_date(data_dir))


def _from_root(config: MkDocsConfig, folder: str) -> str:
    """A folder as a path from the repository root (the folder of mkdocs.yml), however mkdocs was started."""
    root = Path(config.config_file_path).resolve().parent
    return Path(os.path.relpath(Path(folder).resolve(), root)).as_posix()


def _use_package_theme(config: MkDocsConfig) -> None:
    """The package's Material overrides after the project's custom_dir, before Material's own
    templates; its stylesheets before the project's extra_css, which may then restyle them."""
    dirs = config.theme.dirs
    if str(OVERRIDES) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(OVERRIDES))
    config.extra_css[:0] = [path for path in STYLESHEETS if path not in config.extra_css]


def navigation(programme: Programme, pages: tuple[Page, ...], docs: Path) -> list[Any]:
    """Generated pages in programme order, then hand-written pages by file name."""
    listed = programme.stakeholders if len(programme.stakeholders) <= NAV_LIMIT else ()
    people = [{nav_title(person.name): stakeholder_page(person.slug)} for person in listed]
    handwritten = list(overlay(docs, DOCS, "*.md"))
    return [
        {"Il programma": "index.md"},
        {"Gli stakeholder": ["stakeholder/index.md", *people]},
        {"I valori": "valori/index.md"},
        {"Tutte le azioni": "azioni.md"},
        {"Tabelle incrociate": "tabelle.md"},
        {"Dati aperti": DATA_PAGE},
        *handwritten,
    ]


def unlisted(programme: Programme) -> frozenset[str]:
    """Generated pages the navigation leaves out: the stakeholders' own, past NAV_LIMIT."""
    if len(programme.stakeholders) <= NAV_LIMIT:
        return frozenset()
    return frozenset(stakeholder_page(person.slug) for person in programme.stakeholders)


def nav_title(text: str) -> Markup:
    """A navigation title from the data, escaped once.

    MkDocs and Material write navigation titles into pages as HTML, unescaped: a name such as
    `<img src=x onerror=…>` would run. As Markup it is escaped here and never again, so the
    templates' own `|e` (in the footer's aria-labels) leaves it as it is.
    """
    return escape(text)
