"""The config file (default ``.github/planner.yml``): read from the workspace (or, in
check mode, the base commit), held to its JSON Schema, with the path and label inputs
laid over it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from planner.action.settings import Settings
from planner.action.workspace import Workspace
from planner.core.safe_yaml import YamlError, load_yaml
from planner.core.text import one_line
from planner.model import Config
from planner.schemas import schema_errors

MAX_CONFIG = 256 * 1024


class ConfigError(ValueError):
    """A config file that is not valid; the message names the key."""


def load_config(
    workspace: Workspace, settings: Settings, read: Callable[[str], str | None] | None = None
) -> Config:
    """The YAML config file, checked against its JSON Schema, with input overrides.
    ``read`` reads it from elsewhere than the workspace (check mode: the base commit)."""
    text = (read or workspace.read_text)(settings.config)
    if text is None:
        if settings.config_explicit:
            raise ConfigError(f"config file '{settings.config}' (input 'config') does not exist")
        data: Any = {}
    else:
        if len(text) > MAX_CONFIG:
            raise ConfigError(f"config file '{settings.config}' is larger than {MAX_CONFIG} bytes")
        try:
            data = load_yaml(text) or {}
        except YamlError as exc:
            raise ConfigError(f"config file '{settings.config}': {exc}") from None
    errors = schema_errors("config", data)
    if errors:
        first = errors[0]
        key = ".".join(str(p) for p in first.path) or "(top level)"
        raise ConfigError(
            f"config file '{settings.config}': key '{key}': {one_line(first.message, 200)}"
        )
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        problem = exc.errors()[0]
        key = ".".join(str(p) for p in problem["loc"])
        raise ConfigError(
            f"config file '{settings.config}': key '{key}': {problem['msg']}"
        ) from None
    return with_inputs(config, workspace, settings)


def with_inputs(config: Config, workspace: Workspace, settings: Settings) -> Config:
    """The config with the inputs that override it (plan-file, specs-dir, output-dir,
    decision-label); a path leading out of the workspace is refused."""
    paths = config.paths.model_copy(
        update={
            k: v
            for k, v in {
                "plan_file": settings.plan_file,
                "specs_dir": settings.specs_dir,
                "output_dir": settings.output_dir,
            }.items()
            if v
        }
    )
    for value in paths.model_dump().values():
        workspace.resolve(value)  # refuse paths leading out of the workspace
    labels = config.labels
    if settings.decision_label:
        labels = labels.model_copy(update={"decision": settings.decision_label})
    return config.model_copy(update={"paths": paths, "labels": labels})
