"""The rules a contract is held to beyond its schema, each a small check over the
contract: ``validate`` runs them on files someone else wrote (an LLM agent, a person),
plan mode on its own output, so the two cannot drift. Also what ``validate`` holds a
fanout to beside its contract.

Every finding carries the RFC 6901 JSON Pointer of what is wrong and the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from planner.core import rules
from planner.core.boundaries import Protected, is_unbounded, lookalike, protected_globs
from planner.core.findings import finding
from planner.core.focus import focus_milestone
from planner.core.graph import find_cycles, topological_order
from planner.core.paths import PathError, glob_contains, normalize_glob
from planner.core.patterns import LazyPattern
from planner.core.text import one_line
from planner.model import RISK_ORDER, Config, Contract, Fanout, Finding, Severity, Task

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


@dataclass(frozen=True)
class Where:
    """The contract's file, and the config it is held to."""

    name: str
    config: Config


ContractCheck = Callable[[Contract, Where], Iterable[Finding]]


def _issue_number(contract: Contract, where: Where) -> Iterator[Finding]:
    """The contract is filed under its own issue's number."""
    match = _CONTRACT_FILE.search(where.name)
    if match and int(match.group(1)) != contract.issue.number:
        yield finding(
            "contract-issue-mismatch",
            fix="Rename the file or fix issue.number.",
            number=contract.issue.number,
            file=where.name,
            pointer="/issue/number",
        )


def _scopes(contract: Contract, where: Where) -> Iterator[Finding]:
    """No task allows more changed lines than its milestone."""
    scopes = {m.id: m.max_diff_scope for m in contract.roadmap.milestones}
    for mid, at, t in _tasks(contract):
        if t.diff_boundary.max_diff_scope > scopes[mid]:
            yield finding(
                "diff-scope-exceeds-milestone",
                fix="Lower the task's max_diff_scope or raise the milestone's.",
                severity="error",
                tasks=f"task {t.id} ({t.diff_boundary.max_diff_scope})",
                scope=scopes[mid],
                milestone=mid,
                task=t.id,
                file=where.name,
                pointer=f"{at}/diff_boundary/max_diff_scope",
            )


def _paths(contract: Contract, where: Where) -> Iterator[Finding]:
    """An open task's paths are inside the repository, bounded, plain and not protected."""
    protected = Protected(protected_globs(where.config))
    for mid, at, t in _tasks(contract):
        if t.status == "done":
            continue
        for k, raw in enumerate(t.diff_boundary.paths):
            # Protected paths in a contract are a warning: the task is held back when it
            # is ready, a fanout that hands it out is refused, and the gate holds the pull
            # request to protected_paths whatever its boundary says.
            for f in path_findings(t, mid, raw, protected, "warning"):
                yield at_pointer(f, f"{at}/diff_boundary/paths/{k}", where.name)


def _duplicate_ids(contract: Contract, where: Where) -> Iterator[Finding]:
    """Every milestone, task and decision has its own id."""
    seen: dict[str, str] = {}
    places = [
        *(
            ("Milestone", m.id, f"/roadmap/milestones/{i}/id")
            for i, m in enumerate(contract.roadmap.milestones)
        ),
        *(("Task", t.id, f"{at}/id") for _, at, t in _tasks(contract)),
        *(("Decision", d.id, f"/decisions/{i}/id") for i, d in enumerate(contract.decisions)),
    ]
    for what, ident, pointer in places:
        first = seen.setdefault(ident.upper(), pointer)
        if first != pointer:
            yield finding(
                "graph-duplicate-id",
                fix=f"(first at {first}) Every milestone, task and decision needs its own id.",
                what=what,
                id=one_line(ident, 40),
                file=where.name,
                pointer=pointer,
            )


def _milestone_graph(contract: Contract, where: Where) -> Iterator[Finding]:
    """Milestone dependencies name milestones, and form no cycle."""
    milestones = contract.roadmap.milestones
    ids = [m.id for m in milestones]
    known = set(ids)
    for i, m in enumerate(milestones):
        for k, dep in enumerate(m.dependencies):
            if dep not in known:
                yield finding(
                    "graph-unknown-dependency",
                    fix="Name a milestone of this contract, or drop the dependency.",
                    who=f"Milestone {m.id}",
                    relation="depends on",
                    name=one_line(dep, 60),
                    kind="milestone",
                    milestone=m.id,
                    file=where.name,
                    pointer=f"/roadmap/milestones/{i}/dependencies/{k}",
                )
    for cycle in find_cycles(ids, {m.id: m.dependencies for m in milestones}):
        yield finding(
            "graph-cycle",
            fix="Remove one of these dependencies; none of them can be focused until then.",
            what="Milestones",
            path=" → ".join(reversed(cycle)),
            milestone=cycle[0],
            file=where.name,
            pointer=f"/roadmap/milestones/{ids.index(cycle[0])}/dependencies",
        )


def _task_graph(contract: Contract, where: Where) -> Iterator[Finding]:
    """Task dependencies name tasks of the contract, and form no cycle (no order could
    satisfy one, so none of its tasks would ever be ready)."""
    at: dict[str, str] = {}  # task id -> JSON Pointer of its depends_on
    edges: dict[str, list[str]] = {}
    for _, pointer, t in _tasks(contract):
        at.setdefault(t.id, f"{pointer}/depends_on")
        edges.setdefault(t.id, t.depends_on)
    for mid, pointer, t in _tasks(contract):
        for k, dep in enumerate(t.depends_on):
            if dep not in edges:
                yield finding(
                    "graph-unknown-dependency",
                    fix="Name a task of this contract, or drop the dependency.",
                    who=f"Task {t.id}",
                    relation="depends on",
                    name=one_line(dep, 60),
                    kind="task",
                    milestone=mid,
                    task=t.id,
                    file=where.name,
                    pointer=f"{pointer}/depends_on/{k}",
                )
    for cycle in find_cycles(list(edges), edges):
        yield finding(
            "graph-cycle",
            fix="Remove one of these dependencies.",
            what="Tasks",
            path=" → ".join(reversed(cycle)),
            task=cycle[0],
            file=where.name,
            pointer=at[cycle[0]],
        )


def _waits_on_later(contract: Contract, where: Where) -> Iterator[Finding]:
    """No open task waits on an open task of a later milestone: one milestone is the focus
    at a time, in the plan's order, so such a task is never ready while its own is the
    focus, and its milestone is never done. A warning, not an error: the rest of the plan
    stands, and the dependency may be a misreading of the request."""
    milestones = contract.roadmap.milestones
    # The order the focus follows: the written one, each milestone after its dependencies.
    order = topological_order(
        [m.id for m in milestones], {m.id: m.dependencies for m in milestones}
    )
    place = {mid: i for i, mid in enumerate(order)}
    home = {t.id: (mid, t.status) for mid, _, t in _tasks(contract)}
    for mid, at, t in _tasks(contract):
        if t.status == "done" or t.kind == "verification":
            continue  # verification waits for feature work anyway (seed rule 7)
        for k, dep in enumerate(t.depends_on):
            there, status = home.get(dep, (mid, "done"))
            if status != "done" and place[there] > place[mid]:
                yield finding(
                    "graph-waits-on-later",
                    f"Task {t.id} waits on {dep}, a task of milestone {there}, which comes "
                    f"after {mid}: one milestone is the focus at a time, so {t.id} is never "
                    f"ready while {mid} is. Move one of the two tasks, or drop the "
                    "dependency.",
                    milestone=mid,
                    task=t.id,
                    file=where.name,
                    pointer=f"{at}/depends_on/{k}",
                )


def _decision_blocks(contract: Contract, where: Where) -> Iterator[Finding]:
    """A decision blocks milestones the contract has."""
    known = {m.id for m in contract.roadmap.milestones}
    for i, d in enumerate(contract.decisions):
        for k, blocked in enumerate(d.blocks):
            if blocked not in known:
                yield finding(
                    "graph-unknown-dependency",
                    fix="Name a milestone of this contract, or drop it from blocks.",
                    who=f"Decision {d.id}",
                    relation="blocks",
                    name=one_line(blocked, 60),
                    kind="milestone",
                    file=where.name,
                    pointer=f"/decisions/{i}/blocks/{k}",
                )


def _focus(contract: Contract, where: Where) -> Iterator[Finding]:
    """Seed rule 2: the focus is the milestone plan mode would choose, and one milestone
    at a time is in progress."""
    milestones = contract.roadmap.milestones
    expected, _ = focus_milestone(milestones)
    if contract.roadmap.focus != expected:
        yield finding(
            "seed-2-one-focus",
            shape="not-chosen",
            given=repr(contract.roadmap.focus),
            expected=repr(expected),
            severity="error",
            file=where.name,
            pointer="/roadmap/focus",
        )
    in_progress = [i for i, m in enumerate(milestones) if m.status == "in_progress"]
    if len(in_progress) > 1:
        yield finding(
            "seed-2-one-focus",
            shape="several",
            ids=", ".join(milestones[i].id for i in in_progress),
            milestone=milestones[in_progress[1]].id,
            file=where.name,
            pointer=f"/roadmap/milestones/{in_progress[1]}/status",
        )


def _objectives(contract: Contract, where: Where) -> Iterator[Finding]:
    """Seed rule 8: a developer task states a concrete change."""
    for mid, at, t in _tasks(contract):
        for f in rules.check_objective(t, mid, where.config.vocabulary):
            yield at_pointer(f, f"{at}/objective", where.name)


def _bounded(contract: Contract, where: Where) -> Iterator[Finding]:
    """Seed rule 6: open work (other than a person's operations) has paths."""
    for mid, at, t in _tasks(contract):
        if not t.diff_boundary.paths and t.status != "done" and t.kind != "ops":
            yield finding(
                "seed-6-task-contract",
                f"Task {t.id} has an empty diff_boundary.paths.",
                milestone=mid,
                task=t.id,
                file=where.name,
                pointer=f"{at}/diff_boundary/paths",
            )


CONTRACT_CHECKS: tuple[tuple[tuple[str, ...], ContractCheck], ...] = (
    (("graph-unknown-dependency", "graph-cycle"), _milestone_graph),
    (("graph-unknown-dependency", "graph-cycle"), _task_graph),
    (("graph-waits-on-later",), _waits_on_later),
    (("contract-issue-mismatch",), _issue_number),
    (("graph-duplicate-id",), _duplicate_ids),
    (("diff-scope-exceeds-milestone",), _scopes),
    (
        ("path-outside-repo", "boundary-unbounded", "boundary-lookalike", "boundary-protected"),
        _paths,
    ),
    (("seed-2-one-focus",), _focus),
    (("seed-8-concrete-objective",), _objectives),
    (("seed-6-task-contract",), _bounded),
    (("graph-unknown-dependency",), _decision_blocks),
)
"""Each contract-level rule with the check that reports it: ``validate`` and plan mode
run the same ones."""


def contract_findings(contract: Contract, name: str, config: Config) -> list[Finding]:
    """What every contract-level check finds in ``contract``, filed as ``name``."""
    where = Where(name, config)
    return [f for _, check in CONTRACT_CHECKS for f in check(contract, where)]


def path_findings(
    task: Task, mid: str, raw: str, protected: Protected, touches: Severity = "error"
) -> list[Finding]:
    """What is wrong with one path a task is given (a contract's or a fanout's): outside
    the repository, unbounded, written with look-alike characters, or protected (of
    severity ``touches``)."""
    try:
        glob = normalize_glob(raw)
    except PathError as exc:
        return [
            finding(
                "path-outside-repo",
                fix="Name a path inside the repository.",
                problem=exc,
                milestone=mid,
                task=task.id,
            )
        ]
    if is_unbounded(glob):
        return [
            finding(
                "boundary-unbounded",
                fix="An agent must never receive an unbounded task; name the folders it needs.",
                paths=repr(one_line(raw, 40)),
                milestone=mid,
                task=task.id,
            )
        ]
    odd = lookalike(glob)
    if odd:
        return [
            finding(
                "boundary-lookalike",
                fix="Write it in plain characters.",
                path=repr(one_line(raw, 40)),
                why=odd,
                milestone=mid,
                task=task.id,
            )
        ]
    touched = protected.touched(glob)
    if touched:
        return [
            finding(
                "boundary-protected",
                fix="Narrow it, or allow it with protected_paths in .github/planner.yml.",
                paths=repr(one_line(raw, 40)),
                touched=", ".join(touched[:3]),
                severity=touches,
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
            finding(
                "decision-blocks",
                fix="Yet the fanout hands out its tasks.",
                decisions=", ".join(blockers),
                severity="error",
                milestone=fanout.milestone,
                file=name,
                pointer="/tasks",
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
