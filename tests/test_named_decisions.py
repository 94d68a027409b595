"""Mark, don't duplicate: a decision that names an existing issue (``#77``, or a link to
one) makes that issue the decision's issue. Driven through entrypoint.py and the
unmodified PyGithub against the REST stand-in on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.runner import RunnerResult, issue_event, run_action
from tests.servers.github import ACTIONS_BOT, OWNER, REPO, GitHubServer
from tests.test_github import NUMBER, TOKEN, plan_issue, writes

LINK = f"<!-- planner-decision-link: {NUMBER}/#77 -->"
BODY = """## Objective

Store events durably.

## Milestones

### M1: Store

- [ ] Implement the store in `internal/store/`
- [ ] Add the consumer process in `cmd/consumer/`

## Open questions

- How long do we keep events? Asked in #77 (major)
  - options: 7 days; 30 days
- Which region hosts the store?

## Assumptions

- Events are small.
"""


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "Store events", BODY)
        server.add_issue(77, "Event retention", "How long should events be kept?")
        yield server


def contract(result: RunnerResult) -> dict:
    data: dict = json.loads((result.workspace / result.outputs["contract"]).read_text())
    return data


def labels(issue: dict) -> list[str]:
    return [label["name"] for label in issue["labels"]]


def test_a_decision_naming_an_issue_marks_it_once_and_raises_none(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = plan_issue(tmp_path / "1", github, body=BODY)
    assert first.code == 0, first.stdout
    assert sorted(github.issues) == [NUMBER, 77], "no new issue for a decision that names one"
    named = github.issues[77]
    assert labels(named) == ["decision/major"]
    assert github.labels["decision/major"]["color"] == "d93f0b"
    (link,) = github.comments_on(77)
    assert link["body"].startswith(LINK)
    assert link["user"]["login"] == "github-actions[bot]"
    assert "How long do we keep events? Asked in #77" in link["body"]
    assert "decision D1 of its plan" in link["body"] and f"#{NUMBER}" in link["body"]
    decisions = contract(first)["decisions"]
    assert decisions[0]["issue"] == named["html_url"]
    assert decisions[1]["issue"] is None, "a minor decision naming nothing gets no issue"
    assert json.loads(first.outputs["decisions"])[0]["issue"] == named["html_url"]
    assert named["html_url"] in (first.workspace / "IMPLEMENTATION_PLAN.md").read_text()

    before = writes(github)
    second = plan_issue(tmp_path / "2", github, body=BODY, workspace=first.workspace)
    assert second.code == 0, second.stdout
    assert writes(github) == before, "a re-run adds nothing"
    assert len(github.comments_on(77)) == 1 and labels(github.issues[77]) == ["decision/major"]
    assert sorted(github.issues) == [NUMBER, 77]
    assert contract(second)["decisions"][0]["issue"] == named["html_url"]


def test_a_decision_written_as_a_link_marks_the_issue_it_links(
    tmp_path: Path, github: GitHubServer
) -> None:
    body = BODY.replace(
        "- How long do we keep events? Asked in #77 (major)",
        f"- [How long do we keep events?](https://github.com/{REPO}/issues/77) (critical)",
    )
    github.issues[77]["labels"].append({"name": "question", "id": 1, "color": "ffffff"})
    result = plan_issue(tmp_path, github, body=body)
    assert result.code == 0, result.stdout
    assert labels(github.issues[77]) == ["question", "decision/major"]
    assert [c["body"].startswith(LINK) for c in github.comments_on(77)] == [True]
    assert sorted(github.issues) == [NUMBER, 77]
    assert contract(result)["decisions"][0]["issue"] == github.issues[77]["html_url"]


def test_a_closed_named_issue_is_answered_and_left_alone(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.issues[77]["state"] = "closed"
    github.add_comment(77, "30 days: the audit asks for a month.", author=OWNER)
    result = plan_issue(tmp_path, github, body=BODY)
    assert result.code == 0, result.stdout
    (decision, _) = contract(result)["decisions"]
    assert decision["issue"] == github.issues[77]["html_url"]
    assert decision["answer"] == "30 days: the audit asks for a month."
    assert labels(github.issues[77]) == [] and len(github.comments_on(77)) == 1
    assert not github.calls("POST", r"/repos/.*/issues/77/.*")
    assert sorted(github.issues) == [NUMBER, 77]


def test_a_passer_by_does_not_answer_a_named_issue(tmp_path: Path, github: GitHubServer) -> None:
    github.issues[77]["state"] = "closed"
    github.add_comment(77, "30 days: the audit asks for a month.", author=OWNER)
    github.add_comment(77, "Decision: keep nothing.", author={"login": "passer-by"})
    result = plan_issue(tmp_path, github, body=BODY)
    assert result.code == 0, result.stdout
    assert contract(result)["decisions"][0]["answer"] == "30 days: the audit asks for a month."


def test_a_named_pull_request_or_missing_issue_is_not_marked(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.add_issue(78, "Retention PR", "", pull_request=True)
    body = BODY.replace("Asked in #77", "Asked in #78").replace(
        "- Which region hosts the store?", "- Which region hosts the store? See #404 (major)"
    )
    result = plan_issue(tmp_path, github, body=body)
    assert result.code == 0, result.stdout
    warned = [
        f for f in json.loads(result.outputs["findings"]) if f["rule"] == "github-side-effect"
    ]
    assert ["#78, which is a pull request" in f["message"] for f in warned] == [True, False]
    assert "#404, which is not an issue of this repository" in warned[1]["message"]
    assert labels(github.issues[78]) == [] and github.comments_on(78) == []
    assert sorted(github.issues) == [NUMBER, 77, 78]


def test_without_a_token_the_contract_still_links_the_named_issue(tmp_path: Path) -> None:
    payload = issue_event("edited", NUMBER, BODY)
    result = run_action(
        tmp_path, "issues", payload, extra_env={"GITHUB_SERVER_URL": "https://ghe.example.com"}
    )
    assert result.code == 0, result.stdout
    assert contract(result)["decisions"][0]["issue"] == (
        f"https://ghe.example.com/{REPO}/issues/77"
    )


def test_an_edit_that_moves_the_decision_ids_updates_the_one_link(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = plan_issue(tmp_path / "1", github, body=BODY)
    assert first.code == 0, first.stdout
    (link,) = github.comments_on(77)
    for n in range(3):  # each edit puts one more question first: #77's becomes D2, D3, D4
        filler = "".join(f"- Filler question {k}?\n" for k in range(n + 1))
        body = BODY.replace("## Open questions\n\n", f"## Open questions\n\n{filler}")
        again = plan_issue(tmp_path / f"edit{n}", github, body=body, workspace=first.workspace)
        assert again.code == 0, again.stdout
        assert contract(again)["decisions"][n + 1]["issue"] == github.issues[77]["html_url"]
        assert [c["id"] for c in github.comments_on(77)] == [link["id"]], "updated in place"
        assert f"decision D{n + 2} of its plan" in github.comments_on(77)[0]["body"]


def test_a_link_left_by_an_earlier_version_is_updated_not_repeated(
    tmp_path: Path, github: GitHubServer
) -> None:
    old = github.add_comment(77, f"<!-- planner-decision-link: {NUMBER}/D1 -->\nold text")
    old["user"] = {"login": "github-actions[bot]", "id": 41898282, "type": "Bot"}
    result = plan_issue(tmp_path, github, body=BODY)
    assert result.code == 0, result.stdout
    (link,) = github.comments_on(77)
    assert link["id"] == old["id"] and link["body"].startswith(LINK)


SO_MANY = "".join(f"- Should we remove feature {n}? See #{100 + n} (major)\n" for n in range(6))


def test_issues_a_request_names_count_under_the_limit_with_those_raised(
    tmp_path: Path, github: GitHubServer
) -> None:
    for n in range(6):
        github.add_issue(100 + n, f"Feature {n}", "Someone else's issue.")
    workspace = tmp_path / "workspace"
    (workspace / ".github").mkdir(parents=True)
    (workspace / ".github" / "planner.yml").write_text("decisions: {max_issues: 3}\n")
    body = BODY.replace("- Which region hosts the store?", f"{SO_MANY}- Which region? (major)")
    result = plan_issue(tmp_path, github, body=body, workspace=workspace)
    assert result.code == 0, result.stdout
    marked = [n for n in range(100, 106) if github.comments_on(n)]
    assert marked == [100, 101] and github.comments_on(77), "#77 and two more: three"
    assert [labels(github.issues[n]) for n in range(102, 106)] == [[]] * 4
    assert sorted(github.issues) == [NUMBER, 77, *range(100, 106)], "none raised"
    (limit,) = [
        f for f in json.loads(result.outputs["findings"]) if f["rule"] == "decision-issue-limit"
    ]
    assert "none was for D4, D5, D6, D7, D8" in limit["message"]
    assert not github.calls("GET", r"/repos/.*/issues/10[2-5]$"), "the rest are not even read"


def test_a_decision_never_marks_another_plan(tmp_path: Path, github: GitHubServer) -> None:
    """Labelled decision/major, #50 would stop being planned: it is left alone."""
    github.add_issue(50, "Export plan", "## Tasks\n- [ ] Add the CSV export")
    github.add_comment(50, "<!-- planner-summary: 50 -->\n## Plan for #50", ACTIONS_BOT)
    github.add_issue(51, "Import plan", "## Tasks\n- [ ] Add the CSV import")
    workspace = tmp_path / "workspace"
    (workspace / ".agent").mkdir(parents=True)
    (workspace / ".agent" / "planning-output-51.json").write_text("{}")
    body = BODY.replace("Asked in #77", "See #50").replace(
        "- Which region hosts the store?", "- Is the import still wanted? See #51 (major)"
    )
    result = plan_issue(tmp_path, github, body=body, workspace=workspace)
    assert result.code == 0, result.stdout
    assert labels(github.issues[50]) == labels(github.issues[51]) == []
    assert len(github.comments_on(50)) == 1 and not github.comments_on(51)
    said = [f for f in json.loads(result.outputs["findings"]) if f["rule"] == "decision-names-plan"]
    assert [f["severity"] for f in said] == ["notice", "notice"]
    assert "names #50, which is a plan of its own" in said[0]["message"]
    assert "names #51, which is a plan of its own" in said[1]["message"]
