"""Read a programme folder as it was at a git revision, without touching the work tree.

What the command line gives never reaches git as an option: the revision is resolved to a
commit hash first, and the folder must be a plain path inside the repository. Only regular
files are written out; a link in the revision becomes a link to nowhere, which the loader then
refuses by name, as it refuses one in a folder.
"""

from __future__ import annotations

import errno
import io
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

from .problems import printable


class RevisionError(Exception):
    """The revision or the folder in it cannot be read; the message is for people, in Italian."""


def extract(revision: str, data_dir: str, into: Path) -> Path:
    """Write `data_dir` as of `revision` under `into` and return its path there."""
    folder = _folder(data_dir)
    archive = _git("--literal-pathspecs", "archive", "--format=tar", _commit(revision), "--", folder)
    if archive.returncode != 0:
        reason = _reason(archive.stderr)
        raise RevisionError(f"non riesco a leggere «{folder}» alla revisione git «{revision}»: {reason}")
    _unpack(archive.stdout, into)
    if not ((into / folder).is_dir() or (into / folder).is_symlink()):  # a link: the loader names it
        raise RevisionError(f"«{folder}» alla revisione git «{revision}» non è una cartella")
    return into / folder


def _commit(revision: str) -> str:
    """The commit hash `revision` names; `--end-of-options` and the leading-dash check keep it a name."""
    if revision.startswith("-") or not revision.isprintable():
        raise RevisionError(
            f"«{revision}» non è una revisione git: una revisione non inizia con «-» e non ha caratteri invisibili"
        )
    result = _git("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    if result.returncode != 0:
        reason = _reason(result.stderr) or "la revisione non esiste"
        raise RevisionError(f"«{revision}» non è un commit di questo repository git: {reason}")
    return result.stdout.decode("ascii").strip()


def _folder(data_dir: str) -> str:
    """`data_dir` as a path relative to the repository's root, which cannot lead out of it."""
    path = PurePosixPath(data_dir)
    if path.is_absolute() or ".." in path.parts or not data_dir.isprintable() or not data_dir:
        raise RevisionError(
            f"--dir «{data_dir}»: per le revisioni git serve un percorso dentro il repository, "
            "relativo e senza «..», per esempio «programma»"
        )
    return path.as_posix()


def _git(*arguments: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", *arguments], capture_output=True, check=False)
    except FileNotFoundError:
        raise RevisionError("git non è installato o non è nel PATH: serve per leggere le revisioni") from None
    except OSError as error:
        code = errno.errorcode.get(error.errno or 0, str(error.errno))
        raise RevisionError(f"non riesco ad avviare git (errore del sistema {code})") from None


def _reason(stderr: bytes) -> str:
    """Git's own explanation, on one line."""
    return printable(" ".join(stderr.decode("utf-8", "replace").split()))


def _unpack(archive: bytes, into: Path) -> None:
    try:
        with tarfile.open(fileobj=io.BytesIO(archive)) as members:
            for member in members:
                if member.isfile():
                    members.extract(member, into, filter="data")
                elif not member.isdir():
                    _placeholder(members, member, into)
    except (tarfile.TarError, OSError) as error:
        raise RevisionError(f"non riesco a estrarre i file della revisione git: {printable(str(error))}") from None


def _placeholder(members: tarfile.TarFile, member: tarfile.TarInfo, into: Path) -> None:
    """A link that points at itself: still a link where the revision has one, but leading nowhere."""
    itself = member.replace(linkname=PurePosixPath(member.name).name, deep=False)
    itself.type = tarfile.SYMTYPE  # a hard link too: git writes none, but it must not be followed either
    members.extract(itself, into, filter="data")
