"""Done from merged work (PRODUCT.md §12, step 4), the pure part: the planning issue's
body with one task's checkbox ticked, and the tasks a merge made ready."""

from __future__ import annotations

from planner.core.patterns import LazyPattern
from planner.model import Fanout

# A task list item's unticked box: the list marker (after any indentation or quote
# markers), one space, "[ ]". Only this box, on this line, is ever changed.
_OPEN_BOX = LazyPattern(r"^((?:[ \t]*>)*[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+)\[ \]")
# Line breaks as the Markdown parser counts them (so as the reader numbers lines): not
# str.splitlines, which also breaks at U+2028, form feeds and other separators.
_LINE_BREAK = LazyPattern(r"(\r\n|\r|\n)")


def tick_line(body: str, line: int) -> str | None:
    """``body`` with the task box on its 1-based ``line`` ticked and every other byte
    (line ends included) kept; None when that line holds no unticked task box."""
    parts = _LINE_BREAK.split(body)  # text, break, text, break, ..., text
    at = 2 * (line - 1)
    if not 1 <= line or at >= len(parts):
        return None
    match = _OPEN_BOX.match(parts[at])
    if match is None:
        return None
    parts[at] = f"{match.group(1)}[x]{parts[at][match.end() :]}"
    return "".join(parts)


def handed_out(fanout: Fanout | None) -> frozenset[str]:
    """The tasks a plan's matrix hands out: its fanout's first wave."""
    return frozenset(t.id for t in fanout.tasks if t.wave == 1) if fanout else frozenset()
