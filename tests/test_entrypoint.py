"""entrypoint.py run as the runner runs a container action, over real webhook payloads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.runner import ROOT, run_action, webhook

EXAMPLE = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")


def planning_payload(action: str) -> dict:
    payload = webhook("issues", action)
    payload["issue"]["title"] = "Split event ingestion into separate processes"
    payload["issue"]["body"] = EXAMPLE
    return payload


# What a run that plans nothing sets: every output, an empty matrix, valid.
SKIPPED = {
    "contract": "",
    "fanout": "",
    "focus": "",
    "matrix": '{"include":[]}',
    "version": "",
    "decisions": "[]",
    "findings": "[]",
    "valid": "true",
    "artifact-id": "",
    "artifact-url": "",
}


def example_workspace(tmp_path: Path) -> Path:
    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    return workspace


@pytest.mark.parametrize("action", ["opened", "edited", "labeled", "reopened"])
def test_issues_event_plans_and_sets_outputs(action: str, tmp_path: Path) -> None:
    payload = planning_payload(action)
    number = payload["issue"]["number"]
    result = run_action(tmp_path, "issues", payload, workspace=example_workspace(tmp_path))
    assert result.code == 0, result.stdout + result.stderr
    assert result.stderr == ""
    out = result.outputs
    assert out["contract"] == f".agent/planning-output-{number}.json"
    assert out["fanout"] == f".agent/planner-fanout-{number}.json"
    assert out["focus"] == "M1"
    assert out["version"] == "1"
    assert out["valid"] == "true"
    matrix = json.loads(out["matrix"])
    assert [e["task"] for e in matrix["include"]] == ["M1-T1"]
    decisions = json.loads(out["decisions"])
    assert [d["id"] for d in decisions] == ["D1", "D2"]
    findings = json.loads(out["findings"])
    assert {f["rule"] for f in findings} >= {"seed-7-feature-first", "offline"}
    assert set(out) == {
        "contract",
        "fanout",
        "focus",
        "matrix",
        "version",
        "decisions",
        "findings",
        "valid",
        "artifact-id",
        "artifact-url",
    }
    contract = json.loads((result.workspace / out["contract"]).read_text(encoding="utf-8"))
    assert contract["issue"]["url"] == payload["issue"]["html_url"]
    assert "::warning title=seed-7-feature-first (M1-T4)::" in result.stdout
    assert "## Plan for #" in result.summary and "Wave 1" in result.summary
    plan = (result.workspace / "IMPLEMENTATION_PLAN.md").read_text(encoding="utf-8")
    assert plan.startswith("# Implementation plan\n\nThis file is shared by people")


@pytest.mark.parametrize("action", ["unlabeled", "assigned", "deleted"])
def test_other_issue_actions_are_skipped_with_a_notice(action: str, tmp_path: Path) -> None:
    result = run_action(tmp_path, "issues", planning_payload(action))
    assert result.code == 0
    assert result.stdout.startswith("::notice title=planner::Skipped: issues event with action")
    assert result.outputs == SKIPPED
    assert not (result.workspace / ".agent").exists()


def comment_payload(body: str, association: str = "OWNER", on_pr: bool = False) -> dict:
    payload = webhook("issue_comment", "created")
    payload["issue"]["body"] = EXAMPLE
    payload["comment"]["body"] = body
    payload["comment"]["author_association"] = association
    if on_pr:
        pr = webhook("pull_request", "opened")["pull_request"]
        payload["issue"]["pull_request"] = {"url": pr["url"], "html_url": pr["html_url"]}
    return payload


def test_slash_plan_comment_from_a_member_replans(tmp_path: Path) -> None:
    result = run_action(tmp_path, "issue_comment", comment_payload("/plan please", "MEMBER"))
    assert result.code == 0, result.stdout
    assert result.outputs["focus"] == "M1"


@pytest.mark.parametrize(
    ("body", "association", "on_pr", "why"),
    [
        ("/plan", "NONE", False, "association 'NONE'"),
        ("/plan", "CONTRIBUTOR", False, "association 'CONTRIBUTOR'"),
        ("looks good", "OWNER", False, "does not start with /plan"),
        ("/plan", "OWNER", True, "pull request"),
    ],
)
def test_other_comments_are_skipped(
    body: str, association: str, on_pr: bool, why: str, tmp_path: Path
) -> None:
    result = run_action(tmp_path, "issue_comment", comment_payload(body, association, on_pr))
    assert result.code == 0
    assert "::notice title=planner::Skipped:" in result.stdout and why in result.stdout
    # A later job's fromJSON(needs.plan.outputs.matrix) reads an empty matrix, not ''.
    assert result.outputs == SKIPPED
    assert json.loads(result.outputs["matrix"]) == {"include": []}


def test_workflow_dispatch_without_a_token_says_what_is_needed(tmp_path: Path) -> None:
    payload = webhook("workflow_dispatch")
    payload["inputs"] = {"issue-number": "42"}
    result = run_action(tmp_path, "workflow_dispatch", payload)
    assert result.code == 2
    assert result.stdout.count("\n") == 1
    assert "github-token" in result.stdout and "#42" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_workflow_dispatch_without_issue_number(tmp_path: Path) -> None:
    result = run_action(tmp_path, "workflow_dispatch", webhook("workflow_dispatch"))
    assert result.code == 2
    assert "input 'issue-number' is required for workflow_dispatch" in result.stdout


@pytest.mark.parametrize(
    ("inputs", "env", "needle"),
    [
        ({"mode": "replan"}, {}, "input 'mode' is 'replan'; use one of plan, validate, check"),
        ({"issue-number": "forty-two"}, {}, "input 'issue-number' is 'forty-two'"),
        ({"fail-on": "sometimes"}, {}, "input 'fail-on' is 'sometimes'"),
        ({"comment": "maybe"}, {}, "input 'comment' is 'maybe'; use true or false"),
        (
            {"retention-days": "365"},
            {},
            "input 'retention-days' is '365'; use a whole number from 1",
        ),
        ({"artifact-name": "plan:42"}, {}, "input 'artifact-name'"),
        ({"config": "nope.yml"}, {}, "config file 'nope.yml' (input 'config') does not exist"),
        ({}, {"GITHUB_EVENT_PATH": "/nonexistent/event.json"}, "GITHUB_EVENT_PATH names"),
        ({"output-dir": "../outside"}, {}, "'../outside' is not a path inside the workspace"),
    ],
)
def test_bad_inputs_end_with_one_line_and_exit_2(
    inputs: dict, env: dict, needle: str, tmp_path: Path
) -> None:
    result = run_action(
        tmp_path, "issues", planning_payload("opened"), inputs=inputs, extra_env=env
    )
    assert result.code == 2, result.stdout
    assert needle in result.stdout
    assert len(result.stdout.strip().splitlines()) == 1
    assert result.stdout.startswith("::error title=planner%3A bad input::")
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ("defaults:\n  risk_clas: high\n", "key 'defaults'"),
        ("fanout:\n  min_tasks: two\n", "key 'fanout.min_tasks'"),
        ("risk_paths:\n  'a/**': extreme\n", "key 'risk_paths.a/**'"),
        ("invariants: [\n", "not valid YAML"),
        ("unknown_key: 1\n", "unknown_key"),
    ],
)
def test_bad_config_names_the_key(config: str, needle: str, tmp_path: Path) -> None:
    workspace = tmp_path / "workspace"
    (workspace / ".github").mkdir(parents=True)
    (workspace / ".github" / "planner.yml").write_text(config, encoding="utf-8")
    result = run_action(tmp_path, "issues", planning_payload("opened"), workspace=workspace)
    assert result.code == 2, result.stdout
    assert needle in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_fail_on_warning_fails_and_never_passes(tmp_path: Path) -> None:
    warn = run_action(
        tmp_path / "a", "issues", planning_payload("opened"), inputs={"fail-on": "warning"}
    )
    assert warn.code == 1
    assert warn.outputs["valid"] == "true"
    prose = planning_payload("opened")
    prose["issue"]["body"] = "## Tasks\n- [ ] Produce coverage matrix\n  - kind: feature\n"
    # What an informal request leaves out is a warning: green by default, red on warning.
    default = run_action(tmp_path / "b", "issues", prose)
    assert default.code == 0 and default.outputs["valid"] == "true"
    strict = run_action(tmp_path / "c", "issues", prose, inputs={"fail-on": "warning"})
    assert strict.code == 1 and strict.outputs["valid"] == "true"
    cycle = planning_payload("opened")
    cycle["issue"]["body"] = (
        "## Tasks\n- [ ] Add a in a/\n  - depends: M1-T2\n- [ ] Add b in b/\n  - depends: M1-T1\n"
    )
    never = run_action(tmp_path / "d", "issues", cycle, inputs={"fail-on": "never"})
    assert never.code == 0 and never.outputs["valid"] == "false"
    assert run_action(tmp_path / "e", "issues", cycle).code == 1


def test_validate_mode_checks_files_an_agent_wrote(tmp_path: Path) -> None:
    first = run_action(tmp_path / "a", "issues", planning_payload("opened"))
    workspace = first.workspace
    contract_path = workspace / first.outputs["contract"]
    contract = json.loads(contract_path.read_text(encoding="utf-8"))
    contract["roadmap"]["focus"] = "M2"
    contract["roadmap"]["milestones"][0]["max_diff_scope"] = 0
    contract_path.write_text(json.dumps(contract), encoding="utf-8")
    result = run_action(
        tmp_path / "b", "issues", None, workspace=workspace, inputs={"mode": "validate"}
    )
    assert result.code == 1
    findings = json.loads(result.outputs["findings"])
    assert any("max_diff_scope" in f["message"] for f in findings)
    contract["roadmap"]["milestones"][0]["max_diff_scope"] = 200
    contract_path.write_text(json.dumps(contract), encoding="utf-8")
    again = run_action(
        tmp_path / "c", "issues", None, workspace=workspace, inputs={"mode": "validate"}
    )
    rules = {f["rule"] for f in json.loads(again.outputs["findings"])}
    assert "seed-2-one-focus" in rules
    snapshot = sorted(p.name for p in workspace.rglob("*"))
    assert snapshot == sorted(p.name for p in workspace.rglob("*"))


def test_offline_planning_never_imports_pygithub(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.runner import declared_inputs

    payload_path = tmp_path / "event.json"
    payload_path.write_text(json.dumps(planning_payload("opened")))
    env = {f"INPUT_{k.upper()}": v for k, v in declared_inputs().items()}
    env.update(
        {
            "INPUT_GITHUB-TOKEN": "",
            "GITHUB_EVENT_NAME": "issues",
            "GITHUB_EVENT_PATH": str(payload_path),
            "GITHUB_WORKSPACE": str(tmp_path),
            "PATH": "/usr/bin:/bin",
        }
    )
    code = (
        "import io, sys\nfrom planner.action.main import main\n"
        "rc = main(dict(__import__('os').environ), io.StringIO())\n"
        "print(rc, 'github' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["0", "False"]


def test_a_decision_issue_is_not_planned(tmp_path: Path) -> None:
    payload = planning_payload("edited")
    payload["issue"]["labels"] = [{"id": 1, "name": "decision/major", "color": "d93f0b"}]
    result = run_action(tmp_path, "issues", payload)
    assert result.code == 0
    assert "is a decision issue (label 'decision/major')" in result.stdout
    assert not (result.workspace / ".agent").exists()
    assert result.outputs == SKIPPED
