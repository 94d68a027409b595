"""check mode: a pull request's diff held to the contract (PRODUCT.md §9), in a real git
repository, driven through entrypoint.py with a real pull_request payload."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.runner import ROOT, RunnerResult, run_action, webhook


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository on main holding the example plan, checked out on a new branch."""
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    first = run_action(tmp_path / "plan", "issues", _issue(), workspace=workspace)
    assert first.code == 0
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "-c", "user.name=t", "-c", "user.email=t@e", "add", "-A")
    git(workspace, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "plan")
    git(workspace, "checkout", "-q", "-b", "work")
    return workspace


def _issue() -> dict:
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text()
    return payload


def commit(repo: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "change")


def check(tmp: Path, repo: Path, branch: str, title: str = "", body: str = "") -> RunnerResult:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = branch
    payload["pull_request"]["base"]["ref"] = "main"
    payload["pull_request"]["title"] = title
    payload["pull_request"]["body"] = body
    payload["pull_request"]["labels"] = []
    return run_action(tmp, "pull_request", payload, workspace=repo, inputs={"mode": "check"})


def rules(result: RunnerResult) -> list[str]:
    return [f["rule"] for f in json.loads(result.outputs["findings"])]


def test_task_change_inside_its_boundary_passes(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"internal/store/redis/producer.go": "package redis\n" * 20})
    result = check(tmp_path, repo, "agent/M1-T1-producer")
    assert result.code == 0, result.stdout
    assert rules(result) == []


def test_task_change_outside_its_boundary_fails(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"internal/store/redis/producer.go": "x\n", "api/server.go": "y\n"})
    result = check(tmp_path, repo, "feature", title="Producer (M1-T1)")
    assert result.code == 1
    assert rules(result) == ["check-diff-boundary"]
    assert "api/server.go" in result.outputs["findings"]


def test_task_change_over_its_diff_scope_fails(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"internal/store/redis/producer.go": "line\n" * 251})
    result = check(tmp_path, repo, "feature", body="Implements M1-T1.")
    assert result.code == 1
    assert rules(result) == ["check-diff-scope"]
    assert "allows 250 changed lines" in result.outputs["findings"]


def test_planning_change_touching_code_breaks_seed_rule_1(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"IMPLEMENTATION_PLAN.md": "edited\n", "cmd/consumer/main.go": "package main\n"})
    result = check(tmp_path, repo, "replan")
    assert result.code == 1
    assert rules(result) == ["seed-1-no-production-code"]


def test_planning_change_touching_only_planning_files_passes(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"IMPLEMENTATION_PLAN.md": "edited\n", "specs/notes.md": "x\n"})
    result = check(tmp_path, repo, "replan")
    assert result.code == 0
    assert rules(result) == []


def test_missing_base_is_a_clear_error(tmp_path: Path, repo: Path) -> None:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["base"]["ref"] = "release"
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 2
    assert "fetch-depth: 0" in result.stdout
