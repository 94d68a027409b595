"""Reading a planning request: issue Markdown, fenced drafts and draft files -> a Draft.

The body is parsed with a CommonMark parser (markdown-it-py); no regular
expression runs over whole lines of the body. Precedence (PRODUCT.md §6):
a fenced ``yaml``/``json`` draft, then a draft file, then the Markdown
structure, then a fallback of one milestone from the title and body.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from planner.core.text import issue_refs, one_line
from planner.model import RISK_ORDER, Finding, Location, RiskClass
from planner.schemas import draft_schema

MAX_BODY = 65_536
MAX_DRAFT_BYTES = 1_048_576
MAX_YAML_DEPTH = 32
NO_RESPONSE = "_No response_"

Source = Literal["fenced", "draft-file", "markdown", "fallback"]


# --------------------------------------------------------------------------- the draft


@dataclass
class DraftTask:
    title: str
    line: int | None = None
    id: str | None = None
    done: bool = False
    objective: str | None = None
    role: str | None = None
    kind: str | None = None
    risk_class: RiskClass | None = None
    paths: list[str] | None = None
    max_diff_scope: int | None = None
    invariants: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    references: list[int] = field(default_factory=list)
    milestone: str | None = None


@dataclass
class DraftMilestone:
    title: str
    line: int | None = None
    id: str | None = None
    done: bool = False
    status: str | None = None
    outcome: str | None = None
    dependencies: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    risk_class: RiskClass | None = None
    max_diff_scope: int | None = None
    tasks: list[DraftTask] = field(default_factory=list)
    references: list[int] = field(default_factory=list)


@dataclass
class DraftDecision:
    question: str
    line: int | None = None
    id: str | None = None
    options: list[str] = field(default_factory=list)
    impact: RiskClass | None = None
    blocks: list[str] = field(default_factory=list)
    issue: str | None = None


@dataclass
class Draft:
    source: Source
    objective: str | None = None
    milestones: list[DraftMilestone] = field(default_factory=list)
    loose_tasks: list[DraftTask] = field(default_factory=list)
    decisions: list[DraftDecision] = field(default_factory=list)
    resolved_decisions: list[str] = field(default_factory=list)
    acceptance: list[str] = field(default_factory=list)
    validation: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    unknowns: list[str] = field(default_factory=list)
    invariants: list[str] = field(default_factory=list)
    out_of_scope: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


# --------------------------------------------------------------------------- vocabulary

SECTION_NAMES: dict[str, tuple[str, ...]] = {
    "objective": (
        "objective",
        "objectives",
        "goal",
        "goals",
        "summary",
        "overview",
        "purpose",
        "problem",
        "problem statement",
        "description",
        "what",
    ),
    "milestones": (
        "milestones",
        "milestone",
        "phases",
        "roadmap",
        "plan",
        "stages",
        "implementation plan",
    ),
    "tasks": (
        "tasks",
        "task list",
        "work items",
        "steps",
        "todo",
        "to do",
        "checklist",
        "deliverables",
        "work",
    ),
    "acceptance": (
        "acceptance",
        "acceptance criteria",
        "definition of done",
        "done when",
        "success criteria",
        "must show",
    ),
    "validation": (
        "validation",
        "validation strategy",
        "testing",
        "test plan",
        "how to test",
        "how to validate",
        "verification plan",
    ),
    "risks": ("risks", "risk", "risks and mitigations"),
    "assumptions": ("assumptions", "assumption"),
    "unknowns": ("unknowns", "unknown", "open issues", "unknowns and gaps"),
    "decisions": (
        "decisions",
        "decision",
        "open questions",
        "questions",
        "owner decisions",
        "decisions needed",
    ),
    "invariants": ("invariants", "invariant", "constraints", "must not break"),
    "out_of_scope": ("out of scope", "non-goals", "non goals", "not in scope", "nongoals"),
    "outcome": ("outcome", "expected outcome", "result"),
}
_SECTION_LOOKUP = {name: kind for kind, names in SECTION_NAMES.items() for name in names}

HINT_KEYS: dict[str, str] = {
    "id": "id",
    "risk": "risk",
    "risk class": "risk",
    "risk_class": "risk",
    "risk-class": "risk",
    "depends": "depends",
    "depends on": "depends",
    "depends_on": "depends",
    "dependencies": "depends",
    "after": "depends",
    "needs": "depends",
    "blocked by": "depends",
    "paths": "paths",
    "path": "paths",
    "files": "paths",
    "scope": "paths",
    "diff": "diff",
    "max diff": "diff",
    "max_diff_scope": "diff",
    "diff scope": "diff",
    "role": "role",
    "kind": "kind",
    "type": "kind",
    "status": "status",
    "outcome": "outcome",
    "milestone": "milestone",
    "acceptance": "acceptance",
    "validation": "validation",
    "validate": "validation",
    "invariant": "invariants",
    "invariants": "invariants",
    "options": "options",
    "blocks": "blocks",
    "impact": "impact",
    "risks": "risks",
    "objective": "objective",
}
_RISK_WORDS: dict[str, RiskClass] = {
    "low": "low",
    "minor": "low",
    "medium": "medium",
    "med": "medium",
    "moderate": "medium",
    "high": "high",
    "major": "high",
    "critical": "critical",
    "crit": "critical",
}
_ROLE_WORDS = {
    "developer": "developer",
    "dev": "developer",
    "engineer": "developer",
    "qa": "qa",
    "tester": "qa",
    "test": "qa",
}
_KIND_WORDS = {
    "feature": "feature",
    "feat": "feature",
    "verification": "verification",
    "verify": "verification",
    "docs": "docs",
    "doc": "docs",
    "documentation": "docs",
    "chore": "chore",
}

_CHECKBOX = re.compile(r"\[([ xX])\]\s+")
_ID_PREFIX = re.compile(
    r"(?:milestone\s+|phase\s+|task\s+)?([A-Za-z]{1,3}\d{1,4}(?:-[A-Za-z]{1,3}\d{1,4})?)"
    r"\s*(?::|\.|\)|-|–|—)\s+",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"(milestone|phase)\s+(\d{1,4})\s*(?::|\.|\)|-|–|—)\s+", re.IGNORECASE)
# Sections whose entries are plain lists of text on the Draft of the same name.
LIST_SECTIONS = (
    "acceptance",
    "validation",
    "risks",
    "assumptions",
    "unknowns",
    "invariants",
    "out_of_scope",
)
_GLOBAL = frozenset(
    {
        "objective",
        "acceptance",
        "validation",
        "risks",
        "assumptions",
        "unknowns",
        "decisions",
        "invariants",
        "out_of_scope",
        "tasks",
    }
)
_MILESTONE_HEADING = re.compile(
    r"(?:\[[ xX]\]\s+)?(?:(?:milestone|phase)\s+\d{1,4}|M\d{1,4})\s*(?::|\.|\)|-|–|—)\s",
    re.IGNORECASE,
)
_HINT = re.compile(r"([A-Za-z][A-Za-z _-]{0,24}?)\s*:\s*(.*)", re.DOTALL)
_MARKER = re.compile(r"\((major|critical|high|medium|minor|low)\)", re.IGNORECASE)
_DONE_SUFFIX = re.compile(r"\s*\((done|complete|completed)\)\s*$", re.IGNORECASE)

_PARSER = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table")


def section_kind(heading: str) -> str | None:
    """The section a heading names (``Acceptance criteria`` -> acceptance), if any."""
    cleaned = "".join(ch for ch in heading.lower() if ch.isalnum() or ch in " -_/")
    cleaned = " ".join(cleaned.replace("_", " ").split())
    if cleaned in _SECTION_LOOKUP:
        return _SECTION_LOOKUP[cleaned]
    for part in cleaned.split("/"):
        if part.strip() in _SECTION_LOOKUP:
            return _SECTION_LOOKUP[part.strip()]
    return None


def parse_hint(text: str) -> tuple[str, str] | None:
    """``risk: high`` -> (risk, high) when the key is one the planner knows."""
    match = _HINT.fullmatch(text.strip()) if len(text) < 2000 else None
    if not match:
        return None
    key = " ".join(match.group(1).lower().split())
    canonical = HINT_KEYS.get(key)
    return (canonical, match.group(2).strip()) if canonical else None


def split_list(value: str) -> list[str]:
    """``M1, M2 and M3`` -> [M1, M2, M3]."""
    parts: list[str] = []
    for chunk in value.replace(";", ",").split(","):
        for piece in chunk.split(" and "):
            piece = piece.strip().strip("`").strip()
            if piece:
                parts.append(piece)
    return parts


def risk_word(value: str) -> RiskClass | None:
    return _RISK_WORDS.get(value.strip().strip("`*_").lower())


# --------------------------------------------------------------------------- Markdown tree


@dataclass
class Item:
    """One list item: its own text, its line, and the items nested under it."""

    text: str
    line: int | None
    checked: bool | None
    children: list[Item]
    paragraphs: list[str]


@dataclass
class Section:
    title: str
    level: int
    line: int | None
    kind: str | None
    blocks: list[SyntaxTreeNode] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


def _line(node: SyntaxTreeNode) -> int | None:
    try:
        mapped = node.map
    except AttributeError:
        return None
    return mapped[0] + 1 if mapped else None


def _inline_text(node: SyntaxTreeNode) -> str:
    parts = [child.content for child in node.children if child.type == "inline"]
    return "\n".join(parts)


def _items(list_node: SyntaxTreeNode) -> list[Item]:
    items: list[Item] = []
    for li in list_node.children:
        if li.type != "list_item":
            continue
        text = ""
        paragraphs: list[str] = []
        children: list[Item] = []
        for block in li.children:
            if block.type == "paragraph":
                if not text:
                    text = _inline_text(block)
                else:
                    paragraphs.append(_inline_text(block))
            elif block.type in ("bullet_list", "ordered_list"):
                children.extend(_items(block))
        checked: bool | None = None
        box = _CHECKBOX.match(text)
        if box:
            checked = box.group(1) in "xX"
            text = text[box.end() :]
        items.append(Item(text.strip(), _line(li), checked, children, paragraphs))
    return items


def _sections(root: SyntaxTreeNode) -> tuple[list[SyntaxTreeNode], list[Section]]:
    """Split top-level blocks by headings into a tree of sections."""
    preamble: list[SyntaxTreeNode] = []
    top: list[Section] = []
    stack: list[Section] = []
    for node in root.children:
        if node.type == "heading":
            level = int(node.tag[1:])
            title = _inline_text(node).strip().strip("*_").strip()
            section = Section(title, level, _line(node), section_kind(title))
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].subsections if stack else top).append(section)
            stack.append(section)
        elif stack:
            stack[-1].blocks.append(node)
        else:
            preamble.append(node)
    return preamble, top


def _block_entries(blocks: list[SyntaxTreeNode]) -> list[tuple[str, int | None]]:
    """Entries of a simple section: each list item (flattened), or each paragraph line."""
    entries: list[tuple[str, int | None]] = []

    def walk(items: list[Item]) -> None:
        for item in items:
            if item.text and item.text != NO_RESPONSE:
                entries.append((item.text, item.line))
            walk(item.children)

    for block in blocks:
        if block.type in ("bullet_list", "ordered_list"):
            walk(_items(block))
        elif block.type == "paragraph":
            base = _line(block)
            for index, raw in enumerate(_inline_text(block).split("\n")):
                line = raw.strip()
                if line and line != NO_RESPONSE:
                    entries.append((line, base + index if base else None))
    return entries


def _all_lists(blocks: list[SyntaxTreeNode]) -> list[Item]:
    out: list[Item] = []
    for block in blocks:
        if block.type in ("bullet_list", "ordered_list"):
            out.extend(_items(block))
    return out


def _paragraphs(blocks: list[SyntaxTreeNode]) -> list[str]:
    return [
        _inline_text(b).strip()
        for b in blocks
        if b.type == "paragraph" and _inline_text(b).strip() not in ("", NO_RESPONSE)
    ]


# --------------------------------------------------------------------------- reader


class _Reader:
    def __init__(self) -> None:
        self.findings: list[Finding] = []

    def warn(self, rule: str, message: str, line: int | None, severity: str = "warning") -> None:
        self.findings.append(
            Finding(rule=rule, severity=severity, message=message, location=Location(line=line))
        )

    # -- hints ---------------------------------------------------------------

    def apply_task_hint(self, task: DraftTask, key: str, value: str, line: int | None) -> bool:
        if key == "risk":
            risk = risk_word(value)
            if risk is None:
                self.bad_value(key, value, RISK_ORDER, line)
            task.risk_class = risk or task.risk_class
        elif key == "depends":
            task.depends_on.extend(split_list(value))
        elif key == "paths":
            task.paths = (task.paths or []) + [p for p in value.replace(",", " ").split() if p]
        elif key == "diff":
            task.max_diff_scope = self.positive_int(key, value, line) or task.max_diff_scope
        elif key == "role":
            role = _ROLE_WORDS.get(value.strip().lower())
            if role is None:
                self.bad_value(key, value, ("developer", "qa"), line)
            task.role = role or task.role
        elif key == "kind":
            kind = _KIND_WORDS.get(value.strip().lower())
            if kind is None:
                self.bad_value(key, value, ("feature", "verification", "docs", "chore"), line)
            task.kind = kind or task.kind
        elif key == "invariants":
            task.invariants.extend(split_list(value) if ";" in value else [value])
        elif key == "acceptance":
            task.acceptance.append(value)
        elif key == "milestone":
            task.milestone = value.strip()
        elif key == "id":
            task.id = value.strip()
        elif key == "objective":
            task.objective = value.strip()
        elif key == "status":
            task.done = value.strip().lower() in ("done", "complete", "completed")
        else:
            return False
        return True

    def apply_milestone_hint(
        self, milestone: DraftMilestone, key: str, value: str, line: int | None
    ) -> bool:
        if key == "risk":
            risk = risk_word(value)
            if risk is None:
                self.bad_value(key, value, RISK_ORDER, line)
            milestone.risk_class = risk or milestone.risk_class
        elif key == "depends":
            for dep in split_list(value):
                refs = issue_refs(dep)
                if refs and dep.startswith("#"):
                    milestone.references.extend(refs)
                else:
                    milestone.dependencies.append(dep)
        elif key == "diff":
            milestone.max_diff_scope = (
                self.positive_int(key, value, line) or milestone.max_diff_scope
            )
        elif key == "outcome":
            milestone.outcome = value
        elif key == "acceptance":
            milestone.acceptance.append(value)
        elif key == "validation":
            milestone.validation.append(value)
        elif key == "risks":
            milestone.risks.append(value)
        elif key == "status":
            status = value.strip().lower().replace("-", " ").replace("_", " ")
            if status in ("done", "complete", "completed"):
                milestone.done = True
            elif status in ("in progress", "started", "active"):
                milestone.status = "in_progress"
        elif key == "id":
            milestone.id = value.strip()
        else:
            return False
        return True

    def bad_value(self, key: str, value: str, allowed: tuple[str, ...], line: int | None) -> None:
        self.warn(
            "request-bad-hint",
            f"'{key}: {one_line(value, 60)}' is not understood; use one of "
            f"{', '.join(allowed)}. The hint was ignored.",
            line,
        )

    def positive_int(self, key: str, value: str, line: int | None) -> int | None:
        digits = value.strip().split()[0] if value.strip() else ""
        if digits.isdigit() and 0 < int(digits) <= 10_000_000:
            return int(digits)
        self.warn(
            "request-bad-hint",
            f"'{key}: {one_line(value, 60)}' needs a positive whole number of changed lines "
            "(e.g. 'diff: 300'). The hint was ignored.",
            line,
        )
        return None

    # -- items -----------------------------------------------------------------

    def task_from_item(self, item: Item) -> DraftTask:
        text = item.text
        task_id, text = _split_id(text)
        task = DraftTask(title=one_line(text, 200) or "untitled task", line=item.line, id=task_id)
        task.done = bool(item.checked)
        task.objective = text
        task.references = issue_refs(text)
        for child in item.children:
            hint = parse_hint(child.text)
            if hint and self.apply_task_hint(task, hint[0], hint[1], child.line):
                if hint[0] == "acceptance":
                    task.acceptance.extend(c.text for c in child.children if c.text)
                continue
            if child.text:
                task.acceptance.append(child.text)
        return task

    def milestone_from_item(self, item: Item) -> DraftMilestone:
        text, done = _strip_done(item.text)
        milestone_id, title = _split_milestone_id(text)
        milestone = DraftMilestone(
            title=one_line(title, 200) or "untitled milestone", line=item.line, id=milestone_id
        )
        milestone.done = bool(item.checked) or done
        milestone.references = issue_refs(title)
        for child in item.children:
            self.milestone_child(milestone, child)
        if item.paragraphs and not milestone.outcome:
            milestone.outcome = item.paragraphs[0]
        return milestone

    def milestone_child(self, milestone: DraftMilestone, child: Item) -> None:
        """A nested item under a milestone: a hint, a labelled group, or a task."""
        hint = parse_hint(child.text)
        label = section_kind(child.text.rstrip(":")) if child.text.endswith(":") else None
        if label in ("acceptance", "validation", "risks", "tasks", "outcome"):
            self.fill_group(milestone, label, child.children)
            return
        if hint and self.apply_milestone_hint(milestone, hint[0], hint[1], child.line):
            if hint[0] in ("acceptance", "validation", "risks") and child.children:
                self.fill_group(milestone, hint[0], child.children)
            return
        milestone.tasks.append(self.task_from_item(child))

    def fill_group(self, milestone: DraftMilestone, kind: str, items: list[Item]) -> None:
        for item in items:
            if kind == "tasks":
                milestone.tasks.append(self.task_from_item(item))
            elif kind == "outcome":
                milestone.outcome = item.text
            elif item.text:
                getattr(milestone, kind).append(item.text)

    def milestone_from_section(self, section: Section) -> DraftMilestone:
        text, done = _strip_done(section.title)
        box = _CHECKBOX.match(text)
        if box:
            done = done or box.group(1) in "xX"
            text = text[box.end() :]
        milestone_id, title = _split_milestone_id(text)
        milestone = DraftMilestone(
            title=one_line(title, 200) or "untitled milestone", line=section.line, id=milestone_id
        )
        milestone.done = done
        milestone.references = issue_refs(title)
        for block in section.blocks:
            if block.type == "paragraph":
                for raw in _inline_text(block).split("\n"):
                    hint = parse_hint(raw)
                    if hint and self.apply_milestone_hint(
                        milestone, hint[0], hint[1], _line(block)
                    ):
                        continue
                    if raw.strip() and raw.strip() != NO_RESPONSE:
                        milestone.outcome = (
                            f"{milestone.outcome} {raw.strip()}"
                            if milestone.outcome
                            else raw.strip()
                        )
            elif block.type in ("bullet_list", "ordered_list"):
                for item in _items(block):
                    self.milestone_child(milestone, item)
        for sub in section.subsections:
            kind = sub.kind
            if kind in ("acceptance", "validation", "risks"):
                getattr(milestone, kind).extend(e for e, _ in _block_entries(sub.blocks))
            elif kind == "outcome":
                paragraphs = _paragraphs(sub.blocks)
                if paragraphs:
                    milestone.outcome = " ".join(paragraphs)
            else:  # tasks, or any other sub-heading: its list items are tasks
                for item in _all_lists(sub.blocks):
                    milestone.tasks.append(self.task_from_item(item))
        return milestone

    def decision_from_item(self, item: Item) -> DraftDecision | None:
        if item.checked:
            return None
        text = item.text
        decision_id, text = _split_id(text)
        decision = DraftDecision(question=one_line(text, 300), line=item.line, id=decision_id)
        marker = _MARKER.search(text)
        if marker:
            decision.impact = risk_word(marker.group(1))
            decision.question = one_line(_MARKER.sub("", text), 300)
        for child in item.children:
            hint = parse_hint(child.text)
            if hint and hint[0] == "options":
                decision.options.extend(split_list(hint[1]) if hint[1] else [])
                decision.options.extend(c.text for c in child.children if c.text)
            elif hint and hint[0] in ("blocks", "depends"):
                decision.blocks.extend(split_list(hint[1]))
            elif hint and hint[0] in ("impact", "risk"):
                impact = risk_word(hint[1])
                if impact is None:
                    self.bad_value("impact", hint[1], RISK_ORDER, child.line)
                decision.impact = impact or decision.impact
            elif child.text:
                decision.options.append(child.text)
        return decision

    # -- the whole body --------------------------------------------------------

    def read_markdown(self, root: SyntaxTreeNode) -> Draft:
        preamble, sections = _sections(root)
        draft = Draft(source="markdown")
        flat: list[Section] = []

        def collect(items: list[Section]) -> None:
            for section in items:
                if section.kind is None and _MILESTONE_HEADING.match(section.title):
                    section.kind = "milestone"  # "## M1: …" outside a Milestones section
                flat.append(section)
                if section.kind not in ("milestones", "milestone"):
                    collect(section.subsections)
                elif section.kind == "milestones":
                    # "## Assumptions" under a Milestones heading is still Assumptions.
                    collect([sub for sub in section.subsections if sub.kind in _GLOBAL])

        collect(sections)
        recognised = False
        objective_parts: list[str] = []
        for section in flat:
            kind = section.kind
            if kind is None:
                continue
            recognised = True
            if kind == "objective":
                objective_parts.extend(_paragraphs(section.blocks))
                objective_parts.extend(
                    e
                    for e, _ in _block_entries([b for b in section.blocks if b.type != "paragraph"])
                )
            elif kind == "milestone":
                draft.milestones.append(self.milestone_from_section(section))
            elif kind == "milestones":
                draft.milestones.extend(
                    self.milestone_from_section(sub)
                    for sub in section.subsections
                    if sub.kind not in _GLOBAL
                )
                for item in _all_lists(section.blocks):
                    draft.milestones.append(self.milestone_from_item(item))
            elif kind == "tasks":
                draft.loose_tasks.extend(self.task_from_item(i) for i in _all_lists(section.blocks))
            elif kind == "decisions":
                for item in _all_lists(section.blocks):
                    decision = self.decision_from_item(item)
                    if decision:
                        draft.decisions.append(decision)
                    else:
                        draft.resolved_decisions.append(one_line(item.text, 300))
                for paragraph in _paragraphs(section.blocks):
                    for raw in paragraph.split("\n"):
                        if raw.strip():
                            draft.decisions.append(
                                DraftDecision(question=one_line(raw, 300), line=section.line)
                            )
            elif kind in LIST_SECTIONS:
                getattr(draft, kind).extend(e for e, _ in _block_entries(section.blocks))
        if objective_parts:
            draft.objective = " ".join(objective_parts)
        else:
            intro = _paragraphs(preamble)
            if intro:
                draft.objective = intro[0]
        if not draft.milestones and not draft.loose_tasks:
            # A bare task list anywhere outside a recognised section still describes work.
            bare = [i for i in _all_lists(preamble) if i.checked is not None]
            for section in flat:
                if section.kind is None:
                    bare.extend(i for i in _all_lists(section.blocks) if i.checked is not None)
            draft.loose_tasks.extend(self.task_from_item(i) for i in bare)
            recognised = recognised or bool(bare)
        if not recognised:
            draft.source = "fallback"
        return draft


def _split_id(text: str) -> tuple[str | None, str]:
    match = _ID_PREFIX.match(text) if len(text) > 2 else None
    if match:
        return match.group(1).upper(), text[match.end() :].strip()
    return None, text.strip()


def _split_milestone_id(text: str) -> tuple[str | None, str]:
    numbered = _NUMBERED.match(text)
    if numbered:
        return f"M{int(numbered.group(2))}", text[numbered.end() :].strip()
    return _split_id(text)


def _strip_done(text: str) -> tuple[str, bool]:
    match = _DONE_SUFFIX.search(text) if len(text) < 2000 else None
    if match:
        return text[: match.start()], True
    return text, False


# --------------------------------------------------------------------------- drafts


class DraftError(ValueError):
    """A draft that cannot be used; the message says why and what to change."""


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (no 'billion laughs') and deep nesting."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise DraftError(
                f"YAML aliases are not accepted (line {event.start_mark.line + 1}); "
                "write the value out in full"
            )
        self._depth += 1
        if self._depth > MAX_YAML_DEPTH:
            raise DraftError(f"the YAML nests deeper than {MAX_YAML_DEPTH} levels")
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def load_structured(text: str, kind: str) -> Any:
    """Load a YAML or JSON document from untrusted text, within size and depth limits."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_DRAFT_BYTES:
        raise DraftError(f"the draft is larger than {MAX_DRAFT_BYTES} bytes")
    try:
        if kind == "json":
            return json.loads(text)
        loader = _BoundedLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except DraftError:
        raise
    except RecursionError as exc:
        raise DraftError("the draft nests too deeply") from exc
    except (yaml.YAMLError, ValueError) as exc:
        raise DraftError(f"it is not valid {kind.upper()}: {one_line(str(exc), 200)}") from exc


def looks_like_draft(data: Any) -> bool:
    return isinstance(data, dict) and ("roadmap" in data or "milestones" in data)


def draft_from_data(data: Any, source: Source, origin: str) -> Draft:
    """Check a roadmap draft in the contract's shape and turn it into a Draft.

    Every field is optional (partial drafts are completed later); fields that
    are present must have the contract's types. Errors name the JSON path.
    """
    if isinstance(data, dict) and "roadmap" not in data and "milestones" in data:
        data = {"roadmap": data}
    validator = Draft202012Validator(draft_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = _json_path(first.absolute_path)
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


def _json_path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


# --------------------------------------------------------------------------- entry


def _texts(items: list[str]) -> list[str]:
    return [" ".join(str(i).split()) for i in items if str(i).strip()]


def tidy(draft: Draft) -> Draft:
    """Drop empty entries and blank strings, so every text the contract requires is
    non-empty whatever the request held."""
    for name in (*LIST_SECTIONS, "resolved_decisions"):
        setattr(draft, name, _texts(getattr(draft, name)))
    draft.objective = draft.objective if draft.objective and draft.objective.strip() else None
    for m in draft.milestones:
        m.title = " ".join(m.title.split()) or "untitled milestone"
        m.outcome = m.outcome if m.outcome and m.outcome.strip() else None
        for name in ("acceptance", "validation", "risks", "dependencies"):
            setattr(m, name, _texts(getattr(m, name)))
    for t in [*draft.loose_tasks, *(t for m in draft.milestones for t in m.tasks)]:
        t.title = " ".join(t.title.split()) or "untitled task"
        t.objective = t.objective if t.objective and t.objective.strip() else None
        for name in ("acceptance", "invariants", "depends_on"):
            setattr(t, name, _texts(getattr(t, name)))
    draft.decisions = [d for d in draft.decisions if d.question.strip()]
    for d in draft.decisions:
        d.options = _texts(d.options)
        d.blocks = _texts(d.blocks)
    return draft


def read_request(
    title: str, body: str, draft_text: str | None = None, draft_name: str | None = None
) -> Draft:
    """Read an issue (and an optional draft file) into a Draft, never raising."""
    findings: list[Finding] = []
    if len(body) > MAX_BODY:
        findings.append(
            Finding(
                rule="request-too-large",
                severity="warning",
                message=f"The issue body has {len(body)} characters; only the first {MAX_BODY} "
                "(GitHub's limit) were read. Split the request into several issues.",
            )
        )
        body = body[:MAX_BODY]
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    reader = _Reader()
    root = SyntaxTreeNode(_PARSER.parse(body))

    for node in root.children:
        if node.type != "fence":
            continue
        info = (node.info or "").strip().lower().split(" ")[0]
        if info not in ("yaml", "yml", "json"):
            continue
        line = _line(node)
        try:
            data = load_structured(node.content, "json" if info == "json" else "yaml")
            if not looks_like_draft(data):
                continue
            draft = draft_from_data(data, "fenced", f"the fenced {info} draft")
        except DraftError as exc:
            findings.append(
                Finding(
                    rule="draft-invalid",
                    severity="error",
                    message=f"The fenced {info} block at line {line} was not used: {exc}. "
                    "Fix the block, or remove it to plan from the Markdown.",
                    location=Location(line=line),
                )
            )
            continue
        draft.findings = findings
        return tidy(draft)

    if draft_text is not None:
        name = draft_name or "the draft file"
        kind = "json" if (draft_name or "").lower().endswith(".json") else "yaml"
        try:
            data = load_structured(draft_text, kind)
            draft = draft_from_data(data, "draft-file", name)
            draft.findings = findings
            return tidy(draft)
        except DraftError as exc:
            findings.append(
                Finding(
                    rule="draft-invalid",
                    severity="error",
                    message=f"The draft {name} was not used: {exc}. Fix it or drop the "
                    "'draft' input.",
                    location=Location(file=draft_name),
                )
            )

    draft = reader.read_markdown(root)
    draft.findings = findings + reader.findings
    return tidy(draft)
