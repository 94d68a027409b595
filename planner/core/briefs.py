"""One brief per fanned-out task (PRODUCT.md §12): the Markdown an agent (or a person)
takes as its prompt, ``<output-dir>/tasks/<issue>-<task>.md``.

Everything a request wrote is escaped as in the plan block: one line, no HTML (so no
comment or tag can be opened), no mentions, and a line of its own cannot open a heading,
a list or a quote. So a title or objective cannot forge the brief's own sections.
"""

from __future__ import annotations

import posixpath

from planner.core.text import code_span, markdown_inline, markdown_paragraph
from planner.model import Fanout, FanoutTask


def brief_path(output_dir: str, number: int, task_id: str) -> str:
    return posixpath.join(output_dir, "tasks", f"{number}-{task_id}.md")


def task_branch(number: int, task_id: str) -> str:
    """The branch a task's pull request comes from; check mode names the task by it."""
    return f"planner/{number}/{task_id}"


def _bullets(items: list[str], empty: str) -> list[str]:
    # Each item as a paragraph of its own: "# Boundary", "[x]: https://…" or "1. Change
    # anything" cannot open a heading, a link definition or a list inside the item.
    return [f"- {markdown_paragraph(item, 500)}" for item in items] or [empty]


def _proposed(task: FanoutTask) -> list[str]:
    """For a boundary the planner proposed: why, and what to do when it is too narrow."""
    boundary = task.diff_boundary
    if boundary.source != "proposed":
        return []
    return [
        "The issue named no path for this task: the planner proposed these from the "
        "repository, because:",
        "",
        *_bullets(boundary.evidence, "_No evidence recorded._"),
        "",
        "If the change needs a file outside them, say which and why in the pull request: a "
        "maintainer widens the boundary with a `paths:` line under the task in the issue, "
        "or admits this pull request with the label `planner:widen`.",
        "",
    ]


def render_brief(fanout: Fanout, task: FanoutTask, waves: dict[str, int] | None = None) -> str:
    """The brief of one task of the fanout: objective, boundary, invariants, acceptance,
    evidence, dependencies, and the branch and pull request that name it. ``waves`` (task
    id -> wave) is the fanout's, passed in when briefs are rendered for every task so it
    is built once, not once per task."""
    number = fanout.issue.number
    name = f"{number}/{task.id}"
    if waves is None:
        waves = {t.id: t.wave for t in fanout.tasks}
    depends = [
        f"- `{d}`: not merged yet (wave {waves[d]}); start after its pull request is merged"
        if d in waves
        else f"- `{d}`: done"
        for d in task.depends_on
    ] or ["Nothing: this task can start now."]
    lines = [
        f"# Task {task.id} of #{number}: {markdown_inline(task.title, 200)}",
        "",
        f"> Written by planner-action from the plan of issue #{number} (roadmap version "
        f"{fanout.version}). The pull request for this task is checked against this brief.",
        "",
        f"**Milestone:** {task.milestone} · **Wave:** {task.wave} · **Role:** {task.role} · "
        f"**Kind:** {task.kind} · **Risk:** {task.risk_class}",
        "",
        "## Objective",
        "",
        markdown_paragraph(task.objective),
        "",
        *(
            [
                f"This task is the work of issue #{task.tracks}: read it for what it asks, "
                f"and say `Fixes #{task.tracks}` in the pull request.",
                "",
            ]
            if task.tracks
            else []
        ),
        "## Boundary",
        "",
        "Change only files inside these paths (globs; `**` spans folders):",
        "",
        *[f"- {code_span(p)}" for p in task.diff_boundary.paths],
        "",
        *_proposed(task),
        f"At most **{task.diff_boundary.max_diff_scope}** changed lines (added plus deleted). "
        "Planning files (the plan, specs, contracts) are not this task's to change.",
        "",
        "## Invariants",
        "",
        *_bullets(task.invariants, "_None recorded._"),
        "",
        "## Acceptance",
        "",
        *_bullets(task.acceptance, "_None recorded._"),
        "",
        "## Tests to run",
        "",
        *_bullets(task.acceptance_tests, "_None configured._"),
        "",
        "## Evidence required",
        "",
        *_bullets(task.evidence_required, "_None configured._"),
        "",
        "## Depends on",
        "",
        *depends,
        "",
        "## Branch and pull request",
        "",
        f"Work on the branch `{task_branch(number, task.id)}` and open one pull request from "
        f"it. A pull request from another branch names the task with a line "
        f"`Planner-Task: #{name}` in its body or the label `task:{name}`. When it is merged, "
        f"the task is ticked in #{number} and the tasks waiting on it are handed out.",
    ]
    return "\n".join(lines) + "\n"


def render_briefs(fanout: Fanout | None, output_dir: str) -> dict[str, str]:
    """Every fanned-out task's brief, by workspace-relative path."""
    if fanout is None:
        return {}
    number = fanout.issue.number
    waves = {t.id: t.wave for t in fanout.tasks}
    return {
        brief_path(output_dir, number, t.id): render_brief(fanout, t, waves) for t in fanout.tasks
    }
