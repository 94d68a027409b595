"""Pass 1: CommonMark tokens -> an outline of sections and their blocks.

Sections start at ATX and setext headings and at *label lines*: a paragraph that
opens with ``**Acceptance criteria:**``, ``Definition of Done``, ``Tasks:`` or
another phrase the vocabulary knows (bold or plain, with or without a colon). A
label section lasts until the next label line, heading or thematic break. Blocks
are paragraphs, lists (with nesting and checkboxes), table rows and fenced code.

What markup wraps is read too: a blockquote's blocks where it stands (a GitHub alert
``> [!WARNING]`` opens a Risks label, ``[!NOTE]`` and ``[!TIP]`` a Notes one), and an
HTML block as the Markdown it stands for (``<h3>`` a heading, ``<li>`` an item, ``<p>``
a paragraph; ``<details>`` with a ``<summary>`` a titled section up to
``</details>``; comments, ``<pre>`` and ``<table>`` are skipped). A paragraph whose
lines each open with an outline number (``3.1.1 Store drafts ...``) or a status emoji
(``🟢 Add x``) is a list. No regular expression runs over the body; the few here run
over one line or one HTML block each, and nesting is bounded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX, WORDS
from planner.core.read.markup import has_legend, status_emoji
from planner.core.read.names import milestone_like
from planner.core.read.tracker import Story, add_lines, continues, story_of
from planner.core.read.vocabulary import HINT_KEYS, ROLE_TABLE, VALUE_HINTS, normalize, role_of
from planner.core.text import word_count

NO_RESPONSE = "_No response_"

# Only the block structure is read (inline text is taken as written), so the inline
# pass, the costly part on hostile bodies, is off.
_PARSER = MarkdownIt("commonmark", {"maxNesting": 20}).enable("table").disable("inline")
_CHECKBOX = LazyPattern(r"\[([ xX])\]\*?\s+")  # Kiro marks an optional task "[ ]*"
# A criterion that names itself in its first words: "Done when ...", "Ships when ...".
_LEAD_IN = LazyPattern(rf"({LEX.criterion_lead})\b", re.IGNORECASE)
# "**Label**: rest", "**Label:** rest", "__Label__ rest"; the label is at most 80 characters.
_BOLD_LABEL = LazyPattern(r"(\*\*|__)([^*_\n]{1,80}?)\1\s*(:?)\s*(.*)", re.DOTALL)
_PLAIN_LABEL = LazyPattern(r"([A-Za-z][A-Za-z0-9 &/'()-]{0,60}?)\s*:\s*(.*)", re.DOTALL)
# "Proposed fix (I'd like this in v2.7.1):": a label with an aside, alone on its line.
_ASIDE_LABEL = LazyPattern(r"([A-Za-z][A-Za-z0-9 &/'-]{0,60}?)\s*\([^()\n]{1,160}\)\s*:")
# "3.1.1 Store drafts in ...": a requirement numbered in the document's outline.
_OUTLINE_NUMBER = LazyPattern(r"\d{1,3}(?:\.\d{1,3}){1,4}\.?\s+(?=[A-Z`*_\"'])")
_LISTS = frozenset({"bullet_list", "ordered_list"})
_LIST_NUMBER = LazyPattern(r"(\d{1,3})[.)]\s+(?=\S)")
# "These must hold for the rollout to be accepted:": a lead-in to criteria.
_CRITERIA_LEAD_IN = LazyPattern(
    rf".{{0,120}}\b(?:{LEX.criteria_lead_in})\b.{{0,60}}:",
    re.IGNORECASE,
)
# GitHub alerts: "> [!NOTE]" on the first line of a blockquote.
_ALERT = LazyPattern(rf"\[!({LEX.alert})\]\s*", re.IGNORECASE)
_ALERT_LABELS = {
    **dict.fromkeys(WORDS["alert.notes"], "Notes"),
    **dict.fromkeys(WORDS["alert.risks"], "Risks"),
}
# HTML that stands for Markdown blocks; what it holds is read as Markdown.
_HTML_SKIP = LazyPattern(
    rf"<!--.*?(?:-->|$)|<({LEX.html_skipped})\b[^>]{{0,500}}>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_HTML_HEADING = LazyPattern(
    r"<h([1-6])\b[^<>]{0,500}>(.{0,300}?)</h\1\s*>", re.IGNORECASE | re.DOTALL
)
_HTML_CODE = LazyPattern(r"<code>([^<>`\n]{1,300})</code>", re.IGNORECASE)
# A rendered task list pasted back: <li><input type="checkbox" checked> Add x</li>.
_HTML_CHECKBOX = LazyPattern(
    r"<input\b(?=[^<>]{0,300}type=[\"']?checkbox)[^<>]{0,300}>\s*",
    re.IGNORECASE,
)
_CHECKED = LazyPattern(r"\schecked\b", re.IGNORECASE)
_HTML_ITEM = LazyPattern(r"<li\b[^<>]{0,500}>", re.IGNORECASE)
_HTML_BREAK = LazyPattern(
    rf"</?(?:{LEX.html_break})\b"
    r"[^<>]{0,500}/?>",
    re.IGNORECASE,
)
_SUMMARY = LazyPattern(
    r"<summary\b[^<>]{0,500}>(.{0,300}?)</summary\s*>|</details\s*>", re.IGNORECASE | re.DOTALL
)
_PROGRESS = LazyPattern(r"\s*\(\s*\d{1,4}\s*/\s*\d{1,4}\s*\)\s*$")
_INLINE_TAG = LazyPattern(r"</?[A-Za-z][^<>\n]{0,500}>")
_LIST_LINE = LazyPattern(r"\s{1,12}(?:[-*+]|\d{1,9}[.)])\s")
# An HTML block read as Markdown may hold HTML again; it is read this deep at most.
_HTML_DEPTH = 2
_DETAILS_DEPTH = 4


@dataclass
class Item:
    """One list item: its own text, its line, and the items nested under it."""

    text: str
    line: int | None
    checked: bool | None
    children: list[Item] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    ordered: bool = False
    number: int | None = None  # "5." of an ordered list, as the author numbered it


@dataclass
class Paragraph:
    text: str
    line: int | None


@dataclass
class ItemList:
    items: list[Item]
    line: int | None
    ordered: bool = False
    # Set off by a thematic break from what its section said before ("---" then
    # "Problems hit during this release:"): a footnote to the work, unless it ticks.
    after_break: bool = False


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
    # The role the text gives the section itself (a tracker's "Story: PAY-12 ..." is a
    # milestone), whatever its title and place would say.
    stated: str | None = None
    # A milestone named by a line of its own over its list, not by a heading: "m2
    # typecheck (after m1)", "**Milestone 1: Capture.** We start by ...".
    run_in: bool = False


@dataclass
class Outline:
    preamble: list[Block]
    sections: list[Section]


def tokens(body: str) -> SyntaxTreeNode:
    """The CommonMark syntax tree of a body (tables and strikethrough on, as on GitHub)."""
    return SyntaxTreeNode(_stream(body))


def headings(body: str) -> Iterator[str]:
    """The text of a body's top-level headings, in order, without building its tree."""
    stream = _stream(body)
    for at, token in enumerate(stream[:-1]):
        if token.type == "heading_open" and token.level == 0:
            yield stream[at + 1].content


@lru_cache(maxsize=2)
def _stream(body: str) -> tuple[Token, ...]:
    """The body's tokens, kept for the next call: a request file's title and its reading
    parse the same body (neither changes a token)."""
    return tuple(_PARSER.parse(body))


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


def items_of(list_node: SyntaxTreeNode, circles: bool = False) -> list[Item]:
    """A list's items; ``circles``: coloured circles before an item say its status."""
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
                children.extend(items_of(block, circles))
        checked: bool | None = None
        box = _CHECKBOX.match(text)
        if box:
            checked = box.group(1) in "xX"
            text = text[box.end() :]
        else:
            checked = status_emoji(text, circles)  # "🚧 Add x" on a status board
        number = int(li.info) if ordered and li.info.isdigit() and len(li.info) <= 9 else None
        items.append(
            Item(text.strip(), line_of(li), checked, children, paragraphs, ordered, number)
        )
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
    line = _INLINE_TAG.sub("", first_line).strip() if "<" in first_line else first_line.strip()
    if not line or len(line) > 2000:
        return None
    number = _OUTLINE_NUMBER.match(line)
    if number and table.get(normalize(line[number.end() :])):
        return line[number.end() :], ""  # "2.1 Non-goals" over a list
    bold = _BOLD_LABEL.fullmatch(line)
    if bold:
        name, colon, rest = bold.group(2).strip(), bold.group(3), bold.group(4)
        name = name.rstrip(":").strip()
        if role_of(name, table) or (not rest and not colon and name.endswith(("?", "."))):
            return name, rest.strip()
        return None
    aside = _ASIDE_LABEL.fullmatch(line)
    if aside and table.get(normalize(aside.group(1))):
        return aside.group(1).strip(), ""  # "Follow-ups (not blocking the hotfix):"
    plain = _PLAIN_LABEL.fullmatch(line)
    if plain:
        name, rest = plain.group(1).strip(), plain.group(2).strip()
        if HINT_KEYS.get(name.lower()) in VALUE_HINTS:
            return None  # "risk: high" is a hint
        if len(name.split()) <= 5 and role_of(name, table) and table.get(normalize(name)):
            return name, rest
        if rest and _CRITERIA_LEAD_IN.fullmatch(f"{name}:"):
            return "Acceptance criteria", rest  # "Must hold: a client over quota gets 429"
        return _criteria_lead_in(line)
    lead = _LEAD_IN.match(line)
    if lead and table.get(normalize(lead.group(1))) == "acceptance":
        return lead.group(1), line  # "Done when the build is green." is itself the criterion
    # A line alone that is exactly a known phrase: "Definition of Done", "ACCEPTANCE CRITERIA".
    if len(line) <= 60 and table.get(normalize(line)) and len(line.split()) >= 2:
        return line, ""
    if line.isupper() and table.get(normalize(line)):
        return line, ""
    return _criteria_lead_in(line)


def _label_runs(text: str, table: Mapping[str, str]) -> list[tuple[int, str]]:
    """A paragraph cut before each later line that opens with a bold label the
    vocabulary knows, with the offset of each part's first line."""
    lines = text.split("\n")
    if len(lines) < 2 or len(lines) > 200:
        return [(0, text)]
    cuts = [0] + [
        at
        for at, raw in enumerate(lines)
        if at and raw.lstrip().startswith(("**", "__")) and label_of(raw, table)
    ]
    ends = [*cuts[1:], len(lines)]
    return [(start, "\n".join(lines[start:end])) for start, end in zip(cuts, ends, strict=True)]


def _milestone_line(text: str) -> tuple[str, str] | None:
    """A paragraph over a list that names a milestone as a heading would: a short line
    alone ("m2 typecheck (after m1)", "Phase 2 — switch over") or a bold run-in title
    before its prose ("**Milestone 1: Capture.** We start by ..."). Returns the title
    and the prose after it."""
    first, _, more = text.partition("\n")
    first = first.strip()
    if len(first) > 2000:
        return None
    bold = _BOLD_LABEL.fullmatch(first)
    if bold:
        name = bold.group(2).strip().rstrip(".:").strip()
        rest = "\n".join(part for part in (bold.group(4).strip(), more) if part.strip())
        return (name, rest) if milestone_like(name) else None
    if more or len(first.split()) > 8 or first.endswith((".", ":", "?", "!")):
        return None
    return (first, "") if milestone_like(first) else None


def _criteria_lead_in(line: str) -> tuple[str, str] | None:
    """A lead-in such as "These must hold for it to be accepted:" opens criteria."""
    if line.endswith(":") and _CRITERIA_LEAD_IN.fullmatch(line):
        return "Acceptance criteria", ""
    return None


def _is_checklist(node: SyntaxTreeNode) -> bool:
    return node.type in ("bullet_list", "ordered_list") and any(
        _CHECKBOX.match(inline_text(li.children[0]))
        for li in node.children
        if li.children and li.children[0].type == "paragraph"
    )


def _as_list(text: str, line: int | None, circles: bool = False) -> ItemList | None:
    """A paragraph whose lines each open with an outline number (``3.1.1 Store drafts
    in ...``), over two lines or more a status emoji (``🟢 Add x``), or each a list
    number (``5. Email the admin``: a numbered list that goes on after a label line,
    which CommonMark reads as text when it does not start at 1): a list."""
    lines = [raw.strip() for raw in text.split("\n")]
    if not all(lines):
        return None
    numbered = [_LIST_NUMBER.match(raw) for raw in lines]
    if len(lines) > 1 and all(numbered):
        return ItemList(
            [
                Item(
                    raw[found.end() :].strip(),
                    line + index if line is not None else None,
                    None,
                    ordered=True,
                    number=int(found.group(1)),
                )
                for index, (raw, found) in enumerate(zip(lines, numbered, strict=True))
                if found
            ],
            line,
            ordered=True,
        )
    items: list[Item] = []
    for index, raw in enumerate(lines):
        where = line + index if line is not None else None
        number = _OUTLINE_NUMBER.match(raw)
        # One line alone needs a deep number ("3.3.1 Accept ..."): "2.0 Brings ..." is prose.
        deep = len(lines) > 1 or (number is not None and number.group().count(".") >= 2)
        if number and deep and word_count(raw[number.end() :]) >= 3:
            items.append(Item(raw[number.end() :], where, None, ordered=True))
        elif len(lines) > 1 and status_emoji(raw, circles) is not None:
            items.append(Item(raw, where, status_emoji(raw, circles)))
        else:
            return None
    return ItemList(items, line, ordered=all(item.ordered for item in items))


def _markdown_of(html: str) -> str:
    """An HTML fragment as the Markdown it stands for: ``<h3>x</h3>`` -> ``### x``,
    ``<li>x`` -> ``- x``, ``<p>``/``<div>``/``<br>`` -> paragraph breaks; other tags
    stay inline (the reader's ``plain`` drops them)."""
    out = _HTML_HEADING.sub(
        lambda m: "\n\n" + "#" * int(m.group(1)) + " " + " ".join(m.group(2).split()) + "\n\n",
        html,
    )
    out = _HTML_CODE.sub(lambda m: f"`{m.group(1)}`", out)
    out = _HTML_CHECKBOX.sub(lambda m: "[x] " if _CHECKED.search(m.group()) else "[ ] ", out)
    out = _HTML_ITEM.sub("\n- ", out)
    out = _HTML_BREAK.sub("\n\n", out)
    # HTML is indented as its author liked; only a nested Markdown list keeps its indent.
    # A tag alone on its line (``<PRD>``, ``<div align="center">``) only wraps what follows.
    return "\n".join(
        "" if _INLINE_TAG.fullmatch(raw.strip()) else raw if _LIST_LINE.match(raw) else raw.lstrip()
        for raw in out.split("\n")
    )


class OutlineState:
    """What the block rules share while they read a body: the sections open (innermost
    last), where a block goes, and what the document said once for all of it. (A plain
    class: a dataclass would generate its methods at every start-up.)"""

    def __init__(self, table: Mapping[str, str], circles: bool) -> None:
        self.table = table
        self.circles = circles  # a legend says what the document's coloured circles mean
        self.preamble: list[Block] = []
        self.top: list[Section] = []
        self.stack: list[Section] = []
        self.details: list[Section | None] = []  # the <details> open
        self.titled = 0  # how many of the open <details> opened a section
        self.broken: Section | None = None  # the section a thematic break last stood in

    def open_section(self, section: Section) -> None:
        while self.stack and self.stack[-1].level >= section.level:
            self.stack.pop()
        (self.stack[-1].children if self.stack else self.top).append(section)
        self.stack.append(section)

    def open_label(
        self,
        title: str,
        line: int | None,
        *,
        label: bool = False,
        stated: str | None = None,
        run_in: bool = False,
    ) -> None:
        """A section opened by a line rather than a heading, half a level below the
        section it stands in."""
        parent = self.stack[-1].level if self.stack else 0
        section = Section(title, parent + 0.5, line, label=label, stated=stated, run_in=run_in)
        self.open_section(section)

    def close_label(self) -> None:
        while self.stack and (self.stack[-1].label or self.stack[-1].stated):
            self.stack.pop()

    def add(self, block: Block) -> None:
        (self.stack[-1].blocks if self.stack else self.preamble).append(block)


def outline(root: SyntaxTreeNode, table: Mapping[str, str] = ROLE_TABLE) -> Outline:
    """Split the body's blocks into a tree of sections (headings and label lines): each
    block goes to the first rule of ``BLOCK_RULES`` that takes it."""
    circles = any(
        node.type == "paragraph" and has_legend(inline_text(node)) for node in root.children
    )
    state = OutlineState(table, circles)
    read(state, root.children, 0)
    return Outline(state.preamble, state.top)


def read(state: OutlineState, nodes: list[SyntaxTreeNode], offset: int, depth: int = 0) -> None:
    """Each block in turn; a paragraph is told whether a list follows it."""
    for index, node in enumerate(nodes):
        before_list = index + 1 < len(nodes) and nodes[index + 1].type in _LISTS
        visit(state, node, offset, depth, before_list)


def visit(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool = False
) -> None:
    rule = BLOCK_RULES.get(node.type)
    if rule is not None:
        rule(state, node, offset, depth, before_list)


# ---------------------------------------------------------------------------- block rules


def heading_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    state.close_label()
    level = int(node.tag[1:])
    state.open_section(Section(inline_text(node).strip(), level, at(node, offset)))


def paragraph_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    paragraph(state, inline_text(node), at(node, offset), before_list)


def list_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    found = ItemList(items_of(node, state.circles), at(node, offset), node.type == "ordered_list")
    found.after_break = bool(state.stack) and state.stack[-1] is state.broken
    label = _trailing_label(found, state.table)
    state.add(found)
    if label is not None:
        paragraph(state, *label, before_list)


def _trailing_label(found: ItemList, table: Mapping[str, str]) -> tuple[str, int | None] | None:
    """A label line the list's last item runs into ("1. The config loads\n**Plans:** 2
    plans" over the next list, with no blank line between: CommonMark reads it as the
    item's own text). Cut from the item, it is returned to be read as what it is, and
    labels the list after it."""
    last = found.items[-1] if found.items and not found.items[-1].children else None
    lines = last.text.split("\n") if last is not None else []
    for at_line, raw in enumerate(lines[1:50], start=1):
        if raw.lstrip().startswith(("**", "__")) and label_of(raw, table):
            assert last is not None
            last.text = "\n".join(lines[:at_line]).rstrip()
            where = last.line + at_line if last.line is not None else None
            return "\n".join(lines[at_line:]), where
    return None


def table_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    state.add(_table(node))


def fence_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    info = (node.info or "").strip().lower()
    if info == "[tasklist]":
        # GitHub's tasklist block: a task list under a heading that only titles the block
        # ("### Tasks"); the list belongs to the section it stands in.
        start = at(node, offset) or 0
        for child in tokens(node.content).children:
            if child.type != "heading":
                visit(state, child, start, depth)
    else:
        state.add(Fence(info, node.content, at(node, offset)))


def break_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    state.close_label()
    state.broken = state.stack[-1] if state.stack else None


def quote_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    """A blockquote's blocks where it stands; an alert's under the label its kind names
    (a warning is a risk, a note or tip is not work)."""
    children = list(node.children)
    alert = None
    if children and children[0].type == "paragraph":
        text = inline_text(children[0])
        alert = _ALERT.match(text.lstrip())
    depth_before = len(state.stack)
    if alert:
        label = _ALERT_LABELS.get(alert.group(1).lower())
        if label:
            state.close_label()
            state.open_label(label, at(node, offset), label=True)
            depth_before = len(state.stack) - 1
        rest = text.lstrip()[alert.end() :]
        if rest.strip():
            paragraph(state, rest, at(children[0], offset))
        children = children[1:]
    for child in children:
        if alert and alert.group(1).lower() != "tip" and _is_checklist(child):
            _close_quote(state, depth_before)  # a checklist in a note or warning is work
        visit(state, child, offset, depth)
    _close_quote(state, depth_before)


def _close_quote(state: OutlineState, depth_before: int) -> None:
    while len(state.stack) > depth_before and state.stack[-1].label:
        state.stack.pop()  # a label inside the quote ends with it


def html_rule(
    state: OutlineState, node: SyntaxTreeNode, offset: int, depth: int, before_list: bool
) -> None:
    """An HTML block as Markdown; ``<summary>`` opens a section that ``</details>``
    closes."""
    offset = (at(node, offset) or 1) - 1
    if depth >= _HTML_DEPTH:
        return
    text = _HTML_SKIP.sub("\n", node.content)
    start = 0
    for tag in _SUMMARY.finditer(text):
        _markdown(state, text[start : tag.start()], offset, depth)
        start = tag.end()
        if tag.group(1) is not None:
            _open_details(state, tag.group(1), offset)
        elif state.details:
            _close_details(state)
    _markdown(state, text[start:], offset, depth)


def _open_details(state: OutlineState, summary: str, offset: int) -> None:
    title = _PROGRESS.sub("", " ".join(_INLINE_TAG.sub(" ", summary).split()))
    section = Section(title, (state.stack[-1].level if state.stack else 0) + 0.25, offset + 1)
    if state.titled >= _DETAILS_DEPTH:
        title = ""  # <details> never closed nest no deeper than this
    if title:
        state.close_label()
        state.open_section(section)
        state.titled += 1
    state.details.append(section if title else None)


def _close_details(state: OutlineState) -> None:
    closed = state.details.pop()
    state.titled -= closed is not None
    if closed is not None and any(open is closed for open in state.stack):
        while state.stack and state.stack.pop() is not closed:
            pass


def _markdown(state: OutlineState, fragment: str, offset: int, depth: int) -> None:
    if fragment.strip():
        read(state, tokens(_markdown_of(fragment)).children, offset, depth + 1)


BlockRule = Callable[[OutlineState, SyntaxTreeNode, int, int, bool], None]
# The block rules by the kind of block they read, in the order markdown-it names them.
BLOCK_RULES: dict[str, BlockRule] = {
    "heading": heading_rule,
    "paragraph": paragraph_rule,
    "bullet_list": list_rule,
    "ordered_list": list_rule,
    "table": table_rule,
    "fence": fence_rule,
    "hr": break_rule,
    "blockquote": quote_rule,
    "html_block": html_rule,
}


# ------------------------------------------------------------------------ paragraph rules


def paragraph(state: OutlineState, text: str, line: int | None, before_list: bool = False) -> None:
    """A paragraph goes to the first rule of ``PARAGRAPH_RULES`` that takes it."""
    for rule in PARAGRAPH_RULES:
        if rule(state, text, line, before_list):
            return


def label_runs(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """ "**Goal**: ...\n**Independent Test**: ...": a label a line, each its own."""
    parts = _label_runs(text, state.table)
    if len(parts) <= 1:
        return False
    for index, (start, part) in enumerate(parts):
        where = line + start if line is not None else None
        paragraph(state, part, where, before_list and index == len(parts) - 1)
    return True


def field_row(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """ "**Duration**: 3 days | **Dependencies**: Phase 2 complete": fields on one line,
    each read as its own label line (a Spec Kit phase's header)."""
    if "\n" in text or "|" not in text:
        return False
    parts = [part.strip() for part in _FIELD_SEPARATOR.split(text)]
    if len(parts) < 2 or not all(_BOLD_LABEL.fullmatch(part) for part in parts):
        return False
    for index, part in enumerate(parts):
        paragraph(state, part, line, before_list and index == len(parts) - 1)
    return True


_ASIDE_ONLY = LazyPattern(r"\([^()\n]{1,160}\)\s*:")
_FIELD_SEPARATOR = LazyPattern(r"\s+\|\s+(?=\*\*|__)")


def tracker_story(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """ "Story: PAY-12 …" opens a milestone its fields fill."""
    story = story_of(text, line)
    if story is None:
        return False
    state.close_label()
    state.open_label(story.title, line, stated="milestone")
    _fill(state.stack[-1], story)
    return True


def story_fields(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """More fields of the story above; anything else ends it."""
    if not (state.stack and state.stack[-1].stated):
        return False
    if continues(text):
        more_fields = Story(state.stack[-1].title, line)
        add_lines(more_fields, text, line)
        _fill(state.stack[-1], more_fields)
        return True
    state.stack.pop()  # what follows a story's fields is no longer the story's
    return False


def label_line(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """ "**Acceptance criteria:**" opens a section as a heading of that name would."""
    first, _, more = text.partition("\n")
    label = label_of(first, state.table)
    if not label:
        return False
    state.close_label()
    state.open_label(label[0], line, label=True)
    # "**Success Criteria** (what must be TRUE):" over its list: the aside says what the
    # list is, it is none of its entries.
    said = "" if _ASIDE_ONLY.fullmatch(label[1].strip()) else label[1]
    rest = "\n".join(part for part in (said, more) if part.strip())
    if rest.strip():
        state.add(_as_list(rest, line, state.circles) or Paragraph(rest, line))
        if not rest.rstrip().endswith(":"):
            state.close_label()  # "**Checkpoint**: a sentence." is one paragraph
    return True


def milestone_line(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """ "m2 parser (after m1)" over a list opens a milestone, as a heading would."""
    named = _milestone_line(text) if before_list else None
    if not named:
        return False
    while state.stack and (state.stack[-1].label or state.stack[-1].run_in):
        state.stack.pop()  # the milestone line before it, and its labels, end here
    state.open_label(named[0], line, run_in=True)
    if named[1]:
        state.add(Paragraph(named[1], line))
    return True


def plain_paragraph(state: OutlineState, text: str, line: int | None, before_list: bool) -> bool:
    """Text, or a status board written as lines, where it stands."""
    if text.strip() and text.strip() != NO_RESPONSE:
        state.add(_as_list(text, line, state.circles) or Paragraph(text, line))
    return True


ParagraphRule = Callable[[OutlineState, str, int | None, bool], bool]
# Tried in order; the first that takes the paragraph ends the search.
PARAGRAPH_RULES: tuple[ParagraphRule, ...] = (
    label_runs,
    field_row,
    tracker_story,
    story_fields,
    label_line,
    milestone_line,
    plain_paragraph,
)


def _fill(section: Section, story: Story) -> None:
    """A tracker story's fields as the blocks and label sections a Markdown story has."""
    if story.tasks:
        items = [Item(entry.text, entry.line, entry.done) for entry in story.tasks]
        section.blocks.append(ItemList(items, items[0].line))
    level = section.level + 0.5
    if story.criteria:
        items = [Item(entry.text, entry.line, None) for entry in story.criteria]
        criteria = Section("Acceptance criteria", level, items[0].line, label=True)
        criteria.blocks.append(ItemList(items, items[0].line))
        section.children.append(criteria)
    if story.waits_on:
        waits = Section("Dependencies", level, story.waits_on[0].line, label=True)
        waits.blocks.extend(Paragraph(entry.text, entry.line) for entry in story.waits_on)
        section.children.append(waits)


def walk(sections: list[Section]) -> list[Section]:
    """Every section, depth first, in document order."""
    out: list[Section] = []
    for section in sections:
        out.append(section)
        out.extend(walk(section.children))
    return out
