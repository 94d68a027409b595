"""Workspaces and inputs that end cleanly: a one-line error, exit 2, no traceback and
nothing half-written, driven through entrypoint.py as the runner runs it."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from planner.action.workspace import Workspace, WorkspaceError
from tests.runner import ROOT, RunnerResult, run_action, webhook

WORKFLOW = "on: push\njobs: {}\n"


def workspace_with_example(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "workspace", workspace, symlinks=True)
    return workspace


def snapshot(folder: Path) -> dict[str, bytes | str]:
    """Every entry under the folder: file bytes, or where a link points."""
    found: dict[str, bytes | str] = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            found[name] = "-> " + os.readlink(path)
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def plan(tmp_path: Path, workspace: Path, **inputs: str) -> RunnerResult:
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text()
    return run_action(tmp_path / "run", "issues", payload, workspace=workspace, inputs=inputs)


def assert_clean_refusal(result: RunnerResult, needle: str) -> None:
    assert result.code == 2, result.stdout
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and needle in errors[0], result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_plan_file_linked_to_a_workflow_is_not_written_through(tmp_path: Path) -> None:
    workspace = workspace_with_example(tmp_path)
    (workspace / ".github" / "workflows").mkdir()
    (workspace / ".github" / "workflows" / "ci.yml").write_text(WORKFLOW)
    (workspace / "IMPLEMENTATION_PLAN.md").unlink()
    os.symlink(".github/workflows/ci.yml", workspace / "IMPLEMENTATION_PLAN.md")
    before = snapshot(workspace)
    result = plan(tmp_path, workspace)
    assert_clean_refusal(result, "'IMPLEMENTATION_PLAN.md' is a symbolic link")
    assert snapshot(workspace) == before, "nothing is written, the workflow least of all"


def test_a_folder_linked_inside_the_workspace_is_not_written_through(tmp_path: Path) -> None:
    workspace = workspace_with_example(tmp_path)
    (workspace / "elsewhere").mkdir()
    os.symlink("elsewhere", workspace / ".agent")
    before = snapshot(workspace)
    result = plan(tmp_path, workspace)
    assert_clean_refusal(result, "'.agent' is a symbolic link")
    assert snapshot(workspace) == before


def test_a_symlink_loop_is_a_one_line_error(tmp_path: Path) -> None:
    workspace = workspace_with_example(tmp_path)
    shutil.rmtree(workspace / "specs")
    os.symlink("loop-b", workspace / "specs")
    os.symlink("specs", workspace / "loop-b")
    before = snapshot(workspace)
    result = plan(tmp_path, workspace)
    assert_clean_refusal(result, "loop of symbolic links")
    assert snapshot(workspace) == before


def test_a_file_where_a_folder_belongs(tmp_path: Path) -> None:
    workspace = workspace_with_example(tmp_path)
    shutil.rmtree(workspace / "specs")
    (workspace / "specs").write_text("not a folder\n")
    before = snapshot(workspace)
    result = plan(tmp_path, workspace)
    assert_clean_refusal(result, "'specs' is a file where a folder belongs")
    assert snapshot(workspace) == before, "the contract is not written when a spec cannot be"


def test_a_folder_where_a_file_belongs(tmp_path: Path) -> None:
    workspace = workspace_with_example(tmp_path)
    (workspace / ".agent" / "planner-fanout-1.json").mkdir(parents=True)
    before = snapshot(workspace)
    result = plan(tmp_path, workspace)
    assert_clean_refusal(result, "is a folder (or another kind of file) where a file belongs")
    assert snapshot(workspace) == before


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("²", "input 'issue-number' is '²'"),
        ("٣", "input 'issue-number' is '٣'"),
        ("-1", "input 'issue-number' is '-1'"),
        ("true", "input 'issue-number' is 'true'"),
    ],
)
def test_issue_number_inputs_that_are_not_numbers(tmp_path: Path, value: str, needle: str) -> None:
    payload = webhook("workflow_dispatch")
    payload["inputs"] = {"issue-number": value}
    result = run_action(
        tmp_path, "workflow_dispatch", payload, inputs={"issue-number": value}, token=""
    )
    assert_clean_refusal(result, needle)


@pytest.mark.parametrize("number", [True, -1, 0, 1.5, "7"])
def test_payload_issue_numbers_that_are_not_numbers(tmp_path: Path, number: object) -> None:
    payload = webhook("issues", "opened")
    payload["issue"]["number"] = number
    workspace = tmp_path / "workspace"
    result = run_action(tmp_path, "issues", payload, workspace=workspace)
    assert_clean_refusal(result, "the event's issue number is")
    assert snapshot(workspace) == {}


def test_a_lone_surrogate_in_the_payload(tmp_path: Path) -> None:
    payload = webhook("issues", "opened")
    text = json.dumps(payload).replace('"body": ', '"body": "\\ud800 broken", "x": ', 1)
    event = tmp_path / "event.json"
    event.write_text(text)
    workspace = tmp_path / "workspace"
    result = run_action(
        tmp_path, "issues", None, workspace=workspace, extra_env={"GITHUB_EVENT_PATH": str(event)}
    )
    assert_clean_refusal(result, "not valid Unicode (a lone surrogate, \\ud800)")
    assert snapshot(workspace) == {}


def test_workspace_refuses_links_even_inside(tmp_path: Path) -> None:
    (tmp_path / "real.md").write_text("mine\n")
    os.symlink("real.md", tmp_path / "link.md")
    workspace = Workspace(tmp_path)
    assert workspace.read_text("link.md") == "mine\n", "reading through a link inside is fine"
    with pytest.raises(WorkspaceError, match="symbolic link"):
        workspace.write_text("link.md", "theirs\n")
    with pytest.raises(WorkspaceError, match="symbolic link"):
        workspace.write_all({"a.md": "a\n", "link.md": "b\n"})
    assert not (tmp_path / "a.md").exists(), "a refused run writes nothing at all"
    assert (tmp_path / "real.md").read_text() == "mine\n"


def test_a_file_the_plan_no_longer_has_is_deleted_and_a_link_or_folder_there_is_kept(
    tmp_path: Path,
) -> None:
    (tmp_path / ".agent").mkdir()
    (tmp_path / ".agent/planner-fanout-7.json").write_text("{}\n")
    workspace = Workspace(tmp_path)
    done = workspace.write_all({"plan.md": "x\n"}, [".agent/planner-fanout-7.json", "none.json"])
    assert done == ["plan.md", ".agent/planner-fanout-7.json"]
    assert not (tmp_path / ".agent/planner-fanout-7.json").exists()

    (tmp_path / "kept.json").write_text("mine\n")
    os.symlink("kept.json", tmp_path / ".agent/planner-fanout-7.json")
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs/planner-fanout-7.json").mkdir()
    done = workspace.write_all(
        {"plan.md": "y\n"}, [".agent/planner-fanout-7.json", "specs/planner-fanout-7.json"]
    )
    assert done == ["plan.md"], "what is not a real file of ours is left alone"
    assert (tmp_path / ".agent/planner-fanout-7.json").is_symlink()
    assert (tmp_path / "kept.json").read_text() == "mine\n"
    assert (tmp_path / "specs/planner-fanout-7.json").is_dir()
