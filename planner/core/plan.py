"""``plan(request, config) -> PlanResult``: the one entry point the shell calls.

A plan is a list of passes, each a pure function of what the ones before it made
(and the config) that returns its value and its findings; ``build_plan`` runs them
in order. The shell may fold the decision issues it raised into the plan
(``link_decision_issues``) before ``render_result`` renders it, once.
"""

from __future__ import annotations

from typing import Any, TypeVar

from planner.core import identity, rules
from planner.core.boundaries import holds_code, protected_globs
from planner.core.contract_rules import contract_findings
from planner.core.decisions import Decisions, build_decisions, link_issues, repository_url
from planner.core.dependencies import (
    in_dependency_order,
    resolve_dependencies,
    roll_up,
    wait_on_parts,
)
from planner.core.evidence import TaskContext
from planner.core.fanout import FannedOut, fan_out
from planner.core.focus import choose_focus
from planner.core.ids import milestone_ids
from planner.core.milestones import (
    Milestones,
    Placed,
    build_milestones,
    contract_defaults,
    place_loose_tasks,
)
from planner.core.progress import earlier_progress
from planner.core.read import read_request
from planner.core.read.draft import Draft, DraftTask
from planner.core.repo import RepoIndex
from planner.core.result import (
    Plan,
    PlanResult,
    contract_file,
    fanout_file,
    file_names,
    render_result,
)
from planner.core.text import one_line
from planner.core.tracked import fill_tracked
from planner.model import (
    Config,
    Contract,
    Fanout,
    Finding,
    IssueRef,
    Milestone,
    PlanRequest,
    RemovedTask,
    Roadmap,
    Task,
)
from planner.schemas import schema_findings

__all__ = [
    "Plan",
    "PlanResult",
    "build_plan",
    "contract_file",
    "fanout_file",
    "file_names",
    "link_decision_issues",
    "plan",
    "render_result",
]

T = TypeVar("T")


def build_plan(request: PlanRequest, config: Config, repository: RepoIndex | None = None) -> Plan:
    """Read the request, apply the seed's rules, build the contract and the fanout.
    ``repository``: the checkout's index, from which tasks that state no boundary get
    one proposed (§13). Never raises on a bad request; problems are findings."""
    issue = request.issue
    draft = read_request(
        issue.title,
        issue.body,
        request.draft,
        request.draft_name,
        sections=config.vocabulary.sections,
    )
    tracking = fill_tracked(draft, request.tracked, request.repository_url)
    findings: list[Finding] = list(draft.findings)

    def run(step: tuple[T, list[Finding]]) -> T:
        value, found = step
        findings.extend(found)
        return value

    defaults = contract_defaults(draft, config)
    progress = run(earlier_progress(request, config.paths.plan_file))
    placed = run(
        place_loose_tasks(
            draft,
            one_line(issue.title, 200) or f"Issue #{issue.number}",
            rules.implementation_verbs(config.vocabulary),
        )
    )
    memory = run(recall(request))
    matched = run(identity.match(placed.milestones, memory))
    placed = placed._replace(milestones=matched.milestones)
    ids = run(milestone_ids(placed.milestones, matched.used))
    built = run(
        build_milestones(
            placed.milestones,
            ids,
            draft,
            defaults,
            progress,
            config,
            matched.kept,
            matched.used,
        )
    )
    milestones = run(resolve_dependencies(built.milestones, placed.milestones))
    drafted = _drafted_tasks(built, placed)
    milestones, rolled = roll_up(milestones, _parents(drafted))
    milestones = wait_on_parts(milestones, _parents(drafted))
    milestones = in_dependency_order(milestones)
    milestones = _ground(milestones, drafted, request, config, repository)
    focus = run(choose_focus(milestones))
    decided = run(_decisions(draft, milestones, request))
    findings += rules.check_request(draft, milestones, config.vocabulary)

    roadmap = _roadmap(
        request,
        draft,
        focus,
        milestones,
        [*placed.assumptions, *built.assumptions, *tracking, *rolled, *decided.assumptions],
        removed_tasks(memory, matched.removed, milestones),
        memory,
    )
    contract = Contract(
        issue=IssueRef(number=issue.number, title=issue.title, url=issue.url),
        roadmap=roadmap,
        contract_defaults=defaults,
        decisions=decided.decisions,
    )
    fanned = run(fan_out(contract, protected_globs(config), config.vocabulary))
    findings += _unsaid(contract, config, findings)

    failed = _schema_errors(contract, fanned.fanout)
    made = _plan(
        contract, fanned, findings + failed, decided, _drafted_tasks(built, placed), memory
    )
    return made if not failed else Plan(None, None, fanned.waves, made.findings, {}, {})


def _plan(
    contract: Contract,
    fanned: FannedOut,
    findings: list[Finding],
    decided: Decisions,
    drafted: list[tuple[Task, DraftTask, str]],
    memory: identity.Memory | None,
) -> Plan:
    """The plan made."""
    return Plan(
        contract=contract,
        fanout=fanned.fanout,
        waves=fanned.waves,
        findings=findings,
        request_issues=decided.given_issues,
        named_issues=decided.named,
        task_lines={t.id: d.line for t, d, _ in drafted if d.line is not None},
        memory=memory,
    )


def _decisions(
    draft: Draft, milestones: list[Milestone], request: PlanRequest
) -> tuple[Decisions, list[Finding]]:
    issue = request.issue
    return build_decisions(
        draft.decisions,
        milestones,
        request.decision_issues,
        request.previous_contract,
        request.repository_url or repository_url(issue.url),
        issue.number,
    )


def _roadmap(
    request: PlanRequest,
    draft: Draft,
    focus: str | None,
    milestones: list[Milestone],
    made_assumptions: list[str],
    removed: list[RemovedTask],
    memory: identity.Memory | None,
) -> Roadmap:
    """The roadmap of the milestones made, versioned against the previous plan: the
    request's assumptions first, the decisions it records as taken, then those the
    planner made (each once)."""
    issue = request.issue
    roadmap = Roadmap(
        version=1,
        objective=one_line(draft.objective or "", 2000)
        or one_line(issue.title, 2000)
        or f"Issue #{issue.number}",
        focus=focus,
        milestones=milestones,
        assumptions=[
            *draft.assumptions,
            # A ticked question says it was answered, not what: no assumption.
            *(f"Decided: {d}" for d in draft.resolved_decisions if "?" not in d),
            *dict.fromkeys(made_assumptions),
        ],
        unknowns=list(draft.unknowns),
        out_of_scope=list(draft.out_of_scope),
        removed=removed,
    )
    version = roadmap_version(roadmap, request.previous_contract, memory)
    return roadmap.model_copy(update={"version": version})


def _drafted_tasks(built: Milestones, placed: Placed) -> list[tuple[Task, DraftTask, str]]:
    """Each task made, with the draft task it was made from and its milestone's title."""
    return [
        (task, drafted, d.title)
        for made, d in zip(built.milestones, placed.milestones, strict=True)
        for task, drafted in zip(made.tasks, d.tasks, strict=True)
    ]


def _ground(
    milestones: list[Milestone],
    drafted: list[tuple[Task, DraftTask, str]],
    request: PlanRequest,
    config: Config,
    repository: RepoIndex | None,
) -> list[Milestone]:
    """Boundaries proposed from the repository for tasks that state none (§13)."""
    if not config.fanout.propose_boundaries or not holds_code(repository, protected_globs(config)):
        return milestones
    from planner.core.locate import ground  # only a plan in a repository loads it

    assert repository is not None
    issue = request.issue
    contexts = {
        task.id: TaskContext(title, d.parent, tuple(d.details)) for task, d, title in drafted
    }
    return ground(
        milestones, contexts, repository, protected_globs(config), f"{issue.title}\n{issue.body}"
    )


def _parents(drafted: list[tuple[Task, DraftTask, str]]) -> dict[str, str]:
    """Each sub-task's id, to its parent's: the task of its milestone written just
    above it under the title it names."""
    last: dict[tuple[str, str], str] = {}
    parents: dict[str, str] = {}
    for task, d, milestone in drafted:
        parent = last.get((milestone, d.parent)) if d.parent is not None else None
        if parent is not None:
            parents[task.id] = parent
        last[(milestone, d.title)] = task.id
    return parents


def _unsaid(contract: Contract, config: Config, said: list[Finding]) -> list[Finding]:
    """The errors ``validate`` would find in the contract that the plan has not said
    already, by the same checks, so a plan that passes never fails validate unwarned. The
    request's own findings (with its lines) speak for a rule where they are of the same
    severity and name the same milestone or task, or none. (Warnings are the plan's own
    graded view: an open task without a boundary is held back as needs-boundary when it
    is the focus's; a warning only the contract checks find is said too.)"""

    def spoken(f: Finding) -> bool:
        return any(
            g.rule == f.rule
            and g.severity == f.severity  # a warning does not speak for an error
            and g.location.milestone in (None, f.location.milestone)
            and g.location.task in (None, f.location.task)
            for g in said
        )

    name = contract_file(config.paths.output_dir, contract.issue.number)
    found = contract_findings(contract, name, config)
    return [
        f
        for f in found
        if (f.severity == "error" or f.rule in _ONLY_CONTRACT_WARNS) and not spoken(f)
    ]


# Warnings no step of the plan says before its contract is checked.
_ONLY_CONTRACT_WARNS = frozenset({"graph-waits-on-later"})


def _schema_errors(contract: Contract, fanout: Fanout | None) -> list[Finding]:
    """The plan's own output checked by the committed schemas, as anyone's is."""
    found = schema_findings("contract", contract.model_dump(mode="json"))
    if fanout is not None:
        found += schema_findings("fanout", fanout.model_dump(mode="json"))
    return found


def recall(request: PlanRequest) -> tuple[identity.Memory | None, list[Finding]]:
    """The previous plan's ids: the memory in the planner's summary comment, else the
    contract committed with the plan, else none (a first plan)."""
    if request.memory is not None:
        memory, findings = identity.decode(request.memory)
        if memory is not None or findings:
            return memory, findings
    return identity.from_contract(request.previous_contract), []


def removed_tasks(
    memory: identity.Memory | None,
    earlier: list[identity.Remembered],
    milestones: list[Milestone],
) -> list[RemovedTask]:
    """The previous plan's tasks the request no longer holds, and those removed before."""
    if memory is None:
        return []
    now = {t.id for m in milestones for t in m.tasks}
    gone = [r for r in memory.tasks if r.id not in now]
    kept = {r.id: r for r in [*earlier, *gone] if r.id not in now}
    return [
        RemovedTask(id=r.id, milestone=r.milestone, title=r.title or r.id) for r in kept.values()
    ]


def roadmap_version(
    roadmap: Roadmap,
    previous_contract: dict[str, Any] | None,
    memory: identity.Memory | None = None,
) -> int:
    """The previous roadmap's version when nothing but the version changed, else one
    more (1 for a first plan). The previous roadmap is the contract in the workspace, else
    the memory of the summary comment (a workflow that commits nothing)."""
    old = (previous_contract or {}).get("roadmap")
    if not isinstance(old, dict) or not isinstance(old.get("version"), int):
        if memory is None or memory.version < 1 or not memory.roadmap:
            return 1
        same = identity.roadmap_digest(roadmap) == memory.roadmap
        return memory.version if same else memory.version + 1
    new = roadmap.model_dump(mode="json")
    unchanged = {k: v for k, v in new.items() if k != "version"} == {
        k: v for k, v in old.items() if k != "version"
    }
    return int(old["version"]) if unchanged else int(old["version"]) + 1


def link_decision_issues(
    plan: Plan, urls: dict[str, str], answers: dict[str, str] | None = None
) -> Plan:
    """The plan with what the decision issues raised or found for it hold: their URLs
    (a URL the request gave itself is kept) and the answers of those the owner closed."""
    if plan.contract is None or not (urls or answers):
        return plan
    contract = link_issues(plan.contract, urls, answers or {}, plan.request_issues)
    return plan._replace(contract=contract)


def plan(
    request: PlanRequest, config: Config | None = None, repository: RepoIndex | None = None
) -> PlanResult:
    """Plan one issue: the plan and its rendered files (no decision issues linked
    beyond those the request knows)."""
    config = config or Config()
    return render_result(build_plan(request, config, repository), request, config)
