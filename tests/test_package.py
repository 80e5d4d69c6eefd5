"""The package owns its defaults: the wheel ships them, and a project overrides them file by file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from programma_site import pdf, search
from programma_site.cli import cli
from programma_site.defaults import DOCS, OVERRIDES, PACKAGE, SCHEMA, TEMPLATES, schemas, search_path
from programma_site.render import page_environment
from programma_site.scaffold import SCAFFOLD, create
from programma_site.site import build_site

from .htmlpage import read_site
from .wheel import build_wheel

ROOT = Path(__file__).resolve().parents[1]
MKDOCS = Path(sys.executable).with_name("mkdocs")
SHIPPED = (TEMPLATES, OVERRIDES, DOCS, SCHEMA, SCAFFOLD)


def quiet_env(**extra: str) -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1700000000", **extra}


def test_the_wheel_ships_every_template_override_asset_schema_and_scaffold_file(tmp_path: Path) -> None:
    shipped = {
        path.relative_to(PACKAGE.parent).as_posix()
        for folder in SHIPPED
        for path in folder.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert len(shipped) > 40  # 13 templates, 3 overrides, 14 docs files, 4 schemas, 14 scaffold files
    with zipfile.ZipFile(build_wheel(tmp_path)) as wheel:
        assert shipped <= set(wheel.namelist())


def test_mkdocs_build_with_a_relative_config_path(tmp_path: Path) -> None:
    """`mkdocs build -f mkdocs.yml`, from the project root and from another folder: both build, same edit links."""
    environment = quiet_env(PROGRAMMA_PDF="false")
    for cwd, config in ((ROOT, "mkdocs.yml"), (ROOT.parent, f"{ROOT.name}/mkdocs.yml")):
        site = tmp_path / cwd.name
        command = [str(MKDOCS), "build", "--quiet", "-f", config, "-d", str(site)]
        result = subprocess.run(
            command, cwd=cwd, env=environment, capture_output=True, text=True, check=False, timeout=300
        )
        assert result.returncode == 0, result.stderr
        page = (site / "stakeholder" / "cultura" / "index.html").read_text("utf-8")
        assert "/edit/main/programma/stakeholder/cultura.yaml" in page, cwd


def test_a_project_schema_file_replaces_the_package_one_alone(tmp_path: Path) -> None:
    own = json.loads((SCHEMA / "valori.schema.json").read_text("utf-8"))
    own["title"] = "Valori del progetto"
    (tmp_path / "valori.schema.json").write_text(json.dumps(own), "utf-8")
    found = schemas(tmp_path)
    assert found["valori.schema.json"]["title"] == "Valori del progetto"
    assert sorted(found) == sorted(path.name for path in SCHEMA.glob("*.schema.json"))
    assert schemas(tmp_path / "missing") == {
        path.name: json.loads(path.read_text("utf-8")) for path in sorted(SCHEMA.glob("*.json"))
    }


@pytest.fixture(scope="module")
def overriding(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project that overrides one template, one hand-written page, one Material partial and one schema."""
    project = tmp_path_factory.mktemp("overriding")
    shutil.copytree(ROOT / "programma", project / "programma")
    config = (ROOT / "mkdocs.yml").read_text("utf-8").replace("!ENV [PROGRAMMA_PDF, true]", "false")
    (project / "mkdocs.yml").write_text(
        config.replace("  language: it\n", "  language: it\n  custom_dir: macros/overrides\n")
    )
    stakeholder = (TEMPLATES / "stakeholder.md.j2").read_text("utf-8")
    write(project / "macros" / "stakeholder.md.j2", stakeholder.replace("\n", "\n\nPAGINA DEL PROGETTO\n", 1))
    write(project / "macros" / "overrides" / "partials" / "source.html", "<p>PARTE DEL PROGETTO</p>\n")
    write(project / "docs" / "cerca.md", "# Cerca\n\nRICERCA DEL PROGETTO\n")
    own = json.loads((SCHEMA / "programma.schema.json").read_text("utf-8"))
    own["properties"]["titolo"]["description"] = "DESCRIZIONE DEL PROGETTO"
    write(project / "programma" / "schema" / "programma.schema.json", json.dumps(own))
    cwd = Path.cwd()
    os.chdir(project)
    try:
        build_site(project / "mkdocs.yml", project / "site")
    finally:
        os.chdir(cwd)
    return project / "site"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


def test_the_project_files_win_and_the_package_fills_the_rest(overriding: Path) -> None:
    pages = read_site(overriding)
    assert "PAGINA DEL PROGETTO" in pages["/stakeholder/cultura/"].text
    assert "PAGINA DEL PROGETTO" not in pages["/azioni/"].text
    assert "RICERCA DEL PROGETTO" in pages["/cerca/"].text
    assert (
        "DESCRIZIONE DEL PROGETTO" in pages["/come-proporre-una-modifica/"].text
    )  # the package's guide, the project's schema
    home = (overriding / "index.html").read_text("utf-8")
    assert "PARTE DEL PROGETTO" in home and "Sorgente su GitHub" not in home  # the project's custom_dir first
    assert "data-pagefind-body" in home  # then the package's main.html, not shadowed
    for asset in ("assets/stylesheets/programma.css", "assets/stylesheets/fonts.css", "assets/fonts/OFL.txt"):
        assert (overriding / asset).read_bytes() == (DOCS / asset).read_bytes()
    assert "assets/stylesheets/programma.css" in home


def test_the_own_page_that_replaces_a_package_page_can_be_edited(overriding: Path) -> None:
    search = (overriding / "cerca" / "index.html").read_text("utf-8")
    guide = (overriding / "come-proporre-una-modifica" / "index.html").read_text("utf-8")
    assert "edit/main/docs/cerca.md" in search
    assert "edit/main/" not in guide


def test_the_pdf_date_comes_from_the_programme_history(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not from the templates' folder, which is the package's and need not be in any repository."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "programma", repo / "programma")
    git = ["git", "-C", str(repo), "-c", "user.name=Prova", "-c", "user.email=prova@example.org"]
    subprocess.run([*git, "init", "--quiet"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    dated = {**os.environ, "GIT_COMMITTER_DATE": "2001-02-03T04:05:06Z", "GIT_AUTHOR_DATE": "2001-02-03T04:05:06Z"}
    subprocess.run([*git, "commit", "--quiet", "-m", "Programma"], check=True, env=dated)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.chdir(tmp_path)  # not a repository: the old code dated the PDFs from here (1970)
    arguments = ["pdf", "--dir", str(repo / "programma"), "--stakeholder", "cultura", "--out", str(tmp_path / "pdf")]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    reader = pypdf.PdfReader(BytesIO((tmp_path / "pdf" / "cultura.pdf").read_bytes()))
    assert reader.metadata is not None and reader.metadata.creation_date is not None
    assert reader.metadata.creation_date.year == 2001
    assert "3 febbraio 2001" in reader.pages[0].extract_text()


def test_a_failed_search_index_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Pagefind's own error is logged: `programma site` used to say only «vedi sopra», with nothing above."""
    create(tmp_path / "p")
    monkeypatch.chdir(tmp_path / "p")
    monkeypatch.setenv("PROGRAMMA_PDF", "false")
    monkeypatch.setattr(search, "get_executable", lambda: tmp_path / "pagefind-mancante")  # a binary that is not there
    result = CliRunner().invoke(cli, ["site", "--out", str(tmp_path / "site")])
    assert result.exit_code == 1
    assert "impossibile scrivere l'indice della ricerca" in caplog.text and "pagefind-mancante" in result.output
    assert not (tmp_path / "site").exists()


def test_one_environment_for_pages_and_print_each_searching_the_project_first(tmp_path: Path) -> None:
    write(tmp_path / "print" / "capitolo.html.j2", "{{ '<b>' }} {{ stakeholder }}\n")
    page, printed = page_environment(tmp_path), pdf.environment(search_path(tmp_path / "print", TEMPLATES / "print"))
    assert printed.get_template("capitolo.html.j2").filename == str(tmp_path / "print" / "capitolo.html.j2")
    assert printed.get_template("lib.html.j2").filename == str(TEMPLATES / "print" / "lib.html.j2")
    assert printed.get_template("capitolo.html.j2").render(stakeholder="&") == "&lt;b&gt; &amp;\n"  # autoescaped HTML
    assert page.from_string("{{ '<b>' }}").render() == "<b>"  # Markdown: escaped by the md filter, explicitly
    assert set(page.filters) | {"italian_date", "w3c"} <= set(printed.filters)
    assert set(page.globals) <= set(printed.globals)
