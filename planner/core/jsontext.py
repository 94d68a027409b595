"""JSON read as the standard defines it, by everything that reads a contract or fanout
(validate, check, and plan mode reading its previous contract)."""

from __future__ import annotations

import json
from typing import Any

from planner.core.findings import finding
from planner.core.text import one_line
from planner.model import Finding


class _JsonRefused(ValueError):
    """A JSON document that parses but that no writer of ours would write."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            # Two readers may keep different copies: one check, another action.
            raise _JsonRefused(f"the key '{one_line(key, 40)}' appears twice in one object")
        seen[key] = value
    return seen


def _no_constant(name: str) -> Any:
    raise _JsonRefused(f"{name} is not a JSON number")


def parse_json(text: str, name: str) -> tuple[Any, list[Finding]]:
    """JSON as the standard defines it: a key twice in one object, NaN and Infinity are
    refused (Python's reader takes them; other readers take them differently)."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constant), []
    except (ValueError, RecursionError) as exc:
        return None, [
            finding(
                "json-invalid",
                f"{name} is not valid JSON ({one_line(str(exc), 120)}); rewrite it whole.",
                file=name,
            )
        ]
