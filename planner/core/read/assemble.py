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
from dataclasses import dataclass, field

from planner.core.read import hints
from planner.core.read.draft import LIST_SECTIONS, Draft, DraftDecision, DraftMilestone, DraftTask
from planner.core.read.markup import (
    ask,
    done_marked,
    heading_text,
    is_instruction,
    plain,
    sentences,
)
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
from planner.core.read.vocabulary import (
    CRITERION_PREFIXES,
    DONE_MARKS,
    ROLE_TABLE,
    WORK_PHRASES,
    is_acknowledgement,
    normalize,
    role_of,
)
from planner.core.text import code_locations, issue_refs, one_line
from planner.model import RISK_ORDER, Finding

_SPEC_KIT = re.compile(r"(T\d{2,5})\s+((?:\[[^\]\n]{1,24}\]\s*){0,4})(.*)", re.DOTALL)
# "(depends on T012, T013)", "after T004", "blocked by M1-T2": ids a task text names.
_TASK_DEPENDS = re.compile(
    r"\b(?:depends? on|after|requires|needs|blocked by)\s+"
    r"((?:(?:M\d{1,4}-)?T\d{1,5})(?:\s*(?:,|and|&)\s*(?:(?:M\d{1,4}-)?T\d{1,5}))*)\b",
    re.IGNORECASE,
)
_TASK_ID = re.compile(r"(?:M\d{1,4}-)?T\d{1,5}", re.IGNORECASE)
_TAG = re.compile(r"\[([^\]\n]{1,24})\]")
_MARKER = re.compile(r"\((major|critical|high|medium|minor|low)\)", re.IGNORECASE)
_PAREN_CRITERION = re.compile(
    r"\(\s*((?:checkpoint|exit criteria|done when|acceptance|success criteria)\s*:[^()]{1,300})\)",
    re.IGNORECASE,
)
_DEPENDS = re.compile(
    r"\b(?:depends? on|depend upon|requires?|needs (?!to)|(?:can )?(?:only )?starts? after|"
    r"can (?:only )?start after|after|builds? (?:up)?on|blocked by|waits? for)\b",
    re.IGNORECASE,
)
_PROSE_DEPENDS = re.compile(
    r"\b(?:depends? on|requires|needs (?!to)|(?:can )?(?:only )?starts? after|"
    r"can (?:only )?start after|builds? (?:up)?on|waits? for|blocked by)\b",
    re.IGNORECASE,
)
_PARALLEL = re.compile(r"\b(?:in parallel|parallel|together|concurrently|at the same time)\b", re.I)
_OBJECT_KIND = re.compile(
    r"(phases?|stages?|milestones?|steps?|us|user stories|stories)\s*\d", re.I
)
_GOAL = re.compile(
    r"(?:the |our )?(?:goal|aim|objective|purpose|intent)(?: of this [\w ]{1,30})? is "
    r"(?:that |to |for )?",
    re.IGNORECASE,
)
_STORY = re.compile(r"\b(?:us\s*\d{1,3}|user story)\b", re.IGNORECASE)
_ALL_STORIES = re.compile(r"\ball (?:\w+ )?(?:(?:desired|the|user) )*stories\b", re.IGNORECASE)
_VERSION = re.compile(r"\bv?\d{1,4}\.\d{1,4}(?:\.\d{1,4})?\b")
_NO_DEPENDENCY = re.compile(r"\bno (?:other )?dependenc", re.IGNORECASE)
_BLOCKS_ALL = re.compile(
    r"\b(?:blocks all|blocking prerequisites?|must be complete(?:d)? before|"
    r"no [\w ]{1,40} can (?:begin|start) until this (?:phase|milestone|stage) is complete)",
    re.IGNORECASE,
)
# A phase named as the ground the others stand on: the others wait for it.
_FOUNDATION = re.compile(
    r"(?:setup|set-up|foundation|foundational|core|infrastructure|groundwork|bootstrap|"
    r"scaffolding)\b|.*\b(?:blocking prerequisites?|shared infrastructure)\b",
    re.IGNORECASE,
)
# Release stages in the order a feature graduates through them.
_STAGES = ("alpha", "beta", "ga|general availability|stable", "deprecation|removal")
_STAGE_START = re.compile(
    r"(alpha|beta|ga|general availability|stable|deprecation|removal)\b", re.I
)
_NUMBER_REF = re.compile(
    r"(?:phases?|milestones?|stages?|steps?|m)\s*(\d{1,4})"
    r"(\+|\s+(?:and|&) (?:later|after|beyond))?",
    re.IGNORECASE,
)
_STORY_REF = re.compile(r"\b(?:us|user story|story)\s*(\d{1,3})\b", re.IGNORECASE)
_FILLER = frozenset(
    "the a an of all any phase phases stage milestone complete completion completed done "
    "finished being is are be must work tasks task to and its their this that".split()
)
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


@dataclass
class _Statement:
    """A dependency as written: who (a milestone, or the plan) waits on what."""

    subject: DraftMilestone | None
    text: str
    line: int | None
    stated: bool  # under a dependency label: the whole text names what is waited on


@dataclass
class _Collected:
    findings: list[Finding] = field(default_factory=list)
    statements: list[_Statement] = field(default_factory=list)
    blocking: list[DraftMilestone] = field(default_factory=list)
    acceptance_done: list[bool] = field(default_factory=list)
    task_sections: int = 0
    table: Mapping[str, str] = field(default_factory=lambda: ROLE_TABLE)


# --------------------------------------------------------------------------- entries


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
        elif isinstance(block, Paragraph):
            for offset, raw in enumerate(block.text.split("\n")):
                line = raw.strip()
                if line and line != NO_RESPONSE:
                    text, marked = _strip_mark(plain(line))
                    out.append((text, block.line + offset if block.line else None, marked))
    return out


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


# --------------------------------------------------------------------------- tasks


def task_from_item(c: _Collected, item: Item, parent: str | None = None) -> list[DraftTask]:
    """A list item as a task, followed by its checkbox sub-tasks; [] for an
    acknowledgement ("I have searched existing issues")."""
    raw = item.text
    if not raw or raw == NO_RESPONSE or is_acknowledgement(plain(raw)):
        return []
    if (
        item.checked is None
        and item.children
        and all(child.checked is not None for child in item.children)
        and len(raw.split()) <= 5
    ):
        # "- Backend" over a checklist: a heading for its sub-tasks, not a task itself.
        label = one_line(heading_text(raw), 200)
        return [t for child in item.children for t in task_from_item(c, child, parent=label)]
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
    task = DraftTask(
        title=one_line(heading_text(text), 200) or "untitled task",
        line=item.line,
        id=task_id,
        done=bool(item.checked) or marked,
        objective=plain(text),
        references=issue_refs(text),
        parallel=parallel,
        story=story,
        parent=parent,
    )
    for stated in _TASK_DEPENDS.finditer(text):
        task.depends_on.extend(_TASK_ID.findall(stated.group(1)))
    subtasks: list[DraftTask] = []
    for child in item.children:
        hint = hints.parse_hint(child.text)
        if hint and hints.apply_task_hint(c.findings, task, hint[0], hint[1], child.line):
            if hint[0] == "acceptance":
                task.acceptance.extend(plain(g.text) for g in child.children if g.text)
            continue
        if child.checked is not None:
            subtasks.extend(task_from_item(c, child, parent=task.title))
        elif child.text:
            task.acceptance.append(plain(child.text))
    return [task, *subtasks]


def tasks_from_table(table: Table) -> list[DraftTask]:
    """Rows of a table whose header names the work (``| Task | Owner |``)."""
    header = [normalize(heading_text(cell)) for cell in table.header]
    work = next((i for i, name in enumerate(header) if name in _WORK_HEADERS), None)
    if work is None:
        return []
    status = next((i for i, name in enumerate(header) if name in _STATUS_HEADERS), None)
    out: list[DraftTask] = []
    for row in table.rows:
        if work >= len(row) or not row[work].strip():
            continue
        text, done = done_marked(row[work])
        if status is not None and status < len(row):
            done = done or done_marked(f"x ({row[status].strip().lower()})")[1]
            done = done or any(mark in row[status] for mark in DONE_MARKS)
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


def task_from_heading(c: _Collected, section: Section) -> DraftTask:
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


def work_in(c: _Collected, section: Section) -> list[DraftTask]:
    """The tasks a work section holds: its lists, tables and task headings, and those
    of its groups, in document order."""
    found: list[DraftTask] = []
    for block in section.blocks:
        if isinstance(block, ItemList):
            for item in block.items:
                found.extend(task_from_item(c, item))
        elif isinstance(block, Table):
            found.extend(tasks_from_table(block))
    for child in section.children:
        if child.role == "task":
            found.append(task_from_heading(c, child))
        elif child.role in ("group", "tasks"):
            found.extend(work_in(c, child))
    return found


# --------------------------------------------------------------------------- milestones


def milestone_from_section(
    c: _Collected, draft: Draft, section: Section, criteria: bool = False
) -> DraftMilestone:
    """A milestone heading and everything under it. Under a criteria group
    ("Graduation Criteria"), its bullets are acceptance, not work."""
    text, done = done_marked(section.title)
    acceptance = [m.group(1).strip() for m in _PAREN_CRITERION.finditer(text)]
    text = _PAREN_CRITERION.sub("", text)
    milestone_id, title = hints.split_milestone_id(plain(text, keep_targets=False))
    milestone = DraftMilestone(
        title=one_line(title.strip(" :-–—"), 200) or one_line(text, 200) or "untitled milestone",
        line=section.line,
        id=milestone_id,
        done=done,
        acceptance=acceptance,
        references=issue_refs(text),
    )
    prose: list[str] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            for raw in block.text.split("\n"):
                hint = hints.parse_hint(raw)
                if hint and hints.apply_milestone_hint(
                    c.findings, milestone, hint[0], hint[1], block.line
                ):
                    continue
                if raw.strip():
                    prose.append(raw.strip())
        elif isinstance(block, ItemList):
            for item in block.items:
                # A stage's criteria may hold its work too: "Remove the feature gate".
                instruction = criteria and is_instruction(plain(item.text))
                if (criteria and not instruction) or is_criterion(item.text):
                    milestone.acceptance.append(plain(item.text))
                    c.acceptance_done.append(bool(item.checked))
                else:
                    milestone_child(c, milestone, item)
        elif isinstance(block, Table):
            milestone.tasks.extend(tasks_from_table(block))
    if prose and not milestone.outcome:
        milestone.outcome = plain(" ".join(prose))
    for child in section.children:
        milestone_part(c, draft, milestone, child)
    if _BLOCKS_ALL.search(" ".join([section.title, *prose])) or _FOUNDATION.match(milestone.title):
        c.blocking.append(milestone)
    for sentence in sentences(" ".join(prose)):
        if _PROSE_DEPENDS.search(sentence):
            c.statements.append(_Statement(milestone, sentence, section.line, stated=False))
    if not milestone.tasks and not criteria:
        milestone.tasks.extend(prose_tasks(prose, section.line))
    return milestone


def milestone_part(c: _Collected, draft: Draft, milestone: DraftMilestone, part: Section) -> None:
    """A sub-section or label line inside a milestone."""
    role = part.role
    if role in ("acceptance", "validation", "risks"):
        found = entries(part.blocks)
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
            c.statements.append(_Statement(milestone, text, line, stated=True))
    elif role == "task":
        milestone.tasks.append(task_from_heading(c, part))
    elif role in ("tasks", "group"):
        milestone.tasks.extend(work_in(c, part))
        for child in part.children:
            if child.role not in ("task", "group", "tasks"):
                milestone_part(c, draft, milestone, child)
    elif role == "milestone":
        draft.milestones.append(milestone_from_section(c, draft, part))
    elif role == "decisions":
        read_decisions(c, draft, part)
    elif role in LIST_SECTIONS:
        getattr(draft, role).extend(text for text, _, _ in entries(part.blocks))


def milestone_child(c: _Collected, milestone: DraftMilestone, child: Item) -> None:
    """A list item under a milestone: a hint, a labelled group, a criterion or a task."""
    hint = hints.parse_hint(child.text)
    label = heading_text(child.text) if child.text.rstrip().endswith(":") else ""
    kind = role_of(label, c.table) if label else None
    if kind in ("acceptance", "validation", "risks", "tasks", "outcome"):
        for item in child.children:
            if kind == "tasks":
                milestone.tasks.extend(task_from_item(c, item))
            elif kind == "outcome":
                milestone.outcome = plain(item.text)
            elif item.text:
                getattr(milestone, kind).append(plain(item.text))
        return
    if hint and hints.apply_milestone_hint(c.findings, milestone, hint[0], hint[1], child.line):
        if hint[0] in ("acceptance", "validation", "risks") and child.children:
            getattr(milestone, hint[0]).extend(plain(g.text) for g in child.children if g.text)
        return
    milestone.tasks.extend(task_from_item(c, child))


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
    for item in lists(section.blocks):
        decision = decision_from_item(c, item)
        if decision:
            draft.decisions.append(decision)
        else:
            draft.resolved_decisions.append(one_line(plain(item.text), 300))
    for paragraph in paragraphs(section.blocks):
        for raw in paragraph.text.split("\n"):
            text = plain(raw)
            questions = [s for s in sentences(text) if s.endswith("?")]
            for question in questions or ([text] if text else []):
                marker = _MARKER.search(question)
                draft.decisions.append(
                    DraftDecision(
                        question=one_line(_MARKER.sub("", question), 300),
                        line=paragraph.line,
                        impact=hints.risk_word(marker.group(1)) if marker else None,
                    )
                )
    for child in section.children:
        read_decisions(c, draft, child)


# --------------------------------------------------------------------------- dependencies


def _number(milestone: DraftMilestone) -> int | None:
    mid = milestone.id or ""
    return int(mid[1:]) if re.fullmatch(r"M\d{1,4}", mid) else None


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


@dataclass
class _Index:
    """What a dependency may name a milestone by, computed once per plan, so that
    resolving every statement stays linear in the document."""

    milestones: list[DraftMilestone]
    numbers: dict[int, DraftMilestone] = field(default_factory=dict)
    titles: list[tuple[DraftMilestone, set[str], str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for m in self.milestones:
            number = _number(m)
            if number is not None:
                self.numbers.setdefault(number, m)
            words = _words(m.title)
            labelled = f"{m.id or ''} {m.title}"
            self.titles.append((m, set(words), " ".join(words), labelled))

    def resolve(self, text: str) -> list[DraftMilestone]:
        number = _NUMBER_REF.search(text)
        if number:
            wanted = int(number.group(1))
            if not number.group(2):
                found = self.numbers.get(wanted)
                return [found] if found else []
            return [m for n, m in sorted(self.numbers.items()) if n >= wanted]
        story = _STORY_REF.search(text)
        if story:
            pattern = re.compile(rf"\b(?:us|user story|story)\s*{story.group(1)}\b", re.IGNORECASE)
            return [m for m, _, _, labelled in self.titles if pattern.search(labelled)]
        if _ALL_STORIES.search(text):
            return [m for m, _, _, labelled in self.titles if _STORY.search(labelled)]
        version = _VERSION.search(text)
        if version:
            wanted_version = version.group(0).lstrip("v")
            return [
                m
                for m in self.milestones
                if any(v.group(0).lstrip("v") == wanted_version for v in _VERSION.finditer(m.title))
            ]
        words = [w for w in _words(text) if w not in _FILLER]
        if not words:
            return []
        wanted_words = set(words)
        hits = [
            m
            for m, title_words, joined, _ in self.titles
            if wanted_words <= title_words
            or (len(words) == 1 and joined.split(" ", 1)[0] == words[0])
        ]
        if hits:
            return hits
        # "the Backend items": a milestone whose whole title the phrase contains.
        padded = f" {' '.join(_words(text))} "
        return [m for m, _, joined, _ in self.titles if joined and f" {joined} " in padded]


def resolve(reference: str, milestones: list[DraftMilestone]) -> list[DraftMilestone]:
    """The milestones a phrase names: ``Phase 2``, ``Phase 3+``, ``US1``, ``v0.4.0``,
    ``Setup``, ``Polish (Final Phase)``.

    Titles match when every meaningful word of the phrase is in the title; a phrase
    that matches several titles resolves to all of them (the caller reports it)."""
    return _resolve_in(_Index(milestones), reference)


def _resolve_in(index: _Index, reference: str) -> list[DraftMilestone]:
    text = plain(reference, keep_targets=False).lower()
    found = index.resolve(text)
    if not found and "(" in text:
        # "Polish (Final Phase)": the name, else what the parentheses say.
        outside = re.sub(r"\([^()]{0,200}\)", " ", text)
        inside = " ".join(re.findall(r"\(([^()]{0,200})\)", text))
        found = index.resolve(outside) or index.resolve(inside)
    return found


def _objects(text: str) -> list[str]:
    """``Phase 1 and 2``, ``US1, US2 & US3`` -> the names, each with the word its
    bare numbers share (``phases 1 and 2`` -> phase 1, phase 2)."""
    cut = re.split(r"\s[-–—]\s|;|\.\s|\(|\s+being\s|\s+is\s|\s+are\s", text, maxsplit=1)[0]
    parts = [p.strip(" .:`*") for p in re.split(r",|\s+and\s+|\s*&\s*|\s+or\s+", cut)]
    out: list[str] = []
    kind = ""
    for part in (p for p in parts if p):
        named = re.match(
            r"(phases?|stages?|milestones?|steps?|us|user stories|stories)\s*\d", part, re.I
        )
        if named:
            kind = named.group(1).lower().rstrip("s") if named.group(1).lower() != "us" else "us"
        elif kind and part.isdigit():
            part = f"{kind} {part}"
        out.append(part)
    return out


def _stage(title: str) -> int | None:
    """Alpha 0, Beta 1, GA 2, removal 3: the graduation stage a milestone title names."""
    match = _STAGE_START.match(title.strip())
    if not match:
        return None
    word = match.group(1).lower()
    return next(i for i, names in enumerate(_STAGES) if word in names.split("|"))


def _key_of(milestone: DraftMilestone) -> str:
    return milestone.id or milestone.title


def apply_dependencies(c: _Collected, draft: Draft) -> None:
    """Stated dependencies into ``DraftMilestone.dependencies``, as ids or titles the
    planner resolves; what names nothing in the plan becomes an unknown."""
    milestones = draft.milestones
    index = _Index(milestones)
    wanted: dict[int, dict[str, None]] = {id(m): dict.fromkeys(m.dependencies) for m in milestones}

    def depend(subject: DraftMilestone, target: DraftMilestone) -> None:
        edges = wanted.setdefault(id(subject), dict.fromkeys(subject.dependencies))
        if target is not subject:
            edges.setdefault(_key_of(target))

    for statement in c.statements:
        text = plain(statement.text, keep_targets=False)
        if _NO_DEPENDENCY.search(text) or _PARALLEL.search(text):
            continue  # "T002 and T003 can run together" states the absence of one
        keyword = _DEPENDS.search(text)
        subjects: list[DraftMilestone]
        if keyword:
            before, after = text[: keyword.start()], text[keyword.end() :]
            named = before.split(":", 1)[0] if ":" in before else before
            subjects = _resolve_in(index, named) if named.strip(" -*:") else []
            if not subjects and statement.subject is not None:
                subjects = [statement.subject]
        elif statement.stated:
            subjects = [statement.subject] if statement.subject else []
            after = text
        else:
            continue
        if statement.stated and statement.subject is None and not subjects:
            if not keyword and not _resolve_in(index, after):
                draft.unknowns.append(f"Depends on '{one_line(text, 200)}', outside this plan")
            continue
        for name in _objects(after):
            targets = _resolve_in(index, name)
            if len(targets) > 1 and not re.search(r"\+|all|stories", name, re.IGNORECASE):
                hints.warn(
                    c.findings,
                    "request-ambiguous-dependency",
                    f"'{one_line(name, 60)}' could be any of "
                    f"{', '.join(one_line(t.title, 40) for t in targets[:5])}"
                    f"{' …' if len(targets) > 5 else ''}; no dependency was "
                    "recorded. Name the milestone by its id or full title.",
                    statement.line,
                )
                continue
            for subject in subjects:
                for target in targets:
                    depend(subject, target)
    staged = [(m, rank) for m in milestones if (rank := _stage(m.title)) is not None]
    for (earlier, first_rank), (next_stage, next_rank) in zip(staged, staged[1:], strict=False):
        if first_rank < next_rank:
            depend(next_stage, earlier)
    # After a phase that blocks the rest, each later phase waits on the nearest such
    # phase before it (which waits on the ones before it): the same order, linear edges.
    blockers = {id(m) for m in c.blocking}
    last: DraftMilestone | None = None
    for milestone in milestones:
        if last is not None:
            depend(milestone, last)
        if id(milestone) in blockers:
            last = milestone
    # Spec Kit's phases after the user stories (Polish, cross-cutting work) wait on the
    # stories before them, as its template's execution order says.
    stories: list[DraftMilestone] = []
    for milestone in milestones:
        if _STORY.search(f"{milestone.id or ''} {milestone.title}"):
            stories.append(milestone)
        elif stories and id(milestone) not in blockers:
            for story in stories:
                depend(milestone, story)
    for milestone in milestones:
        milestone.dependencies = list(wanted.get(id(milestone), {}))


# --------------------------------------------------------------------------- the whole


def assemble(
    outline: Outline, title: str, table: Mapping[str, str] = ROLE_TABLE
) -> tuple[Draft, list[Finding]]:
    """Build the draft from a classified outline."""
    c = _Collected(table=table)
    draft = Draft(source="markdown")
    objective: list[str] = []
    top_statements = 0

    def visit(sections: list[Section], criteria: bool = False) -> None:
        nonlocal top_statements
        for section in sections:
            role = section.role
            if role == "milestone":
                draft.milestones.append(milestone_from_section(c, draft, section, criteria))
                continue
            if role == "objective":
                objective.extend(plain(p.text) for p in paragraphs(section.blocks))
                objective.extend(text for text, _, _ in entries(lists_only(section.blocks)))
            elif role == "milestones":
                for item in lists(section.blocks):
                    draft.milestones.append(milestone_from_item(c, item))
            elif role in ("tasks", "group"):
                c.task_sections += 1
                draft.loose_tasks.extend(work_in(c, section))
                visit([s for s in section.children if s.role not in ("task", "group", "tasks")])
                continue
            elif role == "task":
                draft.loose_tasks.append(task_from_heading(c, section))
                continue
            elif role == "decisions":
                read_decisions(c, draft, section)
                continue
            elif role == "dependencies":
                for text, line, _ in entries(section.blocks):
                    c.statements.append(_Statement(None, text, line, stated=True))
                    top_statements += 1
            elif role == "acceptance":
                found = entries(section.blocks)
                draft.acceptance.extend(text for text, _, _ in found)
                c.acceptance_done.extend(done for _, _, done in found)
            elif role in LIST_SECTIONS:
                getattr(draft, role).extend(text for text, _, _ in entries(section.blocks))
            visit(section.children, criteria=_is_criteria_group(section))

    visit(outline.sections)
    apply_dependencies(c, draft)

    recognised = any(s.role for s in walk(outline.sections))
    draft.objective = _objective(objective, outline)
    unknown = [s for s in walk(outline.sections) if s.role is None]
    loose = lists([*outline.preamble, *(b for s in unknown for b in s.blocks)])
    if not draft.milestones and not draft.loose_tasks and not c.task_sections:
        # A lone work list outside any known section is the task list; so is a list
        # under a proposal ("Describe the solution you'd like").
        described = [s for s in walk(outline.sections) if s.role == "objective"]
        for item in [*loose, *lists([b for s in described for b in s.blocks])]:
            draft.loose_tasks.extend(task_from_item(c, item))
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
        recognised = recognised or bool(draft.loose_tasks)
    elif not draft.milestones:
        # A checklist, or a table of work, is work wherever it stands ("## Follow-ups").
        for item in loose:
            if item.checked is not None:
                draft.loose_tasks.extend(task_from_item(c, item))
        for block in (b for s in unknown for b in s.blocks):
            if isinstance(block, Table):
                draft.loose_tasks.extend(tasks_from_table(block))
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
    for milestone in draft.milestones:
        if not milestone.tasks and not milestone.done:
            hints.warn(
                c.findings,
                "request-milestone-without-tasks",
                f"Milestone '{one_line(milestone.title, 60)}' lists no tasks, so nothing of it "
                "can be handed out. Add a task list under it ('- [ ] Implement X in path/').",
                milestone.line,
                severity="notice",
            )
    check_parallel_marks(c, draft)
    if not recognised:
        draft.source = "fallback"
    return draft, c.findings


def _prose_questions(outline: Outline) -> list[DraftDecision]:
    """In a request that is only prose, its questions are the open ones."""
    blocks = [*outline.preamble, *(b for s in walk(outline.sections) for b in s.blocks)]
    return [
        DraftDecision(question=one_line(question, 300), line=p.line)
        for p in paragraphs(blocks)
        for question in sentences(plain(p.text))
        if question.endswith("?") and len(question.split()) >= 4
    ][:10]


def lists_only(blocks: list[Block]) -> list[Block]:
    return [b for b in blocks if isinstance(b, ItemList)]


def _is_criteria_group(section: Section) -> bool:
    return section.role == "acceptance" or normalize(heading_text(section.title)) in {
        "graduation criteria"
    }


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
    if stripped.endswith(":") and len(stripped.split()) <= 6:
        return False  # a lead-in to a list: "Commands to support:"
    label, colon, value = stripped.partition(":")
    if colon and len(label.split()) <= 3 and len(value.split()) <= 4:
        return False  # "Last updated: iteration 37" is a field, not a sentence
    return len(stripped.split()) >= 3


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
