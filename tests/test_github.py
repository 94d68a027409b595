"""GitHub side effects through the unmodified PyGithub, over HTTP, against a local
server on 127.0.0.1 that answers in GitHub's REST shapes and keeps state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runner import ROOT, RunnerResult, issue_event, run_action, webhook
from tests.servers.base import Fault
from tests.servers.github import GitHubServer

TOKEN = "ghs_" + "T0k3n" * 7
EXAMPLE = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
NUMBER = 1  # the issue number in the real webhook payloads


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "Split event ingestion into separate processes", EXAMPLE)
        yield server


def plan_issue(
    tmp: Path,
    server: GitHubServer,
    body: str = EXAMPLE,
    inputs: dict[str, str] | None = None,
    workspace: Path | None = None,
) -> RunnerResult:
    payload = issue_event("edited", NUMBER, body)
    server.issues[NUMBER]["body"] = body
    return run_action(
        tmp,
        "issues",
        payload,
        token=TOKEN,
        inputs=inputs,
        workspace=workspace,
        extra_env={"GITHUB_API_URL": server.url},
    )


def writes(server: GitHubServer) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in server.requests if r.method in ("POST", "PATCH")]


def test_first_run_raises_one_decision_and_one_comment_then_reruns_create_nothing(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = plan_issue(tmp_path / "1", github)
    assert first.code == 0, first.stdout
    decisions = github.labelled("decision/major")
    assert len(decisions) == 1, "only the high-impact decision becomes an issue"
    decision = decisions[0]
    assert decision["body"].startswith(f"<!-- planner-decision: {NUMBER}/D1 -->")
    assert "How long do we retain stream entries?" in decision["body"]
    assert "- [ ] 7 days" in decision["body"] and "**Blocks:** M2" in decision["body"]
    assert f"#{NUMBER}" in decision["body"]
    assert github.labels["decision/major"]["color"] == "d93f0b"
    (comment,) = github.comments_on(NUMBER)
    assert comment["body"].startswith(f"<!-- planner-summary: {NUMBER} -->")
    assert "Wave 1" in comment["body"]
    contract = json.loads((first.workspace / first.outputs["contract"]).read_text())
    assert contract["decisions"][0]["issue"] == decision["html_url"]
    assert contract["decisions"][1]["issue"] is None
    assert json.loads(first.outputs["decisions"])[0]["issue"] == decision["html_url"]
    assert "D1" in (first.workspace / "IMPLEMENTATION_PLAN.md").read_text()
    assert all(r.headers["authorization"] == f"token {TOKEN}" for r in github.requests)

    before = len(github.issues), writes(github)
    changed = EXAMPLE.replace(
        "- [ ] Add a new chain adapter",
        "- [ ] Add a metrics exporter in `internal/metrics/`\n- [ ] Add a new chain adapter",
    )
    second = plan_issue(tmp_path / "2", github, body=changed, workspace=first.workspace)
    assert second.code == 0, second.stdout
    new_writes = writes(github)[len(before[1]) :]
    assert len(github.issues) == before[0], "a re-run must not raise the decision again"
    assert [m for m, _ in new_writes] == ["PATCH"], new_writes
    assert new_writes[0][1].startswith("/repos/Codertocat/Hello-World/issues/comments/")
    assert (
        "internal/metrics" in github.comments_on(NUMBER)[0]["body"]
        or second.outputs["version"] == "2"
    )
    assert second.outputs["version"] == "2"

    third = plan_issue(tmp_path / "3", github, body=changed, workspace=first.workspace)
    assert third.code == 0
    assert writes(github)[len(before[1]) + 1 :] == [], "an unchanged re-run writes nothing"
    assert third.outputs["version"] == "2"


def test_resolved_decision_is_closed_not_raised_again(tmp_path: Path, github: GitHubServer) -> None:
    first = plan_issue(tmp_path / "1", github)
    (decision,) = github.labelled("decision/major")
    resolved = EXAMPLE.replace(
        "- How long do we retain stream entries? (major)",
        "- [x] How long do we retain stream entries? (major)",
    )
    second = plan_issue(tmp_path / "2", github, body=resolved, workspace=first.workspace)
    assert second.code == 0
    assert decision["state"] == "closed"
    assert decision["body"].endswith(
        f"**Resolved:** no longer an open question in #{NUMBER}; closed by the planner.\n"
    )
    assert len(github.labelled("decision/major")) == 1
    contract = json.loads((second.workspace / second.outputs["contract"]).read_text())
    assert [d["id"] for d in contract["decisions"]] == ["D1"]
    assert contract["decisions"][0]["question"].startswith("Should the consumer")


def test_workflow_dispatch_fetches_the_issue(tmp_path: Path, github: GitHubServer) -> None:
    payload = webhook("workflow_dispatch")
    payload["inputs"] = {"issue-number": str(NUMBER)}
    result = run_action(
        tmp_path,
        "workflow_dispatch",
        payload,
        token=TOKEN,
        inputs={"issue-number": str(NUMBER), "comment": "false", "create-decision-issues": "false"},
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert result.code == 0, result.stdout
    assert result.outputs["focus"] == "M1"
    assert [(r.method, r.path) for r in github.requests] == [
        ("GET", f"/repos/Codertocat/Hello-World/issues/{NUMBER}")
    ]


@pytest.mark.parametrize(
    ("number", "fault", "needle"),
    [
        ("999", None, "not found"),
        (
            "1",
            Fault(
                "GET",
                r"/repos/.*/issues/1",
                403,
                None,
                body={"message": "Resource not accessible by integration"},
            ),
            "permissions: {issues: write}",
        ),
        (
            "1",
            Fault("GET", r"/repos/.*/issues/1", 401, None, body={"message": "Bad credentials"}),
            "token was rejected",
        ),
    ],
)
def test_fetch_failures_say_which(
    number: str, fault: Fault | None, needle: str, tmp_path: Path, github: GitHubServer
) -> None:
    if fault:
        github.faults.append(fault)
    payload = webhook("workflow_dispatch")
    payload["inputs"] = {"issue-number": number}
    result = run_action(
        tmp_path,
        "workflow_dispatch",
        payload,
        token=TOKEN,
        inputs={"issue-number": number},
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert result.code == 2
    assert needle in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_two_502s_then_success(tmp_path: Path, github: GitHubServer) -> None:
    github.faults.append(Fault("GET", r"/repos/.*/issues/1/comments", 502, times=2))
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    # three tries to read, then one more read after posting (for a concurrent run's duplicate)
    assert len(github.calls("GET", r"/repos/.*/issues/1/comments")) == 4
    assert len(github.comments_on(NUMBER)) == 1
    assert "github-side-effect" not in result.outputs["findings"]


def test_secondary_rate_limit_with_retry_after(tmp_path: Path, github: GitHubServer) -> None:
    github.faults.append(
        Fault(
            "POST",
            r"/repos/.*/issues/1/comments",
            403,
            times=1,
            headers={"Retry-After": "1"},
            body={
                "message": "You have exceeded a secondary rate limit. Please wait a few minutes."
            },
        )
    )
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    assert len(github.calls("POST", r"/repos/.*/issues/1/comments")) == 2
    assert len(github.comments_on(NUMBER)) == 1


def test_persistent_500_on_writes_still_produces_the_plan(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.faults += [
        Fault("POST", r"/repos/.*", 500, times=None, body={"message": "Server Error"}),
        Fault("PATCH", r"/repos/.*", 500, times=None, body={"message": "Server Error"}),
    ]
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    assert (result.workspace / ".agent" / f"planning-output-{NUMBER}.json").exists()
    assert result.outputs["focus"] == "M1"
    warnings = [
        x for x in result.stdout.splitlines() if x.startswith("::warning title=github-side-effect")
    ]
    assert any("decision issue(s) D1 were not raised" in x for x in warnings)
    assert any("Not done: posting the summary comment" in x for x in warnings)
    assert "HTTP 500" in "".join(warnings)
    assert "**GitHub, not done:** creating label" in result.summary


def test_403_on_label_creation_names_the_permission(tmp_path: Path, github: GitHubServer) -> None:
    github.faults.append(
        Fault(
            "POST",
            r"/repos/.*/labels",
            403,
            times=None,
            body={"message": "Resource not accessible by integration"},
        )
    )
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    warnings = [x for x in result.stdout.splitlines() if x.startswith("::warning")]
    assert any("creating label 'decision/major'" in x and "issues: write" in x for x in warnings)
    assert "decision issue(s) D1 were not raised" in result.summary
    assert (result.workspace / ".agent" / f"planning-output-{NUMBER}.json").exists()
    assert github.labelled("decision/major") == []


def test_a_read_only_token_plans_skips_the_writes_and_exits_0(
    tmp_path: Path, github: GitHubServer
) -> None:
    """A job with 'permissions: issues: read': reads work, every write answers 403, as
    GitHub answers a GITHUB_TOKEN without write access."""
    denied = {"message": "Resource not accessible by integration"}
    github.faults += [
        Fault("POST", r"/repos/.*", 403, times=None, body=denied),
        Fault("PATCH", r"/repos/.*", 403, times=None, body=denied),
    ]
    result = plan_issue(tmp_path, github, inputs={"create-sub-issues": "true"})
    assert result.code == 0, result.stdout
    assert result.outputs["valid"] == "true" and result.outputs["focus"] == "M1"
    assert json.loads(result.outputs["matrix"])["include"]
    assert (result.workspace / result.outputs["contract"]).is_file()
    assert "::error" not in result.stdout
    warnings = [
        x for x in result.stdout.splitlines() if x.startswith("::warning title=github-side-effect")
    ]
    assert any("decision issue(s) D1 were not raised" in x for x in warnings)
    assert any("Not done: posting the summary comment" in x for x in warnings)
    assert all("issues: write" in x for x in warnings)
    assert github.labelled("decision/major") == [] and github.comments_on(NUMBER) == []
    assert github.sub_issues == {}


def test_label_created_concurrently_is_fine(tmp_path: Path, github: GitHubServer) -> None:
    github.faults.append(
        Fault(
            "POST",
            r"/repos/.*/labels",
            422,
            times=1,
            body={"message": "Validation Failed", "errors": [{"code": "already_exists"}]},
        )
    )
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    assert len(github.calls("POST", r"/repos/.*/issues")) == 1


def test_sub_issues_are_created_once_and_linked(tmp_path: Path, github: GitHubServer) -> None:
    first = plan_issue(tmp_path / "1", github, inputs={"create-sub-issues": "true"})
    assert first.code == 0, first.stdout
    children = github.sub_issues[NUMBER]
    fanout = json.loads((first.workspace / first.outputs["fanout"]).read_text())
    assert len(children) == len(fanout["tasks"]) == 3
    bodies = [github.issues[n]["body"] for n in children]
    assert bodies[0].startswith(f"<!-- planner-task: {NUMBER}/M1-T1 -->")
    count = len(github.issues)
    plan_issue(
        tmp_path / "2", github, inputs={"create-sub-issues": "true"}, workspace=first.workspace
    )
    assert len(github.issues) == count
    assert github.sub_issues[NUMBER] == children


def test_mentions_and_markers_in_the_request_are_neutralised(
    tmp_path: Path, github: GitHubServer
) -> None:
    body = (
        "## Tasks\n- [ ] Add x in a/x.py for @everyone\n- [ ] Add y in b/\n"
        "## Open questions\n- Ping @security-team? <!-- planner-decision: 1/D9 --> "
        "(critical)\n"
    )
    result = plan_issue(tmp_path, github, body=body)
    assert result.code == 0, result.stdout
    (decision,) = github.labelled("decision/major")
    assert "@security-team" not in decision["body"]
    # only the planner's own markers: its id and its managed part's begin and end
    assert decision["body"].count("<!--") == 3
    assert "<!-- planner-decision: 1/D9 -->" not in decision["body"]
    comment = github.comments_on(NUMBER)[0]["body"]
    assert "@security-team" not in comment and "@\u200dsecurity-team" in comment
    plan = (result.workspace / "IMPLEMENTATION_PLAN.md").read_text()
    assert "@everyone" not in plan and "@\u200deveryone" in plan


def test_token_never_leaks(tmp_path: Path, github: GitHubServer) -> None:
    github.faults.append(
        Fault(
            "POST",
            r"/repos/.*/labels",
            403,
            times=None,
            body={"message": f"token {TOKEN} is not allowed"},
        )
    )
    result = plan_issue(tmp_path, github)
    rest = result.stdout.split("\n", 1)[1]
    assert result.stdout.startswith(f"::add-mask::{TOKEN}")
    assert TOKEN not in rest + result.stderr + result.summary
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(errors="ignore"), path


def test_failed_create_is_looked_up_again_before_retrying(
    tmp_path: Path, github: GitHubServer
) -> None:
    """A 502 on create may hide a created issue: the planner lists again before retrying."""
    github.labels.clear()
    github.faults.append(
        Fault("POST", r"/repos/.*/issues", 502, times=2, body={"message": "Bad Gateway"})
    )
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    posts = github.calls("POST", r"/repos/.*/issues")
    lists = github.calls("GET", r"/repos/.*/issues")
    assert len(posts) == 3 and len(lists) >= 3
    assert len(github.labelled("decision/major")) == 1


def test_primary_rate_limit_waits_for_the_reset(tmp_path: Path, github: GitHubServer) -> None:
    import time

    github.faults.append(
        Fault(
            "GET",
            r"/repos/.*/issues/1/comments",
            403,
            times=1,
            headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(time.time()) + 1)},
            body={"message": "API rate limit exceeded for installation ID 1."},
        )
    )
    result = plan_issue(tmp_path, github)
    assert result.code == 0, result.stdout
    assert len(github.calls("GET", r"/repos/.*/issues/1/comments")) == 3  # 2 tries, 1 re-read
    assert len(github.comments_on(NUMBER)) == 1


def test_sub_issue_limit_is_reported(tmp_path: Path, github: GitHubServer) -> None:
    for n in range(100, 200):
        github.add_issue(n, f"old {n}", "")
    github.sub_issues[NUMBER] = list(range(100, 200))
    result = plan_issue(tmp_path, github, inputs={"create-sub-issues": "true"})
    assert result.code == 0
    assert "::warning title=github-sub-issue-limit::#1 already has 100 sub-issues" in result.stdout
    assert len(github.sub_issues[NUMBER]) == 100


def test_payload_without_the_body_is_completed_from_the_api(
    tmp_path: Path, github: GitHubServer
) -> None:
    payload = webhook("issues", "labeled")
    payload["issue"]["number"] = NUMBER
    del payload["issue"]["body"]
    result = run_action(
        tmp_path,
        "issues",
        payload,
        token=TOKEN,
        inputs={"comment": "false", "create-decision-issues": "false"},
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert result.code == 0, result.stdout
    assert result.outputs["focus"] == "M1"
    assert github.calls("GET", rf"/repos/.*/issues/{NUMBER}")
