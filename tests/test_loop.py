"""The loop (PRODUCT.md §12): plan an issue, merge a task's pull request, get the next
wave; driven through entrypoint.py with real webhook payloads, the unmodified PyGithub
and the REST stand-in on 127.0.0.1. Every run has a fresh workspace, as a job's checkout
has: what is done lives in the planning issue."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planner.core.done import tick_line
from planner.core.gate import PullRequest, name_task, named_issues
from planner.core.plan import build_plan
from planner.model import Config, Issue, PlanRequest
from tests.runner import RunnerResult, issue_event, run_action, webhook
from tests.servers.base import Fault
from tests.servers.github import GitHubServer
from tests.servers.results import ResultsServer, runtime_token
from tests.test_github import NUMBER, TOKEN

BODY = """## Objective
Store events durably, then serve them.

## Milestones

### M1: Store
- [ ] Implement the writer in `internal/store/writer/`
- [ ] Add the reader in `internal/store/reader/`
- [ ] Add compaction in `internal/store/compact/`
  - depends: T1

### M2: Serve
- depends: M1
- [ ] Add the HTTP handler in `api/events/`
- [ ] Add the metrics exporter in `internal/metrics/`

## Assumptions
- Events are small.
"""

# PyGithub deprecates get_repo(lazy=...), which the adapter still passes; harmless here.
pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "Store and serve events", BODY)
        yield server


def env(server: GitHubServer, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"GITHUB_API_URL": server.url, **(extra or {})}


def plan(tmp: Path, server: GitHubServer, extra: dict[str, str] | None = None) -> RunnerResult:
    payload = issue_event("edited", NUMBER, server.issues[NUMBER]["body"])
    return run_action(
        tmp,
        "issues",
        payload,
        token=TOKEN,
        inputs={"create-sub-issues": "true"},
        extra_env=env(server, extra),
    )


def merged_event(branch: str, number: int = 2, **changes: Any) -> dict[str, Any]:
    payload = webhook("pull_request", "closed")
    pr = payload["pull_request"]
    pr.update(number=number, merged=True, html_url=f"https://github.com/o/r/pull/{number}")
    pr["head"]["ref"] = branch
    pr.update(changes)
    return payload


def merge(tmp: Path, server: GitHubServer, payload: dict[str, Any], **inputs: str) -> RunnerResult:
    return run_action(
        tmp,
        "pull_request",
        payload,
        token=TOKEN,
        inputs={"create-sub-issues": "true", "upload-artifact": "false", **inputs},
        extra_env=env(server),
    )


def matrix(result: RunnerResult) -> list[str]:
    return [row["task"] for row in json.loads(result.outputs["matrix"])["include"]]


def sub_issue(server: GitHubServer, task: str) -> dict[str, Any]:
    marker = f"<!-- planner-task: {NUMBER}/{task} -->"
    (found,) = [
        server.issues[n] for n in server.sub_issues[NUMBER] if marker in server.issues[n]["body"]
    ]
    return found


def rules(result: RunnerResult) -> list[str]:
    return [f["rule"] for f in json.loads(result.outputs["findings"])]


def test_plan_merge_and_the_next_wave(tmp_path: Path, github: GitHubServer) -> None:
    with ResultsServer(runtime_token()) as results:
        first = plan(
            tmp_path / "plan",
            github,
            {"ACTIONS_RUNTIME_TOKEN": runtime_token(), "ACTIONS_RESULTS_URL": f"{results.url}/"},
        )
        assert first.code == 0, first.stdout
        assert matrix(first) == ["M1-T1", "M1-T2"]
        row = json.loads(first.outputs["matrix"])["include"][0]
        assert row["branch"] == "planner/1/M1-T1" and row["issue"] == "1"
        (stored,) = results.artifacts.values()
        with zipfile.ZipFile(io.BytesIO(bytes(stored.blob))) as archive:
            brief = archive.read(row["brief"]).decode()
        assert "Work on the branch `planner/1/M1-T1`" in brief
    assert len(github.sub_issues[NUMBER]) == 3, "one sub-issue per fanned-out task"

    done_t1 = merge(tmp_path / "m1", github, merged_event("planner/1/M1-T1"))
    assert done_t1.code == 0, done_t1.stdout
    body = github.issues[NUMBER]["body"]
    assert "- [x] Implement the writer in `internal/store/writer/`" in body
    assert body.replace("- [x] Implement", "- [ ] Implement", 1) == BODY, "only that line"
    closed = sub_issue(github, "M1-T1")
    assert closed["state"] == "closed"
    assert any("merged in #2" in c["body"] for c in github.comments_on(closed["number"]))
    assert sub_issue(github, "M1-T2")["state"] == "open"
    assert matrix(done_t1) == ["M1-T3"], "T2 was handed out already; T3 waited on T1"
    assert "done-merged" in rules(done_t1)
    assert (done_t1.workspace / ".agent/tasks/1-M1-T3.md").exists()

    writes = len(github.calls("PATCH")) + len(github.calls("POST"))
    replay = merge(tmp_path / "m1-again", github, merged_event("planner/1/M1-T1"))
    assert replay.code == 0, replay.stdout
    assert matrix(replay) == [] and "done-no-task" in rules(replay)
    assert len(github.calls("PATCH")) + len(github.calls("POST")) == writes, "nothing changed"
    assert github.issues[NUMBER]["body"] == body

    done_t2 = merge(tmp_path / "m2", github, merged_event("planner/1/M1-T2", 3))
    assert done_t2.code == 0 and matrix(done_t2) == [], "T3 was handed out at T1's merge"
    done_t3 = merge(tmp_path / "m3", github, merged_event("planner/1/M1-T3", 4))
    assert done_t3.code == 0, done_t3.stdout
    assert done_t3.outputs["focus"] == "M2", "M1 is done and the focus moved on"
    assert matrix(done_t3) == ["M2-T1", "M2-T2"]
    assert github.issues[NUMBER]["body"].count("- [x]") == 3


def test_a_body_edited_meanwhile_is_not_overwritten(tmp_path: Path, github: GitHubServer) -> None:
    assert plan(tmp_path / "plan", github).code == 0
    as_read = json.loads(json.dumps(github.issues[NUMBER]))
    edited = BODY + "\n- [ ] A line someone added while the planner ran\n"
    github.issues[NUMBER]["body"] = edited
    # The first read still sees the body as it was; the read right before the write sees
    # the edit.
    github.faults.append(Fault("GET", rf"/repos/.*/issues/{NUMBER}", 200, body=as_read))
    result = merge(tmp_path / "m1", github, merged_event("planner/1/M1-T1"))
    assert result.code == 0, result.stdout
    assert github.issues[NUMBER]["body"] == edited, "nothing overwritten"
    assert not github.calls("PATCH", rf"/repos/.*/issues/{NUMBER}")
    assert "::warning title=done-not-ticked (M1-T1)::" in result.stdout
    assert matrix(result) == ["M1-T3"], "the task still counts as done in this run"


@pytest.mark.parametrize(
    "link",
    [
        "IMPLEMENTATION_PLAN.md",  # a file the plan before the merge writes
        f".agent/tasks/{NUMBER}-M2-T1.md",  # the brief of a task the merge makes ready
    ],
)
def test_a_merge_that_cannot_write_its_files_ticks_nothing(
    link: str, tmp_path: Path, github: GitHubServer
) -> None:
    """The merged path checks every file it may write (the briefs of the tasks the merge
    makes ready among them) before it ticks the box or closes the sub-issue: a stopped
    run leaves GitHub as it was, and a later run can still finish the task."""
    assert plan(tmp_path / "plan", github).code == 0
    for n, task in enumerate(["M1-T1", "M1-T2"]):
        assert merge(tmp_path / task, github, merged_event(f"planner/1/{task}", 10 + n)).code == 0
    body, writes = github.issues[NUMBER]["body"], len(github.calls("PATCH"))
    workspace = tmp_path / "last" / "workspace"
    (workspace / "elsewhere").mkdir(parents=True)
    (workspace / link).parent.mkdir(parents=True, exist_ok=True)
    (workspace / link).symlink_to(workspace / "elsewhere" / "x.md")
    stopped = merge(tmp_path / "last", github, merged_event("planner/1/M1-T3", 12))
    assert stopped.code == 2, stopped.stdout
    assert f"'{link}' is a symbolic link" in stopped.stdout
    assert github.issues[NUMBER]["body"] == body
    assert len(github.calls("PATCH")) == writes
    assert sub_issue(github, "M1-T3")["state"] == "open"


def test_a_merge_reads_the_plans_memory_once(tmp_path: Path, github: GitHubServer) -> None:
    """The summary comment, where the plan keeps its ids, is read once for the plan
    before the merge and reused for the plan after it: a merge lists the comments no
    more often than a plan does (once to recall, once to update)."""
    comments = rf".*/issues/{NUMBER}/comments"
    assert plan(tmp_path / "plan", github).code == 0
    by_plan = len(github.calls("GET", comments))
    done = merge(tmp_path / "m1", github, merged_event("planner/1/M1-T1"))
    assert done.code == 0, done.stdout
    assert len(github.calls("GET", comments)) - by_plan == by_plan == 2


@pytest.mark.parametrize(
    ("payload", "rule"),
    [
        (merged_event("fix-typo", title="Fix a typo"), "done-no-task"),
        (merged_event("planner/1/M9-T9"), "done-no-task"),
        (merged_event("planner/999/M1-T1"), "done-no-task"),
        # A title alone finishes nothing on merge: only a branch, label or trailer does.
        (merged_event("fix-writer", title="Writer for 1/M1-T1"), "done-no-task"),
        (merged_event("fix-writer", title="M1-T1: the writer"), "done-no-task"),
        # The plan's own pull request names no task, whatever its title says.
        (
            merged_event("planner/1/plan", title="Plan for #1: follow-up to #1/M1-T1"),
            "done-no-task",
        ),
    ],
)
def test_a_merge_that_names_no_task_changes_nothing(
    payload: dict[str, Any], rule: str, tmp_path: Path, github: GitHubServer
) -> None:
    result = merge(tmp_path, github, payload)
    assert result.code == 0, result.stdout
    assert rule in rules(result) and matrix(result) == []
    assert not github.calls("PATCH") and not github.calls("POST")


def test_merged_into_another_branch_than_the_default_finishes_nothing(
    tmp_path: Path, github: GitHubServer
) -> None:
    payload = merged_event("planner/1/M1-T1")
    payload["pull_request"]["base"]["ref"] = "experiment/spike"
    payload["repository"]["default_branch"] = "main"
    result = merge(tmp_path, github, payload)
    assert result.code == 0 and "not the default branch 'main'" in result.stdout
    assert json.loads(result.outputs["matrix"]) == {"include": []}
    assert not github.requests


def test_closed_without_merging_is_skipped(tmp_path: Path, github: GitHubServer) -> None:
    payload = merged_event("planner/1/M1-T1", merged=False)
    result = merge(tmp_path, github, payload)
    assert result.code == 0 and "without merging" in result.stdout
    assert not github.requests


def test_an_open_pull_request_in_plan_mode_is_a_clear_error(tmp_path: Path) -> None:
    result = run_action(tmp_path, "pull_request", webhook("pull_request", "opened"))
    assert result.code == 2
    assert "mode 'plan' handles a pull request when it is closed and merged" in result.stdout


@pytest.mark.parametrize(
    ("body", "line", "expected"),
    [
        ("a\r\n- [ ] task\r\nb", 2, "a\r\n- [x] task\r\nb"),
        ("> 1. [ ] quoted [ ] twice\n", 1, "> 1. [x] quoted [ ] twice\n"),
        ("  * [ ] nested", 1, "  * [x] nested"),
        ("- [x] done already", 1, None),
        ("text [ ] not a box", 1, None),
        ("- [ ] task", 2, None),
        ("x\u2028y\n- [ ] a\n- [ ] b", 3, "x\u2028y\n- [ ] a\n- [x] b"),
        ("x\ry\n- [ ] a", 3, "x\ry\n- [x] a"),
        ("- [ ] task\n", 2, None),
    ],
)
def test_tick_line_changes_that_box_only(body: str, line: int, expected: str | None) -> None:
    """Lines are counted as the reader counts them (CR, LF, CRLF; not U+2028)."""
    assert tick_line(body, line) == expected


def test_the_box_ticked_is_the_one_the_task_was_read_from() -> None:
    body = (
        "## Tasks\n- [ ] Add z in `z/`\nx\u2028y\rw\n\n- [ ] Add a in `a/`\n- [ ] Add b in `b/`\n"
    )
    planned = build_plan(PlanRequest(issue=Issue(number=1, title="t", body=body)), Config())
    ticked = tick_line(body, planned.task_lines["M1-T3"])
    assert ticked == body.replace("- [ ] Add b", "- [x] Add b")


def test_the_plan_branch_names_no_task_and_the_task_branch_names_its_issue() -> None:
    plan_pr = PullRequest(branch="planner/1/plan", title="Plan for #1", body="", labels=())
    assert named_issues(plan_pr) == []
    assert name_task([], plan_pr) == (None, [])
    task_pr = PullRequest(branch="planner/42/M1-T2", title="Part 1/2", body="", labels=())
    assert named_issues(task_pr) == [42], "a title's '1/2' is no name"


def test_a_replay_closes_the_sub_issue_a_failed_run_left_open(
    tmp_path: Path, github: GitHubServer
) -> None:
    assert plan(tmp_path / "plan", github).code == 0
    sub = sub_issue(github, "M1-T1")["number"]
    github.faults.append(Fault("PATCH", rf"/repos/.*/issues/{sub}$", 502, times=20))
    first = merge(tmp_path / "m1", github, merged_event("planner/1/M1-T1"))
    assert "- [x] Implement the writer" in github.issues[NUMBER]["body"], "ticked"
    assert github.issues[sub]["state"] == "open" and "github-side-effect" in rules(first)
    github.faults.clear()
    replay = merge(tmp_path / "m1-again", github, merged_event("planner/1/M1-T1"))
    assert replay.code == 0, replay.stdout
    assert "done-no-task" in rules(replay)
    assert github.issues[sub]["state"] == "closed", "the replay finished what was left"
    writes = len(github.calls("PATCH")) + len(github.calls("POST"))
    again = merge(tmp_path / "m1-third", github, merged_event("planner/1/M1-T1"))
    assert again.code == 0
    assert len(github.calls("PATCH")) + len(github.calls("POST")) == writes, "nothing twice"


CHAIN = """## Tasks
- [ ] Implement the writer in `internal/store/writer/`
- [ ] Add the reader in `internal/store/reader/`
- [ ] Add compaction in `internal/store/compact/`
  - depends: M1-T1
- [ ] Add the compaction metrics in `internal/store/metrics/`
  - depends: M1-T3, M1-T1
"""


def blockers(server: GitHubServer, task: str) -> list[str]:
    """The tasks whose sub-issues block ``task``'s, by task id."""
    numbers = server.blocked_by.get(sub_issue(server, task)["number"], [])
    return sorted(server.issues[b]["title"].split(":", 1)[0] for b in numbers)


def test_sub_issues_are_blocked_by_their_dependencies_with_no_implied_link(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.issues[NUMBER]["body"] = CHAIN
    first = plan(tmp_path / "1", github)
    assert first.code == 0, first.stdout
    assert blockers(github, "M1-T3") == ["M1-T1"]
    assert blockers(github, "M1-T4") == ["M1-T3"], "M1-T1 is implied through M1-T3"
    assert blockers(github, "M1-T1") == [] and blockers(github, "M1-T2") == []
    # The summary comment links each task to its sub-issue and says what blocks it.
    (comment,) = github.comments_on(NUMBER)
    t1, t3 = sub_issue(github, "M1-T1")["number"], sub_issue(github, "M1-T3")["number"]
    assert f"- `M1-T3`: #{t3} — blocked by #{t1}" in comment["body"]

    writes = len(github.calls("POST")) + len(github.calls("DELETE"))
    assert plan(tmp_path / "2", github).code == 0
    assert len(github.calls("POST")) + len(github.calls("DELETE")) == writes, (
        "a replay writes nothing"
    )

    # The owner drops M1-T4's wait on M1-T3: the link goes, the one to M1-T1 comes.
    github.issues[NUMBER]["body"] = CHAIN.replace("depends: M1-T3, M1-T1", "depends: M1-T1")
    assert plan(tmp_path / "3", github).code == 0
    assert blockers(github, "M1-T4") == ["M1-T1"]


def test_sub_issues_are_listed_in_the_plans_order(tmp_path: Path, github: GitHubServer) -> None:
    # Someone shuffles the sub-issues: the plan's order (waves, then dependencies) is
    # restored with as few moves as it takes.
    github.issues[NUMBER]["body"] = CHAIN
    assert plan(tmp_path / "1", github).code == 0
    subs = github.sub_issues[NUMBER]
    github.sub_issues[NUMBER] = [subs[2], subs[0], subs[3], subs[1]]  # shuffled by a person
    assert plan(tmp_path / "2", github).code == 0
    titles = [github.issues[s]["title"].split(":", 1)[0] for s in github.sub_issues[NUMBER]]
    assert (
        titles == ["M1-T3", "M1-T1", "M1-T2", "M1-T4"]
        or titles[1:]
        == [
            "M1-T1",
            "M1-T2",
            "M1-T3",
            "M1-T4",
        ][1:]
    ), titles
    moves = len(github.calls("PATCH", r"/sub_issues/priority"))
    assert plan(tmp_path / "3", github).code == 0
    assert len(github.calls("PATCH", r"/sub_issues/priority")) == moves, "nothing to move"


def test_sub_issues_get_the_organisations_task_type(tmp_path: Path, github: GitHubServer) -> None:
    github.issue_types = ["Bug", "Task", "Feature"]  # an organisation that defines types
    assert plan(tmp_path / "1", github).code == 0
    assert sub_issue(github, "M1-T1")["type"] == {"name": "Task"}


def test_a_user_owned_repository_gets_no_type_and_no_finding(
    tmp_path: Path, github: GitHubServer
) -> None:
    result = plan(tmp_path / "1", github)  # the stand-in's owner is a user: types are 404
    assert result.code == 0
    assert "type" not in sub_issue(github, "M1-T1")
    assert "github-side-effect" not in result.outputs["findings"]


RELEASE = """Release checklist:
- [ ] Tag the release in `scripts/tag.sh`
- [ ] Announce on the blog in `docs/blog.md`
"""


def test_without_the_comment_a_merge_still_finishes_its_task(
    tmp_path: Path, github: GitHubServer
) -> None:
    """With comment: false the planner leaves no comment that says it planned the issue
    (and the default workflow commits no contract): a merge that names the task still
    ticks its box, as before the check."""
    github.add_issue(77, "Release 2.0 checklist", RELEASE, labels=["planning"])
    payload = merged_event("fix-typo", 5, body="Fix a typo.\n\nPlanner-Task: #77/M1-T2\n")
    result = merge(tmp_path, github, payload, comment="false")
    assert result.code == 0, result.stdout
    assert "- [x] Announce on the blog in `docs/blog.md`" in github.issues[77]["body"]


def test_a_merge_naming_an_issue_the_planner_never_planned_changes_nothing(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.add_issue(77, "Release 2.0 checklist", RELEASE, labels=["release"])
    payload = merged_event("fix-typo", 5, body="Fix a typo.\n\nPlanner-Task: #77/M1-T2\n")
    result = merge(tmp_path, github, payload)
    assert result.code == 0, result.stdout
    assert github.issues[77]["body"] == RELEASE, "no box ticked"
    assert not github.comments_on(77) and not github.sub_issues.get(77)
    assert not github.calls("PATCH") and not github.calls("POST")
    assert not list(result.workspace.rglob("*.json")), "no contract written"
    (said,) = [f for f in json.loads(result.outputs["findings"]) if f["rule"] == "done-no-task"]
    assert "#77 is not a plan of the planner's" in said["message"]
    assert said["severity"] == "notice"

    # Once the planner has planned it (its summary comment), the same merge finishes M1-T2.
    planned = run_action(
        tmp_path / "plan",
        "issues",
        issue_event("edited", 77, RELEASE),
        token=TOKEN,
        extra_env=env(github),
    )
    assert planned.code == 0, planned.stdout
    again = merge(tmp_path / "again", github, payload)
    assert again.code == 0, again.stdout
    assert "- [x] Announce on the blog in `docs/blog.md`" in github.issues[77]["body"]
