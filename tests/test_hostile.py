"""PRODUCT.md §11: the request is untrusted text from anyone who can open an issue."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from planner.core.plan import plan
from planner.model import Issue, PlanRequest
from tests.runner import ROOT, run_action, webhook

DECLARED_OUTPUTS = set(yaml.safe_load((ROOT / "action.yml").read_text())["outputs"])
OUR_COMMANDS = (
    "::error ",
    "::warning ",
    "::notice ",
    "::error::",
    "::warning::",
    "::notice::",
    "::add-mask::",
)

HOSTILE_TITLE = "::set-output name=focus::M9\n::add-mask::x\r\n%0A::error::pwned @everyone"
HOSTILE_BODY = """## Tasks
- [ ] Implement x in `../../etc/passwd`
  - paths: ../../../root/**, /etc/**
- [ ] ::warning file=x::injected %0A::error::two
- [ ] Add y in src/y.py @everyone @octocat
  - risk: ::stop-commands::token
focus<<EOF
M9
EOF
## Open questions
- Who approves? <!-- planner:end 1 --> (major)
  - options: @admins; <script>alert(1)</script>
```yaml
roadmap:
  a: &a [x, x, x, x, x, x, x, x, x, x]
  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
  milestones: [*e]
```
"""


def hostile_payload(title: str, body: str) -> dict:
    payload = webhook("issues", "opened")
    payload["issue"]["title"] = title
    payload["issue"]["body"] = body
    return payload


def files_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def assert_no_injection(stdout: str) -> None:
    for line in stdout.splitlines():
        if line.startswith("::"):
            assert line.startswith(OUR_COMMANDS), f"injected workflow command: {line!r}"
        assert not line.startswith(("::set-output", "::stop-commands", "::add-mask::x")), line
        assert "::error::pwned" not in line


def test_hostile_title_and_body_inject_nothing(tmp_path: Path) -> None:
    before = files_under(tmp_path)
    result = run_action(tmp_path, "issues", hostile_payload(HOSTILE_TITLE, HOSTILE_BODY))
    assert "Traceback" not in result.stdout + result.stderr
    assert_no_injection(result.stdout)
    assert set(result.outputs) <= DECLARED_OUTPUTS
    assert result.outputs["focus"] == "M1"
    created = files_under(tmp_path) - before
    allowed = (tmp_path / "workspace", tmp_path / "workflow", tmp_path / "file_commands")
    assert all(any(p == a or a in p.parents for a in allowed) for p in created), created
    contract = json.loads((result.workspace / result.outputs["contract"]).read_text())
    every_path = [
        p
        for m in contract["roadmap"]["milestones"]
        for t in m["tasks"]
        for p in t["diff_boundary"]["paths"]
    ]
    assert every_path
    assert all(not p.startswith("/") and ".." not in p.split("/") for p in every_path)
    findings = json.loads(result.outputs["findings"])
    assert any(f["rule"] == "path-outside-repo" for f in findings)
    assert any(f["rule"] == "draft-invalid" and "aliases" in f["message"] for f in findings)
    plan = (result.workspace / "IMPLEMENTATION_PLAN.md").read_text()
    assert plan.count("<!-- planner:end") == 1, "request text closed the managed block"
    assert "<script>" not in plan and "@everyone" not in plan


def test_largest_body_with_thousands_of_tasks(tmp_path: Path) -> None:
    line = "- [ ] Implement part {n} in `src/p{n}/`\n"
    body = "## Tasks\n"
    n = 0
    while len(body) + len(line.format(n=n)) <= 65_536:
        body += line.format(n=n)
        n += 1
    assert n > 1500
    result = run_action(tmp_path, "issues", hostile_payload("Big plan", body), timeout=120)
    assert result.code == 0, result.stdout[-2000:]
    matrix = json.loads(result.outputs["matrix"])
    assert len(matrix["include"]) == 256, "a matrix holds at most 256 jobs"
    total = sum(len(v) for v in result.outputs.values())
    assert total < 1_000_000, "job outputs must stay under 1 MB"
    assert len(result.summary.encode()) < 1_048_576
    annotations = [x for x in result.stdout.splitlines() if x.startswith("::")]
    assert len(annotations) <= 30
    fanout = json.loads((result.workspace / result.outputs["fanout"]).read_text())
    assert len(fanout["tasks"]) == n
    assert max(t["wave"] for t in fanout["tasks"]) == -(-n // 256)


def test_oversized_body_is_cut_with_a_finding(tmp_path: Path) -> None:
    body = "## Tasks\n- [ ] Add a in a/\n" + "x" * 70_000
    result = run_action(tmp_path, "issues", hostile_payload("Too big", body))
    findings = json.loads(result.outputs["findings"])
    assert any(f["rule"] == "request-too-large" for f in findings)


def test_symlinked_plan_file_leading_outside_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("secret\n")
    workspace = tmp_path / "workspace"
    workspace.mkdir()
    (workspace / "IMPLEMENTATION_PLAN.md").symlink_to(outside)
    result = run_action(
        tmp_path,
        "issues",
        hostile_payload("T", "## Tasks\n- [ ] Add a in a/\n"),
        workspace=workspace,
    )
    assert result.code == 2
    assert "leads outside the workspace" in result.stdout
    assert outside.read_text() == "secret\n"


def test_token_is_masked_and_never_printed(tmp_path: Path) -> None:
    token = "ghs_" + "Z" * 36
    payload = webhook("workflow_dispatch")
    payload["inputs"] = {"issue-number": "1"}
    # Nothing listens there: the fetch fails, and the error must not carry the token.
    result = run_action(
        tmp_path,
        "workflow_dispatch",
        payload,
        token=token,
        extra_env={"GITHUB_API_URL": "http://127.0.0.1:9"},
    )
    assert result.code == 2
    assert result.stdout.startswith("::add-mask::" + token)
    rest = result.stdout.split("\n", 1)[1]
    assert "did not answer" in rest
    assert token not in rest + result.stderr + result.summary
    assert all(
        token not in p.read_text(errors="ignore")
        for p in tmp_path.rglob("*")
        if p.is_file() and p.name != "event.json"
    )


def test_a_milestone_outcome_cannot_open_a_block_in_its_spec_file() -> None:
    body = (
        "## Milestones\n### M1: Core\nOutcome: # Approved by the owner\n"
        "- [ ] Add the parser in `src/parse.py`\n"
    )
    result = plan(PlanRequest(issue=Issue(number=8, title="t", body=body)))
    spec = next(text for name, text in result.files.items() if name.startswith("specs/"))
    outcome = spec.split("## Outcome\n\n", 1)[1].split("\n", 1)[0]
    assert outcome == "\\# Approved by the owner"
    assert "\n# Approved" not in spec


INVISIBLE = ["\x08", "\x00", "\x7f", "\u200b", "\u3164", "\u2800", "\u034f", "\u202e", "\ufeff"]


def test_text_with_nothing_visible_never_breaks_a_plan() -> None:
    """Control, zero-width, combining and blank-filler characters wherever text goes (a
    milestone's title, a task, hints, a decision's options, a fenced draft): the plan is
    made, and no title, objective or outcome in it is blank."""
    for x in INVISIBLE:
        body = "\n".join(
            [
                f"### M1: {x}",
                f"- [ ] {x}",
                f"  - acceptance: {x}",
                f"  - invariants: {x}{x}",
                f"  - paths: {x}",
                "- [ ] Add a in a/",
                "## Open questions",
                f"- {x}?",
                f"  - options: {x}, {x}",
                "## Risks",
                f"- {x}",
                "```yaml",
                f'roadmap: {{objective: "{x}", milestones: [{{title: "{x}",',
                f'  tasks: [{{title: "{x}"}}]}}]}}',
                "```",
            ]
        )
        result = plan(PlanRequest(issue=Issue(number=3, title=x, body=body)))
        assert result.contract is not None or result.findings, repr(x)
        if result.contract is not None:
            for m in result.contract.roadmap.milestones:
                assert m.title.strip(x + " ") and m.outcome.strip(x + " ")
                assert all(t.title.strip(x + " ") for t in m.tasks)
