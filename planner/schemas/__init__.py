"""The JSON Schemas generated from ``planner.model``, loading the committed copies, and
checking data against them."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema

from planner.core.text import one_line
from planner.model import SCHEMA_MODELS, Finding, Location


def generate(name: str) -> dict[str, Any]:
    """The schema for ``contract``, ``fanout`` or ``config``, generated from the models."""
    _, model, mode = SCHEMA_MODELS[name]
    schema = model.model_json_schema(mode=mode)
    ordered = {"$schema": schema.pop("$schema"), "$id": schema.pop("$id")}
    ordered.update(schema)
    return ordered


def render(name: str) -> str:
    return json.dumps(generate(name), indent=2, ensure_ascii=False) + "\n"


def file_name(name: str) -> str:
    return SCHEMA_MODELS[name][0]


@cache
def load(name: str) -> dict[str, Any]:
    """The committed schema file shipped in the package."""
    text = resources.files(__package__).joinpath(file_name(name)).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _relax(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _relax(value)
            for key, value in node.items()
            if key not in ("required", "minItems", "minLength", "default", "const")
        }
    if isinstance(node, list):
        return [_relax(value) for value in node]
    return node


@cache
def draft_schema() -> dict[str, Any]:
    """The contract's schema with nothing required: the shape of a partial draft.

    Present fields keep their types, enums and ``additionalProperties: false``,
    so a typo in a draft is caught with its path.
    """
    schema = _relax(copy.deepcopy(load("contract")))
    schema["$id"] = "https://planner-action.dev/schemas/planning-draft.schema.json"
    relaxed: dict[str, Any] = schema
    return relaxed


# ------------------------------------------------------------------------------ checking


@dataclass(frozen=True)
class SchemaError:
    """One way a document fails its schema: where (the keys and indexes leading there)
    and why."""

    path: tuple[str | int, ...]
    message: str

    @property
    def pointer(self) -> str:
        """Where, as an RFC 6901 JSON Pointer."""
        return json_pointer(self.path)


def json_pointer(parts: Iterable[str | int]) -> str:
    """``["roadmap", "milestones", 0]`` -> ``/roadmap/milestones/0`` (``~`` and ``/`` in a
    key escaped as RFC 6901 says)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _schema(name: str) -> dict[str, Any]:
    return draft_schema() if name == "draft" else load(name)


# Nodes (objects, arrays and values) from which compiling the schema pays: walking it
# costs about 6 µs a node, compiling it about 30 ms once per process.
COMPILE_FROM = 5_000


@cache
def _compiled(name: str) -> Callable[[Any], Any]:
    # Compiled from a copy: fastjsonschema rewrites each "$ref" it resolves in place.
    # Defaults are never filled in (the data is checked, not changed) and, as with
    # jsonschema's default, "format" is an annotation only.
    validate: Callable[[Any], Any] = fastjsonschema.compile(
        copy.deepcopy(_schema(name)), use_default=False, use_formats=False
    )
    return validate


@cache
def _walker(name: str) -> Any:
    """jsonschema's validator for ``name``, with "pattern" read as ECMA-262 reads it (and
    as the compiled validator does): "$" is the end of the text, never the place before
    a final newline, so "M1\\n" is not an id."""
    from jsonschema import Draft202012Validator, ValidationError, validators

    def pattern(validator: Any, regex: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not _ecma_regex(regex).search(instance):
            yield ValidationError(f"{instance!r} does not match {regex!r}")

    extend: Any = validators.extend
    return extend(Draft202012Validator, {"pattern": pattern})(_schema(name))


@cache
def _ecma_regex(regex: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", regex))


def _at_least(data: Any, count: int) -> bool:
    """Whether ``data`` holds ``count`` nodes or more, counting no further."""
    stack = [data]
    while stack:
        count -= 1
        if count <= 0:
            return True
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


def schema_errors(name: str, data: Any, compiled: bool | None = None) -> list[SchemaError]:
    """Every way ``data`` fails the schema ``name`` (``contract``, ``fanout``, ``config``
    or ``draft``), in document order; empty when it is valid.

    A large document (``COMPILE_FROM`` nodes or more; ``compiled`` forces the choice) is
    checked in one pass by a validator compiled from the schema once per process:
    fastjsonschema turns the schema into plain Python, and a 20,000-task contract takes
    0.15 s against 3 s for walking the schema. Only when that check fails is the document
    walked by jsonschema, which lists every error where the compiled validator stops at
    the first. A small document is walked at once: cheaper than compiling.
    """
    first = None
    if compiled if compiled is not None else _at_least(data, COMPILE_FROM):
        try:
            _compiled(name)(data)
        except fastjsonschema.JsonSchemaValueException as exc:
            first = exc
        else:
            return []
    found = sorted(_walker(name).iter_errors(data), key=lambda e: list(e.absolute_path))
    if found or first is None:
        return [SchemaError(tuple(e.absolute_path), e.message) for e in found]
    # The two disagree (a case neither library documents): report what the compiled
    # validator found rather than call the document valid.
    path = tuple(first.path or [])[1:]  # its first part names the document ("data")
    return [SchemaError(path, first.message)]


def schema_findings(name: str, data: Any, file: str | None = None) -> list[Finding]:
    """A ``<name>-schema`` error for each way ``data`` fails its committed JSON Schema,
    located by JSON Pointer (and by ``file`` when given)."""
    return [
        Finding(
            rule=f"{name}-schema",
            severity="error",
            message=f"{name} fails its JSON Schema at {e.pointer or '(top level)'}: "
            f"{one_line(e.message, 300)}",
            location=Location(file=file, pointer=e.pointer),
        )
        for e in schema_errors(name, data)
    ]
