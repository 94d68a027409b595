"""Properties of the whole core: it never raises, and its output is byte-identical."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.core.plan import plan
from planner.core.read import read_request
from planner.model import Issue, PlanRequest

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
