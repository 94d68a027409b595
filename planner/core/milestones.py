"""The milestones from the draft: loose tasks placed, then each milestone with its
tasks, outcome, acceptance, validation, risk class, diff scope and status, with
defaults where the request says nothing, each default recorded as an assumption."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import NamedTuple

from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.progress import Progress
from planner.core.read import Draft, DraftMilestone, DraftTask
from planner.core.tasks import build_tasks
from planner.core.text import one_line
from planner.model import (
    Config,
    ContractDefaults,
    Finding,
    Milestone,
    RiskClass,
    Task,
    max_risk,
)


class Placed(NamedTuple):
    milestones: list[DraftMilestone]
    """The draft's milestones (or one from the title), each with its loose tasks."""
    assumptions: list[str]


class Milestones(NamedTuple):
    milestones: list[Milestone]
    """In the request's order; dependencies not resolved yet."""
    assumptions: list[str]


def contract_defaults(draft: Draft, config: Config) -> ContractDefaults:
    """The contract's defaults: the draft's where it gives them, else the config's."""
    given = draft.defaults
    risk = given.get("risk_class") or config.defaults.risk_class
    invariants = list(
        dict.fromkeys([*given.get("invariants", config.invariants), *draft.invariants])
    )
    return ContractDefaults(
        risk_class=risk,
        max_diff_scope=given.get("max_diff_scope") or config.defaults.max_diff_scope[risk],
        acceptance_tests=given.get("acceptance_tests") or list(config.acceptance_tests),
        invariants=invariants,
        evidence_required=given.get("evidence_required") or list(config.evidence_required),
    )


def place_loose_tasks(
    draft: Draft, fallback_title: str, verbs: Sequence[str] | None = None
) -> tuple[Placed, list[Finding]]:
    """The draft's milestones (copies: the draft is not changed), or one titled
    ``fallback_title`` when it has none, with each loose task put in the milestone its
    ``milestone:`` hint names, else the first. A milestone left with no task whose title
    is one concrete change (it opens with one of ``verbs``) becomes its own single task;
    any other is a notice."""
    findings: list[Finding] = []
    assumptions: list[str] = []
    if draft.source == "fallback":
        findings.append(
            finding(
                "request-unstructured",
                "The issue has no section the planner recognises (Objective, Milestones or "
                "Tasks, Acceptance, Validation, Risks, Assumptions, Unknowns, Open questions), "
                "so one milestone was planned from the title and body. Add a '## Tasks' task "
                "list ('- [ ] Implement X in path/to/module/') to get child tasks.",
            )
        )
    drafts = [replace(d, tasks=list(d.tasks)) for d in draft.milestones] or [
        DraftMilestone(title=fallback_title, outcome=draft.objective)
    ]
    for task in draft.loose_tasks:
        target = drafts[0]
        if task.milestone:
            wanted = task.milestone.lower()
            match = [
                d for d in drafts if (d.id or "").lower() == wanted or d.title.lower() == wanted
            ]
            if match:
                target = match[0]
            else:
                findings.append(
                    finding(
                        "graph-unknown-dependency",
                        fix="The task was put in the first milestone.",
                        who=f"Task '{one_line(task.title, 80)}'",
                        relation="names milestone",
                        name=one_line(task.milestone, 40),
                        kind="milestone",
                        severity="warning",
                        line=task.line,
                    )
                )
        elif len(drafts) > 1:
            assumptions.append(
                f"Task '{one_line(task.title, 80)}' has no 'milestone:' hint and "
                "was put in the first milestone"
            )
        target.tasks.append(task)
    for d in drafts:
        if d.tasks or d.done:
            continue
        if verbs is not None and _one_step(d.title, verbs):
            # An issue form's "Milestones" checklist of code changes, a phase that is one
            # step: the milestone is its own single task.
            d.tasks.append(DraftTask(title=d.title, line=d.line))
            assumptions.append(
                f"Milestone '{one_line(d.title, 80)}' lists no tasks and is one piece of work: "
                "it is handed out as its own single task"
            )
        elif draft.milestones:  # (of no structure at all, request-unstructured speaks)
            findings.append(
                finding(
                    "request-milestone-without-tasks",
                    f"Milestone '{one_line(d.title, 60)}' lists no tasks, so nothing of it can be "
                    "handed out. Add a task list under it ('- [ ] Implement X in path/').",
                    line=d.line,
                )
            )
    return Placed(drafts, assumptions), findings


_NAMED_PREFIX = LazyPattern(r"^\s*[^:]{1,40}?\b\d+(?:\.\d+)*\s*[:.)\-–—]\s*")


def _one_step(title: str, verbs: Sequence[str]) -> bool:
    """Whether a milestone's title is itself one concrete change: after a name such as
    "Phase 2:", it opens with an implementation verb ("Add CSV export to the report")."""
    rest = _NAMED_PREFIX.sub("", title, count=1).strip()
    first = rest.split(" ", 1)[0].lower().strip("*_`") if rest else ""
    return len(rest.split()) >= 3 and first in {v.lower() for v in verbs}


def build_milestones(
    drafts: list[DraftMilestone],
    ids: list[str],
    draft: Draft,
    defaults: ContractDefaults,
    progress: Progress,
    config: Config,
    kept: frozenset[str] = frozenset(),
    used: frozenset[str] = frozenset(),
) -> tuple[Milestones, list[Finding]]:
    """One milestone per draft milestone, with id ``ids[i]``, and its tasks (task ids
    ``kept`` from the previous plan stay; new ones are none ``used`` before)."""
    milestones: list[Milestone] = []
    assumptions: list[str] = []
    findings: list[Finding] = []
    for d, mid in zip(drafts, ids, strict=True):
        tasks, found = build_tasks(d, mid, defaults, progress, config, kept, used)
        assumptions += tasks.assumptions
        findings += found
        milestone, assumed, found = _milestone(
            d, mid, tasks.tasks, draft, defaults, progress, config, alone=len(drafts) == 1
        )
        milestones.append(milestone)
        assumptions += assumed
        findings += found
    return Milestones(milestones, assumptions), findings


def _milestone(
    d: DraftMilestone,
    mid: str,
    tasks: list[Task],
    draft: Draft,
    defaults: ContractDefaults,
    progress: Progress,
    config: Config,
    *,
    alone: bool,
) -> tuple[Milestone, list[str], list[Finding]]:
    risk, assumptions = _risk_class(d, mid, tasks, defaults)
    max_diff, assumed, findings = _diff_scope(d, mid, tasks, risk, config)
    assumptions += assumed
    # A task never allows more than its milestone: the contract stays one validate accepts.
    tasks = [_held_to(t, max_diff) for t in tasks]
    outcome = d.outcome or (draft.objective if alone else None)
    if not outcome:
        outcome = d.title
        assumptions.append(f"{mid}.outcome taken from its title")
    acceptance, assumed, found = _acceptance(d, mid, outcome, draft, alone=alone)
    assumptions += assumed
    findings += found
    validation = list(d.validation) or list(draft.validation)
    if not validation:
        validation = list(defaults.acceptance_tests)
        assumptions.append(f"{mid}.validation defaulted to contract_defaults.acceptance_tests")
        findings.append(
            finding(
                "seed-3-validation",
                f"Milestone {mid} has no validation strategy; the default acceptance "
                "tests were used. Add a 'Validation:' list (commands or procedures).",
                milestone=mid,
                line=d.line,
            )
        )
    all_done = bool(tasks) and all(t.status == "done" for t in tasks)
    if d.done or progress.milestone_done(mid, d.title) or all_done:
        status = "done"
        tasks = [t.model_copy(update={"status": "done"}) for t in tasks]
    elif d.status == "in_progress" or any(t.status == "done" for t in tasks):
        status = "in_progress"
    else:
        status = "planned"
    title = one_line(d.title, 200) or mid
    milestone = Milestone(
        id=mid,
        title=title,
        outcome=one_line(outcome, 2000) or title,
        status=status,
        dependencies=[],
        acceptance=acceptance,
        validation=validation,
        risks=list(d.risks) or list(draft.risks),
        risk_class=risk,
        max_diff_scope=max_diff,
        tasks=tasks,
        references=sorted(set(d.references)),
    )
    return milestone, assumptions, findings


def _held_to(task: Task, scope: int) -> Task:
    if task.diff_boundary.max_diff_scope <= scope:
        return task
    boundary = task.diff_boundary.model_copy(update={"max_diff_scope": scope})
    return task.model_copy(update={"diff_boundary": boundary})


def _risk_class(
    d: DraftMilestone, mid: str, tasks: list[Task], defaults: ContractDefaults
) -> tuple[RiskClass, list[str]]:
    """The milestone's own risk class, never below its riskiest task's; else the
    highest of its tasks; else the contract's default."""
    if d.risk_class:
        risk = max_risk(d.risk_class, *(t.risk_class for t in tasks))
        if risk == d.risk_class:
            return risk, []
        return risk, [
            f"{mid}.risk_class raised from {d.risk_class} to {risk}: a task of it is riskier"
        ]
    if tasks:
        risk = max_risk(*(t.risk_class for t in tasks))
        return risk, [f"{mid}.risk_class set to {risk}, the highest of its tasks"]
    return defaults.risk_class, [
        f"{mid}.risk_class defaulted to {defaults.risk_class} (contract_defaults)"
    ]


def _diff_scope(
    d: DraftMilestone, mid: str, tasks: list[Task], risk: RiskClass, config: Config
) -> tuple[int, list[str], list[Finding]]:
    """The milestone's own diff scope (a task allowing more is a finding); else the
    config's for its risk class, raised to its largest task's."""
    largest = max((t.diff_boundary.max_diff_scope for t in tasks), default=0)
    if d.max_diff_scope is None:
        table = config.defaults.max_diff_scope[risk]
        if largest > table:
            return largest, [f"{mid}.max_diff_scope set to {largest}, its largest task's"], []
        return table, [f"{mid}.max_diff_scope defaulted to {table} (risk_class {risk})"], []
    if largest <= d.max_diff_scope:
        return d.max_diff_scope, [], []
    over = [t.id for t in tasks if t.diff_boundary.max_diff_scope > d.max_diff_scope]
    return (
        d.max_diff_scope,
        [],
        [
            finding(
                "diff-scope-exceeds-milestone",
                fix="They are held to the milestone's; raise its 'diff:' to allow more.",
                tasks=f"task{'s' if len(over) > 1 else ''} {', '.join(over)}",
                scope=d.max_diff_scope,
                milestone=mid,
                line=d.line,
            )
        ],
    )


def _acceptance(
    d: DraftMilestone, mid: str, outcome: str, draft: Draft, *, alone: bool
) -> tuple[list[str], list[str], list[Finding]]:
    """The milestone's acceptance criteria; else the issue's; else one derived from the
    outcome (seed rule 3)."""
    if d.acceptance:
        return list(d.acceptance), [], []
    if draft.acceptance:
        taken = [] if alone else [f"{mid}.acceptance taken from the issue's Acceptance section"]
        return list(draft.acceptance), taken, []
    return (
        [f"(derived from the outcome) {one_line(outcome, 400)}"],
        [f"{mid}.acceptance derived from its outcome"],
        [
            finding(
                "seed-3-acceptance",
                f"Milestone {mid} has no acceptance criteria; one was derived from its "
                "outcome. Add an 'Acceptance:' list under the milestone (seed rule 3).",
                milestone=mid,
                line=d.line,
            )
        ],
    )
