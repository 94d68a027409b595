"""How a boundary's evidence is written in the contract, shared by the passes that read
it (the fanout, the renderers) without loading the locator itself, which only a plan in a
repository needs."""

from __future__ import annotations

from typing import NamedTuple

from planner.model import DiffBoundary

CANDIDATE = "candidate: {}"
"""The evidence of a task held back: one of the files that match it best."""
NAMED_IN_TEXT = "named in the task's text"
"""The evidence of a boundary the task's text wrote (not a ``paths:`` hint): it is looked
up in the repository before it is handed out."""


class TaskContext(NamedTuple):
    """What surrounds a task in the request: its milestone's and parent's titles, and
    the lines the author wrote under it (its details, read as its criteria)."""

    milestone: str
    parent: str | None = None
    details: tuple[str, ...] = ()


def candidates(boundary: DiffBoundary) -> list[str]:
    """The candidates recorded for a task held back for want of a boundary."""
    prefix = CANDIDATE.format("")
    return [e.removeprefix(prefix) for e in boundary.evidence if e.startswith(prefix)]


def paths_line(boundary: DiffBoundary) -> str:
    """The nested line that hands out a task held back for want of a boundary: its best
    candidates, or a placeholder to fill in."""
    found = candidates(boundary)[:3]
    return f"- paths: {', '.join(found) or 'src/module/**'}"
