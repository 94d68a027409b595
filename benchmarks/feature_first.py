"""How the focus pass and the fanout's deferral (seed rule 7 over the whole plan) scale.

Run: .venv/bin/python benchmarks/feature_first.py

The worst shape for them: N milestones that each hold only verification work, all
ready, before one milestone with N open feature tasks, so every verification milestone
is passed over (and reported) for the focus. A second shape chains the verification
milestones, each declared as a dependency of the next and of the feature milestone.
Best CPU time of 5 for `choose_focus`, and for `fan_out` after it (which also assigns
the feature milestone's N tasks to waves); "growth" is the time per milestone over the
same at the smallest size (1.00 is linear).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.core.fanout import fan_out  # noqa: E402
from planner.core.focus import choose_focus  # noqa: E402
from planner.model import (  # noqa: E402
    Contract,
    ContractDefaults,
    DiffBoundary,
    IssueRef,
    Milestone,
    Roadmap,
    Task,
)

SIZES = (250, 500, 1000, 2000, 4000)


def task(tid: str, kind: str) -> Task:
    return Task(
        id=tid,
        title=tid,
        role="qa" if kind == "verification" else "developer",
        kind=kind,
        objective=f"{'Verify' if kind == 'verification' else 'Implement'} {tid} in src/{tid}.py",
        risk_class="medium",
        diff_boundary=DiffBoundary(paths=[f"src/{tid}.py"], max_diff_scope=100),
        invariants=["x"],
        acceptance=["y"],
        depends_on=[],
    )


def milestone(mid: str, tasks: list[Task], dependencies: list[str]) -> Milestone:
    return Milestone(
        id=mid,
        title=mid,
        outcome="o",
        dependencies=dependencies,
        acceptance=["a"],
        validation=["v"],
        risks=[],
        risk_class="medium",
        max_diff_scope=400,
        tasks=tasks,
    )


def independent(n: int) -> list[Milestone]:
    evidence = [milestone(f"M{i}", [task(f"M{i}-T1", "verification")], []) for i in range(1, n + 1)]
    features = [task(f"M{n + 1}-T{j}", "feature") for j in range(1, n + 1)]
    return [*evidence, milestone(f"M{n + 1}", features, [])]


def declared(n: int) -> list[Milestone]:
    evidence = [
        milestone(f"M{i}", [task(f"M{i}-T1", "verification")], [f"M{i - 1}"] if i > 1 else [])
        for i in range(1, n + 1)
    ]
    features = [task(f"M{n + 1}-T{j}", "feature") for j in range(1, n + 1)]
    return [*evidence, milestone(f"M{n + 1}", features, [f"M{n}"])]


def seconds(milestones: list[Milestone]) -> tuple[float, float]:
    """Best CPU time of the focus pass, and of the fanout after it."""
    best_focus = best_fanout = float("inf")
    for _ in range(5):
        start = time.process_time()
        focus, _ = choose_focus(milestones)
        best_focus = min(best_focus, time.process_time() - start)
        contract = Contract(
            issue=IssueRef(number=1, title="t", url=None),
            roadmap=Roadmap(
                version=1,
                objective="o",
                focus=focus,
                milestones=milestones,
                assumptions=[],
                unknowns=[],
            ),
            contract_defaults=ContractDefaults(
                risk_class="medium",
                max_diff_scope=400,
                acceptance_tests=["t"],
                invariants=["i"],
                evidence_required=["e"],
            ),
            decisions=[],
        )
        start = time.process_time()
        fan_out(contract)
        best_fanout = min(best_fanout, time.process_time() - start)
    return best_focus, best_fanout


def main() -> None:
    shapes: dict[str, Callable[[int], list[Milestone]]] = {
        "verification milestones passed over": independent,
        "verification milestones declared first": declared,
    }
    print(f"{'shape':<40}{'milestones':>11}{'focus ms':>10}{'growth':>8}", end="")
    print(f"{'fanout ms':>11}{'growth':>8}")
    for name, make in shapes.items():
        first: tuple[float, float] | None = None
        for n in SIZES:
            focus, fanout = seconds(make(n))
            first = first or (focus / n, fanout / n)
            print(
                f"{name:<40}{n:>11}{focus * 1000:>10.1f}{focus / n / first[0]:>8.2f}"
                f"{fanout * 1000:>11.1f}{fanout / n / first[1]:>8.2f}"
            )


if __name__ == "__main__":
    main()
