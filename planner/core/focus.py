"""The one focused milestone (seed rule 2): the first not done whose dependencies are
all done, except that a milestone of verification work only waits while feature work
is open elsewhere (seed rule 7)."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.findings import finding
from planner.core.rules import FeatureWork, shown, verification_only
from planner.core.text import one_line
from planner.model import Finding, Milestone


def ready_milestones(milestones: Sequence[Milestone]) -> list[Milestone]:
    """The milestones not done whose dependencies are all done, in the plan's order."""
    status = {m.id: m.status for m in milestones}
    return [
        m
        for m in milestones
        if m.status != "done" and all(status.get(d) == "done" for d in m.dependencies)
    ]


def first_ready(milestones: Sequence[Milestone]) -> str | None:
    """The id of the first milestone not done whose dependencies are all done."""
    ready = ready_milestones(milestones)
    return ready[0].id if ready else None


def focus_milestone(milestones: Sequence[Milestone]) -> tuple[str | None, list[str]]:
    """The focus, and the ready milestones passed over for it.

    The first ready milestone, unless it holds only verification work that open feature
    work holds back (``FeatureWork.holding``): then the next. When every ready milestone
    is such, the first that open feature work waits on goes first, since no feature work
    can start before it."""
    ready = ready_milestones(milestones)
    if not ready:
        return None, []
    work = FeatureWork.of(milestones)
    if not work.any_open():
        return ready[0].id, []
    passed: list[str] = []
    for m in ready:
        if verification_only(m) and work.holding(m.id):
            passed.append(m.id)
            continue
        return m.id, passed
    chosen = next((m.id for m in ready if work.waiting_on(m.id)), ready[0].id)
    return chosen, [p for p in passed if p != chosen]


def choose_focus(milestones: Sequence[Milestone]) -> tuple[str | None, list[Finding]]:
    """The focus, in dependency order; several milestones in progress, none ready while
    some are not done, and verification work passed over or kept first by the author's
    order (seed rule 7) are findings."""
    findings: list[Finding] = []
    in_progress = [m.id for m in milestones if m.status == "in_progress"]
    if len(in_progress) > 1:
        findings.append(
            finding(
                "seed-2-one-focus",
                shape="several",
                fix=f"The focus is {in_progress[0]} if it is ready.",
                ids=", ".join(in_progress),
                milestone=in_progress[1],
            )
        )
    focus, passed = focus_milestone(milestones)
    findings += feature_first_findings(milestones, focus, passed)
    if focus is None and any(m.status != "done" for m in milestones):
        findings.append(
            finding(
                "seed-2-one-focus",
                shape="none",
                fix="Resolve the dependency findings above.",
                severity="error",
            )
        )
    elif focus is None:
        findings.append(finding("plan-complete", "Every milestone is done; nothing to fan out."))
    return focus, findings


def feature_first_findings(
    milestones: Sequence[Milestone], focus: str | None, passed: Sequence[str]
) -> list[Finding]:
    """Seed rule 7 on the milestones: each verification-only milestone passed over for
    the focus, naming its tasks and the feature work that holds them; and each one that
    feature work waits on by a declared dependency, which keeps its place."""
    work = FeatureWork.of(milestones)
    passed_over = set(passed)
    findings: list[Finding] = []
    for m in milestones:
        if m.status == "done" or not verification_only(m):
            continue
        tasks = shown([t.id for t in m.tasks if t.status != "done"])
        name = f"Milestone {m.id} ('{one_line(m.title, 60)}')"
        if m.id in passed_over:
            findings.append(
                finding(
                    "seed-7-feature-first",
                    f"{name} holds only verification work ({tasks}) while feature work is "
                    f"open ({shown(work.holding(m.id))}): its tasks are deferred and the "
                    f"focus is {focus}, until that feature work is done (seed rule 7).",
                    milestone=m.id,
                )
            )
        waiting = work.waiting_on(m.id)
        if waiting:
            features = shown(t for w in waiting for t in work.features[w])
            findings.append(
                finding(
                    "seed-7-feature-first",
                    f"{name} holds only verification work ({tasks}), and "
                    f"{', '.join(waiting)} depends on it with feature work open ({features}): "
                    "that order is the author's and is kept, so this verification comes "
                    "before that feature work. Seed rule 7 puts feature work first; drop "
                    "the dependency to let it go first.",
                    milestone=m.id,
                )
            )
    return findings
