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


def planned(root: Path, *extra: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "issue.md", "--workspace", ".", *extra],
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
