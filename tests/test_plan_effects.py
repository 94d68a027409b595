"""Side effects return what they made, and a pure step folds it into the plan, so the
files are rendered once with the decision issues' URLs in them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from planner.action.effects import SideEffects
from planner.action.github import GitHubClient, IssuesAdapter
from planner.core.plan import build_plan, link_decision_issues, render_result
from planner.model import Config, Issue, PlanRequest
from tests.servers.github import REPO, GitHubServer

TOKEN = "ghs_" + "T0k3n" * 7
BODY = """## Objective
Store events durably.

## Milestones
### M1: Store
- [ ] Implement the store in `internal/store/`

## Open questions
- How long do we keep events? (major)
  - 7 days
  - 30 days
- Which region hosts the store? (minor)

## Assumptions
- Events are small.
"""


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(7, "Store events", BODY)
        yield server


# PyGithub deprecates get_repo(lazy=...), which the adapter still passes; harmless here.
pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


def effects(server: GitHubServer) -> SideEffects:
    port = IssuesAdapter(GitHubClient(TOKEN, REPO, server.url, attempts=1))
    issue = Issue(number=7, title="Store events", body=BODY)
    return SideEffects(port, issue, "decision/major")


def request(body: str = BODY) -> PlanRequest:
    return PlanRequest(issue=Issue(number=7, title="Store events", body=body))


def test_sync_decisions_returns_the_urls_it_made_then_the_ones_it_found(
    github: GitHubServer,
) -> None:
    planned = build_plan(request(), Config())
    assert planned.contract is not None
    made = effects(github).sync_decisions(planned.contract)
    (raised,) = github.labelled("decision/major")
    assert made.urls == {"D1": raised["html_url"]}, "only the major decision is raised"
    again = effects(github).sync_decisions(planned.contract)
    assert again == made and len(github.labelled("decision/major")) == 1


def test_sync_comment_returns_the_comment_id(github: GitHubServer) -> None:
    first = effects(github).sync_comment("## Plan\n")
    (comment,) = github.comments_on(7)
    assert first == comment["id"]
    assert effects(github).sync_comment("## Plan, changed\n") == comment["id"]
    assert github.comments_on(7)[0]["body"].endswith("## Plan, changed\n")


def test_the_urls_reach_every_rendering_in_one_pass() -> None:
    config = Config()
    planned = build_plan(request(), config)
    url = "https://github.com/o/r/issues/99"
    linked = link_decision_issues(planned, {"D1": url})
    result = render_result(linked, request(), config)
    assert result.contract is not None
    assert [d.issue for d in result.contract.decisions] == [url, None]
    contract_text = result.files[".agent/planning-output-7.json"]
    assert f'"issue": "{url}"' in contract_text
    assert f"[decision issue]({url})" in result.files["IMPLEMENTATION_PLAN.md"]
    assert f"[issue]({url})" in result.summary
    unlinked = render_result(planned, request(), config)
    assert url not in unlinked.files["IMPLEMENTATION_PLAN.md"]


def test_a_url_the_request_gives_is_kept() -> None:
    given = "https://github.com/o/r/issues/5"
    body = (
        "```yaml\n"
        "roadmap:\n"
        "  milestones:\n"
        "    - id: M1\n"
        "      title: Store\n"
        "      tasks:\n"
        "        - title: Implement the store in internal/store/\n"
        "decisions:\n"
        "  - id: D1\n"
        "    question: How long do we keep events?\n"
        "    impact: high\n"
        f"    issue: {given}\n"
        "```\n"
    )
    planned = build_plan(request(body), Config())
    assert planned.contract is not None
    assert [d.issue for d in planned.contract.decisions] == [given]
    linked = link_decision_issues(planned, {"D1": "https://github.com/o/r/issues/99"})
    assert linked.contract is not None
    assert [d.issue for d in linked.contract.decisions] == [given]


def test_nothing_to_link_leaves_the_plan_as_it_is() -> None:
    planned = build_plan(request(), Config())
    assert link_decision_issues(planned, {}) is planned


def test_writes_keep_githubs_pace_for_content(github: GitHubServer) -> None:
    """At most 80 writes in any minute: the 81st waits until the first is a minute old
    (a fake clock, so the test itself does not wait)."""
    now = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    client = GitHubClient(TOKEN, REPO, github.url, attempts=1, sleep=sleep, clock=lambda: now[0])
    port = IssuesAdapter(client)
    for n in range(81):
        port.create_comment(7, f"note {n}")
        now[0] += 0.1  # each write takes a tenth of a second
    assert slept == [pytest.approx(60.0 - 80 * 0.1)]
    assert len(github.comments_on(7)) == 81
