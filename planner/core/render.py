"""Renderings of a plan: the IMPLEMENTATION_PLAN.md block, spec files and the summary."""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic_core import PydanticSerializationError

from planner.core.evidence import paths_line
from planner.core.text import (
    code_span,
    markdown_inline,
    markdown_paragraph,
    mermaid_label,
    slugify,
)
from planner.model import Contract, Fanout, Finding, Milestone

SUMMARY_LIMIT = 900_000  # bytes; GitHub drops a step summary over 1 MiB


def to_json(model: Contract | Fanout | dict[str, Any]) -> str:
    """Stable JSON: UTF-8, 2-space indent, model field order, a final newline.

    A model is written by pydantic-core, seven times faster than ``json.dumps`` with an
    indent (which falls back to pure Python) and the same bytes; text it cannot encode
    (a lone surrogate) takes the ``json.dumps`` path, as before.
    """
    if not isinstance(model, dict):
        try:
            return model.model_dump_json(indent=2) + "\n"
        except PydanticSerializationError:
            pass
    data = model if isinstance(model, dict) else model.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def spec_path(specs_dir: str, number: int, milestone: Milestone) -> str:
    slug = slugify(f"{milestone.id} {milestone.title}") or slugify(milestone.id) or "milestone"
    return posixpath.join(specs_dir, f"{number}-{slug}.md")


def _bullets(items: Iterable[str], empty: str = "_None recorded._") -> list[str]:
    lines = [f"- {markdown_paragraph(item, 500)}" for item in items]
    return lines or [empty]


def render_plan_block(
    contract: Contract,
    plan_file: str,
    specs_dir: str,
    waves: dict[str, int],
    changes: Sequence[str] = (),
) -> str:
    """The managed block of IMPLEMENTATION_PLAN.md for one planning issue; ``changes``:
    what the current version changed in the tasks (the summary's section)."""
    roadmap = contract.roadmap
    number = contract.issue.number
    focus = next((m for m in roadmap.milestones if m.id == roadmap.focus), None)
    lines = [
        f"## #{number}: {markdown_inline(contract.issue.title or 'Planning request')}",
        "",
        f"> Managed by planner-action from issue #{number} (roadmap version "
        f"{roadmap.version}). Edit the issue to change the plan. A milestone's Status set to "
        "`done` here, or a task's box ticked, is kept on the next run.",
        "",
        f"**Objective:** {markdown_inline(roadmap.objective, 1000)}",
        "",
        "**Focus:** "
        + (
            f"`{focus.id}` {markdown_inline(focus.title)}"
            if focus
            else "_none: "
            + (
                "every milestone is done_"
                if all(m.status == "done" for m in roadmap.milestones)
                else "no milestone is ready_"
            )
        ),
    ]
    lines += _milestone_table(contract, plan_file, specs_dir)
    lines += _milestone_graph(roadmap.milestones, focus)
    lines += ["", "### Tasks", "", *_task_lines(roadmap.milestones, waves)]
    if changes:
        lines += [
            "",
            *[c.replace("### ", "#### ", 1) if c.startswith("### ") else c for c in changes],
        ]
        while lines[-1] == "":
            lines.pop()
    lines += ["", "### Decisions", ""]
    for d in contract.decisions:
        link = f"[decision issue]({d.issue})" if d.issue else "not raised as an issue"
        blocks = f", blocks {', '.join(d.blocks)}" if d.blocks else ""
        lines.append(f"- **{d.id}** ({d.impact}{blocks}): {markdown_inline(d.question)} — {link}")
    if not contract.decisions:
        lines.append("_No open decisions._")
    lines += ["", "### Assumptions", "", *_bullets(roadmap.assumptions)]
    lines += ["", "### Unknowns", "", *_bullets(roadmap.unknowns)]
    if roadmap.out_of_scope:
        lines += ["", "### Out of scope", "", *_bullets(roadmap.out_of_scope)]
    return "\n".join(lines)


def _milestone_table(contract: Contract, plan_file: str, specs_dir: str) -> list[str]:
    lines = [
        "",
        "| ID | Milestone | Status | Risk | Max diff | Depends on | Spec |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    base = posixpath.dirname(plan_file)
    for m in contract.roadmap.milestones:
        spec = posixpath.relpath(spec_path(specs_dir, contract.issue.number, m), base or ".")
        deps = ", ".join(m.dependencies) or "—"
        lines.append(
            f"| {m.id} | {markdown_inline(m.title)} | {m.status} | {m.risk_class} | "
            f"{m.max_diff_scope} | {deps} | [spec]({spec}) |"
        )
    return lines


def _milestone_graph(milestones: Sequence[Milestone], focus: Milestone | None) -> list[str]:
    """The milestones and their dependencies as a mermaid flowchart."""
    lines = ["", "```mermaid", "flowchart TD"]
    lines += [f'  {_node(m.id)}["{mermaid_label(f"{m.id}: {m.title}")}"]' for m in milestones]
    for m in milestones:
        lines.extend(f"  {_node(dep)} --> {_node(m.id)}" for dep in m.dependencies)
    done = [_node(m.id) for m in milestones if m.status == "done"]
    if done:
        lines.append(f"  classDef done fill:#d4edda,stroke:#28a745\n  class {','.join(done)} done")
    if focus:
        lines.append(f"  classDef focus stroke-width:3px\n  class {_node(focus.id)} focus")
    return [*lines, "```"]


def _task_lines(milestones: Sequence[Milestone], waves: dict[str, int]) -> list[str]:
    """A checkbox per task, with its role, kind, risk, wave and proposed paths."""
    lines = []
    for m in milestones:
        for t in m.tasks:
            box = "x" if t.status == "done" else " "
            wave = f" · wave {waves[t.id]}" if t.id in waves else ""
            boundary = t.diff_boundary
            proposed = (
                " · paths proposed: " + ", ".join(code_span(p, 120) for p in boundary.paths)
                if boundary.source == "proposed" and t.status != "done"
                else ""
            )
            lines.append(
                f"- [{box}] `{t.id}` {markdown_inline(t.title)} — {t.role} · {t.kind} · "
                f"risk {t.risk_class}{wave}{proposed}"
            )
    return lines or ["_No tasks yet: add a task list to the issue._"]


def _node(milestone_id: str) -> str:
    return "m_" + "".join(c if c.isalnum() else "_" for c in milestone_id)


def group_assumptions(contract: Contract) -> tuple[dict[str, list[str]], list[str]]:
    """Assumptions by the milestone they are about (``M2.…`` or ``M2-T1.…``), and the
    general ones (those about decisions stay in the plan); one pass, so a plan with many
    milestones stays linear."""
    owner: dict[str, str] = {}
    for m in contract.roadmap.milestones:
        owner[m.id] = m.id
        for t in m.tasks:
            owner[t.id] = m.id
    grouped: dict[str, list[str]] = {m.id: [] for m in contract.roadmap.milestones}
    general: list[str] = []
    decisions = {d.id for d in contract.decisions}
    for text in contract.roadmap.assumptions:
        if text.split(".", 1)[0] in decisions:
            continue  # about a decision: shown with the decisions in the plan, not in specs
        dot = text.find(".")
        target = None
        while dot > 0 and target is None:
            target = owner.get(text[:dot])
            dot = text.find(".", dot + 1)
        (grouped[target] if target else general).append(text)
    return grouped, general


def render_spec_block(contract: Contract, milestone: Milestone, assumptions: list[str]) -> str:
    """The managed block of one milestone's spec file; ``assumptions`` are its own and
    the general ones."""
    m = milestone
    lines = [
        f"# {m.id}: {markdown_inline(m.title)}",
        "",
        f"> Managed by planner-action for issue #{contract.issue.number}; text outside the "
        "planner markers is kept.",
        "",
        f"**Status:** {m.status} · **Risk:** {m.risk_class} · **Max diff:** {m.max_diff_scope} "
        f"lines · **Depends on:** {', '.join(m.dependencies) or 'nothing'}",
        "",
        "## Outcome",
        "",
        markdown_paragraph(m.outcome, 2000),
        "",
        "## Acceptance",
        "",
        *_bullets(m.acceptance),
        "",
        "## Validation strategy",
        "",
        *_bullets(m.validation),
        "",
        "## Risks",
        "",
        *_bullets(m.risks),
        "",
        "## Tasks",
        "",
    ]
    if m.tasks:
        lines += [
            "| ID | Task | Role | Kind | Risk | Paths | Max diff | Status |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for t in m.tasks:
            paths = ", ".join(code_span(markdown_inline(p, 120)) for p in t.diff_boundary.paths)
            lines.append(
                f"| {t.id} | {markdown_inline(t.title)} | {t.role} | {t.kind} | {t.risk_class} "
                f"| {paths or '—'} | {t.diff_boundary.max_diff_scope} | {t.status} |"
            )
    else:
        lines.append("_No tasks yet._")
    lines += ["", "## Assumptions", "", *_bullets(assumptions)]
    return "\n".join(lines)


def _boundaries(contract: Contract, fanout: Fanout | None) -> list[str]:
    """The focus's boundaries the planner proposed (with why) and the tasks held back
    for want of one, with the line that hands each out: one place to correct them."""
    focus = next((m for m in contract.roadmap.milestones if m.id == contract.roadmap.focus), None)
    if focus is None:
        return []
    if fanout is not None:
        held = {d.task for d in fanout.deferred if d.rule == "needs-boundary"}
    else:
        held = {
            t.id
            for t in focus.tasks
            if t.status != "done" and t.diff_boundary.source == "none" and t.kind != "ops"
        }
    proposed = [
        t for t in focus.tasks if t.status != "done" and t.diff_boundary.source == "proposed"
    ]
    waiting = [t for t in focus.tasks if t.id in held]
    if not proposed and not waiting:
        return []
    lines = ["### Boundaries", ""]
    if proposed:
        lines += [
            "Proposed from the repository (the task named no path). To correct one, add a "
            "nested `- paths: …` line under the task in the issue: a stated boundary always "
            "wins.",
            "",
        ]
        for t in proposed:
            paths = ", ".join(code_span(p, 120) for p in t.diff_boundary.paths[:12])
            why = "; ".join(t.diff_boundary.evidence[:3])
            lines.append(f"- `{t.id}` {paths} — {markdown_inline(why, 300)}")
        lines.append("")
    if waiting:
        lines += [
            "**Held back: no confident boundary.** Add the line shown (or your own paths) "
            "under each task in the issue, and the next run hands it out:",
            "",
        ]
        for t in waiting:
            line = paths_line(t.diff_boundary)
            lines.append(f"- `{t.id}` {markdown_inline(t.title, 120)} — add {code_span(line, 300)}")
        lines.append("")
    return lines


def render_summary(
    contract: Contract | None,
    fanout: Fanout | None,
    waves: dict[str, list[str]],
    findings: list[Finding],
    extra: Iterable[str] = (),
) -> str:
    """The step summary and issue comment: roadmap, focus, fanout waves, findings."""
    lines: list[str] = []
    if contract is None:
        lines += ["## Planning failed", "", "No contract was written: see the findings below.", ""]
    else:
        roadmap = contract.roadmap
        lines += [
            f"## Plan for #{contract.issue.number}: {markdown_inline(contract.issue.title)}",
            "",
            f"**Objective:** {markdown_inline(roadmap.objective, 600)}",
            "",
            f"**Version:** {roadmap.version} · **Focus:** {roadmap.focus or 'none'} · "
            f"**Milestones:** {len(roadmap.milestones)} · **Open decisions:** "
            f"{len(contract.decisions)}",
            "",
            "| ID | Milestone | Status | Risk | Tasks |",
            "| --- | --- | --- | --- | --- |",
        ]
        for m in roadmap.milestones:
            mark = " ⬅ focus" if m.id == roadmap.focus else ""
            lines.append(
                f"| {m.id} | {markdown_inline(m.title)}{mark} | {m.status} | "
                f"{m.risk_class} | {len(m.tasks)} |"
            )
        lines.append("")
        if fanout is not None and waves:
            lines += ["### Fanout", ""]
            for wave in sorted(waves, key=int):
                lines.append(f"- **Wave {wave}:** " + ", ".join(f"`{t}`" for t in waves[wave]))
            if fanout.deferred:
                lines.append(
                    "- **Deferred:** "
                    + ", ".join(f"`{d.task}` ({d.rule})" for d in fanout.deferred)
                )
            lines.append("")
        lines += _boundaries(contract, fanout)
        if contract.decisions:
            lines += ["### Open decisions", ""]
            for d in contract.decisions:
                link = f" — [issue]({d.issue})" if d.issue else ""
                lines.append(f"- **{d.id}** ({d.impact}): {markdown_inline(d.question)}{link}")
            lines.append("")
    lines.extend(extra)
    lines += ["### Findings", ""]
    if not findings:
        lines.append("No findings: the plan meets every rule.")
    else:
        lines += ["| Severity | Rule | Where | Message |", "| --- | --- | --- | --- |"]
        size = sum(len(line) + 1 for line in lines)
        for index, f in enumerate(findings):
            row = (
                f"| {f.severity} | `{f.rule}` | {markdown_inline(f.location.describe(), 80)} "
                f"| {markdown_inline(f.message, 1000)} |"
            )
            if size + len(row) > SUMMARY_LIMIT:
                lines.append(
                    f"\n_{len(findings) - index} more findings not shown (summary size "
                    "limit); see the `findings` output._"
                )
                break
            lines.append(row)
            size += len(row) + 1
    return "\n".join(lines) + "\n"


def with_sub_issues(summary: str, links: dict[str, tuple[int, list[int]]]) -> str:
    """The summary with a section that links each task to its sub-issue and says which
    sub-issues block it, before the hidden lines at its end."""
    if not links:
        return summary
    lines = ["### Sub-issues", ""]
    for tid, (number, blockers) in links.items():
        waits = f" — blocked by {', '.join(f'#{b}' for b in blockers)}" if blockers else ""
        lines.append(f"- `{tid}`: #{number}{waits}")
    section = "\n".join(lines) + "\n\n"
    at = summary.find("### Findings")
    return summary[:at] + section + summary[at:] if at >= 0 else summary + "\n" + section
