"""Pass 3: the classified outline -> a Draft.

Milestones come from milestone sections (and the items of a Milestones list),
tasks from the lists, table rows and task headings under work sections, criteria
from acceptance sections and label lines wherever they stand, and dependencies
from what the text states. Nothing is invented: where the document is silent,
the draft is too, and the planner fills defaults it records as assumptions.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from planner.core.patterns import LazyPattern
from planner.core.read import hints
from planner.core.read.dependencies import (
    BLOCKS_ALL,
    FOUNDATION,
    ORDER,
    PROSE_DEPENDS,
    WITHIN_GROUP,
    Statement,
    apply_dependencies,
    sequential,
)
from planner.core.read.draft import LIST_SECTIONS, Draft, DraftDecision, DraftMilestone, DraftTask
from planner.core.read.lex import LEX, WORDS
from planner.core.read.markup import (
    ask,
    done_marked,
    heading_text,
    is_instruction,
    plain,
    sentences,
)
from planner.core.read.names import milestone_like, milestone_name
from planner.core.read.outline import (
    NO_RESPONSE,
    Block,
    Item,
    ItemList,
    Outline,
    Paragraph,
    Section,
    Table,
    walk,
)
from planner.core.read.requirements import (
    Requirements,
    is_milestone_table,
    milestones_from_table,
    requirements_of,
)
from planner.core.read.tasks import (
    entries,
    field_of,
    is_criterion,
    lists,
    numbered_criteria,
    paragraphs,
    prose_tasks,
    task_from_heading,
    task_from_item,
    tasks_from_table,
    work_in,
)
from planner.core.read.vocabulary import (
    CRITERIA_GROUPS,
    CRITERION_PREFIXES,
    DESIGN_SECTIONS,
    DOCUMENT_NOTES,
    FUTURE_WORK,
    GOALS,
    GREETING,
    LOGGED_DECISIONS,
    MENTION,
    QUESTION_LEADS,
    ROLE_TABLE,
    SETTLED_DECISIONS,
    TEST_WORK,
    WORK_PHRASES,
    is_acknowledgement,
    normalize,
    role_of,
)
from planner.core.text import code_locations, issue_refs, one_line, word_count
from planner.model import RISK_ORDER, Finding

# The first words of a question: "Should we ...:", "Which store ...:".
QUESTION_WORDS = frozenset(WORDS["question_word"])
_MARKER = LazyPattern(rf"\(({LEX.risk})\)", re.IGNORECASE)
_PAREN_CRITERION = LazyPattern(
    rf"\(\s*((?:{LEX.criterion_label})\s*:[^()]{{1,300}})\)",
    re.IGNORECASE,
)
_PAREN_WAITS = LazyPattern(
    rf"\(\s*((?:{LEX.after}|{LEX.depends_on}|{LEX.needs})\s[^()]{{1,80}})\)", re.IGNORECASE
)
_FAVOUR = LazyPattern(
    rf"(?:{LEX.favour_ask})\b",
    re.IGNORECASE,
)
_CHOICE = LazyPattern(
    rf"\b(?:{LEX.choice_word})\b",
    re.IGNORECASE,
)
_MUST = LazyPattern(rf"\b(?:{LEX.must})\b", re.IGNORECASE)
_GOAL = LazyPattern(
    rf"(?:the |our )?(?:{LEX.goal_noun})(?: of this [\w ]{{1,30}})? is "
    r"(?:that |to |for )?",
    re.IGNORECASE,
)


@dataclass
class _Collected:
    """What the assembly gathers on its way through the outline, besides the draft."""

    findings: list[Finding] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    blocking: list[DraftMilestone] = field(default_factory=list)
    acceptance_done: list[bool] = field(default_factory=list)
    task_sections: int = 0
    # Milestones grouped under one heading ("Epic 1" > its phases), and the runs of
    # milestones the text says follow each other.
    groups: list[list[DraftMilestone]] = field(default_factory=list)
    chains: list[list[DraftMilestone]] = field(default_factory=list)
    table: Mapping[str, str] = field(default_factory=lambda: ROLE_TABLE)
    requirements: Requirements = field(default_factory=Requirements)
    tests_to_write: list[DraftTask] = field(default_factory=list)  # of the whole plan
    # A criteria section's parts named as milestones ("### Phase 2: Coverage"): whose
    # criteria they are is settled once every milestone is read.
    criteria_named: list[tuple[str, list[str]]] = field(default_factory=list)


# --------------------------------------------------------------------------- milestones


def milestone_from_section(
    c: _Collected, draft: Draft, section: Section, criteria: bool = False
) -> DraftMilestone:
    """A milestone heading and everything under it. Under a criteria group
    ("Graduation Criteria"), its bullets are acceptance, not work."""
    text, done = done_marked(section.title)
    acceptance = [m.group(1).strip() for m in _PAREN_CRITERION.finditer(text)]
    text = _PAREN_CRITERION.sub("", text)
    waits = [m.group(1).strip() for m in _PAREN_WAITS.finditer(text)]  # "(after m1)"
    text = _PAREN_WAITS.sub("", text)
    milestone_id, title = hints.split_milestone_id(plain(text, keep_targets=False))
    milestone = DraftMilestone(
        title=one_line(title.strip(" :-–—"), 200) or one_line(text, 200) or "untitled milestone",
        line=section.line,
        id=milestone_id,
        done=done,
        acceptance=acceptance,
        references=issue_refs(text),
    )
    c.statements.extend(Statement(milestone, wait, section.line, stated=True) for wait in waits)
    prose: list[str] = []
    ticked = False  # a checklist stood above
    for block in section.blocks:
        if isinstance(block, Paragraph):
            for raw in block.text.split("\n"):
                hint = hints.parse_hint(raw)
                if hint and hints.apply_milestone_hint(
                    c.findings, milestone, hint[0], hint[1], block.line
                ):
                    continue
                if raw.strip():
                    prose.append(_upright(raw.strip()))
        elif isinstance(block, ItemList):
            ticks = any(item.checked is not None for item in block.items)
            if block.after_break and ticked and not ticks:
                # A plain list set off by a thematic break below the milestone's
                # checklist ("---", "Problems hit (fill in as you go):") is a footnote.
                continue
            ticked = ticked or ticks
            made = len(milestone.tasks)
            for item in block.items:
                # "- File: api/x.go" after a task of this list is that task's field (a
                # "- depends: M1" or "- risk: high" stays the milestone's own).
                last = milestone.tasks[-1] if len(milestone.tasks) > made else None
                if field_of(c.findings, item, last, frozenset({"paths"})):
                    continue
                # A stage's criteria may hold its work too: "Remove the feature gate".
                instruction = criteria and is_instruction(plain(item.text))
                if (criteria and not instruction) or is_criterion(item.text):
                    milestone.acceptance.append(plain(item.text))
                    c.acceptance_done.append(bool(item.checked))
                else:
                    milestone_child(c, milestone, item)
        elif isinstance(block, Table):
            milestone.tasks.extend(tasks_from_table(block))
    # "Can start once Phase 1 is live" says when, not what the milestone achieves.
    outcome = [s for s in sentences(" ".join(prose)) if not PROSE_DEPENDS.search(s)]
    if outcome and not milestone.outcome:
        milestone.outcome = plain(" ".join(outcome))
    for child in section.children:
        milestone_part(c, draft, milestone, child)
    remarks = [part.title for part in section.children if part.label]  # "**Blocks all ...**"
    if BLOCKS_ALL.search(" ".join([section.title, *prose, *remarks])) or FOUNDATION.match(
        milestone.title
    ):
        c.blocking.append(milestone)
    for sentence in sentences(" ".join(prose)):
        if PROSE_DEPENDS.search(sentence):
            c.statements.append(Statement(milestone, sentence, section.line, stated=False))
    if not milestone.tasks and not criteria:
        milestone.tasks.extend(prose_tasks(prose, section.line))
    return milestone


def _upright(line: str) -> str:
    """A line set whole in italics without them: "_Blocked by Phase 1._" says the
    phase waits as plainly as the words alone do."""
    if len(line) > 2 and line[0] in "_*" and line[-1] == line[0] and line[1] not in "_* ":
        return line[1:-1]
    return line


def milestone_part(c: _Collected, draft: Draft, milestone: DraftMilestone, part: Section) -> None:
    """A sub-section or label line inside a milestone."""
    role = part.role
    if role in ("acceptance", "validation", "risks"):
        written = tests_to_write(c, part.blocks) if role == "validation" else ([], set())
        milestone.tasks.extend(written[0])
        found = [entry for entry in entries(part.blocks) if entry[0] not in written[1]]
        getattr(milestone, role).extend(text for text, _, _ in found)
        if role == "acceptance":
            c.acceptance_done.extend(done for _, _, done in found)
        for child in part.children:
            milestone_part(c, draft, milestone, child)
    elif role == "outcome":
        texts = [plain(p.text) for p in paragraphs(part.blocks)]
        if texts:
            milestone.outcome = " ".join(texts)
    elif role == "dependencies":
        for text, line, _ in entries(part.blocks):
            c.statements.append(Statement(milestone, text, line, stated=True))
    elif role == "task":
        task = task_from_heading(part)
        task.acceptance.extend(_criteria_under(c, part))
        milestone.tasks.append(task)
    elif role in ("tasks", "group"):
        milestone.tasks.extend(work_in(c.findings, part) or prose_work(part))
        for child in part.children:
            if child.role not in ("task", "group", "tasks"):
                milestone_part(c, draft, milestone, child)
    elif role == "milestone":
        start = len(draft.milestones)
        draft.milestones.insert(start, milestone_from_section(c, draft, part))
    elif role == "decisions":
        read_decisions(c, draft, part)
    elif role in LIST_SECTIONS:
        getattr(draft, role).extend(text for text, _, _ in entries(part.blocks))


def _criteria_under(c: _Collected, task: Section) -> list[str]:
    """The criteria a task heading holds ("### Story 1.2: Search" over "**Acceptance
    Criteria:**" and its Given/When/Then lines): the task's own, not its milestone's."""
    return [
        text
        for part in walk(task.children)
        if role_of(heading_text(part.title), c.table) == "acceptance"
        for text, _, _ in entries(part.blocks)
    ]


def tests_to_write(c: _Collected, blocks: list[Block]) -> tuple[list[DraftTask], set[str]]:
    """The items of a Testing section that are tests to write ("Unit tests for the
    parser", "Add a 1M-row case to the benchmark"): work, not checks to pass. Returns
    their tasks and the entry texts they were."""
    items = [item for item in lists(blocks) if TEST_WORK.match(plain(item.text))]
    tasks = [task for item in items for task in task_from_item(c.findings, item)]
    return tasks, {text for text, _, _ in entries([ItemList(items, None)])}


def prose_work(section: Section) -> list[DraftTask]:
    """A work section with no list, table or task heading states its work in prose
    ("## Implementation": "We will add a `[workspace]` table ..."): each sentence that
    is an instruction or says what will be done is a task."""
    if section.role != "tasks":
        return []
    return stated_work(section.blocks)


def stated_work(blocks: list[Block]) -> list[DraftTask]:
    """The sentences of the paragraphs among blocks that are instructions or say what
    will be done ("We will not delete them" says what will not)."""
    found: list[DraftTask] = []
    for paragraph in paragraphs(blocks):
        for sentence in sentences(plain(paragraph.text)):
            if len(sentence) <= 2000 and (
                is_instruction(sentence)
                or WORK_PHRASES.search(sentence)
                or FUTURE_WORK.search(sentence)
            ):
                text = ask(sentence)
                found.append(
                    DraftTask(
                        title=one_line(text.rstrip(":"), 200), objective=text, line=paragraph.line
                    )
                )
    return found


def milestone_child(c: _Collected, milestone: DraftMilestone, child: Item) -> None:
    """A list item under a milestone: a hint (``risk: high``, or ``_Depends: 1.1_`` set in
    italics), a labelled group, a criterion or a task."""
    hint = hints.parse_hint(_upright(child.text.strip()))
    if hint and hint[0] == "depends" and _STEP_NUMBER.match(hint[1] + " x"):
        # "_Depends: 1.1_": a step of another group, resolved by its outline number.
        c.statements.append(Statement(milestone, hint[1], child.line, stated=True))
        return
    label = heading_text(child.text) if child.text.rstrip().endswith(":") else ""
    kind = role_of(label, c.table) if label else None
    if kind in ("acceptance", "validation", "risks", "tasks", "outcome"):
        for item in child.children:
            if kind == "tasks":
                milestone.tasks.extend(task_from_item(c.findings, item))
            elif kind == "outcome":
                milestone.outcome = plain(item.text)
            elif item.text:
                getattr(milestone, kind).append(plain(item.text))
        return
    if hint and hints.apply_milestone_hint(c.findings, milestone, hint[0], hint[1], child.line):
        if hint[0] in ("acceptance", "validation", "risks") and child.children:
            getattr(milestone, hint[0]).extend(plain(g.text) for g in child.children if g.text)
        return
    milestone.tasks.extend(task_from_item(c.findings, child))


def milestone_from_item(c: _Collected, item: Item) -> DraftMilestone:
    text, done = done_marked(item.text)
    milestone_id, title = hints.split_milestone_id(plain(text, keep_targets=False))
    milestone = DraftMilestone(
        title=one_line(title, 200) or "untitled milestone", line=item.line, id=milestone_id
    )
    milestone.done = bool(item.checked) or done
    milestone.references = issue_refs(title)
    for child in item.children:
        milestone_child(c, milestone, child)
    if item.paragraphs and not milestone.outcome:
        milestone.outcome = plain(item.paragraphs[0])
    return milestone


# "1. Storage" over "1.1 Add the table": a group of numbered steps and one of its steps.
_GROUP_NUMBER = LazyPattern(r"(\d{1,3})\.\s+(?=\S)")
_STEP_NUMBER = LazyPattern(r"(\d{1,3})\.\d{1,3}\.?\s+\S")


def numbered_groups(blocks: list[Block]) -> list[Item] | None:
    """The groups of a task list numbered in two levels (``- [ ] 1. Storage`` over
    ``- [ ] 1.1 Add the table``, as Kiro's tasks.md writes them): each top-level item is
    numbered, and most hold steps numbered under their own number. ``None`` otherwise."""
    items = _steps_under_groups(lists(blocks))
    if len(items) < 2:
        return None
    grouped = 0
    for item in items:
        group = _GROUP_NUMBER.match(plain(item.text))
        if group is None:
            return None
        steps = [_STEP_NUMBER.match(plain(child.text)) for child in item.children]
        if any(step and step.group(1) == group.group(1) for step in steps):
            grouped += 1
    return items if 2 * grouped > len(items) else None


def _groups(section: Section) -> list[Item]:
    return numbered_groups(section.blocks) or []


def _steps_under_groups(items: list[Item]) -> list[Item]:
    """The same list with its steps under their groups where it writes both at one level
    (``- [ ] 1. Storage`` then ``- [ ] 1.1 Add the table``): the numbers say what an
    indent would."""
    out: list[Item] = []
    for item in items:
        step = _STEP_NUMBER.match(plain(item.text))
        group = _GROUP_NUMBER.match(plain(out[-1].text)) if out and step else None
        if step and group and group.group(1) == step.group(1):
            out[-1].children.append(item)
            continue
        out.append(
            replace(item, children=list(item.children))
            if _GROUP_NUMBER.match(plain(item.text))
            else item
        )
    return out


def milestones_from_groups(c: _Collected, groups: list[Item]) -> list[DraftMilestone]:
    """Each numbered group as a milestone holding its steps; a group that only states a
    criterion ("5. Checkpoint – ensure all tests pass") is one of the group before it."""
    milestones: list[DraftMilestone] = []
    for item in groups:
        if not item.children and milestones and _states_a_criterion(item.text):
            milestones[-1].acceptance.append(_GROUP_NUMBER.sub("", plain(item.text), count=1))
            continue
        milestones.append(milestone_from_item(c, item))
    return milestones


def _states_a_criterion(text: str) -> bool:
    words = normalize(plain(text)).replace("–", " ").replace("-", " ").split()
    words = words[1:] if words and words[0].rstrip(".").isdigit() else words
    return bool(words) and (words[0] in CRITERION_PREFIXES or is_criterion(" ".join(words)))


# --------------------------------------------------------------------------- decisions


def decision_from_item(c: _Collected, item: Item) -> DraftDecision | None:
    if item.checked:
        return None
    decision_id, text = hints.split_id(item.text)
    text = plain(text)
    decision = DraftDecision(question=one_line(text, 300), line=item.line, id=decision_id)
    marker = _MARKER.search(text)
    if marker:
        decision.impact = hints.risk_word(marker.group(1))
        decision.question = one_line(_MARKER.sub("", text), 300)
    for child in item.children:
        hint = hints.parse_hint(child.text)
        if hint and hint[0] == "options":
            decision.options.extend(hints.split_list(hint[1]) if hint[1] else [])
            decision.options.extend(plain(g.text) for g in child.children if g.text)
        elif hint and hint[0] in ("blocks", "depends"):
            decision.blocks.extend(hints.split_list(hint[1]))
        elif hint and hint[0] in ("impact", "risk"):
            impact = hints.risk_word(hint[1])
            if impact is None:
                hints.bad_value(c.findings, "impact", hint[1], RISK_ORDER, child.line)
            decision.impact = impact or decision.impact
        elif child.text:
            decision.options.append(plain(child.text))
    return decision


def read_decisions(c: _Collected, draft: Draft, section: Section) -> None:
    """A decisions section: its questions are open; in a section that records what was
    decided (an ADR's "## Decision"), a line that asks nothing is settled."""
    title = normalize(heading_text(section.title))
    settled = title in SETTLED_DECISIONS
    logged = title in LOGGED_DECISIONS
    for item in lists(section.blocks):
        taken = not _still_open(item) and (
            settled or (_states_a_choice_made(item) and (logged or _log_entry(item.text)))
        )
        decision = None if taken else decision_from_item(c, item)  # a question is open
        if decision:
            draft.decisions.append(decision)
        else:
            draft.resolved_decisions.append(one_line(plain(item.text), 300))
    for paragraph in paragraphs(section.blocks):
        for raw in paragraph.text.split("\n"):
            text = asked_question(raw) or plain(raw)
            questions = [s for s in sentences(text) if s.endswith("?")]
            if settled and not questions:
                if text:
                    draft.resolved_decisions.append(one_line(text, 300))
                continue
            for question in questions or ([text] if _puts_a_choice(text) else []):
                marker = _MARKER.search(question)
                draft.decisions.append(
                    DraftDecision(
                        question=one_line(_MARKER.sub("", question), 300),
                        line=paragraph.line,
                        impact=hints.risk_word(marker.group(1)) if marker else None,
                    )
                )
    for child in section.children:
        if child.role == "decisions":
            read_decisions(c, draft, child)
        elif child.role in LIST_SECTIONS:
            getattr(draft, child.role).extend(text for text, _, _ in entries(child.blocks))


# A dated or labelled entry of a log: "[Phase 2]: …", "2026-03-02: …", "(2026-03-02) …".
_LOG_ENTRY = LazyPattern(r"(?:\[([^\]\n]{1,40})\]|\(?\d{4}-\d{2}-\d{2}\)?)\s*[:—–-]?\s")
# A line that says it waits: "Pending: …", "Open: …", "Waiting on legal …", "Blocked by …".
_PENDING = LazyPattern(
    rf"(?:{LEX.decision_pending})(?:\s*:|\s+(?:{LEX.wait_preposition})\b)", re.IGNORECASE
)
_STATUS_LABEL = LazyPattern(rf"(?:{LEX.open_status}|{LEX.decision_pending})", re.IGNORECASE)


def _log_entry(raw: str) -> bool:
    """A log's dated or labelled entry, not one labelled with an open status ("[Proposed]:
    Switch to Kafka", "[Draft] …")."""
    found = _LOG_ENTRY.match(plain(raw))
    label = found.group(1) if found else None
    return found is not None and not (label and _STATUS_LABEL.fullmatch(label.strip()))


def _still_open(item: Item) -> bool:
    """A decision line that is open wherever it stands: an unticked box, a question, one
    that waits ("Pending: …", "@lena to confirm …") or carries an impact mark ("(major)")."""
    text = plain(item.text)
    said = _LOG_ENTRY.sub("", text, count=1)
    return (
        item.checked is False
        or "?" in text
        or _PENDING.match(said) is not None
        or MENTION.match(said) is not None
        or _MARKER.search(text) is not None
    )


def _states_a_choice_made(item: Item) -> bool:
    """A line of a decision log that says what was chosen ("[Phase 2]: Reminders use
    local notifications, not push"): a sentence of four words or more that offers no
    choice, with no options under it. A bare topic ("Auth provider") is still open."""
    text = plain(item.text)
    said = _LOG_ENTRY.sub("", text, count=1)
    return not item.children and not _puts_a_choice(text) and len(said.split()) >= 4


def _puts_a_choice(text: str) -> bool:
    """A line of a questions section that asks without a question mark ("Postgres or
    SQLite for the cache"); a status or a date line ("Status: backend done.", "_Last
    updated 2026-05-02._") decides nothing."""
    if not text or DOCUMENT_NOTES.match(text.lstrip("_*( ")):
        return False
    return _CHOICE.search(text) is not None


def take_asked_questions(outline: Outline) -> list[DraftDecision]:
    """Questions put to someone outside a questions section ("cc @lena — should carts
    expire?", "❓ Open: ...?", "**Blocking decision:** ...?") are open decisions; their
    lines leave the paragraph, so they are neither an outcome nor a note."""
    found: list[DraftDecision] = []
    for section in walk(outline.sections):
        if section.role is None and _asks_only(section):
            section.role = "decisions"  # "## Open" holding "- Do we backport ...?"

    def take(blocks: list[Block]) -> None:
        for index, block in enumerate(blocks):
            if not isinstance(block, Paragraph):
                continue
            kept: list[str] = []
            for offset, raw in enumerate(block.text.split("\n")):
                question = asked_question(raw)
                if question is None:
                    kept.append(raw)
                    continue
                line = block.line + offset if block.line else None
                found.append(DraftDecision(question=one_line(question, 300), line=line))
            if len(kept) < len(block.text.split("\n")):
                blocks[index] = Paragraph("\n".join(kept), block.line)

    take(outline.preamble)
    found.extend(_take_option_questions(outline.preamble))
    for section in walk(outline.sections):
        if section.role != "decisions":
            take(section.blocks)
        if section.role in (None, "objective", "notes"):
            found.extend(_take_option_questions(section.blocks))
    for section in walk(outline.sections):
        section.blocks = [b for b in section.blocks if not _empty(b)]
    outline.preamble[:] = [b for b in outline.preamble if not _empty(b)]
    return found


def _drop_acknowledgements(outline: Outline) -> None:
    """An issue form's tick boxes about its author (the Code of Conduct agreed to, a
    search done, help offered) are answers to the form, not work: a document whose
    only ticked boxes they are keeps its work in its other lists."""

    def kept(blocks: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            if isinstance(block, ItemList):
                items = [
                    item
                    for item in block.items
                    if item.checked is None or not is_acknowledgement(plain(item.text))
                ]
                if not items:
                    continue
                if len(items) < len(block.items):
                    block = replace(block, items=items)
            out.append(block)
        return out

    outline.preamble[:] = kept(outline.preamble)
    for section in walk(outline.sections):
        section.blocks = kept(section.blocks)


def _asks_only(section: Section) -> bool:
    """A section whose heading names no role but whose every item is a plain question
    ("## Open", "## Still to settle" listing "- Should ...?") lists open questions; a
    checklist of questions is tracked work, and an item with an answer under it is not
    open."""
    items = [
        item for block in section.blocks if isinstance(block, ItemList) for item in block.items
    ]
    return (
        bool(items)
        and all(isinstance(block, ItemList) for block in section.blocks)
        and all(
            item.checked is None
            and not item.children
            and not item.paragraphs
            and plain(item.text).rstrip(" *_)").endswith("?")
            for item in items
        )
    )


def _empty(block: Block) -> bool:
    return isinstance(block, Paragraph) and not block.text.strip()


def asked_question(raw: str) -> str | None:
    """The question a line puts to someone, without its lead ("cc @a —", "Open:"), or
    None. A question counts when it names someone or opens with a question lead."""
    marked = plain(raw).lstrip().startswith(("❓", "❔"))  # the mark is its lead
    text = plain(raw).lstrip("❓🔴🟡🟠⚠️❗❔👉 ").strip()
    if "?" not in text or len(text) > 1000:
        return None
    lead = QUESTION_LEADS.match(text)
    if not lead and not marked and not MENTION.search(text):
        return None
    rest = text[lead.end() :] if lead else text
    parts = sentences(rest)
    asks = [i for i, part in enumerate(parts) if part.endswith("?")]
    if not asks:
        return None
    first = asks[0]
    # "I think not, but happy to hear arguments: should we?" asks what the sentence
    # before it says ("... whether we could keep 3.8 wheels for one more release").
    ask = parts[first].rsplit(": ", 1)[-1]
    ask = ask[:1].upper() + ask[1:]
    if _FAVOUR.match(re.sub(r"^(?:@[\w-]+[\s,:]*)+", "", ask)):
        return None  # "Could you review this, @bob?" asks a person, not the plan
    if len(ask.split()) < 5 and first > 0:
        return f"{parts[first - 1]} {ask}"
    return " ".join([ask, *parts[first + 1 : asks[-1] + 1]])


# --------------------------------------------------------------------------- the whole


def assemble(
    outline: Outline, title: str, table: Mapping[str, str] = ROLE_TABLE
) -> tuple[Draft, list[Finding]]:
    """Build the draft from a classified outline."""
    c = _Collected(table=table, requirements=requirements_of(outline))
    draft = Draft(source="markdown")
    objective: list[str] = []
    _drop_acknowledgements(outline)
    asked = take_asked_questions(outline)
    _visit(c, draft, objective, outline.sections)
    _leave_claimed(c, draft)
    draft.decisions.extend(asked)
    around = [s for s in walk(outline.sections) if s.role in (None, "objective", "notes")]
    blocks = [*outline.preamble, *(b for s in around for b in s.blocks)]
    sequences_stated(c, draft, [plain(p.text) for p in paragraphs(blocks)])
    _stand_for(c, _index_entries_out(draft))
    c.findings.extend(apply_dependencies(c.statements, c.blocking, draft, c.chains))

    recognised = any(s.role for s in walk(outline.sections))
    draft.objective = _objective(objective, outline)
    recognised = _work_outside_sections(c, draft, outline, objective, recognised)
    _index_entries_out(draft)
    _checkpoints_out(draft)
    _criteria_of_milestones(c, draft)
    numbered = [
        numbered_criteria(s.blocks) for s in walk(outline.sections) if s.role == "acceptance"
    ]
    _criteria_of_tasks(draft, [n for n in numbered if n])
    draft.decisions.extend(_clarifications_asked(outline, draft))
    draft.decisions.extend(_decisions_left(outline, draft))
    _questions_out_of_work(draft)
    if c.tests_to_write:
        # Tests of the whole plan come after the work they test.
        (draft.milestones[-1].tasks if draft.milestones else draft.loose_tasks).extend(
            c.tests_to_write
        )
    if (
        not draft.milestones
        and not any(not t.done for t in draft.loose_tasks)
        and c.acceptance_done
        and all(c.acceptance_done)
    ):
        # Every criterion ticked and no open work: the document reports the work done.
        draft.milestones.append(
            DraftMilestone(
                title=one_line(heading_text(title), 200) or "untitled milestone",
                outcome=draft.objective,
                done=True,
            )
        )
    check_parallel_marks(c, draft)
    if not recognised:
        draft.source = "fallback"
    return draft, c.findings


# "Decide whether to keep the v1 endpoint", "Either keep it or decide to drop it": a
# decision phrased as work.
_DECIDES = LazyPattern(
    rf"(?:(?:{LEX.either})\b[^.;]{{1,200}}\b(?:{LEX.alternative})\s+)?(?:{LEX.decision_lead})\b",
    re.IGNORECASE,
)


def _criteria_of_milestones(c: _Collected, draft: Draft) -> None:
    """A criteria section with a part per milestone ("## Success criteria" > "### Phase 1:
    RFC Features", "### Phase 2: Coverage"): each part's criteria are those of the one
    milestone that shares a word of its name, or, where there are as many parts as
    milestones and no name says otherwise, of the milestone in its place (the parts may
    number them from another start: "Phase 1" for "P0"); the rest are the plan's."""
    named, c.criteria_named = c.criteria_named, []
    matches: list[DraftMilestone | None] = []
    for title, _ in named:
        words = _name_words(milestone_name(title))
        sharing = [m for m in draft.milestones if words & _name_words(m.title)]
        matches.append(sharing[0] if len(sharing) == 1 else None)
    in_place = len(named) == len(draft.milestones) and all(
        match is None or match is draft.milestones[i] for i, match in enumerate(matches)
    )
    pairs: list[tuple[DraftMilestone, list[str]]] = []
    for i, ((_, criteria), match) in enumerate(zip(named, matches, strict=True)):
        milestone = draft.milestones[i] if in_place else match
        if milestone is None:
            draft.acceptance.extend(criteria)
        else:
            pairs.append((milestone, criteria))
    for milestone, criteria in pairs:
        milestone.acceptance.extend(x for x in criteria if x not in milestone.acceptance)


def _name_words(name: str) -> set[str]:
    return set(re.findall(r"\w{4,}", name.lower()))


def _criteria_of_tasks(draft: Draft, numbered: list[dict[int, str]]) -> None:
    """A task that names the criteria it meets by number ("Reset form (AC: #4, #5)")
    gets them as its own, by the numbers their author wrote: those of the numbered
    list that holds its milestone's criteria, else the document's; so do its sub-tasks
    that name none."""
    for milestone in [*draft.milestones, None]:
        tasks = milestone.tasks if milestone else draft.loose_tasks
        criteria = (milestone.acceptance if milestone else []) or draft.acceptance
        # The numbered list most of whose criteria are its milestone's: each milestone
        # (or story) may number its own from 1.
        listed = max(numbered, key=lambda n: len(set(n.values()) & set(criteria)), default={})
        meets: dict[str, list[int]] = {}  # by title, as the tasks above have it so far
        for task in tasks:
            numbers = task.meets or meets.get(task.parent or "", [])
            meets[task.title] = task.meets
            met = [listed[n] for n in numbers if listed.get(n) in criteria]
            task.acceptance[:0] = [c for c in met if c not in task.acceptance]


def _stand_for(c: _Collected, phases: dict[int, DraftMilestone]) -> None:
    """What was said of a roadmap's index entries ("each phase runs after the one
    before", "Phase 2 blocks the rest") said of the phases they name."""
    if not phases:
        return
    for statement in c.statements:
        if statement.subject is not None:
            statement.subject = phases.get(id(statement.subject), statement.subject)
    c.blocking[:] = [phases.get(id(m), m) for m in c.blocking]
    for chain in c.chains:
        chain[:] = list({id(x): x for x in (phases.get(id(m), m) for m in chain)}.values())


def _index_entries_out(draft: Draft) -> dict[int, DraftMilestone]:
    """A roadmap that lists its phases ("- [x] **Phase 1: Catalogue** - scan and look up")
    and then details each ("### Phase 1: Catalogue" with its criteria and plans) names
    each phase twice: the entry with nothing of its own is the index's, and the detailed
    milestone is the phase (with the index's tick where it has no tasks to say). Where
    neither says more than a goal ("**Plans:** TBD"), the later, the details, is it."""
    detailed: dict[str, DraftMilestone] = {}
    for m in draft.milestones:
        if m.id and (m.tasks or m.acceptance or m.validation):
            detailed.setdefault(m.id, m)
    for m in reversed(draft.milestones):
        if m.id:
            detailed.setdefault(m.id, m)
    kept = []
    dropped: dict[int, DraftMilestone] = {}
    for m in draft.milestones:
        full = detailed.get(m.id or "")
        if full is not None:
            # One phase only where the titles agree ("Sync - push changes" and "Sync"),
            # never "M2: Sync" and "M2: Sharing": that is an id given twice.
            a, b = normalize(m.title), normalize(full.title)
            full = full if a.startswith(b) or b.startswith(a) else None
        if full is not None and full is not m and not (m.tasks or m.acceptance or m.validation):
            full.done = full.done or (m.done and not full.tasks)
            dropped[id(m)] = full
            continue
        kept.append(m)
    draft.milestones[:] = kept
    return dropped


def _clarifications_asked(outline: Outline, draft: Draft) -> list[DraftDecision]:
    """Spec Kit's marker of an open point, "[NEEDS CLARIFICATION: must bookings sync to
    Outlook?]" or "**Constraints**: NEEDS CLARIFICATION - ...", wherever it stands: an
    open decision (once)."""
    known = {d.question for d in draft.decisions}
    found: list[DraftDecision] = []
    blocks = [*outline.preamble, *(b for s in walk(outline.sections) for b in s.blocks)]
    # Most requests name no clarification: only the blocks holding the marker's word are
    # read further (markup removes characters, never adds a word).
    texts = [(p.text, p.line) for p in paragraphs(blocks) if _names_clarification(p.text)]
    marked: list[Block] = [
        b for b in blocks if isinstance(b, ItemList) and _items_name_clarification(b.items)
    ]
    texts += [(text, line) for text, line, _ in entries(marked)]
    for text, line in texts:
        for asked in (a for raw in text.split("\n") for a in _CLARIFY.finditer(plain(raw))):
            question = one_line(asked.group(1).strip(" -–—:]"), 300)
            if question and question not in known:
                known.add(question)
                found.append(DraftDecision(question=question, line=line))
    return found[:10]


_CLARIFY_WORDS = frozenset(phrase.split()[-1] for phrase in WORDS["clarification"])


def _names_clarification(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _CLARIFY_WORDS)


def _items_name_clarification(items: list[Item]) -> bool:
    return any(_names_clarification(i.text) or _items_name_clarification(i.children) for i in items)


_CLARIFY = LazyPattern(
    rf"\b(?:{LEX.clarification})\b\s*[:\-–—]?\s*([^\]\n]{{3,300}})", re.IGNORECASE
)


def _checkpoints_out(draft: Draft) -> None:
    """ "- [ ] 3. Checkpoint - Ensure all tests pass" in a numbered checklist (Kiro's): a
    check of the work before it, so a criterion of its milestone (or of the plan), not
    work to hand out."""
    for milestone, tasks in [
        (None, draft.loose_tasks),
        *((m, m.tasks) for m in draft.milestones),
    ]:
        checks = [t for t in tasks if not t.done and _CHECKPOINT.match(t.title)]
        if not checks:
            continue
        tasks[:] = [t for t in tasks if t not in checks]
        said = [_CHECKPOINT.sub("", t.title, count=1).strip(" -–—:") or t.title for t in checks]
        (milestone.acceptance if milestone else draft.acceptance).extend(said)


_CHECKPOINT = LazyPattern(
    rf"(?:\d{{1,3}}(?:\.\d{{1,3}})*\.?\s+)?(?:{LEX.checkpoint})\b", re.IGNORECASE
)


def _decides(task: DraftTask) -> bool:
    """An open task whose work is to take a decision, not to change anything: one that
    also names where it changes code ("Decide the key format and implement it in
    `cache.py`") is work, and a bare "Decide" asks nothing."""
    return (
        not task.done
        and len(task.title.split()) > 1
        and not task.paths
        and not code_locations(task.title)
        and bool(_DECIDES.match(task.title))
    )


def _questions_out_of_work(draft: Draft) -> None:
    """A plain item that asks ("watch mode? maybe, if it's cheap") is an open question
    about the work, not a task to hand out."""
    for tasks in [draft.loose_tasks, *(m.tasks for m in draft.milestones)]:
        asked = [task for task in tasks if task.asks or _decides(task)]
        for question in asked:  # its sub-tasks are its parent's parts now
            for part in tasks:
                if part.parent == question.title and part.line and (question.line or 0) < part.line:
                    part.parent = question.parent
        tasks[:] = [task for task in tasks if not (task.asks or _decides(task))]
        draft.decisions.extend(
            DraftDecision(question=one_line(task.objective or task.title, 300), line=task.line)
            for task in asked
        )


def _leave_claimed(c: _Collected, draft: Draft) -> None:
    """A requirement a milestone delivers is that milestone's work, so it is no longer
    a criterion of the whole ("Must have") nor out of scope ("Nice to have")."""
    if not c.requirements.claimed:
        return
    for name in ("acceptance", "out_of_scope"):
        kept = [text for text in getattr(draft, name) if text not in c.requirements.claimed]
        setattr(draft, name, kept)


def _work_section(c: _Collected, draft: Draft, objective: list[str], section: Section) -> None:
    """A work section's tasks, and its sub-sections of numbered groups ("# Tasks" >
    "## Task list" of "1. Storage" over "1.1 …") as milestones."""
    c.task_sections += 1
    grouped = [s for s in section.children if s.role in ("tasks", "group")]
    grouped = [s for s in grouped if numbered_groups(s.blocks)]
    for child in grouped:
        draft.milestones.extend(milestones_from_groups(c, _groups(child)))
    if grouped:
        section = replace(section, children=[s for s in section.children if s not in grouped])
    draft.loose_tasks.extend(work_in(c.findings, section) or prose_work(section))
    rest = [s for s in section.children if s.role not in ("task", "group", "tasks")]
    _visit(c, draft, objective, rest)


def _visit(
    c: _Collected,
    draft: Draft,
    objective: list[str],
    sections: list[Section],
    criteria: bool = False,
) -> None:
    """Each section by its role, depth first; milestones and work sections read their
    own sub-sections."""
    for section in sections:
        role = section.role
        if role == "milestone":
            # Before the milestones nested in it ("## Epic 1" with work of its own).
            start = len(draft.milestones)
            draft.milestones.insert(start, milestone_from_section(c, draft, section, criteria))
            continue
        if role in ("tasks", "group") and (groups := numbered_groups(section.blocks)):
            c.task_sections += 1
            draft.milestones.extend(milestones_from_groups(c, groups))
            _visit(c, draft, objective, section.children)
            continue
        if role in ("tasks", "group"):
            _work_section(c, draft, objective, section)
            continue
        if role == "task":
            draft.loose_tasks.append(task_from_heading(section))
            continue
        if role == "decisions":
            read_decisions(c, draft, section)
            continue
        if role == "objective":
            objective.extend(plain(p.text) for p in paragraphs(section.blocks))
            listed = entries(lists_only(section.blocks))
            if not all(is_instruction(text) for text, _, _ in listed):
                objective.extend(text for text, _, _ in listed)  # not the steps of a fix
            if _lists_goals(section):
                # "## Goals" listing outcomes ("Inspectors can work offline"): what the
                # whole plan must achieve, so each is a criterion of it.
                draft.acceptance.extend(text for text, _, _ in listed if not is_instruction(text))
        elif role == "milestones":
            start = len(draft.milestones)
            draft.milestones.extend(milestone_from_item(c, item) for item in lists(section.blocks))
            for block in section.blocks:
                if isinstance(block, Table) and is_milestone_table(block):
                    # | Milestone | Scope | Status |: a row per milestone, its scope its work.
                    rows = milestones_from_table(c.findings, block, c.requirements)
                    draft.milestones.extend(rows)
            _visit(c, draft, objective, section.children, _is_criteria_group(section))
            group_prose(c, section, draft.milestones[start:])
            continue
        elif role == "dependencies":
            for text, line, _ in entries(section.blocks):
                if sequential(text):
                    sequences_stated(c, draft, [text])
                else:
                    c.statements.append(Statement(None, text, line, stated=True))
        elif role == "acceptance":
            _criteria_section(c, draft, section, criteria)
        elif role in LIST_SECTIONS:
            tasks, taken = (
                tests_to_write(c, section.blocks) if role == "validation" else ([], set())
            )
            c.tests_to_write.extend(tasks)
            found = entries(section.blocks)
            getattr(draft, role).extend(text for text, _, _ in found if text not in taken)
        elif role == "notes" and section.label:
            # "> [!NOTE] The export must respect row-level permissions": a note that
            # says what must hold is a criterion of the work.
            draft.acceptance.extend(
                sentence
                for paragraph in paragraphs(section.blocks)
                for sentence in sentences(plain(paragraph.text))
                if _MUST.search(sentence)
            )
        _visit(c, draft, objective, section.children, _is_criteria_group(section))


def _criteria_section(c: _Collected, draft: Draft, section: Section, criteria: bool) -> None:
    """A criteria section's entries: the plan's, or, for a part of a criteria section
    named as a milestone ("### Phase 2: Coverage"), that milestone's once it is known."""
    found = entries(section.blocks)
    if criteria and milestone_like(section.title) and found:
        c.criteria_named.append((section.title, [text for text, _, _ in found]))
    else:
        draft.acceptance.extend(text for text, _, _ in found)
    c.acceptance_done.extend(done for _, _, done in found)


def group_prose(c: _Collected, section: Section, group: list[DraftMilestone]) -> None:
    """What a group of milestones says of itself: "Can start once Phase 1.2 is live"
    (its first milestone waits), "These phases are sequential" (each waits on the last)."""
    if not group:
        return
    c.groups.append(group)
    for paragraph in paragraphs(section.blocks):
        for sentence in sentences(plain(paragraph.text)):
            if sequential(sentence):
                c.chains.append(group)
            elif PROSE_DEPENDS.search(sentence):
                c.statements.append(Statement(group[0], sentence, paragraph.line, stated=False))


def sequences_stated(c: _Collected, draft: Draft, texts: list[str]) -> None:
    """ "Phases inside an epic are sequential" in the introduction: each group's
    milestones (or, with no groups, the plan's) follow each other; "Order: setup first,
    then the packages" orders the milestones it names."""
    for text in texts:
        for sentence in sentences(text):
            if ORDER.match(sentence):
                c.statements.append(Statement(None, sentence, None, stated=False))
            elif sequential(sentence):
                if WITHIN_GROUP.search(sentence) and c.groups:
                    c.chains.extend(c.groups)
                else:
                    c.chains.append(draft.milestones)
                return


def _work_outside_sections(
    c: _Collected, draft: Draft, outline: Outline, objective: list[str], recognised: bool
) -> bool:
    """Work that stands outside any work section; returns whether the request now has
    structure the planner recognised."""
    unknown = [s for s in walk(outline.sections) if s.role is None]
    unknown_blocks = [b for s in unknown for b in s.blocks]
    blocks = [*outline.preamble, *unknown_blocks]
    loose = lists(blocks)
    if not draft.milestones and not draft.loose_tasks and not c.task_sections:
        if groups := numbered_groups(blocks):
            # A lone list of numbered groups ("1. Storage" over "1.1 Add the table"),
            # under a title the vocabulary does not know ("# 実装タスク").
            draft.milestones.extend(milestones_from_groups(c, groups))
            return True
        # A lone work list outside any known section is the task list; so is a list
        # under a proposal ("Describe the solution you'd like").
        described = [s for s in walk(outline.sections) if s.role == "objective"]
        items = _work_lists(blocks)
        designs = [
            part
            for s in unknown
            if normalize(heading_text(s.title)) in DESIGN_SECTIONS
            for part in walk([s])
            if part.role is None
        ]
        design_blocks = [b for s in designs for b in s.blocks]
        designed = stated_work(design_blocks)
        if designed and not any(item.checked is not None for item in items):
            # An RFC states its work in its design prose ("We will add ..."): unless the
            # request keeps its work in checklists, that prose and the design's own lists
            # are the work, and plain lists in its other sections are context.
            items = _work_lists(design_blocks)
        else:
            designed = []
        proposed = [
            item
            for s in described
            for item in lists(s.blocks)
            if not _lists_goals(s) or is_instruction(plain(item.text))  # goals are criteria
        ]
        for item in [*items, *proposed]:
            draft.loose_tasks.extend(task_from_item(c.findings, item))
        draft.loose_tasks.extend(_tables_of_work(blocks))
        draft.loose_tasks.extend(designed)
        if not draft.loose_tasks:
            # The work stated in prose: in the description after the objective when
            # there is one ("## Objective" then "## Description"), else anywhere in it.
            texts = [*objective, *(plain(p.text) for p in paragraphs(outline.preamble))]
            later = [t for t in texts if t != draft.objective]
            draft.loose_tasks.extend(
                (prose_tasks(later[:3], None) or prose_tasks(texts[:3], None))[:1]
            )
        if not recognised and not draft.decisions:
            draft.decisions.extend(_prose_questions(outline))
        return recognised or bool(draft.loose_tasks)
    if not draft.milestones:
        # A checklist, or a table of work, is work wherever it stands ("## Follow-ups");
        # so are the steps of a proposed fix ("Proposed fix:" then "1. Set ...").
        fixes = [
            block
            for s in walk(outline.sections)
            if s.role == "objective" and not _lists_goals(s)
            for block in s.blocks
            if isinstance(block, ItemList)
            and all(is_instruction(plain(item.text)) for item in block.items)
        ]
        steps = [task for b in fixes for i in b.items for task in task_from_item(c.findings, i)]
        draft.loose_tasks[:0] = steps
        for item in loose:
            if item.checked is not None:
                draft.loose_tasks.extend(task_from_item(c.findings, item))
        draft.loose_tasks.extend(_tables_of_work(unknown_blocks))
    return recognised


def _work_lists(blocks: list[Block]) -> list[Item]:
    """The items of the lists that hold the work, where no section says which do. A
    document that keeps its work in checklists keeps only its work there (not its
    retro notes or rollback steps); otherwise a list of fields ("Start date: ...") is
    not work, and of several lists those whose items read as work are."""
    found = [b for b in blocks if isinstance(b, ItemList) and b.items]
    checklists = [b for b in found if any(item.checked is not None for item in b.items)]
    if checklists:
        return [item for block in checklists for item in block.items]
    plain_lists = [b for b in found if not all(_is_field(item.text) for item in b.items)]
    if len(plain_lists) > 1:
        plain_lists = [b for b in plain_lists if any(_reads_as_work(i.text) for i in b.items)]
    return [item for block in plain_lists for item in block.items]


def _take_option_questions(blocks: list[Block]) -> list[DraftDecision]:
    """A question whose options are a list: a lead-in that ends with a colon over a list
    whose last item asks ("Is it meant to happen when:" then "- it is merged, or" ...
    "- it is released?"), or whose lead-in opens as a question does. The question and its
    options are one open decision; the list is no work."""
    found: list[DraftDecision] = []
    index = 0
    while index + 1 < len(blocks):
        lead, options = blocks[index], blocks[index + 1]
        if (
            isinstance(lead, Paragraph)
            and isinstance(options, ItemList)
            and 2 <= len(options.items) <= 12
            and not any(item.checked is not None for item in options.items)
            and _asks_with_options(plain(lead.text), [plain(i.text) for i in options.items])
        ):
            texts = [_option(plain(i.text)) for i in options.items]
            question = f"{plain(lead.text)} {' / '.join(texts)}"
            found.append(DraftDecision(question=one_line(question, 300), line=lead.line))
            del blocks[index : index + 2]
            continue
        index += 1
    return found


def _option(text: str) -> str:
    """An option without the "…, or" that joins it to the next."""
    text = text.rstrip(" ,;")
    return text[:-3].rstrip(" ,;") if text.endswith(" or") else text


def _asks_with_options(lead: str, options: list[str]) -> bool:
    if not lead.endswith(":") or len(lead) > 300 or "\n" in lead:
        return False
    first = lead.split(maxsplit=1)[0].lower()
    return options[-1].rstrip(" )").endswith("?") or first in QUESTION_WORDS


def _is_field(text: str) -> bool:
    """``Start date: 2024-04-22``, ``Owner: @ana``: a field of the document, not work."""
    label, colon, value = plain(text).partition(":")
    return bool(colon) and 0 < len(label.split()) <= 3 and not is_instruction(label)


def _reads_as_work(text: str) -> bool:
    line = plain(text)
    return is_instruction(line) or bool(WORK_PHRASES.search(line) or code_locations(line))


def _tables_of_work(blocks: list[Block]) -> list[DraftTask]:
    """The rows of the tables of work among blocks (``| Task | Status |``)."""
    return [task for b in blocks if isinstance(b, Table) for task in tasks_from_table(b)]


_DECISION_LEFT = LazyPattern(
    rf"\b(?:(?:{LEX.decider})\b[^.;!?]{{0,40}}?\b(?:{LEX.decision_left})\s+"
    rf"(?:{LEX.decision_about})|{LEX.decision_untaken})\b",
    re.IGNORECASE,
)


def _decisions_left(outline: Outline, draft: Draft) -> list[DraftDecision]:
    """A decision the prose leaves to someone ("But the core team may decide that this
    belongs in an RFC of its own"): an open one, in the words that say it. Prose only:
    a list item that says so is work or a criterion."""
    asked = {d.question for d in draft.decisions}
    blocks = [
        *outline.preamble,
        *(b for s in walk(outline.sections) if s.role != "decisions" for b in s.blocks),
    ]
    found = [
        DraftDecision(question=one_line(sentence, 300), line=p.line)
        for p in paragraphs(blocks)
        for sentence in sentences(plain(p.text))
        if _DECISION_LEFT.search(sentence) and one_line(sentence, 300) not in asked
    ]
    return found[:5]


def _prose_questions(outline: Outline) -> list[DraftDecision]:
    """In a request that is only prose, its questions are the open ones."""
    blocks = [*outline.preamble, *(b for s in walk(outline.sections) for b in s.blocks)]
    return [
        DraftDecision(question=one_line(question, 300), line=p.line)
        for p in paragraphs(blocks)
        for question in sentences(plain(p.text))
        if question.endswith("?") and len(question.split()) >= 4
    ][:10]


def _lists_goals(section: Section) -> bool:
    """A Goals section (not a summary or a proposal) that lists its goals."""
    return (
        bool(lists_only(section.blocks)) and role_of(heading_text(section.title), GOALS) == "goals"
    )


def lists_only(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if isinstance(b, ItemList)]


def _is_criteria_group(section: Section) -> bool:
    return section.role == "acceptance" or normalize(heading_text(section.title)) in CRITERIA_GROUPS


def _objective(found: list[str], outline: Outline) -> str | None:
    """The sentence that says what the work achieves: from an objective section, else
    the prose before the first heading (its "The goal is ..." sentence first), else the
    first prose of a section that names no role. Never a form label, a bare link or a
    ``key: value`` line."""
    for text in found:
        if _is_prose(text):
            return text
    intro = [
        plain(block.text)
        for block in outline.preamble
        if isinstance(block, Paragraph) and _is_prose(plain(block.text))
    ]
    for text in intro:
        for sentence in sentences(text):
            goal = _GOAL.match(sentence)
            if goal and goal.end() < len(sentence):
                rest = sentence[goal.end() :]
                return rest[:1].upper() + rest[1:]
    if intro:
        return intro[0]
    for section in walk(outline.sections):
        if section.role not in (None, "milestones"):
            continue
        for paragraph in paragraphs(section.blocks):
            if _is_prose(plain(paragraph.text)):
                return plain(paragraph.text)
    return None


def _is_prose(text: str) -> bool:
    stripped = text.strip()
    if not stripped or stripped == NO_RESPONSE or stripped.lower() in ("no", "none", "n/a"):
        return False
    if stripped.startswith(("http://", "https://")) and " " not in stripped:
        return False
    if len(stripped) <= 80 and GREETING.fullmatch(stripped):
        return False  # "Hi all 👋"
    if stripped.endswith(":") and len(stripped.split()) <= 6:
        return False  # a lead-in to a list: "Commands to support:"
    label, colon, value = stripped.partition(":")
    if colon and len(label.split()) <= 3 and len(value.split()) <= 4:
        return False  # "Last updated: iteration 37" is a field, not a sentence
    if DOCUMENT_NOTES.match(stripped.lstrip("_*( ")):
        return False  # "Last updated by @kaito ...", "Imported from Jira — ..."
    if len(stripped) > 2 and stripped[0] in "_*" and stripped[-1] == stripped[0]:
        return False  # an aside set in italics: "_Draft for review by July 5._"
    if all(_is_field(sentence) for sentence in sentences(stripped)):
        return False  # "Window: Sat 02:00 UTC. Driver: @ilse. Comms: @ben."
    return word_count(stripped) >= 3


def check_parallel_marks(c: _Collected, draft: Draft) -> None:
    """Spec Kit's ``[P]`` says a task touches files no other task of its phase does;
    two such tasks that name the same file are flagged."""
    for milestone in draft.milestones:
        seen: dict[str, DraftTask] = {}
        for task in milestone.tasks:
            if not task.parallel or task.done:
                continue
            for path in code_locations(task.objective or task.title):
                other = seen.get(path)
                if other is not None:
                    hints.warn(
                        c.findings,
                        "request-parallel-overlap",
                        f"Tasks '{one_line(other.title, 50)}' and '{one_line(task.title, 50)}' "
                        f"are both marked [P] but both change {path}; they cannot run in "
                        "parallel. Drop [P] from one of them.",
                        task.line,
                    )
                    break
                seen[path] = task
