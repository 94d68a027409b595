"""The decision issues the planner raises (PRODUCT.md §7): one for each high or critical
decision that names no issue of its own. The planner's part of an open one is kept up to
date; one the owner closed is answered, its answer read, and never reopened; one whose
question is no longer open asks the next new decision, else is closed, so edits that
change the ids open no more issues. What two runs at once both raised is closed again
right after, the oldest stays."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial

from planner.action.effects.calls import Calls
from planner.action.effects.markers import decision_marker, ids_in, safe_text
from planner.action.github import GitHubError, IssueInfo
from planner.core.blocks import BlockError, markers, read_block, replace_block
from planner.core.findings import finding
from planner.core.text import one_line
from planner.model import Contract, Decision

DECISION_BLOCK = "decision"  # <!-- planner:begin decision --> ... in a decision issue's body
ANSWERS_AFTER = "<!-- planner-answers-after: "  # the comments before are not its answer
RESOLVED = "**Resolved:** no longer an open question in #"  # the note the planner closes with
ANSWER_LIMIT = 4000  # characters of an owner's answer recorded in the contract
NO_ANSWER = "(closed without a written answer)"


@dataclass(frozen=True)
class DecisionIssues:
    """What syncing the decision issues made or found: each one's URL, and the answers
    of those the owner closed, by decision id."""

    urls: dict[str, str] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)


def needs_issue(decision: Decision) -> bool:
    """Only a high or critical decision waits on an issue of its own."""
    return decision.impact in ("high", "critical")


def ensure_decision_label(calls: Calls, label: str, what: str) -> bool:
    """Create the decision label unless the repository has it; whether it is there now."""
    return calls.succeeds(
        what,
        partial(
            calls.port.ensure_label, label, "d93f0b", "An owner decision the planner is waiting on"
        ),
    )


def decision_content(issue: int, decision: Decision) -> str:
    """The planner's part of a decision issue's body (between block markers); the
    owner may write anything around it."""
    options = (
        "\n".join(f"- [ ] {safe_text(o, 500)}" for o in decision.options)
        or "_No options were listed in the planning issue._"
    )
    blocks = ", ".join(decision.blocks) or "nothing yet"
    return (
        f"**Owner decision needed for #{issue}** (impact: {decision.impact}).\n\n"
        f"> {safe_text(decision.question)}\n\n"
        f"**Options**\n\n{options}\n\n"
        f"**Blocks:** {blocks}\n\n"
        f"Answer here (or close this issue with your answer as its last comment), then "
        f"record the choice in #{issue} (tick the question or move it out of Open questions) "
        "and re-run the planner.\n"
    )


def decision_title(issue: int, decision: Decision) -> str:
    return one_line(f"Decision {decision.id} for #{issue}: {decision.question}", 200)


def decision_body(issue: int, decision: Decision, answers_after: int = 0) -> str:
    """A new decision issue's body: its hidden marker, then the planner's part. An issue
    reused for another decision keeps its comments: ``answers_after``, the last one's id,
    is recorded so that none of them is read as this decision's answer."""
    managed = replace_block(None, DECISION_BLOCK, decision_content(issue, decision), "issue")
    after = f"{ANSWERS_AFTER}{answers_after} -->\n" if answers_after else ""
    return f"{decision_marker(issue, decision.id)}\n{after}{managed}"


def read_answer(calls: Calls, found: IssueInfo, me: str) -> str:
    """What the owner answered in a decision issue they closed: its last comment by
    someone who may decide (``Calls.may_decide``) since the issue asked this decision,
    else what they wrote in the body around the planner's part and markers."""
    comments = calls.attempt(
        f"reading the answer in decision issue #{found.number}",
        partial(calls.port.list_comments, found.number),
    )
    after = max((int(i) for i in ids_in(found.body, ANSWERS_AFTER) if i.isdigit()), default=0)
    theirs = [c for c in comments or [] if c.id > after and calls.may_decide(c, me)]
    text = max(theirs, key=lambda c: c.id).body if theirs else owner_text(found.body)
    text = text.strip()
    return text[:ANSWER_LIMIT] if text else NO_ANSWER


def spare_issues(groups: dict[str, list[IssueInfo]], wanted: set[str]) -> list[IssueInfo]:
    """The decision issues the planner may ask another decision in, oldest first: those
    whose decision is no longer asked, open or closed by the planner as resolved. One a
    person closed is their answer, and never reopened."""
    spare: dict[int, IssueInfo] = {}
    for d_id, issues in groups.items():
        info = issues[0]
        if d_id not in wanted and (info.state == "open" or RESOLVED in info.body):
            spare[info.number] = info
    return [spare[n] for n in sorted(spare)]


def reuse_issue(calls: Calls, info: IssueInfo, decision: Decision) -> bool:
    """Ask ``decision`` in the spare issue ``info``: retitled, its body the planner's
    part for it (what was written there before stays in its history and comments),
    reopened. Whether it was."""
    comments = calls.attempt(
        f"reading the comments of decision issue #{info.number}",
        partial(calls.port.list_comments, info.number),
    )
    if comments is None:
        return False
    n = calls.planning.number
    body = decision_body(n, decision, max((c.id for c in comments), default=0))
    return calls.succeeds(
        f"asking decision {decision.id} in decision issue #{info.number}, no longer asked",
        partial(
            calls.port.edit_issue,
            info.number,
            title=decision_title(n, decision),
            body=body,
            state="open",
        ),
    )


def owner_text(body: str) -> str:
    """What the owner wrote in a decision issue's body: all but the planner's part, its
    markers and the notes it added when closing."""
    begin, end = markers(DECISION_BLOCK)
    start, stop = body.find(begin), body.find(end)
    if 0 <= start < stop:
        body = body[:start] + body[stop + len(end) :]
    body = re.sub(r"<!--.*?-->", "", body, flags=re.DOTALL)
    return body.split("\n---\n**Resolved:**")[0]


class RaisedDecisions:
    def __init__(self, calls: Calls, label: str, max_issues: int = 20) -> None:
        self.calls = calls
        self.label = label
        self.max_issues = max_issues

    def sync(self, contract: Contract, taken: int = 0, held: Sequence[str] = ()) -> DecisionIssues:
        """Raise, update or close the decision issues; the URL of each, and the answer in
        each the owner closed, by decision id. ``taken``: the places under the limit that
        issues the decisions name took already, ``held``: the decisions they left without
        one (named in the one decision-issue-limit finding).

        An issue the owner closed is answered: it is never reopened. After raising
        any, the issues are listed again and duplicates from a concurrent run closed, so
        two runs at once end with one issue per decision."""
        wanted = [d for d in contract.decisions if needs_issue(d)]
        me = self.calls.account()
        if me is None:
            return DecisionIssues()
        groups = self._own(me, "listing the planner's decision issues")
        if groups is None:
            return DecisionIssues()
        self._close_duplicates(groups)
        missing = [d for d in wanted if d.id not in groups]
        missing = self._within_limit(wanted, missing, taken, held)
        if missing:
            ids = ", ".join(d.id for d in missing)
            what = f"creating label '{self.label}', so decision issue(s) {ids} were not raised"
            if not ensure_decision_label(self.calls, self.label, what):
                missing = []
        raised = self._existing(wanted, groups, me)
        # A new decision is asked in an issue whose decision is gone before one is opened:
        # edits that change every id reuse the same issues, not open more each time.
        reused: dict[str, str] = {}
        kept: set[int] = set()
        for d, info in zip(missing, spare_issues(groups, {d.id for d in wanted}), strict=False):
            if reuse_issue(self.calls, info, d):
                reused[d.id] = info.url
                kept.add(info.number)
        urls = {**raised.urls, **reused, **self._raise(missing, me, skip=set(reused))}
        self._close_resolved(groups, {d.id for d in wanted}, kept)
        return DecisionIssues(urls, raised.answers)

    def _own(self, me: str, what: str) -> dict[str, list[IssueInfo]] | None:
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
                self._close(
                    extra, note, f"closing duplicate decision issue #{extra.number} for {d_id}"
                )

    def _within_limit(
        self, wanted: list[Decision], missing: list[Decision], taken: int, held: Sequence[str]
    ) -> list[Decision]:
        """The missing issues that fit under the limit of decision issues, after the
        ``taken`` places; a finding names the decisions held back (``held`` first)."""
        room = max(self.max_issues - taken - (len(wanted) - len(missing)), 0)
        kept, left = missing[:room], [*held, *(d.id for d in missing[room:])]
        if left:
            self.calls.report.findings.append(
                finding(
                    "decision-issue-limit",
                    f"At most {self.max_issues} decisions of #{self.calls.planning.number} get "
                    "a decision issue, raised or an existing one marked; none was for "
                    f"{', '.join(left)}. Answer some first, or raise decisions.max_issues in "
                    "the config.",
                )
            )
        return kept

    def _existing(
        self, wanted: list[Decision], groups: dict[str, list[IssueInfo]], me: str
    ) -> DecisionIssues:
        """The issues raised before, each open one's planner's part brought up to date and
        the answer read in each the owner closed."""
        urls: dict[str, str] = {}
        answers: dict[str, str] = {}
        for d in wanted:
            if d.id in groups:
                found = groups[d.id][0]
                urls[d.id] = found.url
                if found.state == "open":
                    self._update_managed(d, found)
                else:
                    answers[d.id] = read_answer(self.calls, found, me)
        return DecisionIssues(urls, answers)

    def _update_managed(self, d: Decision, found: IssueInfo) -> None:
        """Rewrite the planner's part of an open decision issue, nothing else; an issue
        whose block markers were removed or broken is left as the owner made it."""
        name = f"decision issue #{found.number}"
        try:
            if read_block(found.body, DECISION_BLOCK, name) is None:
                return
            content = decision_content(self.calls.planning.number, d)
            body = replace_block(found.body, DECISION_BLOCK, content, name)
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

    def _raise(self, missing: list[Decision], me: str, skip: set[str]) -> dict[str, str]:
        """Raise the missing decision issues (but those of ``skip``, asked in a spare
        one); the URL of each, by decision id. After raising any, they are listed again: a
        duplicate a concurrent run raised is closed and the oldest issue's URL kept."""
        n = self.calls.planning.number
        urls: dict[str, str] = {}
        for d in missing:
            if d.id in skip:
                continue
            made = self._create_once(d.id, decision_title(n, d), decision_body(n, d), me)
            if made is not None:
                urls[d.id] = made.url
                me = self.calls.learn_account(made.author, me)
        if urls:
            again = self._own(me, "listing the decision issues again")
            if again is not None:
                self._close_duplicates(again)
                urls.update({d.id: again[d.id][0].url for d in missing if d.id in again})
        return urls

    def _create_once(self, decision_id: str, title: str, body: str, me: str) -> IssueInfo | None:
        """Create the decision issue; after a failed create, look again before retrying,
        since a create that timed out may have happened."""
        calls = self.calls
        what = f"raising decision issue for {decision_id}"
        marker = decision_marker(calls.planning.number, decision_id)
        last: GitHubError | None = None
        for _ in range(3):
            try:
                created = calls.port.create_issue(title, body, [self.label])
                calls.report.done.append(what)
                return created
            except GitHubError as exc:
                if not exc.transient:
                    calls.report.failed(what, exc, calls.severity(exc))
                    return None
                last = exc
            try:
                again = [
                    i for i in calls.port.list_created_by(me) if i.author == me and marker in i.body
                ]
            except GitHubError:
                again = []
            if again:
                return min(again, key=lambda i: i.number)
        assert last is not None
        calls.report.failed(what, last, calls.outage)
        return None

    def _close_resolved(
        self, groups: dict[str, list[IssueInfo]], open_ids: set[str], reused: set[int]
    ) -> None:
        """Close each open decision issue whose question is no longer open (but those
        ``reused`` for another decision)."""
        n = self.calls.planning.number
        for d_id, issues in groups.items():
            info = issues[0]
            if d_id not in open_ids and info.state == "open" and info.number not in reused:
                note = f"\n---\n{RESOLVED}{n}; closed by the planner.\n"
                self._close(info, note, f"closing resolved decision issue for {d_id}")

    def _close(self, info: IssueInfo, note: str, what: str) -> None:
        """Close a decision issue, the note saying why added to its body."""
        self.calls.attempt(
            what,
            partial(self.calls.port.edit_issue, info.number, body=info.body + note, state="closed"),
        )
