"""``commit: pull-request``: the planning files committed through the Git Data API to
``planner/<issue>/plan`` and one pull request kept for them; driven through entrypoint.py
and the unmodified PyGithub against the REST stand-in."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from planner.core.gate import PullRequest, name_task
from tests.runner import RunnerResult, issue_event, run_action
from tests.servers.base import Fault
from tests.servers.github import GitHubServer
from tests.test_github import EXAMPLE, NUMBER, TOKEN, plan_issue

BRANCH = f"planner/{NUMBER}/plan"
pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "Split event ingestion into separate processes", EXAMPLE)
        yield server


def persist(
    tmp: Path, server: GitHubServer, body: str = EXAMPLE, workspace: Path | None = None
) -> RunnerResult:
    return plan_issue(tmp, server, body, inputs={"commit": "pull-request"}, workspace=workspace)


def git_writes(server: GitHubServer) -> list[tuple[str, str]]:
    return [
        (r.method, r.path)
        for r in server.requests
        if (r.method, r.path.rsplit("/git/", 1)[-1]) in {("POST", "commits"), ("POST", "refs")}
        or (r.method == "PATCH" and "/git/refs/" in r.path)
        or "/pulls" in r.path
        and r.method in ("POST", "PATCH")
    ]


def test_first_run_commits_once_and_opens_one_pull_request(
    tmp_path: Path, github: GitHubServer
) -> None:
    main = github.branches["main"]
    first = persist(tmp_path / "1", github)
    assert first.code == 0, first.stdout
    assert len(github.calls("POST", r"/repos/.*/git/commits")) == 1
    head = github.branches[BRANCH]
    assert github.commits[head]["parents"] == [main], "built on the default branch"
    files = github.files_at(BRANCH)
    written = {
        p.relative_to(first.workspace).as_posix(): p.read_text()
        for p in first.workspace.rglob("*")
        if p.is_file()
    }
    briefs = [name for name in written if name.startswith(".agent/tasks/")]
    assert briefs, "the run wrote briefs"
    kept = {name: text for name, text in written.items() if name not in briefs}
    assert {n: t for n, t in files.items() if n != "README.md"} == kept
    assert files["README.md"] == "# Hello-World\n", "the rest of the tree is the base's"
    (pull,) = github.pulls.values()
    assert pull["head"] == BRANCH and pull["base"] == "main" and pull["state"] == "open"
    assert pull["title"] == f"Plan for #{NUMBER}: Spelling error in the README file"
    assert "committed the plan" in first.summary and "opened pull request" in first.summary

    before = git_writes(github)
    second = persist(tmp_path / "2", github)
    assert second.code == 0, second.stdout
    assert git_writes(github) == before, "an unchanged plan makes no commit and no edit"
    assert github.branches[BRANCH] == head

    changed = EXAMPLE.replace(
        "- [ ] Add a new chain adapter",
        "- [ ] Add a metrics exporter in `internal/metrics/`\n- [ ] Add a new chain adapter",
    )
    third = persist(tmp_path / "3", github, changed)
    assert third.code == 0, third.stdout
    assert len(github.calls("POST", r"/repos/.*/git/commits")) == 2, "one more commit"
    assert github.branches[BRANCH] != head
    assert len(github.pulls) == 1, "the same pull request, updated in place"
    assert "internal/metrics" in github.files_at(BRANCH)["IMPLEMENTATION_PLAN.md"]


def test_a_token_that_may_not_write_contents_is_told_which_permissions(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.faults.append(
        Fault("POST", r"/repos/.*/git/blobs", 403, body={"message": "Resource not accessible"})
    )
    result = persist(tmp_path, github)
    findings = [f for f in json.loads(result.outputs["findings"]) if "committing" in f["message"]]
    (finding,) = findings
    assert "contents: write, pull-requests: write" in finding["message"]
    # A refused write is a warning: the step stays green and keeps its outputs (the next
    # wave of a done run reaches the build job).
    assert finding["severity"] == "warning" and result.code == 0
    assert (result.workspace / "IMPLEMENTATION_PLAN.md").exists(), "the plan is still made"
    assert BRANCH not in github.branches and not github.pulls


def test_the_plan_branch_is_a_planning_change_for_check_mode() -> None:
    pull = PullRequest(
        branch=BRANCH, title=f"Plan for #{NUMBER}: M1-T1 and more", body="", labels=()
    )
    assert name_task([], pull) == (None, [])


ONE_TASK = """## Objective
Report the build's version on the status page.

## Milestones
### M1: Version on the status page
- [ ] Add the version line to `web/status.html`

**Acceptance:** the status page shows the version.
**Validation:** `make test`
"""


def test_a_plan_that_hands_out_one_task_deletes_the_fanout_an_earlier_plan_kept(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = persist(tmp_path / "1", github)
    assert first.code == 0, first.stdout
    fanout = first.outputs["fanout"]
    assert fanout and fanout in github.files_at(BRANCH), "two ready tasks: a fanout"
    github.branches["main"] = github.branches[BRANCH]  # the plan's pull request merged

    second = persist(tmp_path / "2", github, ONE_TASK, checkout(tmp_path / "2", github))
    assert second.code == 0, second.stdout
    assert second.outputs["fanout"] == "" and "fanout-skipped" in second.outputs["findings"]
    assert not (second.workspace / fanout).exists(), "the stale fanout left the workspace"
    committed = github.files_at(BRANCH)
    assert fanout not in committed, "and the plan branch: merging it deletes the file"
    contract = first.outputs["contract"]
    assert committed[contract] == (second.workspace / contract).read_text()

    head = github.branches[BRANCH]
    third = persist(tmp_path / "3", github, ONE_TASK, checkout(tmp_path / "3", github))
    assert third.code == 0, third.stdout
    assert github.branches[BRANCH] == head, "the branch deletes it already: no new commit"


def checkout(folder: Path, server: GitHubServer) -> Path:
    """A workspace holding the default branch's files, as actions/checkout makes it."""
    for name, text in server.files_at("main").items():
        (folder / "checkout" / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / "checkout" / name).write_text(text, encoding="utf-8")
    return folder / "checkout"


# A closing reference as GitHub's documentation gives it: a keyword, a colon or not, then
# the issue (#3, owner/name#3, or its URL).
CLOSING = re.compile(
    r"\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+"
    r"(?:#\d|[\w.-]+/[\w.-]+#\d|https://github\.com/\S+/issues/\d)",
    re.IGNORECASE,
)
HOSTILE_TITLE = (
    "Cache Fixes #3, closes: #4, RESOLVED Codertocat/Hello-World#5 "
    "![t](https://evil.example/t.png) [docs](https://evil.example/x)"
)


def test_a_title_that_links_a_picture_or_closes_issues_does_neither(
    tmp_path: Path, github: GitHubServer
) -> None:
    github.issues[NUMBER]["title"] = HOSTILE_TITLE
    payload = issue_event("edited", NUMBER, EXAMPLE)
    payload["issue"]["title"] = HOSTILE_TITLE
    result = run_action(
        tmp_path,
        "issues",
        payload,
        token=TOKEN,
        inputs={"commit": "pull-request"},
        extra_env={"GITHUB_API_URL": github.url},
    )
    assert result.code == 0, result.stdout
    (pull,) = github.pulls.values()
    assert not CLOSING.search(f"{pull['title']}\n{pull['body']}"), pull["title"]
    assert "Cache Fixes #3, closes: #4" in pull["title"].replace("\u200d", ""), "still readable"
    (summary,) = [c["body"] for c in github.comments.values() if "planner-summary" in c["body"]]
    for text in (summary, result.summary):
        shown = MarkdownIt("commonmark").enable("table").render(text)
        assert "<img" not in shown and 'href="https://evil' not in shown, "no picture, no link"
        assert "![t](https://evil.example/t.png) [docs](https://evil.example/x)" in shown
