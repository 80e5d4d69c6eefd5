"""The hostile programme in tests/hostile/: what it carries, where each text must read back, and a real build of it.

The programme is valid by the schema; its texts are traps for the renderer (markup, scripts,
template syntax, table syntax, unbreakable words, right-to-left text, emoji, combining accents).
Every text must come out exactly as written (whitespace-normalised) on the site and in the PDFs.
Also here: a reader of the elements of a built page, and of the words of a PDF with their boxes.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from programma_site.model import Programme, Stakeholder
from programma_site.site import build_site

from .conftest import ROOT

HOSTILE = Path(__file__).with_name("hostile")
LONG_WORD = "Supercalifragilistichespiralidoso" * 9 + "Sup"
LONG_URL = "https://esempio.invalid/percorso?chiave=" + "abcdefghij0123456789" * 13
# Each trap, as it must appear somewhere in the fixture's texts (and so on the site and in the PDFs).
PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "javascript: Markdown link": "[clicca qui](javascript:alert(1))",
    "javascript: HTML link": '<a href="javascript:alert(1)">',
    "iframe": '<iframe src="javascript:alert(1)"></iframe>',
    "title breakout": "</title><script>alert(1)</script>",
    "attribute breakout": "\"attributo\" ' onmouseover='alert(1)",
    "Jinja expression": "{{ 7*7 }}",
    "Jinja statement": "{% for x in range(3) %}{{ x }}{% endfor %}",
    "Jinja comment": "{# commento #}",
    "Jinja include": "{% include 'lib.md.j2' %}",
    "Markdown table": "| a | b |\n|---|---|",
    "Markdown heading": "# Un titolo Markdown nella narrativa\n",
    "Setext heading": "Setext\n======",
    "admonition": '!!! warning "Attenzione"',
    "attribute list": "{: .classe #ancora }",
    "strikethrough": "~~non barrato~~",
    "emphasis and code": "**non grassetto** _non corsivo_ `non codice`",
    "entities": "&amp; entità &lt;b&gt;",
    "HTML comment": "<!-- commento -->",
    "unbroken word": LONG_WORD,
    "unbroken URL": LONG_URL,
    "right to left": "שלום עולם, مرحبا بالعالم",
    "emoji": "🌍🚲♻️",
    "emoji sequence": "👩\u200d👩\u200d👧",
    "combining accents": "perche\u0301, citta\u0300",
}
# Invisible characters a PDF's text layer does not keep: joiners, variation selectors, the
# direction marks pdftotext adds around right-to-left runs. Soft hyphens and hyphens come and go
# with line breaking.
UNPRINTED = re.compile(r"[\s\-\u00ad\u2010\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufe0e\ufe0f]+")
RIGHT_TO_LEFT = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+")
# Punctuation between runs of opposite directions goes with either run, so it is not looked for.
NEUTRAL_EDGES = " \t\n.,;:·!?"


def normalised(text: str) -> str:
    """Text as a browser shows it: runs of white space collapsed, ends trimmed."""
    return " ".join(text.split())


def printed(text: str) -> str:
    """Text as a PDF's text layer keeps it, whatever the line breaking: see UNPRINTED."""
    return UNPRINTED.sub("", unicodedata.normalize("NFKC", text))


def printed_parts(text: str) -> list[str]:
    """What must be found in a PDF's text for `text` to have been printed.

    Left-to-right text comes out of a PDF in reading order, whole. Right-to-left runs come out in
    the order they are drawn, so a mixed text is looked for word by word on the right-to-left
    side, and run by run (without the neutral punctuation at its edges) on the left-to-right side.
    """
    if not RIGHT_TO_LEFT.search(text):
        return [printed(text)]
    runs = [run for chunk in RIGHT_TO_LEFT.split(text) if (run := chunk.strip(NEUTRAL_EDGES))]
    return [printed(word) for word in RIGHT_TO_LEFT.findall(text)] + [printed(run) for run in runs]


def every_text(programme: Programme) -> list[str]:
    """Every text of the programme, in no particular order."""
    texts = [programme.title, programme.subtitle, programme.coalition, programme.candidate, programme.period]
    texts += [programme.municipality, programme.candidate_role]
    texts += [text for section in programme.sections for text in (section.title, *section.paragraphs)]
    texts += [text for value in programme.values for text in (value.name, value.text)]
    return texts + [text for person in programme.stakeholders for text in chapter_texts(person)]


def chapter_texts(person: Stakeholder) -> list[str]:
    """What a stakeholder's page and chapter print of it: names, narrative, actions, notes."""
    actions = (*person.actions, *person.shared)
    texts = [person.name, person.label, *person.narrative, *(action.text for action in actions)]
    return texts + [action.note for action in actions if action.note]


def page_texts(programme: Programme) -> dict[str, list[str]]:
    """The texts each built page must show, by URL path."""
    values = [text for value in programme.values for text in (value.name, value.text)]
    names = [person.name for person in programme.stakeholders]
    actions = [action.text for action in programme.actions]
    notes = [action.note for action in programme.actions if action.note]
    first, rest = programme.sections[0], programme.sections[1:]
    home = [programme.title, programme.subtitle, programme.municipality, programme.coalition, programme.candidate]
    home += [programme.candidate_role]
    pages = {
        "/": [*home, programme.period, first.title, *first.paragraphs, *values, *names],
        "/stakeholder/": [*(t for s in rest for t in (s.title, *s.paragraphs)), *names],
        "/valori/": [*values, *names, *actions, *notes],
        "/azioni/": [*names, *actions, *notes, *(value.name for value in programme.values)],
        "/tabelle/": [*names, *(action.text for action in programme.actions if action.also_for)],
    }
    for person in programme.stakeholders:
        own = [person.label] if person.label != person.name else []
        pages[f"/stakeholder/{person.slug}/"] = [t for t in chapter_texts(person) if t != person.label] + own
    return pages


def hostile_project(folder: Path) -> Path:
    """The project's configuration, pages and templates with the hostile programme as its data."""
    for name in ("docs", "macros"):
        shutil.copytree(ROOT / name, folder / name)
    shutil.copy(ROOT / "mkdocs.yml", folder)
    shutil.copytree(HOSTILE, folder / "programma")
    return folder


def build_hostile(folder: Path) -> Path:
    """A real strict build (`programma site`) of the hostile project in `folder`, PDFs included."""
    project = hostile_project(folder)
    cwd = Path.cwd()
    os.chdir(project)  # mkdocs.yml's paths are relative to the project
    try:
        build_site(project / "mkdocs.yml", project / "site")
    finally:
        os.chdir(cwd)
    return project / "site"


class Elements(HTMLParser):
    """The elements of a built page as a browser would build them, with the texts the tests read."""

    def __init__(self, path: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[str] = []
        self.title = ""
        self.nav: list[str] = []  # the text of each navigation link
        self._open: list[str] = []
        self.feed(path.read_text("utf-8"))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "script" and attributes.get("type") == "application/ld+json":
            # A data block carries the data's texts but never runs; a "</script>" in them would end
            # it early and leave the rest as real elements, which the checks below would catch.
            return
        if tag in ("title", "script") or "md-nav__link" in attributes.get("class", "").split():
            self._open.append(tag)
            if tag == "script":
                self.scripts.append("")
            elif tag == "a":
                self.nav.append("")

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1] == tag:
            self._open.pop()

    def handle_data(self, data: str) -> None:
        where = self._open[-1] if self._open else ""
        if where == "title":
            self.title += data
        elif where == "script":
            self.scripts[-1] += data
        elif where == "a":
            self.nav[-1] += data

    def smuggled(self) -> list[str]:
        """Elements and attributes that no text from the data may ever become."""
        found = [tag for tag, _ in self.tags if tag in ("iframe", "frame", "object", "embed")]
        found += [f"{tag} {name}" for tag, attributes in self.tags for name in attributes if name.startswith("on")]
        found += [
            f"{tag} {value}" for tag, a in self.tags for value in a.values() if value.lstrip().startswith("javascript:")
        ]
        found += [f"img {a['src']}" for tag, a in self.tags if tag == "img" and a.get("src") == "x"]
        return found + [script for script in self.scripts if "alert(" in script]
