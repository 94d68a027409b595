"""Persist the plan (PRODUCT.md §12, step 5; input ``commit: pull-request``): the planning
files a run wrote are committed through the Git Data API (blobs, a tree on the default
branch's head, a commit, the branch ``planner/<issue>/plan`` force-updated) and one pull
request from that branch is opened or updated in place. No git binary, no checkout.

Nothing is committed when the branch already holds these files, nor when the default
branch does; the pull request touches planning files only (seed rule 1), and check mode
reads a ``planner/<issue>/plan`` branch as a planning change."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from planner.action.github import GitHubError, PullInfo
from planner.core.findings import finding
from planner.core.gate import plan_branch
from planner.core.patterns import LazyPattern
from planner.core.text import neutralize_mentions, one_line
from planner.model import Finding, Severity

PERMISSIONS = "permissions: {contents: write, pull-requests: write}"


@runtime_checkable
class GitDataPort(Protocol):
    """What committing the plan asks of GitHub."""

    def default_branch(self) -> str: ...
    def branch_head(self, branch: str) -> str | None: ...
    def commit_tree(self, sha: str) -> str: ...
    def has_file(self, commit: str, path: str) -> bool: ...
    def create_blob(self, text: str) -> str: ...
    def create_tree(self, base_tree: str, blobs: dict[str, str | None]) -> str: ...
    def create_commit(self, message: str, tree: str, parent: str) -> str: ...
    def set_branch(self, branch: str, sha: str, *, create: bool) -> None: ...
    def open_pull(self, branch: str) -> PullInfo | None: ...
    def create_pull(self, branch: str, base: str, title: str, body: str) -> PullInfo: ...
    def edit_pull(self, number: int, title: str, body: str) -> None: ...


def git_data(port: object) -> GitDataPort | None:
    """The port that commits the plan, beside a run's issues port: a git-data adapter over
    the issues adapter's own client (one connection, one pace), or the port itself where
    it is both (a fake); None without a token."""
    from planner.action.github import GitDataAdapter, IssuesAdapter

    if isinstance(port, IssuesAdapter):
        return GitDataAdapter(port.client)
    return port if isinstance(port, GitDataPort) else None


@dataclass
class Persisted:
    commit: str | None = None
    pull: PullInfo | None = None
    done: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


# GitHub's closing keywords: "Fixes #3" in a pull request's title or body, or in a merged
# commit's message, closes #3 (any case, a colon or not, #3, owner/name#3 or a URL).
# Every one is broken, whatever follows it: GitHub's forms of a reference are many.
_CLOSING = LazyPattern(r"\b(?=(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b)(\w)", re.IGNORECASE)


def neutralize_closing(text: str) -> str:
    """Keep "fixes #3" readable but stop it closing #3: a zero-width joiner after the
    keyword's first letter, so no keyword is left before the reference."""
    return _CLOSING.sub("\\1\u200d", text)


def pull_text(number: int, title: str) -> tuple[str, str]:
    """The plan's pull request: its title and body (the same for every run of one issue,
    so an unchanged plan edits nothing). The issue's title is the request's text: its
    mentions notify no one and its closing keywords ("fixes #3") close nothing when the
    pull request, or a commit made of its title, is merged."""
    head = neutralize_closing(neutralize_mentions(one_line(f"Plan for #{number}: {title}", 200)))
    body = (
        f"The plan of #{number}, kept by planner-action: the planning files it writes "
        "(contract, fanout, IMPLEMENTATION_PLAN.md, specs), and nothing else. Each run "
        f"that changes the plan commits it again on `{plan_branch(number)}`, on top of "
        "the default branch, and updates this pull request.\n\n"
        "Merge it to keep the plan, and what is marked done in it, in the repository."
    )
    return head, body


def planning_files(files: dict[str, str], output_dir: str) -> dict[str, str]:
    """What is committed of a run's files: all but the task briefs, which are hand-outs
    for one wave (in the artifact), not a record to keep."""
    briefs = f"{output_dir.rstrip('/')}/tasks/"
    return {name: text for name, text in files.items() if not name.startswith(briefs)}


def persist_plan(
    port: GitDataPort,
    number: int,
    title: str,
    version: int,
    files: dict[str, str],
    removed: tuple[str, ...] = (),
) -> Persisted:
    """Commit ``files`` (workspace-relative path -> text), and the deletion of each of
    ``removed`` the tree holds, to the issue's plan branch and open or update its pull
    request; API failures are findings, the plan stays made."""
    result = Persisted()
    branch = plan_branch(number)
    try:
        _commit(port, number, version, files, branch, result, removed=removed)
        if result.commit is not None:
            _pull(port, number, title, branch, result)
    except GitHubError as exc:
        why = str(exc)
        if exc.status == 403:
            why = (
                f"{why} Committing the plan needs '{PERMISSIONS}' on the job, and for "
                "GITHUB_TOKEN the repository setting 'Allow GitHub Actions to create and "
                "approve pull requests'."
            )
        # As for every side effect: an outage or a refused write (403) is a warning, so the
        # step keeps its outputs for the jobs after it (a done run's next wave above all).
        severity: Severity = "warning" if exc.skippable else "error"
        result.findings.append(
            finding(
                "github-side-effect",
                f"Not done: committing the plan of #{number} to {branch}. {why} The plan "
                "files were still written.",
                severity=severity,
            )
        )
    return result


def _commit(
    port: GitDataPort,
    number: int,
    version: int,
    files: dict[str, str],
    branch: str,
    result: Persisted,
    *,
    removed: tuple[str, ...],
) -> None:
    base_branch = port.default_branch()
    base = port.branch_head(base_branch)
    if base is None:
        raise GitHubError(f"The default branch {base_branch} has no commit to build on.")
    base_tree = port.commit_tree(base)
    blobs = {path: port.create_blob(text) for path, text in sorted(files.items())}
    tree = port.create_tree(base_tree, _deleting(port, base, blobs, removed))
    if tree == base_tree:
        result.done.append(f"the plan is already on {base_branch}; nothing committed")
        return
    head = port.branch_head(branch)
    if head is not None:
        head_tree = port.commit_tree(head)
        if port.create_tree(head_tree, _deleting(port, head, blobs, removed)) == head_tree:
            result.commit = head  # the branch holds these files already
            return
    message = f"Plan for #{number} (roadmap version {version})\n\nWritten by planner-action."
    result.commit = port.create_commit(message, tree, base)
    port.set_branch(branch, result.commit, create=head is None)
    result.done.append(f"committed the plan to {branch}")


def _deleting(
    port: GitDataPort, commit: str, blobs: dict[str, str], removed: tuple[str, ...]
) -> dict[str, str | None]:
    """``blobs`` with a deletion for each of ``removed`` that ``commit`` holds."""
    gone = [p for p in removed if p not in blobs and port.has_file(commit, p)]
    return {**blobs, **dict.fromkeys(gone)}


def _pull(port: GitDataPort, number: int, title: str, branch: str, result: Persisted) -> None:
    """One open pull request from the plan branch: opened when there is none (the last
    one may have been merged or closed), its title and body put right otherwise."""
    head, body = pull_text(number, title)
    result.pull = port.open_pull(branch)
    if result.pull is None:
        result.pull = port.create_pull(branch, port.default_branch(), head, body)
        result.done.append(f"opened pull request #{result.pull.number}")
    elif (result.pull.title, result.pull.body) != (head, body):
        port.edit_pull(result.pull.number, head, body)
        result.done.append(f"updated pull request #{result.pull.number}")
