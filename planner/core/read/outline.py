"""Pass 1: CommonMark tokens -> an outline of sections and their blocks.

Sections start at ATX and setext headings and at *label lines*: a paragraph that
opens with ``**Acceptance criteria:**``, ``Definition of Done``, ``Tasks:`` or
another phrase the vocabulary knows (bold or plain, with or without a colon). A
label section lasts until the next label line, heading or thematic break. Blocks
are paragraphs, lists (with nesting and checkboxes), table rows and fenced code.
No regular expression runs over the body; the few here run over one line each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from planner.core.read.vocabulary import HINT_KEYS, ROLE_TABLE, VALUE_HINTS, normalize, role_of

NO_RESPONSE = "_No response_"

# Only the block structure is read (inline text is taken as written), so the inline
# pass, the costly part on hostile bodies, is off.
_PARSER = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table").disable("inline")
_LONE_TAG = re.compile(r"</?[A-Za-z][\w-]{0,40}>")
_CHECKBOX = re.compile(r"\[([ xX])\]\s+")
# A criterion that names itself in its first words: "Done when ...", "Ships when ...".
_LEAD_IN = re.compile(r"(done when|ships when|exit when|success looks like)\b", re.IGNORECASE)
# "**Label**: rest", "**Label:** rest", "__Label__ rest"; the label is at most 80 characters.
_BOLD_LABEL = re.compile(r"(\*\*|__)([^*_\n]{1,80}?)\1\s*(:?)\s*(.*)", re.DOTALL)
_PLAIN_LABEL = re.compile(r"([A-Za-z][A-Za-z0-9 &/'()-]{0,60}?)\s*:\s*(.*)", re.DOTALL)


@dataclass
class Item:
    """One list item: its own text, its line, and the items nested under it."""

    text: str
    line: int | None
    checked: bool | None
    children: list[Item] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    ordered: bool = False


@dataclass
class Paragraph:
    text: str
    line: int | None


@dataclass
class ItemList:
    items: list[Item]
    line: int | None
    ordered: bool = False


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    line: int | None


@dataclass
class Fence:
    info: str
    content: str
    line: int | None


Block = Paragraph | ItemList | Table | Fence


@dataclass
class Section:
    title: str
    level: float
    line: int | None
    label: bool = False
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    role: str | None = None


@dataclass
class Outline:
    preamble: list[Block]
    sections: list[Section]


def tokens(body: str) -> SyntaxTreeNode:
    """The CommonMark syntax tree of a body (tables and strikethrough on, as on GitHub)."""
    return SyntaxTreeNode(_PARSER.parse(body))


def at(node: SyntaxTreeNode, offset: int) -> int | None:
    line = line_of(node)
    return line + offset if line is not None else None


def line_of(node: SyntaxTreeNode) -> int | None:
    try:
        mapped = node.map
    except AttributeError:
        return None
    return mapped[0] + 1 if mapped else None


def inline_text(node: SyntaxTreeNode) -> str:
    return "\n".join(child.content for child in node.children if child.type == "inline")


def items_of(list_node: SyntaxTreeNode) -> list[Item]:
    ordered = list_node.type == "ordered_list"
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
                    text = inline_text(block)
                else:
                    paragraphs.append(inline_text(block))
            elif block.type in ("bullet_list", "ordered_list"):
                children.extend(items_of(block))
        checked: bool | None = None
        box = _CHECKBOX.match(text)
        if box:
            checked = box.group(1) in "xX"
            text = text[box.end() :]
        items.append(Item(text.strip(), line_of(li), checked, children, paragraphs, ordered))
    return items


def _table(node: SyntaxTreeNode) -> Table:
    header: list[str] = []
    rows: list[list[str]] = []
    for part in node.children:
        for tr in part.children:
            cells = [inline_text(cell).strip() for cell in tr.children]
            if part.type == "thead":
                header = cells
            else:
                rows.append(cells)
    return Table(header, rows, line_of(node))


def label_of(first_line: str, table: Mapping[str, str] = ROLE_TABLE) -> tuple[str, str] | None:
    """``**Acceptance criteria:** rest`` -> (Acceptance criteria, rest) when the label is
    a section the vocabulary knows (or a bold template prompt such as
    ``**Is your feature request related to a problem?**``, which is a Notes label)."""
    line = first_line.strip()
    if not line or len(line) > 2000:
        return None
    bold = _BOLD_LABEL.fullmatch(line)
    if bold:
        name, colon, rest = bold.group(2).strip(), bold.group(3), bold.group(4)
        name = name.rstrip(":").strip()
        if role_of(name, table) or (not rest and not colon and name.endswith(("?", "."))):
            return name, rest.strip()
        return None
    plain = _PLAIN_LABEL.fullmatch(line)
    if plain:
        name, rest = plain.group(1).strip(), plain.group(2).strip()
        if HINT_KEYS.get(name.lower()) in VALUE_HINTS:
            return None  # "risk: high" is a hint
        if len(name.split()) <= 5 and role_of(name, table) and table.get(normalize(name)):
            return name, rest
        return None
    lead = _LEAD_IN.match(line)
    if lead and table.get(normalize(lead.group(1))) == "acceptance":
        return lead.group(1), line  # "Done when the build is green." is itself the criterion
    # A line alone that is exactly a known phrase: "Definition of Done", "ACCEPTANCE CRITERIA".
    if len(line) <= 60 and table.get(normalize(line)) and len(line.split()) >= 2:
        return line, ""
    if line.isupper() and table.get(normalize(line)):
        return line, ""
    return None


def outline(root: SyntaxTreeNode, table: Mapping[str, str] = ROLE_TABLE) -> Outline:
    """Split the body's blocks into a tree of sections (headings and label lines)."""
    preamble: list[Block] = []
    top: list[Section] = []
    stack: list[Section] = []

    def open_section(section: Section) -> None:
        while stack and stack[-1].level >= section.level:
            stack.pop()
        (stack[-1].children if stack else top).append(section)
        stack.append(section)

    def close_label() -> None:
        while stack and stack[-1].label:
            stack.pop()

    def add(block: Block) -> None:
        (stack[-1].blocks if stack else preamble).append(block)

    def read(nodes: list[SyntaxTreeNode], offset: int) -> None:
        for node in nodes:
            visit(node, offset)

    def visit(node: SyntaxTreeNode, offset: int) -> None:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1:])
            close_label()
            open_section(Section(inline_text(node).strip(), level, at(node, offset)))
        elif kind == "paragraph":
            text = inline_text(node)
            first, _, more = text.partition("\n")
            label = label_of(first, table)
            if label:
                close_label()
                parent = stack[-1].level if stack else 0
                open_section(Section(label[0], parent + 0.5, at(node, offset), label=True))
                rest = "\n".join(part for part in (label[1], more) if part.strip())
                if rest.strip():
                    add(Paragraph(rest, at(node, offset)))
                    if not rest.rstrip().endswith(":"):
                        close_label()  # "**Checkpoint**: a sentence." is one paragraph
            elif text.strip() and text.strip() != NO_RESPONSE:
                add(Paragraph(text, at(node, offset)))
        elif kind in ("bullet_list", "ordered_list"):
            add(ItemList(items_of(node), at(node, offset), kind == "ordered_list"))
        elif kind == "table":
            add(_table(node))
        elif kind == "fence":
            info = (node.info or "").strip().lower()
            if info == "[tasklist]":
                # GitHub's tasklist block: Markdown (a "### Tasks" heading and a task list).
                read(tokens(node.content).children, at(node, offset) or 0)
            else:
                add(Fence(info, node.content, at(node, offset)))
        elif kind == "hr":
            close_label()
        elif kind == "html_block":
            # "<PRD>" alone on a line opens an HTML block that swallows the Markdown
            # after it up to a blank line; GitHub users mean that Markdown.
            first, _, rest = node.content.partition("\n")
            if (
                _LONE_TAG.fullmatch(first.strip())
                and rest.strip()
                and not rest.lstrip().startswith("<")
            ):
                read(tokens(rest).children, (at(node, offset) or 1))

    read(root.children, 0)
    return Outline(preamble, top)


def walk(sections: list[Section]) -> list[Section]:
    """Every section, depth first, in document order."""
    out: list[Section] = []
    for section in sections:
        out.append(section)
        out.extend(walk(section.children))
    return out
