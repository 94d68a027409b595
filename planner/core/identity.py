"""Identity across edits (PRODUCT.md §14): a re-plan keeps the ids of the previous plan's
milestones and tasks by matching their text, gives new work ids never used before in the
plan, and records removed work.

The previous plan is remembered as a compact id map (``Memory``) that the shell keeps
where a default workflow keeps anything: a hidden line of the planner's own summary
comment, or the contract when one was committed. Everything here is pure.
"""

from __future__ import annotations

import binascii
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.read import DraftMilestone
from planner.core.read.draft import DraftTask
from planner.core.text import one_line
from planner.model import Contract, Finding, Roadmap

MEMORY_VERSION = 1
MARKER = "planner:ids"
_LINE = LazyPattern(r"<!-- planner:ids v(\d+) ([0-9a-f]{16}) ([A-Za-z0-9+/=]{1,400000}) -->")
_WORD = LazyPattern(r"[a-z0-9]+")
MEMORY_LINE_LIMIT = 40_000
"""Characters of the memory line at most: a comment holds 65,536."""
MAX_MEMORY_BYTES = 4 * 1_048_576
"""Far above the memory of the largest plan a body holds (about 2,000 tasks)."""
SAME = 0.5
"""Text at least this alike (shared words over all words) is the same task or milestone."""
UNSURE = 0.3
"""Text this alike, but not ``SAME``, may be the same: a finding and a new id."""


class Remembered(NamedTuple):
    id: str
    milestone: str
    title: str
    handed: str = ""
    """A digest of the task as it was handed out to an agent, or empty if it was not."""
    tracks: str = ""
    """The number of the issue the task's line only names (``- [ ] #12``), if it does."""


class Memory(NamedTuple):
    """What the previous plan of an issue was, as far as identity needs."""

    milestones: tuple[tuple[str, str], ...] = ()
    """(id, title) of each milestone."""
    tasks: tuple[Remembered, ...] = ()
    removed: tuple[Remembered, ...] = ()
    """Tasks removed from the plan: their ids are never given again."""
    used: tuple[str, ...] = ()
    """Every id ever given in the plan."""
    version: int = 0
    roadmap: str = ""
    """A digest of that version's roadmap (its version aside): the next version is the
    same number while the roadmap is the same."""
    changes: tuple[str, ...] = ()
    """What changed in the tasks at that version of the roadmap (shown until the next)."""
    cut: int | None = None
    """How far the titles were shortened to fit the summary comment (characters of the
    line ``one_line(title, 120)``); None when they are whole (a contract's)."""


# ---------------------------------------------------------------------------- keeping


def encode(memory: Memory) -> str:
    """The memory as one hidden Markdown line, with a digest so that a hand-edited or
    cut copy is known as such. Titles are shortened as far as it takes for the line to fit
    in a comment beside the summary (a plan of thousands of tasks)."""
    line = ""
    for keep in (120, 60, 30, 12):
        line = _encoded(memory, keep)
        if len(line) <= MEMORY_LINE_LIMIT:
            break
    return line


def _cut(title: str, keep: int) -> str:
    """A remembered title (``one_line(title, 120)``) as the memory keeps it, ``keep``
    characters at most: matching cuts a new title the same way. Read back, it is the same
    text next time (no space at its end)."""
    return title[:keep].rstrip()


def _encoded(memory: Memory, keep: int) -> str:
    def cut(title: str) -> str:
        return _cut(title, keep)

    data = json.dumps(
        {
            "m": [[i, cut(title)] for i, title in memory.milestones],
            "t": [
                [t.id, t.milestone, cut(t.title), t.handed, *([t.tracks] if t.tracks else [])]
                for t in memory.tasks
            ],
            "r": [[t.id, t.milestone, cut(t.title)] for t in memory.removed],
            "u": list(memory.used),
            "v": memory.version,
            "d": memory.roadmap,
            "c": list(memory.changes),
            "k": keep,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")
    packed = binascii.b2a_base64(zlib.compress(data, 9), newline=False).decode("ascii")
    return f"<!-- {MARKER} v{MEMORY_VERSION} {_digest(packed)} {packed} -->"


def _checksum(data: bytes) -> str:
    """16 hex digits that change with any change of ``data``: CRC-32 forwards and of the
    bytes reversed. Not a seal against forgery (only the token's own comment is read), a
    check that a copy is whole and unedited; zlib is loaded anyway, a hash module is not."""
    return f"{zlib.crc32(data):08x}{zlib.crc32(data[::-1]):08x}"


def _digest(packed: str) -> str:
    return _checksum(packed.encode("ascii"))


def decode(text: str) -> tuple[Memory | None, list[Finding]]:
    """The memory a text (the summary comment) keeps, or None; a memory that was edited,
    cut or written by another version is a finding and a fresh start."""
    if MARKER not in text:
        return None, []
    match = _LINE.search(text)
    lost = finding(
        "identity-memory-lost",
        "The planner's memory of this plan's ids (a hidden line of its summary comment) "
        "was edited or cut, so ids were matched afresh from the issue's text; a task whose "
        "text changed may have got a new id.",
    )
    if match is None or int(match.group(1)) != MEMORY_VERSION:
        return None, [lost]
    packed = match.group(3)
    if _digest(packed) != match.group(2):
        return None, [lost]
    try:
        inflate = zlib.decompressobj()
        raw = inflate.decompress(binascii.a2b_base64(packed), MAX_MEMORY_BYTES + 1)
        if len(raw) > MAX_MEMORY_BYTES or inflate.unconsumed_tail:
            return None, [lost]  # more than any plan's memory: not ours
        data = json.loads(raw)
        memory = Memory(
            milestones=tuple((str(i), str(t)) for i, t in data["m"]),
            tasks=tuple(Remembered(*map(str, t)) for t in data["t"]),
            removed=tuple(Remembered(*map(str, t)) for t in data["r"]),
            used=tuple(str(u) for u in data["u"]),
            version=int(data.get("v", 0)),
            roadmap=str(data.get("d", "")),
            changes=tuple(str(c) for c in data.get("c", [])),
            cut=int(data.get("k", 120)),
        )
    except (ValueError, TypeError, KeyError, RecursionError, zlib.error):
        return None, [lost]
    return memory, []


def from_contract(contract: dict[str, Any] | None) -> Memory | None:
    """The memory a previous contract (committed with the plan) gives: its ids and
    titles; what it handed out is not in it."""
    roadmap = (contract or {}).get("roadmap")
    if not isinstance(roadmap, dict):
        return None
    try:
        milestones = roadmap["milestones"]
        kept = tuple((str(m["id"]), str(m["title"])) for m in milestones)
        tasks = tuple(
            Remembered(
                str(t["id"]), str(m["id"]), str(t["title"]), tracks=str(t.get("tracks") or "")
            )
            for m in milestones
            for t in m["tasks"]
        )
        removed = tuple(
            Remembered(str(t["id"]), str(t.get("milestone", "")), str(t["title"]))
            for t in roadmap.get("removed", [])
        )
    except (KeyError, TypeError):
        return None
    used = tuple(dict.fromkeys([*(m for m, _ in kept), *(t.id for t in tasks + removed)]))
    return Memory(kept, tasks, removed, used)


def remember(
    contract: Contract,
    handed: dict[str, str],
    previous: Memory | None,
    changes: tuple[str, ...] = (),
) -> Memory:
    """The memory of a plan just made: its ids and titles, what was handed out (the
    previous run's hand-outs still open, and this run's), every id ever used, and the
    issue each task tracks."""
    before = {t.id: t.handed for t in previous.tasks} if previous else {}
    tasks = tuple(
        Remembered(
            t.id,
            m.id,
            one_line(t.title, 120),
            handed.get(t.id) or ("" if t.status == "done" else before.get(t.id, "")),
            str(t.tracks or ""),
        )
        for m in contract.roadmap.milestones
        for t in m.tasks
    )
    removed = tuple(
        Remembered(r.id, r.milestone, one_line(r.title, 120)) for r in contract.roadmap.removed
    )
    used = (
        *(previous.used if previous else ()),
        *(m.id for m in contract.roadmap.milestones),
        *(t.id for t in tasks),
        *(t.id for t in removed),
    )
    return Memory(
        tuple((m.id, one_line(m.title, 120)) for m in contract.roadmap.milestones),
        tasks,
        removed,
        tuple(dict.fromkeys(used)),
        contract.roadmap.version,
        roadmap_digest(contract.roadmap),
        changes,
    )


def roadmap_digest(roadmap: Roadmap) -> str:
    """A digest of the roadmap's content, its version aside."""
    data = roadmap.model_dump(mode="json")
    data.pop("version", None)
    for milestone in data["milestones"]:
        for task in milestone["tasks"]:
            if task["tracks"] is None:
                del task["tracks"]  # a plan made before tasks tracked issues is the same
    return digest(data)


def digest(*parts: object) -> str:
    """A short digest of what a task was when handed out: a change shows as another."""
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str)
    return _checksum(text.encode("utf-8"))[:12]


# ---------------------------------------------------------------------------- matching


class Matched(NamedTuple):
    milestones: list[DraftMilestone]
    """The draft's milestones with the ids the previous plan gave them (copies)."""
    kept: frozenset[str]
    """Task ids kept from the previous plan: used as they are, wherever the task is now."""
    removed: list[Remembered]
    """Tasks removed before the previous plan (those removed now are found once the ids
    are given)."""
    used: frozenset[str]
    """Every id the plan has ever given: a new one is none of them."""


# Words that say nothing of which task it is: "Write the parser" and "Write the linter"
# share "write" and "the" and are different tasks.
_COMMON = frozenset(
    """a an and as at be by for from in into is it of on or the this that to with without
    add added adds write writes wrote make makes implement implements create creates update
    updates fix fixes use uses support new all via""".split()
)


def words(text: str) -> frozenset[str]:
    """The words that tell a task from another (common ones left out)."""
    found = frozenset(_WORD.findall(text.lower()))
    telling = found - _COMMON
    return telling or found


def likeness(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all words (1.0: the same words)."""
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def match(drafts: Sequence[DraftMilestone], memory: Memory | None) -> tuple[Matched, list[Finding]]:
    """The draft's milestones and tasks with the ids of the previous plan's that match
    them by text (a task's own id, when the request states one, wins; position only breaks
    ties), and the previous plan's tasks that match none: removed."""
    if memory is None:
        return Matched(list(drafts), frozenset(), [], frozenset()), []
    findings: list[Finding] = []
    milestones = [replace(d, tasks=list(d.tasks)) for d in drafts]

    def told(title: str) -> frozenset[str]:
        # A title as the memory kept it: compared as it was cut, an unchanged one is the
        # same words (a plan too large for whole titles kept none of its ids otherwise).
        return words(title if memory.cut is None else _cut(one_line(title, 120), memory.cut))

    free = [(mid, words(title)) for mid, title in memory.milestones]
    stated = {d.id.upper() for d in milestones if d.id}
    free = [(mid, w) for mid, w in free if mid.upper() not in stated]
    for i, d in _best_pairs(
        [(i, told(d.title)) for i, d in enumerate(milestones) if not d.id], free, findings, "M"
    ):
        milestones[i] = replace(milestones[i], id=d)
    drafted = [(mi, ti, t) for mi, d in enumerate(milestones) for ti, t in enumerate(d.tasks)]
    # A task whose id the request states keeps it as it always did; one that tracks an
    # issue keeps the id of the task that tracked it before, whatever its title reads;
    # the others are matched by their text.
    stated_tasks = {(t.id or "").upper() for _, _, t in drafted if t.id}
    remembered = [
        r
        for r in memory.tasks
        if not any(r.id.upper().endswith(f"-{s}") or r.id.upper() == s for s in stated_tasks)
    ]
    kept: set[str] = set()
    for k, rid in _by_issue(drafted, remembered):
        mi, ti, t = drafted[k]
        drafted[k] = (mi, ti, replace(t, id=rid))
        milestones[mi].tasks[ti] = drafted[k][2]
        kept.add(rid)
    remembered = [r for r in remembered if r.id not in kept]
    pending = [(k, told(t.title)) for k, (_, _, t) in enumerate(drafted) if not t.id]
    left = [(r.id, words(r.title)) for r in remembered]
    # Of tasks equally alike, the one of the same milestone: two milestones may each have
    # a "Write tests" task, and deleting one must not hand its id to the other.
    homes = (
        [milestones[drafted[k][0]].id or "" for k, _ in pending],
        [r.milestone for r in remembered],
    )
    for k, rid in _best_pairs(pending, left, findings, "T", homes):
        mi, ti, t = drafted[k]
        milestones[mi].tasks[ti] = replace(t, id=rid)
        kept.add(rid)
    used = frozenset(u.upper() for u in (*memory.used, *(r.id for r in memory.removed)))
    return Matched(milestones, frozenset(kept), list(memory.removed), used), findings


def _by_issue(
    drafted: Sequence[tuple[int, int, DraftTask]], remembered: Sequence[Remembered]
) -> Iterator[tuple[int, str]]:
    """Each task that tracks an issue, with the remembered task that tracked the same
    one."""
    by_issue: dict[int, str] = {}
    for r in remembered:
        if r.tracks.isascii() and r.tracks.isdigit():
            by_issue.setdefault(int(r.tracks), r.id)
    for k, (_, _, t) in enumerate(drafted):
        if t.tracks is not None and not t.id and t.tracks in by_issue:
            yield k, by_issue.pop(t.tracks)


def _best_pairs(
    new: list[tuple[int, frozenset[str]]],
    old: list[tuple[str, frozenset[str]]],
    findings: list[Finding],
    kind: str,
    homes: tuple[list[str], list[str]] | None = None,
) -> list[tuple[int, str]]:
    """``_alike_pairs``, after the items whose words are exactly an old one's are paired
    (in the same milestone, then the nearest in order): most of a re-plan is unchanged,
    and pairing those first keeps the comparison of every new item with every old one to
    the few that changed."""
    by_words: dict[frozenset[str], list[int]] = {}
    for o_pos, (_, ow) in enumerate(old):
        by_words.setdefault(ow, []).append(o_pos)
    pairs: list[tuple[int, str]] = []
    taken_old: set[int] = set()
    rest: list[int] = []
    for n_pos, (_, nw) in enumerate(new):
        same = [o for o in by_words.get(nw, []) if o not in taken_old]
        if not same:
            rest.append(n_pos)
            continue
        home = homes[0][n_pos] if homes else None
        best = min(
            same,
            key=lambda o: (0 if homes is None or homes[1][o] == home else 1, abs(o - n_pos), o),
        )
        taken_old.add(best)
        pairs.append((new[n_pos][0], old[best][0]))
    left = [o for o in range(len(old)) if o not in taken_old]
    more = _alike_pairs(
        [new[n] for n in rest],
        [old[o] for o in left],
        findings,
        kind,
        (([homes[0][n] for n in rest], [homes[1][o] for o in left]) if homes is not None else None),
    )
    return pairs + more


def _alike_pairs(
    new: list[tuple[int, frozenset[str]]],
    old: list[tuple[str, frozenset[str]]],
    findings: list[Finding],
    kind: str,
    homes: tuple[list[str], list[str]] | None = None,
) -> list[tuple[int, str]]:
    """Pairs of a new item and an old id, most alike first (in the same milestone, given
    ``homes``, then the nearer in order, when equally alike), each item and id once, at
    least ``SAME`` alike; an item only ``UNSURE`` alike to an old one it did not get is a
    finding."""

    def away(n_pos: int, o_pos: int) -> int:
        return 0 if homes is None or homes[0][n_pos] == homes[1][o_pos] else 1

    scored = sorted(
        (
            (-likeness(nw, ow), away(n_pos, o_pos), abs(n_pos - o_pos), n_pos, o_pos)
            for n_pos, (_, nw) in enumerate(new)
            for o_pos, (_, ow) in enumerate(old)
        ),
    )
    taken_new: set[int] = set()
    taken_old: set[int] = set()
    pairs: list[tuple[int, str]] = []
    unsure: list[tuple[int, str]] = []
    for neg, _, _, n_pos, o_pos in scored:
        if n_pos in taken_new or o_pos in taken_old:
            continue
        if -neg >= SAME:
            taken_new.add(n_pos)
            taken_old.add(o_pos)
            pairs.append((new[n_pos][0], old[o_pos][0]))
        elif -neg >= UNSURE:
            unsure.append((n_pos, old[o_pos][0]))
    for n_pos, oid in unsure:
        if n_pos not in taken_new:
            taken_new.add(n_pos)
            findings.append(
                finding(
                    "identity-unsure",
                    f"A {'milestone' if kind == 'M' else 'task'} of the issue reads somewhat "
                    f"like {oid} of the previous plan, not enough to be sure it is the same: "
                    "it got a new id. If it is the same work, write it as it was, or give it "
                    f"its id ('- id: {oid}').",
                )
            )
    return pairs
