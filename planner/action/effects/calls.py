"""What every side effect shares: the port, one report of what was done and what was
not, and the token's own account, since only what that account wrote is the planner's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from planner.action.events import TRUSTED
from planner.action.github import CommentInfo, GitHubError, GitHubPort
from planner.core.findings import finding
from planner.model import Finding, Issue, Severity

T = TypeVar("T")


@dataclass
class EffectsReport:
    done: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)

    def failed(self, what: str, exc: GitHubError, severity: Severity) -> None:
        self.not_done.append(what)
        self.findings.append(
            finding(
                "github-side-effect",
                f"Not done: {what}. {exc} The plan files were still written.",
                severity=severity,
            )
        )


class Calls:
    """The port's calls for one planning issue, each recorded in the one report: done, or
    not done with a finding. A failed call never raises, so one refusal costs only what
    depends on it and the plan is still written."""

    def __init__(
        self, port: GitHubPort, planning: Issue, outage_severity: Severity = "warning"
    ) -> None:
        self.port = port
        self.planning = planning
        self.outage = outage_severity
        self.me: str | None = None
        self.report = EffectsReport()

    def severity(self, exc: GitHubError) -> Severity:
        """A call the run may go on without (``GitHubError.skippable``) is a warning (or
        the configured outage severity): the plan is made, the writes are skipped. Any
        other refusal is an error."""
        return self.outage if exc.skippable else "error"

    def succeeds(self, what: str, fn: Callable[[], object]) -> bool:
        """Run a call that returns nothing; whether it succeeded."""

        def call() -> bool:
            fn()
            return True

        return self.attempt(what, call) is not None

    def attempt(self, what: str, fn: Callable[[], T], severity: Severity | None = None) -> T | None:
        """Run a call; what it returned, or None when it failed (reported as ``severity``
        when given, else by ``severity()``)."""
        try:
            result = fn()
        except GitHubError as exc:
            self.report.failed(what, exc, severity or self.severity(exc))
            return None
        self.report.done.append(what)
        return result

    def account(self) -> str | None:
        """The token's own login: only what it authored is the planner's."""
        if self.me is None:
            self.me = self.attempt("reading the token's account", self.port.account)
        return self.me

    def learn_account(self, author: str, me: str) -> str:
        """The account as GitHub wrote it on what was just made. An app's installation
        token cannot read GET /user and writes as ``<app>[bot]``, not as the Actions bot
        assumed then; listing again under the right name still finds the duplicates."""
        if author and author != me:
            self.me = author
            return author
        return me

    def may_decide(self, comment: CommentInfo, me: str | None) -> bool:
        """Whether ``comment`` may be taken as the answer to a decision: a comment with
        text by the repository's owner, a member or a collaborator (its author's
        association), or by the planning issue's author; never the planner's own (``me``).
        Anyone else may comment on an issue, but not decide for its plan."""
        if comment.author == me or not comment.body.strip():
            return False
        asked = bool(self.planning.author) and comment.author == self.planning.author
        return asked or comment.association in TRUSTED

    def own_comments(
        self, number: int, marker: str, me: str, what: str
    ) -> list[CommentInfo] | None:
        """The comments on issue ``number`` that the token's account wrote starting with
        ``marker``, oldest first; None when they could not be read. A comment by anyone
        else is never taken for the planner's, whatever marker it carries."""
        comments = self.attempt(what, partial(self.port.list_comments, number))
        if comments is None:
            return None
        return sorted(
            (c for c in comments if c.author == me and c.body.startswith(marker)),
            key=lambda c: c.id,
        )
