"""Taskmaster's tasks.json as a draft: written by the real ``task-master`` CLI
(task-master-ai, a dev dependency in tests/node), then planned through the CLI as a user
plans it; and the older and hand-edited shapes of the file, read by the core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from planner.core.plan import build_plan
from planner.model import Config, Issue, PlanRequest
from tests.runner import ROOT

TASK_MASTER = ROOT / "tests" / "node" / "node_modules" / ".bin" / "task-master"
TASKS = Path(".taskmaster") / "tasks" / "tasks.json"


def task_master(root: Path, *args: str) -> None:
    if shutil.which("node") is None or not TASK_MASTER.exists():
        raise RuntimeError("node and tests/node/node_modules are needed: run scripts/test")
    done = subprocess.run(
        [str(TASK_MASTER), *args],
        cwd=root,
        env={**os.environ, "NO_COLOR": "1", "HOME": str(root)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def planned(root: Path, *extra: str, request: str = "issue.md") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "plan", request, "--workspace", ".", *extra],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr
    contract: dict[str, Any] = json.loads((root / ".agent/planning-output-1.json").read_text())
    return contract


def milestones(contract: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in contract["roadmap"]["milestones"]}


def tasks(contract: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for m in contract["roadmap"]["milestones"] for t in m["tasks"]}


@pytest.mark.node
def test_a_tasks_json_written_by_task_master_is_planned_with_its_order_and_statuses(
    tmp_path: Path,
) -> None:
    (tmp_path / TASKS).parent.mkdir(parents=True)
    (tmp_path / TASKS).write_text('{"master": {"tasks": [], "metadata": {}}}')
    for args in (
        ["-t", "Set up the event schema", "-d", "Tables for events", "--details", "db/schema.sql"],
        ["-t", "Write events to the store", "-d", "Batched appends", "--dependencies", "1"],
        ["-t", "Serve events over HTTP", "-d", "Paged reads", "--dependencies", "2"],
        ["-t", "Export events to CSV", "-d", "A one-off export"],
    ):
        task_master(tmp_path, "add-task", *args)
    task_master(tmp_path, "add-subtask", "--parent", "2", "-t", "Batch writes", "-d", "Every 1 s")
    task_master(
        tmp_path, "add-subtask", "--parent", "2", "-t", "Retry failed writes",
        "-d", "With backoff", "--dependencies", "2.1",
    )  # fmt: skip
    task_master(tmp_path, "set-status", "--id", "1", "--status", "done")
    task_master(tmp_path, "set-status", "--id", "2.1", "--status", "done")
    task_master(tmp_path, "set-status", "--id", "4", "--status", "cancelled")
    (tmp_path / "issue.md").write_text("Plan the event store from Taskmaster's tasks.\n")

    contract = planned(tmp_path, "--draft", str(TASKS))

    ms = milestones(contract)
    assert list(ms) == ["M1", "M2", "M3"], "the cancelled task 4 is left out"
    assert ms["M1"]["status"] == "done" and ms["M2"]["dependencies"] == ["M1"]
    assert ms["M3"]["dependencies"] == ["M2"]
    assert contract["roadmap"]["focus"] == "M2"
    ts = tasks(contract)
    assert [t for t in ts if t.startswith("M2-")] == ["M2-T1", "M2-T2"]
    assert ts["M2-T1"]["status"] == "done" and ts["M2-T2"]["depends_on"] == ["M2-T1"]
    assert ts["M2-T2"]["objective"] == "Retry failed writes: With backoff"
    assert ts["M3-T1"]["title"] == "Serve events over HTTP", "a task without subtasks is one"
    assert any(
        "task 4 (Export events to CSV) is cancelled" in a
        for a in contract["roadmap"]["assumptions"]
    )
    assert not any(TASKS.name in p for t in ts.values() for p in t["diff_boundary"]["paths"])


LEGACY = {
    "tasks": [
        {"id": 1, "title": "Parse the config", "status": "done", "dependencies": []},
        {
            "id": 2,
            "title": "Validate the config",
            "description": "Reject unknown keys",
            "testStrategy": "pytest tests/test_config.py",
            "status": "in-progress",
            "dependencies": [1],
            "subtasks": [
                {"id": 1, "title": "List the known keys", "status": "done", "dependencies": []},
                {"id": 2, "title": "Refuse the others", "status": "pending", "dependencies": [1]},
                {"id": 3, "title": "Old idea", "status": "cancelled", "dependencies": []},
            ],
        },
    ]
}


def plan_of(body: str, draft: str | None = None, name: str | None = None) -> dict[str, Any]:
    request = PlanRequest(
        issue=Issue(number=1, title="Config", body=body), draft=draft, draft_name=name
    )
    made = build_plan(request, Config())
    assert made.contract is not None, [f.message for f in made.findings]
    return made.contract.model_dump(mode="json")


def test_an_older_tasks_json_with_numeric_ids_and_sibling_numbers() -> None:
    contract = plan_of("Plan it.", json.dumps(LEGACY), "tasks.json")
    ms, ts = milestones(contract), tasks(contract)
    assert ms["M2"]["dependencies"] == ["M1"] and ms["M2"]["status"] == "in_progress"
    assert ms["M2"]["validation"] == ["pytest tests/test_config.py"]
    assert ts["M2-T2"]["depends_on"] == ["M2-T1"], "a sibling's number is that subtask"
    assert "M2-T3" not in ts, "a cancelled subtask is no work"


def test_a_tasks_json_in_a_fenced_block_of_the_issue_is_the_draft() -> None:
    tagged = {"feature-x": LEGACY}  # one tag, not called master
    contract = plan_of("Our tasks:\n\n```json\n" + json.dumps(tagged) + "\n```\n")
    assert list(milestones(contract)) == ["M1", "M2"]


def test_a_json_that_is_no_tasks_json_is_refused_with_the_reason() -> None:
    request = PlanRequest(
        issue=Issue(number=1, title="Config", body="- [ ] Add `src/a.py`"),
        draft=json.dumps({"tasks": [{"title": "no id"}]}),
        draft_name="tasks.json",
    )
    made = build_plan(request, Config())
    (bad,) = [f for f in made.findings if f.rule == "draft-invalid"]
    assert "tasks.json was not used" in bad.message


def findings_of(body: str, draft: str | None = None) -> list[str]:
    request = PlanRequest(
        issue=Issue(number=1, title="Config", body=body),
        draft=draft,
        draft_name="tasks.json" if draft else None,
    )
    return [f"{f.rule}: {f.message}" for f in build_plan(request, Config()).findings]


def task(number: Any, **fields: Any) -> dict[str, Any]:
    return {
        "id": number,
        "title": f"Task {number}",
        "status": "pending",
        "dependencies": [],
        **fields,
    }


@pytest.mark.parametrize(
    ("tasks", "said"),
    [
        ([task(1, dependencies=2)], "task 1 has 'dependencies' 2; it is a list"),
        ([task(1, dependencies="12")], "task 1 has 'dependencies' '12'; it is a list"),
        ([task(1, subtasks=5)], "task 1 has 'subtasks' 5; it is a list"),
        ([task(1, subtasks=[task(1, dependencies=2)])], "subtask 1.1 has 'dependencies' 2"),
        ([task([1])], "task 1 of the list has the id [1]; Taskmaster ids are numbers"),
        ([task("a b")], "has the id 'a b'; Taskmaster ids are numbers"),
        ([task(True)], "has the id True"),
        ([task(1), task(1)], "task 1 appears twice"),
        ([task(1, title="\u200b\u200b")], "task 1 has no title"),
        ([task(1, status=3)], "task 1 has the status 3; it is text"),
        ([task(1, subtasks=["x"])], "subtask 1 of task 1 is not an object"),
    ],
)
def test_a_tasks_json_not_as_taskmaster_writes_it_is_refused_in_its_terms(
    tasks: list[Any], said: str
) -> None:
    for found in (
        findings_of("- [ ] Add `src/a.py`", json.dumps({"master": {"tasks": tasks}})),
        findings_of("- [ ] Add `src/a.py`\n\n```json\n" + json.dumps({"tasks": tasks}) + "\n```"),
    ):
        (refused,) = [f for f in found if f.startswith("draft-invalid")]
        assert "read as Taskmaster's tasks.json" in refused and said in refused, refused


def test_an_example_holding_tasks_in_an_ordinary_issue_is_not_the_plan() -> None:
    """Only a file with Taskmaster's own fields on every task is read as one: a JSON
    example of some API that happens to hold "tasks" stays an example."""
    body = (
        "## Tasks\n- [ ] Add cursor pagination in `api/tasks.py`\n\n## Notes\n\n```json\n"
        + json.dumps({"data": {"tasks": [{"id": 1, "title": "Buy milk"}]}})
        + "\n```\n"
    )
    contract = plan_of(body)
    assert [t["title"] for t in tasks(contract).values()] == [
        "Add cursor pagination in `api/tasks.py`"
    ]


def test_cancelled_work_and_the_dependencies_on_it_are_dropped_and_said() -> None:
    file = {
        "tasks": [
            task(1, status="cancelled"),
            task(
                2,
                dependencies=[1],
                subtasks=[task(1, status="cancelled"), task(2, dependencies=["2.1", 1])],
            ),
            task(3, status="deferred", dependencies=[2]),
        ]
    }
    contract = plan_of("Plan it.", json.dumps(file), "tasks.json")
    assert list(milestones(contract)) == ["M2", "M3"]
    assert milestones(contract)["M2"]["dependencies"] == []
    assert tasks(contract)["M2-T2"]["depends_on"] == []
    said = " ".join(contract["roadmap"]["assumptions"])
    assert "task 2 depended on cancelled task 1; dropped" in said
    assert "subtask 2.2 depended on cancelled work (2.1); dropped" in said
    assert "marks task 3 'deferred'; the plan holds it as open work" in said


def test_a_dependency_on_a_task_the_file_lacks_is_reported_not_dropped() -> None:
    file = {"tasks": [task(1, dependencies=[99])]}
    found = findings_of("Plan it.", json.dumps(file))
    assert any(f.startswith("graph-unknown-dependency") and "M99" in f for f in found), found


def test_the_taskmaster_folder_and_the_draft_are_never_a_boundary(tmp_path: Path) -> None:
    """The file the plan is read from is no work to hand out: the draft input's file
    (however its path is written), and Taskmaster's folder when the issue holds the
    tasks itself."""
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "ingest.py").write_text("def ingest_batch(events):\n    return events\n")
    file = {
        "master": {"tasks": [task(1, title="Ingest events in batches", details="ingest batch")]}
    }
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "tasks.json").write_text(json.dumps(file))
    # The request comes from GitHub, not from the checkout.
    issue = tmp_path.parent / f"{tmp_path.name}-issue.md"
    issue.write_text("Plan the ingest work.\n")
    by_draft = planned(tmp_path, "--draft", "./plans/tasks.json", request=str(issue))
    (tmp_path / "plans" / "tasks.json").unlink()
    (tmp_path / TASKS).parent.mkdir(parents=True)
    (tmp_path / TASKS).write_text(json.dumps(file))
    git = ["git", "-C", str(tmp_path)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)  # the index is what the planner reads
    issue.write_text("```json\n" + json.dumps(file) + "\n```\n")
    in_issue = planned(tmp_path, request=str(issue))
    for contract in (by_draft, in_issue):
        paths = [p for t in tasks(contract).values() for p in t["diff_boundary"]["paths"]]
        assert paths and all(p.startswith("src/") for p in paths), paths
