"""Done from merged work (PRODUCT.md §12, step 4), on GitHub: the merged task's checkbox
ticked in the planning issue (that line only, and only while the body still reads as it
did) and its sub-issue closed with a link to the pull request."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from planner.action.effects import task_marker
from planner.action.events import MergedPull
from planner.action.github import GitHubError, GitHubPort, written_by
from planner.core.done import tick_line
from planner.core.findings import finding
from planner.model import Finding, Issue, Severity


@dataclass
class Marked:
    """What marking a task done did: the planning issue's body to plan from now on (the
    ticked one, or the one someone else wrote meanwhile), what was done, the findings."""

    body: str
    done: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _failed(what: str, exc: GitHubError) -> Finding:
    # As for the plan's own side effects (Calls.severity).
    severity: Severity = "warning" if exc.skippable else "error"
    return finding(
        "github-side-effect",
        f"Not done: {what}. {exc} The plan was still made.",
        severity=severity,
    )


def mark_done(
    port: GitHubPort,
    issue: Issue,
    task_id: str,
    line: int | None,
    merged: MergedPull,
    tracked: Collection[int] = (),
) -> Marked:
    """Tick ``task_id``'s box on ``line`` of the planning issue and close its sub-issue
    (never one of ``tracked``, the issues the plan's tasks track: the pull request's
    'Fixes #12' closes those).

    The issue is read again right before the write and left alone when its body changed
    since ``issue`` was read: a person's edit is never overwritten (a warning says to
    tick the box by hand)."""
    n = issue.number
    marked = Marked(body=issue.body)
    ticked = tick_line(issue.body, line) if line is not None else None
    if ticked is None:
        marked.findings.append(
            finding(
                "done-not-ticked",
                f"Task {task_id} was merged in #{merged.number}, but #{n} has no unticked "
                "checkbox for it to tick (a task from a draft, or a box ticked already). "
                "It counts as done in this run's plan; tick it in the issue to keep it so.",
                task=task_id,
            )
        )
    else:
        try:
            current = port.get_issue(n).body
            if current != issue.body:
                marked.body = current
                marked.findings.append(
                    finding(
                        "done-not-ticked",
                        f"Task {task_id} was merged in #{merged.number}, but #{n} was edited "
                        "while the planner read it, so its box was not ticked and nothing was "
                        "overwritten. It counts as done in this run's plan; tick it in the "
                        "issue to keep it so.",
                        task=task_id,
                    )
                )
            else:
                port.edit_issue(n, body=ticked)
                marked.body = ticked
                marked.done.append(f"ticked {task_id} in #{n}")
        except GitHubError as exc:
            marked.findings.append(_failed(f"ticking {task_id} in #{n}", exc))
    _close_sub_issue(port, n, task_id, merged, marked, tracked)
    return marked


def close_sub_issue(
    port: GitHubPort, n: int, task_id: str, merged: MergedPull, tracked: Collection[int] = ()
) -> Marked:
    """Close the open sub-issue of a task found done already (what a failed run left)."""
    marked = Marked(body="")
    _close_sub_issue(port, n, task_id, merged, marked, tracked)
    return marked


def _close_sub_issue(
    port: GitHubPort,
    n: int,
    task_id: str,
    merged: MergedPull,
    marked: Marked,
    tracked: Collection[int],
) -> None:
    """Close the task's sub-issue: an open one with its marker that the planner opened,
    never one a task tracks nor one anyone else wrote that marker into."""
    marker = task_marker(n, task_id)
    try:
        me = port.account()
        subs = [
            s
            for s in port.list_sub_issues(n)
            if marker in s.body
            and s.state == "open"
            and s.number not in tracked
            and written_by(s.author, me)
        ]
        for sub in subs:
            link = f" ({merged.url})" if merged.url.startswith("https://") else ""
            port.create_comment(sub.number, f"Done: merged in #{merged.number}{link}.")
            port.edit_issue(sub.number, state="closed")
            marked.done.append(f"closed sub-issue #{sub.number} of {task_id}")
    except GitHubError as exc:
        marked.findings.append(_failed(f"closing the sub-issue of {task_id}", exc))
