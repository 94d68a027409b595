"""The request's open decisions: ids, the milestones each blocks, its impact, and the
URL of its issue when one is known (the existing issue it names, or the one raised
for it)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from planner.core.findings import finding
from planner.core.ids import decision_ids
from planner.core.patterns import LazyPattern
from planner.core.read import DraftDecision
from planner.core.text import issue_refs, one_line
from planner.model import Contract, Decision, Finding, Milestone, max_risk


class Decisions(NamedTuple):
    decisions: list[Decision]
    assumptions: list[str]
    given_issues: frozenset[str]
    """Ids of the decisions whose issue URL the request itself gives."""
    named: dict[str, int]
    """Decision id -> the number of the existing issue of this repository it names: that
    issue is marked for the decision, never raised anew."""


_ISSUE_URL = LazyPattern(
    r"https?://[^\s/()<>\[\]]{1,253}/[\w.-]{1,100}/[\w.-]{1,100}/issues/(\d{1,9})\b"
)


class NamedIssue(NamedTuple):
    """An existing issue a decision names."""

    number: int | None
    """Its number when it is an issue of this repository (it can be marked), else None."""
    url: str | None
    """Its URL; None for ``#N`` when the repository's URL is not known."""


def named_issue(text: str, repository: str | None, planning: int) -> NamedIssue | None:
    """The existing issue ``text`` names: a link to an issue (of this repository or
    another), else a ``#N`` reference; the planning issue itself does not count.
    ``repository`` is the repository's web URL (``https://github.com/owner/name``)."""
    base = repository.rstrip("/") if repository else None
    for match in _ISSUE_URL.finditer(text):
        number = int(match.group(1))
        url = match.group(0)
        if base and url.lower().startswith(f"{base.lower()}/issues/"):
            if number != planning:
                return NamedIssue(number, f"{base}/issues/{number}")
        else:
            return NamedIssue(None, url)
    for number in issue_refs(text):
        if number != planning:
            return NamedIssue(number, f"{base}/issues/{number}" if base else None)
    return None


def repository_url(issue_url: str | None) -> str | None:
    """The repository's web URL, from the planning issue's (``…/owner/name/issues/N``)."""
    match = re.fullmatch(r"(https?://[^\s/]+/[^\s/]+/[^\s/]+)/issues/\d+", issue_url or "")
    return match.group(1) if match else None


def build_decisions(
    drafts: Sequence[DraftDecision],
    milestones: Sequence[Milestone],
    known_issues: dict[str, str],
    previous_contract: dict[str, Any] | None,
    repository: str | None = None,
    planning: int = 0,
) -> tuple[Decisions, list[Finding]]:
    """The decisions; a decision's issue is the existing issue it names (in its ``issue``
    or its question: a link, or ``#N`` in ``repository``), else the one the request
    gives, else the one ``known_issues`` has for its id, else the one the previous
    contract had for the same id and question. An answer the previous contract recorded
    for the same id and question is kept (a run without a token cannot read it again;
    a run with one reads it from the closed issue)."""
    by_key = {m.id.lower(): m for m in milestones}
    titles = {m.title.lower(): m for m in milestones}
    previous = previous_decisions(previous_contract, "issue")
    answered = previous_decisions(previous_contract, "answer")
    findings: list[Finding] = []
    assumptions: list[str] = []
    decisions: list[Decision] = []
    given: set[str] = set()
    named: dict[str, int] = {}
    used = [m.id for m in milestones] + [t.id for m in milestones for t in m.tasks]
    for d, did in zip(drafts, decision_ids([d.id for d in drafts], used), strict=True):
        blocks = _blocked(d, did, titles | by_key, findings)  # an id wins over a title
        impact = d.impact
        if impact is None:
            impact = (
                max_risk(*(by_key[b.lower()].risk_class for b in blocks)) if blocks else "medium"
            )
            why = (
                "(the risk of the milestones it blocks)"
                if blocks
                else "(no impact marker such as '(major)' and no 'blocks:' hint)"
            )
            assumptions.append(f"{did}.impact set to {impact} {why}")
        if not d.options:
            findings.append(
                finding(
                    "decision-options",
                    f"Decision {did} lists no options; add nested bullets with the choices "
                    "so the owner can answer quickly.",
                    line=d.line,
                )
            )
        existing = named_issue(d.issue or d.question, repository, planning)
        issue = d.issue
        if existing is not None:
            issue = existing.url
            if existing.number is not None:
                named[did] = existing.number
        if issue:
            given.add(did)
        decisions.append(
            Decision(
                id=did,
                question=d.question,
                options=d.options,
                impact=impact,
                blocks=blocks,
                issue=issue or known_issues.get(did) or previous.get((did, d.question)),
                answer=answered.get((did, d.question)),
            )
        )
    return Decisions(decisions, assumptions, frozenset(given), named), findings


def _blocked(
    d: DraftDecision, did: str, milestones: dict[str, Milestone], findings: list[Finding]
) -> list[str]:
    """The ids of the milestones a decision blocks, by id or title; a name that is no
    milestone is dropped, with a warning."""
    blocks: list[str] = []
    for raw in d.blocks:
        target = milestones.get(raw.strip().lower())
        if target is None:
            findings.append(
                finding(
                    "graph-unknown-dependency",
                    fix="That entry was dropped.",
                    who=f"Decision {did}",
                    relation="blocks",
                    name=one_line(raw, 60),
                    kind="milestone",
                    severity="warning",
                    line=d.line,
                )
            )
        elif target.id not in blocks:
            blocks.append(target.id)
    return blocks


def previous_decisions(
    previous_contract: dict[str, Any] | None, field: str
) -> dict[tuple[str, str], str]:
    """A text ``field`` of the previous contract's decisions (``issue``: the URL of its
    issue; ``answer``: the owner's answer), by decision id and question."""
    found: dict[tuple[str, str], str] = {}
    decisions = (previous_contract or {}).get("decisions", [])
    for d in decisions if isinstance(decisions, list) else []:
        if isinstance(d, dict) and isinstance(d.get(field), str):
            found[(str(d.get("id")), str(d.get("question")))] = d[field]
    return found


def link_issues(
    contract: Contract, urls: dict[str, str], answers: dict[str, str], keep: frozenset[str]
) -> Contract:
    """The contract with what the decision issues hold: ``urls`` (decision id -> issue URL;
    not for those whose URL the request gave, ``keep``) and ``answers`` (decision id ->
    the owner's answer)."""
    decisions = []
    for d in contract.decisions:
        update: dict[str, str] = {}
        if d.id in urls and d.id not in keep:
            update["issue"] = urls[d.id]
        if d.id in answers:
            update["answer"] = answers[d.id]
        decisions.append(d.model_copy(update=update) if update else d)
    return contract.model_copy(update={"decisions": decisions})
