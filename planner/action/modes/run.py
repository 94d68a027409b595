"""What every mode works with: one :class:`Run` (settings, workspace, runner, and the
factories of its GitHub and artifact clients) and what it returns, an :class:`Outcome`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from planner.action.settings import Settings
from planner.action.workflow import Workflow
from planner.action.workspace import Workspace
from planner.model import Finding

if TYPE_CHECKING:
    from planner.action.artifacts import ArtifactPort
    from planner.action.github import GitHubPort

GitHubFactory = Callable[[Settings], "GitHubPort | None"]
ArtifactFactory = Callable[[Settings], "ArtifactPort | None"]

MatrixRow = dict[str, str]

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


@dataclass
class Outcome:
    """A mode's result: its findings, the step outputs, the summary, and (for a plan) the
    matrix rows handed out, as data."""

    findings: list[Finding] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    matrix: list[MatrixRow] = field(default_factory=list)

    @classmethod
    def skipped(cls, *findings: Finding) -> Outcome:
        """Nothing planned: every plan output still set, to its empty value."""
        return cls(findings=list(findings), outputs=dict(SKIPPED_OUTPUTS))


@dataclass
class Run:
    """One run of the action: what it was given and where it writes."""

    settings: Settings
    workspace: Workspace
    workflow: Workflow
    github: GitHubFactory
    artifacts: ArtifactFactory

    @cached_property
    def port(self) -> GitHubPort | None:
        """The GitHub client, made once and only when a token was given."""
        return self.github(self.settings) if self.settings.github_token is not None else None

    def skip(self, why: str) -> None:
        """Say on the runner why this event asks for nothing."""
        self.workflow.message("notice", f"Skipped: {why}.", title="planner")
