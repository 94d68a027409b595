"""GitHub side effects of a plan (PRODUCT.md §7): decision issues (raised, or existing
ones that a decision names marked), the sticky comment, sub-issues (on request in a
repository milestone per plan milestone, and on a Projects board). Each is found again by
a hidden marker among what the token's own account wrote, so re-runs never duplicate, and
what two runs at once both made is reduced to one (the oldest) right after.

One module a concern: ``decisions`` (the issues the planner raises), ``named`` (existing
issues a decision names), ``comment`` (the summary comment), ``sub_issues`` (the tasks),
``milestones`` (their repository milestones), ``project`` (their project items);
``calls`` and ``markers`` are what they share. ``SideEffects`` puts them together over one
port, one report and one reading of the token's account."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import SecretStr

from planner.action.effects.calls import Calls, EffectsReport
from planner.action.effects.comment import SummaryComment
from planner.action.effects.decisions import DecisionIssues, RaisedDecisions
from planner.action.effects.markers import task_marker
from planner.action.effects.milestones import PlanMilestones
from planner.action.effects.named import NamedIssues
from planner.action.effects.project import ProjectItems
from planner.action.effects.sub_issues import SubIssues
from planner.action.github import GitHubPort, NamedIssueInfo
from planner.action.projects import projects_of
from planner.model import Contract, Fanout, Issue, Severity

__all__ = ["DecisionIssues", "EffectsReport", "SideEffects", "task_marker"]


class SideEffects:
    """The side effects of one planning issue's plan, in the order a run makes them:
    named issues marked, decision issues synced, then the comment and the sub-issues."""

    def __init__(
        self,
        port: GitHubPort,
        planning: Issue,
        label: str,
        outage_severity: Severity = "warning",
        max_decision_issues: int = 20,
        issue_type: str | None = None,
        milestones: bool = False,
        project: tuple[str, int] | None = None,
        project_token: SecretStr | None = None,
        planned: frozenset[int] = frozenset(),
    ) -> None:
        self.calls = Calls(port, planning, outage_severity)
        # Named and raised decision issues share one limit; ``planned``: the issues whose
        # contract is in the checkout, which a decision never marks.
        self.named = NamedIssues(self.calls, label, max_decision_issues, planned)
        self.decisions = RaisedDecisions(self.calls, label, max_decision_issues)
        self.comment = SummaryComment(self.calls)
        self.sub_issues = SubIssues(self.calls, issue_type)
        self.milestones = PlanMilestones(self.calls) if milestones else None
        token = project_token.get_secret_value() if project_token is not None else None
        board = projects_of(port, token) if project is not None else None
        self.project = ProjectItems(self.calls, board, *project) if board and project else None

    @property
    def report(self) -> EffectsReport:
        """What was done and not done, and the findings, of every part."""
        return self.calls.report

    def mark_named_issues(self, contract: Contract, named: dict[str, int]) -> DecisionIssues:
        return self.named.mark(contract, named)

    def sync_decisions(self, contract: Contract) -> DecisionIssues:
        """After ``mark_named_issues``: the decision issues raised, in what room the named
        ones left under the limit."""
        return self.decisions.sync(contract, self.named.taken, self.named.held)

    def read_comment(self) -> str | None:
        return self.comment.read()

    def sync_comment(self, summary: str) -> int | None:
        return self.comment.sync(summary)

    def sync_sub_issues(
        self,
        fanout: Fanout,
        contract: Contract | None = None,
        tracked: Mapping[str, NamedIssueInfo] | None = None,
    ) -> dict[str, tuple[int, list[int]]]:
        """Each task's sub-issue number and the numbers of those that block it. With
        ``milestones``, the fanout's sub-issues are put in the repository milestone of the
        plan milestone (read from ``contract``). ``tracked``: the tasks whose sub-issue is
        the issue they track (task id -> that issue, as read)."""
        links = self.sub_issues.sync(fanout, tracked)
        if self.milestones is not None and contract is not None:
            ours = [
                self.sub_issues.linked[t.id] for t in fanout.tasks if t.id in self.sub_issues.linked
            ]
            self.milestones.sync(contract, fanout.milestone, ours)
        if self.project is not None:
            self.project.sync(fanout.tasks, self.sub_issues.linked)
        return links
