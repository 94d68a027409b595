"""The seed's rules on the request and its tasks, as findings with stable ids."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import islice

from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.read import Draft
from planner.core.read.lex import LEX, WORDS
from planner.core.text import code_locations, contains_any_phrase, named_components, one_line
from planner.core.tracked import tracked_number
from planner.model import DeferredTask, Finding, Milestone, Task, VocabularyConfig

CONCRETE_EXAMPLE = "'Implement Redis stream producer in internal/store/redis/'"


# "Run `make docs`. This will update docs/cli.md": after an operation, the words that say
# its run changes files of the repository.
_WRITES_FILES = LazyPattern(rf"\b(?:{LEX.writes_files})\b", re.I)


def classify_kind(objective: str, vocabulary: VocabularyConfig) -> str:
    """feature, verification, docs or ops, from the words of the objective (seed rule 7).
    An objective that opens with an operation ("Run", "Tag", "Publish" …) is ops, unless
    it says the run changes files it names ("Run `make readme`; this will update
    README.md"): committing what the run wrote is a change like any other."""
    words = _LEAD.sub("", objective.strip()).split(maxsplit=1)  # "5.2 Run …" runs
    first = words[0] if words else ""
    change = _CHANGE_TYPE.match(objective.strip().strip("*_`")) is not None  # "feat: run …"
    if not change and contains_any_phrase(first.strip("`*_"), vocabulary.operations):
        written = _WRITES_FILES.search(objective)
        locations = code_locations(objective[written.end() :]) if written else []
        rest = words[1] if len(words) > 1 else ""
        others = [o for o in vocabulary.operations if o.lower() != first.strip("`*_").lower()]
        if not locations or contains_any_phrase(rest, others):
            return "ops"  # "Run ./deploy.sh production to …": a deploy stays a person's
        return "docs" if all(_is_docs_path(p) for p in locations) else "feature"
    if contains_any_phrase(objective, vocabulary.verification):
        if not contains_any_phrase(objective, implementation_verbs(vocabulary)):
            return "verification"
        first = objective.split(maxsplit=1)[0] if objective.split() else ""
        if contains_any_phrase(first, vocabulary.verification):
            return "verification"
    locations = code_locations(objective)
    if locations and all(_is_docs_path(p) for p in locations):
        return "docs"
    if contains_any_phrase(objective, vocabulary.docs) and not locations:
        return "docs"
    return "feature"


# What reads as a state, a count or a criterion rather than a change, when the line does not
# open with a verb: "All tests pass", "Build passes (`go build ./...`)", "CI should be all
# green", "Basic implementation exists", "Coverage ≥80%", "Setup Phase: 8 tasks",
# "handleQuery: +4.5% (32% → 80%)", "No breaking changes to existing installations".
_STATE = LazyPattern(
    rf"\b(?:{LEX.state_verb}|(?:{LEX.obligation})\s+be\s+(?:all\s+)?(?:{LEX.state_adjective}))\b",
    re.I,
)
_MEASURE = LazyPattern(rf"[≥≤→]|[<>]=?\s*\d|\b\d+(?:\.\d+)?\s*(?:{LEX.time_unit})\b")
_COUNTED = LazyPattern(r"^[^:]{1,40}:\s*[+\-~≈]?\d")
_CONSTRAINT = LazyPattern(rf"^(?:{LEX.quantifier})\b", re.I)
# Ids, numbering, tags and a conventional commit's type ("T012 [P]", "1.2)", "docs:",
# "feat(renderer):") before the words of a line.
_LEAD = LazyPattern(
    r"^(?:[\[(]?[A-Z]{0,3}\d[\w.]*[\])]?[.:)]?\s+|\[[^\]]{1,12}\]\s*|[-*•]\s+|"
    r"[a-z]{2,8}(?:\([\w./-]{1,30}\))?!?:\s+)+"
)


# "fix: …", "feat(cli)!: …": a commit's type, which says the line is a change (in lower
# case, as commits write it: "Build: passes on Windows" is a state).
_CHANGE_TYPE = LazyPattern(rf"^(?:{LEX.change_type})(?:\([\w./-]{{1,30}}\))?!?:\s")
_ABIDES = LazyPattern(
    rf"^(?:(?:{LEX.abide})\b[^.;]{{0,40}}\b(?:{LEX.rules_noun})|"
    rf"(?:{LEX.ensure})\b[^.;]{{0,80}}\b(?:{LEX.conformity}))\b",
    re.I,
)
# What a line quotes ("\"file does not exist\" error") is a message, not its state.
_QUOTED = LazyPattern(r'"[^"\n]{0,200}"|“[^”\n]{0,200}”')


def reads_as_state(title: str, vocabulary: VocabularyConfig) -> str | None:
    """Why a task's line reads as a state, a count or a criterion rather than a change
    ("All tests pass", "Setup Phase: 8 tasks", "Coverage ≥80%"), or None when it reads as
    work: it opens with a verb or a commit's type ("fix: …"), or nothing marks it. Such
    a line is not handed to an agent on a boundary the planner proposed."""
    if _CHANGE_TYPE.match(title.strip().strip("*_`")):
        return None
    text = _LEAD.sub("", _QUOTED.sub('""', title.strip().strip("*_`"))).strip()
    if _ABIDES.match(text):
        return "a rule the whole work keeps"  # "Follow the coding standards"
    first = text.split(maxsplit=1)[0].lower().strip("*_`:,") if text else ""
    verbs = _OPENING_VERBS | set(implementation_verbs(vocabulary))
    second = text.split(maxsplit=2)[1:2]
    if first in verbs and second and _STATE.fullmatch(second[0]):
        return "a state to reach"  # "Build passes", "Test suite works": a noun, then a state
    if not first or first in verbs or first.rstrip("s") in verbs:
        return None
    if _COUNTED.match(text):
        return "a count"
    if _MEASURE.search(text):
        return "a measure to reach"
    if _CONSTRAINT.match(text):
        return "a constraint on the whole work"
    if _STATE.search(text):
        return "a state to reach"
    return None


def _is_docs_path(path: str) -> bool:
    lowered = path.lower()
    return lowered.startswith(("docs/", "doc/")) or lowered.endswith((".md", ".rst", ".adoc"))


# Every verb that opens a task's title as work, concrete or not ("Ensure …", "Start …").
_OPENING_VERBS = frozenset(WORDS["verb"] + WORDS["verb_vague"] + WORDS["verb_loose"])


def implementation_verbs(vocabulary: VocabularyConfig) -> tuple[str, ...]:
    """The verbs of a concrete change: the reader's own (the lexicon's ``verb``, which
    also open an instruction) and the config's."""
    extra = tuple(
        v.lower() for v in vocabulary.implementation_verbs if v.lower() not in WORDS["verb"]
    )
    return WORDS["verb"] + extra if extra else WORDS["verb"]


def has_implementation_verb(objective: str, vocabulary: VocabularyConfig) -> bool:
    return contains_any_phrase(objective, implementation_verbs(vocabulary))


def has_code_location(task: Task) -> bool:
    return bool(
        code_locations(task.objective)
        or named_components(task.objective)
        or task.diff_boundary.paths
    )


def check_objective(task: Task, milestone: str, vocabulary: VocabularyConfig) -> list[Finding]:
    """Seed rule 8: a developer task's objective is a concrete code change."""
    if task.role != "developer" or task.status == "done" or task.kind in ("docs", "ops"):
        return []
    verb = has_implementation_verb(task.objective, vocabulary)
    location = bool(named_components(task.objective) or code_locations(task.objective))
    if verb and location:
        return []
    if (number := tracked_number(task.objective, None)) is not None:
        return [
            finding(
                "seed-8-concrete-objective",
                f"Developer task {task.id} only names issue #{number}, where its work is "
                "written. Planned with a github-token it takes that issue's title; offline, "
                f"write the change in the line, e.g. {CONCRETE_EXAMPLE} (seed rule 8).",
                milestone=milestone,
                task=task.id,
            )
        ]
    missing = [
        name
        for name, ok in (("an implementation verb", verb), ("a code location", location))
        if not ok
    ]
    return [
        finding(
            "seed-8-concrete-objective",
            f"Developer task {task.id} ('{one_line(task.objective, 80)}') lacks "
            f"{' and '.join(missing)}. Write a concrete code change, e.g. {CONCRETE_EXAMPLE} "
            "(seed rule 8).",
            milestone=milestone,
            task=task.id,
        )
    ]


def check_request(
    draft: Draft, milestones: Sequence[Milestone], vocabulary: VocabularyConfig
) -> list[Finding]:
    """Seed rule 4 on the request (assumptions or unknowns recorded) and rule 8 on every
    task."""
    findings: list[Finding] = []
    if not draft.assumptions and not draft.unknowns:
        findings.append(
            finding(
                "seed-4-assumptions",
                "The request records no assumptions or unknowns. Add '## Assumptions' and "
                "'## Unknowns' sections (seed rule 4); only the defaults the planner "
                "applied are recorded.",
            )
        )
    for m in milestones:
        for t in m.tasks:
            findings += check_objective(t, m.id, vocabulary)
    return findings


def verification_only(milestone: Milestone) -> bool:
    """Whether every open task of the milestone is verification-only work (seed rule 7)."""
    open_tasks = [t for t in milestone.tasks if t.status != "done"]
    return bool(open_tasks) and all(t.kind == "verification" for t in open_tasks)


def shown(ids: Iterable[str], most: int = 5) -> str:
    """Ids as a short list: the first ``most``, then an ellipsis (reads no further)."""
    first = list(islice(ids, most + 1))
    return ", ".join(first[:most]) + (" …" if len(first) > most else "")


@dataclass(frozen=True)
class FeatureWork:
    """Seed rule 7 over the whole plan: the open feature tasks, and which of them hold a
    milestone's verification-only work back.

    Feature work holds verification back wherever the two stand, except where the author
    declared the order: a milestone that depends on another (directly or through
    others) waits for it, so its feature work cannot hold that milestone back."""

    features: dict[str, list[str]]
    """Milestone id -> its open feature tasks, in the plan's order."""
    dependents: dict[str, list[str]]
    """Milestone id -> the milestones that declare it as a dependency."""

    @classmethod
    def of(cls, milestones: Sequence[Milestone]) -> FeatureWork:
        open_work = {
            m.id: [t.id for t in m.tasks if t.kind == "feature" and t.status != "done"]
            for m in milestones
        }
        dependents: dict[str, list[str]] = {}
        for m in milestones:
            for dep in m.dependencies:
                dependents.setdefault(dep, []).append(m.id)
        return cls({k: v for k, v in open_work.items() if v}, dependents)

    def any_open(self) -> bool:
        return bool(self.features)

    def waiting_on(self, milestone: str) -> list[str]:
        """The milestones with feature work open that wait on ``milestone``, directly or
        through others, in the plan's order."""
        waiting = self.waiting.get(milestone, frozenset()) - {milestone}
        return [m for m in self.features if m in waiting] if waiting else []

    @cached_property
    def waiting(self) -> dict[str, frozenset[str]]:
        """Milestone id -> the milestones with feature work open that wait on it, for
        every milestone something depends on; each worked out once, from the ones that
        wait on it (a cycle is cut where it closes)."""
        found: dict[str, frozenset[str]] = {}
        for root in self.dependents:
            if root in found:
                continue
            stack = [(root, iter(self.dependents[root]))]
            open_nodes = {root}
            while stack:
                node, later = stack[-1]
                step = next(later, None)
                if step is None:
                    stack.pop()
                    open_nodes.discard(node)
                    union: set[str] = set()
                    for d in self.dependents.get(node, []):
                        if d in self.features:
                            union.add(d)
                        union |= found.get(d, frozenset())
                    found[node] = frozenset(union)
                elif step not in found and step not in open_nodes:
                    open_nodes.add(step)
                    stack.append((step, iter(self.dependents.get(step, []))))
        return found

    def holding(self, milestone: str) -> list[str]:
        """The open feature tasks that hold ``milestone``'s verification-only tasks back:
        its own and those of every milestone that does not wait on it."""
        waiting = set(self.waiting_on(milestone))
        if not waiting:
            return self.every_task
        return [t for m, tasks in self.features.items() if m not in waiting for t in tasks]

    @cached_property
    def every_task(self) -> list[str]:
        """Every open feature task, in the plan's order."""
        return [t for tasks in self.features.values() for t in tasks]


def defer_verification(milestone: Milestone, milestones: Sequence[Milestone]) -> list[DeferredTask]:
    """Seed rule 7: while feature work is open anywhere in the plan (but for the
    milestones that wait on this one), the milestone's verification-only tasks wait. A
    milestone of verification work only is fanned out when it is the focus: the focus
    pass has already let it go first (nothing held it, or the author's order put it
    before the feature work)."""
    if verification_only(milestone):
        return []
    holders = FeatureWork.of(milestones).holding(milestone.id)
    if not holders:
        return []
    return [
        DeferredTask(task=t.id, rule="seed-7-feature-first", reason=shown(holders))
        for t in milestone.tasks
        if t.kind == "verification" and t.status != "done"
    ]
