"""Properties of the whole core: it never raises, and its output is byte-identical."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.check import validate_contract
from planner.core.plan import plan
from planner.core.read import read_request
from planner.model import Config, Issue, PlanRequest

markdownish = st.text(
    alphabet=st.sampled_from(list("abc XYZ019#-*[]`:|\n>_()/.\\@!<{}\"'~")) | st.characters(),
    max_size=600,
)
structured_line = st.sampled_from(
    [
        "## Tasks",
        "## Milestones",
        "### M1: A",
        "### M2: B",
        "- [ ] Implement x in `a/b.py`",
        "- [x] Add y in c/",
        "  - depends: T1",
        "  - risk: high",
        "  - paths: a/**",
        "  - diff: 12",
        "## Open questions",
        "- Which one? (major)",
        "  - blocks: M1",
        "```yaml",
        "```",
        "roadmap: {milestones: [{id: M1}]}",
        "- depends: M2",
        "## Assumptions",
        "- x",
        "",
        "  - depends: M1",
        "  - diff: -3",
        "- [ ] Verify evidence",
        "### Acceptance",
        # Text with nothing visible in it: never a title, an objective or a path.
        "- [ ] \u200b",
        "  - paths: \u200b\u00ad",
        "  - acceptance: \ufeff",
        "### \u2060",
        "- \u200b?",
    ]
)


@given(markdownish)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_reader_never_raises_on_arbitrary_text(body: str) -> None:
    read_request("title", body)


@given(st.lists(structured_line, max_size=40), st.text(max_size=40))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_plan_never_raises_and_is_byte_identical(lines: list[str], title: str) -> None:
    body = "\n".join(lines)
    request = PlanRequest(issue=Issue(number=5, title=title, body=body))
    first = plan(request)
    second = plan(request)
    assert first.files == second.files
    assert first.matrix == second.matrix
    assert [f.model_dump() for f in first.findings] == [f.model_dump() for f in second.findings]
    assert first.contract is not None, [f.message for f in first.findings]


@given(st.lists(structured_line, max_size=40))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_validate_finds_no_error_in_a_plan_that_plan_mode_did_not_report(lines: list[str]) -> None:
    """What plan mode writes passes validate: validate's errors on the planner's own
    contract and fanout are among those plan mode already reported."""
    request = PlanRequest(issue=Issue(number=5, title="t", body="\n".join(lines)))
    result = plan(request)
    planned = {f.rule for f in result.findings if f.severity == "error"}
    contract = result.files[".agent/planning-output-5.json"]
    fanout = result.files.get(".agent/planner-fanout-5.json")
    found = validate_contract(
        contract,
        "planning-output-5.json",
        Config(),
        fanout,
        "planner-fanout-5.json" if fanout else None,
    )
    assert {f.rule for f in found if f.severity == "error"} <= planned, [f.message for f in found]
