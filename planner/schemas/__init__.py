"""The JSON Schemas generated from ``planner.model``, and loading the committed copies."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from planner.model import SCHEMA_MODELS


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
