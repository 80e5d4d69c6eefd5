"""Render the model into Markdown pages through the Jinja templates in macros/.

A pure function: the same programme and templates give the same pages, byte for byte.
Pages link to each other with relative `.md` paths, so MkDocs (or any engine) resolves
and validates every link, and data text is escaped so it can never become markup.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import jinja2

from .model import Action, Programme, Stakeholder

# Characters that start Markdown syntax and that both Python-Markdown (with the tables extension,
# which MkDocs always loads) and CommonMark let be backslash-escaped.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
BLANKS = re.compile(r"\s+")
NO_DOWNLOADS: Mapping[str, int] = MappingProxyType({})
WHOLE_PDF = "pdf/programma.pdf"


@dataclass(frozen=True)
class Page:
    """One rendered page: where it goes, its Markdown, and the data file it comes from."""

    path: str
    markdown: str
    source: str


def escape_markdown(text: str) -> str:
    """Plain text as inert Markdown: HTML entities for <, >, &, backslashes for Markdown syntax.

    `~` (GFM strikethrough) becomes a character reference: Python-Markdown cannot backslash-escape
    it and would print `\\~`; the reference is inert and reads as `~` in every engine.
    """
    flat = BLANKS.sub(" ", text).strip()
    escaped = MARKDOWN_PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))
    return escaped.replace("~", "&#126;")


def escape_attribute(text: str) -> str:
    """Text for an HTML attribute or a raw-HTML element such as <caption>."""
    return html.escape(BLANKS.sub(" ", text).strip(), quote=True)


def human_size(size: int) -> str:
    """A file size as an Italian reader writes it: 870 byte, 123 kB, 1,4 MB (decimal units)."""
    if size < 1000:
        return f"{size} byte"
    if size < 999_500:
        return f"{round(size / 1000)} kB"
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


def relative(here: str, target: str) -> str:
    """A link from page `here` to page `target` (both source paths), with any #anchor kept."""
    path, _, anchor = target.partition("#")
    link = posixpath.relpath(path, posixpath.dirname(here) or ".") if path else ""
    return f"{link}#{anchor}" if anchor else link


def stakeholder_page(slug: str) -> str:
    return f"stakeholder/{slug}.md"


def chapter_pdf(slug: str) -> str:
    """Where a stakeholder's printable chapter goes in the site; the whole programme is WHOLE_PDF."""
    return f"pdf/{slug}.pdf"


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment shared by generated pages and hand-written ones."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # the output is Markdown: text is escaped by the `md` filter, explicitly
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(md=escape_markdown, attr=escape_attribute, size=human_size)
    env.globals.update(relative=relative, stakeholder_page=stakeholder_page, shared_with=shared_with)
    env.globals.update(chapter_pdf=chapter_pdf, whole_pdf=WHOLE_PDF, downloads=NO_DOWNLOADS)
    env.tests["contains"] = lambda sequence, item: item in sequence
    return env


def shared_with(programme: Programme, first: Stakeholder, second: Stakeholder) -> tuple[Action, ...]:
    """Actions of either stakeholder that concern the other, in programme order."""
    return tuple(
        action
        for action in programme.actions
        if (action.stakeholder == first.slug and second.slug in action.also_for)
        or (action.stakeholder == second.slug and first.slug in action.also_for)
    )


# The pages made from the programme as a whole: (page, template, data file). Stakeholder pages go after the first two.
PAGES = (
    ("index.md", "home.md.j2", "programma.yaml"),
    ("stakeholder/index.md", "stakeholder-indice.md.j2", "programma.yaml"),
    ("valori/index.md", "valori.md.j2", "valori.yaml"),
    ("azioni.md", "azioni.md.j2", "stakeholder/"),
    ("tabelle.md", "tabelle.md.j2", "stakeholder/"),
)


def render(
    programme: Programme, templates: Path, data_dir: str = "programma", downloads: Mapping[str, int] = NO_DOWNLOADS
) -> tuple[Page, ...]:
    """Every generated page of the site, in navigation order.

    `downloads` maps files offered for download (such as "pdf/cultura.pdf") to their size in bytes;
    pages link to those that exist.
    """
    env = environment(templates)
    env.globals.update(downloads=downloads)
    pages = [(path, template, f"{data_dir}/{source}") for path, template, source in PAGES]
    people = [_stakeholder(env, programme, person, data_dir) for person in programme.stakeholders]
    rendered = [
        Page(path, env.get_template(name).render(programme=programme, here=path), src) for path, name, src in pages
    ]
    return (*rendered[:2], *people, *rendered[2:])


def _stakeholder(env: jinja2.Environment, programme: Programme, person: Stakeholder, data_dir: str) -> Page:
    path = stakeholder_page(person.slug)
    markdown = env.get_template("stakeholder.md.j2").render(programme=programme, stakeholder=person, here=path)
    return Page(path, markdown, f"{data_dir}/{person.source}")
