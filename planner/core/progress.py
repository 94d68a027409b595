"""What a person marked done in the files of an earlier run: a milestone's Status
``done`` or a ticked task box in the plan block, a spec block whose Status is ``done``;
and the tasks the shell knows done from a merged pull request."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from planner.core.blocks import BlockError, read_block
from planner.core.findings import finding
from planner.model import Finding, PlanRequest

_PARSER = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Progress:
    milestones: frozenset[str]
    """Ids of the milestones marked done."""
    tasks: frozenset[str]
    """Ids of the tasks marked done."""


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
    tasks.update(request.done_tasks)
    for name, text in request.specs.items():
        try:
            spec = read_block(text, number, name)
        except BlockError as exc:
            findings.append(finding("plan-file-markers", str(exc)))
            continue
        if read_spec_status(spec) == "done" and spec:
            head = spec.strip().split("\n", 1)[0]
            if head.startswith("# ") and ":" in head:
                milestones.add(head[2:].split(":", 1)[0].strip())
    return Progress(frozenset(milestones), frozenset(tasks)), findings


def read_done(block: str | None) -> tuple[set[str], set[str]]:
    """Milestone and task ids marked done in an earlier plan block (table Status
    column ``done``, or a ticked task box)."""
    milestones: set[str] = set()
    tasks: set[str] = set()
    if not block:
        return milestones, tasks
    root = SyntaxTreeNode(_PARSER.parse(block))
    for node in root.walk():
        if node.type == "table":
            header = [
                c.children[0].content.strip().lower() if c.children else ""
                for c in _row_cells(node, head=True)
            ]
            if "id" not in header or "status" not in header:
                continue
            id_at, status_at = header.index("id"), header.index("status")
            for row in _rows(node):
                cells = [c.children[0].content.strip() if c.children else "" for c in row]
                if len(cells) > max(id_at, status_at) and cells[status_at].lower() == "done":
                    milestones.add(cells[id_at].strip("`"))
        elif node.type == "list_item":
            text = "".join(
                c.content for p in node.children if p.type == "paragraph" for c in p.children
            )
            if text[:3] in ("[x]", "[X]"):
                rest = text[3:].strip()
                if rest.startswith("`") and "`" in rest[1:]:
                    tasks.add(rest[1 : rest.index("`", 1)])
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
