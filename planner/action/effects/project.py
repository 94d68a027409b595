"""The plan's sub-issues on a Projects (v2) board (input ``project``): each added once,
with the fields the project has set from the task. A field the project lacks, or an
option it does not offer, is skipped without a word.

- ``Status`` (single select): ``Todo`` when the item is added (``Done`` for a done task);
  afterwards only a done task moves it, to ``Done``; where people move cards is theirs.
- ``Wave`` (single select ``N`` or ``Wave N``, number, or text) and ``Risk`` (single
  select or text, the task's risk class): the plan's, kept in step.

Every failure is a warning with the fix (a token that cannot reach projects, a project
that is not there): the plan and the sub-issues stand without the board. A replay writes
nothing: the items are read first, and only values that differ are written."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

from planner.action.effects.calls import Calls
from planner.action.github import IssueInfo
from planner.action.projects import ProjectField, ProjectInfo, ProjectPort
from planner.model import FanoutTask

T = TypeVar("T")
STATUS = {"planned": ("todo", "to do"), "done": ("done",)}


class ProjectItems:
    def __init__(self, calls: Calls, port: ProjectPort, owner: str, number: int) -> None:
        self.calls = calls
        self.port = port
        self.owner = owner
        self.number = number

    def sync(self, tasks: list[FanoutTask], linked: dict[str, IssueInfo]) -> None:
        """Add each task's sub-issue to the project and set its fields."""
        name = f"project {self.owner}/{self.number}"
        project = self._warn(f"reading {name}", partial(self.port.project, self.owner, self.number))
        if project is None:
            return
        for task in tasks:
            info = linked.get(task.id)
            if info is None or not info.node_id:
                continue
            items = self._warn(
                f"reading the {name} item of sub-issue #{info.number}",
                partial(self.port.items, info.node_id),
            )
            if items is None:
                continue
            item = next((i for i in items if i.project_id == project.id), None)
            values = item.values if item is not None else {}
            item_id = item.id if item is not None else None
            if item_id is None:
                item_id = self._warn(
                    f"adding sub-issue #{info.number} to {name}",
                    partial(self.port.add_item, project.id, info.node_id),
                )
                if item_id is None:
                    return  # the next would be refused as this one was
            for f, key, value in wanted_values(project, task, added=item is None):
                if values.get(f.id) != key:
                    self._warn(
                        f"setting {f.name} of sub-issue #{info.number} in {name}",
                        partial(self.port.set_field, project.id, item_id, f.id, value),
                    )

    def _warn(self, what: str, fn: Callable[[], T]) -> T | None:
        """A project call: its failure is a warning whatever its status."""
        return self.calls.attempt(what, fn, "warning")


def wanted_values(
    project: ProjectInfo, task: FanoutTask, *, added: bool
) -> list[tuple[ProjectField, str, dict[str, Any]]]:
    """The fields to set for a task: each field, its value as the item reads it back, and
    the value as ``updateProjectV2ItemFieldValue`` takes it."""
    fields = {f.name.casefold(): f for f in project.fields}
    wanted: list[tuple[ProjectField, str, dict[str, Any]]] = []
    status = fields.get("status")
    if status is not None and (added or task.status == "done"):
        wanted += _value(status, list(STATUS[task.status]))
    wave = fields.get("wave")
    if wave is not None:
        wanted += _value(wave, [str(task.wave), f"wave {task.wave}"], float(task.wave))
    risk = fields.get("risk")
    if risk is not None:
        wanted += _value(risk, [task.risk_class])
    return wanted


def _value(
    f: ProjectField, names: list[str], number: float | None = None
) -> list[tuple[ProjectField, str, dict[str, Any]]]:
    """The value of one field: an option of that name (any case) for a single select,
    the first name for text, ``number`` for a number; none for another kind of field or
    a single select without such an option."""
    if f.data_type == "SINGLE_SELECT":
        options = {name.casefold(): option for name, option in f.options.items()}
        option = next((options[n] for n in names if n in options), None)
        return [(f, option, {"singleSelectOptionId": option})] if option else []
    if f.data_type == "TEXT":
        return [(f, names[0], {"text": names[0]})]
    if f.data_type == "NUMBER" and number is not None:
        return [(f, repr(number), {"number": number})]
    return []
