"""Hints: nested ``key: value`` lines that set a task's or milestone's fields.

``risk: high``, ``depends: M1``, ``paths: internal/store/**``, ``diff: 300`` and the
rest of ``HINT_KEYS``. A value the planner cannot use is a ``request-bad-hint``
finding that names the allowed values; the hint is then ignored.
"""

from __future__ import annotations

import re

from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.read.draft import DraftMilestone, DraftTask
from planner.core.read.lex import LEX
from planner.core.read.vocabulary import HINT_KEYS, KIND_WORDS, RISK_WORDS, ROLE_WORDS
from planner.core.text import issue_refs, one_line
from planner.model import RISK_ORDER, Finding, RiskClass, Severity

_HINT = LazyPattern(r"([A-Za-z][A-Za-z _-]{0,24}?)\s*:\s*(.*)", re.DOTALL)
_ID_PREFIX = LazyPattern(
    rf"(?:(?:{LEX.milestone_noun}|{LEX.task_noun})\s+)?"
    r"([A-Za-z]{1,3}\d{1,4}(?:-[A-Za-z]{1,3}\d{1,4})?)"
    r"\s*(?::|\.|\)|-|–|—)\s+",
    re.IGNORECASE,
)
# Story points: "[5]" or "**[5]**" before a task, "(3 pts)", "[2 points]", "(SP 3)" anywhere.
_LEADING_POINTS = LazyPattern(r"(?:\*\*|__)?\[\s*\d{1,3}(?:\.\d)?\s*\](?:\*\*|__)?\s+")
_POINTS = LazyPattern(
    rf"\s*[\[(]\s*(?:(?:{LEX.estimate_label})\s*:?\s*\d{{1,3}}(?:\.\d)?|"
    rf"\d{{1,3}}(?:\.\d)?\s*(?:{LEX.estimate_label}))\s*[\])]",
    re.IGNORECASE,
)
# Assignees at the end: "— @jonas", "(@alice)", "@a, @b", "owner: @c".
_OWNERS = LazyPattern(
    rf"\s*([-–—|:]\s*|\(|\b(?:by|{LEX.owner_label})\s*:?\s*)?\(?"
    rf"(?:\b(?:by|{LEX.owner_label})\s*:?\s*)?"
    r"@[A-Za-z0-9][\w.-]{0,38}(?:\s*(?:,|and|&)\s*@[A-Za-z0-9][\w.-]{0,38}){0,9}\)?\s*[.]?\s*$",
    re.IGNORECASE,
)
_ESTIMATE_OR_OWNER = LazyPattern(
    rf"(?:\*\*|__)?(?:{LEX.estimate_label}|{LEX.effort_label}|{LEX.owner_label})"
    r"(?:\*\*|__)?\s*:(?:\*\*|__)?\s*[^\n]{0,200}",
    re.IGNORECASE,
)
# Words after which a mention is whom the task speaks to, not who does it.
_ADDRESSED = frozenset(
    {
        "for",
        "to",
        "with",
        "from",
        "of",
        "about",
        "cc",
        "ping",
        "notify",
        "ask",
        "tell",
        "thank",
        "thanks",
        "mention",
        "inform",
        "by",
        "and",
        "or",
    }
)
_NUMBERED = LazyPattern(
    rf"((?:{LEX.milestone_noun})\s*)(\d{{1,4}})"
    r"\s*(?::|\.(?!\d)|\)|-|–|—|$)\s*",
    re.IGNORECASE,
)


def warn(
    findings: list[Finding],
    rule: str,
    message: str,
    line: int | None,
    severity: Severity | None = None,
) -> None:
    findings.append(finding(rule, message, severity=severity, line=line))


def parse_hint(text: str) -> tuple[str, str] | None:
    """``risk: high`` -> (risk, high) when the key is one the planner knows."""
    match = _HINT.fullmatch(text.strip()) if len(text) < 2000 else None
    if not match:
        return None
    key = " ".join(match.group(1).lower().split())
    canonical = HINT_KEYS.get(key)
    return (canonical, match.group(2).strip()) if canonical else None


def split_list(value: str) -> list[str]:
    """``M1, M2 and M3`` -> [M1, M2, M3]."""
    parts: list[str] = []
    for chunk in value.replace(";", ",").split(","):
        for piece in chunk.split(" and "):
            piece = piece.strip().strip("`").strip()
            if piece:
                parts.append(piece)
    return parts


def risk_word(value: str) -> RiskClass | None:
    return RISK_WORDS.get(value.strip().strip("`*_").lower())


def split_id(text: str) -> tuple[str | None, str]:
    match = _ID_PREFIX.match(text) if len(text) > 2 else None
    if match:
        return match.group(1).upper(), text[match.end() :].strip()
    return None, text.strip()


def without_estimate_and_owner(text: str) -> str:
    """A task's title without its story points and assignees, which the plan has no
    field for: ``**[5]** Add x — @jonas`` -> ``Add x``; ``Add y (3 pts) @alice`` -> ``Add y``.
    The task's objective keeps them as written."""
    if len(text) > 2000:
        return text
    out = _POINTS.sub(" ", _LEADING_POINTS.sub("", text.strip()))
    owner = _OWNERS.search(out) if "@" in out else None  # every owner is an @name
    before = out[: owner.start()].split()[-1:] if owner else []
    if owner and before and (owner.group(1) or before[0].lower() not in _ADDRESSED):
        out = out[: owner.start()]  # not "Notify @ops" nor "a note for @ops"
    return " ".join(out.split()) or text


# Fields a task line may carry as a sibling item rather than nested under it.
SIBLING_FIELDS = frozenset({"paths", "depends", "risk", "diff", "role", "kind"})
# Labels of a task's metadata the plan has no field for: "Estimated complexity: M",
# "Agent: backend", "Priority: P1".
_FIELD_ONLY = LazyPattern(
    rf"(?:\*\*|__)?(?:{LEX.field_label}|{LEX.effort_label})"
    r"(?:\*\*|__)?\s*:(?:\*\*|__)?\s*[^\n]{0,60}",
    re.IGNORECASE,
)


def is_field_only(text: str) -> bool:
    """A task's metadata line with no field in the plan ("Estimated complexity: M")."""
    return len(text) < 200 and _FIELD_ONLY.fullmatch(text.strip()) is not None


def is_estimate_or_owner(text: str) -> bool:
    """A nested ``points: 3``, ``estimate: 2d`` or ``assignee: @li`` line under a task."""
    return len(text) < 300 and _ESTIMATE_OR_OWNER.fullmatch(text.strip()) is not None


def split_milestone_id(text: str) -> tuple[str | None, str]:
    """``Phase 2: Core`` -> (M2, Core); ``M3: API`` -> (M3, API)."""
    numbered = _NUMBERED.match(text)
    if numbered:
        return f"M{int(numbered.group(2))}", text[numbered.end() :].strip()
    return split_id(text)


def risk_hint(findings: list[Finding], value: str, line: int | None) -> RiskClass | None:
    """``risk: high`` -> high; a word that is no risk class is a finding and ``None``."""
    risk = risk_word(value)
    if risk is None:
        bad_value(findings, "risk", value, RISK_ORDER, line)
    return risk


def apply_task_hint(
    findings: list[Finding], task: DraftTask, key: str, value: str, line: int | None
) -> bool:
    if key == "risk":
        task.risk_class = risk_hint(findings, value, line) or task.risk_class
    elif key == "depends":
        task.depends_on.extend(split_list(value))
    elif key == "paths":
        task.paths = (task.paths or []) + [p for p in value.replace(",", " ").split() if p]
    elif key == "diff":
        task.max_diff_scope = positive_int(findings, key, value, line) or task.max_diff_scope
    elif key == "role":
        role = ROLE_WORDS.get(value.strip().lower())
        if role is None:
            bad_value(findings, key, value, ("developer", "qa"), line)
        task.role = role or task.role
    elif key == "kind":
        kind = KIND_WORDS.get(value.strip().lower())
        if kind is None:
            bad_value(findings, key, value, ("feature", "verification", "docs", "chore"), line)
        task.kind = kind or task.kind
    elif key == "invariants":
        task.invariants.extend(split_list(value) if ";" in value else [value])
    elif key == "acceptance":
        task.acceptance.append(value)
    elif key == "milestone":
        task.milestone = value.strip()
    elif key == "id":
        task.id = value.strip()
    elif key == "objective":
        task.objective = value.strip()
    elif key == "status":
        task.done = value.strip().lower() in ("done", "complete", "completed")
    else:
        return False
    return True


def apply_milestone_hint(
    findings: list[Finding], milestone: DraftMilestone, key: str, value: str, line: int | None
) -> bool:
    if key == "risk":
        milestone.risk_class = risk_hint(findings, value, line) or milestone.risk_class
    elif key == "depends":
        for dep in split_list(value):
            refs = issue_refs(dep)
            if refs and dep.startswith("#"):
                milestone.references.extend(refs)
            else:
                milestone.dependencies.append(dep)
    elif key == "diff":
        milestone.max_diff_scope = (
            positive_int(findings, key, value, line) or milestone.max_diff_scope
        )
    elif key == "outcome":
        milestone.outcome = value
    elif key == "acceptance":
        milestone.acceptance.append(value)
    elif key == "validation":
        milestone.validation.append(value)
    elif key == "risks":
        milestone.risks.append(value)
    elif key == "status":
        status = value.strip().lower().replace("-", " ").replace("_", " ")
        if status in ("done", "complete", "completed"):
            milestone.done = True
        elif status in ("in progress", "started", "active"):
            milestone.status = "in_progress"
    elif key == "id":
        milestone.id = value.strip()
    else:
        return False
    return True


def bad_value(
    findings: list[Finding], key: str, value: str, allowed: tuple[str, ...], line: int | None
) -> None:
    warn(
        findings,
        "request-bad-hint",
        f"'{key}: {one_line(value, 60)}' is not understood; use one of "
        f"{', '.join(allowed)}. The hint was ignored.",
        line,
    )


def positive_int(findings: list[Finding], key: str, value: str, line: int | None) -> int | None:
    digits = value.strip().split()[0] if value.strip() else ""
    if digits.isdigit() and 0 < int(digits) <= 10_000_000:
        return int(digits)
    warn(
        findings,
        "request-bad-hint",
        f"'{key}: {one_line(value, 60)}' needs a positive whole number of changed lines "
        "(e.g. 'diff: 300'). The hint was ignored.",
        line,
    )
    return None
