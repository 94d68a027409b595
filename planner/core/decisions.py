"""The request's open decisions: ids, the milestones each blocks, its impact, and the
URL of its issue when one is known."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from planner.core.findings import finding
from planner.core.ids import decision_ids
from planner.core.read import DraftDecision
from planner.core.text import one_line
from planner.model import Contract, Decision, Finding, Milestone, max_risk


@dataclass(frozen=True)
class Decisions:
    decisions: list[Decision]
    assumptions: list[str]
    given_issues: frozenset[str]
    """Ids of the decisions whose issue URL the request itself gives."""


def build_decisions(
    drafts: Sequence[DraftDecision],
    milestones: Sequence[Milestone],
    known_issues: dict[str, str],
    previous_contract: dict[str, Any] | None,
) -> tuple[Decisions, list[Finding]]:
    """The decisions; a decision's issue is the one the request gives, else the one
    ``known_issues`` has for its id, else the one the previous contract had for the
    same id and question."""
    by_key = {m.id.lower(): m for m in milestones}
    titles = {m.title.lower(): m for m in milestones}
    previous = previous_issues(previous_contract)
    findings: list[Finding] = []
    assumptions: list[str] = []
    decisions: list[Decision] = []
    given: set[str] = set()
    for d, did in zip(drafts, decision_ids([d.id for d in drafts]), strict=True):
        blocks: list[str] = []
        for raw in d.blocks:
            target = by_key.get(raw.strip().lower()) or titles.get(raw.strip().lower())
            if target is None:
                findings.append(
                    finding(
                        "graph-unknown-dependency",
                        f"Decision {did} blocks '{one_line(raw, 60)}', which is not a "
                        "milestone of this plan; that entry was dropped.",
                        severity="warning",
                        line=d.line,
                    )
                )
            elif target.id not in blocks:
                blocks.append(target.id)
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
        if d.issue:
            given.add(did)
        decisions.append(
            Decision(
                id=did,
                question=d.question,
                options=d.options,
                impact=impact,
                blocks=blocks,
                issue=d.issue or known_issues.get(did) or previous.get((did, d.question)),
            )
        )
    return Decisions(decisions, assumptions, frozenset(given)), findings


def previous_issues(previous_contract: dict[str, Any] | None) -> dict[tuple[str, str], str]:
    """Issue URLs of the previous contract's decisions, by id and question."""
    found: dict[tuple[str, str], str] = {}
    decisions = (previous_contract or {}).get("decisions", [])
    for d in decisions if isinstance(decisions, list) else []:
        if isinstance(d, dict) and isinstance(d.get("issue"), str):
            found[(str(d.get("id")), str(d.get("question")))] = d["issue"]
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
