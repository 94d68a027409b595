"""Tasks that only name another issue: ``- [ ] #12``, GitHub's own way of tracking an
issue in a task list. The work is written in that issue, not in the line. Planned with a
token, the shell reads each such issue's title and state (``PlanRequest.tracked``); the
task then takes the issue's title, and a closed issue is a done task, as GitHub's own
task list shows it. Without a token the line stays as written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from planner.core.patterns import LazyPattern
from planner.core.read.draft import Draft, DraftTask
from planner.core.read.markup import heading_text, plain
from planner.core.text import one_line
from planner.model import Task, TrackedIssue

# Most issues one run reads: a tracking issue of a few dozen is common, and each is an
# API call that anyone who can edit the request can ask for.
MAX_TRACKED = 50

# "#12", "#12.", "https://github.com/owner/name/issues/12" (or /pull/12), and nothing else.
_ONLY = LazyPattern(
    r"#(\d{1,7})[.)]?|(https?://[^\s/]{1,100}/[^\s/]{1,100}/[^\s/]{1,100})/(?:issues|pull)/(\d{1,7})/?"
)
# A list item's text: "- [ ] #12", "* #12", "1. #12".
_ITEM = LazyPattern(r"[ \t]{0,12}(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?(\S{1,400})[ \t]*")


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
    """The issues ``text``'s list items only refer to, in order, without repeats or the
    planning issue itself: the ones the shell reads before planning (at most
    ``MAX_TRACKED``)."""
    seen: dict[int, None] = {}
    for line in text.splitlines():
        item = _ITEM.fullmatch(line)
        number = tracked_number(item.group(1), repository) if item else None
        if number is not None and number != planning:
            seen[number] = None
            if len(seen) == MAX_TRACKED:
                break
    return list(seen)


def fill_tracked(draft: Draft, tracked: Mapping[int, TrackedIssue], repository: str | None) -> None:
    """Give each task that only names a tracked issue that issue's title, and tick it
    when the issue is closed."""
    if not tracked:
        return
    for task in _tasks(draft):
        number = tracked_number(task.title, repository)
        issue = tracked.get(number) if number is not None else None
        if number is None or issue is None or not issue.title.strip():
            continue
        task.title = f"{one_line(heading_text(issue.title), 200)} (#{number})"
        task.objective = plain(issue.title)
        task.references = list(dict.fromkeys([*task.references, number]))
        task.done = task.done or issue.closed


def _tasks(draft: Draft) -> Iterator[DraftTask]:
    yield from draft.loose_tasks
    for milestone in draft.milestones:
        yield from milestone.tasks


def tracked_tasks(tasks: Iterable[Task], tracked: Mapping[int, TrackedIssue]) -> dict[str, int]:
    """The tasks that took a tracked issue's title (task id -> issue number): their
    sub-issue is that issue."""
    found: dict[str, int] = {}
    for task in tasks:
        for number in task.references:
            if number in tracked and task.title.endswith(f"(#{number})"):
                found[task.id] = number
    return found
