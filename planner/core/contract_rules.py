"""What ``validate`` holds a contract and its fanout to beyond their schemas, when someone
else wrote them (an LLM agent, a person): the limits plan mode puts on its own output.

Every finding carries the RFC 6901 JSON Pointer of what is wrong and the file.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.core.boundaries import Protected, is_unbounded, lookalike, protected_globs
from planner.core.findings import finding
from planner.core.paths import PathError, glob_contains, normalize_glob
from planner.core.patterns import LazyPattern
from planner.core.text import one_line
from planner.model import RISK_ORDER, Config, Contract, Fanout, Finding, Task

_CONTRACT_FILE = LazyPattern(r"planning-output-(\d{1,12})\.json$")


def at_pointer(f: Finding, pointer: str, name: str) -> Finding:
    """The finding located at ``pointer`` in the file ``name``."""
    return f.model_copy(
        update={"location": f.location.model_copy(update={"pointer": pointer, "file": name})}
    )


def _tasks(contract: Contract) -> Iterator[tuple[str, str, Task]]:
    for i, m in enumerate(contract.roadmap.milestones):
        for j, t in enumerate(m.tasks):
            yield m.id, f"/roadmap/milestones/{i}/tasks/{j}", t


def check_contract(contract: Contract, name: str, config: Config) -> list[Finding]:
    """A contract's own issue, unique ids, bounded and safe paths, and task scopes within
    their milestone's."""
    findings: list[Finding] = []
    match = _CONTRACT_FILE.search(name)
    if match and int(match.group(1)) != contract.issue.number:
        findings.append(
            at_pointer(
                finding(
                    "contract-issue-mismatch",
                    f"{name} holds the contract of issue #{contract.issue.number}; a contract "
                    f"belongs in planning-output-{contract.issue.number}.json. Rename the file "
                    "or fix issue.number.",
                ),
                "/issue/number",
                name,
            )
        )
    findings += _duplicate_ids(contract, name)
    protected = Protected(protected_globs(config))
    scopes = {m.id: m.max_diff_scope for m in contract.roadmap.milestones}
    for mid, where, t in _tasks(contract):
        if t.diff_boundary.max_diff_scope > scopes[mid]:
            findings.append(
                at_pointer(
                    finding(
                        "diff-scope-exceeds-milestone",
                        f"Task {t.id} allows {t.diff_boundary.max_diff_scope} changed lines, "
                        f"more than its milestone {mid} ({scopes[mid]}).",
                        severity="error",
                        milestone=mid,
                        task=t.id,
                    ),
                    f"{where}/diff_boundary/max_diff_scope",
                    name,
                )
            )
        if t.status == "done":
            continue
        for k, raw in enumerate(t.diff_boundary.paths):
            findings += [
                at_pointer(f, f"{where}/diff_boundary/paths/{k}", name)
                for f in path_findings(t, mid, raw, protected)
            ]
    return findings


def _duplicate_ids(contract: Contract, name: str) -> list[Finding]:
    findings: list[Finding] = []
    seen: dict[str, str] = {}
    places = [
        *((m.id, f"/roadmap/milestones/{i}/id") for i, m in enumerate(contract.roadmap.milestones)),
        *((t.id, f"{where}/id") for _, where, t in _tasks(contract)),
        *((d.id, f"/decisions/{i}/id") for i, d in enumerate(contract.decisions)),
    ]
    for ident, pointer in places:
        first = seen.setdefault(ident.upper(), pointer)
        if first != pointer:
            findings.append(
                at_pointer(
                    finding(
                        "graph-duplicate-id",
                        f"Id '{one_line(ident, 40)}' is used again (first at {first}); every "
                        "milestone, task and decision needs its own id.",
                    ),
                    pointer,
                    name,
                )
            )
    return findings


def path_findings(task: Task, mid: str, raw: str, protected: Protected) -> list[Finding]:
    """What is wrong with one path a task is given (a contract's or a fanout's): outside
    the repository, unbounded, written with look-alike characters, or protected."""
    try:
        glob = normalize_glob(raw)
    except PathError as exc:
        return [
            finding(
                "path-outside-repo",
                f"Task {task.id}: path {exc}. Name a path inside the repository.",
                milestone=mid,
                task=task.id,
            )
        ]
    if is_unbounded(glob):
        return [
            finding(
                "boundary-unbounded",
                f"Task {task.id} may change every file ('{one_line(raw, 40)}'); an agent must "
                "never receive an unbounded task. Name the folders it needs.",
                milestone=mid,
                task=task.id,
            )
        ]
    odd = lookalike(glob)
    if odd:
        return [
            finding(
                "boundary-lookalike",
                f"Task {task.id}: path '{one_line(raw, 40)}' {odd}. Write it in plain characters.",
                milestone=mid,
                task=task.id,
            )
        ]
    touched = protected.touched(glob)
    if touched:
        return [
            finding(
                "boundary-protected",
                f"Task {task.id}: path '{one_line(raw, 40)}' touches protected "
                f"{', '.join(touched[:3])}. Narrow it, or allow it with protected_paths in "
                ".github/planner.yml.",
                severity="error",
                milestone=mid,
                task=task.id,
            )
        ]
    return []


def check_fanout(contract: Contract, fanout: Fanout, name: str) -> list[Finding]:
    """A fanout belongs to its contract (same issue and version), hands out no task
    wider than the contract's and none that an open decision blocks."""
    findings: list[Finding] = []
    for pointer, got, want in (
        ("/issue/number", fanout.issue.number, contract.issue.number),
        ("/version", fanout.version, contract.roadmap.version),
    ):
        if got != want:
            findings.append(
                at_pointer(
                    finding(
                        "fanout-contract-mismatch",
                        f"The fanout's {pointer[1:].replace('/', '.')} is {got} but its "
                        f"contract's is {want}: it belongs to another plan. Plan again.",
                    ),
                    pointer,
                    name,
                )
            )
    blockers = [d.id for d in contract.decisions if fanout.milestone in d.blocks]
    if blockers and fanout.tasks:
        findings.append(
            at_pointer(
                finding(
                    "decision-blocks",
                    f"Milestone {fanout.milestone} waits on open decision "
                    f"{', '.join(blockers)}, yet the fanout hands out its tasks.",
                    severity="error",
                    milestone=fanout.milestone,
                ),
                "/tasks",
                name,
            )
        )
    planned = {t.id: t for _, _, t in _tasks(contract)}
    for i, t in enumerate(fanout.tasks):
        own = planned.get(t.id)
        if own is not None:
            findings += [at_pointer(f, f"/tasks/{i}{tail}", name) for f, tail in _wider(t, own)]
    return findings


def _wider(given: Task, own: Task) -> list[tuple[Finding, str]]:
    """How a fanout task gives an agent more room than the contract's task does."""
    out: list[tuple[Finding, str]] = []

    def wider(what: str, tail: str) -> None:
        out.append(
            (
                finding(
                    "fanout-wider-than-contract",
                    f"Fanout task {given.id} {what} than the contract allows; a fanout may "
                    "only narrow a task.",
                    task=given.id,
                ),
                tail,
            )
        )

    for k, path in enumerate(given.diff_boundary.paths):
        # Contained, not merely overlapping: `**` overlaps `src/a.py` and holds far more.
        if not any(glob_contains(g, path) for g in own.diff_boundary.paths):
            wider(f"may change '{one_line(path, 40)}', more", f"/diff_boundary/paths/{k}")
    if given.diff_boundary.max_diff_scope > own.diff_boundary.max_diff_scope:
        wider("allows more changed lines", "/diff_boundary/max_diff_scope")
    if RISK_ORDER.index(given.risk_class) < RISK_ORDER.index(own.risk_class):
        wider("claims a lower risk class", "/risk_class")
    if not set(own.invariants) <= set(given.invariants):
        wider("drops invariants, so holds it to less", "/invariants")
    return out
