"""The hidden markers by which the planner finds again what it wrote on GitHub, and the
quoting of untrusted text that keeps such text from closing or forging one."""

from __future__ import annotations

from planner.action.github import IssueInfo
from planner.core.text import markdown_inline


def decision_marker(issue: int, decision_id: str) -> str:
    return f"<!-- planner-decision: {issue}/{decision_id} -->"


LINK_PREFIX = "<!-- planner-decision-link: "


def link_marker(issue: int, named: int) -> str:
    """The hidden marker of the comment that links existing issue ``named`` to the
    decisions of planning issue ``issue`` that name it: one comment a plan, whichever
    decisions name it and whatever their ids."""
    return f"{LINK_PREFIX}{issue}/#{named} -->"


def comment_marker(issue: int) -> str:
    return f"<!-- planner-summary: {issue} -->"


def task_marker(issue: int, task_id: str) -> str:
    return f"<!-- planner-task: {issue}/{task_id} -->"


def safe_text(text: str, limit: int = 2000) -> str:
    """Untrusted text quoted into an issue or comment: no mentions, no HTML (so no
    marker can be closed or forged), one line."""
    return markdown_inline(text, limit)


def by_marker(issues: list[IssueInfo], prefix: str) -> dict[str, IssueInfo]:
    """Issues by the id in their hidden marker (``<!-- planner-…: N/<id> -->``)."""
    found: dict[str, IssueInfo] = {}
    for info in issues:
        for key in ids_in(info.body, prefix):
            found[key] = info
    return found


def ids_in(body: str, prefix: str) -> list[str]:
    """The ids of the markers starting with ``prefix`` in ``body``, in order."""
    found: list[str] = []
    start = body.find(prefix)
    while start >= 0:
        end = body.find(" -->", start)
        if end < 0:
            break
        found.append(body[start + len(prefix) : end].strip())
        start = body.find(prefix, end)
    return found
