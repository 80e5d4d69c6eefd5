"""Problems found in the programme files, kept as data until they are reported."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

Location = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file, pointing at the line and column an editor must fix."""

    file: str
    line: int
    column: int
    message: str
    where: str = ""

    def __str__(self) -> str:
        """One line, safe to print on a terminal and inside a Markdown code block.

        Messages quote the data (keys, values, file names), so the data is escaped here, once,
        for every message: a newline, an escape sequence or backticks from a pull request must
        never start a second line, drive a terminal, or close the bot comment's code block.
        """
        place = f"{self.file}:{self.line}:{self.column}"
        return printable(f"{place}: {self.where}: {self.message}" if self.where else f"{place}: {self.message}")


class InvalidProgramme(Exception):
    """Raised with every problem found, so the editor sees them all at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("\n".join(map(str, self.problems)))


def describe(location: Location) -> str:
    """Render a data location the way an editor reads it: `azioni[3].anche_per[0]`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text


def display(path: Path) -> str:
    """The path as an editor would type it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def printable(text: str) -> str:
    """`text` with every invisible or control character, and every backtick, written as an escape (`\\x1b`)."""
    if text.isprintable() and "`" not in text:
        return text
    return "".join(char if char.isprintable() and char != "`" else _escape(char) for char in text)


def _escape(char: str) -> str:
    return "\\x60" if char == "`" else repr(char)[1:-1]
