"""The committed JSON Schemas are generated from the models and printable by the CLI."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest

from planner import cli, schemas
from planner.model import Config


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
