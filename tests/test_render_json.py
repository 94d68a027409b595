"""The contract and fanout files: the bytes ``json.dumps(..., indent=2,
ensure_ascii=False)`` writes, whatever text the request carried."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from planner.core.render import to_json
from planner.core.text import visible
from planner.model import Contract
from tests.runner import ROOT

CONTRACT = ROOT / "tests" / "cases" / "structured-milestones" / "expected" / ".agent"


@given(st.text(), st.lists(st.text(min_size=1).filter(visible), min_size=1, max_size=3))
def test_any_text_is_written_as_json_dumps_writes_it(title: str, risks: list[str]) -> None:
    data = json.loads((CONTRACT / "planning-output-42.json").read_text(encoding="utf-8"))
    data["issue"]["title"] = title
    data["roadmap"]["milestones"][0]["risks"] = risks
    contract = Contract.model_validate(data)
    expected = json.dumps(contract.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    assert to_json(contract) == expected


def test_a_lone_surrogate_is_written_as_before() -> None:
    data = json.loads((CONTRACT / "planning-output-42.json").read_text(encoding="utf-8"))
    data["issue"]["title"] = "broken \ud800 text"
    contract = Contract.model_validate(data)
    assert to_json(contract) == json.dumps(data, indent=2, ensure_ascii=False) + "\n"
