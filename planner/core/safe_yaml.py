"""YAML from untrusted text: PyYAML's safe loader, refusing aliases (no "billion
laughs") and nesting deeper than a limit, with errors that say what to change."""

from __future__ import annotations

from typing import Any

import yaml

from planner.core.text import one_line

MAX_DEPTH = 32


class YamlError(ValueError):
    """Text that is not usable YAML; the message says why."""


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise YamlError(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1}); "
                "write the value out in full"
            )
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlError(f"the YAML nests deeper than {MAX_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_yaml(text: str) -> Any:
    """The one YAML document in ``text``; a size limit is the caller's to apply."""
    try:
        loader = _BoundedLoader(text)  # its reader refuses some characters at once
    except yaml.YAMLError as exc:
        raise YamlError(f"it is not valid YAML: {one_line(str(exc), 200)}") from exc
    try:
        return loader.get_single_data()
    except RecursionError as exc:
        raise YamlError("the YAML nests too deeply") from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"it is not valid YAML: {one_line(str(exc), 200)}") from exc
    except YamlError:
        raise
    except ValueError as exc:  # a number YAML reads and Python refuses: 4,300 digits and more
        why = one_line(str(exc).split(":", 1)[0], 120)  # "month must be in 1..12"
        raise YamlError(f"it holds a value that cannot be read ({why})") from exc
    finally:
        loader.dispose()
