"""GitHub side effects of a plan (PRODUCT.md §7): decision issues, the sticky comment,
sub-issues. Each is found again by a hidden marker, so re-runs never duplicate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TypeVar

from planner.action.github import GitHubError, GitHubPort, IssueInfo
from planner.core.text import markdown_inline, neutralize_mentions, one_line
from planner.model import Contract, Decision, Fanout, Finding, Issue, Location

SUB_ISSUE_LIMIT = 100  # GitHub's limit of sub-issues per parent
T = TypeVar("T")


def decision_marker(issue: int, decision_id: str) -> str:
    return f"<!-- planner-decision: {issue}/{decision_id} -->"


def comment_marker(issue: int) -> str:
    return f"<!-- planner-summary: {issue} -->"


def task_marker(issue: int, task_id: str) -> str:
    return f"<!-- planner-task: {issue}/{task_id} -->"


def safe_text(text: str, limit: int = 2000) -> str:
    """Untrusted text quoted into an issue or comment: no mentions, no HTML (so no
    marker can be closed or forged), one line."""
    return markdown_inline(text, limit)


@dataclass
class EffectsReport:
    done: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    not_done: list[str] = field(default_factory=list)

    def failed(self, what: str, exc: GitHubError, severity: str) -> None:
        self.not_done.append(what)
        self.findings.append(
            Finding(
                rule="github-side-effect",
                severity=severity,
                message=f"Not done: {what}. {exc} The plan files were still written.",
                location=Location(),
            )
        )


class SideEffects:
    def __init__(
        self, port: GitHubPort, planning: Issue, label: str, outage_severity: str = "warning"
    ) -> None:
        self.port = port
        self.planning = planning
        self.label = label
        self.outage = outage_severity
        self.report = EffectsReport()

    def _severity(self, exc: GitHubError) -> str:
        """Outages are warnings; so is a 403, a token that may read but not write issues
        (``permissions: issues: read``): the plan is made, the writes are skipped. Any other
        refusal (a wrong token, a missing repository) is an error."""
        return self.outage if exc.transient or exc.status == 403 else "error"

    def _ok(self, what: str, fn: Callable[[], object]) -> bool:
        """Run a call that returns nothing; whether it succeeded."""

        def call() -> bool:
            fn()
            return True

        return self._try(what, call) is not None

    def _try(self, what: str, fn: Callable[[], T]) -> T | None:
        try:
            result = fn()
        except GitHubError as exc:
            self.report.failed(what, exc, self._severity(exc))
            return None
        self.report.done.append(what)
        return result

    # ------------------------------------------------------------------ decisions

    def decision_body(self, decision: Decision) -> str:
        n = self.planning.number
        options = (
            "\n".join(f"- [ ] {safe_text(o, 500)}" for o in decision.options)
            or "_No options were listed in the planning issue._"
        )
        blocks = ", ".join(decision.blocks) or "nothing yet"
        return (
            f"{decision_marker(n, decision.id)}\n"
            f"**Owner decision needed for #{n}** (impact: {decision.impact}).\n\n"
            f"> {safe_text(decision.question)}\n\n"
            f"**Options**\n\n{options}\n\n"
            f"**Blocks:** {blocks}\n\n"
            f"Answer here, then record the choice in #{n} (tick the question or move it out of "
            "Open questions) and re-run the planner.\n"
        )

    def sync_decisions(self, contract: Contract) -> dict[str, str]:
        """Raise, update or close the decision issues; the URL of each open one, by
        decision id."""
        wanted = [d for d in contract.decisions if d.impact in ("high", "critical")]
        n = self.planning.number
        urls: dict[str, str] = {}
        existing = self._try(
            f"listing '{self.label}' issues", lambda: self.port.list_labelled(self.label)
        )
        if existing is None:
            return urls
        by_marker = _by_marker(existing, f"<!-- planner-decision: {n}/")
        if wanted and not any(d.id in by_marker for d in wanted):
            ids = ", ".join(d.id for d in wanted)
            ensured = self._ok(
                f"creating label '{self.label}', so decision issue(s) {ids} were not raised",
                partial(
                    self.port.ensure_label,
                    self.label,
                    "d93f0b",
                    "An owner decision the planner is waiting on",
                ),
            )
            if not ensured:
                return urls
        for d in wanted:
            title = one_line(f"Decision {d.id} for #{n}: {d.question}", 200)
            body = self.decision_body(d)
            found = by_marker.get(d.id)
            if found is not None:
                if found.body != body or found.state != "open" or found.title != title:
                    self._try(
                        f"updating decision issue for {d.id}",
                        partial(
                            self.port.edit_issue, found.number, title=title, body=body, state="open"
                        ),
                    )
                urls[d.id] = found.url
                continue
            created = self._create_once(d.id, title, body)
            if created is not None:
                urls[d.id] = created.url
        open_ids = {d.id for d in wanted}
        for d_id, info in by_marker.items():
            if d_id not in open_ids and info.state == "open":
                note = (
                    f"\n---\n**Resolved:** no longer an open question in #{n}; closed by the "
                    "planner.\n"
                )
                self._try(
                    f"closing resolved decision issue for {d_id}",
                    partial(
                        self.port.edit_issue, info.number, body=info.body + note, state="closed"
                    ),
                )
        return urls

    def _create_once(self, decision_id: str, title: str, body: str) -> IssueInfo | None:
        """Create the decision issue; after a failed create, look again before retrying,
        since a create that timed out may have happened."""
        marker = decision_marker(self.planning.number, decision_id)
        for _ in range(3):
            try:
                created = self.port.create_issue(title, body, [self.label])
                self.report.done.append(f"raising decision issue for {decision_id}")
                return created
            except GitHubError as exc:
                if not exc.transient:
                    self.report.failed(
                        f"raising decision issue for {decision_id}", exc, self._severity(exc)
                    )
                    return None
                last = exc
            try:
                again = [i for i in self.port.list_labelled(self.label) if marker in i.body]
            except GitHubError:
                again = []
            if again:
                return again[0]
        self.report.failed(f"raising decision issue for {decision_id}", last, self.outage)
        return None

    # ------------------------------------------------------------------ the comment

    def sync_comment(self, summary: str) -> int | None:
        """Post or update the summary comment; its id, or None when it could not be
        read or written."""
        n = self.planning.number
        marker = comment_marker(n)
        body = f"{marker}\n{neutralize_mentions(summary)}"[:65_000]
        comments = self._try(
            "reading the planning issue's comments", lambda: self.port.list_comments(n)
        )
        if comments is None:
            return None
        mine = next((c for c in comments if c.body.startswith(marker)), None)
        if mine is None:
            made = self._try(
                "posting the summary comment", lambda: self.port.create_comment(n, body)
            )
            return made.id if made is not None else None
        if mine.body != body:
            self._try(
                "updating the summary comment", lambda: self.port.edit_comment(n, mine.id, body)
            )
        return mine.id

    # ------------------------------------------------------------------ sub-issues

    def sync_sub_issues(self, fanout: Fanout) -> None:
        n = self.planning.number
        current = self._try("listing sub-issues", lambda: self.port.list_sub_issues(n))
        if current is None:
            return
        linked = _by_marker(current, f"<!-- planner-task: {n}/")
        room = SUB_ISSUE_LIMIT - len(current)
        for t in fanout.tasks:
            if t.id in linked:
                continue
            if room <= 0:
                self.report.findings.append(
                    Finding(
                        rule="github-sub-issue-limit",
                        severity="warning",
                        message=f"#{n} already has {SUB_ISSUE_LIMIT} sub-issues (GitHub's limit); "
                        f"no sub-issue was made for {t.id} and later tasks.",
                    )
                )
                return
            paths = ", ".join(f"`{safe_text(p, 200)}`" for p in t.diff_boundary.paths)
            body = (
                f"{task_marker(n, t.id)}\nTask **{t.id}** of #{n} (wave {t.wave}, risk "
                f"{t.risk_class}).\n\n**Objective:** {safe_text(t.objective)}\n\n"
                f"**Paths:** {paths} · **Max diff:** {t.diff_boundary.max_diff_scope} lines\n"
            )
            created = self._try(
                f"creating sub-issue for {t.id}",
                partial(
                    self.port.create_issue, one_line(f"{t.id}: {safe_text(t.title)}", 200), body, []
                ),
            )
            if created is not None:
                self._try(
                    f"linking sub-issue for {t.id}", partial(self.port.add_sub_issue, n, created.id)
                )
                room -= 1


def _by_marker(issues: list[IssueInfo], prefix: str) -> dict[str, IssueInfo]:
    """Issues by the id in their hidden marker (``<!-- planner-…: N/<id> -->``)."""
    found: dict[str, IssueInfo] = {}
    for info in issues:
        for key in _markers_in(info.body, prefix):
            found[key] = info
    return found


def _markers_in(body: str, prefix: str) -> list[str]:
    found: list[str] = []
    start = body.find(prefix)
    while start >= 0:
        end = body.find(" -->", start)
        if end < 0:
            break
        found.append(body[start + len(prefix) : end].strip())
        start = body.find(prefix, end)
    return found
