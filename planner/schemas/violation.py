"""The exception the generated validators (``validators/``) raise when a document fails
its schema. It takes the arguments of fastjsonschema's own, so the generated code can
raise it: checking a document then imports nothing of fastjsonschema (its package loads
the code generators of every draft, about 2 ms of each run), which is needed only to
generate the validators."""

from __future__ import annotations

import re
from typing import Any

_PATH_PARTS = re.compile(r"[.\[\]]+")


class JsonSchemaValueException(ValueError):
    """Where and why a document fails its schema, as the generated validator found it:
    ``name`` is the place, written ``data.milestones[0].id``."""

    def __init__(
        self,
        message: str,
        value: Any = None,
        name: str | None = None,
        definition: Any = None,
        rule: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule

    @property
    def path(self) -> list[str]:
        """``name`` in parts: ``["data", "milestones", "0", "id"]``."""
        return [part for part in _PATH_PARTS.split(self.name or "") if part]


class JsonSchemaValuesException(ValueError):
    """Several failures at once; the validators are generated to stop at the first, so
    it is only named by their imports."""

    def __init__(self, errors: list[JsonSchemaValueException]) -> None:
        super().__init__(errors)
        self.errors = errors
