"""Plain-text exports of issue trackers: a story per paragraph, its fields on the lines
under it, as Jira and Linear print them when an epic is copied out::

    Story: PAY-12 Refunds reach the customer's card
      Status: In Progress | Assignee: ana | Points: 5
      Blocked by: PAY-11
      Sub-task: PAY-15 Call the refund endpoint in `pay/refund.py` — Done
      Sub-task: PAY-16 Email the receipt [To Do]
      AC: A refund shows on the card within 5 days.

A story is a milestone; its sub-tasks are its tasks (the trailing status says whether
they are done), ``AC:`` / ``Acceptance criteria:`` lines (or the dash lines after a bare
``Acceptance criteria:``) its criteria, and ``Blocked by:`` / ``Depends on:`` the stories
it waits on. Other fields (status, assignee, points) are the tracker's, not the plan's.
A story needs its tracker key (``PAY-12``), so that prose such as "Story: users want
exports" stays prose. Each pattern runs over one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planner.core.patterns import LazyPattern
from planner.core.read.vocabulary import TRACKER_FIELDS, TRACKER_STATUSES

# "Story: PAY-12 Refunds ..." or "Story PAY-12: Refunds ..."; the key is the tracker's.
_STORY = LazyPattern(
    r"(?:user\s+)?story\s*(?::\s*([A-Z][A-Z0-9]{0,9}-\d{1,6})\b\s*[:.\-–—]?|"
    r"([A-Z][A-Z0-9]{0,9}-\d{1,6})\s*:)\s*(\S.*)",
    re.IGNORECASE,
)
# What every story's key holds ("PAY-12"): a cheap test before the story pattern.
_KEY_NUMBER = LazyPattern(r"-\d")
_FIELD = LazyPattern(r"([A-Za-z][A-Za-z -]{0,30}?)\s*:\s*(.*)")
# The status a tracker prints after an item: "— Done", "[In Progress]", "(To Do)", "| Done".
_STATUS = LazyPattern(r"\s*(?:[-–—|]\s*|\[\s*|\(\s*)([A-Za-z' ]{2,30}?)\s*[\])]?\s*$")
_BULLET = LazyPattern(r"[-*•]\s+(.*)")


@dataclass
class Entry:
    text: str
    line: int | None
    done: bool | None = None


@dataclass
class Story:
    """One story of an export: its title, and what its lines say."""

    title: str
    line: int | None
    tasks: list[Entry] = field(default_factory=list)
    criteria: list[Entry] = field(default_factory=list)
    waits_on: list[Entry] = field(default_factory=list)


def story_of(text: str, line: int | None) -> Story | None:
    """The story a paragraph opens with, and the fields on its other lines; None when
    its first line is no story of a tracker."""
    first, _, rest = text.partition("\n")
    keyed = len(first) <= 500 and _KEY_NUMBER.search(first) is not None
    opened = _STORY.fullmatch(first.strip()) if keyed else None
    if not opened:
        return None
    key = opened.group(1) or opened.group(2)
    story = Story(f"{key} {opened.group(3).strip()}", line)
    if rest:
        add_lines(story, rest, line + 1 if line is not None else None)
    return story


def continues(text: str) -> bool:
    """A paragraph that carries on the story before it (its lines are the story's fields
    after a blank line): it opens with a field the story knows."""
    found = _FIELD.fullmatch(text.partition("\n")[0].strip())
    return found is not None and TRACKER_FIELDS.get(_key(found.group(1))) is not None


def add_lines(story: Story, text: str, line: int | None) -> None:
    """The story's fields, one a line; a bare ``Acceptance criteria:`` takes the dash
    lines after it."""
    listing = False
    for offset, raw in enumerate(text.split("\n")):
        where = line + offset if line is not None else None
        stripped = raw.strip()
        bullet = _BULLET.fullmatch(stripped)
        if listing and bullet:
            story.criteria.append(Entry(bullet.group(1).strip(), where))
            continue
        listing = False
        found = _FIELD.fullmatch(stripped) if len(stripped) <= 2000 else None
        kind = TRACKER_FIELDS.get(_key(found.group(1))) if found else None
        if found is None or kind is None:
            continue  # "Status: To Do | Assignee: ana", a description line
        value = found.group(2).strip()
        if kind == "task" and value:
            entry = _with_status(value, where)
            if entry is not None:
                story.tasks.append(entry)
        elif kind == "acceptance":
            if value:
                story.criteria.append(Entry(value, where))
            else:
                listing = True
        elif kind == "depends" and value:
            story.waits_on.append(Entry(value, where))


def _key(name: str) -> str:
    return " ".join(name.lower().split())


def _with_status(value: str, line: int | None) -> Entry | None:
    """``Add x — Done`` -> done; ``Add y [To Do]`` -> open; None for a task given up
    (``Won't Do``, ``Cancelled``)."""
    status = _STATUS.search(value)
    state = TRACKER_STATUSES.get(_key(status.group(1))) if status else None
    if status is None or state is None:
        return Entry(value, line, False)
    if state == "dropped":
        return None
    return Entry(value[: status.start()].strip(), line, state == "done")
