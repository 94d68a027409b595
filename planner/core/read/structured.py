"""Structured drafts: a fenced ``yaml``/``json`` block or a draft file in the contract's shape.

YAML is untrusted text: it is loaded safely, without aliases, within a size and a
depth limit, and checked against a relaxed copy of the contract schema.
"""

from __future__ import annotations

import json
from typing import Any

from planner.core.read.draft import Draft, DraftDecision, DraftMilestone, DraftTask, Source
from planner.core.read.taskmaster import (
    TaskmasterError,
    looks_like_taskmaster,
    taskmaster_draft,
    taskmaster_shaped,
)
from planner.core.safe_yaml import YamlError, load_yaml
from planner.core.text import one_line
from planner.schemas import schema_errors

MAX_DRAFT_BYTES = 1_048_576


class DraftError(ValueError):
    """A draft that cannot be used; the message says why and what to change."""


def load_structured(text: str, kind: str) -> Any:
    """Load a YAML or JSON document from untrusted text, within size and depth limits
    (YAML through the shared bounded loader: no aliases, no deep nesting)."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DRAFT_BYTES:
        raise DraftError(f"the draft is larger than {MAX_DRAFT_BYTES} bytes")
    try:
        if kind == "json":
            return json.loads(text)
        return load_yaml(text)
    except YamlError as exc:
        raise DraftError(str(exc)) from exc
    except RecursionError as exc:
        raise DraftError("the draft nests too deeply") from exc
    except ValueError as exc:
        raise DraftError(f"it is not valid {kind.upper()}: {one_line(str(exc), 200)}") from exc


def looks_like_draft(data: Any) -> bool:
    """A draft in the contract's shape, or a Taskmaster tasks.json."""
    return (
        isinstance(data, dict) and ("roadmap" in data or "milestones" in data)
    ) or looks_like_taskmaster(data)


def draft_from_data(data: Any, source: Source, origin: str) -> Draft:
    """Check a roadmap draft in the contract's shape and turn it into a Draft.

    Every field is optional (partial drafts are completed later); fields that
    are present must have the contract's types. Errors name the JSON path.
    """
    if taskmaster_shaped(data):
        try:
            data = taskmaster_draft(data)
        except TaskmasterError as exc:
            raise DraftError(f"{origin} is read as Taskmaster's tasks.json, and {exc}") from None
    if isinstance(data, dict) and "roadmap" not in data and "milestones" in data:
        data = {"roadmap": data}
    broken = _broken_text(data)
    if broken is not None:
        raise DraftError(
            f"{origin}: {broken}: holds a lone surrogate (an escape such as \\ud800 that "
            "is no character); write the text itself"
        )
    errors = schema_errors("draft", data)
    if errors:
        first = errors[0]
        where = _json_path(first.path)
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise DraftError(f"{origin}: {where}: {one_line(first.message, 200)}{more}")
    roadmap = data.get("roadmap", {})
    draft = Draft(source=source, objective=roadmap.get("objective"))
    for m in roadmap.get("milestones", []):
        milestone = DraftMilestone(
            title=m.get("title") or m.get("id") or "untitled milestone",
            id=m.get("id"),
            done=m.get("status") == "done",
            status=m.get("status"),
            outcome=m.get("outcome"),
            dependencies=list(m.get("dependencies", [])),
            acceptance=list(m.get("acceptance", [])),
            validation=list(m.get("validation", [])),
            risks=list(m.get("risks", [])),
            risk_class=m.get("risk_class"),
            max_diff_scope=m.get("max_diff_scope"),
            references=list(m.get("references", [])),
        )
        for t in m.get("tasks", []):
            boundary = t.get("diff_boundary", {})
            milestone.tasks.append(
                DraftTask(
                    title=t.get("title") or t.get("objective") or t.get("id") or "untitled task",
                    id=t.get("id"),
                    done=t.get("status") == "done",
                    objective=t.get("objective"),
                    role=t.get("role"),
                    kind=t.get("kind"),
                    risk_class=t.get("risk_class"),
                    paths=list(boundary["paths"]) if "paths" in boundary else None,
                    max_diff_scope=boundary.get("max_diff_scope"),
                    invariants=list(t.get("invariants", [])),
                    acceptance=list(t.get("acceptance", [])),
                    depends_on=list(t.get("depends_on", [])),
                    references=list(t.get("references", [])),
                    tracks=t.get("tracks"),
                )
            )
        draft.milestones.append(milestone)
    for d in data.get("decisions", []):
        draft.decisions.append(
            DraftDecision(
                question=d.get("question") or d.get("id") or "unnamed decision",
                id=d.get("id"),
                options=list(d.get("options", [])),
                impact=d.get("impact"),
                blocks=list(d.get("blocks", [])),
                issue=d.get("issue"),
            )
        )
    draft.assumptions = list(roadmap.get("assumptions", []))
    draft.unknowns = list(roadmap.get("unknowns", []))
    draft.out_of_scope = list(roadmap.get("out_of_scope", []))
    draft.defaults = dict(data.get("contract_defaults", {}))
    return draft


def _broken_text(data: Any, path: tuple[Any, ...] = ()) -> str | None:
    """The JSON path of the first text holding a lone surrogate, if any."""
    if isinstance(data, str):
        whole = data.encode("utf-8", "ignore").decode() == data
        return None if whole else _json_path(path)
    items = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in items:
        found = _broken_text(value, (*path, key))
        if found is not None:
            return found
    return None


def _json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"
