"""Each choice list is defined once and the action, the CLI and the schema command
offer the same values."""

from __future__ import annotations

import argparse
import re

import pytest
import yaml

from planner.action.settings import COMMITS, MODES, SettingsError, from_env
from planner.cli import build_parser
from planner.model import FAIL_ON, SCHEMA_MODELS
from tests.runner import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def choices(parser: argparse.ArgumentParser, option: str) -> tuple[str, ...]:
    (action,) = [a for a in parser._actions if option in (a.option_strings or [a.dest])]
    return tuple(action.choices or ())


@pytest.mark.parametrize(
    ("name", "values"), [("mode", MODES), ("fail-on", FAIL_ON), ("commit", COMMITS)]
)
def test_action_yml_describes_exactly_the_values_the_settings_accept(
    name: str, values: tuple[str, ...]
) -> None:
    spec = ACTION["inputs"][name]
    assert spec["default"] in values
    words = re.findall(r"\b([a-z][a-z-]*)\b(?: \([^)]*\))?(?:,| or|\.)", spec["description"])
    assert [w for w in words if w in values] == list(values), spec["description"]
    for value in values:
        assert getattr(from_env({f"INPUT_{name.upper()}": value}), name.replace("-", "_")) == value
    with pytest.raises(SettingsError, match=", ".join(values)):
        from_env({f"INPUT_{name.upper()}": "other"})


def test_the_cli_offers_the_same_modes_fail_on_values_and_schemas() -> None:
    commands = subcommands(build_parser())
    assert [c for c in commands if c != "schema"] == list(MODES)
    for mode in MODES:
        assert choices(commands[mode], "--fail-on") == FAIL_ON
    assert choices(commands["schema"], "name") == tuple(SCHEMA_MODELS)
