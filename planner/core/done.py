"""Done from merged work (PRODUCT.md §12, step 4), the pure part: the planning issue's
body with one task's checkbox ticked, and the tasks a merge made ready."""

from __future__ import annotations

import re

from planner.model import Fanout

# A task list item's unticked box: the list marker (after any indentation or quote
# markers), one space, "[ ]". Only this box, on this line, is ever changed.
_OPEN_BOX = re.compile(r"^((?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+)\[ \]")


def tick_line(body: str, line: int) -> str | None:
    """``body`` with the task box on its 1-based ``line`` ticked and every other byte
    (line ends included) kept; None when that line holds no unticked task box."""
    lines = body.splitlines(keepends=True)
    if not 1 <= line <= len(lines):
        return None
    text = lines[line - 1]
    match = _OPEN_BOX.match(text)
    if match is None:
        return None
    lines[line - 1] = f"{match.group(1)}[x]{text[match.end() :]}"
    return "".join(lines)


def handed_out(fanout: Fanout | None) -> frozenset[str]:
    """The tasks a plan's matrix hands out: its fanout's first wave."""
    return frozenset(t.id for t in fanout.tasks if t.wave == 1) if fanout else frozenset()
