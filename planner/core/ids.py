"""Ids for milestones, tasks and decisions: the ones the request gives when they are
usable, and generated ones (``M3``, ``M1-T2``, ``D1``) for the rest, never clashing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from planner.core.findings import finding
from planner.core.read import DraftMilestone, DraftTask
from planner.core.text import one_line
from planner.model import Finding

_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def is_valid_id(text: str | None) -> bool:
    """Letters, digits, ``.``, ``_`` and ``-``; 1 to 64 of them."""
    return bool(text) and set(text or "") <= _ID_CHARS and len(text or "") <= 64


def fill_ids(wanted: Sequence[str | None], prefix: str, taken: set[str]) -> list[str]:
    """``wanted`` with each None replaced by the next ``<prefix><n>`` not in ``taken``
    (upper case), counting up from 1."""
    ids: list[str] = []
    counter = 0
    for given in wanted:
        if given is None:
            counter += 1
            while f"{prefix}{counter}".upper() in taken:
                counter += 1
            given = f"{prefix}{counter}"
            taken.add(given.upper())
        ids.append(given)
    return ids


def milestone_ids(
    drafts: Sequence[DraftMilestone], used: frozenset[str] = frozenset()
) -> tuple[list[str], list[Finding]]:
    """One id per milestone: its own when valid and unused, else ``M<n>`` never ``used``
    before in the plan (upper case)."""
    findings: list[Finding] = []
    taken: set[str] = set()
    wanted: list[str | None] = []
    for d in drafts:
        mid = d.id
        if mid is not None and not is_valid_id(mid):
            findings.append(
                finding(
                    "request-bad-id",
                    f"Milestone id '{one_line(mid, 40)}' may hold only letters, digits, "
                    "'.', '_' and '-'; a generated id was used instead.",
                    line=d.line,
                )
            )
            mid = None
        if mid is not None and mid.upper() in taken:
            findings.append(
                finding(
                    "graph-duplicate-id",
                    fix="The second got a generated id; give every milestone its own id.",
                    what="Milestone",
                    id=mid,
                    line=d.line,
                )
            )
            mid = None
        if mid is not None:
            taken.add(mid.upper())
        wanted.append(mid)
    return fill_ids(wanted, "M", taken | used), findings


def task_ids(
    tasks: Sequence[DraftTask],
    milestone: str,
    kept: frozenset[str] = frozenset(),
    used: frozenset[str] = frozenset(),
) -> tuple[list[str], list[Finding]]:
    """One id per task of a milestone: its own when valid and unused, always starting
    ``<milestone>-``, else ``<milestone>-T<n>`` never ``used`` before in the plan; an id
    ``kept`` from the previous plan stays as it is, wherever the task moved."""
    findings: list[Finding] = []
    taken: set[str] = set()
    wanted: list[str | None] = []
    for t in tasks:
        tid = t.id or None
        if tid and tid not in kept and not tid.upper().startswith(f"{milestone.upper()}-"):
            tid = f"{milestone}-{tid}"
        if tid and (not is_valid_id(tid) or tid.upper() in taken):
            findings.append(
                finding(
                    "graph-duplicate-id",
                    shape="or-invalid",
                    fix="A generated id was used instead.",
                    what="Task",
                    id=one_line(tid, 40),
                    milestone=milestone,
                    line=t.line,
                )
            )
            tid = None
        if tid:
            taken.add(tid.upper())
        wanted.append(tid)
    return fill_ids(wanted, f"{milestone}-T", taken | used), findings


def decision_ids(given: Sequence[str | None], used: Iterable[str] = ()) -> list[str]:
    """One id per decision: its own when valid and no milestone's or task's (``used``),
    else ``D<n>`` never used (no finding: a decision's id is rarely written by hand)."""
    others = {u.upper() for u in used}
    wanted = [g if g and is_valid_id(g) and g.upper() not in others else None for g in given]
    return fill_ids(wanted, "D", others | {g.upper() for g in wanted if g})
