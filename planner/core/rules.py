"""The seed's rules on the request and its tasks, as findings with stable ids."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.findings import finding
from planner.core.read import Draft
from planner.core.text import code_locations, contains_any_phrase, named_components, one_line
from planner.model import DeferredTask, Finding, Milestone, Severity, Task, VocabularyConfig

CONCRETE_EXAMPLE = "'Implement Redis stream producer in internal/store/redis/'"


def classify_kind(objective: str, vocabulary: VocabularyConfig) -> str:
    """feature, verification, docs or ops, from the words of the objective (seed rule 7).
    An objective that opens with an operation ("Run", "Tag", "Publish" …) is ops."""
    first = objective.split(maxsplit=1)[0] if objective.split() else ""
    if contains_any_phrase(first.strip("`*_"), vocabulary.operations):
        return "ops"
    if contains_any_phrase(objective, vocabulary.verification):
        if not contains_any_phrase(objective, vocabulary.implementation_verbs):
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


def _is_docs_path(path: str) -> bool:
    lowered = path.lower()
    return lowered.startswith(("docs/", "doc/")) or lowered.endswith((".md", ".rst", ".adoc"))


def has_implementation_verb(objective: str, vocabulary: VocabularyConfig) -> bool:
    return contains_any_phrase(objective, vocabulary.implementation_verbs)


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
    location = bool(code_locations(task.objective) or named_components(task.objective))
    if verb and location:
        return []
    missing = [
        name
        for name, ok in (("an implementation verb", verb), ("a code location", location))
        if not ok
    ]
    severity: Severity = (
        "error" if not verb and not (location or task.diff_boundary.paths) else "warning"
    )
    return [
        finding(
            "seed-8-concrete-objective",
            f"Developer task {task.id} ('{one_line(task.objective, 80)}') lacks "
            f"{' and '.join(missing)}. Write a concrete code change, e.g. {CONCRETE_EXAMPLE} "
            "(seed rule 8).",
            severity=severity,
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


def defer_verification(milestone: Milestone, vocabulary: VocabularyConfig) -> list[DeferredTask]:
    """Seed rule 7: while a milestone has feature tasks open, its verification-only
    tasks wait."""
    open_features = [t.id for t in milestone.tasks if t.kind == "feature" and t.status != "done"]
    if not open_features:
        return []
    shown = ", ".join(open_features[:5]) + (" …" if len(open_features) > 5 else "")
    return [
        DeferredTask(task=t.id, rule="seed-7-feature-first", reason=shown)
        for t in milestone.tasks
        if t.kind == "verification" and t.status != "done"
    ]
