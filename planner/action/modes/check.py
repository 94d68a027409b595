"""Check mode: a pull request held to the plan of its base commit. The config and the
contracts are read from git's objects there, never from the checked-out (pull
request's) files."""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from planner.action import events
from planner.action.config import load_config
from planner.action.modes.run import Outcome, Run
from planner.action.settings import REF_PATTERN, SettingsError
from planner.core.findings import finding
from planner.model import Contract, Finding

if TYPE_CHECKING:
    from planner.action.gitdiff import PullRepository
    from planner.core.gate import FileChange


def _commits(run: Run, payload: Mapping[str, Any]) -> tuple[str, str | None]:
    """The base and head commits the event names, not a name a pushed ref could take
    over, nor a checked-out merge commit built on a base that has moved on since."""
    pull = payload.get("pull_request")
    sides = [pull.get(side) if isinstance(pull, dict) else None for side in ("base", "head")]
    named_base, named_head = [side if isinstance(side, dict) else {} for side in sides]
    base = run.settings.base_ref or str(named_base.get("sha") or named_base.get("ref") or "")
    head = None if run.settings.base_ref else named_head.get("sha")
    if not base:
        raise SettingsError("input 'base-ref' is empty and the event names no base branch")
    if not REF_PATTERN.fullmatch(base):
        raise SettingsError(f"base branch {base!r} is not a plain branch, tag or commit name")
    return base, str(head) if head else None


def check(run: Run) -> Outcome:
    from planner.action.gitdiff import PullRepository
    from planner.core.boundaries import protected_globs
    from planner.core.check import load_contract
    from planner.core.gate import check_pull_request, contracts_by_issue, name_task

    settings = run.settings
    payload = events.load_event(settings.event_path)
    trigger = events.resolve(settings.event_name, dict(payload), "check", settings.issue_number)
    assert trigger.pull_request is not None
    base, head = _commits(run, payload)
    with PullRepository(run.workspace.root, base, head) as repo:
        config = load_config(run.workspace, settings, read=repo.read_base)
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
    """A planning change leaves every contract it adds or edits valid and filed under its
    own issue's number: a copy of one issue's contract under another's number, perhaps
    widened, would judge that issue's later task pull requests."""
    from planner.core.check import load_contract
    from planner.core.gate import contract_number, is_contract_file

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
                    fix="This planning change cannot file it there: plan that issue instead "
                    "of copying its contract.",
                    number=contract.issue.number,
                    file=path,
                )
            )
    return findings
