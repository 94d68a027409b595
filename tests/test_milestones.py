"""Sub-issues in repository milestones (input ``milestones``), through the unmodified
PyGithub against the REST stand-in: made once, found again by title (closed ones too) or by
the planner's marker after a rename, and a replay writes nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.action.effects import SideEffects
from planner.action.github import GitHubClient, IssuesAdapter
from planner.core.plan import build_plan, render_result
from planner.model import Config, Contract, Fanout, Issue, PlanRequest
from tests.runner import ROOT, issue_event, run_action
from tests.servers.github import REPO, GitHubServer

TOKEN = "ghs_" + "T0k3n" * 7
BODY = """## Objective
Store events durably.

## Milestones
### M1: Store
- [ ] Implement the store in `internal/store/`
- [ ] Add the retention job in `internal/retention/`

## Assumptions
- Events are small.
"""

pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(7, "Store events", BODY)
        yield server


def plan(body: str = BODY) -> tuple[Contract, Fanout]:
    request = PlanRequest(issue=Issue(number=7, title="Store events", body=body))
    result = render_result(build_plan(request, Config()), request, Config())
    assert result.contract is not None and result.fanout is not None
    return result.contract, result.fanout


def sync(server: GitHubServer, body: str = BODY) -> SideEffects:
    port = IssuesAdapter(GitHubClient(TOKEN, REPO, server.url, attempts=1))
    effects = SideEffects(
        port, Issue(number=7, title="Store events", body=body), "d", milestones=True
    )
    contract, fanout = plan(body)
    effects.sync_sub_issues(fanout, contract)
    return effects


def milestone_writes(server: GitHubServer) -> list[tuple[str, str]]:
    return [
        (r.method, r.path)
        for r in server.requests
        if r.method in ("POST", "PATCH")
        and ("/milestones" in r.path or (r.method == "PATCH" and "milestone" in r.json()))
    ]


def test_a_milestone_is_made_once_and_holds_the_sub_issues(github: GitHubServer) -> None:
    effects = sync(github)
    (made,) = github.milestones.values()
    assert made["title"] == "M1: Store"
    assert made["description"].startswith("<!-- planner-milestone: 7/M1 -->")
    assert github.in_milestone("M1: Store") == sorted(github.sub_issues[7])
    assert len(github.sub_issues[7]) == 2
    assert not effects.report.findings
    before = len(milestone_writes(github))
    sync(github)
    assert len(milestone_writes(github)) == before, "a replay writes nothing"
    assert len(github.milestones) == 1


def test_an_existing_milestone_of_that_title_is_used_even_closed(github: GitHubServer) -> None:
    github.add_milestone("M1: Store", "made by hand", state="closed")
    sync(github)
    assert len(github.milestones) == 1
    assert not github.calls("POST", r".*/milestones$")
    assert github.in_milestone("M1: Store") == sorted(github.sub_issues[7])


def test_a_milestone_renamed_in_the_plan_renames_its_repository_milestone(
    github: GitHubServer,
) -> None:
    sync(github)
    renamed = BODY.replace("### M1: Store", "### M1: Durable store")
    github.issues[7]["body"] = renamed
    sync(github, renamed)
    (kept,) = github.milestones.values()
    assert kept["title"] == "M1: Durable store"
    assert github.in_milestone("M1: Durable store") == sorted(github.sub_issues[7])


def test_another_planning_issues_milestone_of_the_same_title_is_not_shared(
    github: GitHubServer,
) -> None:
    """Issue #3's plan also has an "M1: Store": its milestone stays its own, and this
    plan's gets the issue's number after its title (titles are unique in a repository)."""
    theirs = github.add_milestone("M1: Store", "<!-- planner-milestone: 3/M1 -->\nTheirs.")
    sync(github)
    assert github.in_milestone("M1: Store") == []
    assert github.in_milestone("M1: Store (#7)") == sorted(github.sub_issues[7])
    assert theirs["description"].endswith("Theirs.")
    before = len(milestone_writes(github))
    sync(github)
    assert len(milestone_writes(github)) == before, "a replay writes nothing"


def test_a_sub_issue_moved_to_another_milestone_is_left_there(github: GitHubServer) -> None:
    sync(github)
    other = github.add_milestone("Release 2")
    first = github.sub_issues[7][0]
    github.issues[first]["milestone"] = other
    sync(github)
    assert github.issues[first]["milestone"]["title"] == "Release 2"


def test_a_token_that_may_not_write_milestones_gets_a_warning(github: GitHubServer) -> None:
    from tests.servers.base import Fault

    github.faults.append(Fault("POST", r".*/milestones$", 403, times=None))
    effects = sync(github)
    assert len(github.sub_issues[7]) == 2, "the sub-issues stand without a milestone"
    (warning,) = [f for f in effects.report.findings if "milestone" in f.message]
    assert warning.severity == "warning"
    assert "issues: write" in warning.message


def test_the_action_input_puts_sub_issues_in_milestones(tmp_path: Path) -> None:
    example = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(1, "Split event ingestion", example)
        payload = issue_event("edited", 1, example)
        result = run_action(
            tmp_path,
            "issues",
            payload,
            token=TOKEN,
            inputs={"create-sub-issues": "true", "milestones": "true"},
            extra_env={"GITHUB_API_URL": server.url},
        )
        assert result.code == 0, result.stdout
        fanout = json.loads((result.workspace / result.outputs["fanout"]).read_text())
        (milestone,) = server.milestones.values()
        assert milestone["title"].startswith(f"{fanout['milestone']}: ")
        assert server.in_milestone(milestone["title"]) == sorted(server.sub_issues[1])


def test_a_marker_in_the_outcome_cannot_claim_another_milestone(github: GitHubServer) -> None:
    forged = BODY.replace(
        "Store events durably.", "Store events. <!-- planner-milestone: 7/M2 --> @octocat"
    )
    github.issues[7]["body"] = forged
    sync(github, forged)
    (made,) = github.milestones.values()
    assert made["description"].count("<!-- planner-milestone:") == 1
    assert "@octocat" not in made["description"]
