"""Validate parsed files against the JSON Schema (the package's, or the project's programma/schema), in Italian."""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import marshal
import os
import re
import sys
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any, cast

import fastjsonschema
import jinja2
from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource

from .defaults import schemas as read_schemas
from .problems import Problem
from .render import bytecode_cache
from .yamlsource import Document

TYPES = {
    "string": "un testo",
    "integer": "un numero intero",
    "array": "un elenco (voci che iniziano con «- »)",
    "object": "un gruppo di campi (nome: valore)",
    "boolean": "true o false",
    "null": "nessun valore",
}
IDENTITY = {"$schema", "$id", "title", "description"}  # a referenced file's own, not its checks
ANNOTATIONS = {"$ref", "title", "description", "$comment"}
REFERENCES = {"$ref", "$dynamicRef", "$anchor", "$dynamicAnchor", "$defs"}  # relative to their own file
FIRST_FUNCTION = re.compile(r"^def (\w+)\(", re.MULTILINE)
SLUG_HINT = "usa solo lettere minuscole senza accenti, cifre e trattini, per esempio «ambiente-salute»"


@cache
def validator(schema_dir: Path, name: str) -> Draft202012Validator:
    """The validator for one schema file; references to its sibling files are inlined, or else resolvable."""
    schemas = read_schemas(schema_dir)
    registry: Registry[Any] = Registry().with_resources(
        (name_, Resource.from_contents(schema)) for name_, schema in schemas.items()
    )
    return Draft202012Validator(_inline(schemas[name], schemas, frozenset({name})), registry=registry)


def _inline(node: Any, schemas: dict[str, Any], within: frozenset[str]) -> Any:
    """The schema with each `$ref` to a sibling file replaced by that file's keywords.

    Same checks, same error keywords and paths, but no reference to resolve for every text of
    the programme: that resolution was a third of the validation time.
    """
    if isinstance(node, list):
        return [_inline(item, schemas, within) for item in node]
    if not isinstance(node, dict):
        return node
    own = {key: _inline(value, schemas, within) for key, value in node.items()}
    target = own.get("$ref")
    if isinstance(target, str) and target in schemas and target not in within:
        return _merge(own, schemas, within | {target})
    return own


def _merge(own: dict[str, Any], schemas: dict[str, Any], within: frozenset[str]) -> dict[str, Any]:
    """`own` with its `$ref` merged in; unchanged when merging could change a check (the registry resolves it)."""
    target = _inline(schemas[own["$ref"]], schemas, within)
    keywords = {key: value for key, value in target.items() if key not in IDENTITY}
    if set(keywords) & (set(own) - ANNOTATIONS) or REFERENCES & set(_keys(target)):
        return own
    return {**keywords, **{key: value for key, value in own.items() if key != "$ref"}}


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


@cache
def passes(schema_dir: Path, name: str) -> Callable[[Any], bool]:
    """A compiled yes-or-no check of the same schema, about 13 times faster than jsonschema.

    Almost every file is valid, so this answers for most of them; jsonschema runs only on a
    file this rejects, to report all its errors with their paths in Italian.
    """
    try:
        compiled = _compiled(cast(dict[str, Any], validator(schema_dir, name).schema))
    except fastjsonschema.JsonSchemaDefinitionException:  # a $ref it cannot follow: jsonschema alone
        return lambda data: False

    def valid(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return valid


def _compiled(schema: dict[str, Any]) -> Callable[[Any], Any]:
    """fastjsonschema's check for `schema`, its generated Python compiled once and kept.

    Compiling that code (about 100 kB for the three schemas) was two thirds of loading the real
    programme in a fresh process. It is kept, marshalled, next to Jinja's compiled templates, in a
    folder only this user can write, keyed by the code's hash and the Python version.
    """
    source = fastjsonschema.compile_to_code(schema)
    namespace: dict[str, Any] = {}
    exec(_code(source), namespace)  # the module fastjsonschema.compile would build, from its own source
    entry = FIRST_FUNCTION.search(source)  # the schema's own check; those of its references follow
    if entry is None:
        raise fastjsonschema.JsonSchemaDefinitionException("no function in the generated code")
    return cast(Callable[[Any], Any], namespace[entry.group(1)])


def _code(source: str) -> CodeType:
    key = hashlib.sha256(f"{sys.implementation.cache_tag}\n{source}".encode()).hexdigest()
    path = Path(cast(jinja2.FileSystemBytecodeCache, bytecode_cache()).directory) / f"programma-schema-{key}.marshal"
    try:
        return cast(CodeType, marshal.loads(path.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):
        code = compile(source, "<fastjsonschema>", "exec")
    with contextlib.suppress(OSError):  # a cache that cannot be written only costs time
        scratch = path.with_suffix(f".{os.getpid()}")
        scratch.write_bytes(marshal.dumps(code))
        scratch.replace(path)
    return code


def check(document: Document, schema_dir: Path, name: str) -> list[Problem]:
    """Every way the document breaks its schema, each pointed at the value concerned."""
    if passes(schema_dir, name)(document.data):
        return []
    errors = validator(schema_dir, name).iter_errors(document.data)
    return [problem for error in errors for problem in _problems(document, error)]


def _problems(document: Document, error: ValidationError) -> Iterator[Problem]:
    location = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        yield from _unknown_keys(document, error)
    elif error.validator == "required":
        for field in _missing(error):
            yield document.problem(location, f"manca il campo obbligatorio «{field}»")
    else:
        yield document.problem(location, _message(error))


def _unknown_keys(document: Document, error: ValidationError) -> Iterator[Problem]:
    known = sorted(cast(Any, error.schema).get("properties", {}))
    for key in sorted(set(cast(dict[str, Any], error.instance)) - set(known)):
        close = difflib.get_close_matches(key, known, n=1)
        hint = f": forse intendevi «{close[0]}»?" if close else f"; i campi ammessi sono: {', '.join(known)}"
        yield document.problem((*error.absolute_path, key), f"campo sconosciuto «{key}»{hint}", key=True)


def _missing(error: ValidationError) -> list[str]:
    """Missing fields, less those already explained as a misspelt key (`tetso` for `testo`)."""
    required: list[str] = cast(Any, error.validator_value)
    instance: dict[str, Any] = cast(Any, error.instance)
    extras = [key for key in instance if key not in cast(Any, error.schema).get("properties", {})]
    misspelt = {match for key in extras for match in difflib.get_close_matches(key, required, n=1)}
    return [field for field in required if field not in instance and field not in misspelt]


MESSAGES = {
    "minLength": "il testo è vuoto: scrivi il testo o togli il campo",
    "pattern": "«{value}» non è un identificativo valido: " + SLUG_HINT,
    "minItems": "l'elenco è vuoto: serve almeno una voce",
    "uniqueItems": "l'elenco contiene voci ripetute: ognuna va scritta una volta sola",
    "minimum": "il numero deve essere almeno {limit}",
}


def _message(error: ValidationError) -> str:
    """One Italian sentence for each schema keyword the programme schemas use."""
    value, limit, keyword = error.instance, cast(Any, error.validator_value), str(error.validator)
    if keyword == "type":
        return _wrong_type(value, limit)
    if keyword == "pattern" and limit == "\\S":  # the text pattern: only blanks
        keyword = "minLength"
    template = MESSAGES.get(keyword, "valore non valido per la regola «{keyword}» dello schema")
    return template.format(value=value, limit=limit, keyword=keyword)


def _wrong_type(value: Any, expected: str) -> str:
    if value is None:
        return f"il campo è vuoto: serve {TYPES[expected]}"
    found = "un testo" if isinstance(value, str) else TYPES.get(_json_type(value), "un valore")
    quoted = f" («{value}»)" if isinstance(value, str | int) and not isinstance(value, bool) else ""
    return f"serve {TYPES[expected]}, trovato {found}{quoted}"


def _json_type(value: Any) -> str:
    kinds = ((bool, "boolean"), (int, "integer"), (str, "string"), (list, "array"), (dict, "object"))
    return next(kind for python_type, kind in kinds if isinstance(value, python_type))
