"""What a person marked done in the files of an earlier run: a milestone's Status
``done`` or a ticked task box in the plan block, a spec block whose Status is ``done``;
and the tasks the shell knows done from a merged pull request."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple

from markdown_it.tree import SyntaxTreeNode

from planner.core.blocks import BlockError, read_block
from planner.core.findings import finding
from planner.core.read.outline import tokens
from planner.core.text import markdown_inline
from planner.model import Finding, PlanRequest


class Progress(NamedTuple):
    """What an earlier run's files mark done, each with the title written beside its id
    there (None: the id alone counts, as for a task a merged pull request finished).

    Ids are given by position unless the request names them, so after an edit that
    drops a section, ``M1`` may be another milestone than the one marked done: a mark
    counts only for the milestone or task whose title it was written beside."""

    milestones: Mapping[str, str | None] = MappingProxyType({})
    tasks: Mapping[str, str | None] = MappingProxyType({})

    def milestone_done(self, mid: str, title: str) -> bool:
        return _marked(self.milestones, mid, title)

    def task_done(self, tid: str, title: str) -> bool:
        return _marked(self.tasks, tid, title)


def _marked(marks: Mapping[str, str | None], ident: str, title: str) -> bool:
    if ident not in marks:
        return False
    written = marks[ident]
    return written is None or _words(written) == _words(markdown_inline(title))


def _words(text: str) -> str:
    """A title as written in a plan file, compared without its escapes, spacing or case."""
    return " ".join(text.replace("\\", "").split()).casefold()


def earlier_progress(request: PlanRequest, plan_file: str) -> tuple[Progress, list[Finding]]:
    """What the plan file and the spec files of the issue mark done; a file whose
    markers are broken is a finding and marks nothing."""
    number = str(request.issue.number)
    findings: list[Finding] = []
    try:
        block = read_block(request.plan_text, number, plan_file)
    except BlockError as exc:
        block = None
        findings.append(finding("plan-file-markers", str(exc)))
    milestones, tasks = read_done(block)
    tasks.update(dict.fromkeys(request.done_tasks))
    for name, text in request.specs.items():
        try:
            spec = read_block(text, number, name)
        except BlockError as exc:
            findings.append(finding("plan-file-markers", str(exc)))
            continue
        if read_spec_status(spec) == "done" and spec:
            head = spec.strip().split("\n", 1)[0]
            if head.startswith("# ") and ":" in head:
                mid, title = head[2:].split(":", 1)
                milestones[mid.strip()] = title.strip()
    return Progress(milestones, tasks), findings


def read_done(block: str | None) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Milestones and tasks marked done in an earlier plan block (table Status column
    ``done``, or a ticked task box), by id, each with the title written beside it (None
    when the table has no Milestone column)."""
    milestones: dict[str, str | None] = {}
    tasks: dict[str, str | None] = {}
    if not block:
        return milestones, tasks
    root = tokens(block)  # the reader's parser: cells and items are read as written
    for node in root.walk():
        if node.type == "table":
            header = [
                c.children[0].content.strip().lower() if c.children else ""
                for c in _row_cells(node, head=True)
            ]
            if "id" not in header or "status" not in header:
                continue
            id_at, status_at = header.index("id"), header.index("status")
            title_at = header.index("milestone") if "milestone" in header else None
            for row in _rows(node):
                cells = [c.children[0].content.strip() if c.children else "" for c in row]
                if len(cells) > max(id_at, status_at) and cells[status_at].lower() == "done":
                    title = (
                        cells[title_at] if title_at is not None and title_at < len(cells) else None
                    )
                    milestones[cells[id_at].strip("`")] = title
        elif node.type == "list_item":
            text = "".join(
                c.content for p in node.children if p.type == "paragraph" for c in p.children
            )
            if text[:3] in ("[x]", "[X]"):
                rest = text[3:].strip()
                if rest.startswith("`") and "`" in rest[1:]:
                    close = rest.index("`", 1)
                    # `M1-T1` Title — role · kind · risk …: the title ends at the last dash.
                    title = rest[close + 1 :].rsplit(" — ", 1)[0].strip()
                    tasks[rest[1:close]] = title
    return milestones, tasks


def _row_cells(table: SyntaxTreeNode, head: bool) -> list[SyntaxTreeNode]:
    for section in table.children:
        if section.type == "thead" and head:
            return list(section.children[0].children) if section.children else []
    return []


def _rows(table: SyntaxTreeNode) -> list[list[SyntaxTreeNode]]:
    return [
        list(row.children)
        for section in table.children
        if section.type == "tbody"
        for row in section.children
    ]


def read_spec_status(block: str | None) -> str | None:
    """The status written in a spec block's ``**Status:**`` line, if any."""
    if not block:
        return None
    marker = "**Status:** "
    at = block.find(marker)
    if at < 0:
        return None
    word = block[at + len(marker) :].split(" ", 1)[0].strip().lower()
    return word or None
