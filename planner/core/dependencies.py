"""Dependencies as the request writes them (an id in any case, a short task id, a
unique title) resolved to ids, for milestones and tasks alike; an unknown name or a
cycle is a finding."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from planner.core.findings import finding
from planner.core.graph import find_cycles, topological_order
from planner.core.read import DraftMilestone
from planner.core.text import one_line
from planner.model import Finding, Milestone, Task


def resolve(
    raw: str, tables: Sequence[Mapping[str, str]], titles: Mapping[str, list[str]]
) -> str | None:
    """The id ``raw`` names: the first of ``tables`` (lower-case name -> id) that knows
    it, else the one item whose title it is; None when it names nothing, or a title
    several items share."""
    key = raw.strip().lower()
    for table in tables:
        if key in table:
            return table[key]
    same = titles.get(key, [])
    return same[0] if len(same) == 1 else None


def _titles(items: Sequence[Milestone] | Sequence[Task]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in items:
        found.setdefault(item.title.lower(), []).append(item.id)
    return found


def resolve_dependencies(
    milestones: list[Milestone], drafts: list[DraftMilestone]
) -> tuple[list[Milestone], list[Finding]]:
    """The milestones with their dependencies and their tasks' ``depends_on`` as ids;
    ``drafts`` are the milestones as written (for the names and lines)."""
    milestones, findings = _milestone_dependencies(milestones, drafts)
    milestones, found = _task_dependencies(milestones, drafts)
    return milestones, findings + found


def _milestone_dependencies(
    milestones: list[Milestone], drafts: list[DraftMilestone]
) -> tuple[list[Milestone], list[Finding]]:
    findings: list[Finding] = []
    tables = [{m.id.lower(): m.id for m in milestones}]
    titles = _titles(milestones)
    resolved: list[Milestone] = []
    for m, d in zip(milestones, drafts, strict=True):
        deps: list[str] = []
        for raw in d.dependencies:
            target = resolve(raw, tables, titles)
            if target is None:
                findings.append(
                    finding(
                        "graph-unknown-dependency",
                        fix=f"It was dropped. Known: {', '.join(x.id for x in milestones)}. Fix "
                        "the dependency (a 'depends:' hint, or 'dependencies' in a draft).",
                        severity="warning",
                        who=f"Milestone {m.id}",
                        relation="depends on",
                        name=one_line(raw, 60),
                        kind="milestone",
                        milestone=m.id,
                        line=d.line,
                    )
                )
            elif target not in deps:
                deps.append(target)
        resolved.append(m.model_copy(update={"dependencies": deps}))
    findings += cycle_findings(
        "Milestones",
        {m.id: m.dependencies for m in resolved},
        "none of them can be focused until then.",
        where="milestone",
    )
    return resolved, findings


def _task_dependencies(
    milestones: list[Milestone], drafts: list[DraftMilestone]
) -> tuple[list[Milestone], list[Finding]]:
    findings: list[Finding] = []
    every = {t.id.lower(): t.id for m in milestones for t in m.tasks}
    # A task's own id without its milestone ("T012"), when only one milestone has it.
    short_ids: dict[str, list[str]] = {}
    for m in milestones:
        for t in m.tasks:
            short_ids.setdefault(t.id.lower().removeprefix(m.id.lower() + "-"), []).append(t.id)
    anywhere = {key: ids[0] for key, ids in short_ids.items() if len(ids) == 1}
    milestone_ids = {m.id.upper() for m in milestones}
    resolved: list[Milestone] = []
    for m, d in zip(milestones, drafts, strict=True):
        local = {t.id.lower(): t.id for t in m.tasks}
        short = {t.id.lower().removeprefix(m.id.lower() + "-"): t.id for t in m.tasks}
        titles = _titles(m.tasks)
        tasks: list[Task] = []
        for t, dt in zip(m.tasks, d.tasks, strict=True):
            deps: list[str] = []
            for raw in t.depends_on:
                target = resolve(raw, [local, short, every, anywhere], titles)
                if target is None and raw.strip().lower().upper() in milestone_ids:
                    continue  # a task naming a milestone: ordering is the milestone's
                if target is None:
                    findings.append(
                        finding(
                            "graph-unknown-dependency",
                            fix=f"It was dropped. Use a task id such as {m.tasks[0].id}.",
                            severity="warning",
                            who=f"Task {t.id}",
                            relation="depends on",
                            name=one_line(raw, 60),
                            kind="task",
                            milestone=m.id,
                            task=t.id,
                            line=dt.line,
                        )
                    )
                elif target == t.id:
                    # "needs T4 GPUs" on T4 itself: words read as an id, never a wait. A
                    # cycle of one task would fail the step for what the reader misread.
                    findings.append(
                        finding(
                            "graph-self-dependency",
                            fix="Name the task it waits on, or rephrase the line.",
                            name=one_line(raw, 60),
                            milestone=m.id,
                            task=t.id,
                            line=dt.line,
                        )
                    )
                elif target not in deps:
                    deps.append(target)
            tasks.append(t.model_copy(update={"depends_on": deps}))
        resolved.append(m.model_copy(update={"tasks": tasks}))
    findings += cycle_findings(
        "Tasks", {t.id: t.depends_on for m in resolved for t in m.tasks}, "", where="task"
    )
    return resolved, findings


def cycle_findings(
    what: str,
    edges: Mapping[str, list[str]],
    consequence: str,
    *,
    where: Literal["milestone", "task"],
) -> list[Finding]:
    """One ``graph-cycle`` error per cycle among ``edges`` (id -> ids it needs)."""
    advice = "Remove one of these dependencies" + (f"; {consequence}" if consequence else ".")
    return [
        finding(
            "graph-cycle",
            fix=advice,
            what=what,
            path=" → ".join(reversed(cycle)),
            milestone=cycle[0] if where == "milestone" else None,
            task=cycle[0] if where == "task" else None,
        )
        for cycle in find_cycles(list(edges), dict(edges))
    ]


def in_dependency_order(milestones: list[Milestone]) -> list[Milestone]:
    """The milestones with every one after those it depends on (the request's order
    otherwise)."""
    by_id = {m.id: m for m in milestones}
    order = topological_order(list(by_id), {m.id: m.dependencies for m in milestones})
    return [by_id[i] for i in order]


def roll_up(
    milestones: list[Milestone], parents: Mapping[str, str]
) -> tuple[list[Milestone], list[str]]:
    """A task over sub-tasks (``parents``: sub-task id -> its parent's) is done when every
    part is: it is their sum, and handed out after them it would be an empty task. A
    milestone whose tasks are then all done is done. Each one ticked this way is said in
    an assumption."""
    parts: dict[str, list[str]] = {}
    for sub, parent in parents.items():
        parts.setdefault(parent, []).append(sub)
    status = {t.id: t.status for m in milestones for t in m.tasks}
    rolled: list[str] = []
    changed = True
    while changed:  # a whole over wholes is done once they are
        changed = False
        for whole, subs in parts.items():
            if status.get(whole) == "planned" and all(status.get(s) == "done" for s in subs):
                status[whole] = "done"
                rolled.append(whole)
                changed = True
    if not rolled:
        return milestones, []
    done = set(rolled)
    result = []
    for m in milestones:
        tasks = [t.model_copy(update={"status": "done"}) if t.id in done else t for t in m.tasks]
        finished = bool(tasks) and all(t.status == "done" for t in tasks)
        result.append(
            m.model_copy(update={"tasks": tasks, "status": "done" if finished else m.status})
        )
    said = [f"{whole} counted done: every part of it is done." for whole in rolled]
    return result, said


def wait_on_parts(milestones: list[Milestone], parents: Mapping[str, str]) -> list[Milestone]:
    """A task over sub-tasks (``parents``: sub-task id -> its parent's) is done by them:
    while it is open it waits on those still open, so no agent is handed the whole while
    others are handed its parts. A part that is a person's operation (its own parts are
    the whole's), verification work (held back while the whole is open), a question, or
    that already waits on the whole adds no wait."""
    tasks = {t.id: t for m in milestones for t in m.tasks}
    edges = {t.id: list(t.depends_on) for t in tasks.values()}
    for sub, parent in parents.items():
        while parent in parents and tasks.get(parent) is not None and tasks[parent].kind == "ops":
            parent = parents[parent]  # a person's step between: the whole waits on its parts
        part, whole = tasks.get(sub), tasks.get(parent)
        if part is None or whole is None or "done" in (part.status, whole.status):
            continue
        if part.kind in ("ops", "verification") or part.title.rstrip().endswith("?"):
            continue  # a person's step, checks the whole waits for (seed rule 7), a question
        if _reaches(edges, sub, parent) or sub in edges[parent]:
            continue
        edges[parent].append(sub)
    return [
        m.model_copy(
            update={"tasks": [t.model_copy(update={"depends_on": edges[t.id]}) for t in m.tasks]}
        )
        for m in milestones
    ]


def _reaches(edges: Mapping[str, list[str]], start: str, goal: str) -> bool:
    """Whether ``goal`` is among what ``start`` waits on, however far."""
    seen = {start}
    stack = [start]
    while stack:
        for nxt in edges.get(stack.pop(), []):
            if nxt == goal:
                return True
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return False
