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
from planner.model import RiskClass, SectionRole

# Roles a section can have. "notes" is everything that is not work: background,
# motivation, references, legends, history, alternatives and the like.
ROLES: tuple[str, ...] = get_args(SectionRole)

_ROLE_PHRASES: dict[str, tuple[str, ...]] = {
    "objective": (
        "objective",
        "objectives",
        "goal",
        "goals",
        "summary",
        "tl;dr",
        "tldr",
        "overview",
        "purpose",
        "description",
        "what",
        "proposal",
        "proposed solution",
        "solution",
        "feature description",
        "describe the solution you'd like",
        "describe the solution you would like",
        "describe the feature",
        "intent",
        "mission",
        "describe the bug",
        "epic description",
        "sprint goal",
        "sprint goals",
        "bug description",
        "possible fix",
        "suggested fix",
        "proposed fix",
        "feature request",
        "ziel",
        "ziele",
        "zusammenfassung",
        "objetivo",
        "resumen",
        "objectif",
        "résumé",
    ),
    "milestones": (
        "milestones",
        "milestone",
        "phases",
        "roadmap",
        "plan",
        "stages",
        "implementation plan",
        "implementation phases",
        "rollout plan",
        "releases",
        "release plan",
        "workstreams",
        "graduation criteria",
        "delivery plan",
        "execution plan",
        "project plan",
        "work plan",
        "release schedule",
    ),
    "tasks": (
        "tasks",
        "task",
        "task list",
        "tasklist",
        "todo",
        "to do",
        "to-do",
        "todos",
        "work items",
        "steps",
        "next steps",
        "action items",
        "checklist",
        "deliverables",
        "work",
        "remaining work",
        "remaining tasks",
        "implementation",
        "implementation steps",
        "implementation tasks",
        "changes",
        "proposed changes",
        "core features",
        "features",
        "scope of work",
        "sub-issues",
        "subtasks",
        "sub-tasks",
        "child issues",
        "work breakdown",
        "task breakdown",
        "breakdown",
        "follow-ups",
        "follow ups",
        "followups",
        "action plan",
        "implementation notes",
        "implementation details",
        "procedure",
        "initiatives",
        "rollout & monitoring",
        "rollout and monitoring",
        "monitoring",
        "monitoring & alerting",
        "monitoring and alerting",
        "observability",
        "aufgaben",
        "umsetzung",
        "tareas",
        "implementación",
        "tâches",
        "mise en œuvre",
    ),
    "acceptance": (
        "acceptance",
        "acceptance criteria",
        "acceptance tests",
        "verify",
        "post-checks",
        "post checks",
        "post-deploy checks",
        "post-release checks",
        "definition of done",
        "dod",
        "done when",
        "done means",
        "done criteria",
        "success criteria",
        "success metrics",
        "exit criteria",
        "completion criteria",
        "release criteria",
        "launch criteria",
        "ship criteria",
        "go-live criteria",
        "go/no-go",
        "go / no-go",
        "go-no-go",
        "go no-go",
        "go/no-go criteria",
        "go / no-go criteria",
        "must show",
        "checkpoint",
        "independent test",
        "expected results",
        "must have",
        "should have",
        "testing checklist",
        "test checklist",
        "verification checklist",
        "performance requirements",
        "criteria",
        "expected behavior",
        "expected behaviour",
        "expected result",
        "ships when",
        "success looks like",
        "exit when",
        "verify after merging",
        "verify after merge",
        "verify after release",
        "verify after deploying",
        "post-merge checks",
        "key results",
        "health metrics",
        "guardrail metrics",
        "guardrails",
        "abnahmekriterien",
        "akzeptanzkriterien",
        "criterios de aceptación",
        "critères d'acceptation",
    ),
    "validation": (
        "validation",
        "validation strategy",
        "testing",
        "testing strategy",
        "test plan",
        "tests",
        "how to test",
        "how to validate",
        "how to verify",
        "verification",
        "verification plan",
        "verification steps",
        "test steps",
        "testing steps",
    ),
    "dependencies": (
        "dependencies",
        "dependency",
        "depends on",
        "phase dependencies",
        "dependency chain",
        "dependencies & execution order",
        "dependencies and execution order",
        "execution order",
        "user story dependencies",
        "blocked by",
        "blockers",
    ),
    "risks": (
        "risks",
        "risk",
        "risks and mitigations",
        "risk assessment",
        "breaking changes",
        "caveats",
        "drawbacks",
        "risiken",
        "riesgos",
        "risques",
    ),
    "decisions": (
        "decisions",
        "decision",
        "open questions",
        "questions",
        "unresolved questions",
        "owner decisions",
        "decisions needed",
        "questions for the owner",
        "open points",
        "open decisions",
        "pending decisions",
        "decision needed",
        "needs decision",
        "tbd",
        "decision outcome",
        "open point",
        "points to clarify",
        "to clarify",
        "to decide",
        "to be decided",
        "offene fragen",
        "preguntas abiertas",
        "questions ouvertes",
    ),
    "assumptions": (
        "assumptions",
        "assumption",
        "preconditions",
        "pre-conditions",
        "precondition",
        "annahmen",
        "voraussetzungen",
    ),
    "unknowns": ("unknowns", "unknown", "open issues", "unknowns and gaps"),
    "invariants": ("invariants", "invariant", "constraints", "must not break"),
    "out_of_scope": (
        "out of scope",
        "non-goals",
        "non goals",
        "nongoals",
        "not in scope",
        "could have",
        "won't have",
        "wont have",
        "nice to have",
        "future work",
        "stretch goals",
        "stretch goal",
        "not planned",
        "won't do",
        "wont do",
        "deferred",
        "later",
        "future possibilities",
        "nicht-ziele",
        "nichtziele",
        "no objetivos",
        "fuera del alcance",
        "non-objectifs",
        "hors du champ",
        "außerhalb des umfangs",
        "fuera de alcance",
        "hors périmètre",
        "hors du périmètre",
    ),
    "outcome": ("outcome", "expected outcome", "result"),
    "notes": (
        "notes",
        "note",
        "known issues",
        "known bugs",
        "known limitations",
        "background",
        "context",
        "additional context",
        "motivation",
        "rationale",
        "problem",
        "problem statement",
        "is your feature request related to a problem",
        "is your feature request related to a problem? please describe",
        "describe alternatives you've considered",
        "describe alternatives you have considered",
        "alternatives",
        "alternatives considered",
        "references",
        "reference",
        "links",
        "see also",
        "resources",
        "table of contents",
        "contents",
        "toc",
        "legend",
        "format",
        "conventions",
        "path conventions",
        "version history",
        "history",
        "changelog",
        "change log",
        "revision history",
        "faq",
        "q&a",
        "frequently asked questions",
        "appendix",
        "glossary",
        "current state",
        "status quo",
        "results",
        "validation results",
        "user stories",
        "use cases",
        "guide-level explanation",
        "use case",
        "considered options",
        "options considered",
        "pros and cons of the options",
        "non-functional requirements",
        "technical requirements",
        "technology stack",
        "tech stack",
        "file structure",
        "dependencies to add",
        "suggested labels",
        "labels",
        "ownership",
        "ownership and team asks",
        "team asks",
        "owner",
        "owners",
        "input",
        "prerequisites",
        "organization",
        "implementation strategy",
        "design axioms",
        "screenshots",
        "environment",
        "steps to reproduce",
        "actual behavior",
        "actual behaviour",
        "additional information",
        "related",
        "related issues",
        "prior art",
        "example",
        "examples",
        "usage",
        "status",
        "related work",
        "prior work",
        "implementation history",
        "about tracking issues",
        "previous work",
        "discussion",
        "discussions",
        "rollback plan",
        "release notes",
        "to reproduce",
        "how to reproduce",
        "reproduction steps",
        "reproduction",
        "timeline",
        "schedule",
        "metrics",
        "users",
        "target users",
        "personas",
        "known limitations",
        "limitations",
        "is there an existing issue for this",
        "code of conduct",
        "operating system",
        "version",
        "browser",
        "logs",
        "relevant log output",
        "parallel opportunities",
        "parallel example",
        "rollback",
        "rollback steps",
        "backout steps",
        "back-out steps",
        "recovery steps",
        "contingency plan",
        "recap",
        "retro",
        "retrospective",
        "retro notes",
        "root cause",
        "root cause analysis",
        "log",
        "work log",
        "progress log",
        "status log",
        "release log",
        "journal",
        "status updates",
        "updates",
        "fyi",
        "retro actions",
        "retro action items",
        "retrospective actions",
        "lessons learned",
        "meeting notes",
        "rollback procedure",
        "back-out plan",
        "backout plan",
        "revert plan",
        "consequences",
        "alternatives rejected",
        "rejected alternatives",
        "dates",
        "key dates",
        "milestone dates",
        "target dates",
        "hintergrund",
        "kontext",
        "hinweis",
        "hinweise",
        "antecedentes",
        "contexto",
        "contexte",
    ),
}

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
    r"(?:last |)(?:updated|edited|modified|reviewed)\b|(?:imported|exported|copied|migrated|"
    r"generated|converted) (?:from|by|with|on)\b|(?:created|written|maintained|owned) by\b|"
    r"draft (?:for|under) review\b|status:",
    re.IGNORECASE,
)

# A paragraph that only greets or thanks ("Hi all 👋", "Thanks! cc @web"): never the
# objective.
GREETING = LazyPattern(
    r"(?:hi|hello|hey|hiya|greetings|good (?:morning|afternoon|evening)|dear|thanks|"
    r"thank you|many thanks|cheers)\b[^.!?\n]{0,60}[.!,]?",
    re.IGNORECASE,
)

# An item of a Testing section that is a test to write, not a check to pass: "Unit
# tests for the date parser", "Add a 1M-row case to `bench/export.py`".
TEST_WORK = LazyPattern(
    r"(?:add|write|create|extend|cover|update)\b[^\n]{0,200}?\b(?:tests?|specs?|cases?|"
    r"benchmarks?|fixtures?)\b|"
    r"(?:unit|integration|e2e|end-to-end|contract|regression|snapshot|property|"
    r"property-based|fuzz|golden)[- ]?(?:tests?|specs?)\b|tests? (?:for|that|covering)\b",
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

# What opens a question put to someone outside a questions section: "❓ Open: ...?",
# "Question for @design: ...?", "**Blocking decision:** ...?", "cc @lena — ...?", and
# who asked it in a pasted comment thread ("r.okafor: ...?", "Maria (2024-02-19): ...?",
# "Q: ...?").
QUESTION_LEADS = LazyPattern(
    r"(?:❓\s*)?(?:cc\b[^?]{0,200}?\s[-–—:]\s*|"
    r"(?:open|open question|question|questions|blocking decision|decision needed|"
    r"decision|to decide|tbd|q)(?:\s+(?:for|to)\s+[^:?]{1,60})?\s*:\s*|"
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
_NOT_WORK = LazyPattern(
    r"(?:not|nicht)\s+(?:in|this|these|part|doing|planned|now|included|covered|for|our|"
    r"going|a goal|goals|scope|sprint|teil|jetzt|geplant|im|in diesem)\b"
)
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
ACKNOWLEDGEMENTS = (
    "i have searched",
    "i've searched",
    "i searched",
    "i have read",
    "i've read",
    "i have checked",
    "i've checked",
    "i agree",
    "i accept",
    "i confirm",
    "i understand",
    "i/we understand",
    "we understand",
    "i am willing",
    "i'm willing",
    "i would like to work on",
    "i'd like to work on",
    "i would like to help",
    "i'd like to help",
    "i can help",
    "i want to help",
    "yes, i would like",
    "yes, i'd like",
    "yes, i can",
    "yes, i will",
    "i have reviewed",
    "this is not a duplicate",
    "i am using the latest",
    "i'm using the latest",
    "i have updated to the latest",
    "i am on the latest",
    "i have tested with the latest",
)

# Verbs that open an instruction: "Add a code of conduct", "Investigate each case".
IMPERATIVE_VERBS = frozenset(
    """add adopt allow build bump change clean complete configure connect convert create
    define delete deprecate design document drop enable ensure expose extend extract figure
    fix handle harden implement improve integrate introduce investigate make map migrate
    move port provide record refactor remove rename replace rewrite set ship split support
    switch update upgrade use validate wire write include return show display emit print
    render parse load save send store persist reject accept limit retry sort filter export
    import cache hide keep reuse drop skip raise wrap generate rework restore register""".split()
)

# Sentences that state work without an imperative ("these changes need to be polished").
WORK_PHRASES = LazyPattern(
    r"\b(?:needs? to (?:be )?\w+|must be \w+ed|will add|we will (?!not)\w+|should be \w+ed|"
    r"would be (?:really |very |super )?(?:nice|helpful|great|useful|good) if|"
    r"(?:i|we)(?:'d| would) like|please (?:add|support|make|allow)|could you)\b",
    re.IGNORECASE,
)

# In a section that holds work written as prose ("## Detailed design"), a sentence that
# says what will be done: "We will add ...", "The resolver will resolve ...".
FUTURE_WORK = LazyPattern(r"\bwill (?!not\b|only\b|still\b|never\b)(?:be |also |now )?\w+", re.I)

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
DONE_WORDS = frozenset({"done", "complete", "completed", "shipped", "finished", "released"})
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
