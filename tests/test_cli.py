"""The `planner` command: the same core, offline, on a Markdown file or an event payload."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

from planner import cli
from tests.runner import ROOT, webhook

EXAMPLE = ROOT / "examples" / "issue-42.md"


def run(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    return cli.main(list(args), out), out.getvalue()


def test_plan_a_markdown_file_prints_findings_with_lines(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "workspace", tmp_path / "ws")
    code, out = run(
        "plan", str(EXAMPLE), "--issue-number", "42", "--workspace", str(tmp_path / "ws")
    )
    assert code == 0
    assert "warning: M1-T4: [seed-7-feature-first]" in out
    assert "notice: M2, line 30: [seed-3-validation]" in out
    contract = json.loads((tmp_path / "ws" / ".agent" / "planning-output-42.json").read_text())
    assert contract["issue"]["title"] == "Split event ingestion into separate processes"


def test_plan_an_event_payload(tmp_path: Path) -> None:
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = "## Tasks\n- [ ] Add a in a/\n- [ ] Add b in b/\n"
    event = tmp_path / "event.json"
    event.write_text(json.dumps(payload))
    code, _ = run("plan", str(event), "--workspace", str(tmp_path / "ws"))
    assert code == 0
    fanout = json.loads((tmp_path / "ws" / ".agent" / "planner-fanout-1.json").read_text())
    assert [t["id"] for t in fanout["tasks"]] == ["M1-T1", "M1-T2"]


def test_fail_on_sets_the_exit_status(tmp_path: Path) -> None:
    request = tmp_path / "r.md"
    request.write_text("## Tasks\n- [ ] Add a in a/\n")
    assert run("plan", str(request), "--workspace", str(tmp_path / "a"))[0] == 0
    assert (
        run("plan", str(request), "--workspace", str(tmp_path / "b"), "--fail-on", "warning")[0]
        == 1
    )
    # An informal task (no verb, no path) is a warning: the step stays green by default.
    informal = tmp_path / "informal.md"
    informal.write_text("## Tasks\n- [ ] Produce coverage matrix\n  - kind: feature\n")
    assert run("plan", str(informal), "--workspace", str(tmp_path / "c"))[0] == 0
    # A plan that cannot be made valid (a dependency cycle) is an error.
    bad = tmp_path / "bad.md"
    bad.write_text(
        "## Tasks\n- [ ] Add a in a/\n  - depends: M1-T2\n- [ ] Add b in b/\n  - depends: M1-T1\n"
    )
    assert run("plan", str(bad), "--workspace", str(tmp_path / "d"))[0] == 1
    assert run("plan", str(bad), "--workspace", str(tmp_path / "e"), "--fail-on", "never")[0] == 0


def test_draft_file_is_completed_and_checked(tmp_path: Path) -> None:
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "draft.yml").write_text(
        "roadmap:\n  objective: From an agent\n  milestones:\n    - id: A\n      title: First\n"
        "      tasks:\n        - title: Implement parser in src/parse.py\n"
    )
    request = tmp_path / "r.md"
    request.write_text("Plain words, no structure.\n")
    code, out = run("plan", str(request), "--workspace", str(workspace), "--draft", "draft.yml")
    contract = json.loads((workspace / ".agent" / "planning-output-1.json").read_text())
    assert contract["roadmap"]["objective"] == "From an agent"
    assert contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] == [
        "src/parse.py"
    ]
    assert "request-unstructured" not in out
    (workspace / "draft.yml").write_text("roadmap:\n  milestones: 3\n")
    code, out = run("plan", str(request), "--workspace", str(workspace), "--draft", "draft.yml")
    assert code == 1
    assert "[draft-invalid] The draft draft.yml was not used: draft.yml: roadmap.milestones" in out


def test_validate_and_schema(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "workspace", tmp_path / "ws")
    run("plan", str(EXAMPLE), "--issue-number", "42", "--workspace", str(tmp_path / "ws"))
    code, out = run("validate", "--workspace", str(tmp_path / "ws"))
    assert (code, out) == (
        0,
        "planner validate: 1 contract(s) in .agent, no finding at or above 'error'.\n",
    )
    fanout = tmp_path / "ws" / ".agent" / "planner-fanout-42.json"
    data = json.loads(fanout.read_text())
    data["tasks"][1]["wave"] = 1  # M1-T2 depends on M1-T1: same wave is wrong
    fanout.write_text(json.dumps(data))
    code, out = run("validate", "--workspace", str(tmp_path / "ws"))
    assert code == 1 and "[fanout-wave-order]" in out
    code, out = run("schema", "fanout")
    assert code == 0 and json.loads(out)["$id"].endswith("planner-fanout.schema.json")


def test_unreadable_request_is_one_line(tmp_path: Path) -> None:
    code, out = run("plan", str(tmp_path / "missing.md"), "--workspace", str(tmp_path))
    assert code == 2
    assert out.startswith("error: cannot read the request") and out.count("\n") == 1


def test_a_done_mark_stays_with_its_milestone_when_the_issue_is_edited(tmp_path: Path) -> None:
    """Ids go by position: after the finished first section is deleted from the issue,
    M1 is another milestone, and the done mark written beside the old M1 is not its."""
    workspace = tmp_path / "ws"
    request = tmp_path / "r.md"

    def plan(body: str) -> dict[str, str]:
        request.write_text(body)
        code, out = run("plan", str(request), "--issue-number", "7", "--workspace", str(workspace))
        assert code == 0, out
        contract = json.loads((workspace / ".agent" / "planning-output-7.json").read_text())
        return {m["title"]: m["status"] for m in contract["roadmap"]["milestones"]}

    setup = "## Setup\n- [ ] Add the skeleton in `app/`\n\n"
    api = "## API\n- [ ] Add the endpoint in `api/x.py`\n\n"
    client = "## Client\n- [ ] Add the client in `client/x.py`\n"
    assert plan("Ship it.\n\n" + setup + api) == {"Setup": "planned", "API": "planned"}
    plan_file = workspace / "IMPLEMENTATION_PLAN.md"
    marked = plan_file.read_text().replace("| M1 | Setup | planned |", "| M1 | Setup | done |")
    plan_file.write_text(marked)
    assert plan("Ship it.\n\n" + setup + api) == {"Setup": "done", "API": "planned"}
    assert plan("Ship it.\n\n" + api + client) == {"API": "planned", "Client": "planned"}
