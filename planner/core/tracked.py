"""Tasks that only name another issue: ``- [ ] #12``, GitHub's own way of tracking an
issue in a task list. The work is written in that issue, not in the line. Planned with a
token, the shell reads each such issue's title and state (``PlanRequest.tracked``); the
task then takes the issue's title, and a closed issue is a done task, as GitHub's own
task list shows it. Without a token, or when the issue cannot be read, the line stays
as written (and is held back: nothing says what its work is, nor whether it is done).
Either way the task keeps its id by the issue's number."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from planner.core.blocks import fenced_spans
from planner.core.patterns import LazyPattern
from planner.core.read.draft import Draft, DraftTask
from planner.core.read.markup import heading_text, plain
from planner.core.text import one_line
from planner.model import TrackedIssue

# Most issues one run reads: a tracking issue of a few dozen is common, and each is an
# API call that anyone who can edit the request can ask for.
MAX_TRACKED = 50

# "#12", "#12.", "https://github.com/owner/name/issues/12" (or /pull/12), and nothing else.
_ONLY = LazyPattern(
    r"#(\d{1,7})[.)]?|(https?://[^\s/]{1,100}/[^\s/]{1,100}/[^\s/]{1,100})/(?:issues|pull)/(\d{1,7})/?"
)
# A list item's text: "- [ ] #12", "* #12", "1. #12".
_ITEM = LazyPattern(
    r"[ \t]{0,12}(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[([ xX])\][ \t]+)?(\S{1,400})[ \t]*"
)
_COMMENT = LazyPattern(r"<!--.*?(?:-->|\Z)", re.DOTALL)


def tracked_number(text: str, repository: str | None) -> int | None:
    """The issue ``text`` is only a reference to, in this repository (``repository``:
    its web URL, for links); None when it says more, or names another repository."""
    match = _ONLY.fullmatch(text.strip())
    if match is None:
        return None
    if match.group(1):
        return int(match.group(1)) or None
    if repository is None or match.group(2).lower() != repository.rstrip("/").lower():
        return None
    return int(match.group(3)) or None


def tracked_numbers(text: str, repository: str | None, planning: int) -> list[int]:
    """The issues ``text``'s list items only refer to, without repeats or the planning
    issue itself, outside code fences and HTML comments: the ones the shell reads before
    planning. Those on unticked lines first (a ticked one is done whatever it reads), each
    in order."""
    seen: dict[int, None] = {}
    ticked: dict[int, None] = {}
    text = _COMMENT.sub("", text)
    # The spans come in order and do not overlap, so one walk over lines and spans
    # together finds each line's place: linear in the body, however many fences it has.
    code = iter(fenced_spans(text))
    span = next(code, None)
    offset = 0
    for line in text.splitlines(keepends=True):
        at, offset = offset, offset + len(line)
        while span is not None and span[1] <= at:
            span = next(code, None)
        if span is not None and span[0] <= at:
            continue
        item = _ITEM.fullmatch(line.rstrip("\r\n"))
        number = tracked_number(item.group(2), repository) if item else None
        if item and number is not None and number != planning:
            (ticked if item.group(1) in ("x", "X") else seen)[number] = None
    return list(seen) + [n for n in ticked if n not in seen]


def fill_tracked(
    draft: Draft,
    tracked: Mapping[int, TrackedIssue],
    repository: str | None,
) -> list[str]:
    """Give each task that only names an issue (the first line naming it) that issue's
    title; a closed issue or pull request is done work, an open pull request a person's
    to review and merge, an issue closed as not planned no work at all (left out, and
    said). What is said among the assumptions."""
    seen: set[int] = set()
    said: list[str] = []
    dropped: set[int] = set()  # ids of the tasks left out
    for tasks, at, task in _places(draft):
        number = tracked_number(task.title, repository)
        if number is None or number in seen:
            continue
        seen.add(number)
        issue = tracked.get(number)
        title = issue.title.strip() if issue is not None else ""
        task.tracks = number
        task.references = list(dict.fromkeys([*task.references, number]))
        if issue is not None and issue.not_planned:
            dropped.add(id(task))
            said.append(f"#{number} was closed as not planned: left out of the plan.")
            continue
        if title:
            was, task.title = task.title, f"{one_line(heading_text(title), 200)} (#{number})"
            task.objective = plain(title)
            for part in tasks[at + 1 :]:  # its sub-tasks, below it, name it by its title
                if part.title == was:
                    break
                if part.parent == was:
                    part.parent = task.title
        if issue is not None and issue.pull_request and not issue.closed:
            task.kind = "ops"  # someone's change under review: merging it is a person's step
        task.done = task.done or (issue is not None and issue.closed)
    if dropped:
        _leave_out(draft, dropped)
    return said


def _leave_out(draft: Draft, gone: set[int]) -> None:
    draft.loose_tasks = [t for t in draft.loose_tasks if id(t) not in gone]
    for milestone in draft.milestones:
        milestone.tasks = [t for t in milestone.tasks if id(t) not in gone]


def _places(draft: Draft) -> Iterator[tuple[list[DraftTask], int, DraftTask]]:
    """Each task with the list it is in and its place there."""
    for tasks in (draft.loose_tasks, *(milestone.tasks for milestone in draft.milestones)):
        for at, task in enumerate(tasks):
            yield tasks, at, task
