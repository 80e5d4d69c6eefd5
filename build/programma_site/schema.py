"""Validate parsed files against the JSON Schema (the package's, or the project's programma/schema), in Italian."""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import fastjsonschema
from jsonschema import Draft202012Validator, SchemaError, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

from . import shape
from .defaults import SCHEMA, overlay
from .problems import Problem, describe, display
from .shape import wrong_type
from .yamlsource import Document

IDENTITY = {"$schema", "$id", "title", "description"}  # a referenced file's own, not its checks
ANNOTATIONS = {"$ref", "title", "description", "$comment"}
REFERENCES = {"$ref", "$dynamicRef", "$anchor", "$dynamicAnchor", "$defs"}  # relative to their own file
# Keywords fastjsonschema checks as draft 2020-12 does (`items` only as one schema, see _equivalent).
# Any other (`dependentRequired`, `prefixItems`, `format`, `$ref`, an unknown one) means jsonschema alone.
EQUIVALENT = frozenset(
    {"type", "properties", "required", "additionalProperties", "items", "enum", "const", "pattern"}
    | {"minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minimum", "maximum"}
    | {"title", "description", "$comment", "$schema", "$id", "not", "anyOf", "allOf", "oneOf"}
)
SUBSCHEMA = {"additionalProperties", "items", "not"}
SUBSCHEMA_LISTS = {"anyOf", "allOf", "oneOf"}
SCHEMA_NOT_JSON = "il file dello schema non è JSON valido: controlla virgole, virgolette e parentesi"
SLUG_HINT = "usa solo lettere minuscole senza accenti, cifre e trattini, per esempio «ambiente-salute»"


@cache
def validator(schema_dir: Path, name: str) -> Draft202012Validator:
    """The validator for one schema file; references to its sibling files are inlined, or else resolvable.

    Raises SchemaFileError when a schema file is missing, unreadable, not JSON or not a JSON Schema.
    """
    schemas = _schemas(schema_dir)
    if name not in schemas:
        raise SchemaFileError(Problem(display(schema_dir / name), 1, 1, "file dello schema mancante"))
    registry: Registry[Any] = Registry().with_resources(
        (name_, Resource.from_contents(schema)) for name_, schema in schemas.items()
    )
    return Draft202012Validator(_inline(schemas[name], schemas, frozenset({name})), registry=registry)


class SchemaFileError(Exception):
    """A schema file the programme cannot be checked against, as a problem naming that file."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def _schemas(schema_dir: Path) -> dict[str, Any]:
    """The package's schemas, each replaced by the project's namesake in `schema_dir` (defaults.overlay)."""
    return {name: _schema_file(path) for name, path in overlay(schema_dir, SCHEMA, "*.schema.json").items()}


def _schema_file(path: Path) -> Any:
    shown = display(path)
    try:
        schema = json.loads(path.read_bytes().decode("utf-8"))
    except json.JSONDecodeError as error:
        raise SchemaFileError(Problem(shown, error.lineno, error.colno, SCHEMA_NOT_JSON)) from error
    except UnicodeDecodeError as error:
        raise SchemaFileError(Problem(shown, 1, 1, "il file dello schema non è in UTF-8")) from error
    except OSError as error:
        raise SchemaFileError(Problem(shown, 1, 1, f"non si può leggere il file dello schema{_why(error)}")) from error
    if not isinstance(schema, dict):
        raise SchemaFileError(Problem(shown, 1, 1, "il file dello schema deve contenere un oggetto JSON: {…}"))
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = describe(tuple(error.absolute_path)) or "radice"
        message = f"non è uno JSON Schema valido: regola «{error.validator}» in «{where}»"
        raise SchemaFileError(Problem(shown, 1, 1, message)) from error
    return schema


def _why(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return " (permesso negato)"
    return " (è una cartella)" if isinstance(error, IsADirectoryError) else ""


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
def passes(schema_dir: Path, name: str) -> Callable[[Any], bool] | None:
    """A compiled yes-or-no check of the same schema, about 13 times faster than jsonschema; None if unproven.

    Almost every file is valid, so this answers for most of them; jsonschema runs only on a
    file this rejects, to report all its errors with their paths in Italian. fastjsonschema reads
    a 2020-12 schema by older drafts' rules, so it is used only on schemas whose every keyword
    means the same under both (EQUIVALENT) and with no reference left to resolve.
    """
    schema = validator(schema_dir, name).schema
    if not _equivalent(schema):
        return None
    compiled = fastjsonschema.compile(cast(dict[str, Any], schema))

    def valid(data: Any) -> bool:
        try:
            compiled(data)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return valid


def _equivalent(node: Any) -> bool:
    """Whether `node` and every schema inside it use only keywords in EQUIVALENT (so no `$ref`)."""
    if isinstance(node, bool):
        return True
    if not isinstance(node, dict) or not set(node) <= EQUIVALENT:
        return False
    inner = [node[key] for key in SUBSCHEMA & set(node)]
    inner += [item for key in SUBSCHEMA_LISTS & set(node) for item in node[key]]
    inner += list(node.get("properties", {}).values())
    return all(map(_equivalent, inner))


def check(document: Document, schema_dir: Path, name: str) -> list[Problem]:
    """Every way the document breaks its schema, each pointed at the value concerned.

    A schema file that cannot be used is one problem naming that file.
    """
    try:
        errors = _errors(document.data, schema_dir, name)
    except SchemaFileError as error:
        return [error.problem]
    except Unresolvable as error:
        return [Problem(display(schema_dir / name), 1, 1, f"riferimento dello schema non trovato: «{error.ref}»")]
    if errors:
        return [problem for error in errors for problem in _problems(document, error)]
    # A project's schema may be looser than what the model is built from: that is checked too.
    return shape.check(document, name) if name in shape.SHAPES else []


def _errors(data: Any, schema_dir: Path, name: str) -> list[ValidationError]:
    fast = passes(schema_dir, name)
    if fast is not None and fast(data):
        return []
    return list(validator(schema_dir, name).iter_errors(data))


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
        return wrong_type(value, limit)
    if keyword == "pattern" and limit == "\\S":  # the text pattern: only blanks
        keyword = "minLength"
    template = MESSAGES.get(keyword, "valore non valido per la regola «{keyword}» dello schema")
    return template.format(value=value, limit=limit, keyword=keyword)
