"""Tasks as people write them: list items (checkbox, plain, numbered, Spec Kit
``T012 [P] [US1]`` lines) with their hints and sub-tasks, rows of a table whose
header names the work, headings that are tasks, and the instruction in a prose
request; and the plain entries of criteria and other list sections."""

from __future__ import annotations

import re

from planner.core.patterns import LazyPattern
from planner.core.read import hints
from planner.core.read.draft import DraftTask
from planner.core.read.lex import LEX
from planner.core.read.markup import (
    ask,
    done_marked,
    dropped,
    heading_text,
    is_instruction,
    plain,
    sentences,
    status_emoji,
)
from planner.core.read.outline import (
    NO_RESPONSE,
    Block,
    Fence,
    Item,
    ItemList,
    Paragraph,
    Section,
    Table,
)
from planner.core.read.vocabulary import (
    CRITERION_PREFIXES,
    DONE_MARKS,
    WORK_PHRASES,
    is_acknowledgement,
    normalize,
)
from planner.core.text import code_locations, issue_refs, one_line
from planner.model import Finding

_SPEC_KIT = LazyPattern(r"(T\d{2,5})\s+((?:\[[^\]\n]{1,24}\]\s*){0,4})(.*)", re.DOTALL)
# A task id as people write one: "T3", "M2-T1" (capitals; "t2.large" and "T4-class" are
# other things).
_ID = r"(?-i:(?:M\d{1,4}-)?T\d{1,5})(?![.-]\w)"
_TASK_DEPENDS = LazyPattern(
    rf"\b(?:{LEX.depends_on}|{LEX.after}|{LEX.needs})\s+"
    rf"({_ID}(?:\s*(?:,|and|&)\s*{_ID})*)\b",
    re.IGNORECASE,
)
# "does not need T3", "doesn’t depend on T2", "does **not** need T2": a dependency said
# not to be (the negation just before it; "can't start until after T2" is one).
_DENIED = LazyPattern(rf"(?:\b(?:{LEX.denies})|n['’]t)[*_]{{0,2}}\s+$", re.IGNORECASE)
# An item that only says what the work waits on ("Depends on #12", "Blocked by #3 and #4").
_WAITS_ON = LazyPattern(
    rf"(?:{LEX.depends_on}|{LEX.waits_on}|{LEX.needs}|{LEX.after})\s+"
    rf"(?:(?:{LEX.issue_noun})\s+)?(?:#\d{{1,7}}|https?://\S{{1,300}})"
    r"(?:\s*(?:,|and|&)\s*(?:#\d{1,7}|https?://\S{1,300})){0,20}\s*[.)]?",
    re.IGNORECASE,
)
# "watch mode? maybe": an item whose first clause is a question.
_ASKS = LazyPattern(r"[^?\n]{1,150}\?(?:\s|$)")
# "(AC: #1, #3)", "(AC #2)", "(AC: 1-5)": the acceptance criteria a task meets, by number.
# At the end of a task's line, with a colon or a "#" ("Charger power (AC 22)" is a current).
_MEETS = LazyPattern(
    r"\(\s*ACs?\s*(?::\s*#?|#)\s*(\d{1,3}(?:\s*(?:[-–,]|and)\s*#?\d{1,3}){0,20})\s*\)\s*$"
)
# "AC2: Dates are ISO 8601", "**AC 3** – Limit": a criterion's own number.
_CRITERION_NUMBER = LazyPattern(r"ACs?[-\s]?#?(\d{1,3})\b")
_TASK_ID = LazyPattern(r"(?:M\d{1,4}-)?T\d{1,5}", re.IGNORECASE)
_TAG = LazyPattern(r"\[([^\]\n]{1,24})\]")
_WORK_HEADERS = frozenset(
    {
        "task",
        "tasks",
        "work item",
        "work items",
        "item",
        "step",
        "steps",
        "todo",
        "action",
        "deliverable",
        "deliverables",
        "change",
        "feature",
        "issue",
        "story",
    }
)
_STATUS_HEADERS = frozenset({"status", "done", "state", "progress"})
# A board names its work in a Title column beside the ticket and who has it:
# | Ticket | Title | Assignee | Est | Status |.
_TITLE_HEADERS = frozenset({"title", "summary"})
_TICKET_HEADERS = frozenset({"ticket", "key", "id", "#", "issue"})
_BOARD_HEADERS = frozenset(
    {"assignee", "owner", "est", "estimate", "points", "story points", "sp", "status", "state"}
)
_TICKET = LazyPattern(r"(?:[A-Z][A-Z0-9]{0,9}-\d{1,6}|#\d{1,7})")
# Gherkin: "Scenario: ..." and its Given/When/Then steps are one criterion.
_SCENARIO = LazyPattern(rf"(?:{LEX.gherkin_scenario})\s*:\s*(.*)", re.IGNORECASE)
_STEP = LazyPattern(rf"({LEX.gherkin_step}|\*)\s+(.*)", re.IGNORECASE)
# Tags, tables, doc strings, comments and the headings around scenarios.
_GHERKIN_ASIDE = LazyPattern(rf'[@|#]|"""|(?:{LEX.gherkin_aside})\s*:', re.IGNORECASE)
_GHERKIN_FENCES = frozenset({"gherkin", "feature", "cucumber"})


def _names_what_it_waits_on(raw: str) -> bool:
    """ "Depends on #12", "Blocked by https://...": an issue is named (a # or a URL's ://
    is in the text) and nothing else is said."""
    if len(raw) >= 5000 or ("#" not in raw and "://" not in raw):
        return False
    return _WAITS_ON.fullmatch(plain(raw, keep_targets=False)) is not None


def _strip_mark(text: str) -> tuple[str, bool]:
    stripped = text.strip()
    for mark in DONE_MARKS:
        if stripped.startswith(mark) or stripped.endswith(mark):
            return stripped.replace(mark, " ").strip(), True
    return stripped, False


def entries(blocks: list[Block]) -> list[tuple[str, int | None, bool]]:
    """Entries of a plain section: each list item (nested ones too) or paragraph line,
    with whether it is marked done (``[x]``, ``✓``)."""
    out: list[tuple[str, int | None, bool]] = []

    def items(found: list[Item]) -> None:
        for item in found:
            if item.text and item.text != NO_RESPONSE:
                text, marked = _strip_mark(plain(item.text))
                out.append((text, item.line, bool(item.checked) or marked))
            items(item.children)

    for block in blocks:
        if isinstance(block, ItemList):
            items(block.items)
        elif isinstance(block, Fence):
            if block.info in _GHERKIN_FENCES:
                out.extend((text, block.line, False) for text in scenarios(block.content))
        elif isinstance(block, Paragraph) and _is_gherkin(block.text):
            out.extend((text, block.line, False) for text in scenarios(block.text))
        elif isinstance(block, Paragraph):
            for offset, raw in enumerate(block.text.split("\n")):
                line = raw.strip()
                if line and line != NO_RESPONSE:
                    text, marked = _strip_mark(plain(line))
                    out.append((text, block.line + offset if block.line else None, marked))
    return out


def _is_gherkin(text: str) -> bool:
    """A paragraph that is a scenario ("Scenario: ...") or two steps or more of one."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines or len(text) > 20_000:
        return False
    if _SCENARIO.fullmatch(lines[0]):
        return any(_STEP.fullmatch(line) for line in lines[1:])
    return (
        len(lines) > 1
        and lines[0].split()[0].lower() in ("given", "when")
        and all(_STEP.fullmatch(line) for line in lines)
    )


def scenarios(text: str) -> list[str]:
    """Gherkin as criteria, one per scenario: "Scenario: Cart follows the user. Given I
    am logged in and I add a mug, when I log in elsewhere, then the cart holds the mug".
    Steps outside a scenario are one criterion; tags, tables and comments are left out."""
    found: list[tuple[str, list[str]]] = []
    for raw in text.split("\n")[:2000]:
        line = raw.strip()
        scenario = _SCENARIO.fullmatch(line)
        step = _STEP.fullmatch(line)
        if scenario:
            found.append((f"Scenario: {scenario.group(1).strip()}", []))
        elif step:
            if not found:
                found.append(("", []))
            keyword = step.group(1).lower()
            found[-1][1].append(f"{'and' if keyword == '*' else keyword} {step.group(2).strip()}")
        elif found and found[-1][1] and line and not _GHERKIN_ASIDE.match(line):
            found[-1][1][-1] += f" {line}"  # a step that runs on over two lines
    out: list[str] = []
    for name, steps in found:
        said = "".join(
            (" " if step.startswith(("and ", "but ")) else ", ") + step for step in steps
        ).lstrip(", ")
        said = said[:1].upper() + said[1:]
        out.append(plain(f"{name}. {said}" if name and said else name or said))
    return [text for text in out if text]


def lists(blocks: list[Block]) -> list[Item]:
    return [item for block in blocks if isinstance(block, ItemList) for item in block.items]


def paragraphs(blocks: list[Block]) -> list[Paragraph]:
    return [b for b in blocks if isinstance(b, Paragraph)]


def is_criterion(text: str) -> bool:
    """``Test: the plugin loads``, ``Checkpoint: ...``: a criterion written as an item."""
    head, colon, _ = heading_text(text).partition(":")
    return bool(colon) and normalize(head) in CRITERION_PREFIXES


def prose_tasks(texts: list[str], line: int | None) -> list[DraftTask]:
    """The work a paragraph states: its instructions ("Add a code of conduct"), else
    the first sentence that says what needs doing ("these changes need to be ...")."""
    found = [s for text in texts for s in sentences(plain(text)) if is_instruction(s)]
    if not found:
        stated = [s for text in texts for s in sentences(plain(text)) if WORK_PHRASES.search(s)]
        found = stated[:1]
    return [
        DraftTask(title=one_line(ask(s).rstrip(":"), 200), objective=ask(s), line=line)
        for s in found
        if len(s) <= 2000
    ]


def task_from_item(
    findings: list[Finding], item: Item, parent: str | None = None
) -> list[DraftTask]:
    """A list item as a task, followed by its checkbox sub-tasks; [] for an
    acknowledgement ("I have searched existing issues"), an item struck out as
    given up (``- [ ] ~~Add x~~ — not needed``) or one that only says what the work
    waits on (``- [ ] Depends on #12``)."""
    raw = item.text
    if not raw or raw == NO_RESPONSE or is_acknowledgement(plain(raw)):
        return []
    if dropped(raw, item.checked):
        return []
    if _names_what_it_waits_on(raw):
        return []  # a note of what the work waits on, not work
    if (
        item.checked is None
        and item.children
        and all(child.checked is not None for child in item.children)
        and len(raw.split()) <= 5
    ):
        # "- Backend" over a checklist: a heading for its sub-tasks, not a task itself.
        label = one_line(heading_text(raw), 200)
        return [t for child in item.children for t in task_from_item(findings, child, parent=label)]
    task_id: str | None = None
    parallel = False
    story: str | None = None
    spec = _SPEC_KIT.fullmatch(raw) if len(raw) < 5000 else None
    if spec:
        task_id, text = spec.group(1).upper(), spec.group(3).strip()
        for tag in _TAG.findall(spec.group(2)):
            if tag.strip().upper() == "P":
                parallel = True
            else:
                story = tag.strip()
    else:
        task_id, text = hints.split_id(raw)
    text, marked = done_marked(text)  # "✅ Add x", "~~Add x~~", "Add x (done)"
    text, meets = _criteria_met(text)
    task = DraftTask(
        title=one_line(heading_text(hints.without_estimate_and_owner(text)), 200)
        or "untitled task",
        line=item.line,
        id=task_id,
        done=bool(item.checked) or marked,
        objective=plain(text),
        references=issue_refs(text),
        parallel=parallel,
        story=story,
        parent=parent,
        meets=meets,
    )
    task.asks = item.checked is None and not item.children and _ASKS.match(plain(text)) is not None
    for stated in _TASK_DEPENDS.finditer(text):
        if not _DENIED.search(text, max(0, stated.start() - 40), stated.start()):
            task.depends_on.extend(_TASK_ID.findall(stated.group(1)))
    subtasks: list[DraftTask] = []
    for child in item.children:
        hint = hints.parse_hint(child.text)
        if hint and hints.apply_task_hint(findings, task, hint[0], hint[1], child.line):
            if hint[0] == "acceptance":
                task.acceptance.extend(plain(g.text) for g in child.children if g.text)
            continue
        if child.checked is not None:
            subtasks.extend(task_from_item(findings, child, parent=task.title))
        elif hints.is_estimate_or_owner(child.text):
            continue  # "points: 3", "assignee: @li": the plan has no field for them
        elif child.text:
            task.acceptance.append(plain(child.text))
            task.details.append(plain(child.text))
    return [task, *subtasks]


def _criteria_met(text: str) -> tuple[str, list[int]]:
    """The text without its "(AC: #1, #3)", and the numbers it names (a range whole)."""
    found = _MEETS.search(text)
    if found is None:
        return text, []
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|and)\s*", found.group(1)):
        ends = [int(n) for n in re.findall(r"\d+", part)]
        if len(ends) == 2 and ends[0] < ends[1] <= ends[0] + 50:
            numbers += range(ends[0], ends[1] + 1)
        else:
            numbers += ends
    return text[: found.start()].rstrip(), list(dict.fromkeys(numbers))


def numbered_criteria(blocks: list[Block]) -> dict[int, str]:
    """A criteria list by the numbers its author gave them ("4." of an ordered list,
    "AC4:" of a label), else by place; only its top-level items (as ``entries`` writes
    them), never the bullets nested under one."""
    out: dict[int, str] = {}
    for block in blocks:
        if not isinstance(block, ItemList):
            continue
        for place, item in enumerate(block.items, start=1):
            text = _strip_mark(plain(item.text))[0]
            label = _CRITERION_NUMBER.match(text)
            number = int(label.group(1)) if label else item.number if block.ordered else place
            if text and number is not None:
                out.setdefault(number, text)
    return out


def tasks_from_table(table: Table) -> list[DraftTask]:
    """Rows of a table whose header names the work (``| Task | Owner |``)."""
    header = [normalize(heading_text(cell)) or cell.strip() for cell in table.header]
    work = next((i for i, name in enumerate(header) if name in _WORK_HEADERS), None)
    title = next((i for i, name in enumerate(header) if name in _TITLE_HEADERS), None)
    ticket = next((i for i, name in enumerate(header) if name in _TICKET_HEADERS), None)
    if title is not None and (
        work is None or all(_TICKET.fullmatch(row[work].strip()) for row in table.rows if row)
    ):
        if work is None and not (ticket is not None or _BOARD_HEADERS & set(header)):
            return []  # | Title | Author |: a list of documents, not of work
        ticket, work = (work if work is not None else ticket), title
    if work is None:
        return []
    status = next((i for i, name in enumerate(header) if name in _STATUS_HEADERS), None)
    out: list[DraftTask] = []
    for row in table.rows:
        if work >= len(row) or not row[work].strip() or dropped(row[work], None):
            continue
        text, done = done_marked(row[work])
        if ticket is not None and ticket < len(row) and _TICKET.fullmatch(row[ticket].strip()):
            text = f"{row[ticket].strip()} {text}"  # "CHK-301 Guest checkout API"
        if status is not None and status < len(row):
            done = done or done_marked(f"x ({row[status].strip().lower()})")[1]
            done = done or any(mark in row[status] for mark in DONE_MARKS)
            done = done or bool(status_emoji(row[status], circles=True))
        out.append(
            DraftTask(
                title=one_line(plain(text, keep_targets=False), 200),
                objective=plain(text),
                done=done,
                line=table.line,
                references=issue_refs(text),
            )
        )
    return out


def task_from_heading(section: Section) -> DraftTask:
    """``### [x] Add the parser`` or ``### 2. Board layout``: the heading is the task."""
    text, done = done_marked(section.title)
    number = re.match(r"\d{1,3}[.)]\s+", text)
    title = plain(text[number.end() :] if number else text, keep_targets=False)
    return DraftTask(
        title=one_line(title, 200) or "untitled task",
        objective=plain(text),
        done=done,
        line=section.line,
        references=issue_refs(text),
    )


def field_of(
    findings: list[Finding],
    item: Item,
    task: DraftTask | None,
    keys: frozenset[str] = hints.SIBLING_FIELDS,
) -> bool:
    """Whether a plain item is a labelled field of the task before it ("File:
    `api/x.go`", "Depends on: M1-T2", "Risk level: high", "Estimated complexity: M",
    "Agent: backend"): set on that task where the plan has a field for it, and never a
    task of its own."""
    if item.checked is not None or item.children or not item.text:
        return False
    if hints.is_estimate_or_owner(item.text) or hints.is_field_only(item.text):
        return True
    hint = hints.parse_hint(item.text)
    if hint is None or hint[0] not in keys or (task is None and keys != hints.SIBLING_FIELDS):
        return False
    if task is not None:
        if hint[0] == "paths" and task.paths is None:
            task.paths = code_locations(task.objective or task.title)  # the text's, too
        hints.apply_task_hint(findings, task, hint[0], hint[1], item.line)
    return True


def work_in(findings: list[Finding], section: Section) -> list[DraftTask]:
    """The tasks a work section holds: its lists, tables and task headings, and those
    of its groups, in document order."""
    found: list[DraftTask] = []
    for block in section.blocks:
        if isinstance(block, ItemList):
            last: DraftTask | None = None
            for item in block.items:
                if field_of(findings, item, last):
                    continue  # "- File: api/x.go" beside a task: its field, not a task
                made = task_from_item(findings, item)
                found.extend(made)
                last = made[0] if made else last
        elif isinstance(block, Table):
            found.extend(tasks_from_table(block))
    for child in section.children:
        if child.role == "task":
            found.append(task_from_heading(child))
        elif child.role in ("group", "tasks"):
            found.extend(work_in(findings, child))
    return found
