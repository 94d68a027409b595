"""Reader cases as data: ``tests/reader_cases/<name>/issue.md`` is a request, and
``expected.yml`` beside it what the reader must draft from it. A pattern of a document is
one folder; each key of ``expected.yml`` is compared whole, keys left out are not looked
at. Tasks are written as their titles, a done one with ``[x]`` before it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from planner.core.read import read_request
from planner.core.read.draft import Draft, DraftMilestone, DraftTask

CASES = Path(__file__).parent / "reader_cases"
KEYS = {
    "objective",
    "milestones",
    "loose_tasks",
    "decisions",
    "acceptance",
    "out_of_scope",
    "assumptions",
    "risks",
}


def _task(task: DraftTask) -> str:
    return f"[x] {task.title}" if task.done else task.title


def _milestone(milestone: DraftMilestone) -> dict[str, Any]:
    drafted: dict[str, Any] = {"title": milestone.title}
    if milestone.id:
        drafted["id"] = milestone.id
    if milestone.done:
        drafted["done"] = True
    for name in ("dependencies", "acceptance"):
        if getattr(milestone, name):
            drafted[name] = getattr(milestone, name)
    drafted["tasks"] = [_task(t) for t in milestone.tasks]
    return drafted


def drafted(draft: Draft) -> dict[str, Any]:
    """The draft as ``expected.yml`` writes it."""
    return {
        "objective": draft.objective,
        "milestones": [_milestone(m) for m in draft.milestones],
        "loose_tasks": [_task(t) for t in draft.loose_tasks],
        "decisions": [d.question for d in draft.decisions],
        "acceptance": draft.acceptance,
        "out_of_scope": draft.out_of_scope,
        "assumptions": draft.assumptions,
        "risks": draft.risks,
    }


@pytest.mark.parametrize("name", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_reader_case(name: str) -> None:
    folder = CASES / name
    expected = yaml.safe_load((folder / "expected.yml").read_text(encoding="utf-8"))
    assert expected and set(expected) <= KEYS, f"{name}: expected.yml keys: {sorted(KEYS)}"
    got = drafted(read_request("t", (folder / "issue.md").read_text(encoding="utf-8")))
    assert {key: got[key] for key in expected} == expected
