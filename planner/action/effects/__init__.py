"""GitHub side effects of a plan (PRODUCT.md §7): decision issues (raised, or existing
ones that a decision names marked), the sticky comment, sub-issues. Each is found again
by a hidden marker among what the token's own account wrote, so re-runs never duplicate,
and what two runs at once both made is reduced to one (the oldest) right after."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import partial

from planner.action.effects.calls import Calls, EffectsReport
from planner.action.effects.comment import SummaryComment
from planner.action.effects.markers import (
    decision_marker,
    ids_in,
    link_marker,
    safe_text,
    task_marker,
)
from planner.action.effects.sub_issues import SubIssues
from planner.action.github import (
    GitHubError,
    GitHubPort,
    IssueInfo,
    NamedIssueInfo,
)
from planner.core.blocks import BlockError, markers, read_block, replace_block
from planner.core.findings import finding
from planner.core.text import one_line
from planner.model import Contract, Decision, Fanout, Issue

__all__ = ["DecisionIssues", "EffectsReport", "SideEffects", "task_marker"]

DECISION_BLOCK = "decision"  # <!-- planner:begin decision --> ... in a decision issue's body
ANSWER_LIMIT = 4000  # characters of an owner's answer recorded in the contract


@dataclass(frozen=True)
class DecisionIssues:
    """What syncing the decision issues made or found: each one's URL, and the answers
    of those the owner closed, by decision id."""

    urls: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


class SideEffects:
    def __init__(
        self,
        port: GitHubPort,
        planning: Issue,
        label: str,
        outage_severity: str = "warning",
        max_decision_issues: int = 20,
    ) -> None:
        self.calls = Calls(port, planning, outage_severity)
        self.label = label
        self.max_decision_issues = max_decision_issues
        self.comment = SummaryComment(self.calls)
        self.sub_issues = SubIssues(self.calls)

    @property
    def report(self) -> EffectsReport:
        return self.calls.report

    # ------------------------------------------------------------------ decisions

    def decision_content(self, decision: Decision) -> str:
        """The planner's part of a decision issue's body (between block markers); the
        owner may write anything around it."""
        n = self.calls.planning.number
        options = (
            "\n".join(f"- [ ] {safe_text(o, 500)}" for o in decision.options)
            or "_No options were listed in the planning issue._"
        )
        blocks = ", ".join(decision.blocks) or "nothing yet"
        return (
            f"**Owner decision needed for #{n}** (impact: {decision.impact}).\n\n"
            f"> {safe_text(decision.question)}\n\n"
            f"**Options**\n\n{options}\n\n"
            f"**Blocks:** {blocks}\n\n"
            f"Answer here (or close this issue with your answer as its last comment), then "
            f"record the choice in #{n} (tick the question or move it out of Open questions) "
            "and re-run the planner.\n"
        )

    def decision_body(self, decision: Decision) -> str:
        marker = decision_marker(self.calls.planning.number, decision.id)
        managed = replace_block(None, DECISION_BLOCK, self.decision_content(decision), "issue")
        return f"{marker}\n{managed}"

    def _own_decisions(self, me: str, what: str) -> dict[str, list[IssueInfo]] | None:
        """This planning issue's decision issues that the token's account opened, by
        decision id, oldest first. Found by the hidden marker, whatever their labels."""
        issues = self.calls.attempt(what, partial(self.calls.port.list_created_by, me))
        if issues is None:
            return None
        prefix = f"<!-- planner-decision: {self.calls.planning.number}/"
        groups: dict[str, list[IssueInfo]] = {}
        for info in sorted(issues, key=lambda i: i.number):
            if info.author == me:
                for key in ids_in(info.body, prefix):
                    groups.setdefault(key, []).append(info)
        return groups

    def _close_duplicates(self, groups: dict[str, list[IssueInfo]]) -> None:
        """Two runs at once may each raise a decision's issue: keep the oldest, close
        the others with a note saying which one stays."""
        for d_id, issues in groups.items():
            keep = issues[0]
            for extra in issues[1:]:
                if extra.state != "open":
                    continue
                note = (
                    f"\n\n---\n**Duplicate** of #{keep.number} (raised by two planner runs at "
                    "once); closed by the planner.\n"
                )
                self.calls.attempt(
                    f"closing duplicate decision issue #{extra.number} for {d_id}",
                    partial(
                        self.calls.port.edit_issue,
                        extra.number,
                        body=extra.body + note,
                        state="closed",
                    ),
                )

    def _update_managed(self, d: Decision, found: IssueInfo) -> None:
        """Rewrite the planner's part of an open decision issue, nothing else; an issue
        whose block markers were removed or broken is left as the owner made it."""
        name = f"decision issue #{found.number}"
        try:
            if read_block(found.body, DECISION_BLOCK, name) is None:
                return
            body = replace_block(found.body, DECISION_BLOCK, self.decision_content(d), name)
        except BlockError as exc:
            self.calls.report.findings.append(
                finding("github-side-effect", f"Not updated: {exc}.", severity="warning")
            )
            return
        if body != found.body:
            self.calls.attempt(
                f"updating decision issue for {d.id}",
                partial(self.calls.port.edit_issue, found.number, body=body),
            )

    def sync_decisions(self, contract: Contract) -> DecisionIssues:
        """Raise, update or close the decision issues; the URL of each, and the answer in
        each the owner closed, by decision id.

        An issue the owner closed is answered: it is never reopened. After raising
        any, the issues are listed again and duplicates from a concurrent run closed, so
        two runs at once end with one issue per decision."""
        wanted = [d for d in contract.decisions if d.impact in ("high", "critical")]
        n = self.calls.planning.number
        urls: dict[str, str] = {}
        answers: dict[str, str] = {}
        me = self.calls.account()
        if me is None:
            return DecisionIssues()
        groups = self._own_decisions(me, "listing the planner's decision issues")
        if groups is None:
            return DecisionIssues()
        self._close_duplicates(groups)
        missing = [d for d in wanted if d.id not in groups]
        room = max(self.max_decision_issues - (len(wanted) - len(missing)), 0)
        missing, held = missing[:room], missing[room:]
        if held:
            self.calls.report.findings.append(
                finding(
                    "decision-issue-limit",
                    f"At most {self.max_decision_issues} decisions of #{n} get a decision "
                    f"issue; none was raised for {', '.join(d.id for d in held)}. Answer "
                    "some first, or raise decisions.max_issues in the config.",
                )
            )
        if missing:
            ids = ", ".join(d.id for d in missing)
            ensured = self.calls.succeeds(
                f"creating label '{self.label}', so decision issue(s) {ids} were not raised",
                partial(
                    self.calls.port.ensure_label,
                    self.label,
                    "d93f0b",
                    "An owner decision the planner is waiting on",
                ),
            )
            if not ensured:
                missing = []
        for d in wanted:
            if d.id in groups:
                found = groups[d.id][0]
                urls[d.id] = found.url
                if found.state == "open":
                    self._update_managed(d, found)
                else:
                    answers[d.id] = self._answer(found, me)
        created = False
        for d in missing:
            title = one_line(f"Decision {d.id} for #{n}: {d.question}", 200)
            made = self._create_once(d.id, title, self.decision_body(d), me)
            if made is not None:
                urls[d.id] = made.url
                created = True
                me = self.calls.learn_account(made.author, me)
        if created:
            again = self._own_decisions(me, "listing the decision issues again")
            if again is not None:
                self._close_duplicates(again)
                urls.update({d.id: again[d.id][0].url for d in missing if d.id in again})
        open_ids = {d.id for d in wanted}
        for d_id, issues in groups.items():
            info = issues[0]
            if d_id not in open_ids and info.state == "open":
                note = (
                    f"\n---\n**Resolved:** no longer an open question in #{n}; closed by the "
                    "planner.\n"
                )
                self.calls.attempt(
                    f"closing resolved decision issue for {d_id}",
                    partial(
                        self.calls.port.edit_issue,
                        info.number,
                        body=info.body + note,
                        state="closed",
                    ),
                )
        return DecisionIssues(urls, answers)

    def _answer(self, found: IssueInfo, me: str) -> str:
        """What the owner answered in a decision issue they closed: its last comment by
        anyone but the planner, else what they wrote in the body around the planner's
        part and markers."""
        comments = self.calls.attempt(
            f"reading the answer in decision issue #{found.number}",
            partial(self.calls.port.list_comments, found.number),
        )
        theirs = [c for c in comments or [] if c.author != me and c.body.strip()]
        if theirs:
            text = max(theirs, key=lambda c: c.id).body
        else:
            text = found.body
            begin, end = markers(DECISION_BLOCK)
            start, stop = text.find(begin), text.find(end)
            if 0 <= start < stop:
                text = text[:start] + text[stop + len(end) :]
            text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
            text = text.split("\n---\n**Resolved:**")[0]
        text = text.strip()
        return text[:ANSWER_LIMIT] if text else "(closed without a written answer)"

    def _create_once(self, decision_id: str, title: str, body: str, me: str) -> IssueInfo | None:
        """Create the decision issue; after a failed create, look again before retrying,
        since a create that timed out may have happened."""
        marker = decision_marker(self.calls.planning.number, decision_id)
        last: GitHubError | None = None
        for _ in range(3):
            try:
                created = self.calls.port.create_issue(title, body, [self.label])
                self.calls.report.done.append(f"raising decision issue for {decision_id}")
                return created
            except GitHubError as exc:
                if not exc.transient:
                    self.calls.report.failed(
                        f"raising decision issue for {decision_id}", exc, self.calls.severity(exc)
                    )
                    return None
                last = exc
            try:
                again = [
                    i
                    for i in self.calls.port.list_created_by(me)
                    if i.author == me and marker in i.body
                ]
            except GitHubError:
                again = []
            if again:
                return min(again, key=lambda i: i.number)
        assert last is not None
        self.calls.report.failed(
            f"raising decision issue for {decision_id}", last, self.calls.outage
        )
        return None

    # ------------------------------------------------------------------ named issues

    def link_body(self, decision: Decision) -> str:
        """The comment that links an existing issue to the decision that names it."""
        n = self.calls.planning.number
        blocks = ", ".join(decision.blocks) or "nothing yet"
        return (
            f"{link_marker(n, decision.id)}\n"
            f"**Owner decision needed for #{n}:** this issue is decision {decision.id} of its "
            f"plan (impact: {decision.impact}).\n\n"
            f"> {safe_text(decision.question)}\n\n"
            f"**Blocks:** {blocks}\n\n"
            "Answer here and close this issue (its last comment is taken as the answer), "
            f"then record the choice in #{n} (tick the question or move it out of Open "
            "questions) and re-run the planner.\n"
        )

    def mark_named_issues(self, contract: Contract, named: dict[str, int]) -> DecisionIssues:
        """Mark, not duplicate: the existing issue a decision names (``named``: decision id
        -> issue number) is the decision's issue. An open one, for a high or critical
        decision, gets the decision label (created if missing) and one comment linking it
        to the plan, found again by its hidden marker so that re-runs add nothing; a closed
        one is answered and left as it is. The URL of each, and each answer, by decision
        id."""
        urls: dict[str, str] = {}
        answers: dict[str, str] = {}
        label_ready: bool | None = None
        for d in contract.decisions:
            number = named.get(d.id)
            info = self._named_issue(d.id, number) if number is not None else None
            if info is None:
                continue
            urls[d.id] = info.url
            if info.state != "open":
                answers[d.id] = self._named_answer(info, d.id)
                continue
            if d.impact not in ("high", "critical"):
                continue
            if self.label not in info.labels:
                if label_ready is None:
                    label_ready = self.calls.succeeds(
                        f"creating label '{self.label}'",
                        partial(
                            self.calls.port.ensure_label,
                            self.label,
                            "d93f0b",
                            "An owner decision the planner is waiting on",
                        ),
                    )
                if label_ready:
                    self.calls.succeeds(
                        f"labelling #{info.number} '{self.label}' for {d.id}",
                        partial(self.calls.port.add_label, info.number, self.label),
                    )
            self._link_comment(d, info.number)
        return DecisionIssues(urls, answers)

    def _named_issue(self, decision_id: str, number: int) -> NamedIssueInfo | None:
        """The issue a decision names; None, with a finding, when it cannot be read or is
        not an issue (a pull request, or no such number)."""
        n = self.calls.planning.number
        try:
            info = self.calls.port.get_named_issue(number)
        except GitHubError as exc:
            if exc.status not in (404, 410):
                self.calls.report.failed(
                    f"reading issue #{number}, named by decision {decision_id}",
                    exc,
                    self.calls.severity(exc),
                )
                return None
            info = None
        if info is None or info.pull_request:
            what = "a pull request" if info else "not an issue of this repository"
            self.calls.report.not_done.append(f"marking #{number} for decision {decision_id}")
            self.calls.report.findings.append(
                finding(
                    "github-side-effect",
                    f"Decision {decision_id} of #{n} names #{number}, which is {what}; it was "
                    "not marked. Name the decision's own issue, or drop the reference to have "
                    "one raised.",
                    severity="warning",
                )
            )
            return None
        self.calls.report.done.append(f"found #{number} for decision {decision_id}")
        return info

    def _link_comment(self, decision: Decision, number: int) -> None:
        """Post or update the comment linking issue ``number`` to the decision; after
        posting, a duplicate from a concurrent run is deleted (the oldest stays)."""
        body = self.link_body(decision)
        marker = link_marker(self.calls.planning.number, decision.id)
        me = self.calls.account()
        if me is None:
            return
        mine = self.calls.own_comments(number, marker, me, f"reading the comments of #{number}")
        if mine is None:
            return
        if not mine:
            made = self.calls.attempt(
                f"linking #{number} to decision {decision.id}",
                partial(self.calls.port.create_comment, number, body),
            )
            if made is None:
                return
            me = self.calls.learn_account(made.author, me)
            mine = self.calls.own_comments(
                number, marker, me, f"reading the comments of #{number}"
            ) or [made]
        for extra in mine[1:]:
            self.calls.attempt(
                f"deleting a duplicate link comment on #{number}",
                partial(self.calls.port.delete_comment, number, extra.id),
            )
        if mine[0].body != body:
            self.calls.attempt(
                f"updating the link on #{number} to decision {decision.id}",
                partial(self.calls.port.edit_comment, number, mine[0].id, body),
            )

    def _named_answer(self, info: NamedIssueInfo, decision_id: str) -> str:
        """The answer in a closed named issue: its last comment that is not the planner's
        link."""
        comments = self.calls.attempt(
            f"reading the answer in #{info.number} for decision {decision_id}",
            partial(self.calls.port.list_comments, info.number),
        )
        theirs = [
            c
            for c in comments or []
            if c.body.strip() and not c.body.startswith("<!-- planner-decision-link:")
        ]
        if not theirs:
            return "(closed without a written answer)"
        return max(theirs, key=lambda c: c.id).body.strip()[:ANSWER_LIMIT]

    # ------------------------------------------------------------------ the rest

    def sync_comment(self, summary: str) -> int | None:
        return self.comment.sync(summary)

    def sync_sub_issues(self, fanout: Fanout) -> None:
        self.sub_issues.sync(fanout)
