"""Taskmaster's ``tasks.json`` read as a draft: each top-level task a milestone, its
subtasks the milestone's tasks (a task without subtasks is a milestone of one task), with
Taskmaster's dependencies and statuses.

Taskmaster (``task-master-ai``) writes ``.taskmaster/tasks/tasks.json``: tags at the top
(``{"master": {"tasks": [...], "metadata": {...}}}``), or, before tags, one
``{"tasks": [...]}``. A task has ``id``, ``title``, ``description``, ``details``,
``testStrategy``, ``status``, ``dependencies`` (ids of other tasks) and ``subtasks``,
whose ``dependencies`` name other subtasks as ``"2.1"`` (or, in older files, a sibling's
number). Ids here become the planner's: task 2 is milestone ``M2``, its subtask 1 is
``M2-T1``, so a dependency reads the same in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

DONE = frozenset({"done", "completed"})
STARTED = frozenset({"in-progress", "review"})
DROPPED = frozenset({"cancelled"})
MAX_TEXT = 2_000


def looks_like_taskmaster(data: Any) -> bool:
    """A ``tasks.json`` of Taskmaster: tasks whose ids and titles are there, at the top
    or under a tag."""
    return _tasks(data) is not None


def _tasks(data: Any) -> list[Mapping[str, Any]] | None:
    """The task list: the legacy top level, else the ``master`` tag, else the only tag."""
    if not isinstance(data, Mapping):
        return None
    if "roadmap" in data or "milestones" in data:
        return None
    tagged = [v for v in data.values() if isinstance(v, Mapping) and "tasks" in v]
    holder = (
        data
        if "tasks" in data
        else data.get("master")
        if isinstance(data.get("master"), Mapping)
        else tagged[0]
        if len(tagged) == 1
        else None
    )
    tasks = holder.get("tasks") if isinstance(holder, Mapping) else None
    if not isinstance(tasks, list) or not all(
        isinstance(t, Mapping) and "id" in t and "title" in t for t in tasks
    ):
        return None
    return tasks


def _text(value: Any) -> str:
    return " ".join(str(value).split())[:MAX_TEXT] if isinstance(value, str | int) else ""


def _id(value: Any) -> str:
    """A Taskmaster id as written ("2", 2, "2.1"), as text."""
    return (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )


def _status(value: Any) -> str:
    status = _text(value).lower()
    return "done" if status in DONE else "in_progress" if status in STARTED else "planned"


def _task_status(value: Any) -> str:
    """A task is planned or done (started work is still open)."""
    return "done" if _status(value) == "done" else "planned"


def _objective(title: str, *said: Any) -> str:
    """The task's title, then what its description and details say: the title leads with
    the change ("Serve events over HTTP: ...")."""
    rest = " ".join(t for t in map(_text, said) if t)
    return f"{title}: {rest}" if rest else title


def taskmaster_draft(data: Any) -> dict[str, Any]:
    """The draft, in the contract's shape, of a Taskmaster ``tasks.json`` (see
    :func:`looks_like_taskmaster`). Cancelled tasks are left out, and said so among the
    assumptions."""
    tasks = _tasks(data) or []
    kept = [t for t in tasks if _text(t.get("status")).lower() not in DROPPED]
    milestone_of = {_id(t.get("id")): f"M{_id(t.get('id'))}" for t in kept}
    milestones = [_milestone(t, milestone_of) for t in kept]
    left_out = [
        f"Taskmaster task {_id(t.get('id'))} ({_text(t.get('title'))}) is cancelled; it is "
        "left out of the plan."
        for t in tasks
        if t not in kept
    ]
    return {"roadmap": {"milestones": milestones, "assumptions": left_out}}


def _milestone(task: Mapping[str, Any], milestone_of: dict[str, str]) -> dict[str, Any]:
    number = _id(task.get("id"))
    mid = milestone_of[number]
    title = _text(task.get("title")) or f"Task {number}"
    described = _text(task.get("description"))
    details = _text(task.get("details"))
    strategy = _text(task.get("testStrategy"))
    depends = [
        milestone_of[d] for d in map(_id, task.get("dependencies") or []) if d in milestone_of
    ]
    subtasks = [
        s
        for s in task.get("subtasks") or []
        if isinstance(s, Mapping) and _text(s.get("status")).lower() not in DROPPED
    ]
    made: list[dict[str, Any]] = []
    for s in subtasks:
        sub = _id(s.get("id"))
        needs: list[str] = []
        for dep in map(_id, s.get("dependencies") or []):
            if "." in dep:  # "2.1": subtask 1 of task 2
                parent, _, child = dep.partition(".")
                needs.append(f"M{parent}-T{child}")
            elif dep.isdigit() and any(_id(o.get("id")) == dep for o in subtasks):
                needs.append(f"{mid}-T{dep}")  # an older file's sibling number
            elif dep in milestone_of and milestone_of[dep] not in depends and dep != number:
                depends.append(milestone_of[dep])  # another task: its milestone waits
        named = _text(s.get("title")) or f"Subtask {number}.{sub}"
        made.append(
            {
                "id": f"{mid}-T{sub}",
                "title": named,
                "objective": _objective(named, s.get("description"), s.get("details")),
                "status": _task_status(s.get("status")),
                "depends_on": needs,
            }
        )
    if not made:  # a task without subtasks is one task
        made.append(
            {
                "id": f"{mid}-T1",
                "title": title,
                "objective": _objective(title, described, details),
                "status": _task_status(task.get("status")),
                "depends_on": [],
            }
        )
    milestone: dict[str, Any] = {
        "id": mid,
        "title": title,
        "status": _status(task.get("status")),
        "outcome": " ".join(p for p in (described, details if subtasks else "") if p) or None,
        "dependencies": depends,
        "validation": [strategy] if strategy else [],
        "tasks": [{k: v for k, v in t.items() if v is not None} for t in made],
    }
    return {k: v for k, v in milestone.items() if v is not None}
