"""The words the reader knows, as data: section roles, hint keys and value words.

A heading, or a label line such as ``**Acceptance criteria:**``, names a section
by one of these phrases. The table is one mapping, phrase -> role, so a new
synonym is one line (and a configuration can add its own with ``extend``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import get_args

from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX, WORDS
from planner.model import RiskClass, SectionRole

# Roles a section can have. "notes" is everything that is not work: background,
# motivation, references, legends, history, alternatives and the like.
ROLES: tuple[str, ...] = get_args(SectionRole)

# Each role's phrases, from the lexicon's ``role.<name>`` concepts.
_ROLE_PHRASES: dict[str, tuple[str, ...]] = {role: WORDS[f"role.{role}"] for role in ROLES}

# The objective headings that list goals, each an outcome the plan must reach (a
# "Summary" or a "Proposal" says what the work is instead).
GOALS: dict[str, str] = dict.fromkeys(
    ("goal", "goals", "objectives", "ziel", "ziele", "objetivo", "objetivos", "objectifs"),
    "goals",
)

# The fields of a story in a tracker's plain-text export (``tracker.py``), by what
# they give the plan; fields not named here (status, assignee, points) give nothing.
TRACKER_FIELDS: dict[str, str] = {
    "sub-task": "task",
    "subtask": "task",
    "sub task": "task",
    "task": "task",
    "ac": "acceptance",
    "acceptance": "acceptance",
    "acceptance criteria": "acceptance",
    "blocked by": "depends",
    "is blocked by": "depends",
    "depends on": "depends",
}
# The statuses a tracker prints after an item: done, open, or given up.
TRACKER_STATUSES: dict[str, str] = {
    **dict.fromkeys(("done", "closed", "resolved", "fixed", "complete", "completed"), "done"),
    **dict.fromkeys(
        (
            "to do",
            "todo",
            "open",
            "in progress",
            "in review",
            "in qa",
            "backlog",
            "blocked",
            "selected for development",
            "ready",
        ),
        "open",
    ),
    **dict.fromkeys(
        ("won't do", "wont do", "won't fix", "cancelled", "canceled", "duplicate"), "dropped"
    ),
}

# Phrase -> role, phrases normalised as ``normalize`` leaves them.
ROLE_TABLE: dict[str, str] = {
    phrase: role for role, phrases in _ROLE_PHRASES.items() for phrase in phrases
}

# Lines about the document rather than the work: "Last updated by @kaito on ...",
# "Imported from Jira — ...", "Draft for review with ...". Never the objective.
DOCUMENT_NOTES = LazyPattern(
    rf"(?:{LEX.document_edit})\b|(?:{LEX.document_source}) (?:{LEX.document_link})\b|"
    rf"(?:{LEX.document_author}) by\b|(?:{LEX.document_review})\b|{LEX.document_status}",
    re.IGNORECASE,
)

# A paragraph that only greets or thanks ("Hi all 👋", "Thanks! cc @web"): never the
# objective.
GREETING = LazyPattern(
    rf"(?:{LEX.greeting})\b[^.!?\n]{{0,60}}[.!,]?",
    re.IGNORECASE,
)

# An item of a Testing section that is a test to write, not a check to pass: "Unit
# tests for the date parser", "Add a 1M-row case to `bench/export.py`".
TEST_WORK = LazyPattern(
    rf"(?:{LEX.test_verb})\b[^\n]{{0,200}}?\b(?:{LEX.test_artifact})\b|"
    rf"(?:{LEX.test_kind})[- ]?(?:{LEX.test_artifact})\b|(?:{LEX.test_of})\b",
    re.IGNORECASE,
)

# Sections that describe the change rather than list it ("## Detailed design" of an
# RFC): where no list holds the work, their will-sentences state it.
DESIGN_SECTIONS = frozenset(
    {
        "detailed design",
        "technical design",
        "proposed design",
        "design",
        "design details",
        "implementation details",
        "proposed implementation",
        "approach",
        "technical approach",
        "reference-level explanation",
    }
)

# Decision sections that record what was decided (an ADR's "## Decision"): a line
# there without a question mark is settled, not open.
SETTLED_DECISIONS = frozenset({"decision", "decision outcome", "decided", "resolution"})
# Decision sections that log decisions as they are taken (a project's "Key decisions", a
# "Decision log"): a line there that states a choice is settled; one that asks, offers a
# choice, waits on someone or is an unticked box is open. In a plain "Decisions" section
# only a line dated or labelled as a log entry is ("[Phase 1]: Keep the catalogue in
# SQLite", as GSD's STATE.md writes).
LOGGED_DECISIONS = frozenset({"key decisions", "decision log", "decisions made"})

# What opens a question put to someone outside a questions section: "❓ Open: ...?",
# "Question for @design: ...?", "**Blocking decision:** ...?", "cc @lena — ...?", and
# who asked it in a pasted comment thread ("r.okafor: ...?", "Maria (2024-02-19): ...?",
# "Q: ...?").
QUESTION_LEADS = LazyPattern(
    rf"(?:❓\s*)?(?:(?:{LEX.carbon_copy})\b[^?]{{0,200}}?\s[-–—:]\s*|"
    rf"(?:{LEX.question_lead})(?:\s+(?:{LEX.addressed_to})\s+[^:?]{{1,60}})?\s*:\s*|"
    r"(?:[A-Za-z][\w-]{0,38}[._][\w.-]{0,38}[A-Za-z0-9](?:\s*\([^()]{1,40}\))?|"
    r"[A-Za-z][\w.-]{0,38}\s*\([^()\d]{0,40}\d[^()]{0,40}\))\s*:\s*)",
    re.IGNORECASE,
)
MENTION = LazyPattern(r"(?<![\w.])@[A-Za-z0-9][\w-]{0,38}")

# Milestone groups whose milestones list criteria, not work ("Graduation Criteria"
# holding "#### Alpha", "#### Beta": each stage's bullets are its acceptance).
CRITERIA_GROUPS = frozenset({"graduation criteria"})

# Words that name a section even at the end of a longer heading ("Technical Risks",
# "Tech Roadmap", "Release checklist"); other phrases count only whole.
SUFFIX_WORDS = frozenset(
    """risks roadmap milestones phases tasks checklist questions assumptions unknowns
    invariants dependencies steps todo deliverables conventions alternatives references
    notes background motivation goal recap retro retrospective""".split()
)

# The stages of a runbook, in the order they run: a heading that opens with one is a
# milestone where the document has two stages or more ("## Prep", "## Procedure"),
# and each stage waits on the one before it.
RUNBOOK_STAGES: tuple[frozenset[str], ...] = (
    frozenset({"prep", "preparation", "pre-work", "prework", "pre-flight", "preflight"}),
    frozenset({"procedure", "execution", "cutover", "cut-over"}),
    frozenset({"post-work", "postwork", "clean-up", "cleanup", "wrap-up"}),
)

# Words that name a section even at the start of a longer heading ("Retro actions
# carried over", "Retrospective from sprint 41").
PREFIX_WORDS = frozenset({"retro", "retrospective"})

# A heading that says what is *not* part of the work: "Not this quarter", "Not doing
# now", "Nicht Teil dieses Tickets", "Retro items (not sprint work)".
_NOT_WORK = LazyPattern(rf"(?:{LEX.negation})\s+(?:{LEX.not_work})\b")
# "3.1 Local storage", "2. Goals": an outline number before the name.
_OUTLINE_NUMBER = LazyPattern(r"\d{1,3}(?:\.\d{1,3})*\.?\s+")

# An item that begins with one of these labels is a criterion, not work
# ("- [ ] Test: plugin loads in the host", "Checkpoint: ...").
CRITERION_PREFIXES = frozenset(
    {
        "test",
        "tests",
        "verify",
        "verification",
        "checkpoint",
        "acceptance",
        "acceptance criteria",
        "done when",
        "exit criteria",
        "success criteria",
        "criteria",
    }
)

# Checkboxes in issue forms that the reporter ticks to acknowledge something: never work.
ACKNOWLEDGEMENTS = WORDS["acknowledgement"]

# Verbs that open an instruction: "Add a code of conduct", "Investigate each case".
IMPERATIVE_VERBS = frozenset(WORDS["verb"] + WORDS["verb_vague"])

# Sentences that state work without an imperative ("these changes need to be polished").
WORK_PHRASES = LazyPattern(
    rf"\b(?:(?:{LEX.need_to}) \w+|(?:{LEX.obligation}) be \w+ed|will add|we will (?!not)\w+|"
    rf"would be (?:(?:{LEX.intensifier}) )?(?:{LEX.praise}) if|"
    rf"{LEX.wish}|{LEX.please_ask})\b",
    re.IGNORECASE,
)

# In a section that holds work written as prose ("## Detailed design"), a sentence that
# says what will be done: "We will add ...", "The resolver will resolve ...".
FUTURE_WORK = LazyPattern(
    rf"\b(?:{LEX.will}) (?!(?:{LEX.will_not})\b)(?:(?:{LEX.will_adverb}) )?\w+", re.I
)

HINT_KEYS: dict[str, str] = {
    "id": "id",
    "risk": "risk",
    "risk class": "risk",
    "risk level": "risk",
    "risk_class": "risk",
    "risk-class": "risk",
    "depends": "depends",
    "depends on": "depends",
    "depends_on": "depends",
    "dependencies": "depends",
    "after": "depends",
    "needs": "depends",
    "blocked by": "depends",
    "paths": "paths",
    "path": "paths",
    "file": "paths",
    "files": "paths",
    "scope": "paths",
    "diff": "diff",
    "max diff": "diff",
    "max_diff_scope": "diff",
    "diff scope": "diff",
    "role": "role",
    "kind": "kind",
    "type": "kind",
    "status": "status",
    "outcome": "outcome",
    "milestone": "milestone",
    "acceptance": "acceptance",
    "validation": "validation",
    "validate": "validation",
    "invariant": "invariants",
    "invariants": "invariants",
    "options": "options",
    "blocks": "blocks",
    "impact": "impact",
    "risks": "risks",
    "objective": "objective",
}
# Hint keys whose value is a setting, not prose: a line "risk: high" is a hint,
# never the start of a Risks section.
VALUE_HINTS = frozenset({"id", "risk", "paths", "diff", "role", "kind", "status", "milestone"})

RISK_WORDS: dict[str, RiskClass] = {
    "low": "low",
    "minor": "low",
    "medium": "medium",
    "med": "medium",
    "moderate": "medium",
    "high": "high",
    "major": "high",
    "critical": "critical",
    "crit": "critical",
}
ROLE_WORDS = {
    "developer": "developer",
    "dev": "developer",
    "engineer": "developer",
    "qa": "qa",
    "tester": "qa",
    "test": "qa",
}
KIND_WORDS = {
    "feature": "feature",
    "feat": "feature",
    "verification": "verification",
    "verify": "verification",
    "docs": "docs",
    "doc": "docs",
    "documentation": "docs",
    "chore": "chore",
}

# Words in a heading that say the work is finished.
DONE_WORDS = frozenset(WORDS["done_word"])
DONE_MARKS = ("✅", "✔️", "✔", "☑️", "☑", "✓")


def runbook_stage(title: str) -> int | None:
    """The runbook stage a heading opens with (``Prep (week before)`` -> 0), if any."""
    words = normalize(title).replace("(", " ").split()
    first = words[0].strip(":,") if words else ""
    return next((rank for rank, names in enumerate(RUNBOOK_STAGES) if first in names), None)


def normalize(text: str) -> str:
    """Lower case, markup and punctuation at the ends gone, white space collapsed."""
    cleaned = text.lower().replace("_", " ").replace("*", " ")
    cleaned = " ".join(cleaned.split())
    return cleaned.strip(" :.-–—#").strip()


# The word after a role's name that starts what the section is about, and the roles it
# may follow ("Known issues carried from 8.13" is notes).
_ROLE_THEN_SUBJECT = (
    (" for ", ("decisions", "acceptance")),
    (" to ", ("decisions",)),
    (" from ", ("notes",)),
    (" on ", ("notes",)),
    (" about ", ("notes",)),
    (" carried ", ("notes",)),
)


def role_of(phrase: str, table: Mapping[str, str] = ROLE_TABLE) -> str | None:
    """The role a heading or label names (``Acceptance criteria`` -> acceptance), if any.

    Tried in turn, on the phrase and on it without an outline number (``5. Appendix``):
    the whole phrase;
    without a trailing ``(...)``; the part before a colon; each part of ``A / B``; the
    last two words, then the last word (``Technical Risks`` -> risks, ``Tech Roadmap``
    -> milestones); then questions asked of someone (``Questions for @owners``). A
    phrase that says the work is not part of the plan (``Not this quarter``) is out
    of scope.
    """
    key = normalize(phrase)
    if not key or len(key) > 120:
        return None
    if key not in table and (
        _NOT_WORK.match(key)
        or (key.endswith(")") and "(" in key and _NOT_WORK.match(key[key.rindex("(") + 1 :]))
    ):
        return "out_of_scope"
    bases = [key]
    number = _OUTLINE_NUMBER.match(key)
    if number and number.end() < len(key):
        bases.append(key[number.end() :])
    for base in bases:
        for candidate in _candidates(base, table):
            role = table.get(candidate.strip(" :.-"))
            if role:
                return role
    # A role's name, then what it is about: "Questions for @gateway-owners", "Open points
    # to settle", "Go / no-go for each rollout step", "Notes from the spike".
    for separator, roles in _ROLE_THEN_SUBJECT:
        head = key.split(separator, 1)[0]
        if head != key and table.get(head) in roles:
            return table[head]
    # "Audit excerpt (for reference)": what the parentheses call it.
    if key.endswith(")") and "(" in key:
        aside = key[key.rindex("(") + 1 : -1].strip()
        aside = re.sub(r"^(?:for|as|just|only)\s+", "", aside)
        return table.get(aside)
    return None


def _candidates(key: str, table: Mapping[str, str]) -> list[str]:
    candidates = [key]
    if key.endswith(")") and "(" in key:
        candidates.append(key[: key.rindex("(")].strip())
    if ":" in key:
        candidates.append(key.split(":", 1)[0].strip())
    if "/" in key:
        candidates.extend(part.strip() for part in key.split("/"))
    words = key.split()
    if len(words) > 2 and " ".join(words[-2:]) in table:
        candidates.append(" ".join(words[-2:]))
    if len(words) > 1 and words[-1] in SUFFIX_WORDS:
        candidates.append(words[-1])
    if len(words) > 1 and words[0] in PREFIX_WORDS:
        candidates.append(words[0])
    return candidates


def named(phrase: str, table: Mapping[str, str] = ROLE_TABLE) -> str | None:
    """The role a heading names as a whole (``Release notes``, ``10.5 Appendix``), which
    outweighs a milestone word at its start; ``None`` when only a part of it is known."""
    key = normalize(phrase)
    number = _OUTLINE_NUMBER.match(key)
    return table.get(key) or (table.get(key[number.end() :]) if number else None)


def extend(extra: Mapping[SectionRole, Iterable[str]]) -> dict[str, str]:
    """The role table with more phrases per role (e.g. from a configuration)."""
    table = dict(ROLE_TABLE)
    for role, phrases in extra.items():
        if role not in ROLES:
            raise ValueError(f"unknown section role '{role}'; use one of {', '.join(ROLES)}")
        for phrase in phrases:
            table[normalize(phrase)] = role
    return table


def is_acknowledgement(text: str) -> bool:
    lowered = " ".join(text.lower().split())
    return lowered.startswith(ACKNOWLEDGEMENTS)
