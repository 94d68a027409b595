"""The shell: settings -> adapters -> the pure core -> files, outputs, side effects.

``run()`` returns the exit status (0 ok, 1 findings at or above ``fail-on``,
2 bad inputs or configuration); ``main()`` calls ``sys.exit`` once.
"""

from __future__ import annotations

import gc
import json
import os
import posixpath
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from planner.action import events
from planner.action.config import ConfigError, load_config
from planner.action.settings import (
    REF_PATTERN,
    Settings,
    SettingsError,
    from_env,
)
from planner.action.workflow import OutputError, Workflow
from planner.action.workspace import Workspace, WorkspaceError
from planner.core.findings import finding
from planner.core.plan import (
    Plan,
    PlanResult,
    build_plan,
    contract_file,
    fanout_file,
    link_decision_issues,
    render_result,
)
from planner.core.render import with_sub_issues
from planner.core.repo import RepoIndex
from planner.model import (
    Config,
    Contract,
    Finding,
    Issue,
    Location,
    PlanRequest,
    Task,
    at_or_above,
)

# What only some runs need (GitHub's side effects, the artifact upload, a merged pull
# request, validate and check modes) is imported where it is used: an offline plan
# starts without it.
if TYPE_CHECKING:
    from planner.action.artifacts import ArtifactPort
    from planner.action.gitdiff import PullRepository
    from planner.action.github import GitHubPort
    from planner.core.gate import FileChange

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FINDINGS_OUTPUT_LIMIT = 200

# A run that plans nothing still sets every output, so that a later job's
# fromJSON(needs.plan.outputs.matrix) has a matrix to read.
SKIPPED_OUTPUTS = {
    "contract": "",
    "fanout": "",
    "focus": "",
    "matrix": '{"include":[]}',
    "version": "",
    "decisions": "[]",
    "artifact-id": "",
    "artifact-url": "",
}

GitHubFactory = Callable[[Settings], "GitHubPort | None"]
ArtifactFactory = Callable[[Settings], "ArtifactPort | None"]


def default_github(settings: Settings) -> GitHubPort | None:
    if settings.github_token is None or not settings.repository:
        return None
    from planner.action.github import GitHubClient, IssuesAdapter

    return IssuesAdapter(
        GitHubClient(
            settings.github_token.get_secret_value(), settings.repository, settings.api_url
        )
    )


def default_artifacts(settings: Settings) -> ArtifactPort | None:
    if settings.runtime_token is None or not settings.results_url:
        return None
    from planner.action.artifacts import ResultsClient

    return ResultsClient(settings.results_url, settings.runtime_token.get_secret_value())


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""


def run(
    settings: Settings,
    out: TextIO,
    *,
    github: GitHubFactory = default_github,
    artifacts: ArtifactFactory = default_artifacts,
    issue: Issue | None = None,
) -> int:
    """Run one mode end to end; returns the exit status."""
    with allocating_in_bulk():
        return _run(settings, out, github=github, artifacts=artifacts, issue=issue)


@contextmanager
def allocating_in_bulk() -> Iterator[None]:
    """A run builds its data in bulk (a 20,000-task contract is millions of objects) and
    lets it go at the end. Python's cycle collector would walk those objects again each
    time a few hundred more are made: a third of the time validating a large contract.
    The objects there at the start (the imported modules) are set aside, and the
    collector runs every 100,000 allocations instead of every 700; it is as it was after
    the run."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(100_000, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _run(
    settings: Settings,
    out: TextIO,
    *,
    github: GitHubFactory,
    artifacts: ArtifactFactory,
    issue: Issue | None,
) -> int:
    workflow = Workflow(
        out, settings.output_file, settings.summary_file, plain=not settings.on_runner
    )
    if settings.github_token is not None:
        workflow.mask(settings.github_token.get_secret_value())
    if settings.project_token is not None:
        workflow.mask(settings.project_token.get_secret_value())
    if settings.runtime_token is not None:
        workflow.mask(settings.runtime_token.get_secret_value())
    try:
        workspace = Workspace(settings.workspace)
        if settings.mode == "check":
            # The config, like the contracts, comes from the base commit (_check).
            outcome = _check(settings, workspace, events.load_event(settings.event_path))
        elif settings.mode == "validate":
            outcome = _validate(settings, workspace, load_config(workspace, settings))
        else:
            config = load_config(workspace, settings)
            if settings.event_name in events.PULL_EVENTS and not settings.request_file:
                result = _merged(settings, workspace, config, workflow, github, artifacts)
            else:
                result = _plan(settings, workspace, config, workflow, github, artifacts, issue)
            outcome = result if result is not None else Outcome(outputs=dict(SKIPPED_OUTPUTS))
    except (SettingsError, ConfigError, WorkspaceError) as exc:
        workflow.message("error", str(exc), title="planner: bad input")
        return EXIT_USAGE
    return _report(workflow, settings, outcome)


def _report(workflow: Workflow, settings: Settings, outcome: Outcome) -> int:
    findings = outcome.findings
    left = workflow.annotate(findings)
    extra = ""
    if left:
        extra = (
            "\n_Annotations shown are capped at 10 per severity; not shown: "
            + ", ".join(f"{n} {sev}" for sev, n in sorted(left.items()))
            + "._\n"
        )
    valid = not any(f.severity == "error" for f in findings)
    outputs = dict(outcome.outputs)
    outputs["findings"] = json.dumps(
        [f.model_dump(mode="json", exclude_none=True) for f in findings[:FINDINGS_OUTPUT_LIMIT]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    outputs["valid"] = "true" if valid else "false"
    try:
        for name, value in outputs.items():
            workflow.set_output(name, value)
    except OutputError as exc:
        workflow.message("error", str(exc), title="planner: outputs")
        return EXIT_USAGE
    workflow.summary(outcome.summary + extra)
    failing = [f for f in findings if at_or_above(f.severity, settings.fail_on)]
    if failing:
        workflow.log(f"{len(failing)} finding(s) at or above fail-on '{settings.fail_on}'.")
        return EXIT_FINDINGS
    return EXIT_OK


# ---------------------------------------------------------------------------------- plan


def _plan(
    settings: Settings,
    workspace: Workspace,
    config: Config,
    workflow: Workflow,
    github_factory: GitHubFactory,
    artifact_factory: ArtifactFactory,
    issue: Issue | None,
    *,
    done: tuple[str, ...] = (),
    handed: frozenset[str] | None = None,
) -> Outcome | None:
    """Plan the issue, raise its decision issues and fold their URLs into the plan, write
    the files once, then the comment and sub-issues, then the artifact. A failed side
    effect is a finding and never loses the plan. None when the event asks for nothing.

    ``done``: tasks known done (a merged pull request's); ``handed``: tasks handed out
    already, left out of the matrix."""
    port = github_factory(settings) if settings.github_token is not None else None
    issue = issue or _planning_issue(settings, workspace, workflow, port)
    if issue is None:
        return None
    if config.labels.decision in issue.labels:
        workflow.message(
            "notice",
            f"Skipped: #{issue.number} is a decision issue (label "
            f"'{config.labels.decision}'), not a planning request.",
            title="planner",
        )
        return None
    notices: list[Finding] = []
    if port is None:
        notices.append(
            Finding(
                rule="offline",
                severity="notice",
                message=(
                    "No github-token: planned offline. No decision issues, comment or sub-issues "
                    "were made."
                ),
            )
        )
    request = _request(workspace, config, settings, issue)
    request = request.model_copy(update={"hand_out": settings.replan})
    if done:
        request = request.model_copy(update={"done_tasks": list(done)})
    effects = None
    if port is not None:
        from planner.action.effects import SideEffects

        effects = SideEffects(
            port,
            issue,
            config.labels.decision,
            max_decision_issues=config.decisions.max_issues,
            issue_type=config.sub_issues.type,
            milestones=settings.milestones,
            project=settings.project,
            project_token=settings.project_token,
        )
        if settings.comment:
            # The plan's memory of its ids lives in its own summary comment (§14).
            request = request.model_copy(update={"memory": effects.read_comment()})
    planned = build_plan(request, config, _repository(workspace, config))
    if effects is not None and planned.contract is not None and settings.create_decision_issues:
        # Every file must be writable before anything is made on GitHub: a run that will
        # stop at a linked plan file raises no decision issue first.
        workspace.check_all(render_result(planned, request, config).files)
        named = planned.named_issues
        marked = effects.mark_named_issues(planned.contract, named)
        own = [d for d in planned.contract.decisions if d.id not in named]
        synced = effects.sync_decisions(planned.contract.model_copy(update={"decisions": own}))
        planned = link_decision_issues(
            planned, {**synced.urls, **marked.urls}, {**synced.answers, **marked.answers}
        )
    result = render_result(planned, request, config)
    if handed is not None:
        rows = [row for row in result.matrix["include"] if row["task"] not in handed]
        result = result._replace(matrix={"include": rows})
    _write(workspace, result)
    outcome = Outcome(findings=notices + result.findings, summary=result.summary)
    if effects is not None and result.contract is not None:
        if settings.create_sub_issues and result.fanout is not None:
            # Sub-issues first, so the summary links each task to its own.
            links = effects.sync_sub_issues(result.fanout, result.contract)
            outcome.summary = with_sub_issues(result.summary, links)
        if settings.comment:
            effects.sync_comment(outcome.summary)
        outcome.findings += effects.report.findings
        if effects.report.done:
            outcome.summary += "\n**GitHub, done:** " + "; ".join(effects.report.done) + ".\n"
        if effects.report.not_done:
            outcome.summary += (
                "\n**GitHub, not done:** " + "; ".join(effects.report.not_done) + ".\n"
            )
    if settings.commit == "pull-request" and result.contract is not None:
        _persist(port, issue, result, config, outcome)
    outcome.outputs = _plan_outputs(result, config, issue.number)
    artifact = _upload(settings, result.files, issue.number, artifact_factory)
    outcome.findings += artifact.findings
    outcome.outputs.update(artifact.outputs)
    return outcome


def _persist(
    port: GitHubPort | None, issue: Issue, result: PlanResult, config: Config, outcome: Outcome
) -> None:
    """Commit the planning files to the issue's plan branch and keep its pull request
    (input ``commit: pull-request``)."""
    from planner.action.persist import git_data, persist_plan, planning_files

    git = git_data(port)
    if git is None:
        outcome.findings.append(
            finding(
                "github-side-effect",
                "Not done: committing the plan (input commit: pull-request) needs the "
                "github-token input (default ${{ github.token }}).",
                severity="warning",
            )
        )
        return
    assert result.contract is not None
    persisted = persist_plan(
        git,
        issue.number,
        issue.title,
        result.contract.roadmap.version,
        planning_files(result.files, config.paths.output_dir),
    )
    outcome.findings += persisted.findings
    if persisted.done:
        outcome.summary += "\n**Plan branch:** " + "; ".join(persisted.done) + ".\n"


def _planning_issue(
    settings: Settings, workspace: Workspace, workflow: Workflow, port: GitHubPort | None
) -> Issue | None:
    """The issue to plan: the request file's, else the event's (fetched from the API when
    the payload lacks its body). None when the event asks for nothing."""
    if settings.request_file:
        text = workspace.read_text(settings.request_file)
        if text is None:
            raise SettingsError(
                f"input 'request-file' names '{settings.request_file}', which does not exist"
            )
        return events.issue_from_text(
            text, settings.request_file, settings.issue_number, title=None
        )
    trigger = events.resolve(
        settings.event_name,
        events.load_event(settings.event_path),
        settings.mode,
        settings.issue_number,
    )
    if trigger.skip:
        workflow.message("notice", f"Skipped: {trigger.skip}.", title="planner")
        return None
    if trigger.issue is not None and not (trigger.fetch and port is not None):
        return trigger.issue
    assert trigger.number is not None
    if port is None:
        raise SettingsError(
            f"issue #{trigger.number} must be fetched from GitHub, which needs the "
            "github-token input (default ${{ github.token }}) and GITHUB_REPOSITORY"
        )
    from planner.action.github import GitHubError

    try:
        return port.get_issue(trigger.number)
    except GitHubError as exc:
        raise SettingsError(str(exc)) from None


# ---------------------------------------------------------------------------------- merged


def _merged(
    settings: Settings,
    workspace: Workspace,
    config: Config,
    workflow: Workflow,
    github_factory: GitHubFactory,
    artifact_factory: ArtifactFactory,
) -> Outcome | None:
    """A merged pull request (PRODUCT.md §12, step 4): find its task as check mode does,
    tick it in the planning issue and close its sub-issue, then plan again; the matrix
    holds only the tasks this merge made ready. A pull request that names no task, or
    one done already, changes nothing."""
    from planner.action.merged import mark_done
    from planner.core.done import handed_out

    trigger = events.resolve(
        settings.event_name, events.load_event(settings.event_path), "plan", None
    )
    if trigger.skip:
        workflow.message("notice", f"Skipped: {trigger.skip}.", title="planner")
        return None
    assert trigger.merged is not None
    port = github_factory(settings) if settings.github_token is not None else None
    if port is None:
        raise SettingsError(
            "a merged pull request's task is marked done in its planning issue through the "
            "API, which needs the github-token input (default ${{ github.token }}) and "
            "GITHUB_REPOSITORY"
        )
    pull = trigger.merged
    found = _finished_task(port, pull, workspace, config, settings)
    if isinstance(found, AlreadyDone):
        # A replay: the sub-issue a failed run could not close is closed now (an open one
        # with the task's marker only, so a second replay changes nothing).
        from planner.action.merged import close_sub_issue

        left = close_sub_issue(port, found.number, found.task, pull)
        return Outcome(outputs=dict(SKIPPED_OUTPUTS), findings=[found.finding, *left.findings])
    if isinstance(found, Finding):
        return Outcome(outputs=dict(SKIPPED_OUTPUTS), findings=[found])
    issue, request, before, task, name = found
    # As for a plan: nothing is changed on GitHub by a run that cannot write its files.
    workspace.check_all(render_result(before, request, config).files)
    marked = mark_done(port, issue, task.id, before.task_lines.get(task.id), pull)
    outcome = _plan(
        settings,
        workspace,
        config,
        workflow,
        github_factory,
        artifact_factory,
        issue.model_copy(update={"body": marked.body}),
        done=(task.id,),
        handed=handed_out(before.fanout),
    )
    assert outcome is not None
    ready = [row["task"] for row in json.loads(outcome.outputs["matrix"])["include"]]
    made_ready = ", ".join(ready) or "no task"
    outcome.findings[:0] = [
        finding(
            "done-merged",
            f"Pull request #{pull.number} was merged: task {name} is done. Made ready: "
            f"{made_ready}.",
            task=task.id,
        ),
        *marked.findings,
    ]
    done = "; ".join(marked.done) or "nothing changed on GitHub"
    outcome.summary = (
        f"**Merged:** #{pull.number} finished task `{task.id}` of #{issue.number} ({done}). "
        f"**Handed out now:** {made_ready}.\n\n" + outcome.summary
    )
    return outcome


def _finished_task(
    port: GitHubPort,
    pull: events.MergedPull,
    workspace: Workspace,
    config: Config,
    settings: Settings,
) -> tuple[Issue, PlanRequest, Plan, Task, str] | AlreadyDone | Finding:
    """The task a merged pull request finished, with its planning issue as it reads now,
    that issue's request and its plan before the merge, and the task's full name; or the
    finding that says why nothing is marked done (no task named, the issue gone, the task
    done already or no longer planned)."""
    from planner.action.github import GitHubError
    from planner.core.gate import name_task, named_issues

    plans: dict[int, tuple[Issue, PlanRequest, Plan]] = {}

    def fresh(number: int) -> None:
        """Plan issue ``number`` as it reads now; an issue that does not exist is left
        out (the name then matches no plan)."""
        try:
            issue = port.get_issue(number)
        except GitHubError as exc:
            if exc.status == 404:
                return
            raise SettingsError(str(exc)) from None
        request = _request(workspace, config, settings, issue)
        if settings.comment:
            request = request.model_copy(update={"memory": _read_memory(port, issue, config)})
        plans[number] = (
            issue,
            request,
            build_plan(request, config, _repository(workspace, config)),
        )

    contracts = {c.issue.number: c for c in _workspace_contracts(workspace, config)}
    for number in named_issues(pull.pull_request):
        fresh(number)
        made = plans[number][2].contract if number in plans else None
        if made is not None:
            contracts[number] = made
    named, problems = name_task(list(contracts.values()), pull.pull_request, explicit_only=True)
    if named is not None and named.contract.issue.number not in plans:
        fresh(named.contract.issue.number)
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
    issue, request, before = plans[named.contract.issue.number]
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
        return AlreadyDone(said, issue.number, task.id) if task else said
    return issue, request, before, task, named.name


@dataclass
class AlreadyDone:
    """A merged task found done already: a replay, perhaps of a run that failed after
    ticking the box; what that run left undone is finished (never done twice)."""

    finding: Finding
    number: int
    task: str


def _workspace_contracts(workspace: Workspace, config: Config) -> list[Contract]:
    """The contracts in the workspace's output folder that load and pass their schema."""
    from planner.core.check import load_contract

    found = []
    for name in workspace.list_files(config.paths.output_dir, "planning-output-", ".json"):
        contract, _ = load_contract(workspace.read_text(name) or "", name)
        if contract is not None:
            found.append(contract)
    return found


def _read_memory(port: GitHubPort, issue: Issue, config: Config) -> str | None:
    """The planning issue's summary comment, where the plan keeps its ids (§14)."""
    from planner.action.effects import SideEffects

    return SideEffects(port, issue, config.labels.decision).read_comment()


def _repository(workspace: Workspace, config: Config) -> RepoIndex | None:
    """The checkout's index, from which boundaries are proposed (read once a run)."""
    if not config.fanout.propose_boundaries:
        return None
    from planner.core.boundaries import protected_globs

    return workspace.repository_index(protected_globs(config))


def _request(workspace: Workspace, config: Config, settings: Settings, issue: Issue) -> PlanRequest:
    paths = config.paths
    previous: dict[str, Any] | None = None
    previous_text = workspace.read_text(contract_file(paths.output_dir, issue.number))
    if previous_text:
        try:
            loaded = json.loads(previous_text)
            previous = loaded if isinstance(loaded, dict) else None
        except ValueError:
            previous = None
    specs = {
        name: workspace.read_text(name) or ""
        for name in workspace.list_files(paths.specs_dir, f"{issue.number}-", ".md")
    }
    draft_text = workspace.read_text(settings.draft) if settings.draft else None
    if settings.draft and draft_text is None:
        raise SettingsError(f"input 'draft' names '{settings.draft}', which does not exist")
    return PlanRequest(
        issue=issue,
        draft=draft_text,
        draft_name=settings.draft,
        plan_text=workspace.read_text(paths.plan_file),
        specs=specs,
        previous_contract=previous,
        repository_url=f"{settings.server_url}/{settings.repository}"
        if settings.repository
        else None,
    )


def _write(workspace: Workspace, result: PlanResult) -> None:
    """Write every rendered file that changed, each whole or not at all, and none when
    one of them cannot be written (a link, a file where a folder belongs)."""
    workspace.write_all(result.files)


def _plan_outputs(result: PlanResult, config: Config, number: int) -> dict[str, str]:
    paths = config.paths
    contract = result.contract
    return {
        "contract": contract_file(paths.output_dir, number) if contract else "",
        "fanout": fanout_file(paths.output_dir, number) if result.fanout else "",
        "focus": result.focus or "",
        "matrix": json.dumps(result.matrix, ensure_ascii=False, separators=(",", ":")),
        "version": str(contract.roadmap.version) if contract else "",
        "decisions": json.dumps(
            [{"id": d.id, "impact": d.impact, "issue": d.issue} for d in contract.decisions]
            if contract
            else [],
            ensure_ascii=False,
            separators=(",", ":"),
        ),
    }


def _upload(
    settings: Settings,
    written: dict[str, str],
    number: int,
    factory: ArtifactFactory,
) -> Outcome:
    """Upload the files just written, when asked to, and set the artifact outputs."""
    outcome = Outcome(outputs={"artifact-id": "", "artifact-url": ""})
    if not settings.upload_artifact or not written:
        return outcome
    from planner.action.artifacts import upload_files

    uploaded, outcome.findings = upload_files(
        factory(settings),
        written,
        settings.artifact_name or f"planning-{number}",
        settings.retention_days,
        settings.retention_cap,
    )
    if uploaded is not None:
        outcome.outputs["artifact-id"] = uploaded.id
        if settings.repository and settings.run_id:
            outcome.outputs["artifact-url"] = (
                f"{settings.server_url}/{settings.repository}/actions/"
                f"runs/{settings.run_id}/artifacts/{uploaded.id}"
            )
    return outcome


# ---------------------------------------------------------------------------------- validate


def _validate(settings: Settings, workspace: Workspace, config: Config) -> Outcome:
    from planner.core.check import validate_contract

    out_dir = config.paths.output_dir
    if settings.issue_number:
        names = [contract_file(out_dir, settings.issue_number)]
    else:
        names = workspace.list_files(out_dir, "planning-output-", ".json")
    findings: list[Finding] = []
    checked = 0
    for name in names:
        text = workspace.read_text(name)
        if text is None:
            findings.append(
                Finding(
                    rule="contract-missing",
                    severity="error",
                    message=f"{name} does not exist; run mode 'plan' first.",
                    location=Location(file=name),
                )
            )
            continue
        number = name.rsplit("-", 1)[-1].removesuffix(".json")
        fanout_name = fanout_file(out_dir, int(number)) if number.isdigit() else None
        fanout_text = workspace.read_text(fanout_name) if fanout_name else None
        findings += validate_contract(text, name, config, fanout_text, fanout_name)
        checked += 1
    if not names:
        findings.append(
            Finding(
                rule="contract-missing",
                severity="error",
                message=(
                    f"No planning-output-*.json in '{out_dir}' to validate; run mode 'plan' "
                    "first, or set output-dir."
                ),
            )
        )
    summary = f"## Validation\n\nChecked {checked} contract(s); {len(findings)} finding(s).\n"
    return Outcome(findings=findings, summary=summary)


# ---------------------------------------------------------------------------------- check


def _check(settings: Settings, workspace: Workspace, payload: Mapping[str, Any]) -> Outcome:
    """Hold the pull request to the plan of its base commit: the config and contracts are
    read from git's objects there, never from the checked-out (pull request's) files."""
    from planner.action.gitdiff import PullRepository
    from planner.core.boundaries import protected_globs
    from planner.core.check import load_contract
    from planner.core.gate import check_pull_request, contracts_by_issue, name_task

    trigger = events.resolve(settings.event_name, dict(payload), "check", settings.issue_number)
    assert trigger.pull_request is not None
    # The base and head commits the event names, not a name a pushed ref could take
    # over, nor a checked-out merge commit built on a base that has moved on since.
    pull = payload.get("pull_request")
    sides = [pull.get(side) if isinstance(pull, dict) else None for side in ("base", "head")]
    named_base, named_head = [side if isinstance(side, dict) else {} for side in sides]
    base = settings.base_ref or str(named_base.get("sha") or named_base.get("ref") or "")
    head = None if settings.base_ref else named_head.get("sha")
    if not base:
        raise SettingsError("input 'base-ref' is empty and the event names no base branch")
    if not REF_PATTERN.fullmatch(base):
        raise SettingsError(f"base branch {base!r} is not a plain branch, tag or commit name")
    with PullRepository(workspace.root, base, str(head) if head else None) as repo:
        config = load_config(workspace, settings, read=repo.read_base)
        loaded: list[tuple[str, Contract]] = []
        findings: list[Finding] = []
        for name in repo.list_base(config.paths.output_dir, "planning-output-", ".json"):
            contract, problems = load_contract(repo.read_base(name) or "", name)
            findings += problems
            if contract:
                loaded.append((name, contract))
        contracts, problems = contracts_by_issue(loaded)
        findings += problems
        named, problems = name_task(contracts, trigger.pull_request)
        findings += problems
        limit = named.task.diff_boundary.max_diff_scope if named else 0
        changes = repo.changes(limit)
        if named is None and not problems:
            findings += _planning_contracts(repo, changes, config.paths.output_dir)
    planning = [
        config.paths.plan_file,
        f"{config.paths.specs_dir}/**",
        f"{config.paths.output_dir}/**",
        settings.config,
    ]
    if not problems:
        findings += check_pull_request(
            named,
            changes,
            planning,
            protected_globs(config),
            labels=trigger.pull_request.labels,
        )
    task = f"task {named.name}" if named else "no task (a planning change)"
    summary = (
        f"## Diff check\n\n{len(changes)} file(s) changed against `{base}`, held to the plan "
        f"of the base commit; {task}; {len(findings)} finding(s).\n"
    )
    return Outcome(findings=findings, summary=summary)


def _planning_contracts(
    repo: PullRepository, changes: list[FileChange], output_dir: str
) -> list[Finding]:
    from planner.core.check import load_contract
    from planner.core.gate import contract_number, is_contract_file

    # A planning change leaves every contract it adds or edits valid and filed under its
    # own issue's number: a copy of one issue's contract under another's number, perhaps
    # widened, would judge that issue's later task pull requests.
    findings: list[Finding] = []
    for change in changes:
        path = change.path
        if posixpath.dirname(path) != output_dir or not is_contract_file(path):
            continue
        text = repo.read_head(path)
        if text is None:
            continue  # deleted
        contract, problems = load_contract(text, path)
        findings += problems
        if contract is not None and contract.issue.number != contract_number(path):
            findings.append(
                finding(
                    "contract-issue-mismatch",
                    f"This planning change files the contract of issue "
                    f"#{contract.issue.number} as {path}. A contract lives only under its own "
                    f"issue's number; plan that issue instead of copying its contract.",
                    file=path,
                )
            )
    return findings


def main(env: Mapping[str, str] | None = None, out: TextIO | None = None) -> int:
    """The container's entry point: the runner's environment in, an exit status out."""
    stream = out or sys.stdout
    try:
        settings = from_env(os.environ if env is None else env)
    except SettingsError as exc:
        on_runner = (os.environ if env is None else env).get("GITHUB_ACTIONS") == "true"
        Workflow(stream, plain=not on_runner).message("error", str(exc), title="planner: bad input")
        return EXIT_USAGE
    return run(settings, stream)
