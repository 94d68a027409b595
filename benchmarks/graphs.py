"""Layered dependency graphs written as a planning contract and as a Taskmaster task file,
shared by the benchmarks.

``n`` tasks in ``layers`` layers of equal width; each task after the first layer depends
on the task in the same place of the layer before it, so the graph is acyclic and every
chain is ``layers`` long (10 by default). The contract puts ``PER_MILESTONE`` tasks in
each milestone and chains the milestones. With ``defects`` the last task and the one it
depends on depend on each other (a cycle), and the first task depends on a task that does
not exist.

(One dependency per task, not two: Taskmaster's cycle check follows every path from each
task without remembering where it has been, so two dependencies per task over many layers
make it exponential; 2,000 such tasks did not finish in ten minutes.)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

LAYERS = 10
PER_MILESTONE = 200


def _deps(i: int, n: int, layers: int) -> list[int]:
    width = max(1, n // layers)
    return [i - width] if i >= width else []


def _defects(n: int, layers: int) -> tuple[int, int]:
    """The two tasks of the cycle: the last task and the one it depends on."""
    last = n - 1
    return last, _deps(last, n, layers)[0]


def _task_deps(n: int, defects: bool, layers: int) -> list[list[int]]:
    deps = [_deps(i, n, layers) for i in range(n)]
    if defects:
        last, back = _defects(n, layers)
        deps[back] = [*deps[back], last]  # back -> last -> back
        deps[0] = [*deps[0], n + 1000]  # unknown
    return deps


def planner_id(i: int) -> str:
    return f"M{i // PER_MILESTONE + 1}-T{i % PER_MILESTONE + 1}"


def contract(
    n: int, defects: bool = False, number: int = 1, layers: int = LAYERS
) -> dict[str, Any]:
    """A contract of ``n`` planned tasks, the shape ``planner plan`` writes."""
    deps = _task_deps(n, defects, layers)
    milestones: list[dict[str, Any]] = []
    for m in range((n + PER_MILESTONE - 1) // PER_MILESTONE):
        mid = f"M{m + 1}"
        tasks = []
        for i in range(m * PER_MILESTONE, min(n, (m + 1) * PER_MILESTONE)):
            path = f"src/m{m + 1}/part{i}.py"
            tasks.append(
                {
                    "id": planner_id(i),
                    "title": f"Implement part {i} in `{path}`",
                    "role": "developer",
                    "kind": "feature",
                    "objective": f"Implement part {i} in `{path}`",
                    "status": "planned",
                    "risk_class": "medium",
                    "diff_boundary": {"paths": [path], "max_diff_scope": 400},
                    "invariants": [
                        "Changes stay inside the task's diff_boundary.paths",
                        "The existing test suite keeps passing",
                        "Behaviour outside the diff boundary is unchanged",
                    ],
                    "acceptance": [
                        f"Done when: Implement part {i} in `{path}`",
                        "The repository's test suite passes in CI",
                    ],
                    "depends_on": [planner_id(d) if d < n else f"M999-T{d}" for d in deps[i]],
                    "references": [],
                }
            )
        milestones.append(
            {
                "id": mid,
                "title": f"Step {m + 1}",
                "outcome": f"parts {m * PER_MILESTONE} to {m * PER_MILESTONE + len(tasks) - 1} "
                "exist.",
                "status": "planned",
                "dependencies": [f"M{m}"] if m else [],
                "acceptance": [f"every part of step {m + 1} is implemented"],
                "validation": ["the repository's test suite passes"],
                "risks": [],
                "risk_class": "medium",
                "max_diff_scope": 400,
                "tasks": tasks,
                "references": [],
            }
        )
    return {
        "schema_version": "1",
        "issue": {"number": number, "title": f"{n} tasks", "url": None},
        "roadmap": {
            "version": 1,
            "objective": f"Build {n} parts in layers.",
            "focus": "M1",
            "milestones": milestones,
            "assumptions": ["The layers are independent within themselves"],
            "unknowns": ["None"],
            "out_of_scope": [],
        },
        "contract_defaults": {
            "risk_class": "medium",
            "max_diff_scope": 400,
            "acceptance_tests": ["The repository's test suite passes in CI"],
            "invariants": [
                "Changes stay inside the task's diff_boundary.paths",
                "The existing test suite keeps passing",
                "Behaviour outside the diff boundary is unchanged",
            ],
            "evidence_required": ["test run output", "diff summary within max_diff_scope"],
        },
        "decisions": [],
    }


def taskmaster(n: int, defects: bool = False, layers: int = LAYERS) -> dict[str, Any]:
    """The same graph as a Taskmaster ``.taskmaster/tasks/tasks.json`` (ids from 1)."""
    deps = _task_deps(n, defects, layers)
    tasks = []
    for i in range(n):
        path = f"src/m{i // PER_MILESTONE + 1}/part{i}.py"
        tasks.append(
            {
                "id": i + 1,
                "title": f"Implement part {i} in `{path}`",
                "description": f"Implement part {i} in `{path}`",
                "details": "Changes stay inside the task's paths; the existing test suite "
                "keeps passing; behaviour outside the paths is unchanged.",
                "testStrategy": "The repository's test suite passes in CI",
                "status": "pending",
                "dependencies": [d + 1 for d in deps[i]],
                "priority": "medium",
                "subtasks": [],
            }
        )
    stamp = "2026-01-01T00:00:00.000Z"
    return {
        "master": {
            "tasks": tasks,
            "metadata": {"created": stamp, "updated": stamp, "description": f"{n} tasks"},
        }
    }


def dumps(data: dict[str, Any]) -> str:
    """As ``planner plan`` writes files: 2-space indent, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path, n: int, defects: bool, layers: int = LAYERS) -> None:
    """Both files for one graph: ``.agent/planning-output-1.json`` for ``planner
    validate`` and ``.taskmaster/tasks/tasks.json`` for ``task-master``."""
    agent = folder / ".agent"
    agent.mkdir(parents=True, exist_ok=True)
    planned = contract(n, defects, layers=layers)
    (agent / "planning-output-1.json").write_text(dumps(planned), encoding="utf-8")
    tasks = folder / ".taskmaster" / "tasks"
    tasks.mkdir(parents=True, exist_ok=True)
    (tasks / "tasks.json").write_text(dumps(taskmaster(n, defects, layers)), encoding="utf-8")


if __name__ == "__main__":  # python benchmarks/graphs.py FOLDER TASKS LAYERS [defects]
    write(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[4:] == ["defects"], int(sys.argv[3]))
