"""Task lines that only name an issue (``- [ ] #12``, GitHub's own way to track one in a
task list): read through the REST stand-in with the unmodified PyGithub, planned as the
work that issue names, done when it is closed; offline they stay as written."""

from __future__ import annotations

import json
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest

from planner.core.plan import build_plan
from planner.core.tracked import tracked_number, tracked_numbers
from planner.model import Config, Issue, PlanRequest, TrackedIssue
from tests.runner import RunnerResult, issue_event, run_action
from tests.servers.github import REPO, GitHubServer
from tests.test_github import NUMBER, TOKEN

TRACKING = """## Objective
Make webhook delivery survive a restart.

## Milestones
### M1: Reliable delivery
- [ ] #2
- [ ] #3
- [ ] https://github.com/Codertocat/Hello-World/issues/4
- [ ] Document the retry policy in `docs/delivery.md`

**Acceptance:** a delivery interrupted by a restart is sent once.
**Validation:** `pytest tests/test_sender.py`
"""

pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "Reliable webhook delivery", TRACKING)
        server.add_issue(2, "Retry failed deliveries in `hooks/sender.py`", "")
        server.add_issue(3, "Persist the delivery queue in hooks/queue.py", "")
        server.issues[3]["state"] = "closed"
        server.add_issue(4, "Add a dead-letter log to the sender", "")
        yield server


def plan(tmp: Path, server: GitHubServer, body: str = TRACKING) -> RunnerResult:
    workspace = tmp / "workspace"
    for name in ("hooks/sender.py", "hooks/queue.py", "docs/delivery.md", "tests/test_sender.py"):
        (workspace / name).parent.mkdir(parents=True, exist_ok=True)
        (workspace / name).write_text("# delivery\n", encoding="utf-8")
    server.issues[NUMBER]["body"] = body
    return run_action(
        tmp,
        "issues",
        issue_event("edited", NUMBER, body),
        token=TOKEN,
        inputs={"upload-artifact": "false"},
        workspace=workspace,
        extra_env={"GITHUB_API_URL": server.url},
    )


def tasks(result: RunnerResult) -> dict[str, dict[str, Any]]:
    contract = json.loads((result.workspace / result.outputs["contract"]).read_text())
    return {t["title"]: t for m in contract["roadmap"]["milestones"] for t in m["tasks"]}


def test_a_tracked_issue_is_planned_as_the_work_it_names(
    tmp_path: Path, github: GitHubServer
) -> None:
    result = plan(tmp_path, github)
    assert result.code == 0, result.stdout
    found = tasks(result)
    retry = found["Retry failed deliveries in `hooks/sender.py` (#2)"]
    assert retry["status"] != "done" and retry["references"] == [2]
    boundary = retry["diff_boundary"]
    assert boundary["source"] == "stated", "the path in the issue's title bounds the task"
    assert any(fnmatch("hooks/sender.py", glob) for glob in boundary["paths"])
    assert found["Persist the delivery queue in hooks/queue.py (#3)"]["status"] == "done", (
        "a closed issue is done work, as GitHub's task list shows it"
    )
    assert "Add a dead-letter log to the sender (#4)" in found, "a link to the issue too"
    handed = {row["task"] for row in json.loads(result.outputs["matrix"])["include"]}
    assert retry["id"] in handed
    reads = [r.path for r in github.requests if r.method == "GET"]
    read = [f"/repos/{REPO}/issues/{n}" for n in (2, 3, 4)]
    assert [p for p in reads if p in read] == read, "each tracked issue read once"


def test_an_issue_that_cannot_be_read_leaves_its_line_and_says_so(
    tmp_path: Path, github: GitHubServer
) -> None:
    result = plan(tmp_path, github, TRACKING.replace("- [ ] #3\n", "- [ ] #3\n- [ ] #404\n"))
    assert result.code == 0, result.stdout
    assert "#404" in tasks(result), "kept as written"
    (unread,) = [f for f in json.loads(result.outputs["findings"]) if "Not read" in f["message"]]
    assert unread["rule"] == "tracked-issue-unread" and unread["severity"] == "notice"
    assert "Not read: #404" in unread["message"]


def request(tracked: dict[int, TrackedIssue]) -> PlanRequest:
    return PlanRequest(
        issue=Issue(number=1, title="Reliable webhook delivery", body=TRACKING),
        repository_url=f"https://github.com/{REPO}",
        tracked=tracked,
    )


def test_offline_the_lines_stay_as_written_and_are_held_back() -> None:
    plan = build_plan(request({}), Config())
    assert plan.contract is not None
    titles = [t.title for t in plan.contract.roadmap.milestones[0].tasks]
    assert titles[:2] == ["#2", "#3"]
    assert plan.fanout is None or not {"#2", "#3"} & {t.title for t in plan.fanout.tasks}
    (held,) = [
        f for f in plan.findings if f.rule == "needs-boundary" and f.location.task == "M1-T1"
    ]
    assert "It only names issue #2: planned with a github-token it takes that issue's title" in (
        held.message
    ), "the message says how to get the line planned"


def test_only_a_bare_reference_to_this_repository_is_tracked() -> None:
    here = f"https://github.com/{REPO}"
    assert tracked_number("#12", here) == 12
    assert tracked_number(f"{here}/pull/7/", here) == 7
    assert tracked_number("https://github.com/other/repo/issues/7", here) is None
    assert tracked_number("Fix the crash in #12", here) is None, "a line that says more"
    assert tracked_number("#0", here) is None
    text = "- [ ] #5\n- [x] #6\nSee #7 for context.\n1. #8\n- [ ] #1\n- #5\n"
    assert tracked_numbers(text, here, planning=1) == [5, 6, 8], (
        "list items only, in order, once each, never the planning issue"
    )


def test_a_tracked_title_is_untrusted_text_like_the_request() -> None:
    hostile = TrackedIssue(title="@admins please merge\n- paths: **\u0000", closed=False)
    plan = build_plan(request({2: hostile}), Config())
    assert plan.contract is not None
    (task,) = [t for t in plan.contract.roadmap.milestones[0].tasks if t.references == [2]]
    assert "\n" not in task.title and "**" not in task.diff_boundary.paths


def test_a_tracked_issue_is_its_tasks_sub_issue_never_a_copy(
    tmp_path: Path, github: GitHubServer
) -> None:
    body = TRACKING.replace(
        "- [ ] #3\n", "- [ ] #3\n- [ ] Add a delivery counter to `hooks/queue.py`\n"
    )
    first = run_action(
        tmp_path / "1",
        "issues",
        issue_event("edited", NUMBER, body),
        token=TOKEN,
        inputs={"upload-artifact": "false", "create-sub-issues": "true"},
        workspace=plan(tmp_path / "0", github, body).workspace,
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert first.code == 0, first.stdout
    children = github.sub_issues[NUMBER]
    assert 2 in children and 4 in children, "the open tracked issues are linked as they are"
    assert 3 not in children, "a closed one is done work, not handed out"
    made = [github.issues[n]["title"] for n in children if n > 4]
    assert made and all("(#" not in title for title in made), (
        "only the task written in the request got a new issue"
    )
    again = run_action(
        tmp_path / "2",
        "issues",
        issue_event("edited", NUMBER, body),
        token=TOKEN,
        inputs={"upload-artifact": "false", "create-sub-issues": "true"},
        workspace=first.workspace,
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert again.code == 0, again.stdout
    assert github.sub_issues[NUMBER] == children, "a replay links and makes nothing"
