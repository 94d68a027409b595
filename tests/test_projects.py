"""Sub-issues on a Projects (v2) board (input ``project``), through the unmodified PyGithub
(its GraphQL requester) against the stand-in's /graphql: added once with the fields the
project has, a replay writes nothing, and a token or project that will not do is a warning
naming the fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.action.effects import SideEffects
from planner.action.github import GitHubClient, IssuesAdapter
from planner.action.settings import SettingsError, from_env
from planner.core.plan import build_plan, render_result
from planner.model import Config, Fanout, Issue, PlanRequest
from tests.runner import ROOT, issue_event, run_action
from tests.servers.base import Fault
from tests.servers.github import REPO, GitHubServer

TOKEN = "ghp_" + "T0k3n" * 7
BODY = """## Objective
Store events durably.

## Milestones
### M1: Store
- [ ] Implement the store in `internal/store/`
- [ ] Add the retention job in `internal/retention/` (after the store)

## Assumptions
- Events are small.
"""
STATUS = ["Todo", "In Progress", "Done"]

pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(7, "Store events", BODY)
        yield server


def fanout() -> Fanout:
    request = PlanRequest(issue=Issue(number=7, title="Store events", body=BODY))
    result = render_result(build_plan(request, Config()), request, Config())
    assert result.fanout is not None
    return result.fanout


def sync(server: GitHubServer, project: tuple[str, int] = ("octo-org", 5)) -> SideEffects:
    port = IssuesAdapter(GitHubClient(TOKEN, REPO, server.url, attempts=1))
    planning = Issue(number=7, title="Store events", body=BODY)
    effects = SideEffects(port, planning, "d", project=project)
    effects.sync_sub_issues(fanout())
    return effects


def test_sub_issues_are_added_once_with_the_fields_the_project_has(
    github: GitHubServer,
) -> None:
    github.board.add_project(
        "octo-org", 5, {"Status": STATUS, "Wave": "NUMBER", "Risk": ["Low", "Medium", "High"]}
    )
    effects = sync(github)
    assert not effects.report.findings
    tasks = {t.id: t for t in fanout().tasks}
    for number in github.sub_issues[7]:
        assert len(github.board.items_of(number)) == 1
        task = tasks[github.issues[number]["title"].split(":")[0]]
        values = github.board.values_of(number)
        assert values == {
            "Status": "Todo",
            "Wave": float(task.wave),
            "Risk": task.risk_class.capitalize(),
        }
    operations = len(github.board.operations)
    sync(github)
    replay = github.board.operations[operations:]
    assert "add" not in replay and "update" not in replay, "a replay writes nothing"


def test_fields_the_project_lacks_are_skipped_and_text_fields_take_text(
    github: GitHubServer,
) -> None:
    github.board.add_project("octo-org", 5, {"Wave": "TEXT", "Notes": "TEXT"})
    effects = sync(github)
    assert not effects.report.findings
    first = github.sub_issues[7][0]
    assert github.board.values_of(first) == {"Wave": "1"}


def test_a_status_people_moved_is_theirs(github: GitHubServer) -> None:
    github.board.add_project("octo-org", 5, {"Status": STATUS})
    sync(github)
    first = github.sub_issues[7][0]
    (item,) = github.board.items_of(first)
    status = next(iter(github.board.items[item]["values"]))
    github.board.items[item]["values"][status] = "OPT_Status_In Progress"
    sync(github)
    assert github.board.values_of(first) == {"Status": "In Progress"}


@pytest.mark.parametrize(
    ("access", "project", "says"),
    [
        ("none", ("octo-org", 5), "Resource not accessible by integration"),
        ("read", ("octo-org", 5), "'project'"),
        ("write", ("octo-org", 9), "Could not resolve to a ProjectV2 with the number 9"),
    ],
)
def test_a_token_or_project_that_will_not_do_is_a_warning_with_the_fix(
    github: GitHubServer, access: str, project: tuple[str, int], says: str
) -> None:
    github.board.add_project("octo-org", 5, {"Status": STATUS})
    github.board.access = access
    effects = sync(github, project)
    assert len(github.sub_issues[7]) == 2, "the sub-issues stand without the board"
    (warning,) = effects.report.findings
    assert warning.severity == "warning"
    assert says in warning.message
    assert "Projects: read and write" in warning.message and "GITHUB_TOKEN" in warning.message


@pytest.mark.parametrize(
    ("status", "body", "says", "severity"),
    [
        (401, {"message": "Bad credentials"}, "the token was rejected", "warning"),
        (403, {"message": "Forbidden"}, "the token may not use projects", "warning"),
        (404, {"message": "Not Found"}, "the project or its owner was not found", "warning"),
        (
            200,
            {"data": None, "errors": [{"type": "RATE_LIMITED", "message": "API rate limit"}]},
            "GraphQL rate limit was reached",
            "warning",
        ),
    ],
)
def test_a_refusal_of_the_graphql_endpoint_names_the_projects_own_fix(
    github: GitHubServer, status: int, body: dict[str, object], says: str, severity: str
) -> None:
    """An HTTP refusal is about the project token (never 'give the job issues: write',
    never 'check the issue number'); GraphQL's own rate limit is an outage, said so."""
    github.board.add_project("octo-org", 5, {"Status": STATUS})
    github.faults.append(Fault("POST", r".*/graphql$", status, times=None, body=body))
    effects = sync(github)
    assert len(github.sub_issues[7]) == 2, "the sub-issues stand without the board"
    findings = effects.report.findings
    assert findings and all(f.severity == severity for f in findings)
    assert says in findings[0].message, findings[0].message
    if status != 200:
        assert "project-token" in findings[0].message
        assert "issues: write" not in findings[0].message


def test_request_text_never_reaches_the_query_text(github: GitHubServer) -> None:
    """The stand-in refuses a query that carries a variable's value in its text; an owner
    that looks like GraphQL is just a value."""
    github.board.add_project('x") { id } #', 5, {"Status": STATUS})
    effects = sync(github, ('x") { id } #', 5))
    assert not effects.report.findings
    assert all(github.board.items_of(n) for n in github.sub_issues[7])


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("https://github.com/orgs/octo-org/projects/5", ("octo-org", 5)),
        ("https://github.com/users/octocat/projects/12/views/1", ("octocat", 12)),
        # As copied from the browser with an item open.
        (
            "https://github.com/orgs/octo-org/projects/5/views/2?pane=issue&itemId=3",
            ("octo-org", 5),
        ),
        ("octo-org/5", ("octo-org", 5)),
        ("", None),
    ],
)
def test_the_project_input_takes_a_url_or_owner_and_number(
    value: str, parsed: tuple[str, int] | None
) -> None:
    env = {"GITHUB_WORKSPACE": "/tmp", "INPUT_PROJECT": value, "INPUT_CREATE-SUB-ISSUES": "true"}
    assert from_env(env).project == parsed


def test_a_project_input_that_names_no_project_says_what_to_give() -> None:
    with pytest.raises(SettingsError, match="input 'project'.*<owner>/<number>"):
        from_env(
            {
                "GITHUB_WORKSPACE": "/tmp",
                "INPUT_PROJECT": "octo-org/projects",
                "INPUT_CREATE-SUB-ISSUES": "true",
            }
        )


@pytest.mark.parametrize(("name", "value"), [("project", "octo-org/5"), ("milestones", "true")])
def test_board_and_milestones_without_sub_issues_say_so(name: str, value: str) -> None:
    env = {"GITHUB_WORKSPACE": "/tmp", f"INPUT_{name.upper()}": value}
    with pytest.raises(SettingsError, match=f"input '{name}'.*create-sub-issues: true"):
        from_env(env)


def test_the_action_input_adds_sub_issues_to_the_project(tmp_path: Path) -> None:
    example = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    with GitHubServer(token=TOKEN, login="octocat") as server:
        server.board.add_project("octo-org", 5, {"Status": STATUS})
        server.add_issue(1, "Split event ingestion", example)
        payload = issue_event("edited", 1, example)
        result = run_action(
            tmp_path,
            "issues",
            payload,
            token=TOKEN,
            inputs={
                "create-sub-issues": "true",
                "project": "https://github.com/orgs/octo-org/projects/5",
            },
            extra_env={"GITHUB_API_URL": server.url},
        )
        assert result.code == 0, result.stdout
        assert server.sub_issues[1]
        for number in server.sub_issues[1]:
            assert server.board.values_of(number) == {"Status": "Todo"}


def test_a_project_token_is_used_for_the_project_only(tmp_path: Path) -> None:
    """GITHUB_TOKEN makes the sub-issues; the project token, which alone may use the
    project, adds them to it; it is masked in the log."""
    installation, personal = "ghs_" + "1nst4ll" * 5, "github_pat_" + "P3rs0n4l" * 5
    example = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    with GitHubServer(token=installation) as server:
        server.board.add_project("octo-org", 5, {"Status": STATUS})
        server.board.token = personal
        server.add_issue(1, "Split event ingestion", example)
        payload = issue_event("edited", 1, example)
        inputs = {"create-sub-issues": "true", "project": "octo-org/5"}
        env = {"GITHUB_API_URL": server.url}
        without = run_action(
            tmp_path / "1", "issues", payload, token=installation, inputs=inputs, extra_env=env
        )
        assert without.code == 0, without.stdout
        assert "project-token" in without.stdout and "Projects: read and write" in without.stdout
        assert not server.board.items
        inputs["project-token"] = personal
        result = run_action(
            tmp_path / "2", "issues", payload, token=installation, inputs=inputs, extra_env=env
        )
        assert result.code == 0, result.stdout
        assert f"::add-mask::{personal}" in result.stdout
        for number in server.sub_issues[1]:
            assert server.board.values_of(number) == {"Status": "Todo"}
            assert server.issues[number]["user"]["login"] == "github-actions[bot]"


def test_a_project_token_without_a_project_says_so() -> None:
    env = {"GITHUB_WORKSPACE": "/tmp", "INPUT_PROJECT-TOKEN": "ghp_x"}
    with pytest.raises(SettingsError, match="input 'project-token'.*name the project"):
        from_env(env)
