"""The `programma` command: thin wrappers around the pipeline, speaking Italian to people."""

from __future__ import annotations

import difflib
import re
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .diff import compare, to_json, to_markdown
from .export import export
from .loader import load
from .model import Programme
from .output import OutputError, check_output, failure, only_files, replacing, write_file
from .problems import InvalidProgramme, display, printable
from .render import human_size, render
from .revision import RevisionError, extract
from .scaffold import ScaffoldError, create
from .site import SiteError, build_site
from .sourcedate import SourceDateError, pin, source_date

# Written into every folder `programma build --md-out` fills: a later run may replace that folder.
MARKDOWN_MARKER = ".programma-md"

DIR_OPTION = click.option(
    "--dir",
    "directory",
    default="programma",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Cartella del programma da leggere.",
)
TEMPLATES_OPTION = click.option(
    "--templates",
    default="macros",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Cartella dei modelli Jinja del progetto, che sostituiscono quelli del pacchetto con lo stesso nome.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """Strumenti per il programma: controllo dei file YAML, pagine del sito, PDF, dati aperti, confronti e nuovi programmi."""


@cli.command()
@DIR_OPTION
def validate(directory: Path) -> None:
    """Controlla i file del programma e, se sono validi, ne stampa i conteggi."""
    programme = load_or_exit(directory)
    click.echo(counts(programme))


@cli.command()
@DIR_OPTION
@TEMPLATES_OPTION
@click.option(
    "--md-out",
    required=True,
    type=Path,
    help="Cartella in cui scrivere le pagine Markdown (per motori senza plugin); è sostituita per intero.",
)
def build(directory: Path, templates: Path, md_out: Path) -> None:
    """Scrive le pagine del sito come file Markdown, le stesse che il plugin MkDocs aggiunge in memoria."""
    pages = render(load_or_exit(directory), templates, directory.as_posix())
    with (
        output_or_exit(),
        replacing(guarded(md_out, directory, templates, earlier_markdown), MARKDOWN_MARKER) as staging,
    ):
        for page in pages:
            write_file(staging / page.path, page.markdown.encode())
    click.echo(f"{len(pages)} pagine scritte in {md_out}.")


@cli.command()
@DIR_OPTION
@TEMPLATES_OPTION
@click.option("--stakeholder", "slug", metavar="SLUG", help="Solo il capitolo di questo stakeholder.")
@click.option(
    "--out",
    default="site/pdf",
    show_default=True,
    type=Path,
    help="Cartella in cui scrivere i PDF.",
)
def pdf(directory: Path, templates: Path, slug: str | None, out: Path) -> None:
    """Scrive i PDF A4 da stampare: un capitolo per stakeholder e il programma completo."""
    # Imported here: WeasyPrint and Pango take 0.5 s to load, which only the command that prints should pay.
    from .pdf import WHOLE_PDF_LIMIT, prints_whole, render_pdfs  # noqa: PLC0415

    programme = load_or_exit(directory)
    if slug is not None:
        check_slug(programme, slug)
    with output_or_exit():
        folder = guarded(out, directory, templates, only_files(".pdf"))
        pin_date(directory)
        for path, content in render_pdfs(programme, templates, slug, date=source_date(directory)).items():
            write_file(folder / Path(path).name, content)
            click.echo(f"Scritto {out / Path(path).name} ({human_size(len(content))}).")
    if slug is None and not prints_whole(programme):
        click.echo(
            f"Programma completo non scritto: {len(programme.actions)} azioni, oltre le {WHOLE_PDF_LIMIT} "
            "che un solo PDF contiene; ogni capitolo ha il suo."
        )


@cli.command("export")
@DIR_OPTION
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Cartella in cui scrivere i dati aperti; viene creata se manca.",
)
def export_command(directory: Path, out: Path) -> None:
    """Scrive i dati aperti: programma.json, le tabelle CSV e datapackage.json che le descrive."""
    programme = load_or_exit(directory)
    refuse_source_folder(out, directory)
    files = export(programme, directory / "schema", source_date(directory))
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (out / name).write_bytes(content)
    except OSError as error:
        click.echo(f"Errore: non riesco a scrivere in «{out}»: {error.strerror}.", err=True)
        raise SystemExit(1) from None
    click.echo(f"{len(files)} file di dati aperti scritti in {out}/.")


def refuse_source_folder(out: Path, directory: Path) -> None:
    """Never write data files among the programme's own or the project's (a folder with mkdocs.yml)."""
    target, source = out.resolve(), directory.resolve()
    if (
        target == source
        or source in target.parents
        or (target / "programma.yaml").exists()
        or (target / "mkdocs.yml").exists()
    ):
        raise click.UsageError(
            f"--out: «{out}» è una cartella di sorgenti; scegli una cartella a parte, per esempio «dati»."
        )


def check_slug(programme: Programme, slug: str) -> None:
    """An unknown stakeholder is a usage error that names the closest real one."""
    slugs = [person.slug for person in programme.stakeholders]
    if slug not in slugs:
        closest = difflib.get_close_matches(slug, slugs, n=1, cutoff=0)
        raise click.UsageError(
            f"--stakeholder: «{slug}» non è uno stakeholder del programma; forse intendevi «{closest[0]}»?"
        )


@cli.command()
@click.option(
    "--config", "config_file", default="mkdocs.yml", show_default=True, type=Path, help="Configurazione MkDocs."
)
@click.option(
    "--out",
    default="site",
    show_default=True,
    type=Path,
    help="Cartella del sito costruito: è sostituita per intero, se vuota o prodotta da programma.",
)
def site(config_file: Path, out: Path) -> None:
    """Costruisce il sito completo; se qualcosa fallisce, il sito precedente resta intatto."""
    readable_file(config_file, "--config")
    pin_date(config_file.parent)
    with output_or_exit(f"costruzione del sito non riuscita, «{out}» non è stato toccato: "):
        build_site(config_file, out)
    click.echo(f"Sito costruito in {out}/.")


def guarded(out: Path, directory: Path, templates: Path, built: Callable[[Path], bool]) -> Path:
    """check_output for `pdf` and `build`: the project is the folder holding the programme."""
    root = directory.resolve().parent
    return check_output(out, [directory, templates, root / ".git", root / "docs"], [root], built)


def earlier_markdown(folder: Path) -> bool:
    return (folder / MARKDOWN_MARKER).is_file()


@contextmanager
def output_or_exit(prefix: str = "") -> Iterator[None]:
    """A failure to write, or an output folder refused, is one Italian line and exit status 1."""
    try:
        yield
    except (OutputError, SiteError) as error:
        click.echo(f"Errore: {prefix}{error}", err=True)
        raise SystemExit(1) from None


def pin_date(root: Path) -> None:
    """The build's date from the last commit when SOURCE_DATE_EPOCH is absent, as the Makefile does."""
    try:
        pin(root)
    except SourceDateError as error:
        raise click.UsageError(str(error)) from None


def readable_file(path: Path, option: str) -> None:
    """Click's own path checks speak English; these speak Italian."""
    if not path.exists():
        raise click.UsageError(f"{option}: il file «{path}» non esiste")
    if path.is_dir():
        raise click.UsageError(f"{option}: «{path}» è una cartella, non un file")
    try:
        path.open("rb").close()
    except OSError as error:
        raise click.UsageError(f"{option}: {failure(f'leggere «{path}»', error)}") from None


@cli.command()
@click.argument("directory", metavar="DIR", type=click.Path(path_type=Path))
def new(directory: Path) -> None:
    """Crea in DIR (nuova o vuota) il repository di un nuovo programma: un esempio da sostituire, sito, Makefile, CI."""
    try:
        written = create(directory)
    except ScaffoldError as error:
        click.echo(f"Errore: {error}.", err=True)
        raise SystemExit(1) from None
    click.echo(f"Creato {directory}/ ({len(written)} file). Poi: cd {directory} && git init && make site")


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--dir",
    "data_dir",
    default="programma",
    show_default=True,
    help="Cartella del programma dentro il repository, per le revisioni git.",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown per le persone, JSON per i programmi.",
)
@click.option("--exit-code", is_flag=True, help="Esce con stato 1 se il programma è cambiato.")
def diff(old: str, new: str, data_dir: str, output: str, exit_code: bool) -> None:
    """Riassume che cosa cambia nel programma tra OLD e NEW (revisioni git o cartelle)."""
    with tempfile.TemporaryDirectory() as scratch:
        before, after = (_side(side, data_dir, Path(scratch) / str(n)) for n, side in enumerate((old, new)))
        comparison = compare(before, after)
    click.echo(to_json(comparison) if output == "json" else to_markdown(comparison), nl=False)
    if exit_code and comparison.changed:
        raise SystemExit(1)


def _side(side: str, data_dir: str, scratch: Path) -> Programme:
    """A programme folder as given, or `data_dir` as it is at the git revision `side`."""
    if Path(side).is_dir():
        return load_or_exit(Path(side))
    try:
        directory = extract(side, data_dir, scratch)
    except RevisionError as error:
        click.echo(f"Errore: {printable(str(error))}", err=True)
        raise SystemExit(1) from None
    return load_or_exit(directory, shown=printable(f"{side}:{directory.relative_to(scratch).as_posix()}"))


def counts(programme: Programme) -> str:
    """The one line that says a programme is valid and how big it is."""
    return (
        f"Programma valido: {len(programme.stakeholders)} stakeholder, {len(programme.actions)} azioni, "
        f"{programme.cross_references} riferimenti incrociati, {len(programme.values)} valori."
    )


def load_or_exit(directory: Path, shown: str | None = None) -> Programme:
    """Load the programme, or print every problem in Italian and exit with status 1.

    `shown` names the folder in messages when it is a scratch copy (`HEAD:programma`).
    """
    if not (directory.is_dir() or directory.is_symlink()):  # a link is the loader's to refuse, by name
        raise click.UsageError(f"la cartella «{directory}» non esiste")
    try:
        return load(directory)
    except InvalidProgramme as invalid:
        for problem in invalid.problems:
            text = str(problem)
            click.echo(text.replace(display(directory), shown, 1) if shown else text, err=True)
        click.echo(f"{_plural(len(invalid.problems))}: il programma non è valido.", err=True)
        raise SystemExit(1) from None


def _plural(count: int) -> str:
    return "1 problema trovato" if count == 1 else f"{count} problemi trovati"


# Click's path checks (`--dir`, `--templates`): what it found, in Italian.
PATH_PROBLEMS = {
    "does not exist": "non esiste",
    "is a file": "è un file, non una cartella",
    "is a directory": "è una cartella, non un file",
    "is not readable": "non si può leggere",
    "is not writable": "non si può scrivere",
    "is not executable": "non si può eseguire",
}


def _path_problem(match: re.Match[str]) -> str:
    option, path, problem = match.groups()
    return f"«{path}», indicato per «{option}», {PATH_PROBLEMS[problem]}."


# Click's own usage messages are English; these are the ones a person meets, in Italian.
CLICK_MESSAGES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"No such option:? '?([^'.]+)'?\.?(.*)"), r"l'opzione «\1» non esiste.\2"),
    (re.compile(r"No such command '([^']+)'\."), r"il comando «\1» non esiste."),
    (re.compile(r"Missing argument '([^']+)'\."), r"manca l'argomento \1."),
    (re.compile(r"Option '([^']+)' requires an argument\."), r"l'opzione «\1» richiede un valore."),
    (
        re.compile(r"Invalid value for '([^']+)': '([^']*)' is not one of (.*)\."),
        r"«\2» non è un valore valido per «\1»: si può usare \3.",
    ),
    (re.compile(r"Got unexpected extra arguments? \((.*)\)"), r"argomenti in più: \1."),
    (
        re.compile(rf"Invalid value for '([^']+)': (?:File|Directory|Path) '(.*)' ({'|'.join(PATH_PROBLEMS)})\."),
        _path_problem,
    ),
)


def italian(message: str) -> str:
    """Click's usage message in Italian when it is one we know; otherwise as it is."""
    for pattern, replacement in CLICK_MESSAGES:
        if pattern.fullmatch(message):
            return pattern.sub(replacement, message).replace("Did you mean", "Forse intendevi")
    return message


def main() -> None:
    """Entry point: usage errors become an Italian line and exit status 2, never a traceback."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.exit(1)
    except click.UsageError as error:
        message = printable(italian(error.format_message()))  # it may quote the command line's own words
        click.echo(f"Errore d'uso: {message}\nProva «programma --help».", err=True)
        sys.exit(2)
