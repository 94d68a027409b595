"""The one focused milestone (seed rule 2): the first not done whose dependencies are
all done."""

from __future__ import annotations

from collections.abc import Sequence

from planner.core.findings import finding
from planner.model import Finding, Milestone


def first_ready(milestones: Sequence[Milestone]) -> str | None:
    """The id of the first milestone not done whose dependencies are all done."""
    status = {m.id: m.status for m in milestones}
    return next(
        (
            m.id
            for m in milestones
            if m.status != "done" and all(status.get(d) == "done" for d in m.dependencies)
        ),
        None,
    )


def choose_focus(milestones: Sequence[Milestone]) -> tuple[str | None, list[Finding]]:
    """The focus, in dependency order; several milestones in progress, or none ready
    while some are not done, are findings."""
    findings: list[Finding] = []
    in_progress = [m.id for m in milestones if m.status == "in_progress"]
    if len(in_progress) > 1:
        findings.append(
            finding(
                "seed-2-one-focus",
                f"Milestones {', '.join(in_progress)} are all in progress; keep one "
                f"focused milestone at a time (seed rule 2). The focus is "
                f"{in_progress[0]} if it is ready.",
                milestone=in_progress[1],
            )
        )
    focus = first_ready(milestones)
    if focus is None and any(m.status != "done" for m in milestones):
        findings.append(
            finding(
                "seed-2-one-focus",
                "No milestone can be focused: every milestone not done waits on another. "
                "Resolve the dependency findings above.",
                severity="error",
            )
        )
    elif focus is None:
        findings.append(finding("plan-complete", "Every milestone is done; nothing to fan out."))
    return focus, findings
