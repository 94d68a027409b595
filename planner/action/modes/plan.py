"""Plan mode: an issue (or a request file) in; the contract, fanout, plan block, specs
and briefs written; decision issues, sub-issues, the summary comment, the plan branch
and the artifact made where asked for (PRODUCT.md §12)."""

from __future__ import annotations

import json
import posixpath
from typing import TYPE_CHECKING, Any

from planner.action import events
from planner.action.modes.run import Outcome, Run
from planner.action.settings import SettingsError
from planner.core.findings import finding
from planner.core.jsontext import parse_json
from planner.core.plan import (
    PlanResult,
    build_plan,
    contract_file,
    fanout_file,
    file_names,
    link_decision_issues,
    render_result,
)
from planner.core.render import with_sub_issues
from planner.core.repo import RepoIndex
from planner.core.tracked import MAX_TRACKED, tracked_numbers
from planner.model import Config, Finding, Issue, PlanRequest, TrackedIssue

if TYPE_CHECKING:
    from planner.action.effects import SideEffects
    from planner.action.github import GitHubPort, NamedIssueInfo


def plan(run: Run, config: Config, issue: Issue | None = None) -> Outcome | None:
    """Plan the event's issue (or ``issue``); None when the event asks for nothing."""
    issue = issue or planning_issue(run)
    if issue is None:
        return None
    if config.labels.decision in issue.labels:
        run.workflow.message(
            "notice",
            f"Skipped: #{issue.number} is a decision issue (label "
            f"'{config.labels.decision}'), not a planning request.",
            title="planner",
        )
        return None
    return plan_issue(run, config, issue)


def plan_issue(
    run: Run,
    config: Config,
    issue: Issue,
    *,
    done: tuple[str, ...] = (),
    handed: frozenset[str] | None = None,
    memory: str | None = None,
    read: dict[int, NamedIssueInfo] | None = None,
) -> Outcome:
    """Plan ``issue``, raise its decision issues and fold their URLs into the plan, write
    the files once, then the comment and sub-issues, then the artifact. A failed side
    effect is a finding and never loses the plan.

    ``done``: tasks known done (a merged pull request's); ``handed``: tasks handed out
    already, left out of the matrix; ``memory``: the summary comment, when the caller read
    it already this run; ``read``: the issues its lines track, when read already."""
    settings, port = run.settings, run.port
    notices = [] if port is not None else [finding("offline", _OFFLINE)]
    request = read_request(run, config, issue).model_copy(
        update={"hand_out": settings.replan, "done_tasks": list(done)}
    )
    if port is not None and read is None:
        read, unread = read_tracked(port, request)
        notices += unread
    read = read or {}
    request = request.model_copy(update={"tracked": tracked_issues(read)})
    effects = _effects(run, port, issue, config) if port is not None else None
    if effects is not None and settings.comment:
        # The plan's memory of its ids lives in its own summary comment (§14).
        memory = memory if memory is not None else effects.read_comment()
        request = request.model_copy(update={"memory": memory})
    planned = build_plan(request, config, repository(run, config))
    if effects is not None and planned.contract is not None and settings.create_decision_issues:
        # Every file must be writable before anything is made on GitHub: a run that will
        # stop at a linked plan file raises no decision issue first.
        run.workspace.check_all(file_names(planned, config))
        named = planned.named_issues
        marked = effects.mark_named_issues(planned.contract, named)
        own = [d for d in planned.contract.decisions if d.id not in named]
        synced = effects.sync_decisions(planned.contract.model_copy(update={"decisions": own}))
        planned = link_decision_issues(
            planned, {**synced.urls, **marked.urls}, {**synced.answers, **marked.answers}
        )
    result = render_result(planned, request, config)
    rows = [r for r in result.matrix["include"] if handed is None or r["task"] not in handed]
    run.workspace.write_all(result.files, result.removed)
    outcome = Outcome(findings=notices + result.findings, summary=result.summary, matrix=rows)
    if effects is not None and result.contract is not None:
        tracking = {
            t.id: read[t.tracks]
            for m in result.contract.roadmap.milestones
            for t in m.tasks
            if t.tracks in read and not read[t.tracks].pull_request
        }
        _github_effects(run, effects, result, outcome, tracking)
    if settings.commit == "pull-request" and result.contract is not None:
        _persist(port, issue, result, config, outcome)
    outcome.outputs = _outputs(result, rows, config, issue.number)
    _upload(run, result.files, issue.number, outcome)
    return outcome


_OFFLINE = "No github-token: planned offline. No decision issues, comment or sub-issues were made."


def read_tracked(
    port: GitHubPort, request: PlanRequest
) -> tuple[dict[int, NamedIssueInfo], list[Finding]]:
    """The issues the request's task lines only name (``- [ ] #12``), read from GitHub
    (the first ``MAX_TRACKED``), for the core to plan them as the work they are. One that
    cannot be read leaves its line as written, said in one notice; an outage stops the
    reading there."""
    from planner.action.github import GitHubError

    issue = request.issue
    texts = (issue.body, request.draft or "")
    numbers = list(
        dict.fromkeys(
            n for text in texts for n in tracked_numbers(text, request.repository_url, issue.number)
        )
    )
    read: dict[int, NamedIssueInfo] = {}
    unread: list[int] = numbers[MAX_TRACKED:]
    for k, number in enumerate(numbers[:MAX_TRACKED]):
        try:
            read[number] = port.get_named_issue(number)
        except GitHubError as exc:
            unread.append(number)
            if exc.transient:
                unread += numbers[k + 1 : MAX_TRACKED]
                break
    if not unread:
        return read, []
    names = ", ".join(f"#{n}" for n in sorted(unread)[:10]) + (" …" if len(unread) > 10 else "")
    return read, [
        finding(
            "tracked-issue-unread",
            f"Not read: {names} ({len(unread)} issue(s); a run reads at most {MAX_TRACKED}). "
            "A task line that only names an issue keeps its number for a title until that "
            "issue is read, and is not handed out; write the change in the line to plan it "
            "without the issue.",
        )
    ]


def tracked_issues(read: dict[int, NamedIssueInfo]) -> dict[int, TrackedIssue]:
    """What the core is told of each issue read."""
    return {
        n: TrackedIssue(
            title=info.title,
            closed=info.state == "closed",
            not_planned=info.state_reason == "not_planned" and not info.pull_request,
            pull_request=info.pull_request,
        )
        for n, info in read.items()
    }


def _effects(run: Run, port: GitHubPort, issue: Issue, config: Config) -> SideEffects:
    from planner.action.effects import SideEffects

    settings = run.settings
    prefix = "planning-output-"
    contracts = run.workspace.list_files(config.paths.output_dir, prefix, ".json")
    numbers = (name.rsplit(prefix, 1)[-1].removesuffix(".json") for name in contracts)
    return SideEffects(
        port,
        issue,
        config.labels.decision,
        max_decision_issues=config.decisions.max_issues,
        issue_type=config.sub_issues.type,
        milestones=settings.milestones,
        project=settings.project,
        project_token=settings.project_token,
        planned=frozenset(int(n) for n in numbers if n.isdigit()),
    )


def _github_effects(
    run: Run,
    effects: SideEffects,
    result: PlanResult,
    outcome: Outcome,
    tracked: dict[str, NamedIssueInfo],
) -> None:
    """Sub-issues first, so the summary links each task to its own; then the comment."""
    if run.settings.create_sub_issues and result.fanout is not None:
        links = effects.sync_sub_issues(result.fanout, result.contract, tracked)
        outcome.summary = with_sub_issues(result.summary, links)
    if run.settings.comment:
        effects.sync_comment(outcome.summary)
    outcome.findings += effects.report.findings
    if effects.report.done:
        outcome.summary += "\n**GitHub, done:** " + "; ".join(effects.report.done) + ".\n"
    if effects.report.not_done:
        outcome.summary += "\n**GitHub, not done:** " + "; ".join(effects.report.not_done) + ".\n"


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
        result.removed,
    )
    outcome.findings += persisted.findings
    if persisted.done:
        outcome.summary += "\n**Plan branch:** " + "; ".join(persisted.done) + ".\n"


def planning_issue(run: Run) -> Issue | None:
    """The issue to plan: the request file's, else the event's (fetched from the API when
    the payload lacks its body). None when the event asks for nothing."""
    settings = run.settings
    if settings.request_file:
        text = run.workspace.read_text(settings.request_file)
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
        run.skip(trigger.skip)
        return None
    port = run.port
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


def repository(run: Run, config: Config) -> RepoIndex | None:
    """The checkout's index, from which boundaries are proposed (read once a run); the
    planning files and the draft the run plans from are known by path only, so they are
    never proposed as a task's boundary."""
    if not config.fanout.propose_boundaries:
        return None
    from planner.core.boundaries import protected_globs
    from planner.core.paths import literal_glob

    # Taskmaster's folder holds its plans (tasks.json, PRDs, reports), never code.
    known = [*protected_globs(config), ".taskmaster/**"]
    if run.settings.draft:
        known.append(literal_glob(posixpath.normpath(run.settings.draft)))
    return run.workspace.repository_index(known)


def read_request(run: Run, config: Config, issue: Issue) -> PlanRequest:
    """The issue with what the workspace holds for it: the plan file, its specs, the
    previous contract and the draft named by the input."""
    workspace, settings, paths = run.workspace, run.settings, config.paths
    previous: dict[str, Any] | None = None
    previous_text = workspace.read_text(contract_file(paths.output_dir, issue.number))
    if previous_text:
        # Read as validate reads it: a key twice, NaN or Infinity make it no contract.
        loaded, problems = parse_json(previous_text, contract_file(paths.output_dir, 0))
        previous = loaded if isinstance(loaded, dict) and not problems else None
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


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _outputs(
    result: PlanResult, rows: list[dict[str, str]], config: Config, number: int
) -> dict[str, str]:
    paths = config.paths
    contract = result.contract
    decisions = contract.decisions if contract else []
    return {
        "contract": contract_file(paths.output_dir, number) if contract else "",
        "fanout": fanout_file(paths.output_dir, number) if result.fanout else "",
        "focus": result.focus or "",
        "matrix": _compact({"include": rows}),
        "version": str(contract.roadmap.version) if contract else "",
        "decisions": _compact(
            [{"id": d.id, "impact": d.impact, "issue": d.issue} for d in decisions]
        ),
    }


def _upload(run: Run, written: dict[str, str], number: int, outcome: Outcome) -> None:
    """Upload the files just written, when asked to, and set the artifact outputs."""
    settings = run.settings
    outcome.outputs.update({"artifact-id": "", "artifact-url": ""})
    if not settings.upload_artifact or not written:
        return
    from planner.action.artifacts import upload_files

    uploaded, findings = upload_files(
        run.artifacts(settings),
        written,
        settings.artifact_name or f"planning-{number}",
        settings.retention_days,
        settings.retention_cap,
    )
    outcome.findings += findings
    if uploaded is not None:
        outcome.outputs["artifact-id"] = uploaded.id
        if settings.repository and settings.run_id:
            outcome.outputs["artifact-url"] = (
                f"{settings.server_url}/{settings.repository}/actions/"
                f"runs/{settings.run_id}/artifacts/{uploaded.id}"
            )
