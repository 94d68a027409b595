"""A milestone's tasks from the draft: ids, kind and role, paths, risk class and diff
scope, with defaults from the config where the request says nothing, each default
recorded as an assumption."""

from __future__ import annotations

from typing import NamedTuple

from planner.core import rules
from planner.core.evidence import NAMED_IN_TEXT
from planner.core.findings import finding
from planner.core.ids import task_ids
from planner.core.paths import PathError, any_overlap, normalize_glob
from planner.core.progress import Progress
from planner.core.read import DraftMilestone, DraftTask
from planner.core.text import code_locations, one_line
from planner.model import (
    RISK_ORDER,
    BoundarySource,
    Config,
    ContractDefaults,
    DiffBoundary,
    Finding,
    RiskClass,
    Task,
)


class Tasks(NamedTuple):
    tasks: list[Task]
    assumptions: list[str]


class _Made(NamedTuple):
    """One task, what was defaulted for it (grouped per milestone), what else was
    assumed, and the findings."""

    task: Task
    defaulted: list[str]
    assumptions: list[str]
    findings: list[Finding]


def build_tasks(
    d: DraftMilestone,
    milestone: str,
    defaults: ContractDefaults,
    progress: Progress,
    config: Config,
    kept: frozenset[str] = frozenset(),
    used: frozenset[str] = frozenset(),
) -> tuple[Tasks, list[Finding]]:
    """The tasks of milestone ``milestone``; their ``depends_on`` are still as written."""
    ids, findings = task_ids(d.tasks, milestone, kept, used)
    tasks: list[Task] = []
    assumptions: list[str] = []
    defaulted: dict[str, list[str]] = {}
    for t, tid in zip(d.tasks, ids, strict=True):
        made = _task(t, tid, milestone, d, defaults, progress, config)
        tasks.append(made.task)
        assumptions += made.assumptions
        findings += made.findings
        for what in made.defaulted:
            defaulted.setdefault(what, []).append(tid)
    assumptions += [
        f"{milestone}.tasks {', '.join(who)}: {what}" for what, who in defaulted.items()
    ]
    return Tasks(tasks, assumptions), findings


def _task(
    t: DraftTask,
    tid: str,
    mid: str,
    d: DraftMilestone,
    defaults: ContractDefaults,
    progress: Progress,
    config: Config,
) -> _Made:
    objective = (t.objective or t.title).strip()
    title = one_line(t.title, 200) or tid
    defaulted: list[str] = []
    assumptions: list[str] = []
    paths, findings = task_paths(t, tid, mid, objective)
    kind = t.kind or rules.classify_kind(objective, config.vocabulary)
    source: BoundarySource = "stated" if paths else "none"
    if not paths and config.fanout.default_paths and kind != "ops":
        paths = list(config.fanout.default_paths)
        source = "configured"
        defaulted.append("diff_boundary.paths defaulted to fanout.default_paths")
    role = t.role or ("qa" if kind == "verification" else "developer")
    risk: RiskClass
    if t.risk_class:
        risk = t.risk_class
    elif d.risk_class:
        risk = d.risk_class
        defaulted.append(f"risk_class taken from milestone {mid}")
    else:
        risk = defaults.risk_class
        defaulted.append(f"risk_class defaulted to {risk}")
    path_risk, why = path_risk_class(paths, config.risk_paths)
    if path_risk and RISK_ORDER.index(path_risk) > RISK_ORDER.index(risk):
        assumptions.append(
            f"{tid}.risk_class raised from {risk} to {path_risk}: its paths touch "
            f"{why} (risk_paths)"
        )
        risk = path_risk
    max_diff = t.max_diff_scope
    if max_diff is None:
        table = config.defaults.max_diff_scope[risk]
        max_diff = min(table, d.max_diff_scope) if d.max_diff_scope else table
        defaulted.append(f"max_diff_scope defaulted by risk class ({risk}: {max_diff})")
    invariants = list(dict.fromkeys([*t.invariants, *defaults.invariants]))
    if not t.invariants:
        defaulted.append("invariants defaulted to contract_defaults.invariants")
    acceptance = list(t.acceptance)
    if not acceptance:
        acceptance = [f"Done when: {one_line(objective, 300)}", *defaults.acceptance_tests]
        defaulted.append(
            "acceptance derived from the objective and contract_defaults.acceptance_tests"
        )
    task = Task(
        id=tid,
        title=title,
        role=role,
        kind=kind,
        objective=one_line(objective, 2000) or title,
        status="done" if t.done or progress.task_done(tid, title) else "planned",
        risk_class=risk,
        diff_boundary=DiffBoundary(
            paths=paths,
            max_diff_scope=max_diff,
            source=source,
            evidence=[NAMED_IN_TEXT] if source == "stated" and t.paths is None else [],
        ),
        invariants=invariants,
        acceptance=acceptance,
        depends_on=list(t.depends_on),
        references=sorted(set(t.references)),
        tracks=t.tracks,
    )
    return _Made(task, defaulted, assumptions, findings)


def task_paths(
    t: DraftTask, tid: str, milestone: str, objective: str
) -> tuple[list[str], list[Finding]]:
    """The task's globs: its 'paths:' hint, else the code locations its objective names
    (a folder named in prose stands for everything under it). A path leading out of the
    repository is dropped with a finding: an error in a 'paths:' hint, which says what
    the task may change, a warning in prose ("Read /etc/hosts"), which only mentions it."""
    raw = t.paths if t.paths is not None else code_locations(objective)
    paths: list[str] = []
    findings: list[Finding] = []
    for item in raw:
        try:
            glob = normalize_glob(item)
        except PathError as exc:
            findings.append(
                finding(
                    "path-outside-repo",
                    fix="It was dropped from the diff boundary.",
                    severity="error" if t.paths is not None else "warning",
                    problem=exc,
                    milestone=milestone,
                    task=tid,
                    line=t.line,
                )
            )
            continue
        last = glob.rsplit("/", 1)[-1]
        if t.paths is None and "." not in last and "*" not in last and "/" in glob:
            glob += "/**"
        if glob not in paths:
            paths.append(glob)
    return paths, findings


def path_risk_class(
    paths: list[str], risk_paths: dict[str, RiskClass]
) -> tuple[RiskClass | None, str]:
    """The highest risk class of the config's ``risk_paths`` globs the paths touch, and
    that glob."""
    best: RiskClass | None = None
    why = ""
    for glob, risk in risk_paths.items():
        if any_overlap(paths, [glob]) and (
            best is None or RISK_ORDER.index(risk) > RISK_ORDER.index(best)
        ):
            best, why = risk, glob
    return best, why
