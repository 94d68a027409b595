"""Milestones given as a table that names the requirements each one delivers, as a
product requirements document writes them::

    ## Requirements
    - **R1** Download the week's jobs on every start.
    - **R2** Keep drafts in `app/db.ts`.

    ## Milestones
    | # | Milestone     | Scope                          | Status |
    |---|---------------|--------------------------------|--------|
    | M1 | Local storage | R2 + move the in-memory drafts | Done   |
    | M2 | Prefetch      | R1                             |        |

Each row is a milestone; its scope cell, split at ``;`` and ``+``, holds requirements
named by id (``R2``, ``FR-3``, ``R4–R6``) or by number (``Requirements 1, 3``), which
become its tasks, and work of its own ("move the in-memory drafts"). A requirement a
milestone delivers is its work, not a criterion of the whole. Each pattern runs over
one cell or one item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from planner.core.patterns import LazyPattern
from planner.core.read import hints
from planner.core.read.draft import DraftMilestone, DraftTask
from planner.core.read.lex import LEX
from planner.core.read.markup import done_marked, heading_text, plain, status_emoji
from planner.core.read.outline import Item, ItemList, Outline, Section, Table
from planner.core.read.tasks import task_from_item
from planner.core.read.vocabulary import DONE_MARKS, normalize
from planner.core.text import issue_refs, one_line
from planner.model import Finding

# "**R1** Download ...", "R1: ...", "[FR-2] ...": an item that opens with its id.
_ITEM_ID = LazyPattern(r"(?:\*\*|__)?\[?([A-Z]{1,4}-?\d{1,3})\]?(?:\*\*|__)?[:.)]?\s+(?=\S)")
_ID = LazyPattern(r"\b([A-Z]{1,4})-?(\d{1,3})\b(?:\s*(?:–|—|-|to)\s*(?:\1-?)?(\d{1,3})\b)?")
_BY_NUMBER = LazyPattern(
    rf"\b(?:{LEX.requirement_noun})\s+#?(\d{{1,3}}(?:\s*(?:,|and|&|–|-)\s*#?\d{{1,3}}){{0,20}})",
    re.IGNORECASE,
)
_PARTS = LazyPattern(r";|\s\+\s|<br\s*/?>", re.IGNORECASE)
_MILESTONE_HEADERS = frozenset({"milestone", "milestones", "phase", "stage", "release", "name"})
_SCOPE_HEADERS = frozenset(
    {
        "scope",
        "contents",
        "content",
        "deliverables",
        "includes",
        "requirements",
        "features",
        "work",
        "what",
        "what ships",
    }
)
_TEXT_HEADERS = frozenset({"requirement", "requirements", "description", "summary", "title"})
_ID_HEADERS = frozenset({"#", "id", "no", "no.", "nr", "nr."})
_STATUS_HEADERS = frozenset({"status", "state", "done", "progress"})


@dataclass
class Requirements:
    """The document's requirements by id (``R1``) and by number (``#3``), and the items
    a milestone table has taken as its work."""

    items: dict[str, Item] = field(default_factory=dict)
    claimed: set[str] = field(default_factory=set)


def requirements_of(outline: Outline) -> Requirements:
    """Every list item that opens with an id, and the numbered items of a Requirements
    section (``## 4. Requirements`` and what stands under it)."""
    found = Requirements()

    def visit(sections: list[Section], numbered: bool) -> None:
        for section in sections:
            inside = numbered or "requirement" in normalize(heading_text(section.title))
            for block in section.blocks:
                if isinstance(block, Table):
                    _table_rows(block, found)
                if not isinstance(block, ItemList):
                    continue
                for item in block.items:
                    named = _ITEM_ID.match(item.text)
                    if named:
                        found.items.setdefault(_key(named.group(1)), item)
                    elif inside and item.number is not None:
                        found.items.setdefault(f"#{item.number}", item)
            visit(section.children, inside)

    visit(outline.sections, False)
    return found


def _table_rows(table: Table, found: Requirements) -> None:
    """``| ID | Requirement |``: each row whose id cell is an id, as an item."""
    header = [normalize(heading_text(cell)) or cell.strip() for cell in table.header]
    ids = next((i for i, h in enumerate(header) if h in _ID_HEADERS), None)
    text = next((i for i, h in enumerate(header) if h in _TEXT_HEADERS), None)
    if ids is None or text is None:
        return
    for row in table.rows:
        if max(ids, text) >= len(row):
            continue
        line = f"{row[ids].strip()} {row[text].strip()}"
        named = _ITEM_ID.match(line)
        if named and named.group(1) == row[ids].strip() and row[text].strip():
            found.items.setdefault(_key(named.group(1)), Item(line, table.line, None))


def _key(name: str) -> str:
    return name.upper().replace("-", "")


def is_milestone_table(table: Table) -> bool:
    header = [normalize(heading_text(cell)) for cell in table.header]
    return any(h in _MILESTONE_HEADERS for h in header) and any(h in _SCOPE_HEADERS for h in header)


def milestones_from_table(
    findings: list[Finding], table: Table, requirements: Requirements
) -> list[DraftMilestone]:
    """A milestone per row of a milestone table; its scope cell gives its tasks."""
    header = [normalize(heading_text(cell)) for cell in table.header]
    name = next(i for i, h in enumerate(header) if h in _MILESTONE_HEADERS)
    scope = next(i for i, h in enumerate(header) if h in _SCOPE_HEADERS)
    given_ids = [cell.strip().lower() for cell in table.header]  # "#" is no word to normalise
    number = next((i for i, h in enumerate(given_ids) if h in _ID_HEADERS), None)
    status = next((i for i, h in enumerate(header) if h in _STATUS_HEADERS), None)
    out: list[DraftMilestone] = []
    for row in table.rows:
        cells = [*row, *[""] * (len(header) - len(row))]
        if not cells[name].strip():
            continue
        text, done = done_marked(cells[name])
        milestone_id, title = hints.split_milestone_id(plain(text, keep_targets=False))
        given = cells[number].strip() if number is not None else ""
        if re.fullmatch(r"[Mm]?\d{1,4}", given):
            milestone_id = f"M{int(given.lstrip('Mm'))}"
        if status is not None:
            state = cells[status]
            done = (
                done
                or done_marked(f"x ({state.strip().lower()})")[1]
                or any(mark in state for mark in DONE_MARKS)
                or bool(status_emoji(state, circles=True))
            )
        milestone = DraftMilestone(
            title=one_line(title, 200) or "untitled milestone",
            line=table.line,
            id=milestone_id,
            done=done,
            references=issue_refs(text),
        )
        milestone.tasks = _scope(findings, cells[scope], requirements, table.line)
        for task in milestone.tasks:
            task.done = task.done or done
        out.append(milestone)
    return out


def _scope(
    findings: list[Finding], cell: str, requirements: Requirements, line: int | None
) -> list[DraftTask]:
    tasks: list[DraftTask] = []
    for part in _PARTS.split(cell):
        part = part.strip(" ,.")
        keys = _named(part)
        named = [key for key in keys if key in requirements.items]
        if keys and not _ID.sub("", part).strip(" ,&+–—-") and not named:
            continue  # ids of requirements the document does not list: nothing to hand out
        if named:
            for key in named:
                item = requirements.items[key]
                requirements.claimed.add(plain(item.text))
                tasks.extend(task_from_item(findings, item))
        elif len(part.split()) >= 2:
            tasks.append(
                DraftTask(title=one_line(plain(part), 200), objective=plain(part), line=line)
            )
    return tasks


def _named(part: str) -> list[str]:
    """``R1, R3`` -> [R1, R3]; ``R4–R6`` -> [R4, R5, R6]; ``Requirements 1, 3`` -> [#1, #3]."""
    keys: list[str] = []
    for found in _ID.finditer(part):
        prefix, first, last = found.group(1), int(found.group(2)), found.group(3)
        end = int(last) if last and int(last) - first < 50 else first
        keys.extend(f"{prefix}{n}" for n in range(first, max(first, end) + 1))
    for found in _BY_NUMBER.finditer(part):
        for piece in re.split(r",|and|&", found.group(1)):
            ends = [int(n) for n in re.findall(r"\d{1,3}", piece)]
            if ends:
                last = ends[-1] if ends[-1] - ends[0] < 50 else ends[0]
                keys.extend(f"#{n}" for n in range(ends[0], max(ends[0], last) + 1))
    return keys
