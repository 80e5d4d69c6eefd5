"""Read a programme file without following a link, waiting on a FIFO, or reading without limit.

A pull request decides what its files are: a link to a file outside the programme folder would
have its content quoted in the error messages of a public comment, and a FIFO would hang the
reader. Such files are refused by name, before anything is read from them.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .render import human_size

# Twice the 10 MB stakeholder file the tests load; the real files are a few kilobytes.
MAX_BYTES = 20_000_000
LINK = (
    "è un collegamento simbolico, che può portare fuori dalla cartella del programma: "
    "sostituiscilo con il file o la cartella vera"
)
# O_NOFOLLOW refuses a link in the last step of the path; O_NONBLOCK opens a FIFO without waiting for a writer.
FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)


def refusal(info: os.stat_result) -> str | None:
    """Why a file with this status (from lstat or fstat) is not read, if it is not."""
    mode = info.st_mode
    if stat.S_ISLNK(mode):
        return LINK
    if stat.S_ISDIR(mode):
        return "è una cartella, non un file"
    if not stat.S_ISREG(mode):
        return "non è un file normale (è una FIFO, un socket o un dispositivo): il programma legge solo file"
    return too_big(info.st_size) if info.st_size > MAX_BYTES else None


def unreadable(error: OSError, what: str = "il file") -> str:
    """An operating-system error met while reading, for people."""
    if error.errno == errno.ELOOP:
        return LINK
    if error.errno in (errno.EACCES, errno.EPERM):
        return f"non si può leggere {what}: permesso negato"
    code = errno.errorcode.get(error.errno or 0, str(error.errno))
    return f"non si può leggere {what} (errore del sistema {code})"


def read_bytes(path: Path) -> bytes | str:
    """The file's bytes, or the reason they cannot be read.

    The status is checked again on the open file, so a file swapped for a link or a FIFO after
    the folder was listed is still refused.
    """
    try:
        descriptor = os.open(path, FLAGS)
    except OSError as error:
        return unreadable(error)
    with os.fdopen(descriptor, "rb") as file:
        try:
            info = os.fstat(descriptor)
            reason = refusal(info)
            data = b"" if reason else file.read(info.st_size + 1)  # one byte more tells a file still growing
        except OSError as error:
            return unreadable(error)
    return reason or ("il file è cambiato mentre veniva letto: riprova" if len(data) > info.st_size else data)


def too_big(size: int) -> str:
    return f"il file è troppo grande ({human_size(size)}): il massimo è {human_size(MAX_BYTES)}"
