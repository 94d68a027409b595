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
from tests.servers.base import Fault
from tests.servers.github import OWNER, REPO, GitHubServer
from tests.test_github import NUMBER, TOKEN
from tests.test_loop import merge, merged_event, rules
from tests.test_loop import plan as loop_plan

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


def plan(
    tmp: Path,
    server: GitHubServer,
    body: str = TRACKING,
    inputs: dict[str, str] | None = None,
    workspace: Path | None = None,
) -> RunnerResult:
    """A run of the action on ``body`` in a checkout holding the files it names (a new
    one unless ``workspace`` is given)."""
    if workspace is None:
        workspace = tmp / "workspace"
        for name in (
            "hooks/sender.py",
            "hooks/queue.py",
            "docs/delivery.md",
            "tests/test_sender.py",
        ):
            (workspace / name).parent.mkdir(parents=True, exist_ok=True)
            (workspace / name).write_text("# delivery\n", encoding="utf-8")
    server.issues[NUMBER]["body"] = body
    return run_action(
        tmp,
        "issues",
        issue_event("edited", NUMBER, body),
        token=TOKEN,
        inputs={"upload-artifact": "false", **(inputs or {})},
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
    assert retry["id"] in handed and retry["tracks"] == 2
    brief = (result.workspace / f".agent/tasks/{NUMBER}-{retry['id']}.md").read_text()
    assert "This task is the work of issue #2: read it for what it asks" in brief
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
    text = "- [x] #6\n- [ ] #5\nSee #7 for context.\n1. #8\n- [ ] #1\n- #5\n- [x] #5\n"
    assert tracked_numbers(text, here, planning=1) == [5, 8, 6], (
        "list items only, open ones first, once each, never the planning issue"
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
    first = plan(tmp_path / "1", github, body, {"create-sub-issues": "true"})
    assert first.code == 0, first.stdout
    children = github.sub_issues[NUMBER]
    assert 2 in children and 4 in children, "the open tracked issues are linked as they are"
    assert 3 not in children, "a closed one is done work, not handed out"
    made = [github.issues[n]["title"] for n in children if n > 4]
    assert made and all("(#" not in title for title in made), (
        "only the task written in the request got a new issue"
    )
    again = plan(tmp_path / "2", github, body, {"create-sub-issues": "true"}, first.workspace)
    assert again.code == 0, again.stdout
    assert github.sub_issues[NUMBER] == children, "a replay links and makes nothing"


def test_a_merged_pull_request_finishes_the_tracked_task_it_was_handed_out_for(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = loop_plan(tmp_path / "plan", github)
    assert first.code == 0, first.stdout
    retry = tasks(first)["Retry failed deliveries in `hooks/sender.py` (#2)"]["id"]
    github.issues[NUMBER]["body"] += "- [ ] #404\n"  # named meanwhile, and not there
    done = merge(tmp_path / "merge", github, merged_event(f"planner/{NUMBER}/{retry}", 50))
    assert done.code == 0, done.stdout
    assert "done-merged" in rules(done) and "tracked-issue-unread" in rules(done)
    assert "- [x] #2" in github.issues[NUMBER]["body"], "its own line ticked"


@pytest.mark.parametrize("author", [{"login": "drive-by"}, OWNER])
def test_a_marker_hidden_in_a_tracked_issue_makes_it_no_other_tasks_sub_issue(
    author: dict[str, Any], tmp_path: Path
) -> None:
    """#2's author hides M1-T2's marker in it. A drive-by's issue is never the planner's;
    nor is the token's own user's (a personal token) issue a task tracks: merging M1-T2
    closes the sub-issue the planner made for it, and #2 stays open for its own task."""
    body = TRACKING.replace("- [ ] #3\n", "- [ ] #3\n- [ ] Count deliveries in `hooks/queue.py`\n")
    with GitHubServer(token=TOKEN, login=None if author != OWNER else OWNER["login"]) as github:
        github.add_issue(NUMBER, "Reliable webhook delivery", body)
        github.add_issue(
            2,
            "Retry failed deliveries in `hooks/sender.py`",
            f"Steps to reproduce.\n<!-- planner-task: {NUMBER}/M1-T3 -->",
            author=author,
        )
        github.add_issue(3, "Persist the delivery queue in hooks/queue.py", "")
        github.add_issue(4, "Add a dead-letter log to the sender", "")
        first = loop_plan(tmp_path / "plan", github)
        assert first.code == 0, first.stdout
        counter = tasks(first)["Count deliveries in `hooks/queue.py`"]["id"]
        assert counter == "M1-T3"
        children = github.sub_issues[NUMBER]
        assert 2 in children, "#2 is its own task's sub-issue"
        (made,) = [n for n in children if github.issues[n]["title"].startswith("M1-T3:")]
        assert made > 4, "and M1-T3 got one of its own"

        done = merge(tmp_path / "merge", github, merged_event(f"planner/{NUMBER}/M1-T3", 50))
        assert done.code == 0, done.stdout
        assert github.issues[made]["state"] == "closed"
        assert github.issues[2]["state"] == "open" and not github.comments_on(2)
        again = loop_plan(tmp_path / "again", github)
        assert tasks(again)["Retry failed deliveries in `hooks/sender.py` (#2)"]["status"] != "done"


def test_an_issue_that_cannot_be_read_keeps_its_task_and_is_held_back(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = plan(tmp_path / "1", github)
    before = {t["id"]: t["title"] for t in tasks(first).values()}
    github.faults.append(Fault("GET", rf"/repos/{REPO}/issues/2$", 502, times=10))
    second = plan(tmp_path / "2", github)
    assert second.code == 0, second.stdout
    after = {t["id"]: t["title"] for t in tasks(second).values()}
    assert after.keys() == before.keys(), "an outage retires no id"
    unread_lines = ["#2", "#3", f"https://github.com/{REPO}/issues/4"]
    assert [after[i] for i in before if before[i] != after[i]] == unread_lines
    handed = {row["task"] for row in json.loads(second.outputs["matrix"])["include"]}
    assert not handed & {i for i in after if after[i] in unread_lines}, (
        "work nobody could read is not handed out"
    )
    (unread,) = [f for f in json.loads(second.outputs["findings"]) if "Not read" in f["message"]]
    assert "#2, #3, #4" in unread["message"], "the issues left after the outage are named too"

    github.faults.clear()
    github.issues[2]["title"] = "Retry failed deliveries with backoff in `hooks/sender.py`"
    third = plan(tmp_path / "3", github)
    renamed = tasks(third)["Retry failed deliveries with backoff in `hooks/sender.py` (#2)"]
    assert before[renamed["id"]].startswith("Retry failed deliveries in"), (
        "a title edited on GitHub keeps its task's id"
    )


def test_pull_requests_and_issues_closed_as_not_planned(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.add_issue(5, "Batch deliveries in hooks/batch.py", "", pull_request=True)
    github.add_issue(6, "Rewrite the sender in Rust", "")
    github.issues[6].update(state="closed", state_reason="not_planned")
    body = TRACKING.replace("- [ ] #3\n", "- [ ] #3\n- [ ] #5\n- [ ] #6\n")
    result = plan(tmp_path, github, body)
    assert result.code == 0, result.stdout
    found = tasks(result)
    batch = found["Batch deliveries in hooks/batch.py (#5)"]
    assert batch["kind"] == "ops", "an open pull request is a person's to review and merge"
    assert not any("Rust" in title for title in found), "not planned: no work"
    contract = json.loads((result.workspace / result.outputs["contract"]).read_text())
    assert (
        "#6 was closed as not planned: left out of the plan."
        in (contract["roadmap"]["assumptions"])
    )


def test_an_issue_named_twice_is_one_tasks_sub_issue(tmp_path: Path, github: GitHubServer) -> None:
    body = TRACKING.replace(
        "- [ ] #3\n", "- [ ] #3\n- [ ] #2\n- [ ] Add the counter in `hooks/queue.py` (#2)\n"
    )
    github.issues[NUMBER]["body"] = body
    result = loop_plan(tmp_path, github)
    assert result.code == 0, result.stdout
    children = github.sub_issues[NUMBER]
    assert children.count(2) == 1
    assert "github-side-effect" not in rules(result), "no link GitHub would refuse"


def test_a_title_with_control_characters_is_written_as_text() -> None:
    plan = build_plan(request({2: TrackedIssue(title="Fix\x00the\x1bqueue")}), Config())
    assert plan.contract is not None
    (task,) = [t for t in plan.contract.roadmap.milestones[0].tasks if t.references == [2]]
    assert task.title == "Fix\ufffdthe\ufffdqueue (#2)"


def test_only_list_items_outside_code_and_comments_are_read() -> None:
    text = "```md\n- [ ] #5\n```\n<!--\n- [ ] #6\n-->\n~~~\n- #7\n~~~\n- [ ] #8\n"
    assert tracked_numbers(text, None, planning=1) == [8]


def test_a_body_of_many_empty_fences_is_read_like_any_other() -> None:
    # GitHub's largest body, 8,000 fences around and between the items: the lines and the
    # fences are walked together (benchmarks/fenced_bodies.py has the times).
    fences = "```\n```\n" * 4000
    text = f"- [ ] #2\n{fences}```\n- [ ] #3\n```\n{fences}- [x] #4\n- [ ] #6\n~~~\n- [ ] #5\n"
    assert len(text) > 64_000
    assert tracked_numbers(text, None, planning=1) == [2, 6, 4]


def planned_again(body: str, tracked: dict[int, TrackedIssue], runs: int) -> list[dict[str, str]]:
    """The ids by title of ``runs`` plans of one body, each from the last one's memory."""
    from planner.core.plan import plan as plan_result

    memory: str | None = None
    seen = []
    for _ in range(runs):
        made = plan_result(
            PlanRequest(
                issue=Issue(number=1, title="t", body=body),
                repository_url=f"https://github.com/{REPO}",
                tracked=tracked,
                memory=memory,
            )
        )
        assert made.contract is not None
        seen.append({t.title: t.id for m in made.contract.roadmap.milestones for t in m.tasks})
        memory = made.summary
    return seen


def test_a_written_task_naming_the_issue_keeps_its_id_beside_the_line_that_tracks_it() -> None:
    body = (
        "## Tasks\n- [ ] Add the dead-letter log for failed retries in hooks/dlq.py (#12)\n"
        "- [ ] #12\n- [ ] Add the backoff table in hooks/backoff.py\n"
    )
    runs = planned_again(body, {12: TrackedIssue(title="Retry failed deliveries")}, 3)
    assert runs[0] == runs[1] == runs[2], "an unchanged plan keeps every id"


def test_a_tracked_task_over_sub_tasks_waits_on_them_online_as_offline() -> None:
    body = (
        "## Tasks\n- [ ] #12\n  - [ ] Add the form fields in `web/fields.tsx`\n"
        "  - [ ] Add the remember-me option in `web/remember.tsx`\n"
    )
    made = build_plan(request_of(body, {12: TrackedIssue(title="Login page")}), Config())
    assert made.contract is not None
    (whole, *parts) = made.contract.roadmap.milestones[0].tasks
    assert whole.title == "Login page (#12)"
    assert whole.depends_on == [p.id for p in parts], "the whole waits on its parts"


def request_of(body: str, tracked: dict[int, TrackedIssue]) -> PlanRequest:
    return PlanRequest(
        issue=Issue(number=1, title="t", body=body),
        repository_url=f"https://github.com/{REPO}",
        tracked=tracked,
    )


def test_the_committed_contract_remembers_which_task_tracks_which_issue() -> None:
    """Without the summary comment's memory (comment: false, commit: pull-request) the
    ids come from the committed contract: its tasks say which issue they track, so a
    retitled issue, or one named in two milestones, keeps its tasks' ids."""
    from planner.core.plan import plan as plan_result

    body = (
        "## Milestones\n### M1: Parser\n- [ ] #12\n- [ ] Add the lexer in `src/lex.py`\n\n"
        "### M2: Fixes\n- [ ] #12\n- [ ] Add the repair pass in `src/repair.py`\n"
    )
    previous: dict[str, Any] | None = None
    seen = []
    for title in ("Parser crash", "Parser crash", "Segfault on empty input"):
        made = plan_result(
            PlanRequest(
                issue=Issue(number=1, title="t", body=body),
                repository_url=f"https://github.com/{REPO}",
                tracked={12: TrackedIssue(title=title)},
                previous_contract=previous,
            )
        )
        contract = json.loads(made.files[".agent/planning-output-1.json"])
        previous = contract
        tasks_now = [t for m in contract["roadmap"]["milestones"] for t in m["tasks"]]
        seen.append([(t["id"], t["tracks"]) for t in tasks_now])
    assert seen[0] == seen[1] == seen[2]
    assert seen[0][0] == ("M1-T1", 12), "the contract says which issue the task tracks"
