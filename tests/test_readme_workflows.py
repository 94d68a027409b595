"""What a user copies from the README works: every YAML block parses; the workflows pass
GitHub's workflow schema and keep issue text out of shell code; the configuration block
is a valid config that plans the example. The repository's own workflows keep the same
rules (pinned actions, no persisted credentials, permissions per job)."""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from planner.action.events import TRUSTED
from planner.model import Config
from planner.schemas import load
from tests.runner import ROOT, run_action, webhook

README = (ROOT / "README.md").read_text(encoding="utf-8")
_spec = importlib.util.spec_from_file_location(
    "readme_workflows", ROOT / "scripts" / "readme_workflows.py"
)
assert _spec is not None and _spec.loader is not None
readme_workflows = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_workflows)

BLOCKS: list[tuple[int, str]] = readme_workflows.yaml_blocks(README)
WORKFLOWS = {
    f"README.md:{line}": text for line, text in BLOCKS if readme_workflows.is_workflow(text)
}


def section_lines(heading: str) -> range:
    """The README's lines (1-based) from a ``## heading`` to the next one."""
    lines = README.splitlines()
    first = lines.index(f"## {heading}") + 1
    rest = [n for n, text in enumerate(lines[first:], first + 1) if text.startswith("## ")]
    return range(first, rest[0] if rest else len(lines) + 1)


CONFIGS = [text for line, text in BLOCKS if line in section_lines("Configuration")]
REPO_WORKFLOWS = {
    str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
    for p in sorted((ROOT / ".github" / "workflows").glob("*.yml"))
}
SHA_PIN = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load_yaml(text: str) -> dict[str, Any]:
    data = yaml.safe_load(text)
    assert isinstance(data, dict)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def test_the_readme_has_its_workflows_and_one_config() -> None:
    assert len(WORKFLOWS) >= 2 and len(CONFIGS) == 1
    assert not any(readme_workflows.is_workflow(text) for text in CONFIGS)
    for _, text in BLOCKS:
        load_yaml(text)  # PyYAML reads every block


def test_readme_workflows_pass_the_workflow_schema(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "readme_workflows.py"), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    files = done.stdout.split()
    assert len(files) == len(WORKFLOWS)
    schema = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + files,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert schema.returncode == 0, schema.stdout + schema.stderr


ALL = {**WORKFLOWS, **REPO_WORKFLOWS}


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_expression_reaches_a_shell(name: str) -> None:
    """Values from the event or outputs go through env:, so issue text is never code."""
    for step in steps(load_yaml(ALL[name])):
        assert "${{" not in step.get("run", ""), f"{name}: {step.get('name')} expands in run:"


@pytest.mark.parametrize("name", sorted(ALL))
def test_least_privilege_and_pinned_actions(name: str) -> None:
    workflow = load_yaml(ALL[name])
    assert workflow["permissions"] == {}, f"{name}: permissions belong to the jobs"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{name}: job {job_id} has no permissions"
    lines = ALL[name].splitlines()
    for step in steps(workflow):
        uses = step.get("uses", "")
        if uses.startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False, name
        if not uses or uses.startswith("./") or uses == "org/planner-action@v1":
            continue
        line = next(x.strip().removeprefix("- ") for x in lines if uses in x)
        assert SHA_PIN.fullmatch(line.removeprefix("uses: ")), f"{name}: {line}"


TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^']|'')*')|(?P<op>\|\||&&|==|!=|!|\(|\)|,)"
    r"|(?P<name>[A-Za-z_][\w.*-]*))"
)
FUNCTIONS = {"contains": "_contains", "startsWith": "_starts_with", "fromJSON": "_from_json"}


def evaluate(expression: str, context: dict[str, Any]) -> Any:
    """A GitHub expression of the kind a job's if: uses (literals, property paths with
    ``*``, ! && || == !=, contains, startsWith, fromJSON), evaluated as the runner does:
    a missing property is null, string comparisons ignore case."""

    def prop(path: str) -> Any:
        values: list[Any] = [context]
        for part in path.split("."):
            if part == "*":
                values = [v for x in values if isinstance(x, list) for v in x]
                continue
            values = [x.get(part) if isinstance(x, dict) else None for x in values]
        return values if "*" in path else values[0]

    def contains(haystack: Any, needle: Any) -> bool:
        if isinstance(haystack, list):
            return any(str(x).lower() == str(needle).lower() for x in haystack)
        return str(needle).lower() in str(haystack or "").lower()

    def starts_with(text: Any, prefix: Any) -> bool:
        return str(text or "").lower().startswith(str(prefix).lower())

    python, position = [], 0
    while position < len(expression.rstrip()):
        match = TOKEN.match(expression, position)
        assert match is not None, f"cannot read {expression[position:]!r}"
        position = match.end()
        if match["str"]:
            python.append(repr(match["str"][1:-1].replace("''", "'")))
        elif match["op"]:
            python.append({"||": " or ", "&&": " and ", "!": " not "}.get(match["op"], match["op"]))
        elif match["name"] in FUNCTIONS:
            python.append(FUNCTIONS[match["name"]])
        else:
            literal = {"null": "None", "true": "True", "false": "False"}.get(match["name"])
            python.append(literal or f"_prop({match['name']!r})")
    helpers = {
        "_prop": prop,
        "_contains": contains,
        "_starts_with": starts_with,
        "_from_json": json.loads,
    }
    return eval("".join(python), {"__builtins__": {}}, helpers)  # noqa: S307


def comment_event(body: str, association: str, on_pr: bool = False) -> dict[str, Any]:
    payload = webhook("issue_comment", "created")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    payload["comment"]["body"] = body
    payload["comment"]["author_association"] = association
    if on_pr:
        payload["issue"]["pull_request"] = {"url": "https://api.github.com/pulls/1"}
    return payload


@pytest.mark.parametrize(
    ("body", "association", "on_pr", "admitted"),
    [
        ("/plan", "OWNER", False, True),
        ("/plan again, please", "MEMBER", False, True),
        ("/plan", "COLLABORATOR", False, True),
        ("/plan", "CONTRIBUTOR", False, False),
        ("/plan", "FIRST_TIME_CONTRIBUTOR", False, False),
        ("/plan", "NONE", False, False),
        ("looks good /plan", "OWNER", False, False),
        ("/plan", "OWNER", True, False),
    ],
)
def test_the_plan_jobs_if_admits_what_the_action_plans(
    body: str, association: str, on_pr: bool, admitted: bool, tmp_path: Path
) -> None:
    """The README's if: and the action's own filter agree: a comment the job admits is
    planned; one it keeps out would have been skipped by the action anyway."""
    condition = load_yaml(WORKFLOWS[min(WORKFLOWS)])["jobs"]["plan"]["if"]
    payload = comment_event(body, association, on_pr)
    context = {"github": {"event_name": "issue_comment", "event": payload}}
    assert bool(evaluate(condition, context)) is admitted
    result = run_action(tmp_path, "issue_comment", payload)
    assert result.code == 0, result.stdout
    assert (result.outputs["focus"] == "M1") is admitted


def test_the_plan_jobs_if_for_issues_and_manual_runs() -> None:
    condition = load_yaml(WORKFLOWS[min(WORKFLOWS)])["jobs"]["plan"]["if"]
    issue = webhook("issues", "labeled")
    issue["issue"]["labels"] = [{"name": "Planning"}, {"name": "bug"}]
    assert evaluate(condition, {"github": {"event_name": "issues", "event": issue}})
    issue["issue"]["labels"] = [{"name": "bug"}]
    assert not evaluate(condition, {"github": {"event_name": "issues", "event": issue}})
    assert evaluate(condition, {"github": {"event_name": "workflow_dispatch", "event": {}}})


def test_plan_job_admits_only_trusted_slash_plan_comments() -> None:
    workflow = load_yaml(WORKFLOWS[min(WORKFLOWS)])
    plan = workflow["jobs"]["plan"]
    condition = " ".join(plan["if"].split())
    assert "startsWith(github.event.comment.body, '/plan')" in condition
    assert "!github.event.issue.pull_request" in condition
    trusted = re.search(
        r"fromJSON\('(\[.*?\])'\), github\.event\.comment\.author_association", condition
    )
    assert trusted is not None and tuple(json.loads(trusted[1])) == TRUSTED
    assert plan["concurrency"]["group"].startswith("plan-${{ github.event.issue.number")
    assert plan["permissions"] == {"contents": "read", "issues": "write"}
    build = workflow["jobs"]["build"]
    assert build["if"] == "fromJSON(needs.plan.outputs.matrix).include[0] != null"


def test_readme_config_is_valid_and_plans_the_example(tmp_path: Path) -> None:
    (text,) = CONFIGS
    data = load_yaml(text)
    errors = list(Draft202012Validator(load("config")).iter_errors(data))
    assert not errors, errors[0].message
    Config.model_validate(data)

    workspace = tmp_path / "workspace"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    (workspace / ".github" / "planner.yml").write_text(text, encoding="utf-8")
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    result = run_action(tmp_path, "issues", payload, workspace=workspace)
    assert result.code == 0, result.stdout
    assert result.outputs["focus"] == "M1" and result.outputs["valid"] == "true"
    contract = json.loads((workspace / result.outputs["contract"]).read_text(encoding="utf-8"))
    assert contract["contract_defaults"]["acceptance_tests"] == ["go test ./..."]


LOOP = next(load_yaml(text) for text in WORKFLOWS.values() if "name: Plan loop" in text)


@pytest.mark.parametrize(
    ("action", "merged", "jobs"),
    [
        ("opened", False, {"check"}),
        ("synchronize", False, {"check"}),
        ("edited", False, {"check"}),
        ("labeled", False, {"check"}),
        ("unlabeled", False, {"check"}),
        ("closed", True, {"done"}),
        ("closed", False, set()),
    ],
)
def test_the_loop_runs_check_on_open_pull_requests_and_done_on_merged_ones(
    action: str, merged: bool, jobs: set[str]
) -> None:
    payload = webhook("pull_request", action if action in ("opened", "closed") else None)
    payload["action"] = action
    payload["pull_request"]["merged"] = merged
    context = {"github": {"event_name": "pull_request", "event": payload}}
    ran = {
        name for name in ("plan", "check", "done") if evaluate(LOOP["jobs"][name]["if"], context)
    }
    assert ran == jobs


def test_the_loop_checks_again_when_the_task_a_pull_request_names_can_change() -> None:
    """The title, body and labels name the task, and a merge marks done the task they
    name then: after an edit that names another task, the check must run again, or a
    task whose boundary was never checked would be marked done."""
    types = set(LOOP[True]["pull_request"]["types"])
    assert {"opened", "synchronize", "reopened", "edited", "labeled", "unlabeled"} <= types


def test_the_loop_gives_each_job_the_least_it_needs() -> None:
    jobs = LOOP["jobs"]
    writes = {"contents": "write", "issues": "write", "pull-requests": "write"}
    assert jobs["plan"]["permissions"] == writes and jobs["done"]["permissions"] == writes
    assert jobs["check"]["permissions"] == {"contents": "read"}
    assert jobs["build"]["permissions"] == {"contents": "read"}
    for name in ("plan", "done"):
        (step,) = [s for s in jobs[name]["steps"] if s.get("uses") == "org/planner-action@v1"]
        assert step["with"]["commit"] == "pull-request"
    (check,) = [s for s in jobs["check"]["steps"] if s.get("uses") == "org/planner-action@v1"]
    assert check["with"]["mode"] == "check"
    assert jobs["build"]["needs"] == ["plan", "done"]
    matrix = jobs["build"]["strategy"]["matrix"]
    assert "needs.plan.outputs.matrix || needs.done.outputs.matrix" in matrix
    (agent,) = [s for s in jobs["build"]["steps"] if "run" in s]
    assert (
        agent["env"]["BRANCH"] == "${{ matrix.branch }}" and "matrix.brief" in agent["env"]["BRIEF"]
    )
