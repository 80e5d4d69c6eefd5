"""Where the commands write: a guard on the output folder, a lock, and a staged, swapped replacement.

Every command that writes (`site --out`, `pdf --out`, `build --md-out`) passes its folder through
`check_output` first, so no typo can make it write into the programme, the templates, the
hand-written pages, the repository or a home folder. Commands that replace their folder whole
(`site`, `build`) build it beside the destination, in a staging folder of their own, under an
exclusive lock, and swap it in only once everything is written: a failure, a second build at the
same time or an interrupted one never leaves the destination half-written.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING = ".programma-"  # staging and retired folders: `.site.programma-new-XXXX`, `.site.programma-old-XXXX`

# The reasons people meet; any other error keeps the system's own words.
REASONS = {
    errno.ENOSPC: "spazio esaurito sul disco",
    errno.EDQUOT: "quota del disco esaurita",
    errno.EROFS: "file system in sola lettura",
    errno.EACCES: "permesso negato",
    errno.EPERM: "operazione non permessa",
    errno.ENOENT: "file o cartella inesistente",
    errno.ENOTDIR: "non è una cartella",
    errno.EISDIR: "è una cartella",
    errno.EEXIST: "esiste già",
    errno.ENOTEMPTY: "cartella non vuota",
    errno.EBUSY: "risorsa occupata",
    errno.EXDEV: "su un altro file system",
}


class OutputError(Exception):
    """The output folder cannot be used or written; the message is Italian and names it."""


def failure(what: str, error: OSError) -> OutputError:
    """`impossibile <what>: <reason> (<file>)`, from an OSError."""
    reason = REASONS.get(error.errno or 0) or error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    return OutputError(f"impossibile {what}: {reason}{where}")


def check_output(out: Path, sources: Iterable[Path], roots: Iterable[Path], built: Callable[[Path], bool]) -> Path:
    """The resolved output folder, or OutputError if writing there could harm anything.

    Refused: a symlink (replacing it would follow it out of the project, or lose it); a file; a
    folder that is, holds or sits inside one of `sources`; a folder that is or holds one of
    `roots` (the project, the home folder, the filesystem root); an existing folder with files
    for which `built` says it is not an earlier output of the same command.
    """
    if out.is_symlink():
        raise OutputError(f"«{out}» è un collegamento simbolico: indica direttamente la cartella in cui scrivere")
    folder = out.resolve()
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"«{out}» è un file, non una cartella")
    for root in (*roots, Path(os.path.expanduser("~")), Path(folder.anchor)):  # "~" itself when there is no home
        if folder == root.resolve() or folder in root.resolve().parents:
            raise OutputError(f"«{out}» è o contiene «{root}»: scegli una cartella dedicata ai file prodotti")
    for source in sources:
        _not_related(out, folder, source)
    if _has_files(folder) and not built(folder):
        raise OutputError(
            f"«{out}» non è vuota e non sembra prodotta da programma: non la tocco; svuotala o scegli un'altra cartella"
        )
    return folder


def _not_related(out: Path, folder: Path, source: Path) -> None:
    resolved = source.resolve()
    if folder == resolved or resolved in folder.parents or folder in resolved.parents:
        raise OutputError(f"«{out}» è, contiene o sta dentro «{source}», una cartella di sorgenti: scegline un'altra")


def _has_files(folder: Path) -> bool:
    try:
        return folder.is_dir() and any(folder.iterdir())
    except OSError as error:
        raise failure(f"leggere «{folder}»", error) from None


def only_files(suffix: str) -> Callable[[Path], bool]:
    """A `built` test: every file under the folder ends in `suffix` (what the command itself writes)."""
    return lambda folder: all(path.suffix == suffix for path in folder.rglob("*") if not path.is_dir())


@contextmanager
def replacing(folder: Path, marker: str) -> Iterator[Path]:
    """A fresh, empty staging folder; once the block ends without error it becomes `folder`.

    `marker` is written into it: the file by which a later run knows the folder may be replaced.
    """
    if os.path.ismount(folder):
        raise OutputError(
            f"«{folder}» è un punto di montaggio e non si può sostituire: indica una cartella al suo interno"
        )
    with _locked(folder.parent):
        _sweep(folder)
        staging = _staging(folder)
        try:
            yield staging
            write_file(
                staging / marker,
                "Cartella prodotta da programma: a ogni costruzione è sostituita per intero.\n".encode(),
            )
            _swap(staging, folder)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def _locked(parent: Path) -> Iterator[None]:
    """An exclusive lock on the parent folder itself (flock on its descriptor): no lock file to leave behind."""
    try:
        parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise failure(f"aprire la cartella «{parent}»", error) from None
    try:
        _wait_for(descriptor, parent)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _wait_for(descriptor: int, parent: Path) -> None:
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Un'altra costruzione scrive in «{parent}»: attendo che finisca.", file=sys.stderr, flush=True)
        fcntl.flock(descriptor, fcntl.LOCK_EX)


def _sweep(folder: Path) -> None:
    """Staging folders left by a run that was killed: under the lock, none is in use."""
    for leftover in folder.parent.iterdir():
        if leftover.name.startswith(f".{folder.name}{STAGING}") and leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)


def _staging(folder: Path) -> Path:
    """A new folder of a name no other run uses, with the permissions of any folder made here.

    mkdtemp makes it private (0700): once swapped in, a web server running as another user
    could not read the site.
    """
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}{STAGING}new-", dir=folder.parent))
        staging.chmod(0o777 & ~_umask())
    except OSError as error:
        raise failure(f"creare una cartella accanto a «{folder}»", error) from None
    return staging


def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def write_file(target: Path, content: bytes) -> None:
    """Write `target` and the folders it needs, or OutputError naming it."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError as error:
        raise failure(f"scrivere «{target}»", error) from None


def _swap(staging: Path, folder: Path) -> None:
    """Two renames in one folder; if the second fails, the first is undone."""
    retired = staging.with_name(staging.name.replace(f"{STAGING}new-", f"{STAGING}old-"))
    try:
        if folder.exists():
            folder.rename(retired)
        try:
            staging.rename(folder)
        except OSError:
            if retired.exists():
                retired.rename(folder)
            raise
    except OSError as error:
        raise failure(f"sostituire «{folder}»", error) from None
    shutil.rmtree(retired, ignore_errors=True)
