"""Data that would break the built site is refused: slugs naming the site's own files, ids the
pages already hold. The site's own names are declared once, where the renderer takes them, and
checked here against a real build, so the checks cannot fall behind the templates. And aliases
are on their stakeholder's page, where search finds them.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from collections import Counter
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from mkdocs.structure.files import File

from programma_site.anchors import page_anchors
from programma_site.defaults import SCHEMA, TEMPLATES
from programma_site.loader import build, load
from programma_site.model import Programme
from programma_site.pdf import environment
from programma_site.render import FIXED_IDS, SITE_FILES, WHOLE_PDF, render, stakeholder_files
from programma_site.site import build_site
from programma_site.yamlsource import Document, read

from .badinput import CULTURA, PROGRAMMA, VALORI, assert_problem, edit, only_problem, position, problems
from .command import run
from .conftest import ROOT


def new_stakeholder(slug: str, order: int = 99) -> Path:
    """A copy of cultura.yaml as a further stakeholder `slug`, valid in everything but its slug."""
    text = CULTURA.read_text("utf-8").replace("slug: cultura\n", f'slug: "{slug}"\n')
    text = text.replace("id: cultura-", f"id: {slug}-")
    text = text.replace('nome: "Cultura"', f'nome: "Cultura {slug}"').replace(
        'etichetta: "Cultura"', f'etichetta: "Etichetta {slug}"'
    )
    text = re.sub(r"^ordine: \d+$", f"ordine: {order}", text, flags=re.MULTILINE)
    path = CULTURA.with_name(f"{slug}.yaml")
    path.write_text(text, "utf-8")
    return path


# Case 7: slugs naming a file the site already has


@pytest.mark.parametrize(("slug", "taken"), [("index", "stakeholder/index.md"), ("programma", "pdf/programma.pdf")])
def test_slug_naming_a_file_of_the_site_is_refused(folder: Path, slug: str, taken: str) -> None:
    path = new_stakeholder(slug)
    message = (
        f"lo slug «{slug}» è riservato: il sito usa già «{taken}» per altro; scegli un altro slug e rinomina il file"
    )
    assert_problem(only_problem(folder), path, position(path, f'"{slug}"'), message, "slug")
    result = run("validate", cwd=folder.parent)
    assert result.returncode == 1 and message in result.stdout + result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("slug", ["assets", "pdf", "cerca", "pagefind", "search", "sitemap", "404", "azioni"])
def test_slugs_that_name_no_file_of_the_site_are_accepted(folder: Path, slug: str) -> None:
    new_stakeholder(slug)
    assert load(folder).by_stakeholder[slug].name == f"Cultura {slug}"


def dest(path: str) -> str:
    """Where MkDocs writes a page or file of the site's sources."""
    return File(path, src_dir=None, dest_dir="", use_directory_urls=True).dest_uri


def test_every_file_of_the_built_site_a_slug_could_replace_is_reserved(built_site: Path, programme: Programme) -> None:
    """Try as a slug every name in every path of the real build: only those in SITE_FILES can land on a file."""
    built = {path.relative_to(built_site).as_posix() for path in built_site.rglob("*") if path.is_file()}
    own = {dest(path) for person in programme.stakeholders for path in stakeholder_files(person.slug)}
    names = {part.split(".")[0] for path in built for part in path.split("/")} - {
        p.slug for p in programme.stakeholders
    }
    landing = {name for name in names if {dest(path) for path in stakeholder_files(name)} & (built - own)}
    reserved = {name for name in names if set(stakeholder_files(name)) & SITE_FILES}
    assert landing == reserved == {"index", "programma"}
    assert len(built) > 100  # the whole site, its assets and search index included


def test_the_editors_guide_names_the_reserved_slugs_and_ids(built_site: Path) -> None:
    guide = Ids((built_site / "come-proporre-una-modifica/index.html").read_text("utf-8"))
    assert "lo slug «index» o «programma»," in guide.text
    assert all(f"«{name}»" in guide.text for ids in FIXED_IDS.values() for name in ids)


# Case 8: ids the pages already hold


def reserved_id(word: str, page: str) -> str:
    return f"l'identificativo «{word}» è riservato: lo usa già un titolo della pagina {page}; scegline un altro"


@pytest.mark.parametrize("word", ["azioni", "azioni-condivise"])
def test_action_id_equal_to_a_heading_of_its_page_is_refused(folder: Path, word: str) -> None:
    edit(CULTURA, "id: cultura-02\n", f"id: {word}\n")
    message = reserved_id(word, "stakeholder/cultura.md")
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, f"{word}\n"), message, "azioni[1].id")


@pytest.mark.parametrize(
    ("old", "word", "page"),
    [
        ("filosofia", "dove-andare", "index.md"),
        ("filosofia", "stakeholder", "index.md"),
        ("perche-gli-stakeholder", "elenco", "stakeholder/index.md"),
    ],
)
def test_section_id_equal_to_a_heading_of_its_page_is_refused(folder: Path, old: str, word: str, page: str) -> None:
    edit(PROGRAMMA, f"id: {old}\n", f"id: {word}\n")
    index = 0 if old == "filosofia" else 1
    line, column = position(PROGRAMMA, f"id: {word}\n")
    message = reserved_id(word, page)
    assert_problem(only_problem(folder), PROGRAMMA, (line, column + len("id: ")), message, f"introduzione[{index}].id")


def test_two_sections_with_one_id_are_refused(folder: Path) -> None:
    first = position(PROGRAMMA, "perche-gli-stakeholder\n")
    edit(PROGRAMMA, "id: gli-stakeholder\n", "id: perche-gli-stakeholder\n")
    second = position(PROGRAMMA, 'perche-gli-stakeholder\n    titolo: "Gli')
    message = f"l'identificativo «perche-gli-stakeholder» è già usato in {PROGRAMMA.as_posix()}:{first[0]}:{first[1]}: ognuno deve essere unico"
    assert_problem(only_problem(folder), PROGRAMMA, second, message, "introduzione[2].id")


def add_value(slug: str) -> None:
    with VALORI.open("a", encoding="utf-8") as file:
        file.write(f'  - slug: {slug}\n    nome: "Nuovo"\n    testo: "Un valore in più."\n')


@pytest.mark.parametrize(
    ("slug", "value", "person"), [("futuro-cultura", "futuro", "cultura"), ("futuro-under-30", "futuro", "under-30")]
)
def test_value_slug_equal_to_a_value_and_stakeholder_heading_is_refused(
    folder: Path, slug: str, value: str, person: str
) -> None:
    add_value(slug)
    message = f"l'identificativo «{slug}» è già l'ancora del valore «{value}» per lo stakeholder «{person}» della pagina valori/index.md: scegline un altro"
    assert_problem(only_problem(folder), VALORI, position(VALORI, f"{slug}\n"), message, "valori[7].slug")


def test_value_and_stakeholder_headings_that_would_meet_are_refused(folder: Path) -> None:
    """Value «futuro» with stakeholder «under-30», and value «futuro-under» with a stakeholder «30»."""
    add_value("futuro-under")
    new_stakeholder("30")
    message = "l'identificativo «futuro-under-30» è già l'ancora del valore «futuro» per lo stakeholder «under-30» della pagina valori/index.md: scegline un altro"
    assert_problem(only_problem(folder), VALORI, position(VALORI, "futuro-under\n"), message, "valori[7].slug")


class Ids(HTMLParser):
    """Every id of one HTML page, in order, with the tag that carries it; and its text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[tuple[str, str]] = []
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [(tag, value or "") for name, value in attrs if name == "id"]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def documents(directory: Path) -> tuple[Document, Document, list[Document]]:
    found = [read(directory / name, name) for name in ("programma.yaml", "valori.yaml")]
    people = [read(path, path.name) for path in sorted((directory / "stakeholder").glob("*.yaml"))]
    assert all(isinstance(document, Document) for document in [*found, *people])
    return found[0], found[1], people  # type: ignore[return-value]


def unaccounted(page: str, template: str, expected: set[str], html: str, slugs: set[str]) -> list[str]:
    """Ids of a rendered page that are neither its template's own, nor the data's, nor Markdown's or Material's."""
    ids = Ids(html).ids
    assert not [name for name, count in Counter(name for _, name in ids).items() if count > 1], page
    pair = re.compile("(.+)--(.+)")
    return [
        name
        for tag, name in ids
        if name not in FIXED_IDS[template] | expected
        and tag != "h1"  # Markdown's own heading id, which it keeps apart from every other
        and not name.startswith("__")  # Material's (__drawer, __search, __toc…): no slug can start so
        and not ((match := pair.fullmatch(name)) and set(match.groups()) <= slugs and template == "tabelle.md.j2")
    ]


def test_every_id_of_the_built_site_is_declared_and_unique(built_site: Path, programme: Programme) -> None:
    """An id a template adds without declaring it in FIXED_IDS fails here, as does any duplicate."""
    slugs = {person.slug for person in programme.stakeholders}
    seen = set()
    for page, template, anchors in page_anchors(*documents(ROOT / "programma")):
        html = printed(programme) if page == WHOLE_PDF else (built_site / dest(page)).read_text("utf-8")
        assert unaccounted(page, template, {anchor.id for anchor in anchors}, html, slugs) == [], page
        seen.add(page)
    assert seen == {page.path for page in render(programme, ROOT / "macros")} | {WHOLE_PDF}
    material = {name for _, name in Ids((built_site / "index.html").read_text("utf-8")).ids if name.startswith("__")}
    slug = json.loads((SCHEMA / "valori.schema.json").read_text("utf-8"))
    pattern = slug["properties"]["valori"]["items"]["properties"]["slug"]["pattern"]
    assert {"__drawer", "__search"} <= material and not [name for name in material if re.search(pattern, name)]


def test_a_hostile_but_valid_programme_renders_no_duplicate_id(folder: Path) -> None:
    """Ids next to the fixed ones, leading digits, slugs like the site's folders: accepted, and no page repeats an id."""
    edit(PROGRAMMA, "id: filosofia\n", "id: elenco-1\n")
    edit(PROGRAMMA, "id: gli-stakeholder\n", "id: gli-stakeholder-stakeholder\n")
    add_value("cultura")  # a value slug equal to a stakeholder slug
    for order, slug in enumerate(("assets", "pagefind", "stakeholder"), start=90):
        new_stakeholder(slug, order)
    edit(CULTURA, "id: cultura-02\n", "id: azioni-1\n")
    edit(CULTURA, "id: cultura-03\n", 'id: "2020"\n')
    programme = load(folder)
    slugs = {person.slug for person in programme.stakeholders}
    html = site_html(programme)
    for page, template, anchors in page_anchors(*documents(folder)):
        assert unaccounted(page, template, {anchor.id for anchor in anchors}, html[page], slugs) == [], page
    assert '<tr id="2020">' in html["stakeholder/cultura.md"]  # leading digits kept as written


@pytest.mark.parametrize(
    ("word", "message"),
    [
        (
            "indice",
            "l'identificativo «indice» è riservato: lo usa già un titolo del PDF pdf/programma.pdf; scegline un altro",
        ),
        (
            "sezione-filosofia",
            "l'identificativo «sezione-filosofia» è già l'ancora della sezione «filosofia» del PDF pdf/programma.pdf: scegline un altro",
        ),
        (
            "valore-futuro",
            "l'identificativo «valore-futuro» è già l'ancora del valore «futuro» del PDF pdf/programma.pdf: scegline un altro",
        ),
        (
            "capitolo-bellezza",
            "l'identificativo «capitolo-bellezza» è già l'ancora del capitolo «bellezza» del PDF pdf/programma.pdf: scegline un altro",
        ),
    ],
)
def test_action_id_equal_to_an_id_of_the_whole_programme_pdf_is_refused(folder: Path, word: str, message: str) -> None:
    edit(CULTURA, "id: cultura-02\n", f"id: {word}\n")
    assert_problem(only_problem(folder), CULTURA, position(CULTURA, f"{word}\n"), message, "azioni[1].id")


def site_html(programme: Programme) -> dict[str, str]:
    """Each page's HTML as MkDocs' Markdown, with the extensions of mkdocs.yml, makes it."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV", ""))
    extensions = [next(iter(item)) if isinstance(item, dict) else item for item in config["markdown_extensions"]]
    pages = render(programme, ROOT / "macros")
    return {page.path: markdown.markdown(page.markdown, extensions=extensions) for page in pages} | {
        WHOLE_PDF: printed(programme)
    }


def printed(programme: Programme) -> str:
    """The HTML the whole-programme PDF is printed from: one document, so one set of ids."""
    template = environment([TEMPLATES / "print"]).get_template("programma.html.j2")
    return template.render(programme=programme, date=datetime(2023, 11, 14, tzinfo=UTC))


@pytest.mark.parametrize(
    ("file", "old", "new", "page"),
    [
        (CULTURA, "id: cultura-02\n", "id: azioni-condivise\n", "stakeholder/cultura.md"),
        (PROGRAMMA, "id: filosofia\n", "id: dove-andare\n", "index.md"),
        (PROGRAMMA, "id: gli-stakeholder\n", "id: perche-gli-stakeholder\n", "stakeholder/index.md"),
        (VALORI, "slug: resilienza\n", "slug: futuro-cultura\n", "valori/index.md"),
        (CULTURA, "id: cultura-02\n", "id: sezione-filosofia\n", WHOLE_PDF),
    ],
    ids=["action", "section", "two-sections", "value", "pdf"],
)
def test_what_is_refused_would_repeat_an_id(folder: Path, file: Path, old: str, new: str, page: str) -> None:
    """Built without the checks, each refused programme gives a page with one id twice: the checks guard real breakage."""
    if file == VALORI:  # the actions classified under the renamed value follow it
        for path in Path("programma/stakeholder").glob("*.yaml"):
            path.write_text(re.sub(r"\bresilienza\b", "futuro-cultura", path.read_text("utf-8")), "utf-8")
    edit(file, old, new)
    assert problems(folder)
    programma, valori, people = documents(folder)
    html = site_html(build(programma.data, valori.data, people))[page]
    assert [name for name, count in Counter(name for _, name in Ids(html).ids).items() if count > 1]


# Case 15: aliases are on the page, where search finds them


def search_fragments(site: Path) -> dict[str, str]:
    """The text Pagefind keeps of each page, by URL: what a search matches and shows."""
    fragments = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        fragments[fragment["url"]] = fragment["content"]
    return fragments


def test_every_label_and_alias_is_in_the_search_fragment_of_its_page(built_site: Path, programme: Programme) -> None:
    fragments = search_fragments(built_site)
    for person in programme.stakeholders:
        content = fragments[f"/stakeholder/{person.slug}/"]
        assert "Nelle tabelle del programma" not in content
        for name in (person.name, person.label, *person.aliases):
            assert name.casefold() in content.casefold(), (person.slug, name)
    terzo = fragments["/stakeholder/terzo-settore-sport/"]
    assert "Nel programma pubblicato compare anche come: Terzo settore&Sport, terzo settore." in terzo
    assert "compare anche come" not in fragments["/stakeholder/bellezza/"]  # its alias is its name in lower case


def test_an_alias_unlike_any_name_finds_its_page(folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real aliases differ from a label only in case, so they were found anyway: this one is a name of its own."""
    edit(CULTURA, "alias: []", 'alias: ["Mondo della cultura", "CULTURA", "<Arte> & *storia*"]')
    for name in ("docs", "macros"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path)
    monkeypatch.setenv("PROGRAMMA_PDF", "false")  # the pages and their index are what this is about
    build_site(tmp_path / "mkdocs.yml", tmp_path / "site")
    found = [url for url, content in search_fragments(tmp_path / "site").items() if "Mondo della cultura" in content]
    assert found == ["/stakeholder/cultura/"]
    content = search_fragments(tmp_path / "site")["/stakeholder/cultura/"]
    assert "Nel programma pubblicato compare anche come: Mondo della cultura, <Arte> & *storia*." in content
