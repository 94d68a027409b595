"""Reading a planning request: issue Markdown, fenced drafts and draft files -> a Draft.

The reader is a pipeline of small passes, each a function a test can call alone:

1. ``outline``: CommonMark tokens (markdown-it-py) -> sections (ATX and setext
   headings, label lines) holding paragraphs, lists, table rows and fences;
2. ``classify``: each section -> a role, from the vocabulary and its place;
3. ``assemble``: the roles -> a Draft (milestones, tasks, criteria, dependencies),
   with ``tasks`` (items, table rows, task headings, prose instructions) and
   ``dependencies`` (what the text states, resolved to milestones) as its helpers.

``vocabulary`` holds the words as data, ``markup`` takes markup out of titles,
``hints`` reads ``key: value`` hints, ``structured`` reads fenced and file drafts.

Precedence (PRODUCT.md §6): a fenced ``yaml``/``json`` draft, then a draft file,
then the Markdown structure, then a fallback of one milestone from the title.
The reader never raises on a request; what it cannot use becomes a finding.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from markdown_it.tree import SyntaxTreeNode

from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.read.assemble import assemble
from planner.core.read.classify import classify
from planner.core.read.draft import (
    LIST_SECTIONS,
    Draft,
    DraftDecision,
    DraftMilestone,
    DraftTask,
    tidy,
)
from planner.core.read.gsd import gsd_plan_draft, looks_like_gsd_plan
from planner.core.read.hints import parse_hint, risk_word, split_list
from planner.core.read.markup import heading_text, with_emoji
from planner.core.read.outline import Fence, headings, line_of, outline, tokens
from planner.core.read.structured import (
    DraftError,
    draft_from_data,
    load_structured,
    looks_like_draft,
)
from planner.core.read.vocabulary import ROLE_TABLE, extend, role_of
from planner.core.text import one_line
from planner.model import Finding, SectionRole

__all__ = [
    "LIST_SECTIONS",
    "MAX_BODY",
    "Draft",
    "DraftDecision",
    "DraftError",
    "DraftMilestone",
    "DraftTask",
    "cut_body",
    "document_title",
    "load_structured",
    "parse_hint",
    "read_request",
    "risk_word",
    "section_kind",
    "split_list",
    "tidy",
]

MAX_BODY = 65_536
_LINE_MARK = LazyPattern(r"^(?:#{1,6}|>|[-*+]|\d{1,9}[.)])\s+")


def section_kind(heading: str) -> str | None:
    """The section a heading names (``Acceptance criteria`` -> acceptance), if any."""
    return role_of(heading)


def document_title(text: str) -> str | None:
    """A file's title as a reader sees it: its first heading (ATX or setext, any level),
    else its first line of text, without markup; never the file's name."""
    for heading in headings(cut_body(text).replace("\r\n", "\n")):
        title = heading_text(heading)
        if title:
            return one_line(title, 200)
    for line in text.splitlines():
        title = heading_text(_LINE_MARK.sub("", line.strip(), count=1))
        if title:
            return one_line(title, 200)
    return None


def cut_body(body: str, limit: int = MAX_BODY) -> str:
    """The first ``limit`` characters, cut back to the last complete line so that no
    half-written line (a checkbox without its text) is read."""
    if len(body) <= limit:
        return body
    head = body[:limit]
    end = head.rfind("\n")
    return head[: end + 1] if end > 0 else head


def _fenced_draft(root_children: list[Fence], findings: list[Finding]) -> Draft | None:
    for fence in root_children:
        info = fence.info.split(" ")[0]
        if info not in ("yaml", "yml", "json"):
            continue
        try:
            data = load_structured(fence.content, "json" if info == "json" else "yaml")
            if not looks_like_draft(data):
                continue
            return draft_from_data(data, "fenced", f"the fenced {info} draft")
        except DraftError as exc:
            findings.append(
                finding(
                    "draft-invalid",
                    f"The fenced {info} block at line {fence.line} was not used: {exc}. "
                    "Fix the block, or remove it to plan from the Markdown.",
                    line=fence.line,
                )
            )
    return None


_MARKDOWN_FENCES = frozenset({"md", "markdown"})
_STRUCTURE = frozenset({"heading", "bullet_list", "ordered_list", "table"})
_LEAD_TEXT = 200  # characters of lead text a document kept in md fences may have outside them


def _work_in_markdown_fences(body: str, root: SyntaxTreeNode) -> str | None:
    """The document with its ``md`` fences opened, where its own work is inside them: a
    roadmap kept whole in ```md blocks (headings and checklists inside, none outside, and
    at most a short lead paragraph) is read as the Markdown it holds, not as code. ``None``
    where that is not so: a proposal that shows a template in a fence keeps it an example."""
    lines = body.split("\n")
    opened = list(lines)  # the fence lines blanked, every other line where it was
    holds_work = False
    said = []  # what stands outside the fences
    for node in root.children:
        info = (node.info or "").strip().lower().split(" ")[0] if node.type == "fence" else ""
        if info in _MARKDOWN_FENCES and node.map:
            inner = tokens(node.content)
            holds_work = holds_work or any(c.type in _STRUCTURE for c in inner.children)
            start, end = node.map
            opened[start] = ""
            if end - 1 > start and lines[end - 1].strip().startswith(node.markup):
                opened[end - 1] = ""  # (an unclosed fence runs to the end)
        elif node.type in _STRUCTURE:
            return None  # the document has structure of its own: a fence is an example
        elif node.map and node.type != "hr":
            said.append("\n".join(lines[node.map[0] : node.map[1]]))
    if len(said) > 1 or sum(len(text) for text in said) > _LEAD_TEXT:
        return None  # prose of its own around the fences: they show an example
    # Lines stay where they were, so what is found in them keeps the line numbers.
    return "\n".join(opened) if holds_work else None


def read_request(
    title: str,
    body: str,
    draft_text: str | None = None,
    draft_name: str | None = None,
    sections: Mapping[SectionRole, Iterable[str]] | None = None,
) -> Draft:
    """Read an issue (and an optional draft file) into a Draft, never raising.
    ``sections`` adds headings to the vocabulary, by role (``vocabulary.sections``)."""
    findings: list[Finding] = []
    if len(body) > MAX_BODY:
        findings.append(
            finding(
                "request-too-large",
                f"The issue body has {len(body)} characters; only the first {MAX_BODY} "
                "(GitHub's limit), up to the last complete line, were read. Split the request "
                "into several issues.",
            )
        )
        body = cut_body(body)
    body = with_emoji(body.replace("\r\n", "\n").replace("\r", "\n"))
    root = tokens(body)
    unfenced = _work_in_markdown_fences(body, root)
    if unfenced is not None:
        root = tokens(unfenced)

    fences = [
        Fence((node.info or "").strip().lower(), node.content, line_of(node))
        for node in root.children
        if node.type == "fence"
    ]
    draft = _fenced_draft(fences, findings)
    if draft is not None:
        draft.findings = findings
        return tidy(draft)

    if looks_like_gsd_plan(body):
        # A GSD PLAN.md pasted whole: its <task> blocks are the work.
        try:
            draft = draft_from_data(gsd_plan_draft(body, title), "fenced", "the GSD plan")
            draft.findings = findings
            return tidy(draft)
        except DraftError as exc:
            findings.append(
                finding(
                    "draft-invalid",
                    f"The GSD plan was not used: {exc}. Fix it, or plan from the Markdown.",
                )
            )

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
                finding(
                    "draft-invalid",
                    f"The draft {name} was not used: {exc}. Fix it or drop the 'draft' input.",
                    file=draft_name,
                )
            )

    table = extend(sections) if sections else ROLE_TABLE
    draft, found = assemble(classify(outline(root, table), table), title, table)
    draft.findings = findings + found
    return tidy(draft)
