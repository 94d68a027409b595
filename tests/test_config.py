"""The config file: safe YAML, its schema, and the inputs laid over it."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.action.config import ConfigError, load_config
from planner.action.settings import Settings
from planner.action.workspace import Workspace, WorkspaceError
from planner.core.safe_yaml import MAX_DEPTH, YamlError, load_yaml


def test_load_yaml_reads_plain_yaml() -> None:
    assert load_yaml("a: [1, 2]\nb: {c: x}\n") == {"a": [1, 2], "b": {"c": "x"}}
    assert load_yaml("") is None


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("a: &x [1]\nb: *x\n", "YAML aliases are not accepted (line 2)"),
        ("a: " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"deeper than {MAX_DEPTH}"),
        ("a: [\n", "it is not valid YAML"),
        ("!!python/object:os.system {}\n", "it is not valid YAML"),
        ("when: 2026-13-45\n", "cannot be read (month must be in 1..12)"),
        ("low: " + "9" * 5000 + "\n", "cannot be read (Exceeds the limit (4300 digits)"),
    ],
)
def test_load_yaml_refuses_what_is_unsafe_or_broken(text: str, needle: str) -> None:
    with pytest.raises(YamlError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        load_yaml(text)


def configured(tmp_path: Path, text: str | None, **settings: object) -> Settings:
    if text is not None:
        (tmp_path / ".github").mkdir(exist_ok=True)
        (tmp_path / ".github" / "planner.yml").write_text(text, encoding="utf-8")
    return Settings(workspace=tmp_path, **settings)  # type: ignore[arg-type]


def test_no_config_file_gives_the_defaults_and_the_inputs_override(tmp_path: Path) -> None:
    settings = configured(tmp_path, None, plan_file="docs/PLAN.md", decision_label="owner")
    config = load_config(Workspace(tmp_path), settings)
    assert config.paths.plan_file == "docs/PLAN.md" and config.paths.specs_dir == "specs"
    assert config.labels.decision == "owner"


def test_config_values_are_read(tmp_path: Path) -> None:
    settings = configured(tmp_path, "fanout:\n  min_tasks: 3\npaths:\n  specs_dir: plans\n")
    config = load_config(Workspace(tmp_path), settings)
    assert config.fanout.min_tasks == 3 and config.paths.specs_dir == "plans"


@pytest.mark.parametrize(
    ("text", "settings", "needle"),
    [
        (None, {"config": "x.yml", "config_explicit": True}, "'x.yml' (input 'config') does not"),
        ("a: &x 1\nb: *x\n", {}, "config file '.github/planner.yml': YAML aliases"),
        ("fanout:\n  min_tasks: two\n", {}, "key 'fanout.min_tasks'"),
        ("x" * (256 * 1024 + 1), {}, "is larger than 262144 bytes"),
    ],
)
def test_a_bad_config_names_the_file_and_the_problem(
    tmp_path: Path, text: str | None, settings: dict[str, object], needle: str
) -> None:
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        load_config(Workspace(tmp_path), configured(tmp_path, text, **settings))


def test_a_path_out_of_the_workspace_is_refused(tmp_path: Path) -> None:
    settings = configured(tmp_path, "paths:\n  output_dir: ../elsewhere\n")
    with pytest.raises(WorkspaceError, match="not a path inside the workspace"):
        load_config(Workspace(tmp_path), settings)


def test_the_config_can_come_from_elsewhere(tmp_path: Path) -> None:
    settings = configured(tmp_path, "fanout:\n  min_tasks: 3\n")
    config = load_config(Workspace(tmp_path), settings, read=lambda name: "fanout: {min_tasks: 5}")
    assert config.fanout.min_tasks == 5, "the base commit's config, not the workspace's"


def test_a_configured_path_with_a_control_character_is_a_clear_error(tmp_path: Path) -> None:
    """A NUL in a configured path is said in one line, for plan and validate alike (it
    raised "embedded null byte" from the file system)."""
    import io

    from planner import cli

    configured(tmp_path, 'paths: {plan_file: "PLAN\\0.md"}\n')
    request = tmp_path / "issue.md"
    request.write_text("## Tasks\n- [ ] Add x in `a.py`\n", encoding="utf-8")
    for args in (["plan", str(request)], ["validate"]):
        out = io.StringIO()
        code = cli.main([*args, "--workspace", str(tmp_path)], out)
        assert code != 0 and "holds a control character" in out.getvalue(), out.getvalue()
