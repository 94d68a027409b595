"""validate mode on the task graph a contract holds: a task depending on a task that does
not exist, and tasks depending on each other in a cycle, are errors located by JSON Pointer;
and the size limit for the files it reads."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from planner import cli
from planner.action.workspace import MAX_READ, Workspace, WorkspaceError
from planner.core.check import validate_contract
from planner.model import Config
from tests.runner import ROOT

EXAMPLE = ROOT / "examples" / "issue-42.md"


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The contract `planner plan` writes for the shipped example."""
    workspace = tmp_path_factory.mktemp("planned") / "ws"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    code = cli.main(
        ["plan", str(EXAMPLE), "--issue-number", "42", "--workspace", str(workspace)],
        io.StringIO(),
    )
    assert code == 0
    contract: dict[str, Any] = json.loads(
        (workspace / ".agent" / "planning-output-42.json").read_text(encoding="utf-8")
    )
    return contract


def task(contract: dict[str, Any], milestone: int, index: int) -> dict[str, Any]:
    found: dict[str, Any] = contract["roadmap"]["milestones"][milestone]["tasks"][index]
    return found


def findings(contract: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    found = validate_contract(json.dumps(contract), "plan.json", Config())
    return [(f.rule, f.location.task, f.location.pointer) for f in found]


def test_the_planned_contract_has_no_graph_findings(planned: dict[str, Any]) -> None:
    assert not [t for t in findings(planned) if t[0].startswith("graph-")]


def test_a_dependency_on_a_task_that_does_not_exist(planned: dict[str, Any]) -> None:
    contract = json.loads(json.dumps(planned))
    third = task(contract, 0, 2)
    third["depends_on"] = [*third["depends_on"], "M1-T99"]
    at = len(third["depends_on"]) - 1
    assert findings(contract) == [
        (
            "graph-unknown-dependency",
            third["id"],
            f"/roadmap/milestones/0/tasks/2/depends_on/{at}",
        )
    ]
    message = validate_contract(json.dumps(contract), "plan.json", Config())[0].message
    assert "M1-T99" in message and third["id"] in message


def test_tasks_that_depend_on_each_other_in_a_cycle(planned: dict[str, Any]) -> None:
    contract = json.loads(json.dumps(planned))
    first, second = task(contract, 0, 0), task(contract, 0, 1)
    assert first["id"] in second["depends_on"]  # the example's M1-T2 needs M1-T1
    first["depends_on"] = [second["id"]]
    found = validate_contract(json.dumps(contract), "p.json", Config())
    assert [(f.rule, f.severity) for f in found] == [("graph-cycle", "error")]
    assert found[0].location.pointer == "/roadmap/milestones/0/tasks/0/depends_on"
    assert f"cycle: {first['id']} → {second['id']} → {first['id']} (" in found[0].message


def test_a_cycle_across_milestones_and_a_self_dependency(planned: dict[str, Any]) -> None:
    contract = json.loads(json.dumps(planned))
    early, late = task(contract, 0, 0), task(contract, 1, 0)
    early["depends_on"] = [late["id"]]
    late["depends_on"] = [early["id"]]
    alone = task(contract, 1, 1)
    alone["depends_on"] = [alone["id"]]
    cycles = [t for t in findings(contract) if t[0] == "graph-cycle"]
    assert sorted(t[1] or "" for t in cycles) == sorted([early["id"], alone["id"]])


def test_validate_exits_1_naming_both_defects(tmp_path: Path, planned: dict[str, Any]) -> None:
    contract = json.loads(json.dumps(planned))
    task(contract, 0, 0)["depends_on"] = [task(contract, 0, 1)["id"]]
    task(contract, 1, 0)["depends_on"] = ["M7-T1"]
    folder = tmp_path / ".agent"
    folder.mkdir()
    (folder / "planning-output-42.json").write_text(json.dumps(contract), encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["validate", "--workspace", str(tmp_path)], out) == 1
    text = out.getvalue()
    assert "[graph-cycle] Tasks depend on each other in a cycle" in text
    assert "[graph-unknown-dependency]" in text and "'M7-T1'" in text
    assert ".agent/planning-output-42.json#/roadmap/milestones/1/tasks/0/depends_on/0" in text


def test_schema_errors_carry_json_pointers(planned: dict[str, Any]) -> None:
    contract = json.loads(json.dumps(planned))
    task(contract, 1, 0)["diff_boundary"]["max_diff_scope"] = 0
    del task(contract, 0, 1)["risk_class"]
    found = validate_contract(json.dumps(contract), "plan.json", Config())
    assert [(f.rule, f.location.file, f.location.pointer) for f in found] == [
        ("contract-schema", "plan.json", "/roadmap/milestones/0/tasks/1"),
        (
            "contract-schema",
            "plan.json",
            "/roadmap/milestones/1/tasks/0/diff_boundary/max_diff_scope",
        ),
    ]
    assert "'risk_class' is a required property" in found[0].message


def test_files_up_to_the_limit_are_read_and_larger_ones_refused(tmp_path: Path) -> None:
    (tmp_path / "big.json").write_text(" " * 5_000_000 + "{}")  # over the old 4 MiB limit
    workspace = Workspace(tmp_path)
    assert workspace.read_text("big.json") is not None
    with (tmp_path / "huge.json").open("wb") as handle:
        handle.truncate(MAX_READ + 1)  # sparse: the size is what counts
    with pytest.raises(WorkspaceError) as caught:
        workspace.read_text("huge.json")
    assert str(caught.value) == (
        f"'huge.json' has {MAX_READ + 1:,} bytes, more than the 64 MiB a planning file may "
        "have; split the plan into several issues"
    )


def test_validate_refuses_an_oversized_contract_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / ".agent"
    folder.mkdir()
    with (folder / "planning-output-1.json").open("wb") as handle:
        handle.truncate(MAX_READ + 1)
    out = io.StringIO()
    assert cli.main(["validate", "--workspace", str(tmp_path)], out) == 2
    assert out.getvalue().count("\n") == 1 and "more than the 64 MiB" in out.getvalue()


def test_a_task_waiting_on_a_later_milestones_task_is_said(planned: dict[str, Any]) -> None:
    """One milestone is the focus at a time, in the plan's order, so an M1 task that
    waits on an M2 task is never ready and M1 never done: the plan would stall with no
    word of why."""
    contract = json.loads(json.dumps(planned))
    task(contract, 0, 0)["depends_on"] = ["M2-T1"]
    task(contract, 0, 3)["depends_on"] = ["M2-T2"]  # verification waits for features anyway
    found = validate_contract(json.dumps(contract), "plan.json", Config())
    (later,) = [f for f in found if f.rule == "graph-waits-on-later"]
    assert later.severity == "warning" and later.location.task == "M1-T1"
    assert later.location.pointer == "/roadmap/milestones/0/tasks/0/depends_on/0"
    assert "Task M1-T1 waits on M2-T1, a task of milestone M2, which comes after M1" in (
        later.message
    )
    assert not [f for f in found if f.severity == "error"]

    task(contract, 1, 0)["status"] = "done"
    task(contract, 1, 1)["status"] = "done"
    assert not [f for f in findings(contract) if f[0] == "graph-waits-on-later"], (
        "a done task is no wait: the same line is fine once M2-T1 is done"
    )


TASKMASTER = """```json
{"master": {"tasks": [
 {"id": 1, "title": "Add the config loader", "status": "pending", "dependencies": [],
  "subtasks": [{"id": 1, "title": "Validate keys in src/config.py", "status": "pending",
                "dependencies": ["2.1"]}]},
 {"id": 2, "title": "Add the schema module", "status": "pending", "dependencies": [],
  "subtasks": [{"id": 1, "title": "Define the schema in src/schema.py", "status": "pending",
                "dependencies": []}]}
]}}
```
"""


def test_a_task_waiting_on_a_later_milestone_is_said_and_the_plan_stays_green(
    tmp_path: Path,
) -> None:
    """Taskmaster's subtasks name other tasks' subtasks while the tasks state no order;
    the written order stands (a misread dependency must not move the focus), and the
    wait that stalls it is said."""
    request = tmp_path / "request.md"
    request.write_text(TASKMASTER, encoding="utf-8")
    out = io.StringIO()
    assert cli.main(["plan", str(request), "--workspace", str(tmp_path)], out) == 0
    made = json.loads((tmp_path / ".agent/planning-output-1.json").read_text())
    assert [m["id"] for m in made["roadmap"]["milestones"]] == ["M1", "M2"]
    assert "[graph-waits-on-later] Task M1-T1 waits on M2-T1" in out.getvalue()
