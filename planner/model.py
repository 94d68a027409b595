"""The data the planner reads and writes.

These pydantic models are the single source of truth: the JSON Schemas shipped
in ``planner/schemas/``, and the validators there, are generated from them
(``python -m planner.schemas``; ``planner schema`` prints a schema), and a test
fails when the committed files drift.
"""

# No "from __future__ import annotations" here: pydantic would then evaluate each field's
# annotation again from its text, about 2 ms of every start-up for these models.

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, StringConstraints, field_validator

SCHEMA_VERSION = "1"

RiskClass = Literal["low", "medium", "high", "critical"]
RISK_ORDER: tuple[RiskClass, ...] = ("low", "medium", "high", "critical")
Status = Literal["planned", "in_progress", "done"]
Role = Literal["developer", "qa"]
TaskKind = Literal["feature", "verification", "docs", "chore", "ops"]
Severity = Literal["error", "warning", "notice"]
FailOn = Literal["error", "warning", "never"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)
"""The values of the fail-on input: the lowest severity that fails the step, or never."""
SEVERITY_ORDER: tuple[Severity, ...] = ("notice", "warning", "error")

# Text a person reads holds at least one visible character: not only spaces, nor only
# zero-width or invisible ones (the characters are written out: JSON Schema's and the Rust
# regex engine's escapes differ).
_VISIBLE = (
    "[^\\s\u0000-\u001f\u007f-\u009f\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f"
    "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u2800\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb"
    "\U000e0000-\U000e007f]"
)
NonEmptyStr = Annotated[str, StringConstraints(min_length=1)]
VisibleStr = Annotated[str, StringConstraints(min_length=1, pattern=_VISIBLE)]
"""The texts a person and an agent read first (titles, objectives, outcomes, questions)."""
# A count of lines, issues or versions no real plan comes near: far above any, far below
# what breaks a reader that holds numbers in 64 bits.
Count = Annotated[int, Field(gt=0, le=1_000_000_000)]
MilestoneId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")]


def empty_list() -> list[Any]:
    """A field's default: a new empty list. Not ``list`` itself, whose signature pydantic
    reads to see if it takes the data; a builtin's is parsed from its text (the first
    parse compiles the tokenizer's patterns), about 2 ms of every start-up."""
    return []


def max_risk(*classes: RiskClass) -> RiskClass:
    """The highest of the given risk classes (``low`` when given none)."""
    return max(classes, key=RISK_ORDER.index, default="low")


class Strict(BaseModel):
    # Written files always carry every field, so the generated schemas require them all.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


# --------------------------------------------------------------------------- contract


BoundarySource = Literal["stated", "proposed", "configured", "none"]


def _boundary_source_optional(schema: dict[str, Any]) -> None:
    # Contracts and fanouts written before boundaries were proposed stay valid.
    schema["required"] = [k for k in schema.get("required", []) if k not in ("source", "evidence")]


class DiffBoundary(Strict):
    """Where a task may change code, and how much."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_boundary_source_optional,
    )

    paths: list[NonEmptyStr] = Field(
        description="Repository-relative globs the task's change must stay inside."
    )
    max_diff_scope: Count = Field(description="Changed lines allowed for the task.")
    source: BoundarySource = Field(
        default="stated",
        description="Where the paths come from: 'stated' by the request (a paths: hint or "
        "a path in the task's text), 'proposed' by the planner from the repository (see "
        "evidence), 'configured' (fanout.default_paths), or 'none' (no boundary yet: the "
        "task is held back with needs-boundary).",
    )
    evidence: list[str] = Field(
        default_factory=empty_list,
        description="Why a proposed boundary holds these paths (the names and words that "
        "led to them); for a task held back, the best candidates.",
    )


def _tracks_optional(schema: dict[str, Any]) -> None:
    # Contracts written before tasks named the issue they track stay valid.
    schema["required"] = [k for k in schema.get("required", []) if k != "tracks"]


class Task(Strict):
    """One unit of work for one agent or person."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_tracks_optional,
    )

    id: MilestoneId = Field(description="Stable id, e.g. M1-T2.")
    title: VisibleStr
    role: Role
    kind: TaskKind
    objective: VisibleStr = Field(description="The concrete change to make.")
    status: Literal["planned", "done"] = "planned"
    risk_class: RiskClass
    diff_boundary: DiffBoundary
    invariants: list[NonEmptyStr] = Field(min_length=1)
    acceptance: list[NonEmptyStr] = Field(min_length=1)
    depends_on: list[str] = Field(description="Ids of tasks that must be done first.")
    references: list[PositiveInt] = Field(
        default_factory=empty_list, description="Issue numbers the task text refers to."
    )
    tracks: PositiveInt | None = Field(
        default=None,
        description="The issue whose work this task is: its line only named it "
        "('- [ ] #12'), and its title is that issue's.",
    )


class Milestone(Strict):
    id: MilestoneId
    title: VisibleStr
    outcome: VisibleStr
    status: Status = "planned"
    dependencies: list[str] = Field(description="Ids of milestones that must be done first.")
    acceptance: list[NonEmptyStr] = Field(min_length=1)
    validation: list[NonEmptyStr] = Field(
        min_length=1, description="How acceptance is checked: commands or procedures."
    )
    risks: list[NonEmptyStr]
    risk_class: RiskClass
    max_diff_scope: Count = Field(description="Changed lines allowed for the milestone.")
    tasks: list[Task]
    references: list[PositiveInt] = Field(default_factory=empty_list)


class RemovedTask(Strict):
    """A task the request no longer holds: its id is never given again in this plan."""

    id: MilestoneId
    milestone: str
    title: str


def _removed_optional(schema: dict[str, Any]) -> None:
    # Contracts written before removed tasks were recorded stay valid.
    schema["required"] = [k for k in schema.get("required", []) if k != "removed"]


class Roadmap(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_removed_optional,
    )

    version: Count = Field(description="Goes up only when the roadmap's content changes.")
    objective: VisibleStr
    focus: str | None = Field(
        description="The one focused milestone: first not done whose dependencies are done, "
        "passing over one of verification work only while feature work is open (seed rule 7)."
    )
    milestones: list[Milestone] = Field(min_length=1)
    assumptions: list[NonEmptyStr]
    unknowns: list[NonEmptyStr]
    out_of_scope: list[NonEmptyStr] = Field(default_factory=empty_list)
    removed: list[RemovedTask] = Field(
        default_factory=empty_list,
        description="Tasks of an earlier version of the plan that the request no longer "
        "holds, with their last text; their ids are never given again.",
    )


class ContractDefaults(Strict):
    risk_class: RiskClass
    max_diff_scope: Count
    acceptance_tests: list[NonEmptyStr]
    invariants: list[NonEmptyStr]
    evidence_required: list[NonEmptyStr]


def _answer_optional(schema: dict[str, Any]) -> None:
    # Contracts written before answers were recorded stay valid.
    schema["required"] = [k for k in schema.get("required", []) if k != "answer"]


class Decision(Strict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra=_answer_optional,
    )

    id: MilestoneId
    question: VisibleStr
    options: list[NonEmptyStr]
    impact: RiskClass
    blocks: list[str] = Field(description="Ids of the milestones this decision blocks.")
    issue: str | None = Field(description="URL of the decision issue, once raised.")
    answer: str | None = Field(
        default=None,
        description="The owner's answer, once they closed the decision issue: its last "
        "comment by someone who may decide (the repository's owner, a member or a "
        "collaborator, or the planning issue's author), or the text they wrote around the "
        "planner's part.",
    )


class IssueRef(Strict):
    number: Count
    title: str
    url: str | None


class Contract(Strict):
    """The planning contract: ``.agent/planning-output-<N>.json``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://planner-action.dev/schemas/planning-output.schema.json",
        },
    )

    schema_version: Literal["1"] = "1"
    issue: IssueRef
    roadmap: Roadmap
    contract_defaults: ContractDefaults
    decisions: list[Decision]


class BoundedDiff(DiffBoundary):
    """A diff boundary an agent may receive: never unbounded."""

    paths: list[NonEmptyStr] = Field(
        min_length=1, description="Repository-relative globs the task's change must stay inside."
    )


class FanoutTask(Task):
    """A task as an agent receives it: everything needed, no need to read the contract."""

    diff_boundary: BoundedDiff

    milestone: MilestoneId
    wave: PositiveInt = Field(
        description="Tasks of one wave share no dependency and no file; wave 1 runs first."
    )
    evidence_required: list[NonEmptyStr]
    acceptance_tests: list[NonEmptyStr]


class DeferredTask(Strict):
    task: str
    rule: str
    reason: NonEmptyStr


class Fanout(Strict):
    """Child tasks of the focus milestone: ``.agent/planner-fanout-<N>.json``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://planner-action.dev/schemas/planner-fanout.schema.json",
        },
    )

    schema_version: Literal["1"] = "1"
    issue: IssueRef
    version: Count
    milestone: MilestoneId
    tasks: list[FanoutTask] = Field(min_length=1)
    deferred: list[DeferredTask]


# --------------------------------------------------------------------------- findings


class Location(Strict):
    milestone: str | None = None
    task: str | None = None
    file: str | None = None
    line: PositiveInt | None = None
    pointer: str | None = Field(
        default=None, description="RFC 6901 JSON Pointer into the file, e.g. /roadmap/focus."
    )

    def describe(self) -> str:
        parts = [p for p in (self.task or self.milestone,) if p]
        if self.file:
            where = f"{self.file}:{self.line}" if self.line else self.file
            parts.append(f"{where}#{self.pointer}" if self.pointer is not None else where)
        elif self.line:
            parts.append(f"line {self.line}")
        elif self.pointer is not None:
            parts.append(f"#{self.pointer}")
        return ", ".join(parts)


class Finding(Strict):
    rule: str = Field(description="Stable id, e.g. seed-8-concrete-objective.")
    severity: Severity
    message: str
    location: Location = Field(default_factory=Location)


def at_or_above(severity: Severity, threshold: Severity | FailOn) -> bool:
    if threshold == "never":
        return False
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(threshold)


# --------------------------------------------------------------------------- config


def _default_diff_table() -> dict[RiskClass, int]:
    return {"low": 600, "medium": 400, "high": 200, "critical": 100}


class DefaultsConfig(Strict):
    risk_class: RiskClass = "medium"
    max_diff_scope: dict[RiskClass, PositiveInt] = Field(
        default_factory=_default_diff_table,
        description="Changed lines allowed per risk class when the request gives none.",
    )


SectionRole = Literal[
    "objective",
    "milestones",
    "tasks",
    "acceptance",
    "validation",
    "dependencies",
    "risks",
    "decisions",
    "assumptions",
    "unknowns",
    "invariants",
    "out_of_scope",
    "outcome",
    "notes",
]


class VocabularyConfig(Strict):
    verification: list[NonEmptyStr] = Field(
        default_factory=lambda: [
            "verify",
            "verification",
            "evidence",
            "coverage matrix",
            "coverage report",
            "audit",
            "prove",
            "confirm",
            "sign off",
            "sign-off",
        ],
        description="Words that mark verification-only work (seed rule 7).",
    )
    docs: list[NonEmptyStr] = Field(
        default_factory=lambda: ["document", "documentation", "docs", "readme", "changelog"]
    )
    implementation_verbs: list[NonEmptyStr] = Field(
        default_factory=empty_list,
        description="More verbs that make a developer objective a concrete code change (seed "
        "rule 8), added to the reader's own (docs/lexicon.md, `verb`), which also open an "
        "instruction.",
    )
    operations: list[NonEmptyStr] = Field(
        default_factory=lambda: [
            "run",
            "tag",
            "release",
            "deploy",
            "announce",
            "review",
            "notify",
            "triage",
            "wait",
            "approve",
            "monitor",
            "ping",
            "email",
            "vote",
            "discuss",
            "ask",
            "advertise",
            "tweet",
            "publish",
        ],
        description="Verbs that open an operation a person performs rather than a code change "
        "('Run the release script', 'Tag the commit'): such a task is kind 'ops', kept in the "
        "plan and never handed to an agent, unless it says its run changes files it names "
        "('Run `make readme`; this will update README.md').",
    )
    sections: dict[SectionRole, list[NonEmptyStr]] = Field(
        default_factory=dict,
        description="More headings or label lines that name a section, by role "
        "(e.g. {acceptance: ['Rollout gates'], notes: ['Design review']}); added to the "
        "reader's own vocabulary.",
    )


class FanoutConfig(Strict):
    min_tasks: PositiveInt = 2
    default_paths: list[NonEmptyStr] = Field(
        default_factory=empty_list,
        description="Diff boundary for tasks that name no code location and get none "
        "proposed (empty: such a task is held back with needs-boundary).",
    )
    propose_boundaries: bool = Field(
        default=True,
        description="Propose a boundary from the repository for a task that states none "
        "(the files that define what it names, their tests), marked as proposed with the "
        "evidence; false: such a task gets fanout.default_paths or is held back.",
    )


class DecisionsConfig(Strict):
    max_issues: PositiveInt = Field(
        default=20,
        description="Most decisions that get a decision issue for one planning issue, one "
        "raised or an existing issue they name marked; the rest are named in a "
        "decision-issue-limit finding.",
    )


class LabelsConfig(Strict):
    decision: NonEmptyStr = "decision/major"


class SubIssuesConfig(Strict):
    type: NonEmptyStr | None = Field(
        default="Task",
        description="The issue type given to sub-issues where the organisation defines one "
        "of that name (null: none); a repository a user owns gets none.",
    )


class PathsConfig(Strict):
    plan_file: NonEmptyStr = "IMPLEMENTATION_PLAN.md"
    specs_dir: NonEmptyStr = "specs"
    output_dir: NonEmptyStr = ".agent"


class Config(Strict):
    """The YAML config file (default ``.github/planner.yml``)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_serialization_defaults_required=True,
        json_schema_extra={
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://planner-action.dev/schemas/planner-config.schema.json",
        },
    )

    defaults: DefaultsConfig = Field(default_factory=DefaultsConfig)
    invariants: list[NonEmptyStr] = Field(
        default_factory=lambda: [
            "Changes stay inside the task's diff_boundary.paths",
            "The existing test suite keeps passing",
            "Behaviour outside the diff boundary is unchanged",
        ]
    )
    acceptance_tests: list[NonEmptyStr] = Field(
        default_factory=lambda: ["The repository's test suite passes in CI"]
    )
    evidence_required: list[NonEmptyStr] = Field(
        default_factory=lambda: ["test run output", "diff summary within max_diff_scope"]
    )
    risk_paths: dict[NonEmptyStr, RiskClass] = Field(
        default_factory=dict,
        description="Globs that raise a task's risk class when its paths touch them.",
    )
    vocabulary: VocabularyConfig = Field(default_factory=VocabularyConfig)
    fanout: FanoutConfig = Field(default_factory=FanoutConfig)
    labels: LabelsConfig = Field(default_factory=LabelsConfig)
    decisions: DecisionsConfig = Field(default_factory=DecisionsConfig)
    sub_issues: SubIssuesConfig = Field(default_factory=SubIssuesConfig)
    protected_paths: list[NonEmptyStr] = Field(
        default_factory=lambda: [
            ".github/workflows/**",
            ".github/actions/**",
            ".git/**",
            "CODEOWNERS",
            ".github/CODEOWNERS",
            ".gitmodules",
        ],
        description="Globs no task may be handed out to change; the planning files are "
        "always protected. The defaults keep agents off what runs in CI, who must review "
        "(CODEOWNERS) and where submodules come from.",
    )
    paths: PathsConfig = Field(default_factory=PathsConfig)


# --------------------------------------------------------------------------- the request


class Issue(Strict):
    number: PositiveInt
    title: str
    body: str
    labels: list[str] = Field(default_factory=empty_list)
    url: str | None = None
    author: str = Field(default="", description="The login of who opened the issue.")

    @field_validator("title", "body", mode="before")
    @classmethod
    def _whole_characters(cls, value: object) -> object:
        """A lone surrogate ("\\ud800" in an event's JSON) is no character: it becomes
        U+FFFD, as a decoder writes what it cannot read, so every text the plan takes
        from the issue can be written."""
        if isinstance(value, str) and not value.isascii():
            return value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        return value


class TrackedIssue(Strict):
    """An issue a task line only names (``- [ ] #12``), as GitHub answered for it."""

    title: str
    closed: bool = False
    not_planned: bool = Field(default=False, description="Closed as not planned.")
    pull_request: bool = False

    @field_validator("title", mode="before")
    @classmethod
    def _plain_characters(cls, value: object) -> object:
        """Anyone's title: a lone surrogate or a control character (a NUL makes git read
        the plan file as binary) becomes U+FFFD."""
        value = Issue._whole_characters(value)
        if isinstance(value, str):
            return "".join(
                "\ufffd" if (ord(c) < 32 and c != "\t") or ord(c) == 127 else c for c in value
            )
        return value


class PlanRequest(Strict):
    """Everything the pure core reads: the issue and the planning files, as text."""

    issue: Issue
    draft: str | None = Field(default=None, description="Text of a draft file (input `draft`).")
    draft_name: str | None = None
    plan_text: str | None = Field(default=None, description="Existing IMPLEMENTATION_PLAN.md.")
    specs: dict[str, str] = Field(
        default_factory=dict, description="Existing spec files, by workspace-relative path."
    )
    previous_contract: dict[str, Any] | None = None
    decision_issues: dict[str, str] = Field(
        default_factory=dict, description="Known decision issue URLs by decision id."
    )
    repository_url: str | None = Field(
        default=None,
        description="The repository's web URL (https://github.com/owner/name): a decision's "
        "'#77' becomes that issue's URL.",
    )
    done_tasks: list[str] = Field(
        default_factory=empty_list,
        description="Ids of tasks known done from elsewhere: a merged pull request's task.",
    )
    hand_out: Literal["new", "all"] = Field(
        default="new",
        description="'new': the matrix holds the ready tasks not handed out before (and "
        "those changed since); 'all': every ready task of the focus (input replan: all).",
    )
    memory: str | None = Field(
        default=None,
        description="The planner's memory of this plan's ids: its summary comment, where "
        "a hidden line keeps them (PRODUCT.md §14).",
    )
    tracked: dict[int, TrackedIssue] = Field(
        default_factory=dict,
        description="Issues a task line only names ('- [ ] #12'), by number, as read "
        "from GitHub: the task takes the issue's title, and is done when it is closed.",
    )


SCHEMA_MODELS: dict[str, tuple[str, type[BaseModel], Literal["validation", "serialization"]]] = {
    "contract": ("planning-output.schema.json", Contract, "serialization"),
    "fanout": ("planner-fanout.schema.json", Fanout, "serialization"),
    "config": ("planner-config.schema.json", Config, "validation"),
}
