"""The fanout: the focus milestone's tasks that are ready, in waves that share no
dependency and no file, and the ones held back with the reason."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from planner.core import rules
from planner.core.boundaries import hold_unsafe
from planner.core.evidence import candidates as boundary_candidates
from planner.core.evidence import paths_line
from planner.core.findings import finding
from planner.core.graph import assign_waves, find_cycles, topological_order
from planner.core.text import one_line
from planner.core.tracked import tracked_number
from planner.model import (
    Contract,
    DeferredTask,
    Fanout,
    FanoutTask,
    Finding,
    Milestone,
    Task,
    VocabularyConfig,
)

MATRIX_LIMIT = 256  # jobs per matrix (GitHub)


class FannedOut(NamedTuple):
    fanout: Fanout | None
    """None when the focus has no ready task (or there is no focus)."""
    waves: dict[str, int]
    """The wave of each ready task."""


def fan_out(
    contract: Contract,
    protected: list[str] | None = None,
    vocabulary: VocabularyConfig | None = None,
) -> tuple[FannedOut, list[Finding]]:
    """Defer what cannot run yet (an open decision blocks the focus, no diff boundary,
    a boundary that may not be handed out, verification before features, waiting on a
    held task), then put the rest in waves."""
    roadmap = contract.roadmap
    focus = next((m for m in roadmap.milestones if m.id == roadmap.focus), None)
    if focus is None:
        return FannedOut(None, {}), []
    blockers = [d.id for d in contract.decisions if focus.id in d.blocks]
    deferred, findings = defer(focus, blockers, roadmap.milestones, vocabulary)
    unsafe, found = hold_unsafe(
        [t for t in focus.tasks if t.status != "done" and t.id not in deferred],
        protected or [],
        focus.id,
    )
    deferred.update(unsafe)
    findings += found
    done = {t.id for m in roadmap.milestones for t in m.tasks if t.status == "done"}
    ready = [t for t in focus.tasks if t.status != "done" and t.id not in deferred]
    # A task caught in a cycle of dependencies can never start (graph-cycle says which):
    # it is held back, and so is what waits on it.
    edges = {t.id: t.depends_on for t in ready}
    cyclic = {tid for cycle in find_cycles([t.id for t in ready], edges) for tid in cycle}
    for t in ready:
        if t.id in cyclic:
            deferred[t.id] = DeferredTask(
                task=t.id, rule="graph-cycle", reason="depends on itself through a cycle"
            )
    ready = [t for t in ready if t.id not in cyclic]
    ready, held = hold_back_waiting(ready, done)
    deferred.update(held)
    if not ready:
        return FannedOut(None, {}), findings
    edges = {t.id: t.depends_on for t in ready}
    order = topological_order([t.id for t in ready], edges)
    by_id = {t.id: t for t in ready}
    waves = assign_waves(order, edges, {t.id: t.diff_boundary.paths for t in ready}, MATRIX_LIMIT)
    order.sort(key=lambda tid: waves[tid])
    tasks = [
        FanoutTask.model_validate(
            {
                **by_id[tid].model_dump(mode="json"),
                "milestone": focus.id,
                "wave": waves[tid],
                "evidence_required": contract.contract_defaults.evidence_required,
                "acceptance_tests": contract.contract_defaults.acceptance_tests,
            }
        )
        for tid in order
    ]
    if sum(1 for w in waves.values() if w == 1) >= MATRIX_LIMIT:
        findings.append(
            finding(
                "matrix-limit",
                f"More than {MATRIX_LIMIT} tasks are ready at once; the matrix holds "
                f"{MATRIX_LIMIT} (GitHub's limit per matrix) and the rest were moved to "
                "later waves.",
                milestone=focus.id,
            )
        )
    fanout = Fanout(
        issue=contract.issue,
        version=roadmap.version,
        milestone=focus.id,
        tasks=tasks,
        deferred=[deferred[k] for k in sorted(deferred)],
    )
    return FannedOut(fanout, waves), findings


def defer(
    focus: Milestone,
    blockers: list[str],
    milestones: Sequence[Milestone],
    vocabulary: VocabularyConfig | None = None,
) -> tuple[dict[str, DeferredTask], list[Finding]]:
    """The focus's open tasks that cannot run yet, by id: all of them while a decision
    (``blockers``) blocks it; else verification-only ones while feature work is open
    anywhere in the plan (seed rule 7), operations for a person, and those with no
    boundary (stated or proposed)."""
    open_tasks = [t for t in focus.tasks if t.status != "done"]
    if blockers:
        waits = f"waits on open decision {', '.join(blockers)}"
        return {
            t.id: DeferredTask(task=t.id, rule="decision-blocks", reason=waits) for t in open_tasks
        }, [
            finding(
                "decision-blocks",
                fix="Its tasks are not fanned out until the decision is resolved (tick it or "
                "move it out of Open questions).",
                decisions=", ".join(blockers),
                milestone=focus.id,
            )
        ]
    later = {d.task: d for d in rules.defer_verification(focus, milestones)}
    deferred: dict[str, DeferredTask] = {}
    findings: list[Finding] = []
    unbounded: list[Finding] = []  # reported last, with their candidates
    for t in open_tasks:
        held = _hold(t, focus.id, later, vocabulary or VocabularyConfig())
        if held is not None:
            deferred[t.id], found = held
            (unbounded if found.rule == "needs-boundary" else findings).append(found)
    return deferred, findings + unbounded


def _hold(
    t: Task, milestone: str, later: dict[str, DeferredTask], vocabulary: VocabularyConfig
) -> tuple[DeferredTask, Finding] | None:
    """Why an open task of the focus is held back, if it is, and the finding that says so."""
    if t.id in later:
        return later[t.id], finding(
            "seed-7-feature-first",
            f"Task {t.id} is verification-only work and feature work is still "
            f"open ({later[t.id].reason}); it is deferred, not fanned out (seed rule 7).",
            milestone=milestone,
            task=t.id,
        )
    if t.kind == "ops":
        reason = "an operation for a person, not a code change"
        return DeferredTask(task=t.id, rule="task-ops", reason=reason), finding(
            "task-ops",
            f"Task {t.id} ('{one_line(t.title, 60)}') is an operation for a person "
            "(run, tag, publish, review …), not a code change: it stays in the plan "
            "and is not handed to an agent. Tick it when it is done.",
            milestone=milestone,
            task=t.id,
        )
    if t.diff_boundary.source in ("proposed", "none") and (
        why := rules.reads_as_state(t.title, vocabulary)
    ):
        return DeferredTask(task=t.id, rule="task-not-a-change", reason=f"reads as {why}"), finding(
            "task-not-a-change",
            f"Task {t.id} ('{one_line(t.title, 60)}') reads as {why}, not a change, so "
            "it is not handed to an agent: it stays in the plan. If it is work, write "
            "it as a change ('Raise coverage of the parser to 80%') or give it a "
            "'paths:' line.",
            milestone=milestone,
            task=t.id,
        )
    if not t.diff_boundary.paths:
        reason = "has no diff boundary yet"
        held = DeferredTask(task=t.id, rule="needs-boundary", reason=reason)
        return held, needs_boundary(t, milestone)
    return None


def needs_boundary(task: Task, milestone: str) -> Finding:
    """The warning for a task held back for want of a boundary: its best candidates, and
    the line that hands it out."""
    candidates = boundary_candidates(task.diff_boundary)
    line = paths_line(task.diff_boundary)
    where = (
        f"The repository's best matches are {', '.join(candidates)}; if they are right, add"
        if candidates
        else "Nothing in the repository matches it well; add"
    )
    if (number := tracked_number(task.title, None)) is not None:
        where = (
            f"It only names issue #{number}: planned with a github-token it takes that "
            "issue's title, and its boundary from it. Or write the change in the line, or add"
        )
    return finding(
        "needs-boundary",
        f"Task {task.id} ('{one_line(task.title, 60)}') is held back: it names no file, "
        f"and no boundary could be proposed with confidence. {where} the nested line "
        f"'{line}' under the task (seed rule 6).",
        milestone=milestone,
        task=task.id,
    )


def hold_back_waiting(
    ready: list[Task], done: set[str]
) -> tuple[list[Task], dict[str, DeferredTask]]:
    """The ready tasks that wait on nothing held back (a task waiting on a held-back
    task is held back too), and those held, by id."""
    ready = list(ready)
    held: dict[str, DeferredTask] = {}
    changed = True
    while changed:
        changed = False
        ready_ids = {t.id for t in ready}
        for t in list(ready):
            waiting = [d for d in t.depends_on if d not in done and d not in ready_ids]
            if waiting:
                ready.remove(t)
                held[t.id] = DeferredTask(
                    task=t.id,
                    rule="depends-on-held-task",
                    reason=f"waits on {', '.join(waiting)}",
                )
                changed = True
    return ready, held
