"""validate holds a contract and fanout someone else wrote to what plan mode holds its own
output to: one test per mistake, each through `planner validate` as a user runs it, with
the rule, the JSON Pointer and a failing exit status."""

from __future__ import annotations

import copy
import io
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from planner import cli
from tests.runner import ROOT

EXAMPLE = ROOT / "examples" / "issue-42.md"
Doc = dict[str, Any]


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Doc, Doc]:
    """The contract and fanout `planner plan` writes for the shipped example."""
    workspace = tmp_path_factory.mktemp("planned") / "ws"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    out = io.StringIO()
    assert (
        cli.main(["plan", str(EXAMPLE), "--issue-number", "42", "--workspace", str(workspace)], out)
        == 0
    ), out.getvalue()
    agent = workspace / ".agent"
    return (
        json.loads((agent / "planning-output-42.json").read_text(encoding="utf-8")),
        json.loads((agent / "planner-fanout-42.json").read_text(encoding="utf-8")),
    )


def validate(tmp_path: Path, contract: Doc, fanout: Doc, number: int = 42) -> tuple[int, Any]:
    agent = tmp_path / ".agent"
    agent.mkdir(parents=True)
    (agent / f"planning-output-{number}.json").write_text(json.dumps(contract), "utf-8")
    (agent / f"planner-fanout-{number}.json").write_text(json.dumps(fanout), "utf-8")
    out = io.StringIO()
    code = cli.main(["validate", "--workspace", str(tmp_path)], out)
    return code, out.getvalue()


LINE = re.compile(r"(error|warning|notice): (?:[^\n]*?, )?[^\s#]+#(\S+): \[([a-z0-9-]+)\]")


def reported(log: str) -> list[tuple[str, str, str]]:
    """(severity, rule, JSON Pointer) of each finding validate printed."""
    return [(m.group(1), m.group(3), m.group(2)) for m in LINE.finditer(log)]


def test_the_planned_files_pass(planned: tuple[Doc, Doc], tmp_path: Path) -> None:
    code, log = validate(tmp_path, *planned)
    assert code == 0, log


def first_task(contract: Doc) -> Doc:
    found: Doc = contract["roadmap"]["milestones"][0]["tasks"][0]
    return found


def first_fanout_task(fanout: Doc) -> Doc:
    found: Doc = fanout["tasks"][0]
    return found


TASK = "/roadmap/milestones/0/tasks/0"


def _early(contract: Doc, fanout: Doc) -> None:
    """The contract's first fanout task now waits on an open task outside the fanout; the
    fanout clears its depends_on to hand it out anyway."""
    task = first_fanout_task(fanout)
    milestone = next(m for m in contract["roadmap"]["milestones"] if m["id"] == fanout["milestone"])
    handed = {t["id"] for t in fanout["tasks"]}
    other = next(t for t in milestone["tasks"] if t["id"] not in handed and t["status"] != "done")
    mine = next(t for t in milestone["tasks"] if t["id"] == task["id"])
    mine["depends_on"] = [other["id"]]
    task["depends_on"] = []


CASES: list[tuple[str, Callable[[Doc, Doc], None], str, str]] = [
    (
        "parent path",
        lambda c, f: first_task(c)["diff_boundary"]["paths"].append("../secrets/**"),
        "path-outside-repo",
        f"{TASK}/diff_boundary/paths/1",
    ),
    (
        "absolute path",
        lambda c, f: first_task(c)["diff_boundary"].update(paths=["/etc/passwd"]),
        "path-outside-repo",
        f"{TASK}/diff_boundary/paths/0",
    ),
    (
        "every file",
        lambda c, f: first_task(c)["diff_boundary"].update(paths=["**"]),
        "boundary-unbounded",
        f"{TASK}/diff_boundary/paths/0",
    ),
    (
        "workflows",
        lambda c, f: f["tasks"][0]["diff_boundary"].update(paths=[".github/workflows/**"]),
        "boundary-protected",
        "/tasks/0/diff_boundary/paths/0",
    ),
    (
        "duplicate task id",
        lambda c, f: c["roadmap"]["milestones"][0]["tasks"][1].update(id="M1-T1"),
        "graph-duplicate-id",
        "/roadmap/milestones/0/tasks/1/id",
    ),
    (
        "task wider than its milestone",
        lambda c, f: first_task(c)["diff_boundary"].update(max_diff_scope=100_000),
        "diff-scope-exceeds-milestone",
        f"{TASK}/diff_boundary/max_diff_scope",
    ),
    (
        "issue number not the file's",
        lambda c, f: c["issue"].update(number=43),
        "contract-issue-mismatch",
        "/issue/number",
    ),
    (
        "fanout of another version",
        lambda c, f: f.update(version=f["version"] + 1),
        "fanout-contract-mismatch",
        "/version",
    ),
    (
        "fanout task with a path added",
        lambda c, f: first_fanout_task(f)["diff_boundary"]["paths"].append("cmd/**"),
        "fanout-wider-than-contract",
        "/tasks/0/diff_boundary/paths/1",
    ),
    (
        "fanout task handed every file in place of its own",
        lambda c, f: first_fanout_task(f)["diff_boundary"].update(paths=["**"]),
        "fanout-wider-than-contract",
        "/tasks/0/diff_boundary/paths/0",
    ),
    (
        "fanout task handed every file, unbounded",
        lambda c, f: first_fanout_task(f)["diff_boundary"].update(paths=["**"]),
        "boundary-unbounded",
        "/tasks/0/diff_boundary/paths/0",
    ),
    (
        "fanout task handed a glob that overlaps its own and holds more",
        lambda c, f: first_fanout_task(f)["diff_boundary"].update(paths=["*/*/*/*.go"]),
        "fanout-wider-than-contract",
        "/tasks/0/diff_boundary/paths/0",
    ),
    (
        "fanout task handed the workflows",
        lambda c, f: first_fanout_task(f)["diff_boundary"]["paths"].append(
            ".github/workflows/ci.yml"
        ),
        "boundary-protected",
        "/tasks/0/diff_boundary/paths/1",
    ),
    (
        "fanout task handed out early with its dependency cleared",
        lambda c, f: _early(c, f),
        "fanout-not-ready",
        "/tasks/0",
    ),
    (
        "fanout task with its dependency cleared",
        lambda c, f: _early(c, f),
        "fanout-wider-than-contract",
        "/tasks/0/depends_on",
    ),
    (
        "a task title of spaces",
        lambda c, f: first_task(c).update(title="   "),
        "contract-schema",
        "/roadmap/milestones/0/tasks/0/title",
    ),
    (
        "a task objective of zero-width characters",
        lambda c, f: first_task(c).update(objective="\u200b\u200d"),
        "contract-schema",
        "/roadmap/milestones/0/tasks/0/objective",
    ),
    (
        "an absurd number of changed lines",
        lambda c, f: first_task(c)["diff_boundary"].update(max_diff_scope=10**30),
        "contract-schema",
        "/roadmap/milestones/0/tasks/0/diff_boundary/max_diff_scope",
    ),
    (
        "fanout task with more lines",
        lambda c, f: first_fanout_task(f)["diff_boundary"].update(max_diff_scope=5000),
        "fanout-wider-than-contract",
        "/tasks/0/diff_boundary/max_diff_scope",
    ),
    (
        "fanout task with a lower risk",
        lambda c, f: first_fanout_task(f).update(risk_class="low"),
        "fanout-wider-than-contract",
        "/tasks/0/risk_class",
    ),
    (
        "fanout task with its invariants replaced",
        lambda c, f: first_fanout_task(f).update(invariants=["anything goes"]),
        "fanout-wider-than-contract",
        "/tasks/0/invariants",
    ),
    (
        "fanout of a milestone an open decision blocks",
        lambda c, f: c["decisions"][0].update(blocks=[f["milestone"]]),
        "decision-blocks",
        "/tasks",
    ),
]


@pytest.mark.parametrize(("mistake", "change", "rule", "pointer"), CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_refused_with_its_pointer(
    planned: tuple[Doc, Doc],
    tmp_path: Path,
    mistake: str,
    change: Callable[[Doc, Doc], None],
    rule: str,
    pointer: str,
) -> None:
    contract, fanout = copy.deepcopy(planned[0]), copy.deepcopy(planned[1])
    change(contract, fanout)
    code, log = validate(tmp_path, contract, fanout)
    assert code == 1, log
    found = reported(log)
    hits = [(severity, where) for severity, name, where in found if name == rule]
    assert hits, f"{mistake}: no {rule} in {log}"
    assert ("error", pointer) in hits, log
    unplaced = [line for line in log.splitlines() if line.startswith("error:") and "#/" not in line]
    assert not unplaced, "every error carries its JSON Pointer"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ('{"issue": 1, "issue": 2}', "the key 'issue' appears twice"),
        ('{"roadmap": {"version": NaN}}', "NaN is not a JSON number"),
        ('{"roadmap": {"version": Infinity}}', "Infinity is not a JSON number"),
    ],
)
def test_json_that_readers_would_read_differently_is_refused(
    tmp_path: Path, text: str, why: str
) -> None:
    agent = tmp_path / ".agent"
    agent.mkdir()
    (agent / "planning-output-42.json").write_text(text, "utf-8")
    out = io.StringIO()
    assert cli.main(["validate", "--workspace", str(tmp_path)], out) == 1
    assert "[json-invalid]" in out.getvalue() and why in out.getvalue()


@pytest.mark.parametrize("case", sorted(p.name for p in (ROOT / "tests" / "cases").iterdir()))
def test_what_plan_mode_writes_validate_accepts(case: str, tmp_path: Path) -> None:
    """validate finds no error in the planner's own output that plan mode did not report."""
    from tests.test_golden import CASES, finding_lines, run_case

    workspace = tmp_path / "ws"
    _, log, written = run_case(CASES / case, workspace)
    planned_errors = {line.split()[1] for line in finding_lines(log) if line.startswith("error")}
    out = io.StringIO()
    cli.main(["validate", "--workspace", str(workspace)], out)
    validate_errors = {
        rule for severity, rule, _ in reported(out.getvalue()) if severity == "error"
    }
    assert validate_errors <= planned_errors, out.getvalue()


def test_plan_says_what_validate_would_refuse_in_its_own_contract(tmp_path: Path) -> None:
    """The contract-level checks run in plan mode too: a later milestone's task given
    every file is an error of the plan (not only of a validate run after it), and one
    naming a workflow is a warning in both, held back when it is ready."""
    request = tmp_path / "issue.md"
    request.write_text(
        "## Milestones\n### M1: Parser\n- [ ] Add the parser in src/parse.py\n"
        "### M2: Release\n- [ ] Update .github/workflows/release.yml\n"
        "- [ ] Tidy everything\n  - paths: **\n"
    )
    out = io.StringIO()
    code = cli.main(["plan", str(request), "--workspace", str(tmp_path)], out)
    planned = reported(out.getvalue())
    pointer = "/roadmap/milestones/1/tasks/1/diff_boundary/paths/0"
    assert code == 1 and ("error", "boundary-unbounded", pointer) in planned, planned
    judged = io.StringIO()
    assert cli.main(["validate", "--workspace", str(tmp_path)], judged) == 1
    assert {r for s, r, _ in reported(judged.getvalue()) if s == "error"} == {"boundary-unbounded"}
    assert ("warning", "boundary-protected") in {(s, r) for s, r, _ in reported(judged.getvalue())}


def test_a_task_allowed_more_than_its_milestone_is_held_to_the_milestone(tmp_path: Path) -> None:
    """The author's task scope over its milestone's is a warning of the plan, and the
    contract holds the task to the milestone's, so validate accepts what plan wrote."""
    request = tmp_path / "issue.md"
    request.write_text(
        "## Milestone 1: Export\n- diff: 100\n\n- [ ] Stream the rows in `reports/csv.py`\n"
        "  - diff: 900\n"
    )
    out = io.StringIO()
    assert cli.main(["plan", str(request), "--workspace", str(tmp_path)], out) == 0
    assert "[diff-scope-exceeds-milestone]" in out.getvalue()
    contract = json.loads((tmp_path / ".agent" / "planning-output-1.json").read_text())
    task = contract["roadmap"]["milestones"][0]["tasks"][0]
    assert task["diff_boundary"]["max_diff_scope"] == 100
    assert cli.main(["validate", "--workspace", str(tmp_path)], io.StringIO()) == 0


def test_a_previous_contract_with_a_key_twice_is_not_trusted(tmp_path: Path) -> None:
    """Plan reads the contract it wrote before as validate does: with a key twice (which
    copy counts differs between readers) it is no previous plan, so its version is not
    carried on."""
    request = tmp_path / "issue.md"
    request.write_text("## Tasks\n- [ ] Add the parser in `src/parse.py`\n")
    assert cli.main(["plan", str(request), "--workspace", str(tmp_path)], io.StringIO()) == 0
    written = tmp_path / ".agent" / "planning-output-1.json"
    contract = json.loads(written.read_text())
    contract["roadmap"]["version"] = 7
    text = json.dumps(contract)
    written.write_text(text)
    assert cli.main(["plan", str(request), "--workspace", str(tmp_path)], io.StringIO()) == 0
    assert json.loads(written.read_text())["roadmap"]["version"] == 7  # carried on
    written.write_text(text.replace('{"schema', '{"issue": {}, "schema', 1))
    assert cli.main(["plan", str(request), "--workspace", str(tmp_path)], io.StringIO()) == 0
    assert json.loads(written.read_text())["roadmap"]["version"] == 1
