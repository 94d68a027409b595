"""One table of rules (planner/core/findings.py): the README's table is the table,
every rule the code reports is in it, and no finding has a severity its rule never has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.core.check import validate_contract
from planner.core.findings import RULES, rule_table
from planner.core.plan import plan
from planner.model import Config, Finding, Issue, PlanRequest
from tests.runner import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
ADD = "add it to RULES in planner/core/findings.py (id, severities, a one-line summary)"


def test_the_readme_table_is_the_rule_table() -> None:
    section = README.split("\n## Findings\n", 1)[1].split("\n## ", 1)[0]
    start = section.index("| rule | severity | when |")
    table = section[start:].split("\n\n", 1)[0].rstrip("\n") + "\n"
    assert table == rule_table(), (
        "README's Findings table differs from planner.core.findings.rule_table(); "
        "change RULES and paste rule_table() into the README"
    )


def emitted_rules() -> dict[str, str]:
    """Rule ids written in the code where a finding is made, with the file."""
    patterns = [
        r'\b(?:_finding|finding|warn)\(\s*(?:\w+,\s*)?"([a-z0-9-]+)"',
        r'\brule="([a-z0-9-]+)"',
    ]
    found: dict[str, str] = {}
    for path in sorted((ROOT / "planner").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for pattern in patterns:
            for rule in re.findall(pattern, text):
                found.setdefault(rule, str(path.relative_to(ROOT)))
    return found


def test_every_rule_the_code_reports_is_in_the_table() -> None:
    found = emitted_rules()
    assert {"graph-cycle", "request-bad-hint", "check-task-unknown", "offline"} <= set(found)
    missing = {rule: where for rule, where in found.items() if rule not in RULES}
    assert not missing, f"rules not in the table ({ADD}): {missing}"


def assert_known(findings: list[Finding]) -> None:
    for f in findings:
        assert f.rule in RULES, f"{f.rule}: {ADD}"
        assert f.severity in RULES[f.rule].severities, (
            f"{f.rule} reported as {f.severity}; the table allows {RULES[f.rule].severities}"
        )


REQUESTS = sorted(
    [*(ROOT / "tests" / "cases").glob("*/request.md"), *(ROOT / "examples").glob("*.md")]
)


@pytest.mark.parametrize("request_file", REQUESTS, ids=lambda p: p.parent.name + "/" + p.name)
def test_planning_findings_have_the_severities_of_the_table(request_file: Path) -> None:
    body = request_file.read_text(encoding="utf-8")
    result = plan(PlanRequest(issue=Issue(number=5, title="A request", body=body)))
    assert_known(result.findings)


def test_validate_findings_have_the_severities_of_the_table() -> None:
    body = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    result = plan(PlanRequest(issue=Issue(number=5, title="A request", body=body)))
    contract = json.loads(result.files[".agent/planning-output-5.json"])
    contract["roadmap"]["focus"] = "elsewhere"
    contract["roadmap"]["milestones"][0]["dependencies"] = ["M99"]
    assert_known(validate_contract(json.dumps(contract), "c.json", Config(), "{", "f.json"))
    assert_known(validate_contract("[", "c.json", Config()))
    assert_known(validate_contract("{}", "c.json", Config()))
