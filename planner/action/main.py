"""The shell's entry: settings in, one mode run (``planner.action.modes``), its outcome
reported as outputs, annotations and the step summary, an exit status out.

``run()`` returns the exit status (0 ok, 1 findings at or above ``fail-on``,
2 bad inputs or configuration); ``main()`` calls ``sys.exit`` once.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, TextIO

from planner.action import events
from planner.action.config import ConfigError, load_config
from planner.action.modes.run import (
    SKIPPED_OUTPUTS,
    ArtifactFactory,
    GitHubFactory,
    Outcome,
    Run,
)
from planner.action.settings import Settings, SettingsError, from_env
from planner.action.workflow import OutputError, Workflow
from planner.action.workspace import Workspace, WorkspaceError
from planner.model import Issue, at_or_above

# What only some runs need (GitHub's side effects, the artifact upload, a merged pull
# request, validate and check modes) is imported where it is used: an offline plan
# starts without it.
if TYPE_CHECKING:
    from planner.action.artifacts import ArtifactPort
    from planner.action.github import GitHubPort

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "Outcome", "SKIPPED_OUTPUTS", "main", "run"]

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
FINDINGS_OUTPUT_LIMIT = 200


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
        outcome = _dispatch(
            Run(settings, Workspace(settings.workspace), workflow, github, artifacts), issue
        )
    except (SettingsError, ConfigError, WorkspaceError) as exc:
        workflow.message("error", str(exc), title="planner: bad input")
        return EXIT_USAGE
    return _report(workflow, settings, outcome)


def _dispatch(run: Run, issue: Issue | None) -> Outcome:
    """The mode's module, chosen by the mode and the event."""
    settings = run.settings
    if settings.mode == "check":
        from planner.action.modes.check import check

        return check(run)  # its config, like its contracts, comes from the base commit
    config = load_config(run.workspace, settings)
    if settings.mode == "validate":
        from planner.action.modes.validate import validate

        return validate(run, config)
    if settings.event_name in events.PULL_EVENTS and not settings.request_file:
        from planner.action.modes.merged import merged

        result = merged(run, config)
    else:
        from planner.action.modes.plan import plan

        result = plan(run, config, issue)
    return result if result is not None else Outcome.skipped()


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
