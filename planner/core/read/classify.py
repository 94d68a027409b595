"""Pass 2: each outline section gets a role, from its title and where it stands.

Besides the vocabulary's roles (objective, tasks, acceptance, notes, ...) a section
can be a ``milestone`` (a phase, stage, step, release or milestone heading, or a
child of a Milestones section), a ``task`` (a heading that is itself a task:
``### [x] Add ...`` or ``### 2. Board layout`` under a task section), a ``group``
(a sub-heading inside a milestone that gathers some of its tasks) or ``detail``
(what is written under a task heading). Not-work sections pass their role on to
sub-sections that name no role of their own. A milestone heading over milestone
headings ("Epic 1" > "Phase 1.1") is a Milestones group, and the one H1 over the
whole document is its title even when it reads like a milestone ("# Sprint 42 plan").
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX
from planner.core.read.markup import heading_text, plain, states_work
from planner.core.read.names import milestone_like
from planner.core.read.outline import Item, ItemList, Outline, Paragraph, Section, Table, walk
from planner.core.read.tasks import tasks_from_table
from planner.core.read.vocabulary import (
    ROLE_TABLE,
    is_acknowledgement,
    named,
    normalize,
    role_of,
    runbook_stage,
)
from planner.core.text import code_locations, word_count

# The last word of a heading that names a plan of work rather than its milestones.
_PLAN_WORD = LazyPattern(rf"\b(?:{LEX.plan_word})$")
# The last word of a heading that places work in time; a table of steps under it is work.
_TIME_WORD = LazyPattern(rf"\b(?:{LEX.time_word})$")
_ASIDE_ROLES = frozenset({"notes", "out_of_scope", "risks", "decisions", "unknowns"})
# "### [x] Add the parser", "### 2. Board layout", and a story of an epic ("### Story 1.2:
# Search stations", as BMAD's epics file writes them).
_TASK_HEADING = LazyPattern(
    rf"\[[ xX]\]\s+\S|\d{{1,3}}[.)]\s+\S|(?:{LEX.story_noun})\s*\d{{1,3}}(?:\.\d{{1,3}})?\s*:",
    re.IGNORECASE,
)
_LIST_ROLES = frozenset(
    {
        "objective",
        "risks",
        "validation",
        "out_of_scope",
        "assumptions",
        "unknowns",
        "decisions",
        "dependencies",
        "invariants",
        "outcome",
    }
)


def task_heading(title: str) -> bool:
    return _TASK_HEADING.match(heading_text(title)) is not None


def _role(section: Section, parent: str | None, table: Mapping[str, str]) -> str | None:
    if section.stated:
        return section.stated
    title = heading_text(section.title)
    known = role_of(title, table)
    explicit = not section.label and milestone_like(section.title)
    if parent is None:
        # "Release notes", "10.5 Appendix" and "Week 1 recap" name what they are,
        # whatever their first word.
        if explicit and not _aside(title, known, table):
            return "milestone"
        return known
    if parent == "milestones":
        if known or section.label:
            return known
        if not explicit and not _holds_work(section):
            return "notes"  # prose between the phases ("Ranking: we prefer ...")
        return "milestone"
    if parent == "milestone":
        if explicit and not _aside(title, known, table):
            return "milestone"  # "## Epic 1" > "### Phase 1.1": the phases are the milestones
        if known == "objective":
            # "### Objective: faster search" over a checklist holds work, not an outcome.
            return "group" if _has_checklist(section) else "outcome"
        if (
            known == "notes"
            and section.label
            and not named(title, table)
            and _has_checklist(section)
        ):
            # "**⚠️ Blocks all user stories**" over the phase's checklist is a remark on
            # the phase, not a Notes section (as an alert's "> [!TIP]" is): the checklist
            # is still its work.
            return "group"
        if known:
            return known
        if not section.label and task_heading(section.title):
            return "task"
        return None if section.label else "group"
    if parent in ("tasks", "group"):
        if explicit:
            return "milestone"
        if not section.label and task_heading(section.title):
            return "task"
        return known or ("group" if not section.label else parent)
    if parent == "acceptance":
        return known or "acceptance"  # "Success criteria" > "Phase 1: …": its criteria
    if parent in ("task", "detail"):
        return "detail"
    if parent == "notes":
        return known if known and known != "objective" else "notes"
    if parent in _LIST_ROLES:
        return known or parent
    return known


def _aside(title: str, known: str | None, table: Mapping[str, str]) -> bool:
    """A heading that starts like a milestone but names something that is no work:
    the whole of it ("Release notes"), or its last word when nothing separates a
    milestone name from a title ("Week 1 recap", but not "Phase 5: Release notes")."""
    if named(title, table) or known == "out_of_scope":  # "Phase 4 (not in v1)"
        return True
    return known in _ASIDE_ROLES and not re.search(r"[:(]|\s[-–—]\s", title)


def _list_of_steps(section: Section) -> bool:
    """A plan or roadmap section whose list holds steps of work: no item is titled as a
    milestone ("Phase 1: ...", "v1.2 — ...") and not every item heads a list of its own
    work; a section that says "Milestones" or "Phases" means its items as milestones."""
    if not _PLAN_WORD.search(normalize(heading_text(section.title))):
        return False
    if any(child.role == "milestone" for child in section.children):
        return False
    items = [
        item for block in section.blocks if isinstance(block, ItemList) for item in block.items
    ]
    if not items:
        return _has_work_table(section)  # | When | Step | Owner | Status |
    if any(milestone_like(item.text) and not _checked_step(item) for item in items):
        return False
    return not all(_heads_work(item) for item in items)


def _heads_work(item: Item) -> bool:
    """An item over work of its own: a plain item over any list, a checkbox over a
    checklist. A checkbox over plain bullets is a task and its details ("- [ ] 2. Add the
    middleware" over "- Return 429 ..." and "- _Requirements: 2.1_", as Kiro writes)."""
    if not item.children:
        return False
    return item.checked is None or any(child.checked is not None for child in item.children)


def _checked_step(item: Item) -> bool:
    """ "- [ ] 2.1 Create the model": a checkbox numbered as a step of an outline (Kiro's
    tasks.md), not a release "2.1"."""
    return item.checked is not None and _STEP_NUMBER.match(plain(item.text)) is not None


_STEP_NUMBER = LazyPattern(r"\d{1,3}(?:\.\d{1,3})+\.?\s")


def _holds_work(section: Section) -> bool:
    return bool(section.children) or any(
        isinstance(block, ItemList | Table)
        or (isinstance(block, Paragraph) and states_work(block.text))
        for block in section.blocks
    )


def _assign(sections: list[Section], parent: str | None, table: Mapping[str, str]) -> None:
    for section in sections:
        section.role = _role(section, parent, table)
        # A label line inside a milestone speaks for that milestone; its children
        # (none, as labels are leaves) need no context.
        _assign(section.children, section.role, table)
        if section.role == "milestones" and any(
            child.role == "milestones" for child in section.children
        ):
            # "# Migration Roadmap" > "## Migration Phases" > "### Phase 1": the phases
            # are the milestones; the roadmap's other sections ("## Benefits", "## Example
            # PR sequence") are about them, not milestones of their own.
            for child in section.children:
                if child.role == "milestone" and not milestone_like(child.title):
                    child.role = "notes"
                    _assign(child.children, "notes", table)
        if (
            section.role == "milestone"
            and any(child.role == "milestone" for child in section.children)
            and not any(isinstance(block, ItemList | Table) for block in section.blocks)
        ):
            # A milestone heading over milestones of its own ("Epic 1" > "Phase 1.1",
            # "Phase 1.2") groups them, as a Milestones section does.
            section.role = "milestones"
            _assign(section.children, "milestones", table)
            if not any(
                child.role == "milestone" and milestone_like(child.title)
                for child in section.children
            ):
                # "Phase 7" > "#### Week 1 Tasks": read as a group, its milestone-like
                # child is a task list after all; the phase stays the milestone, its
                # children what the group read them as (its work, its notes), and a
                # part that only holds a list ("#### Industry Standards Applied") a part
                # of the phase, not a milestone.
                section.role = "milestone"
                for child in section.children:
                    if child.role == "milestone":
                        child.role = "group"
                        _assign(child.children, "group", table)
                    elif child.role == "objective":  # "**Goal:** …" is the phase's outcome
                        child.role = "group" if _has_checklist(child) else "outcome"
        elif (section.role == "milestones" and _list_of_steps(section)) or (
            section.role == "notes"
            and _TIME_WORD.search(normalize(heading_text(section.title)))
            and _has_work_table(section)
        ):
            # "## Plan" over "- [ ] Write the parser", "- [ ] Add the button": the steps
            # of one piece of work, not milestones with nothing of their own to hand out.
            # A timeline's table of steps (``| When | Step | Status |``) is work too.
            section.role = "tasks"
            _assign(section.children, "tasks", table)


def _document_title(outline: Outline) -> Section | None:
    """The one top-level heading over the whole document ("# Sprint 42 plan", "# Q3
    OKRs") is its title even when it reads like a milestone: what stands under it is
    read as if it stood at the top."""
    if len(outline.sections) != 1:
        return None
    top = outline.sections[0]
    if top.level != 1 or top.label or not top.children:
        return None
    # "# Tasks: add-csv-export" over "## 1. Export service", "## 2. API" (OpenSpec's
    # tasks.md), "# Implementation Tasks: Search" over its phases, whose checklists may
    # stand in parts of their own: the document's name, over the groups that hold the work.
    names_file = role_of(heading_text(top.title).split(":", 1)[0], ROLE_TABLE) == "tasks"
    holds = sum(1 for child in top.children if any(map(_has_checklist, walk([child])))) > 1
    if not milestone_like(top.title) and not (names_file and ":" in top.title and holds):
        return None
    return top


def _has_checklist(section: Section) -> bool:
    """A checklist of work: not acknowledgements ("I have searched ..."), not the
    options of an issue form's multi-select ("Linux", "macOS")."""
    return any(
        isinstance(block, ItemList)
        and any(
            item.checked is not None
            and (word_count(item.text) >= 3 or bool(item.children))  # an option has none
            and not is_acknowledgement(plain(item.text))
            for item in block.items
        )
        for block in section.blocks
    )


def _set_aside_lists_of_no_work(milestone: Section, table: Mapping[str, str]) -> None:
    """In a milestone that keeps its work in checklists, an untitled part whose plain
    lists state no work and name no code ("### Kickoff impressions": "- Standups ran
    long") is a note; where the milestone has no checklist, plain lists are its work."""
    parts = [child for child in milestone.children if child.role == "group"]
    listed = [child for child in milestone.children if child.role in ("group", "tasks")]
    if not (_has_checklist(milestone) or any(_has_checklist(part) for part in listed)):
        return
    for part in parts:
        if not _may_hold_work(part):
            part.role = "notes"
            _assign(part.children, "notes", table)


def _may_hold_work(section: Section) -> bool:
    found = [b for b in section.blocks if isinstance(b, ItemList | Table)]
    return (
        not found
        or bool(section.children)
        or _has_checklist(section)
        or _has_work_table(section)
        or any(
            states_work(item.text) or code_locations(plain(item.text))
            for block in found
            if isinstance(block, ItemList)
            for item in block.items
        )
    )


def _has_work_table(section: Section) -> bool:
    """A table whose header names the work (``| Item | Status |``), as a status board
    keeps one of its parts beside checklists of the others."""
    return any(isinstance(block, Table) and tasks_from_table(block) for block in section.blocks)


_FEATURE_LIST = LazyPattern(rf"(?:{LEX.feature_list})")


def classify(outline: Outline, table: Mapping[str, str] = ROLE_TABLE) -> Outline:
    """Set ``role`` on every section of the outline (in place) and return it."""
    title = _document_title(outline)
    if title is not None:
        title.role = None
        _assign(title.children, None, table)
    else:
        _assign(outline.sections, None, table)
    flat = walk(outline.sections)
    # Sections of no known role that hold a checklist (or a table of work) are milestones
    # of a roadmap ("Dashboard", "Localization", ...) when the document has other
    # milestones or several such sections; one alone is just where the task list stands.
    for section in flat:
        if section.role == "milestone":
            _set_aside_lists_of_no_work(section, table)
    # "## Prep", "## Procedure": the stages of a runbook, where it has two or more.
    stages = [
        s
        for s in flat
        if s.role in (None, "tasks")
        and not s.label
        and runbook_stage(heading_text(s.title)) is not None
    ]
    if len(stages) > 1:
        for section in stages:
            section.role = "milestone"
            _assign(section.children, "milestone", table)
    loose = [
        s
        for s in flat
        if s.role is None and not s.label and (_has_checklist(s) or _has_work_table(s))
    ]
    has_milestones = any(s.role == "milestone" for s in flat)
    if loose and (has_milestones or len(loose) > 1):
        for section in loose:
            section.role = "milestone"
            _assign(section.children, "milestone", table)
    for section in flat:
        if (
            section.role == "tasks"
            and _says_notes(section)
            and not (_has_checklist(section) or _has_work_table(section))
        ):
            # "## Key Implementation Notes" over "1. **No API key**: …": notes on how,
            # unless it holds a checklist of work.
            section.role = "notes"
            _assign(section.children, "notes", table)
    top = title.children if title is not None else outline.sections
    # The top, and under a heading of no role that holds the rest ("# PRD: Export").
    top = [*top, *(c for s in top if s.role is None for c in s.children)]
    features = [s for s in top if s.role == "tasks" and _names_features(s)]
    if features and any(
        s.role in ("milestone", "milestones", "tasks") and s not in features for s in flat
    ):
        # A PRD's "Core Features" beside its roadmap says what the product will do; the
        # roadmap holds the work that does it. (Where the features are the only list of
        # work, or stand inside a milestone, they are the work.)
        for section in features:
            section.role = "notes"
            _assign(section.children, "notes", table)
    return outline


def _says_notes(section: Section) -> bool:
    """A heading of work whose last word names notes ("Implementation details")."""
    words = normalize(heading_text(section.title)).split()
    return len(words) > 1 and role_of(words[-1]) == "notes"


def _names_features(section: Section) -> bool:
    return _FEATURE_LIST.fullmatch(normalize(heading_text(section.title))) is not None
