"""Dependencies as the document states them: between milestones, by number
(``Phase 2``, ``Phase 3+``), story (``US1``), version (``v0.4``) or title words, from
Dependencies sections, ``**Dependencies**:`` lines and prose ("builds on steps 1 and
2"), from phases that block the rest, and from the order of release stages.

Names are resolved against an index of the milestones built once, so that a document
full of statements stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from planner.core.patterns import LazyPattern
from planner.core.read import hints
from planner.core.read.draft import Draft, DraftMilestone
from planner.core.read.lex import LEX, WORDS
from planner.core.read.markup import plain
from planner.core.read.vocabulary import runbook_stage
from planner.core.text import issue_refs, one_line
from planner.model import Finding

# "Can start once Phase 1 is live", "Nothing here starts until Core is done", and the
# same in German, Spanish and French ("Setzt Schritt 1 voraus", "Depende de la fase 1").
_WAITS = (
    rf"(?:(?:{LEX.modal_can}) )?(?:(?:{LEX.only}) )?(?:{LEX.start_verb}) (?:{LEX.wait_link})|"
    rf"(?:{LEX.wait_verb}) (?:{LEX.until})|^(?:{LEX.clause_lead})"
    rf"(?=[^.;]{{0,80}}?\b(?:{LEX.milestone_noun}|{LEX.milestone_group_noun})s? ?\d)"
)
# "Can only start after Phase 2", "begins after the pilot".
_STARTS_AFTER = (
    rf"(?:(?:{LEX.modal_can}) )?(?:(?:{LEX.only}) )?(?:{LEX.start_verb}) (?:{LEX.after})"
)
# "Once events are flowing (milestone 1 in production), we ...": the clause before the
# comma names what is waited on.
_CLAUSE = LazyPattern(rf"(?:{LEX.clause_lead})\b([^.;]{{0,160}}?)(?:,|$)", re.IGNORECASE)
_DEPENDS = LazyPattern(
    rf"\b(?:{LEX.depends_on}|(?:{LEX.needs}) (?!to)|{_STARTS_AFTER}|{LEX.after}|{_WAITS})\b",
    re.IGNORECASE,
)
PROSE_DEPENDS = LazyPattern(
    rf"\b(?:{LEX.depends_on}|(?:{LEX.needs}) (?!to)|{_STARTS_AFTER}|{_WAITS}|"
    rf"(?:{LEX.start_verb}) (?:[^.;:]|\.(?=\S)){{1,40}}? (?:{LEX.after}))\b",
    re.IGNORECASE,
)
# "Phases inside an epic are sequential", "The steps run in order", "Please follow the
# steps in order": each milestone of the group (or of the plan) waits on the one before
# it ("in order of priority" is no order of work).
_NEGATED = LazyPattern(rf"\b(?:{LEX.negation})\b", re.IGNORECASE)
_WHOLE = LazyPattern(rf"\b(?:{LEX.milestone_nouns}|{LEX.ordered_whole})\b", re.IGNORECASE)
_IN_ORDER = LazyPattern(rf"\b(?:{LEX.in_order})(?! (?:of|to)\b)\b", re.IGNORECASE)
_DENIED = LazyPattern(rf"\b(?:{LEX.order_denied})\s+$", re.IGNORECASE)
_EACH = LazyPattern(
    rf"\b(?:{LEX.each}) (?:{LEX.milestone_noun}|{LEX.milestone_noun_loose}|{LEX.section_noun})\b",
    re.IGNORECASE,
)
_ORDER_VERB = LazyPattern(rf"\b(?:{LEX.order_verb})\b", re.IGNORECASE)
_ORDER_LINK = LazyPattern(rf"\b(?:{LEX.order_link})\b", re.IGNORECASE)
_PRIOR = LazyPattern(rf"\b(?:{LEX.previous})\b", re.IGNORECASE)
_BEFORE_NEXT = LazyPattern(rf"\b(?:{LEX.before_next})\b", re.IGNORECASE)
_PART = LazyPattern(r"[^.;]+")


def sequential(text: str) -> bool:
    """Whether a sentence says the milestones (of a group, or of the plan) run in order,
    each waiting on the one before it: "These phases are sequential", "The roadmap is in
    order" ("in order of priority" is no order of work, "rather than in order" none at
    all); "Each phase starts only after the previous one has passed its checks", "Every
    step waits for the one before it", "Each stage must be done before the next one
    starts". Each word is looked for once, left to right: linear in the text."""
    whole = _WHOLE.search(text)
    if whole and not _NEGATED.search(text):
        for found in _IN_ORDER.finditer(text, whole.end()):
            if not _DENIED.search(text, 0, found.start()):
                return True
    for clause in _PART.finditer(text):
        each = _EACH.search(clause.group())
        if each is None:
            continue
        rest = clause.group()
        if _BEFORE_NEXT.search(rest, each.end()):
            return True
        verb = _ORDER_VERB.search(rest, each.end())
        link = _ORDER_LINK.search(rest, verb.end()) if verb else None
        if link and _PRIOR.search(rest, link.end()):
            return True
    return False


WITHIN_GROUP = LazyPattern(rf"\b(?:{LEX.within}) (?:an? |each |the )?\w+", re.I)
# "Setup → US1 → US2": an order written as a chain of arrows.
_ARROW = LazyPattern(r"\s*(?:→|⟶|->|=>|⇒)\s*")
# "Order: shared config first, then the packages, then the apps", "Start with the
# schema, then the API", "Storage, then fetching, then display": an order in words.
_THEN = LazyPattern(rf"\s*[,;]?\s*\b(?:and )?(?:{LEX.then})\b\s*", re.IGNORECASE)
ORDER = LazyPattern(
    rf"^(?:[^:]{{1,40}}:\s*)?"
    rf"(?:[^,;.]{{1,80}}?\b(?:{LEX.first})\s*[,;]?\s*(?:and )?(?:{LEX.then})\b|"
    rf"(?:{LEX.start_with})\b[^;.]{{1,80}}?\b(?:{LEX.then})\b|"
    rf"[^;.]{{1,80}}?\b(?:{LEX.then})\b[^;.]{{1,80}}?\b(?:{LEX.then})\b)",
    re.IGNORECASE,
)
_LABEL = LazyPattern(r"^[^:]{1,40}:\s*")
_FIRST = LazyPattern(rf"^\s*(?:{LEX.start_with})\s+|\s+(?:{LEX.first})\s*$", re.IGNORECASE)
# "## Cleanup (last)", "## Freeze the schema (first)": a place in the order of the plan.
_PLACE = LazyPattern(
    rf"\((?:(?:{LEX.place_verb}) )?(?:(?P<first>{LEX.first})|(?P<last>{LEX.last}))\)",
    re.IGNORECASE,
)
# "## Before phase 1", "## After the last phase": a milestone named by its place.
_AROUND = LazyPattern(
    rf"(?:(?P<before>{LEX.before})|(?P<after>{LEX.after}))\s+(?P<name>.{{1,80}})$", re.IGNORECASE
)
_PREVIOUS = LazyPattern(
    rf"(?:the )?(?:{LEX.last}|{LEX.previous}) (?:{LEX.milestone_noun}|one)$", re.I
)
_AFTERWARDS = LazyPattern(rf"(?:(?:{LEX.post_prefix})-(?!mortem)\w|(?:{LEX.after})\s)", re.I)
_BOTH = LazyPattern(rf"\s*(?:{LEX.both})\b", re.IGNORECASE)
_PARALLEL = LazyPattern(rf"\b(?:{LEX.parallel})\b", re.I)
_OBJECT_KIND = LazyPattern(
    rf"((?:{LEX.milestone_noun})s?|{LEX.story_noun}|{LEX.stories})\s*\d", re.I
)
_STORY = LazyPattern(r"\b(?:us\s*\d{1,3}|user story)\b", re.IGNORECASE)
_ALL_STORIES = LazyPattern(r"\ball (?:\w+ )?(?:(?:desired|the|user) )*stories\b", re.IGNORECASE)
_VERSION = LazyPattern(r"\bv?\d{1,4}\.\d{1,4}(?:\.\d{1,4})?\b")
# "2. Data model", "3 — bulk", "1.2 Route": the outline number a title opens with.
_OUTLINE = LazyPattern(r"(\d{1,4}(?:\.\d{1,4})*)\.?(?=\s)")
_NO_DEPENDENCY = LazyPattern(rf"\b(?:{LEX.no_dependency})", re.IGNORECASE)
BLOCKS_ALL = LazyPattern(
    rf"\b(?:{LEX.blocks_all}|"
    rf"no [\w ]{{1,40}} can (?:{LEX.start_verb}) (?:{LEX.until}) this (?:{LEX.milestone_noun}) "
    r"is complete)",
    re.IGNORECASE,
)
FOUNDATION = LazyPattern(
    rf"(?:{LEX.foundation})\b|.*\b(?:{LEX.foundation_phrase})\b",
    re.IGNORECASE,
)
_STAGES = tuple(WORDS[f"graduation.{stage}"] for stage in ("alpha", "beta", "ga", "removal"))
_STAGE_START = LazyPattern("({})\\b".format("|".join(n for names in _STAGES for n in names)), re.I)
_NUMBER_REF = LazyPattern(
    rf"(?:(?:{LEX.milestone_noun})s?|m)\s*(\d{{1,4}})(?!\.?\d)"
    rf"(\+|\s+(?:{LEX.and_later}))?",
    re.IGNORECASE,
)
_STORY_REF = LazyPattern(rf"\b(?:{LEX.story_noun})\s*(\d{{1,3}})\b", re.IGNORECASE)
_FILLER = frozenset(WORDS["filler"])


@dataclass
class Statement:
    """A dependency as written: who (a milestone, or the plan) waits on what."""

    subject: DraftMilestone | None
    text: str
    line: int | None
    stated: bool  # under a dependency label: the whole text names what is waited on


def _number(milestone: DraftMilestone) -> int | None:
    """M2 from the id, or from a title that opens with it without a separator ("m2
    typecheck")."""
    mid = milestone.id or milestone.title.split(" ", 1)[0]
    return int(mid[1:]) if re.fullmatch(r"[Mm]\d{1,4}", mid) else None


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


class _Index:
    """What a dependency may name a milestone by, computed once per plan, so that
    resolving every statement stays linear in the document. (A plain class: a dataclass
    would generate its methods at every start-up.)"""

    def __init__(self, milestones: list[DraftMilestone]) -> None:
        self.milestones = milestones
        self.numbers: dict[int, DraftMilestone] = {}
        self.titles: list[tuple[DraftMilestone, set[str], str, str]] = []
        # By version named in the title, by title word, and by a title's first word: the
        # milestones a name can mean are looked up, never searched for one by one.
        self.versions: dict[str, list[int]] = {}
        self.words: dict[str, list[int]] = {}
        self.firsts: dict[str, list[int]] = {}
        # By the outline number a title opens with ("2. Data model", "3 — bulk") and by
        # the issues its tasks (or its heading) refer to ("#42 Hourly rollup job").
        self.outlines: dict[str, list[int]] = {}
        self.issues: dict[int, list[int]] = {}
        self._fill()

    def _fill(self) -> None:
        for at, m in enumerate(self.milestones):
            number = _number(m)
            if number is not None:
                self.numbers.setdefault(number, m)
            words = _words(m.title)
            labelled = f"{m.id or ''} {m.title}"
            self.titles.append((m, set(words), " ".join(words), labelled))
            for version in dict.fromkeys(
                v.group(0).lstrip("v") for v in _VERSION.finditer(m.title)
            ):
                self.versions.setdefault(version, []).append(at)
            for word in set(words):
                self.words.setdefault(word, []).append(at)
            if words:
                self.firsts.setdefault(words[0], []).append(at)
            outline = _OUTLINE.match(m.title)
            if outline:
                self.outlines.setdefault(outline.group(1), []).append(at)
            refs = [*m.references, *(ref for task in m.tasks for ref in task.references)]
            for ref in dict.fromkeys(refs):
                self.issues.setdefault(ref, []).append(at)

    def numbered(self, number: str) -> list[DraftMilestone]:
        """The milestone a title numbers so, else the section that holds that number
        ("2.2", a paragraph of section 2, names section 2)."""
        parts = number.split(".")
        for end in range(len(parts), 0, -1):
            found = self.outlines.get(".".join(parts[:end]))
            if found:
                return [self.milestones[at] for at in found]
        return []

    def referred(self, text: str) -> list[DraftMilestone]:
        """The milestones whose work lists an issue the text refers to ("#42 closed")."""
        found = {at for ref in issue_refs(text) for at in self.issues.get(ref, [])}
        return [self.milestones[at] for at in sorted(found)]

    def closest(self, text: str) -> list[DraftMilestone]:
        """The one milestone whose title shares the most meaningful words with the
        phrase ("shared settings" for "0. Shared config"), if one stands out."""
        counts: dict[int, int] = {}
        for word in {w for w in _words(text) if w not in _FILLER}:
            for at in self.words.get(word, []):
                counts[at] = counts.get(at, 0) + 1
        if not counts:
            return []
        best = max(counts.values())
        top = [at for at, count in counts.items() if count == best]
        # Half the phrase at least: "we write the tests" names no "Tests" milestone.
        meaningful = len({w for w in _words(text) if w not in _FILLER})
        return [self.milestones[top[0]]] if len(top) == 1 and 2 * best >= meaningful else []

    def resolve(self, text: str) -> list[DraftMilestone]:
        number = _NUMBER_REF.search(text)
        if number:
            wanted = int(number.group(1))
            if not number.group(2):
                found = self.numbers.get(wanted)
                return [found] if found else self.numbered(str(wanted))
            return [m for n, m in sorted(self.numbers.items()) if n >= wanted]
        story = _STORY_REF.search(text)
        if story:
            pattern = re.compile(rf"\b(?:{LEX.story_noun})\s*{story.group(1)}\b", re.IGNORECASE)
            return [m for m, _, _, labelled in self.titles if pattern.search(labelled)]
        if _ALL_STORIES.search(text):
            return [m for m, _, _, labelled in self.titles if _STORY.search(labelled)]
        version = _VERSION.search(text)
        if version:
            versioned = self.versions.get(version.group(0).lstrip("v"), [])
            if versioned or version.group(0).startswith("v"):
                return [self.milestones[at] for at in versioned]
            return self.numbered(version.group(0))
        words = [w for w in _words(text) if w not in _FILLER]
        if not words:
            return []
        wanted_words = set(words)
        # Every meaningful word of the phrase in the title (so the rarest word's
        # milestones are the only candidates), or a one-word phrase that opens the title.
        rarest = min(wanted_words, key=lambda w: len(self.words.get(w, [])))
        named = {at for at in self.words.get(rarest, []) if wanted_words <= self.titles[at][1]}
        if len(words) == 1:
            named.update(self.firsts.get(words[0], []))
        if named:
            return [self.milestones[at] for at in sorted(named)]
        # "the Backend items": a milestone whose whole title the phrase contains.
        spoken = _words(text)
        padded = f" {' '.join(spoken)} "
        near = sorted({at for word in set(spoken) for at in self.firsts.get(word, [])})
        return [
            self.milestones[at]
            for at in near
            if self.titles[at][2] and f" {self.titles[at][2]} " in padded
        ]


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
    """``Phase 1 and 2``, ``US1, US2 & US3``, ``Phase 3 + Phase 4`` -> the names, each
    with the word its bare numbers share (``phases 1 and 2`` -> phase 1, phase 2)."""
    cut = re.split(r"\s[-–—]\s|;|\.\s|\(|\s+being\s|\s+is\s|\s+are\s", text, maxsplit=1)[0]
    parts = [p.strip(" .:`*") for p in re.split(r",|\s+and\s+|\s*[&+]\s*|\s+or\s+", cut)]
    out: list[str] = []
    kind = ""
    for part in (p for p in parts if p):
        named = _OBJECT_KIND.match(part)
        if named:
            kind = named.group(1).lower().rstrip("s") if named.group(1).lower() != "us" else "us"
        elif kind and part.isdigit():
            part = f"{kind} {part}"
        out.append(part)
    return out


def _stage(title: str) -> int | None:
    """Alpha 0, Beta 1, GA 2, removal 3: the graduation stage a milestone title names (a
    step between two, "Alpha -> Beta Graduation", names the one it reaches)."""
    match = _STAGE_START.match(_ARROW.split(title)[-1].strip())
    if not match:
        return None
    word = match.group(1).lower()
    return next(i for i, names in enumerate(_STAGES) if word in names)


def _key_of(milestone: DraftMilestone) -> str:
    return milestone.id or milestone.title


def _placed(
    milestones: list[DraftMilestone],
    index: _Index,
    depend: Callable[[DraftMilestone, DraftMilestone], None],
) -> None:
    """Milestones whose title says where they stand: "Cleanup (last)" waits on every
    other milestone and "(first)" goes before every other; "Before phase 1" goes before
    the milestone it names and "After the last phase" waits on the one it names."""
    places = {
        id(m): "first" if p.group("first") else "last"
        for m in milestones
        if (p := _PLACE.search(m.title))
    }
    for milestone in (m for m in milestones if id(m) in places):
        for other in milestones:
            if places[id(milestone)] == "last" and places.get(id(other)) != "last":
                depend(milestone, other)
            elif places[id(milestone)] == "first" and places.get(id(other)) != "first":
                depend(other, milestone)
    for at, milestone in enumerate(milestones):
        around = _AROUND.match(plain(milestone.title, keep_targets=False))
        if not around:
            continue
        name = around.group("name")
        if around.group("after") and _PREVIOUS.match(name):
            named = milestones[at - 1 : at]
        else:
            named = _resolve_in(index, name)
        if len(named) != 1 or named[0] is milestone:
            continue
        if around.group("after"):
            depend(milestone, named[0])
        else:
            depend(named[0], milestone)


class _Edges:
    """The dependencies being gathered: for each milestone, what it waits on, in the
    order found, as the keys the planner resolves. (A plain class: a dataclass would
    generate its methods at every start-up.)"""

    def __init__(self, milestones: list[DraftMilestone]) -> None:
        self.milestones = milestones
        self.index = _Index(milestones)
        self.wanted = {id(m): dict.fromkeys(m.dependencies) for m in milestones}
        self.place = {id(m): at for at, m in enumerate(milestones)}  # where each stands

    def depend(self, subject: DraftMilestone, target: DraftMilestone) -> None:
        edges = self.wanted.setdefault(id(subject), dict.fromkeys(subject.dependencies))
        if target is not subject:
            edges.setdefault(_key_of(target))


def apply_dependencies(
    statements: list[Statement],
    blocking: list[DraftMilestone],
    draft: Draft,
    chains: list[list[DraftMilestone]] | None = None,
) -> list[Finding]:
    """Stated dependencies into ``DraftMilestone.dependencies``, as ids or titles the
    planner resolves; what names nothing in the plan becomes an unknown. In each of
    ``chains`` (milestones said to run in sequence) a milestone waits on the one before."""
    edges = _Edges(draft.milestones)
    findings: list[Finding] = []
    for statement in statements:
        _apply_statement(edges, statement, draft, findings)
    _placed(draft.milestones, edges.index, edges.depend)
    for chain in chains or []:
        for earlier, later in zip(chain, chain[1:], strict=False):
            edges.depend(later, earlier)
    _in_stage_order(edges)
    blockers = {id(m) for m in blocking}
    _after_blockers(edges, blockers)
    _after_stories(edges, blockers)
    _afterwards(edges)
    for milestone in draft.milestones:
        milestone.dependencies = list(edges.wanted.get(id(milestone), {}))
    return findings


def _apply_statement(
    edges: _Edges, statement: Statement, draft: Draft, findings: list[Finding]
) -> None:
    """One statement: an order of several milestones, or who waits on what."""
    index = edges.index
    text = plain(statement.text, keep_targets=False)
    if _NO_DEPENDENCY.search(text) or _PARALLEL.search(text):
        return  # "T002 and T003 can run together" states the absence of one
    steps = _sequence(index, text)
    if len(steps) > 1 and all(steps):
        # "Setup → US1 → US2": each step waits on the one before it.
        for waited_on, waiting in zip(steps, steps[1:], strict=False):
            for subject in waiting:
                for target in waited_on:
                    edges.depend(subject, target)
        return
    keyword = _DEPENDS.search(text)
    if keyword:
        subjects, after = _subjects(edges, statement, text, keyword), text[keyword.end() :]
    elif statement.stated:
        subjects, after = ([statement.subject] if statement.subject else []), text
    else:
        return
    if statement.stated and statement.subject is None and not subjects:
        if not keyword and not _resolve_in(index, after):
            draft.unknowns.append(f"Depends on '{one_line(text, 200)}', outside this plan")
        return
    for name in _names_waited_on(index, text, after):
        targets = _resolve_in(index, name) or index.referred(name)
        if len(targets) > 1 and not re.search(r"\+|all|stories", name, re.IGNORECASE):
            hints.warn(
                findings,
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
                edges.depend(subject, target)


def _sequence(index: _Index, text: str) -> list[list[DraftMilestone]]:
    """The milestones an order names, step by step: "Setup → US1 → US2", "Shared config
    first, then the packages, then the apps" (whose names may be loose, "shared
    settings", since each of them must name a milestone)."""
    steps = [_resolve_in(index, part) for part in _ARROW.split(text)]
    if len(steps) < 2 and ORDER.match(text):
        parts = _THEN.split(_LABEL.sub("", text.strip(" .")))
        parts[0] = _FIRST.sub("", parts[0]).strip()
        steps = [_resolve_in(index, part) or index.closest(part) for part in parts]
    return steps


def _subjects(
    edges: _Edges, statement: Statement, text: str, keyword: re.Match[str]
) -> list[DraftMilestone]:
    """Who waits: the milestones named before the dependency phrase ("Phase 3 depends
    on …"), else the milestone the statement stands in."""
    before = text[: keyword.start()]
    named = before.split(":", 1)[0] if ":" in before else before
    subjects = _resolve_in(edges.index, named) if named.strip(" -*:") else []
    if not subjects and statement.subject is not None:
        subjects = [statement.subject]
        at = edges.place[id(statement.subject)]
        if _BOTH.match(named) and at > 0:
            # "Both apps start publishing after ..." below the second of two sections
            # speaks of it and the one before it.
            subjects.insert(0, edges.milestones[at - 1])
    return subjects


def _names_waited_on(index: _Index, text: str, after: str) -> list[str]:
    """What the statement waits on: the names after its dependency phrase, the numbered
    milestones of its "Once …," clause, or the issues it refers to ("Starts once the
    totals are reliable (#42 closed)": the issue is work of the milestone waited on)."""
    names = _objects(after)
    clause = _CLAUSE.match(text)
    if clause and not any(_resolve_in(index, name) for name in names):
        names = [f"{m.group(0)}" for m in _NUMBER_REF.finditer(clause.group(1))]
    if not any(_resolve_in(index, name) for name in names) and index.referred(after):
        names = [f"#{ref}" for ref in issue_refs(after)]
    return names


def _in_stage_order(edges: _Edges) -> None:
    """Release stages (alpha, beta, GA, removal) and runbook stages (prep, procedure,
    cleanup): each waits on the stage before it."""
    for rank_of in (_stage, runbook_stage):
        staged = [(m, rank) for m in edges.milestones if (rank := rank_of(m.title)) is not None]
        for (earlier, first), (later, then) in zip(staged, staged[1:], strict=False):
            if first < then:
                edges.depend(later, earlier)


def _after_blockers(edges: _Edges, blockers: set[int]) -> None:
    """After a phase that blocks the rest, each later phase waits on the nearest such
    phase before it (which waits on the ones before it): the same order, linear edges."""
    last: DraftMilestone | None = None
    for milestone in edges.milestones:
        if last is not None:
            edges.depend(milestone, last)
        if id(milestone) in blockers:
            last = milestone


def _after_stories(edges: _Edges, blockers: set[int]) -> None:
    """Spec Kit's phases after the user stories (Polish, cross-cutting work) wait on the
    stories before them, as its template's execution order says."""
    stories: list[DraftMilestone] = []
    for milestone in edges.milestones:
        if _STORY.search(f"{milestone.id or ''} {milestone.title}"):
            stories.append(milestone)
        elif stories and id(milestone) not in blockers:
            for story in stories:
                edges.depend(milestone, story)


def _afterwards(edges: _Edges) -> None:
    """ "## Post-release" (or an "After ..." that names no milestone) with nothing
    stated waits on the ends of the work before it: the earlier milestones that no other
    earlier one waits on."""
    milestones, wanted = edges.milestones, edges.wanted
    for at, milestone in enumerate(milestones):
        if at and _AFTERWARDS.match(milestone.title) and not wanted.get(id(milestone)):
            preceding = milestones[:at]
            waited = {key for m in preceding for key in wanted.get(id(m), {})}
            for end in preceding:
                if _key_of(end) not in waited:
                    edges.depend(milestone, end)
