"""The committed JSON Schemas are generated from the models and printable by the CLI."""

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner import cli, schemas
from planner.model import Config
from tests.runner import ROOT


@pytest.mark.parametrize("name", ["contract", "fanout", "config"])
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = schemas.load(name)
    assert committed == schemas.generate(name), (
        f"planner/schemas/{schemas.file_name(name)} drifted from planner/model.py; regenerate "
        "it with: planner schema " + name + " > planner/schemas/" + schemas.file_name(name)
    )


@pytest.mark.parametrize("name", ["contract", "fanout", "config"])
def test_schema_command_prints_the_committed_file(name: str) -> None:
    out = io.StringIO()
    assert cli.main(["schema", name], out) == 0
    assert json.loads(out.getvalue()) == schemas.load(name)
    jsonschema.Draft202012Validator.check_schema(json.loads(out.getvalue()))


def test_seed_fields_are_required_and_typed() -> None:
    contract = schemas.load("contract")
    defs = contract["$defs"]
    assert set(contract["required"]) >= {"roadmap", "contract_defaults", "decisions"}
    assert set(defs["Roadmap"]["required"]) >= {"version", "objective", "milestones"}
    milestone = defs["Milestone"]
    assert set(milestone["required"]) >= {
        "id",
        "title",
        "outcome",
        "dependencies",
        "acceptance",
        "risks",
        "risk_class",
        "max_diff_scope",
    }
    assert milestone["properties"]["max_diff_scope"] == {
        "description": "Changed lines allowed for the milestone.",
        "exclusiveMinimum": 0,
        "title": "Max Diff Scope",
        "type": "integer",
    }
    assert defs["Milestone"]["properties"]["risk_class"]["enum"] == [
        "low",
        "medium",
        "high",
        "critical",
    ]
    assert set(defs["ContractDefaults"]["required"]) == {
        "risk_class",
        "max_diff_scope",
        "acceptance_tests",
        "invariants",
        "evidence_required",
    }


def test_schema_rejects_a_zero_diff_scope_and_an_unknown_risk() -> None:
    validator = jsonschema.Draft202012Validator(schemas.load("config"))
    assert list(validator.iter_errors({"defaults": {"risk_class": "extreme"}}))
    assert list(validator.iter_errors({"defaults": {"max_diff_scope": {"low": 0}}}))
    assert not list(validator.iter_errors(Config().model_dump(mode="json")))


def test_fanout_schema_refuses_an_unbounded_task() -> None:
    fanout = schemas.load("fanout")
    bounded = fanout["$defs"]["BoundedDiff"]["properties"]["paths"]
    assert bounded["minItems"] == 1


# ------------------------------------------------------------------ checking against them

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8).filter(lambda s: not s.endswith("\n")),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=6,
)


def _places(node: Any, path: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _places(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _places(value, (*path, index))
    return out


def _example(name: str) -> Any:
    if name == "config":
        return Config().model_dump(mode="json")
    cases = ROOT / "tests" / "cases" / "structured-milestones" / "expected" / ".agent"
    file = "planning-output-42.json" if name == "contract" else "planner-fanout-42.json"
    return json.loads((cases / file).read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", ["contract", "fanout", "config"])
@given(data=st.data())
def test_the_compiled_check_agrees_with_the_walk(name: str, data: st.DataObject) -> None:
    """Both ways of checking (compiled for large documents, walked for small ones) give
    the errors jsonschema gives: one value replaced or one key removed anywhere in a
    real document."""
    document = _example(name)
    place = data.draw(st.sampled_from(_places(document)[1:]))
    parent = document
    for part in place[:-1]:
        parent = parent[part]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[place[-1]]
    else:
        parent[place[-1]] = data.draw(JSON_VALUES)
    expected = [
        (tuple(e.absolute_path), e.message)
        for e in sorted(
            jsonschema.Draft202012Validator(schemas.load(name)).iter_errors(document),
            key=lambda e: list(e.absolute_path),
        )
    ]
    for compiled in (True, False):
        found = schemas.schema_errors(name, document, compiled=compiled)
        assert [(e.path, e.message) for e in found] == expected


def test_large_documents_are_compiled_and_small_ones_walked() -> None:
    contract = _example("contract")
    task = contract["roadmap"]["milestones"][0]["tasks"][0]
    contract["roadmap"]["milestones"][0]["tasks"] = [task] * 300  # ~12,000 nodes
    assert schemas._at_least(contract, schemas.COMPILE_FROM)
    assert not schemas._at_least(_example("contract"), schemas.COMPILE_FROM)
    assert schemas.schema_errors("contract", contract) == []
    task = {**task, "risk_class": "extreme"}
    contract["roadmap"]["milestones"][0]["tasks"][299] = task
    assert [e.pointer for e in schemas.schema_errors("contract", contract)] == [
        "/roadmap/milestones/0/tasks/299/risk_class"
    ]


def test_a_valid_document_has_no_errors_and_is_left_as_it_was() -> None:
    for compiled in (True, False):
        contract = _example("contract")
        del contract["roadmap"]["out_of_scope"]  # required by the schema, with a default
        before = json.dumps(contract)
        errors = schemas.schema_errors("contract", contract, compiled=compiled)
        assert [e.pointer for e in errors] == ["/roadmap"]
        assert json.dumps(contract) == before  # no default filled in
        assert schemas.schema_errors("contract", _example("contract"), compiled=compiled) == []


def test_pointers_escape_slash_and_tilde() -> None:
    errors = schemas.schema_errors("config", {"risk_paths": {"a/~b/**": "extreme"}})
    assert [e.pointer for e in errors] == ["/risk_paths/a~1~0b~1**"]
    assert errors[0].path == ("risk_paths", "a/~b/**")


@pytest.mark.parametrize("compiled", [True, False])
def test_a_pattern_does_not_match_before_a_final_newline(compiled: bool) -> None:
    """ECMA-262's "$" is the end of the string; Python's also matches before a final
    newline, so plain jsonschema lets "M1\\n" through as an id. The check does not."""
    contract = _example("contract")
    contract["roadmap"]["milestones"][0]["id"] = "M1\n"
    assert not list(jsonschema.Draft202012Validator(schemas.load("contract")).iter_errors(contract))
    errors = schemas.schema_errors("contract", contract, compiled=compiled)
    assert [e.pointer for e in errors] == ["/roadmap/milestones/0/id"]
    assert "does not match" in errors[0].message
