"""The runner's environment (``INPUT_*``, ``GITHUB_*``) parsed once into one Settings."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal, NamedTuple, TypeVar, get_args

from pydantic import SecretStr

from planner.core.patterns import LazyPattern
from planner.model import FAIL_ON, FailOn

Mode = Literal["plan", "validate", "check"]
MODES: tuple[Mode, ...] = get_args(Mode)
Commit = Literal["none", "pull-request"]
COMMITS: tuple[Commit, ...] = get_args(Commit)
Replan = Literal["new", "all"]
REPLANS: tuple[Replan, ...] = get_args(Replan)
_TRUE = ("true", "yes", "1", "on")
_FALSE = ("false", "no", "0", "off", "")
_ARTIFACT_FORBIDDEN = set('":<>|*?\\/\r\n')
Choice = TypeVar("Choice", bound=str)
REF_PATTERN = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,200}")


class SettingsError(ValueError):
    """An input or runner variable that is missing or wrong; the message names it."""


class Settings(NamedTuple):
    """What one run is asked to do: the action's inputs and the runner's variables, each
    already checked (``from_env`` for the container, ``planner.cli`` for a terminal)."""

    workspace: Path
    mode: Mode = "plan"
    issue_number: int | None = None
    github_token: SecretStr | None = None
    config: str = ".github/planner.yml"
    config_explicit: bool = False
    plan_file: str | None = None
    specs_dir: str | None = None
    output_dir: str | None = None
    draft: str | None = None
    request_file: str | None = None
    fail_on: FailOn = "error"
    comment: bool = True
    create_decision_issues: bool = True
    decision_label: str | None = None
    create_sub_issues: bool = False
    milestones: bool = False
    project: tuple[str, int] | None = None  # owner, number
    project_token: SecretStr | None = None
    upload_artifact: bool = True
    artifact_name: str | None = None
    retention_days: int | None = None
    base_ref: str | None = None
    commit: Commit = "none"
    replan: Replan = "new"
    event_name: str | None = None
    event_path: Path | None = None
    output_file: Path | None = None
    summary_file: Path | None = None
    repository: str | None = None
    server_url: str = "https://github.com"
    api_url: str = "https://api.github.com"
    run_id: str | None = None
    runtime_token: SecretStr | None = None
    results_url: str | None = None
    retention_cap: int | None = None
    on_runner: bool = False


def is_number(text: str) -> bool:
    """Plain ASCII digits: ``str.isdigit`` also takes ``²`` and ``٣``, which ``int`` refuses
    or reads as another number."""
    return text.isascii() and text.isdigit() and len(text) <= 18


PROJECT = LazyPattern(
    r"(?:https?://[^/\s]+/(?:orgs|users)/)?([A-Za-z0-9][A-Za-z0-9-]{0,38})/(?:projects/)?"
    r"([1-9][0-9]{0,8})(?:/views/[0-9]+)?/?(?:\?[^\s#]*)?(?:#\S*)?"
)


def _project(value: str) -> tuple[str, int] | None:
    """The ``project`` input: a project's URL (``https://github.com/orgs/<org>/projects/<n>``
    or ``…/users/<user>/projects/<n>``) or ``<owner>/<n>``; the owner and number."""
    if not value:
        return None
    match = PROJECT.fullmatch(value)
    if match is None:
        raise SettingsError(
            f"input 'project' is {value[:200]!r}; give the project's URL "
            "(https://github.com/orgs/<org>/projects/<number>, or users/<user>/projects/"
            "<number>) or <owner>/<number>"
        )
    return match.group(1), int(match.group(2))


def _input(env: Mapping[str, str], name: str) -> str:
    """The runner's name for an input: upper case, spaces to '_', hyphens kept."""
    return env.get(f"INPUT_{name.replace(' ', '_').upper()}", "").strip()


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = _input(env, name).lower()
    if not raw:
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"input '{name}' is '{raw}'; use true or false")


def _choice(
    env: Mapping[str, str], name: str, allowed: tuple[Choice, ...], default: Choice
) -> Choice:
    raw = _input(env, name).lower() or default
    for choice in allowed:
        if raw == choice:
            return choice
    raise SettingsError(f"input '{name}' is '{raw}'; use one of {', '.join(allowed)}")


def _int(env: Mapping[str, str], name: str, low: int, high: int) -> int | None:
    raw = _input(env, name).lstrip("#")
    if not raw:
        return None
    if not is_number(raw) or not low <= int(raw) <= high:
        raise SettingsError(f"input '{name}' is '{raw}'; use a whole number from {low} to {high}")
    return int(raw)


def validate_artifact_name(name: str) -> str:
    bad = sorted(set(name) & _ARTIFACT_FORBIDDEN)
    if bad or not name.strip():
        shown = " ".join(repr(c) for c in bad) or "nothing"
        raise SettingsError(
            f"input 'artifact-name' is {name!r}; artifact names cannot be empty or contain "
            f'" : < > | * ? \\ / or newlines (found {shown})'
        )
    return name


def from_env(env: Mapping[str, str]) -> Settings:
    """Read the container's environment as the runner sets it."""
    workspace = env.get("GITHUB_WORKSPACE") or "."
    token = _input(env, "github-token") or env.get("GITHUB_TOKEN", "")
    mode = _choice(env, "mode", MODES, "plan")
    base_ref = _input(env, "base-ref") or None
    if base_ref and not REF_PATTERN.fullmatch(base_ref):
        raise SettingsError(f"input 'base-ref' is {base_ref!r}; use a branch, tag or commit name")
    artifact_name = _input(env, "artifact-name") or None
    if artifact_name:
        validate_artifact_name(artifact_name)
    if not _bool(env, "create-sub-issues", False):
        for name in ("milestones", "project"):
            if _input(env, name) not in ("", "false"):
                raise SettingsError(
                    f"input '{name}' acts on sub-issues; set create-sub-issues: true as well "
                    f"(or leave {name} out)"
                )
    project_token = _input(env, "project-token")
    if project_token and not _input(env, "project"):
        raise SettingsError("input 'project-token' is set but 'project' is empty; name the project")
    cap_raw = env.get("GITHUB_RETENTION_DAYS", "").strip()
    event_path = env.get("GITHUB_EVENT_PATH")
    config = _input(env, "config")
    return Settings(
        mode=mode,
        issue_number=_int(env, "issue-number", 1, 2_147_483_647),
        github_token=SecretStr(token) if token else None,
        config=config or ".github/planner.yml",
        config_explicit=bool(config) and config != ".github/planner.yml",
        plan_file=_input(env, "plan-file") or None,
        specs_dir=_input(env, "specs-dir") or None,
        output_dir=_input(env, "output-dir") or None,
        draft=_input(env, "draft") or None,
        request_file=_input(env, "request-file") or None,
        fail_on=_choice(env, "fail-on", FAIL_ON, "error"),
        comment=_bool(env, "comment", True),
        create_decision_issues=_bool(env, "create-decision-issues", True),
        decision_label=_input(env, "decision-label") or None,
        create_sub_issues=_bool(env, "create-sub-issues", False),
        milestones=_bool(env, "milestones", False),
        project=_project(_input(env, "project")),
        project_token=SecretStr(project_token) if project_token else None,
        upload_artifact=_bool(env, "upload-artifact", True),
        artifact_name=artifact_name,
        retention_days=_int(env, "retention-days", 1, 90),
        base_ref=base_ref,
        commit=_choice(env, "commit", COMMITS, "none"),
        replan=_choice(env, "replan", REPLANS, "new"),
        workspace=Path(workspace),
        event_name=env.get("GITHUB_EVENT_NAME") or None,
        event_path=Path(event_path) if event_path else None,
        output_file=Path(env["GITHUB_OUTPUT"]) if env.get("GITHUB_OUTPUT") else None,
        summary_file=(Path(env["GITHUB_STEP_SUMMARY"]) if env.get("GITHUB_STEP_SUMMARY") else None),
        repository=env.get("GITHUB_REPOSITORY") or None,
        server_url=(env.get("GITHUB_SERVER_URL") or "https://github.com").rstrip("/"),
        api_url=(env.get("GITHUB_API_URL") or "https://api.github.com").rstrip("/"),
        run_id=env.get("GITHUB_RUN_ID") or None,
        runtime_token=(
            SecretStr(env["ACTIONS_RUNTIME_TOKEN"]) if env.get("ACTIONS_RUNTIME_TOKEN") else None
        ),
        results_url=env.get("ACTIONS_RESULTS_URL") or None,
        retention_cap=int(cap_raw) if cap_raw.isdigit() else None,
        on_runner=env.get("GITHUB_ACTIONS") == "true",
    )
