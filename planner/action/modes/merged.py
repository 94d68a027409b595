"""A merged pull request (PRODUCT.md §12, step 4): find its task as check mode does, tick
it in the planning issue and close its sub-issue, then plan again, once; the matrix holds
only the tasks this merge made ready. A pull request that names no task, or one done
already, changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.action import events
from planner.action.modes.plan import (
    plan_issue,
    read_request,
    read_tracked,
    repository,
    tracked_issues,
)
from planner.action.modes.run import Outcome, Run
from planner.action.settings import SettingsError
from planner.core.findings import finding
from planner.core.plan import Plan, build_plan, file_names
from planner.model import Config, Contract, Finding, Issue, PlanRequest, Task

if TYPE_CHECKING:
    from planner.action.github import GitHubPort, NamedIssueInfo

# A planning issue as it reads now: its request, its plan, the issues its lines track.
Planned = tuple[Issue, PlanRequest, Plan, "dict[int, NamedIssueInfo]", list[Finding]]


@dataclass
class AlreadyDone:
    """A merged task found done already: a replay, perhaps of a run that failed after
    ticking the box; what that run left undone is finished (never done twice)."""

    finding: Finding
    number: int
    task: str
    tracked: frozenset[int] = frozenset()


@dataclass
class Finished:
    """The task a merged pull request finished, with its planning issue as it reads now,
    the request read from it (its memory included) and its plan before the merge, and the
    task's full name."""

    issue: Issue
    request: PlanRequest
    before: Plan
    task: Task
    name: str
    read: dict[int, NamedIssueInfo] = field(default_factory=dict)
    unread: list[Finding] = field(default_factory=list)


def merged(run: Run, config: Config) -> Outcome | None:
    from planner.action.merged import close_sub_issue, mark_done
    from planner.core.done import handed_out

    settings = run.settings
    trigger = events.resolve(
        settings.event_name, events.load_event(settings.event_path), "plan", None
    )
    if trigger.skip:
        run.skip(trigger.skip)
        return None
    assert trigger.merged is not None
    port = run.port
    if port is None:
        raise SettingsError(
            "a merged pull request's task is marked done in its planning issue through the "
            "API, which needs the github-token input (default ${{ github.token }}) and "
            "GITHUB_REPOSITORY"
        )
    pull = trigger.merged
    found = finished_task(run, port, pull, config)
    if isinstance(found, AlreadyDone):
        # A replay: the sub-issue a failed run could not close is closed now (an open one
        # with the task's marker only, so a second replay changes nothing).
        left = close_sub_issue(port, found.number, found.task, pull, found.tracked)
        return Outcome.skipped(found.finding, *left.findings)
    if isinstance(found, Finding):
        return Outcome.skipped(found)
    issue, task = found.issue, found.task
    # As for a plan: nothing is changed on GitHub by a run that cannot write its files
    # (the plan after the tick may hand out any open task, so each brief is checked).
    run.workspace.check_all(file_names(found.before, config, any_ready=True))
    line = found.before.task_lines.get(task.id)
    marked = mark_done(port, issue, task.id, line, pull, _tracked(found.before))
    outcome = plan_issue(
        run,
        config,
        issue.model_copy(update={"body": marked.body}),
        done=(task.id,),
        handed=handed_out(found.before.fanout),
        memory=found.request.memory,
        read=found.read,
    )
    made_ready = ", ".join(row["task"] for row in outcome.matrix) or "no task"
    outcome.findings[:0] = [
        finding(
            "done-merged",
            f"Pull request #{pull.number} was merged: task {found.name} is done. Made ready: "
            f"{made_ready}.",
            task=task.id,
        ),
        *marked.findings,
        *found.unread,
    ]
    done = "; ".join(marked.done) or "nothing changed on GitHub"
    outcome.summary = (
        f"**Merged:** #{pull.number} finished task `{task.id}` of #{issue.number} ({done}). "
        f"**Handed out now:** {made_ready}.\n\n" + outcome.summary
    )
    return outcome


def finished_task(
    run: Run, port: GitHubPort, pull: events.MergedPull, config: Config
) -> Finished | AlreadyDone | Finding:
    """The task a merged pull request finished; or the finding that says why nothing is
    marked done (no task named, the issue gone or never planned by the planner, the task
    done already or no longer planned)."""
    from planner.core.gate import name_task, named_issues

    plans: dict[int, Planned] = {}
    contracts = {c.issue.number: c for c in _workspace_contracts(run, config)}
    checked_in = set(contracts)
    for number in named_issues(pull.pull_request):
        _plan_now(run, port, config, number, plans)
        made = plans[number][2].contract if number in plans else None
        if made is not None:
            contracts[number] = made
    named, problems = name_task(list(contracts.values()), pull.pull_request, explicit_only=True)
    if named is not None and named.contract.issue.number not in plans:
        _plan_now(run, port, config, named.contract.issue.number, plans)
        if named.contract.issue.number not in plans:
            gone = f"the planning issue #{named.contract.issue.number} of {named.name} is gone"
            named, problems = None, [finding("done-no-task", gone, severity="warning")]
    if named is None:
        why = "; ".join(f.message for f in problems) or "it names no task of a plan"
        return finding(
            "done-no-task",
            f"Pull request #{pull.number} was merged; nothing was marked done: {why}",
            severity="warning" if problems else "notice",
        )
    issue, request, before, read, unread = plans[named.contract.issue.number]
    if issue.number not in checked_in and not _has_summary(run, port, config, request):
        return finding(
            "done-no-task",
            f"Pull request #{pull.number} was merged for task {named.name}, but #{issue.number} "
            "is not a plan of the planner's: the checkout has no "
            f"{config.paths.output_dir}/planning-output-{issue.number}.json and the issue no "
            "summary comment by the planner. Nothing was marked done or planned; plan the "
            "issue first (label it, or run the planner on it) if it is one.",
        )
    milestones = before.contract.roadmap.milestones if before.contract else []
    task = next((t for m in milestones for t in m.tasks if t.id == named.task.id), None)
    if task is None or task.status == "done":
        state = "is done already" if task else f"is no longer in the plan of #{issue.number}"
        said = finding(
            "done-no-task",
            f"Pull request #{pull.number} was merged for task {named.name}, which {state}; "
            "nothing changes.",
            task=named.task.id,
        )
        return AlreadyDone(said, issue.number, task.id, _tracked(before)) if task else said
    return Finished(issue, request, before, task, named.name, read, unread)


def _plan_now(
    run: Run,
    port: GitHubPort,
    config: Config,
    number: int,
    plans: dict[int, Planned],
) -> None:
    """Plan issue ``number`` as it reads now, into ``plans``; an issue that does not exist
    is left out (the name then matches no plan)."""
    from planner.action.effects import SideEffects
    from planner.action.github import GitHubError

    try:
        issue = port.get_issue(number)
    except GitHubError as exc:
        if exc.status == 404:
            return
        raise SettingsError(str(exc)) from None
    request = read_request(run, config, issue)
    read, unread = read_tracked(port, request)  # as the plan that handed the task out did
    request = request.model_copy(update={"tracked": tracked_issues(read)})
    if run.settings.comment:
        # The plan keeps its ids in its summary comment (§14).
        memory = SideEffects(port, issue, config.labels.decision).read_comment()
        request = request.model_copy(update={"memory": memory})
    before = build_plan(request, config, repository(run, config))
    plans[number] = (issue, request, before, read, unread)


def _tracked(plan: Plan) -> frozenset[int]:
    """The issues the plan's tasks track (``- [ ] #12``)."""
    milestones = plan.contract.roadmap.milestones if plan.contract else []
    return frozenset(t.tracks for m in milestones for t in m.tasks if t.tracks is not None)


def _has_summary(run: Run, port: GitHubPort, config: Config, request: PlanRequest) -> bool:
    """Whether the planner's own summary comment is on the request's issue: the memory
    read from it before planning (a run that keeps the comment). With ``comment: false``
    the planner leaves no comment to find, so an issue the merged pull request names is
    taken as planned (the README says so: keep the comment, or commit the contract)."""
    if run.settings.comment or request.memory is not None:
        return request.memory is not None
    return True


def _workspace_contracts(run: Run, config: Config) -> list[Contract]:
    """The contracts in the workspace's output folder that load and pass their schema."""
    from planner.core.check import load_contract

    found = []
    for name in run.workspace.list_files(config.paths.output_dir, "planning-output-", ".json"):
        contract, _ = load_contract(run.workspace.read_text(name) or "", name)
        if contract is not None:
            found.append(contract)
    return found
