"""Read one YAML file into plain data plus the line and column of every value.

Only what a programme needs is accepted: mappings, lists, text, whole numbers,
true/false and null. Anything YAML could turn into something else (dates, times,
floats, `no` as a boolean, objects built from tags) stays text or is refused,
and every refusal is a Problem, never an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import yaml
import yaml.composer
import yaml.cyaml
import yaml.parser
import yaml.reader
import yaml.scanner
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from .problems import Location, Problem, describe
from .yamlerrors import italian


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer):
    """PyYAML's own parser, for the rare Python built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)


# libyaml parses ~10x faster; its stub does not declare CParser.
Parser: Any = yaml.cyaml.CParser if yaml.__with_libyaml__ else _PureParser  # type: ignore[attr-defined]
SCALAR_TAGS = {"str", "int", "null", "bool"}
TAG_PREFIX = "tag:yaml.org,2002:"
TAB_INDENT = re.compile(r"^ *\t", re.MULTILINE)


class _Composer(Parser, BaseResolver):  # type: ignore[misc]
    """A composer that resolves plain scalars the YAML 1.2 way: `no` and `12:30` stay text."""


for _tag, _pattern, _first in (
    ("int", r"^[-+]?[0-9]+$", "-+0123456789"),
    ("bool", r"^(?:true|false)$", "tf"),
    ("null", r"^(?:~|null|)$", ["~", "n", ""]),
):
    _Composer.add_implicit_resolver(TAG_PREFIX + _tag, re.compile(_pattern), list(_first))


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, and the composed nodes that know where each value starts.

    Positions are looked up only when a problem needs one, by walking the nodes: recording a
    mark for every value up front cost a fifth of the load time and is almost never read.
    """

    file: str
    data: Any
    root: Node

    def position(self, location: Location, key: bool = False) -> tuple[int, int]:
        """The line and column of a location (of its key, if asked), or of its nearest enclosing value."""
        node, key_node = self.root, None
        for part in location:
            found = _child(node, part)
            if found is None:
                key_node = None
                break
            key_node, node = found
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1, mark.column + 1

    def problem(self, location: Location, message: str, key: bool = False) -> Problem:
        line, column = self.position(location, key)
        return Problem(self.file, line, column, message, describe(location))


def _child(node: Node, part: str | int) -> tuple[Node | None, Node] | None:
    """The (key node, value node) that `part` names inside `node`, if there is one."""
    if isinstance(node, MappingNode):
        return next(((k, v) for k, v in node.value if k.value == part), None)
    if isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


class _Refused(Exception):
    """One reason to refuse a whole file; carries the node it points at."""

    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node
        self.message = message


def read(path: Path, shown: str) -> Document | list[Problem]:
    """Read a file; return its Document, or the problems that stop it being read."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [_not_utf8(path.read_bytes(), error, shown)]
    return parse(text, shown)


def parse(text: str, shown: str) -> Document | list[Problem]:
    """Parse YAML text already decoded; `shown` is the path used in messages."""
    tabs = [_tab_problem(text, match.end(), shown) for match in TAB_INDENT.finditer(text)]
    if tabs:
        return tabs
    try:
        node = _Composer(text).get_single_node()  # type: ignore[call-arg]
    except yaml.MarkedYAMLError as error:
        return [_syntax_problem(error, shown)]
    if node is None:
        return [Problem(shown, 1, 1, "il file è vuoto: deve contenere i campi descritti nello schema")]
    try:
        data = _Builder().build(node)
    except _Refused as refused:
        mark = refused.node.start_mark
        return [Problem(shown, mark.line + 1, mark.column + 1, refused.message)]
    return Document(shown, data, node)


class _Builder:
    """Turn composed nodes into plain data, refusing what editors never need."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def build(self, node: Node) -> Any:
        if id(node) in self.seen:  # an alias: refusing it also defuses "billion laughs"
            raise _Refused(node, "alias e ancore YAML (& e *) non sono ammessi: scrivi il testo per intero")
        self.seen.add(id(node))
        if isinstance(node, MappingNode):
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            self._check_tag(node, "seq")
            return [self.build(item) for item in node.value]
        return self._scalar(cast(ScalarNode, node))

    def _mapping(self, node: MappingNode) -> dict[str, Any]:
        self._check_tag(node, "map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, result)
            result[key] = self.build(value_node)
        return result

    def _key(self, node: Node, taken: Mapping[str, Any]) -> str:
        if not isinstance(node, ScalarNode) or not isinstance(key := self._scalar(node), str):
            raise _Refused(node, "ogni chiave deve essere un nome di campo, per esempio «testo:»")
        if key in taken:
            raise _Refused(node, f"la chiave «{key}» è ripetuta: ogni campo va scritto una volta sola")
        return key

    def _scalar(self, node: ScalarNode) -> Any:
        tag = self._check_tag(node, *SCALAR_TAGS)
        if tag == "int":
            return int(node.value)
        if tag == "bool":
            return node.value == "true"
        return None if tag == "null" else node.value

    @staticmethod
    def _check_tag(node: Node, *allowed: str) -> str:
        tag = node.tag.removeprefix(TAG_PREFIX)
        if tag not in allowed:
            shown = node.tag.replace(TAG_PREFIX, "!!")
            raise _Refused(node, f"il tag YAML «{shown}» non è ammesso: togli il tag e scrivi il valore semplice")
        return tag


def _tab_problem(text: str, end: int, shown: str) -> Problem:
    line = text.count("\n", 0, end) + 1
    column = end - (text.rfind("\n", 0, end) + 1)
    return Problem(shown, line, column, "rientro con il tasto Tab: in YAML si rientra solo con gli spazi")


def _syntax_problem(error: yaml.MarkedYAMLError, shown: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return Problem(shown, line, column, italian(error.problem or error.context or ""))


def _not_utf8(raw: bytes, error: UnicodeDecodeError, shown: str) -> Problem:
    before = raw[: error.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
    byte = raw[error.start]
    return Problem(shown, line, column, f"il file non è in UTF-8 (byte 0x{byte:02X}): salvalo con la codifica UTF-8")
