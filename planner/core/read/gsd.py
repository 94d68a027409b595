"""A GSD ``PLAN.md`` read as a draft: its ``<objective>`` the milestone, each ``<task
type="auto">`` a task (``<name>``, ``<files>`` its boundary with the tests its
``<verify>`` runs, ``<action>`` its objective,
``<done>`` its criterion), a ``checkpoint:decision`` task an open decision with its
options, a ``checkpoint:human-verify`` task a criterion checked by a person, and the
``<verification>`` checklist the milestone's validation. Its front matter gives the
milestone's id (``phase: 02-lending`` and ``plan: 02`` make ``02-02``), its criteria
first (``must_haves.truths``), the boundary of a task that lists no ``<files>``
(``files_modified``), and the plans it waits on (``depends_on``), which another request
holds: an assumption here.

The text is untrusted: tags are found with plain searches, left to right (no pattern
backtracks over the body), and each value is cut to a bounded length.
"""

from __future__ import annotations

import re
from typing import Any

from planner.core.patterns import LazyPattern
from planner.core.repo import is_test
from planner.core.safe_yaml import YamlError, load_yaml
from planner.core.text import code_locations, one_line

MAX_TASKS = 200
_TASK_NUMBER = LazyPattern(r"(?:task|step)\s*\d{1,3}\s*[:.)-]\s*", re.IGNORECASE)
_CHECKBOX = LazyPattern(r"\s*[-*]\s*(?:\[[ xX]\]\s*)?")
_NUMBER = LazyPattern(r"\d{1,3}")
MAX_FRONT_MATTER = 20_000


def _between(text: str, tag: str, start: int = 0, end: int | None = None) -> tuple[str, int]:
    """The text inside the first ``<tag ...>…</tag>`` of ``text[start:end]`` and the index
    after it; ("", -1) when there is none."""
    stop = len(text) if end is None else end
    opened = text.find(f"<{tag}", start, stop)
    while opened != -1 and text[opened + len(tag) + 1 : opened + len(tag) + 2] not in (">", " "):
        opened = text.find(f"<{tag}", opened + 1, stop)  # "<tasks" is not "<task"
    if opened == -1:
        return "", -1
    inner = text.find(">", opened, stop)
    closed = text.find(f"</{tag}>", inner, stop) if inner != -1 else -1
    if closed == -1:
        return "", -1
    return text[inner + 1 : closed], closed + len(tag) + 3


def _attribute(text: str, name: str) -> str:
    at = text.find(f'{name}="')
    if at == -1:
        return ""
    end = text.find('"', at + len(name) + 2)
    return text[at + len(name) + 2 : end] if end != -1 else ""


def looks_like_gsd_plan(body: str) -> bool:
    """A GSD plan: a ``<tasks>`` block holding ``<task>`` blocks with a ``<name>``."""
    tasks, _ = _between(body, "tasks")
    return bool(tasks) and "<task" in tasks and "<name>" in tasks


def _text(value: str, limit: int = 2000) -> str:
    return one_line(" ".join(value.split()), limit)


def gsd_plan_draft(body: str, title: str) -> dict[str, Any]:
    """The draft, in the contract's shape, of a GSD ``PLAN.md`` (see the module)."""
    objective, _ = _between(body, "objective")
    lines = [line.strip() for line in objective.strip().splitlines() if line.strip()]
    block, _ = _between(body, "tasks")
    tasks: list[dict[str, Any]] = []
    decisions: list[dict[str, Any]] = []
    checks: list[str] = []
    at = 0
    while len(tasks) + len(decisions) + len(checks) < MAX_TASKS:
        opened = block.find("<task", at)
        if opened == -1:
            break
        closed = block.find("</task>", opened)
        if closed == -1:
            break
        head_end = block.find(">", opened, closed)
        kind = _attribute(block[opened:head_end], "type") if head_end != -1 else ""
        one = block[head_end + 1 : closed] if head_end != -1 else ""
        at = closed + len("</task>")
        if kind == "checkpoint:decision":
            question, _ = _between(one, "decision")
            options = []
            cursor = 0
            while True:
                option, cursor = _between(one, "option", cursor)
                if cursor == -1:
                    break
                named, _ = _between(option, "name")
                options.append(_text(named or option, 200))
            if question.strip():
                decisions.append({"question": _text(question, 300), "options": options})
        elif kind.startswith("checkpoint"):
            check, _ = _between(one, "how-to-verify")
            built, _ = _between(one, "what-built")
            if (check or built).strip():
                checks.append(_text(check or built, 500))
        else:
            tasks.append(_task(one, len(tasks) + 1))
    verification, _ = _between(body, "verification")
    validation = [
        _text(_CHECKBOX.sub("", line, count=1), 500)
        for line in verification.splitlines()
        if line.strip()
    ]
    front, unread = _front_matter(body)
    milestone: dict[str, Any] = {
        "title": _text(lines[0], 200) if lines else title or "GSD plan",
        "tasks": tasks,
        "acceptance": [*_strings(_get(front, "must_haves", "truths"), 500), *checks],
        "validation": validation,
    }
    if len(lines) > 1:
        milestone["outcome"] = _text(" ".join(lines[1:]))
    plan_id = _plan_id(front)
    if plan_id:
        milestone["id"] = plan_id
    files = _strings(front.get("files_modified"), 300)[:50]
    for task in tasks:
        if files and "diff_boundary" not in task:
            task["diff_boundary"] = {"paths": files}
    said = [
        f"It waits on GSD plan {one_line(plan, 40)}, which this request does not hold: "
        "it is taken to be done."
        for plan in _strings(front.get("depends_on"), 40)[:20]
    ]
    if unread:
        said.append(f"The plan's front matter was not read: {one_line(unread, 200)}.")
    if block.find("<task", at) != -1:
        said.append(f"Only the first {MAX_TASKS} tasks of the GSD plan were read.")
    return {"roadmap": {"milestones": [milestone], "assumptions": said}, "decisions": decisions}


def _task(one: str, number: int) -> dict[str, Any]:
    name, _ = _between(one, "name")
    files, _ = _between(one, "files")
    action, _ = _between(one, "action")
    done, _ = _between(one, "done")
    title = _TASK_NUMBER.sub("", _text(name, 200), count=1) or f"Task {number}"
    task: dict[str, Any] = {"title": title}
    if action.strip():
        task["objective"] = f"{title}: {_text(action)}"
    paths = [p.strip().strip("`") for p in files.replace("\n", ",").split(",") if p.strip()]
    if paths:
        # The tests its <verify> runs are the task's to write ("npx vitest run
        # test/a.test.ts" under a tdd task), though <files> lists only the code.
        verify, _ = _between(one, "verify")
        paths += [t for t in code_locations(verify) if is_test(t) and t not in paths]
        task["diff_boundary"] = {"paths": paths[:50]}
    if done.strip():
        task["acceptance"] = [_text(done, 500)]
    return task


def _front_matter(body: str) -> tuple[dict[str, Any], str | None]:
    """The YAML between the ``---`` lines that open the file (empty when there is none),
    and why it was not read when it is there but not a mapping YAML can read."""
    text = body.lstrip("\ufeff")
    if not text.startswith("---\n") and not text.startswith("---\r\n"):
        return {}, None
    end = text.find("\n---", 3, MAX_FRONT_MATTER)
    if end == -1:
        return {}, f"over {MAX_FRONT_MATTER:,} characters, or not closed by a '---' line"
    try:
        data = load_yaml(text[3:end])
    except YamlError as exc:
        return {}, str(exc)
    return (data, None) if isinstance(data, dict) else ({}, "not a mapping of keys")


def _get(data: dict[str, Any], *keys: str) -> Any:
    found: Any = data
    for key in keys:
        found = found.get(key) if isinstance(found, dict) else None
    return found


def _strings(value: Any, limit: int) -> list[str]:
    """A list of plain values as text (one value alone is a list of one)."""
    items = value if isinstance(value, list) else [value] if value is not None else []
    return [text for v in items if (text := _plain(v, limit))][:MAX_TASKS]


def _plain(value: Any, limit: int = 500) -> str:
    """A text or a number as text (a number of more than 30 digits is no value here)."""
    if isinstance(value, str):
        # A lone surrogate ("\ud800" in YAML) is no text a contract can hold.
        whole = value.encode("utf-8", "ignore").decode() == value
        return _text(value, limit) if whole else ""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < 10**30:
        return str(value)
    return ""


def _plan_id(front: dict[str, Any]) -> str | None:
    """``phase: 02-lending`` and ``plan: 02`` make ``02-02``."""
    phase = _NUMBER.match(_plain(front.get("phase")))
    plan = _NUMBER.fullmatch(_plain(front.get("plan")))
    if not (phase and plan):
        return None
    width = len(phase.group(0))  # YAML reads "plan: 02" as 2
    return f"{phase.group(0)}-{int(plan.group(0)):0{width}d}"
