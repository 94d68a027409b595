"""Golden cases as data: tests/cases/<name>/ holds the request, the workspace before,
and every file the planner must write, byte for byte, plus the findings it must give.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/test_golden.py``
and review the diff.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from planner.action.main import run
from planner.action.settings import Settings
from planner.model import Issue
from planner.schemas import load

CASES = Path(__file__).parent / "cases"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def run_case(case: Path, workspace: Path) -> tuple[int, str, dict[str, str]]:
    meta = yaml.safe_load((case / "case.yml").read_text(encoding="utf-8"))
    if (case / "before").exists():
        shutil.copytree(case / "before", workspace, dirs_exist_ok=True)
    before = {
        p.relative_to(workspace).as_posix(): p.read_bytes()
        for p in workspace.rglob("*")
        if p.is_file()
    }
    issue = Issue(
        number=meta["number"],
        title=meta["title"],
        body=(case / "request.md").read_text(encoding="utf-8"),
    )
    out = io.StringIO()
    settings = Settings(
        workspace=workspace, upload_artifact=False, comment=False, draft=meta.get("draft")
    )
    code = run(settings, out, github=lambda s: None, artifacts=lambda s: None, issue=issue)
    written = {
        p.relative_to(workspace).as_posix(): p.read_bytes().decode("utf-8")
        for p in workspace.rglob("*")
        if p.is_file() and before.get(p.relative_to(workspace).as_posix()) != p.read_bytes()
    }
    return code, out.getvalue(), written


def finding_lines(log: str) -> list[str]:
    """``severity rule`` per finding, from the plain log."""
    lines = []
    for line in log.splitlines():
        severity, _, rest = line.partition(": ")
        if severity in ("error", "warning", "notice") and "[" in rest:
            lines.append(f"{severity} {rest[rest.index('[') + 1 : rest.index(']')]}")
    return lines


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str, tmp_path: Path) -> None:
    folder = CASES / case
    code, log, written = run_case(folder, tmp_path / "ws")
    expected_dir = folder / "expected"
    findings = finding_lines(log)
    if UPDATE:
        shutil.rmtree(expected_dir, ignore_errors=True)
        for name, text in written.items():
            target = expected_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="")
        (folder / "findings.txt").write_text(
            f"exit {code}\n" + "\n".join(findings) + "\n", encoding="utf-8"
        )
        pytest.skip("golden files regenerated")
    expected = {
        p.relative_to(expected_dir).as_posix(): p.read_bytes().decode("utf-8")
        for p in expected_dir.rglob("*")
        if p.is_file()
    }
    assert sorted(written) == sorted(expected), "a different set of files was written"
    for name, text in expected.items():
        assert written[name] == text, f"{name} differs from tests/cases/{case}/expected/{name}"
    want = (folder / "findings.txt").read_text(encoding="utf-8").splitlines()
    assert [f"exit {code}", *findings] == [line for line in want if line]


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_written_contracts_validate_against_committed_schemas(case: str, tmp_path: Path) -> None:
    _, _, written = run_case(CASES / case, tmp_path / "ws")
    contracts = [n for n in written if n.startswith(".agent/planning-output-")]
    fanouts = [n for n in written if n.startswith(".agent/planner-fanout-")]
    assert contracts, "every case writes a contract"
    for name in contracts:
        jsonschema.Draft202012Validator(load("contract")).validate(json.loads(written[name]))
    for name in fanouts:
        jsonschema.Draft202012Validator(load("fanout")).validate(json.loads(written[name]))


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_second_run_changes_nothing(case: str, tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    run_case(CASES / case, workspace)
    snapshot = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    meta = yaml.safe_load((CASES / case / "case.yml").read_text(encoding="utf-8"))
    settings = Settings(
        workspace=workspace, upload_artifact=False, comment=False, draft=meta.get("draft")
    )
    issue = Issue(
        number=meta["number"],
        title=meta["title"],
        body=(CASES / case / "request.md").read_text(encoding="utf-8"),
    )
    run(settings, io.StringIO(), github=lambda s: None, artifacts=lambda s: None, issue=issue)
    after = {p: p.read_bytes() for p in workspace.rglob("*") if p.is_file()}
    assert after == snapshot


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_every_file_written_is_checked_before_github_is_touched(case: str) -> None:
    """``file_names`` (what a run checks it can write before it raises decision issues
    or ticks a merged task) names every file the run then writes."""
    from planner.core.plan import build_plan, file_names, render_result
    from planner.model import Config, PlanRequest

    folder = CASES / case
    meta = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    before = folder / "before"
    draft = meta.get("draft")
    request = PlanRequest(
        issue=Issue(
            number=meta["number"],
            title=meta["title"],
            body=(folder / "request.md").read_text(encoding="utf-8"),
        ),
        draft=(before / draft).read_text(encoding="utf-8") if draft else None,
        draft_name=draft,
    )
    planned = build_plan(request, Config())
    written = set(render_result(planned, request, Config()).files)
    assert written and written <= set(file_names(planned, Config()))
