"""What the triggering event asks for: plan an issue, check a pull request, or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from planner.action.settings import SettingsError, is_number
from planner.core.read import document_title
from planner.model import Issue

if TYPE_CHECKING:
    from planner.core.gate import PullRequest

PLAN_ACTIONS = ("opened", "edited", "labeled", "reopened")
TRUSTED = ("OWNER", "MEMBER", "COLLABORATOR")
MAX_EVENT = 25 * 1_048_576
MAX_ISSUE = 2_147_483_647


PULL_EVENTS = ("pull_request", "pull_request_target")


class MergedPull(NamedTuple):
    """A pull request that was merged: how it names its task, and where it is."""

    pull_request: PullRequest
    number: int
    url: str


class Trigger(NamedTuple):
    """``issue`` when the payload carried it; ``number`` when it must be fetched (also
    ``fetch`` when the payload's issue lacks its body); ``skip`` with the reason when
    there is nothing to do."""

    number: int | None = None
    issue: Issue | None = None
    fetch: bool = False
    pull_request: PullRequest | None = None
    merged: MergedPull | None = None
    skip: str | None = None


def load_event(path: Path | None) -> dict[str, Any]:
    if path is None:
        return {}
    try:
        if path.stat().st_size > MAX_EVENT:
            raise SettingsError(f"GITHUB_EVENT_PATH {path} is larger than {MAX_EVENT} bytes")
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise SettingsError(
            f"GITHUB_EVENT_PATH names {path}, which does not exist; run the action inside a "
            "workflow, or point GITHUB_EVENT_PATH at an event payload"
        ) from exc
    except (OSError, ValueError) as exc:
        raise SettingsError(f"the event payload {path} is not readable JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise SettingsError(f"the event payload {path} is not a JSON object")
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end].encode("unicode_escape").decode("ascii")
        raise SettingsError(
            f"the event payload {path} holds text that is not valid Unicode (a lone surrogate, "
            f"{bad}); nothing was planned or written"
        ) from None
    return data


def issue_from_payload(data: Any) -> Issue | None:
    """The issue as the payload carries it (title, body, labels, URL)."""
    if not isinstance(data, dict) or "number" not in data:
        return None
    number = data["number"]
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= MAX_ISSUE:
        raise SettingsError(
            f"the event's issue number is {json.dumps(number)[:40]}; an issue number is a whole "
            f"number from 1 to {MAX_ISSUE}"
        )
    labels = [
        label["name"]
        for label in data.get("labels") or []
        if isinstance(label, dict) and isinstance(label.get("name"), str)
    ]
    return Issue(
        number=number,
        title=str(data.get("title") or ""),
        body=str(data.get("body") or ""),
        labels=labels,
        url=data.get("html_url") if isinstance(data.get("html_url"), str) else None,
        author=_user_login(data),
    )


def _user_login(data: dict[str, Any]) -> str:
    user = data.get("user")
    login = user.get("login") if isinstance(user, dict) else None
    return login if isinstance(login, str) else ""


def issue_from_text(text: str, name: str, number: int | None, title: str | None) -> Issue:
    """A planning request written in a file: the whole file is the body (so finding lines
    match it); the title is the one given, else the file's first heading, else its first
    line. The file's name is the title only of a file with no text at all."""
    return Issue(number=number or 1, title=title or document_title(text) or name, body=text)


def pull_request_from_payload(pr: dict[str, Any]) -> PullRequest:
    """How a pull request may name its task: its branch, title, body and labels."""
    from planner.core.gate import PullRequest  # the gate is only for pull request events

    labels = tuple(str(x.get("name", "")) for x in pr.get("labels") or [] if isinstance(x, dict))
    return PullRequest(
        branch=str((pr.get("head") or {}).get("ref") or ""),
        title=str(pr.get("title") or ""),
        body=str(pr.get("body") or ""),
        labels=labels,
    )


def resolve_merged(event_name: str | None, payload: dict[str, Any]) -> Trigger:
    """Mode ``plan`` on a pull request event: a merged pull request marks its task done
    (PRODUCT.md §12); one closed unmerged is skipped; an open one is for mode ``check``."""
    pr = payload.get("pull_request") or {}
    action = payload.get("action")
    if action != "closed":
        raise SettingsError(
            f"mode 'plan' handles a pull request when it is closed and merged (its task is "
            f"marked done), not '{action}'; hold an open pull request to its task with mode "
            "'check', or trigger this job on 'pull_request: types: [closed]'"
        )
    number = pr.get("number")
    if not pr.get("merged") or not isinstance(number, int) or isinstance(number, bool):
        return Trigger(skip="pull request closed without merging: no task is marked done")
    into = str((pr.get("base") or {}).get("ref") or "")
    default = str((payload.get("repository") or {}).get("default_branch") or "")
    if default and into != default:
        # Work merged into a side branch (a spike, a release branch) is not done yet: it
        # is done when it reaches the default branch.
        return Trigger(
            skip=f"pull request merged into '{into}', not the default branch '{default}': "
            "no task is marked done"
        )
    return Trigger(
        merged=MergedPull(
            pull_request=pull_request_from_payload(pr),
            number=number,
            url=str(pr.get("html_url") or ""),
        )
    )


def resolve(
    event_name: str | None, payload: dict[str, Any], mode: str, issue_number: int | None
) -> Trigger:
    """Decide what to do for this event (PRODUCT.md §1, §9)."""
    if mode == "check":
        if event_name not in PULL_EVENTS:
            raise SettingsError(
                f"mode 'check' runs on pull_request events, not '{event_name or 'none'}'; "
                "add 'on: pull_request' or use mode 'plan'"
            )
        return Trigger(pull_request=pull_request_from_payload(payload.get("pull_request") or {}))
    if event_name in PULL_EVENTS:
        return resolve_merged(event_name, payload)
    if issue_number is not None and event_name not in ("issues", "issue_comment"):
        return Trigger(number=issue_number)
    if event_name == "issues":
        action = payload.get("action")
        if action not in PLAN_ACTIONS:
            return Trigger(
                skip=f"issues event with action '{action}': nothing to plan "
                f"(planning runs on {', '.join(PLAN_ACTIONS)})"
            )
        raw = payload.get("issue") or {}
        issue = issue_from_payload(raw)
        if issue is None:
            raise SettingsError("the issues event payload has no issue in it")
        if issue_number is not None and issue_number != issue.number:
            return Trigger(number=issue_number)
        return Trigger(number=issue.number, issue=issue, fetch="body" not in raw)
    if event_name == "issue_comment":
        raw = payload.get("issue") or {}
        comment = payload.get("comment") or {}
        if payload.get("action") != "created":
            return Trigger(skip="issue_comment event that is not a new comment: nothing to plan")
        if raw.get("pull_request"):
            return Trigger(skip="comment on a pull request: planning runs on issues only")
        body = str(comment.get("body") or "").lstrip()
        if not body.startswith("/plan"):
            return Trigger(skip="comment does not start with /plan: nothing to plan")
        association = comment.get("author_association")
        if association not in TRUSTED:
            return Trigger(
                skip=f"/plan from a commenter with association '{association}' "
                f"is ignored; only {', '.join(TRUSTED)} may re-plan"
            )
        issue = issue_from_payload(raw)
        if issue is None:
            raise SettingsError("the issue_comment payload has no issue in it")
        return Trigger(number=issue.number, issue=issue, fetch="body" not in raw)
    if event_name == "workflow_dispatch":
        inputs = payload.get("inputs") or {}
        raw_number = str(inputs.get("issue-number") or inputs.get("issue_number") or "").strip()
        raw_number = raw_number.lstrip("#")
        if not is_number(raw_number) or not 1 <= int(raw_number) <= MAX_ISSUE:
            raise SettingsError(
                "input 'issue-number' is required for workflow_dispatch: set it in the "
                "workflow (issue-number: ${{ inputs.issue-number }}) to the planning issue's "
                "number" + (f" (got {raw_number!r})" if raw_number else "")
            )
        return Trigger(number=int(raw_number))
    if event_name is None and issue_number is not None:
        return Trigger(number=issue_number)
    raise SettingsError(
        f"event '{event_name or 'none'}' is not one the planner handles; trigger it on issues, "
        "issue_comment, workflow_dispatch (with issue-number) or pull_request (mode: check)"
    )
