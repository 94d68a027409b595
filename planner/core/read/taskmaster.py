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

The file is untrusted: anything that is not as Taskmaster writes it is refused with a
message in Taskmaster's terms (which task, which field), never guessed at.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.core.patterns import LazyPattern
from planner.core.text import one_line, visible

DONE = frozenset({"done", "completed"})
DROPPED = frozenset({"cancelled"})
STARTED = frozenset({"in-progress", "review"})
OPEN_AS_IS = frozenset({"pending", ""})
MAX_TEXT = 2_000
_NUMBER = LazyPattern(r"[0-9]{1,9}")
_SUBTASK = LazyPattern(r"([0-9]{1,9})\.([0-9]{1,9})")
# Every task Taskmaster writes has these; a JSON example that merely holds "tasks" has not.
SIGNATURE = ("id", "title", "status", "dependencies")


class TaskmasterError(ValueError):
    """A tasks.json that is not as Taskmaster writes it; the message names the task and
    the field."""


def _holder(data: Any) -> Mapping[str, Any] | None:
    """What holds the task list: the untagged top level, else the ``master`` tag, else the
    only tag."""
    if not isinstance(data, Mapping) or "roadmap" in data or "milestones" in data:
        return None
    if "tasks" in data:
        return data
    master = data.get("master")
    if isinstance(master, Mapping) and "tasks" in master:
        return master
    tagged = [v for v in data.values() if isinstance(v, Mapping) and "tasks" in v]
    return tagged[0] if len(tagged) == 1 else None


def looks_like_taskmaster(data: Any) -> bool:
    """A ``tasks.json`` of Taskmaster: a task list whose every task has Taskmaster's own
    fields (an id, a title, a status and dependencies)."""
    holder = _holder(data)
    tasks = holder.get("tasks") if holder is not None else None
    return (
        isinstance(tasks, list)
        and bool(tasks)
        and all(isinstance(t, Mapping) and all(k in t for k in SIGNATURE) for t in tasks)
    )


def _text(value: Any) -> str:
    return " ".join(value.split())[:MAX_TEXT] if isinstance(value, str) else ""


def _number(value: Any, what: str) -> str:
    """A Taskmaster id: a number, or a number written as text."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not isinstance(text, str) or not _NUMBER.fullmatch(text.strip()):
        shown = one_line(repr(value), 40)
        raise TaskmasterError(f"{what} has the id {shown}; Taskmaster ids are numbers (3)")
    return str(int(text))


def _list(task: Mapping[str, Any], field: str, what: str) -> list[Any]:
    value = task.get(field)
    if value is None:
        return []
    if not isinstance(value, list):
        raise TaskmasterError(f"{what} has '{field}' {one_line(repr(value), 40)}; it is a list")
    return value


def _status(task: Mapping[str, Any], what: str) -> str:
    status = task.get("status")
    if status is not None and not isinstance(status, str):
        raise TaskmasterError(f"{what} has the status {one_line(repr(status), 40)}; it is text")
    return (status or "").strip().lower()


def _title(task: Mapping[str, Any], what: str) -> str:
    title = _text(task.get("title"))
    if not visible(title):
        raise TaskmasterError(f"{what} has no title; give it one")
    return title


def _task_status(status: str) -> str:
    """A task is done or planned: work started or under review is still open."""
    return "done" if status in DONE else "planned"


class _Reader:
    """One tasks.json, read task by task; what it leaves out is said in ``notes``."""

    def __init__(self, tasks: list[Any]) -> None:
        self.notes: list[str] = []
        self.tasks: list[tuple[str, Mapping[str, Any]]] = []
        seen: set[str] = set()
        for k, task in enumerate(tasks):
            what = f"task {k + 1} of the list"
            if not isinstance(task, Mapping):
                raise TaskmasterError(f"{what} is not an object")
            number = _number(task.get("id"), what)
            if number in seen:
                raise TaskmasterError(f"task {number} appears twice; give each task its own id")
            seen.add(number)
            self.tasks.append((number, task))
        self.dropped = {n for n, t in self.tasks if _status(t, f"task {n}") in DROPPED}

    def draft(self) -> dict[str, Any]:
        milestones = []
        for number, task in self.tasks:
            what = f"task {number}"
            if number in self.dropped:
                named = _text(task.get("title"))
                self.notes.append(f"Taskmaster {what} ({named}) is cancelled; it is left out.")
                continue
            milestones.append(self._milestone(number, task, what))
        return {"roadmap": {"milestones": milestones, "assumptions": self.notes}}

    def _depends(self, dep: Any, what: str) -> str | None:
        """A top-level task's dependency as a milestone id; None when it names a cancelled
        task (said in the notes)."""
        number = _number(dep, f"{what}'s dependency")
        if number in self.dropped:
            self.notes.append(f"Taskmaster {what} depended on cancelled task {number}; dropped.")
            return None
        return f"M{number}"

    def _milestone(self, number: str, task: Mapping[str, Any], what: str) -> dict[str, Any]:
        mid = f"M{number}"
        title = _title(task, what)
        status = _status(task, what)
        described, details = _text(task.get("description")), _text(task.get("details"))
        strategy = _text(task.get("testStrategy"))
        depends = [
            d for d in (self._depends(x, what) for x in _list(task, "dependencies", what)) if d
        ]
        subtasks = _list(task, "subtasks", what)
        made = self._subtasks(number, subtasks, depends, what)
        if not made:  # a task without subtasks is one task
            self._note_open(status, what)
            made.append(
                {
                    "id": f"{mid}-T1",
                    "title": title,
                    "objective": _objective(title, described, details),
                    "status": _task_status(status),
                }
            )
        milestone: dict[str, Any] = {
            "id": mid,
            "title": title,
            "status": "in_progress" if status in STARTED else _task_status(status),
            "outcome": " ".join(p for p in (described, details if subtasks else "") if p) or None,
            "dependencies": list(dict.fromkeys(depends)),
            "validation": [strategy] if strategy else [],
            "tasks": made,
        }
        return {k: v for k, v in milestone.items() if v is not None}

    def _subtasks(
        self, number: str, subtasks: list[Any], depends: list[str], what: str
    ) -> list[dict[str, Any]]:
        mid = f"M{number}"
        read: list[tuple[str, Mapping[str, Any]]] = []
        for k, sub in enumerate(subtasks):
            at = f"subtask {k + 1} of {what}"
            if not isinstance(sub, Mapping):
                raise TaskmasterError(f"{at} is not an object")
            read.append((_number(sub.get("id"), at), sub))
        cancelled = {s for s, sub in read if _status(sub, f"subtask {number}.{s}") in DROPPED}
        siblings = {s for s, _ in read}
        made = []
        for sid, sub in read:
            at = f"subtask {number}.{sid}"
            if sid in cancelled:
                self.notes.append(f"Taskmaster {at} is cancelled; it is left out of the plan.")
                continue
            needs = [
                need
                for dep in _list(sub, "dependencies", at)
                if (need := self._need(dep, number, siblings, cancelled, depends, at))
            ]
            title = _title(sub, at)
            status = _status(sub, at)
            self._note_open(status, at)
            made.append(
                {
                    "id": f"{mid}-T{sid}",
                    "title": title,
                    "objective": _objective(title, sub.get("description"), sub.get("details")),
                    "status": _task_status(status),
                    "depends_on": needs,
                }
            )
        return made

    def _need(
        self,
        dep: Any,
        number: str,
        siblings: set[str],
        cancelled: set[str],
        depends: list[str],
        at: str,
    ) -> str | None:
        """A subtask's dependency as a task id: "2.1" is subtask 1 of task 2, an older
        file's bare number a sibling; another task makes the milestone wait on it
        (``depends``). None for those, and for cancelled work (said in the notes)."""
        plain = isinstance(dep, str | int) and not isinstance(dep, bool)
        raw = str(dep).strip() if plain else ""
        pair = _SUBTASK.fullmatch(raw)
        if pair:
            parent, child = str(int(pair.group(1))), str(int(pair.group(2)))
            gone = parent in self.dropped or (parent == number and child in cancelled)
            target = f"M{parent}-T{child}"
        elif _NUMBER.fullmatch(raw) and str(int(raw)) in siblings:
            child = str(int(raw))
            gone, target = child in cancelled, f"M{number}-T{child}"
        else:
            other = _number(dep, f"{at}'s dependency")
            gone, target = other in self.dropped, ""
            if not gone and other != number:
                depends.append(f"M{other}")
        if gone:
            self.notes.append(f"Taskmaster {at} depended on cancelled work ({raw}); dropped.")
            return None
        return target or None

    def _note_open(self, status: str, what: str) -> None:
        """Open work Taskmaster marks other than pending (in-progress, review, deferred,
        blocked) is planned as open work: said, so nobody takes it for handed out."""
        if status not in DONE and status not in OPEN_AS_IS:
            self.notes.append(
                f"Taskmaster marks {what} '{one_line(status, 20)}'; the plan holds it as open "
                "work, to be handed out when it is ready."
            )


def _objective(title: str, *said: Any) -> str:
    """The task's title, then what its description and details say: the title leads with
    the change ("Serve events over HTTP: ...")."""
    rest = " ".join(t for t in map(_text, said) if t)
    return f"{title}: {rest}" if rest else title


def taskmaster_draft(data: Any) -> dict[str, Any]:
    """The draft, in the contract's shape, of a Taskmaster ``tasks.json``. Cancelled work
    is left out, and said so among the assumptions; a file that is not as Taskmaster
    writes it raises :class:`TaskmasterError`."""
    holder = _holder(data)
    tasks = holder.get("tasks") if holder is not None else None
    if not isinstance(tasks, list):
        raise TaskmasterError("its 'tasks' is not a list of tasks")
    return _Reader(tasks).draft()


def taskmaster_shaped(data: Any) -> bool:
    """Meant as a Taskmaster file (a task list at the top or under a tag), whether or not
    it is as Taskmaster writes it: a draft file of this shape is read (or refused) as one."""
    return _holder(data) is not None
