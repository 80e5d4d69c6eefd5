"""Read one YAML file into plain data plus the line and column of every value.

Only what a programme needs is accepted: mappings, lists, text, whole numbers,
true/false and null. Anything YAML could turn into something else (dates, times,
floats, `no` as a boolean, objects built from tags) stays text or is refused,
and every refusal is a Problem, never an exception. So are invisible control
characters, written raw or as escapes, and nesting deeper than any programme needs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
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
from .safefile import read_bytes
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
# C0 and C1 controls, DEL, surrogates, the non-characters U+FFFE/U+FFFF and the line and paragraph
# separators (YAML counts those as line breaks, so every later line:column would be off).
CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029"
RAW_CONTROL = re.compile(f"[{CONTROL}]")  # tab, newline and carriage return end lines or indent
VALUE_CONTROL = re.compile(f"[{CONTROL}\r]")  # in a value, only an escape (\r) can make a carriage return
# Of each kind per file: a file indented with tabs, or a binary one, would be thousands of problems,
# each located by counting lines from the start (80,000 tabbed lines once took 16 s).
MAX_REPORTED = 10
MAX_DIGITS = 18  # far beyond any number a programme holds; Python refuses past 4300
# The programme's files nest four levels; fifty leaves room and keeps every recursion far from its limit.
MAX_DEPTH = 50
# libyaml (0.2.5) has no nesting limit, and PyYAML's C composer recurses on the C stack: some
# 25,000 levels crash the process. A file that may nest past 1,000 levels (500 flow levels, plus
# two block levels per column of a 250-column line start) is first walked without recursion.
FLOW_SAFE = 500
BLOCK_SAFE = re.compile(r"\n[ \t?:-]{250}")  # searched in "\n" + text: ten times faster than ^ and MULTILINE
TOO_DEEP = f"elenchi e gruppi di campi annidati oltre {MAX_DEPTH} livelli: togli i livelli in più"
RESOLVED = {  # the plain scalars that are not text, YAML 1.2 core schema style
    "int": (re.compile(r"^[-+]?[0-9]+$"), "-+0123456789"),
    "bool": (re.compile(r"^(?:true|false)$"), "tf"),
    "null": (re.compile(r"^(?:~|null|)$"), ["~", "n", ""]),
}


class _Composer(Parser, BaseResolver):  # type: ignore[misc]
    """A composer that resolves plain scalars the YAML 1.2 way: `no` and `12:30` stay text."""


for _tag, (_pattern, _first) in RESOLVED.items():
    _Composer.add_implicit_resolver(TAG_PREFIX + _tag, _pattern, list(_first))


@dataclass(frozen=True)
class Document:
    """A parsed file: its data, and the composed nodes that know where each value starts.

    Positions are looked up only when a problem needs one, by walking the nodes: recording a
    mark for every value up front cost a fifth of the load time and is almost never read.
    """

    file: str
    data: Any
    root: Node
    # Each mapping's keys, indexed when a problem first points inside it: scanning them for every
    # problem took 3.4 s for a file of 20,000 unknown keys, and grew as their square.
    keys: dict[int, dict[Any, tuple[Node, Node]]] = field(default_factory=dict, compare=False, repr=False)

    def position(self, location: Location, key: bool = False) -> tuple[int, int]:
        """The line and column of a location (of its key, if asked), or of its nearest enclosing value."""
        node, key_node = self.root, None
        for part in location:
            found = self._child(node, part)
            if found is None:
                key_node = None
                break
            key_node, node = found
        mark = (key_node if key and key_node is not None else node).start_mark
        return mark.line + 1, mark.column + 1

    def problem(self, location: Location, message: str, key: bool = False) -> Problem:
        line, column = self.position(location, key)
        return Problem(self.file, line, column, message, describe(location))

    def _child(self, node: Node, part: str | int) -> tuple[Node | None, Node] | None:
        """The (key node, value node) that `part` names inside `node`, if there is one."""
        if isinstance(node, MappingNode):
            if id(node) not in self.keys:
                self.keys[id(node)] = {k.value: (k, v) for k, v in reversed(node.value)}  # the first of a key wins
            return self.keys[id(node)].get(part)
        if isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            return None, node.value[part]
        return None


class _Refused(Exception):
    """One reason to refuse a whole file; carries where it points (a node, or a parser mark)."""

    def __init__(self, node: Node | None, message: str, mark: yaml.Mark | None = None) -> None:
        super().__init__(message)
        self.mark = node.start_mark if node is not None else mark
        self.message = message


def read(path: Path, shown: str) -> Document | list[Problem]:
    """Read a file; return its Document, or the problems that stop it being read."""
    raw = read_bytes(path)
    if isinstance(raw, str):
        return [Problem(shown, 1, 1, raw)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [_not_utf8(raw, error, shown)]
    return parse(text, shown)


def parse(text: str, shown: str) -> Document | list[Problem]:
    """Parse YAML text already decoded; `shown` is the path used in messages."""
    problems = [_tab_problem(text, match.end(), shown) for match in islice(TAB_INDENT.finditer(text), MAX_REPORTED)]
    problems += [
        _control_problem(text, found.start(), shown) for found in islice(RAW_CONTROL.finditer(text), MAX_REPORTED)
    ]
    node = problems or _node(text, shown)
    if isinstance(node, list):
        return node
    builder = _Builder(shown)
    try:
        data = builder.build(node)
    except _Refused as refused:
        return [_refused_problem(refused, shown)]
    return builder.problems or Document(shown, data, node)


def _node(text: str, shown: str) -> Node | list[Problem]:
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as error:
        return [_syntax_problem(error, shown)]
    except yaml.YAMLError as error:  # no position: the checks before parsing leave the reader nothing to refuse
        return [Problem(shown, 1, 1, italian(str(error)))]
    except _Refused as refused:
        return [_refused_problem(refused, shown)]
    return node or [Problem(shown, 1, 1, "il file è vuoto: deve contenere i campi descritti nello schema")]


def _compose(text: str) -> Node | None:
    """The file's node tree; nesting past MAX_DEPTH is refused before PyYAML's recursive composer sees it."""
    if _may_nest_deep(text):
        _refuse_deep(_composer(text))
    try:
        return cast(Node | None, _composer(text).get_single_node())
    except RecursionError:  # PyYAML's pure-Python composer, without libyaml
        raise _Refused(None, TOO_DEEP) from None


def _composer(text: str) -> Any:
    return _Composer(text)  # type: ignore[call-arg]


def _may_nest_deep(text: str) -> bool:
    """Whether the file could nest past 1,000 levels: each flow level needs its own `[` or `{`,
    and each block level a deeper indent or one more `- `, `? ` or `: ` before the line's content."""
    return text.count("[") + text.count("{") > FLOW_SAFE or BLOCK_SAFE.search("\n" + text) is not None


def _refuse_deep(parser: Any) -> None:
    """Walk the parser's events, which libyaml makes without recursion, and refuse nesting past MAX_DEPTH."""
    depth = 0
    while (event := parser.get_event()) is not None:
        depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
        if depth > MAX_DEPTH:
            raise _Refused(None, TOO_DEEP, event.start_mark)


class _Builder:
    """Turn composed nodes into plain data, refusing what editors never need.

    A wrong structure stops the file (_Refused); a control character in a text is one more
    problem, so that every text that has one is reported at once.
    """

    def __init__(self, shown: str) -> None:
        self.seen: set[int] = set()
        self.shown = shown
        self.problems: list[Problem] = []

    def build(self, node: Node, depth: int = 0) -> Any:
        if id(node) in self.seen:  # an alias: refusing it also defuses "billion laughs"
            raise _Refused(node, "alias e ancore YAML (& e *) non sono ammessi: scrivi il testo per intero")
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if depth >= MAX_DEPTH:
            raise _Refused(node, TOO_DEEP)
        if isinstance(node, MappingNode):
            return self._mapping(node, depth + 1)
        self._check_tag(node, "seq")
        return [self.build(item, depth + 1) for item in node.value]

    def _mapping(self, node: MappingNode, depth: int) -> dict[str, Any]:
        self._check_tag(node, "map")
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self._key(key_node, result)
            result[key] = self.build(value_node, depth)
        return result

    def _key(self, node: Node, taken: Mapping[str, Any]) -> str:
        if not isinstance(node, ScalarNode) or not isinstance(key := self._scalar(node), str):
            raise _Refused(node, "ogni chiave deve essere un nome di campo, per esempio «testo:»")
        if key in taken:
            raise _Refused(node, f"la chiave «{key}» è ripetuta: ogni campo va scritto una volta sola")
        return key

    def _scalar(self, node: ScalarNode) -> Any:
        tag, value = self._check_tag(node, *SCALAR_TAGS), node.value
        if tag in RESOLVED and not RESOLVED[tag][0].fullmatch(value):  # only an explicit tag gets here
            raise _Refused(
                node, f"«{value}» non va bene per il tag YAML «!!{tag}»: togli il tag e scrivi il valore semplice"
            )
        if tag == "int":
            return self._integer(node)
        if tag == "bool":
            return value == "true"
        if tag == "null":
            return None
        if node.style == '"' and (found := VALUE_CONTROL.search(value)):  # the raw text was checked
            mark = node.start_mark
            written = "scritto con «\\» tra virgolette doppie"
            message = f"il testo contiene {_character(found.group())}, non ammesso ({written}): toglilo"
            self.problems.append(Problem(self.shown, mark.line + 1, mark.column + 1, message))
        return value

    @staticmethod
    def _integer(node: ScalarNode) -> int:
        digits = len(node.value.lstrip("+-"))
        if digits > MAX_DIGITS:
            raise _Refused(node, f"il numero ha {digits} cifre: ne sono ammesse al massimo {MAX_DIGITS}")
        return int(node.value)

    @staticmethod
    def _check_tag(node: Node, *allowed: str) -> str:
        tag = node.tag.removeprefix(TAG_PREFIX)
        if tag not in allowed:
            shown = node.tag.replace(TAG_PREFIX, "!!")
            raise _Refused(node, f"il tag YAML «{shown}» non è ammesso: togli il tag e scrivi il valore semplice")
        return tag


def _tab_problem(text: str, end: int, shown: str) -> Problem:
    line, column = _position(text, end - 1)
    return Problem(shown, line, column, "rientro con il tasto Tab: in YAML si rientra solo con gli spazi")


def _control_problem(text: str, index: int, shown: str) -> Problem:
    line, column = _position(text, index)
    return Problem(shown, line, column, f"il file contiene {_character(text[index])}, non ammesso: cancellalo")


def _character(char: str) -> str:
    return f"il carattere invisibile U+{ord(char):04X}"


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column (from 1) of the character at `index`, counted as YAML counts them."""
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def _refused_problem(refused: _Refused, shown: str) -> Problem:
    line, column = (refused.mark.line + 1, refused.mark.column + 1) if refused.mark else (1, 1)
    return Problem(shown, line, column, refused.message)


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
