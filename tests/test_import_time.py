"""What a run imports: planning and validating offline never load the HTTP stack
(PyGithub, requests, urllib3) or git (dulwich), nor jsonschema when every document is
valid, and a plan loads none of the planner's modules that only other runs use; read
from the interpreter's own ``-X importtime`` report of a real run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.runner import ROOT

NETWORK_AND_GIT = ("github", "requests", "urllib3", "dulwich")
# Documents are checked by the validators generated from the schemas; jsonschema (about a
# fifth of a small plan's start-up) is imported only to list the errors of one that fails.
ONLY_ON_ERRORS = ("jsonschema", "referencing")
# The generated validators raise the planner's own exception; fastjsonschema itself only
# writes them (python -m planner.schemas).
ONLY_TO_GENERATE = ("fastjsonschema",)
# What only GitHub's side effects, an upload, a merged pull request, validate and check
# need (about 12 ms of a plan's start-up).
NOT_FOR_PLANNING = (
    "planner.action.artifacts",
    "planner.action.effects",
    "planner.action.github",
    "planner.action.gitdiff",
    "planner.action.merged",
    "planner.action.persist",
    "planner.core.check",
    "planner.core.gate",
)
# How pydantic would look for plugins, which a planner process declares it has none of
# (planner.start): about 13 ms.
PLUGIN_LOOKUP = ("importlib.metadata", "email.message", "zipfile")


def imported(args: list[str], cwd: Path, *, modules: bool = False) -> set[str]:
    """The top-level packages a ``planner`` run imported, from ``-X importtime`` (with
    ``modules``, every module by its full name)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "planner", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            module = line.rsplit("|", 1)[1].strip()
            if module and module != "imported package":
                names.add(module if modules else module.split(".")[0])
    assert {"planner.model" if modules else "planner", "pydantic"} <= names  # it was read
    return names


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "workspace", tmp_path / "ws")
    return tmp_path / "ws"


def test_an_offline_plan_imports_no_http_client_no_git_and_no_jsonschema(
    workspace: Path,
) -> None:
    request = str(ROOT / "examples" / "issue-42.md")
    names = imported(["plan", request, "--issue-number", "42"], workspace)
    unwanted = set(NETWORK_AND_GIT + ONLY_ON_ERRORS + ONLY_TO_GENERATE)
    assert not names & unwanted, sorted(names & unwanted)


def test_an_offline_plan_imports_none_of_what_only_other_runs_use(workspace: Path) -> None:
    request = str(ROOT / "examples" / "issue-42.md")
    names = imported(["plan", request, "--issue-number", "42"], workspace, modules=True)
    assert not names & set(NOT_FOR_PLANNING), sorted(names & set(NOT_FOR_PLANNING))
    assert {"planner.core.plan", "planner.action.workspace"} <= names


def test_a_planner_process_does_not_look_for_pydantic_plugins(workspace: Path) -> None:
    request = str(ROOT / "examples" / "issue-42.md")
    names = imported(["plan", request, "--issue-number", "42"], workspace, modules=True)
    assert not names & set(PLUGIN_LOOKUP), sorted(names & set(PLUGIN_LOOKUP))
    assert "planner.start" in names


def test_validate_imports_no_http_client_no_git_and_no_jsonschema(workspace: Path) -> None:
    request = str(ROOT / "examples" / "issue-42.md")
    imported(["plan", request, "--issue-number", "42"], workspace)
    names = imported(["validate"], workspace)
    unwanted = set(NETWORK_AND_GIT + ONLY_ON_ERRORS)
    assert not names & unwanted, sorted(names & unwanted)
