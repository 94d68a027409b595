"""README, action.yml and the code stay in step."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from planner.action.settings import from_env
from tests.runner import ROOT, run_action, webhook

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def table_names(heading: str) -> list[str]:
    section = README.split(f"### {heading}\n", 1)[1].split("\n#", 1)[0]
    return re.findall(r"^\| `([a-z-]+)` \|", section, flags=re.MULTILINE)


def test_readme_inputs_table_matches_action_yml() -> None:
    assert table_names("Inputs") == list(ACTION["inputs"])


def test_readme_outputs_table_matches_action_yml() -> None:
    assert table_names("Outputs") == list(ACTION["outputs"])


def test_every_declared_input_is_read_by_the_settings() -> None:
    source = (ROOT / "planner" / "action" / "settings.py").read_text(encoding="utf-8")
    for name in ACTION["inputs"]:
        assert f'"{name}"' in source, f"settings.py never reads input {name}"


def test_every_declared_output_is_written(tmp_path: Path) -> None:
    """A plan sets every output action.yml declares (a later job reads them by name)."""
    payload = webhook("issues", "opened")
    payload["issue"]["body"] = (ROOT / "examples" / "issue-42.md").read_text(encoding="utf-8")
    result = run_action(tmp_path, "issues", payload, inputs={"upload-artifact": "false"})
    assert result.code == 0, result.stdout
    assert sorted(result.outputs) == sorted(ACTION["outputs"])


def test_action_defaults_parse() -> None:
    env = {
        f"INPUT_{name.upper()}": str(spec.get("default", ""))
        for name, spec in ACTION["inputs"].items()
    }
    env["INPUT_GITHUB-TOKEN"] = ""
    settings = from_env(env)
    assert settings.mode == "plan" and settings.fail_on == "error" and settings.comment


def test_readme_lists_every_rule_the_code_emits() -> None:
    code = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "planner").rglob("*.py"))
    rules = set(re.findall(r'rule="([a-z0-9-]+)"', code))
    rules |= set(re.findall(r'self\.find\(\s*"([a-z0-9-]+)"', code))
    rules |= set(re.findall(r'\bfinding\(\s*"([a-z0-9-]+)"', code))
    rules |= set(re.findall(r'self\.warn\(\s*"([a-z0-9-]+)"', code))
    rules |= set(re.findall(r'warn\(\s*[\w.]+,\s*"([a-z0-9-]+)"', code))
    documented = set(re.findall(r"`([a-z0-9-]+)`", README.split("## Findings", 1)[1]))
    missing = {
        r
        for r in rules
        if r not in documented
        and not any(r.startswith(p.rstrip("*")) for p in ("fanout-*", "check-*"))
    }
    assert not missing, f"README's Findings table lacks {sorted(missing)}"
