"""`programma new`: a new programme repository, copied from the scaffold the package ships.

The scaffold's dotfiles are stored as `dot-…` (`dot-github/`, `dot-gitignore`): a real `.gitignore`
inside the package would be read by git and by the wheel builder as rules for this repository.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path

from .defaults import PACKAGE

SCAFFOLD = PACKAGE / "scaffold"
DOT = "dot-"
EXECUTABLE = (".ci/run",)


class ScaffoldError(Exception):
    """The target folder cannot receive a new programme; the message is for people, in Italian."""


def create(target: Path) -> list[str]:
    """Write the scaffold into `target` (absent or empty): its name and the package's version filled in.

    Returns the files written, as POSIX paths relative to `target`, sorted.
    """
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise ScaffoldError(f"«{target}» esiste già e non è una cartella vuota: scegli una cartella nuova")
    values = {"__NOME__": target.resolve().name, "__VERSIONE__": version("programma-site")}
    written = []
    for source in sorted(path for path in SCAFFOLD.rglob("*") if path.is_file() and "__pycache__" not in path.parts):
        name = "/".join(_undotted(part) for part in source.relative_to(SCAFFOLD).parts)
        _write(target / name, _filled(source.read_text("utf-8"), values), executable=name in EXECUTABLE)
        written.append(name)
    return written


def _undotted(part: str) -> str:
    return "." + part.removeprefix(DOT) if part.startswith(DOT) else part


def _filled(text: str, values: dict[str, str]) -> str:
    for placeholder, value in values.items():
        text = text.replace(placeholder, value)
    return text


def _write(path: Path, text: str, *, executable: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    if executable:
        path.chmod(0o755)
