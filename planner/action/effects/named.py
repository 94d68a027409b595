"""Existing issues that a decision names as its own (PRODUCT.md §7): marked, never
duplicated. An open one gets the decision label and one comment linking it to the plan; a
closed one is answered, and its answer read from its last comment by someone who may
decide."""

from __future__ import annotations

from functools import partial

from planner.action.effects.calls import Calls
from planner.action.effects.decisions import (
    ANSWER_LIMIT,
    NO_ANSWER,
    DecisionIssues,
    ensure_decision_label,
    needs_issue,
)
from planner.action.effects.markers import link_marker, safe_text
from planner.action.github import GitHubError, NamedIssueInfo
from planner.core.findings import finding
from planner.model import Contract, Decision


def link_body(issue: int, decision: Decision) -> str:
    """The comment that links an existing issue to the decision that names it."""
    blocks = ", ".join(decision.blocks) or "nothing yet"
    return (
        f"{link_marker(issue, decision.id)}\n"
        f"**Owner decision needed for #{issue}:** this issue is decision {decision.id} of its "
        f"plan (impact: {decision.impact}).\n\n"
        f"> {safe_text(decision.question)}\n\n"
        f"**Blocks:** {blocks}\n\n"
        "Answer here and close this issue (its last comment is taken as the answer), "
        f"then record the choice in #{issue} (tick the question or move it out of Open "
        "questions) and re-run the planner.\n"
    )


class NamedIssues:
    def __init__(self, calls: Calls, label: str) -> None:
        self.calls = calls
        self.label = label

    def mark(self, contract: Contract, named: dict[str, int]) -> DecisionIssues:
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
                answers[d.id] = self._answer(info, d.id)
                continue
            if not needs_issue(d):
                continue
            if self.label not in info.labels:
                if label_ready is None:
                    label_ready = ensure_decision_label(
                        self.calls, self.label, f"creating label '{self.label}'"
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
        calls = self.calls
        n = calls.planning.number
        try:
            info = calls.port.get_named_issue(number)
        except GitHubError as exc:
            if exc.status not in (404, 410):
                calls.report.failed(
                    f"reading issue #{number}, named by decision {decision_id}",
                    exc,
                    calls.severity(exc),
                )
                return None
            info = None
        if info is None or info.pull_request:
            what = "a pull request" if info else "not an issue of this repository"
            calls.report.not_done.append(f"marking #{number} for decision {decision_id}")
            calls.report.findings.append(
                finding(
                    "github-side-effect",
                    f"Decision {decision_id} of #{n} names #{number}, which is {what}; it was "
                    "not marked. Name the decision's own issue, or drop the reference to have "
                    "one raised.",
                    severity="warning",
                )
            )
            return None
        calls.report.done.append(f"found #{number} for decision {decision_id}")
        return info

    def _link_comment(self, decision: Decision, number: int) -> None:
        """Post or update the comment linking issue ``number`` to the decision; after
        posting, a duplicate from a concurrent run is deleted (the oldest stays)."""
        calls = self.calls
        body = link_body(calls.planning.number, decision)
        marker = link_marker(calls.planning.number, decision.id)
        reading = f"reading the comments of #{number}"
        me = calls.account()
        if me is None:
            return
        mine = calls.own_comments(number, marker, me, reading)
        if mine is None:
            return
        if not mine:
            made = calls.attempt(
                f"linking #{number} to decision {decision.id}",
                partial(calls.port.create_comment, number, body),
            )
            if made is None:
                return
            me = calls.learn_account(made.author, me)
            mine = calls.own_comments(number, marker, me, reading) or [made]
        for extra in mine[1:]:
            calls.attempt(
                f"deleting a duplicate link comment on #{number}",
                partial(calls.port.delete_comment, number, extra.id),
            )
        if mine[0].body != body:
            calls.attempt(
                f"updating the link on #{number} to decision {decision.id}",
                partial(calls.port.edit_comment, number, mine[0].id, body),
            )

    def _answer(self, info: NamedIssueInfo, decision_id: str) -> str:
        """The answer in a closed named issue: its last comment by someone who may decide
        (``Calls.may_decide``) that is not the planner's link."""
        me = self.calls.account()
        comments = self.calls.attempt(
            f"reading the answer in #{info.number} for decision {decision_id}",
            partial(self.calls.port.list_comments, info.number),
        )
        theirs = [
            c
            for c in comments or []
            if self.calls.may_decide(c, me) and not c.body.startswith("<!-- planner-decision-link:")
        ]
        if not theirs:
            return NO_ANSWER
        return max(theirs, key=lambda c: c.id).body.strip()[:ANSWER_LIMIT]
