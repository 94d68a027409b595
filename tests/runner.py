"""What the GitHub runner does for a container action, as a test helper: every declared
input as INPUT_<NAME> (hyphens kept, defaults filled), the GITHUB_* variables, the event
file and the file-command files; then the parsing of GITHUB_OUTPUT as the runner does it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "node" / "node_modules" / "@octokit" / "webhooks-examples"


def issue_event(action: str, number: int, body: str) -> dict[str, Any]:
    """A real ``issues`` payload of ``action`` for issue ``number`` holding ``body``."""
    payload = webhook("issues", action)
    payload["issue"]["number"] = number
    payload["issue"]["body"] = body
    return payload


def webhook(event: str, action: str | None = None, index: int = 0) -> dict[str, Any]:
    """A real payload from @octokit/webhooks-examples (installed by scripts/test)."""
    listing = EXAMPLES / "api.github.com" / "index.json"
    if not listing.exists():
        raise RuntimeError(
            "@octokit/webhooks-examples is missing: run scripts/test, which "
            "installs tests/node with npm ci"
        )
    for entry in json.loads(listing.read_text(encoding="utf-8")):
        if entry["name"] == event:
            matching = [e for e in entry["examples"] if action is None or e.get("action") == action]
            payload: dict[str, Any] = json.loads(json.dumps(matching[index]))
            return payload
    raise KeyError(event)


def declared_inputs() -> dict[str, str]:
    meta = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return {name: str(spec.get("default", "")) for name, spec in meta["inputs"].items()}


@dataclass
class RunnerResult:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    workspace: Path


def parse_output_file(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT as the runner reads it: ``name=value`` or ``name<<DELIM`` ... ``DELIM``,
    whichever of '=' and '<<' comes first on the line."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        eq, heredoc = line.find("="), line.find("<<")
        if heredoc >= 0 and (eq < 0 or heredoc < eq):
            name, delimiter = line[:heredoc], line[heredoc + 2 :]
            value: list[str] = []
            while lines[index] != delimiter:
                value.append(lines[index])
                index += 1
            index += 1
            outputs[name] = "\n".join(value)
        else:
            outputs[line[:eq]] = line[eq + 1 :]
    return outputs


def run_action(
    tmp: Path,
    event_name: str,
    payload: dict[str, Any] | None,
    inputs: dict[str, str] | None = None,
    extra_env: dict[str, str] | None = None,
    workspace: Path | None = None,
    token: str = "",
    timeout: float = 120,
) -> RunnerResult:
    """Run entrypoint.py in a subprocess with exactly a container action's environment."""
    workspace = workspace or tmp / "workspace"
    workspace.mkdir(parents=True, exist_ok=True)
    workflow_dir = tmp / "workflow"
    commands = tmp / "file_commands"
    workflow_dir.mkdir(parents=True, exist_ok=True)
    commands.mkdir(parents=True, exist_ok=True)
    event_path = workflow_dir / "event.json"
    if payload is not None:
        event_path.write_text(json.dumps(payload), encoding="utf-8")
    output_file = commands / "set_output_1f2e"
    summary_file = commands / "step_summary_1f2e"
    output_file.write_text("", encoding="utf-8")
    summary_file.write_text("", encoding="utf-8")
    values = declared_inputs()
    values["github-token"] = token  # the runner evaluates ${{ github.token }}
    values.update(inputs or {})
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp / "home"),
        "GITHUB_ACTIONS": "true",
        "CI": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_EVENT_NAME": event_name,
        "GITHUB_OUTPUT": str(output_file),
        "GITHUB_STEP_SUMMARY": str(summary_file),
        "GITHUB_REPOSITORY": "Codertocat/Hello-World",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_API_URL": "https://api.github.com",
        "GITHUB_RUN_ID": "1658821493",
        "RUNNER_TEMP": str(tmp / "runner_temp"),
    }
    for name, value in values.items():
        env[f"INPUT_{name.replace(' ', '_').upper()}"] = value
    env.update(extra_env or {})
    done = subprocess.run(
        [sys.executable, str(ROOT / "entrypoint.py")],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    return RunnerResult(
        done.returncode,
        done.stdout,
        done.stderr,
        parse_output_file(output_file.read_text(encoding="utf-8")),
        summary_file.read_text(encoding="utf-8"),
        workspace,
    )
