"""A plan and what it renders to: the files to write, the job matrix and the summary.
The shell writes and reports a ``PlanResult``; it never renders anything itself."""

from __future__ import annotations

import posixpath
from typing import NamedTuple

from planner.core.blocks import BlockError, replace_block
from planner.core.briefs import brief_path, render_briefs, task_branch
from planner.core.findings import finding
from planner.core.identity import Memory, digest, encode, remember
from planner.core.render import (
    group_assumptions,
    render_plan_block,
    render_spec_block,
    render_summary,
    spec_path,
    to_json,
)
from planner.core.text import one_line
from planner.model import Config, Contract, Fanout, FanoutTask, Finding, PlanRequest


class Plan(NamedTuple):
    """A plan before rendering: the contract and fanout (None when they fail their
    schemas), the waves and the findings so far."""

    contract: Contract | None
    fanout: Fanout | None
    waves: dict[str, int]
    findings: list[Finding]
    named_issues: dict[str, int]
    """Decision id -> the existing issue of this repository it names, to be marked for
    it (labelled, with a linking comment) rather than raised anew."""
    task_lines: dict[str, int]
    """The line of the issue body each task was read from, by task id."""
    request_issues: frozenset[str] = frozenset()
    """Ids of decisions whose issue URL the request itself gave; those are kept."""
    memory: Memory | None = None
    """The previous plan's ids, as recalled (PRODUCT.md §14)."""


class PlanResult(NamedTuple):
    """Everything a plan produces; the shell only writes and reports it."""

    contract: Contract | None
    fanout: Fanout | None
    findings: list[Finding]
    files: dict[str, str]
    matrix: dict[str, list[dict[str, str]]]
    waves: dict[str, int]
    summary: str = ""
    # Files an earlier plan of this issue wrote that this one no longer has (its fanout,
    # when this plan writes none): left in place, a stale fanout would hand out tasks the
    # contract no longer holds ready, and validate would refuse it.
    removed: tuple[str, ...] = ()

    @property
    def focus(self) -> str | None:
        return self.contract.roadmap.focus if self.contract else None


def contract_file(output_dir: str, number: int) -> str:
    return posixpath.join(output_dir, f"planning-output-{number}.json")


def fanout_file(output_dir: str, number: int) -> str:
    return posixpath.join(output_dir, f"planner-fanout-{number}.json")


def matrix_entries(fanout: Fanout | None, output_dir: str) -> list[dict[str, str]]:
    """The job matrix's rows: the fanout's first wave, each with what a job needs to
    start on its task (the issue, the branch, the brief in the artifact). Every value is
    short, so 256 rows stay far below GitHub's 1 MB of job outputs."""
    if fanout is None:
        return []
    number = fanout.issue.number
    return [
        {
            "task": t.id,
            "title": one_line(t.title, 120),
            "role": t.role,
            "risk_class": t.risk_class,
            "milestone": t.milestone,
            "issue": str(number),
            "branch": task_branch(number, t.id),
            "brief": brief_path(output_dir, number, t.id),
        }
        for t in fanout.tasks
        if t.wave == 1
    ]


def changes(memory: Memory | None, contract: Contract) -> list[str]:
    """What changed in the plan's tasks since the previous plan: added, reworded, moved
    between milestones, removed (PRODUCT.md §14)."""
    if memory is None:
        return []
    before = {t.id: t for t in memory.tasks}
    now = [(m.id, t) for m in contract.roadmap.milestones for t in m.tasks]
    added = [t.id for _, t in now if t.id not in before]
    moved = [
        f"{t.id} ({before[t.id].milestone} → {mid})"
        for mid, t in now
        if t.id in before and before[t.id].milestone and before[t.id].milestone != mid
    ]
    reworded = [
        t.id for _, t in now if t.id in before and before[t.id].title != one_line(t.title, 120)
    ]
    removed = [r.id for r in contract.roadmap.removed if r.id in before]
    parts = [
        (what, ids)
        for what, ids in (
            ("added", added),
            ("reworded", reworded),
            ("moved", moved),
            ("removed", removed),
        )
        if ids
    ]
    if not parts:
        return []
    return [
        f"### Changes in version {contract.roadmap.version}",
        "",
        *(f"- **{what}:** {_listed(ids)}" for what, ids in parts),
        "",
    ]


def _listed(ids: list[str], most: int = 20) -> str:
    """The first ``most`` ids, then how many more: the memory keeps this line."""
    shown = ", ".join(f"`{i}`" for i in ids[:most])
    return shown + (f" and {len(ids) - most} more" if len(ids) > most else "")


def task_digest(task: FanoutTask) -> str:
    """What a task was when handed out: its text and boundary."""
    boundary = task.diff_boundary
    return digest(task.title, task.objective, boundary.paths, boundary.max_diff_scope)


def _in_flight(
    plan: Plan, fanout: Fanout | None, output_dir: str, hand_out: str
) -> tuple[list[dict[str, str]], Memory]:
    """The matrix rows of the tasks to hand out now, and the plan's memory after it. A
    task handed out by an earlier run and not done is in progress: it is handed out again
    only when its text or boundary changed (its row says so), or when every ready task is
    asked for (``hand_out: all``)."""
    assert plan.contract is not None
    rows = matrix_entries(fanout, output_dir)
    before = {t.id: t.handed for t in plan.memory.tasks} if plan.memory else {}
    now = {t.id: task_digest(t) for t in fanout.tasks if t.wave == 1} if fanout else {}
    kept: list[dict[str, str]] = []
    for row in rows:
        was = before.get(row["task"], "")
        if was and hand_out != "all":
            if was == now[row["task"]]:
                continue  # in progress, as handed out
            row = {**row, "changed": "true"}
        kept.append(row)
    made = tuple(changes(plan.memory, plan.contract))
    if not made and plan.memory and plan.memory.version == plan.contract.roadmap.version:
        made = plan.memory.changes  # the same version: what changed in it still holds
    return kept, remember(plan.contract, now, plan.memory, made)


def file_names(plan: Plan, config: Config, *, any_ready: bool = False) -> list[str]:
    """The files ``render_result`` may write for ``plan``, known before it renders them:
    enough to check that each can be written before anything is changed on GitHub.
    ``any_ready``: with the brief of every open task, for a plan made again once a task
    is done (any of them may then be handed out)."""
    contract, fanout = plan.contract, plan.fanout
    if contract is None:
        return []
    paths, number = config.paths, contract.issue.number
    names = [contract_file(paths.output_dir, number)]
    if fanout is not None:
        if len(fanout.tasks) >= config.fanout.min_tasks:
            names.append(fanout_file(paths.output_dir, number))
        names += [brief_path(paths.output_dir, number, t.id) for t in fanout.tasks]
    if any_ready:
        names += [
            brief_path(paths.output_dir, number, t.id)
            for m in contract.roadmap.milestones
            for t in m.tasks
            if t.status != "done"
        ]
    names.append(paths.plan_file)
    names += [spec_path(paths.specs_dir, number, m) for m in contract.roadmap.milestones]
    return list(dict.fromkeys(names))


def render_result(plan: Plan, request: PlanRequest, config: Config) -> PlanResult:
    """The files (contract, fanout, plan block, specs), matrix and summary of a plan.
    A fanout below ``fanout.min_tasks`` is listed in the matrix but not written (each
    of its tasks still gets a brief, as every matrix row does); a file whose markers
    are broken is left out, with a finding."""
    findings = list(plan.findings)
    contract, fanout, waves = plan.contract, plan.fanout, plan.waves
    if contract is None:
        return PlanResult(
            contract=None,
            fanout=None,
            findings=findings,
            files={},
            matrix={"include": []},
            waves=waves,
            summary=render_summary(None, None, {}, findings),
        )
    number = contract.issue.number
    paths = config.paths
    rows, memory = _in_flight(plan, fanout, paths.output_dir, request.hand_out)
    files = {contract_file(paths.output_dir, number): to_json(contract)}
    written_fanout = fanout
    if fanout is not None and len(fanout.tasks) < config.fanout.min_tasks:
        findings.append(
            finding(
                "fanout-skipped",
                f"Focus milestone {fanout.milestone} has {len(fanout.tasks)} ready "
                f"task(s); the fanout file is written from {config.fanout.min_tasks} "
                "(fanout.min_tasks). The matrix still lists it.",
                milestone=fanout.milestone,
            )
        )
        written_fanout = None
    if written_fanout is not None:
        files[fanout_file(paths.output_dir, number)] = to_json(written_fanout)
    files.update(render_briefs(fanout, paths.output_dir))
    try:
        files[paths.plan_file] = replace_block(
            request.plan_text,
            str(number),
            render_plan_block(
                contract, paths.plan_file, paths.specs_dir, waves, list(memory.changes)
            ),
            paths.plan_file,
        )
    except BlockError as exc:
        if not any(f.rule == "plan-file-markers" for f in findings):
            findings.append(finding("plan-file-markers", str(exc)))
    grouped, general = group_assumptions(contract)
    for m in contract.roadmap.milestones:
        name = spec_path(paths.specs_dir, number, m)
        try:
            files[name] = replace_block(
                request.specs.get(name),
                str(number),
                render_spec_block(contract, m, grouped[m.id] + general),
                name,
            )
        except BlockError as exc:
            findings.append(finding("plan-file-markers", str(exc)))
    by_wave: dict[str, list[str]] = {}
    for tid, wave in sorted(waves.items(), key=lambda kv: (kv[1], kv[0])):
        by_wave.setdefault(str(wave), []).append(tid)
    return PlanResult(
        contract=contract,
        fanout=written_fanout,
        findings=findings,
        files=files,
        matrix={"include": rows},
        waves=waves,
        removed=() if written_fanout is not None else (fanout_file(paths.output_dir, number),),
        # The memory first: a summary too long for a comment is cut at its end, never
        # the memory with it.
        summary=encode(memory)
        + "\n"
        + render_summary(contract, fanout, by_wave, findings, list(memory.changes)),
    )
