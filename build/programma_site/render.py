"""Render the model into Markdown pages through the Jinja templates (the project's macros/, else the package's).

A pure function: the same programme and templates give the same pages, byte for byte.
Pages link to each other with relative `.md` paths, so MkDocs (or any engine) resolves
and validates every link, and data text is escaped so it can never become markup.
"""

from __future__ import annotations

import functools
import html
import itertools
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

import jinja2

from .defaults import TEMPLATES, search_path
from .export import OpenData, dataset
from .model import Action, Programme, Stakeholder

# Characters that start Markdown syntax and that both Python-Markdown (with the tables extension,
# which MkDocs always loads) and CommonMark let be backslash-escaped.
MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
BLANKS = re.compile(r"\s+")
NO_DOWNLOADS: Mapping[str, int] = MappingProxyType({})
WHOLE_PDF = "pdf/programma.pdf"
DATA_PAGE = "dati/index.md"  # the open data files are published in its folder
MONTHS = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
# A stakeholder x stakeholder matrix grows as the square of the stakeholders (810,000 cells for 900)
# and is unreadable long before: past this many, each stakeholder lists its partners instead.
MATRIX_LIMIT = 30


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


def italian_date(date: datetime) -> str:
    """25 novembre 2025, 1º dicembre 2025: the date as Italian writes it, whatever the machine's locale."""
    day = "1º" if date.day == 1 else str(date.day)
    return f"{day} {MONTHS[date.month - 1]} {date.year}"


def relative(here: str, target: str) -> str:
    """A link from page `here` to page `target` (both source paths), with any #anchor kept."""
    path, _, anchor = target.partition("#")
    link = _relative_path(path, posixpath.dirname(here) or ".") if path else ""
    return f"{link}#{anchor}" if anchor else link


@functools.cache
def _relative_path(path: str, start: str) -> str:
    # Pages link to few distinct targets from few folders, tens of thousands of times at 100x:
    # relpath, which looks up the working folder each time, was a third of the rendering.
    return posixpath.relpath(path, start)


def other_names(person: Stakeholder) -> list[str]:
    """The label and aliases, as the published programme spells them, less repeats of the name.

    They are on the page so that search finds it by them; spellings differing only in case read
    as repeats to a person, and search ignores case, so each is listed once.
    """
    seen = {person.name.casefold()}
    names = []
    for name in (person.label, *person.aliases):
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def stakeholder_page(slug: str) -> str:
    return f"stakeholder/{slug}.md"


def chapter_pdf(slug: str) -> str:
    """Where a stakeholder's printable chapter goes in the site; the whole programme is WHOLE_PDF."""
    return f"pdf/{slug}.pdf"


def stakeholder_files(slug: str) -> tuple[str, ...]:
    """Every path the site names after a stakeholder's slug; none may be one of SITE_FILES."""
    return (stakeholder_page(slug), chapter_pdf(slug))


def reserved_slugs() -> list[str]:
    """The slugs whose page or chapter would be one of SITE_FILES (for the editors' guide)."""
    stems = {posixpath.splitext(posixpath.basename(path))[0] for path in SITE_FILES}
    return sorted(stem for stem in stems if SITE_FILES & set(stakeholder_files(stem)))


@functools.cache
def bytecode_cache() -> jinja2.BytecodeCache:
    """Jinja's own cache of compiled templates, in the system's temporary folder.

    Compiling the templates was two thirds of rendering the real programme, in every build. The
    cache is keyed by each template's source checksum, so an edited template is compiled anew.
    """
    return jinja2.FileSystemBytecodeCache()


def environment(folders: list[Path], *, html: bool = False) -> jinja2.Environment:
    """The one Jinja environment of the site's pages, the hand-written pages and the print templates.

    Templates are looked up in `folders` in order (the project's, then the package's: see
    defaults.search_path). Markdown is not autoescaped: text is escaped by the `md` filter,
    explicitly. HTML (`html`, for print) is, so text from the data can never become markup.
    """
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        undefined=jinja2.StrictUndefined,
        autoescape=html,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=bytecode_cache(),
    )
    env.filters.update(md=escape_markdown, attr=escape_attribute, size=human_size, italian_date=italian_date)
    env.globals.update(
        relative=relative, stakeholder_page=stakeholder_page, shared_with=shared_with, other_names=other_names
    )
    env.globals.update(
        shared_pairs=shared_pairs, by_stakeholder=by_stakeholder, partners=partners, matrix_limit=MATRIX_LIMIT
    )
    env.globals.update(chapter_pdf=chapter_pdf, whole_pdf=WHOLE_PDF, downloads=NO_DOWNLOADS)
    env.globals.update(reserved_slugs=reserved_slugs(), reserved_ids=sorted(frozenset().union(*FIXED_IDS.values())))
    env.tests["contains"] = lambda sequence, item: item in sequence
    return env


def page_environment(templates: Path) -> jinja2.Environment:
    """The environment of the Markdown pages: the project's `templates` folder first, then the package's."""
    return environment(search_path(templates, TEMPLATES))


def shared_with(programme: Programme, first: Stakeholder, second: Stakeholder) -> tuple[Action, ...]:
    """Actions of either stakeholder that concern the other, in programme order."""
    return programme.shared_by_pair.get(frozenset((first.slug, second.slug)), ())


Shared = tuple[Stakeholder, Stakeholder, tuple[Action, ...]]


def shared_pairs(programme: Programme) -> list[Shared]:
    """Every pair of stakeholders sharing actions, the first before the second by slug, in the
    order a loop over rows, then columns, in programme order meets them: linear in the pairs."""
    position = {person.slug: index for index, person in enumerate(programme.stakeholders)}
    people = programme.by_stakeholder
    pairs = []
    for pair, actions in programme.shared_by_pair.items():
        if len(pair) == 2:
            first, second = sorted(pair)
            pairs.append((people[first], people[second], actions))
    return sorted(pairs, key=lambda shared: (position[shared[0].slug], position[shared[1].slug]))


def partners(programme: Programme) -> list[tuple[Stakeholder, list[tuple[Stakeholder, tuple[Action, ...]]]]]:
    """Each stakeholder with the others it shares actions with, both in programme order."""
    found: dict[str, list[tuple[Stakeholder, tuple[Action, ...]]]] = {}
    for first, second, actions in shared_pairs(programme):
        found.setdefault(first.slug, []).append((second, actions))
        found.setdefault(second.slug, []).append((first, actions))
    position = {person.slug: index for index, person in enumerate(programme.stakeholders)}
    return [
        (person, sorted(found.get(person.slug, []), key=lambda partner: position[partner[0].slug]))
        for person in programme.stakeholders
    ]


def by_stakeholder(programme: Programme, actions: tuple[Action, ...]) -> list[tuple[Stakeholder, list[Action]]]:
    """Actions (in programme order) grouped by their stakeholder, each group once, empty ones left out."""
    return [
        (programme.by_stakeholder[slug], list(group))
        for slug, group in itertools.groupby(actions, key=lambda action: action.stakeholder)
    ]


# The pages made from the programme as a whole: (page, template, data file). Stakeholder pages go after the first two.
PAGES = (
    ("index.md", "home.md.j2", "programma.yaml"),
    ("stakeholder/index.md", "stakeholder-indice.md.j2", "programma.yaml"),
    ("valori/index.md", "valori.md.j2", "valori.yaml"),
    ("azioni.md", "azioni.md.j2", "stakeholder/"),
    ("tabelle.md", "tabelle.md.j2", "stakeholder/"),
    ("dati/index.md", "dati.md.j2", "programma.yaml"),
)
# The paths the site gives its own pages and files: a slug naming one of them would replace it (anchors.py).
SITE_FILES = frozenset({*(path for path, _, _ in PAGES), WHOLE_PDF})
# The ids each template writes itself, besides those from the data (action ids, slugs, sections):
# anchors.py refuses a data id equal to one of them on the same page, and the tests check that the
# rendered pages hold no id left out of here.
FIXED_IDS: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "home.md.j2": frozenset({"dove-andare", "stakeholder"}),
        "stakeholder-indice.md.j2": frozenset({"elenco"}),
        "stakeholder.md.j2": frozenset({"azioni", "azioni-condivise"}),
        "valori.md.j2": frozenset(),
        "azioni.md.j2": frozenset(),
        "tabelle.md.j2": frozenset({"stakeholder-stakeholder", "stakeholder-valore", "coppie"}),
        "dati.md.j2": frozenset({"file", "csv", "campi", "licenza", "citare"}),
        "programma.html.j2": frozenset({"indice", "tabelle"}),  # the whole-programme PDF, one document
    }
)


def render(
    programme: Programme,
    templates: Path,
    data_dir: str = "programma",
    downloads: Mapping[str, int] = NO_DOWNLOADS,
    open_data: OpenData | None = None,
) -> tuple[Page, ...]:
    """Every generated page of the site, in navigation order.

    `downloads` maps files offered for download (such as "pdf/cultura.pdf") to their size in bytes;
    pages link to those that exist. The *Dati aperti* page is made only when `open_data` describes
    files published beside it (in dati/).
    """
    env = page_environment(templates)
    env.globals.update(downloads=downloads, open_data=open_data, dataset=dataset)
    pages = [(path, name, f"{data_dir}/{source}") for path, name, source in PAGES if open_data or path != DATA_PAGE]
    people = [_stakeholder(env, programme, person, data_dir) for person in programme.stakeholders]
    rendered = [
        Page(path, env.get_template(name).render(programme=programme, here=path), src) for path, name, src in pages
    ]
    return (*rendered[:2], *people, *rendered[2:])


def _stakeholder(env: jinja2.Environment, programme: Programme, person: Stakeholder, data_dir: str) -> Page:
    path = stakeholder_page(person.slug)
    markdown = env.get_template("stakeholder.md.j2").render(programme=programme, stakeholder=person, here=path)
    return Page(path, markdown, f"{data_dir}/{person.source}")
