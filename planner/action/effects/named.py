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
from planner.action.effects.markers import LINK_PREFIX, comment_marker, link_marker, safe_text
from planner.action.github import CommentInfo, GitHubError, NamedIssueInfo
from planner.core.findings import finding
from planner.model import Contract, Decision


def link_body(issue: int, number: int, decisions: list[Decision]) -> str:
    """The comment that links existing issue ``number`` to the decisions of plan ``issue``
    that name it."""
    impact = "critical" if any(d.impact == "critical" for d in decisions) else decisions[0].impact
    ids = ", ".join(d.id for d in decisions)
    what = f"decision {ids}" if len(decisions) == 1 else f"decisions {ids}"
    questions = "\n".join(f"> {safe_text(d.question)}\n" for d in decisions)
    blocks = ", ".join(dict.fromkeys(b for d in decisions for b in d.blocks)) or "nothing yet"
    return (
        f"{link_marker(issue, number)}\n"
        f"**Owner decision needed for #{issue}:** this issue is {what} of its plan (impact: "
        f"{impact}).\n\n"
        f"{questions}\n"
        f"**Blocks:** {blocks}\n\n"
        "Answer here and close this issue (its last comment by someone who may decide is "
        f"taken as the answer), then record the choice in #{issue} (tick the question or move "
        "it out of Open questions) and re-run the planner.\n"
    )


class NamedIssues:
    """``max_issues``: the most issues marked, counted with those raised (``taken``, and
    the decisions left without one in ``held``); ``planned``: the issues whose contract is
    in the checkout, plans of their own."""

    def __init__(
        self,
        calls: Calls,
        label: str,
        max_issues: int = 20,
        planned: frozenset[int] = frozenset(),
    ) -> None:
        self.calls = calls
        self.label = label
        self.max_issues = max_issues
        self.planned = planned
        self.taken = 0
        self.held: list[str] = []
        self._label_ready: bool | None = None

    def mark(self, contract: Contract, named: dict[str, int]) -> DecisionIssues:
        """Mark, not duplicate: the existing issue a decision names (``named``: decision id
        -> issue number) is the decision's issue. An open one, for a high or critical
        decision, gets the decision label (created if missing) and one comment linking it
        to the plan, found again by its hidden marker (keyed by this planning issue), so
        that re-runs and edits add nothing; a closed one is answered and left as it is. At
        most ``max_issues`` issues are read, the rest held. A pull request, or an issue
        that is a plan of its own, is never marked. The URL of each, and each answer, by
        decision id."""
        urls: dict[str, str] = {}
        answers: dict[str, str] = {}
        by_issue: dict[int, list[Decision]] = {}
        for d in contract.decisions:
            if d.id in named:
                by_issue.setdefault(named[d.id], []).append(d)
        for number, decisions in by_issue.items():
            if self.taken >= self.max_issues:
                self.held += [d.id for d in decisions]
                continue
            self.taken += 1
            info = self._named_issue(decisions[0].id, number)
            if info is None:
                continue
            urls |= dict.fromkeys((d.id for d in decisions), info.url)
            if info.state != "open":
                answers |= dict.fromkeys((d.id for d in decisions), self._answer(info))
                continue
            major = [d for d in decisions if needs_issue(d)]
            if major:
                self._mark_open(info, major)
        return DecisionIssues(urls, answers)

    def _mark_open(self, info: NamedIssueInfo, decisions: list[Decision]) -> None:
        """Label an open named issue and link it to the plan, unless it is a plan itself."""
        calls = self.calls
        me = calls.account()
        comments = calls.attempt(
            f"reading the comments of #{info.number}",
            partial(calls.port.list_comments, info.number),
        )
        if me is None or comments is None:
            return
        summary = comment_marker(info.number)
        if info.number in self.planned or any(
            c.author == me and c.body.startswith(summary) for c in comments
        ):
            self._refuse_plan(info.number, decisions)
            return
        ids = ", ".join(d.id for d in decisions)
        if self.label not in info.labels:
            if self._label_ready is None:
                self._label_ready = ensure_decision_label(
                    calls, self.label, f"creating label '{self.label}'"
                )
            if self._label_ready:
                calls.succeeds(
                    f"labelling #{info.number} '{self.label}' for {ids}",
                    partial(calls.port.add_label, info.number, self.label),
                )
        self._link_comment(decisions, info.number, comments, me)

    def _refuse_plan(self, number: int, decisions: list[Decision]) -> None:
        """A planning issue labelled as a decision would stop being planned: say so."""
        ids = ", ".join(d.id for d in decisions)
        self.calls.report.not_done.append(f"marking #{number} for decision {ids}")
        self.calls.report.findings.append(
            finding(
                "decision-names-plan",
                f"Decision {ids} of #{self.calls.planning.number} names #{number}, which is a "
                "plan of its own (the planner's summary comment is on it, or its contract is "
                "in the checkout); it was not labelled or commented on, since a decision "
                "label would stop it being planned. Ask the question in an issue of its own, "
                "or drop the reference to have one raised.",
            )
        )

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

    def _link_comment(
        self, decisions: list[Decision], number: int, comments: list[CommentInfo], me: str
    ) -> None:
        """Post or update the one comment linking issue ``number`` to this plan's
        decisions (``comments``: the issue's, as read); after posting, a duplicate from a
        concurrent run is deleted (the oldest stays)."""
        calls = self.calls
        n = calls.planning.number
        body = link_body(n, number, decisions)
        # Any link of this plan's, whatever the decision it was keyed by before, is the one.
        mine = self._links(comments, me)
        if not mine:
            made = calls.attempt(
                f"linking #{number} to decision {decisions[0].id}",
                partial(calls.port.create_comment, number, body),
            )
            if made is None:
                return
            me = calls.learn_account(made.author, me)
            again = calls.attempt(
                f"reading the comments of #{number}", partial(calls.port.list_comments, number)
            )
            mine = self._links(again, me) or [made]
        for extra in mine[1:]:
            calls.attempt(
                f"deleting a duplicate link comment on #{number}",
                partial(calls.port.delete_comment, number, extra.id),
            )
        if mine[0].body != body:
            calls.attempt(
                f"updating the link on #{number} to decision {decisions[0].id}",
                partial(calls.port.edit_comment, number, mine[0].id, body),
            )

    def _links(self, comments: list[CommentInfo] | None, me: str) -> list[CommentInfo]:
        """The planner's comments linking an issue to this plan, oldest first."""
        prefix = f"{LINK_PREFIX}{self.calls.planning.number}/"
        return sorted(
            (c for c in comments or [] if c.author == me and c.body.startswith(prefix)),
            key=lambda c: c.id,
        )

    def _answer(self, info: NamedIssueInfo) -> str:
        """The answer in a closed named issue: its last comment by someone who may decide
        (``Calls.may_decide``) that is not the planner's link."""
        me = self.calls.account()
        comments = self.calls.attempt(
            f"reading the answer in #{info.number}",
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
