"""The draft: what the reader found in a request, before the planner fills in defaults.

Every field is as the author wrote it (or absent); nothing here is a default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from planner.core.text import visible
from planner.model import Finding, RiskClass

Source = Literal["fenced", "draft-file", "markdown", "fallback"]

# Sections whose entries are plain lists of text on the Draft of the same name.
LIST_SECTIONS = (
    "acceptance",
    "validation",
    "risks",
    "assumptions",
    "unknowns",
    "invariants",
    "out_of_scope",
)


@dataclass
class DraftTask:
    title: str
    line: int | None = None
    id: str | None = None
    done: bool = False
    objective: str | None = None
    role: str | None = None
    kind: str | None = None
    risk_class: RiskClass | None = None
    paths: list[str] | None = None
    max_diff_scope: int | None = None
    invariants: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    references: list[int] = field(default_factory=list)
    milestone: str | None = None
    # Spec Kit's "[P]" (may run in parallel) and "[US1]" (its user story); a nested
    # sub-task's parent title.
    parallel: bool = False
    story: str | None = None
    parent: str | None = None
    # A plain item that asks rather than says ("watch mode? maybe, if it's cheap"): an
    # open question about the work, not work yet.
    asks: bool = False
    # The numbers of the document's acceptance criteria the task meets ("(AC: #1, #3)",
    # as BMAD's story files write), for its own criteria.
    meets: list[int] = field(default_factory=list)
    # The plain lines the author wrote under the task (its acceptance holds them too, and
    # criteria it inherits): where the files it changes may be named.
    details: list[str] = field(default_factory=list)
    # The issue the line only names ("- [ ] #12"): the task is that issue's work, and
    # keeps its id across runs by that number whatever the issue's title reads.
    tracks: int | None = None


@dataclass
class DraftMilestone:
    title: str
    line: int | None = None
    id: str | None = None
    done: bool = False
    status: str | None = None
    outcome: str | None = None
    dependencies: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    risk_class: RiskClass | None = None
    max_diff_scope: int | None = None
    tasks: list[DraftTask] = field(default_factory=list)
    references: list[int] = field(default_factory=list)


@dataclass
class DraftDecision:
    question: str
    line: int | None = None
    id: str | None = None
    options: list[str] = field(default_factory=list)
    impact: RiskClass | None = None
    blocks: list[str] = field(default_factory=list)
    issue: str | None = None


@dataclass
class Draft:
    source: Source
    objective: str | None = None
    milestones: list[DraftMilestone] = field(default_factory=list)
    loose_tasks: list[DraftTask] = field(default_factory=list)
    decisions: list[DraftDecision] = field(default_factory=list)
    resolved_decisions: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    invariants: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def _texts(items: list[str]) -> list[str]:
    return [" ".join(str(i).split()) for i in items if str(i).strip() and visible(str(i))]


def tidy(draft: Draft) -> Draft:
    """Drop empty entries and blank strings, so every text the contract requires is
    non-empty whatever the request held."""
    for name in (*LIST_SECTIONS, "resolved_decisions"):
        setattr(draft, name, _texts(getattr(draft, name)))
    draft.objective = draft.objective if draft.objective and draft.objective.strip() else None
    for m in draft.milestones:
        m.title = " ".join(m.title.split()) or "untitled milestone"
        m.outcome = m.outcome if m.outcome and m.outcome.strip() else None
        for name in ("acceptance", "validation", "risks", "dependencies"):
            setattr(m, name, _texts(getattr(m, name)))
    for t in [*draft.loose_tasks, *(t for m in draft.milestones for t in m.tasks)]:
        t.title = " ".join(t.title.split()) or "untitled task"
        t.objective = t.objective if t.objective and t.objective.strip() else None
        for name in ("acceptance", "invariants", "depends_on"):
            setattr(t, name, _texts(getattr(t, name)))
    draft.decisions = [d for d in draft.decisions if d.question.strip()]
    for d in draft.decisions:
        d.options = _texts(d.options)
        d.blocks = _texts(d.blocks)
    return draft
