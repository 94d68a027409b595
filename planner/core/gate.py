"""The ``check`` mode's gate: a pull request held to its task's contract (PRODUCT.md §9).

Everything here is judged against the *base* commit's contracts and config, which the
shell reads from git; the pull request's own files are never trusted. A pull request names
its task with the task's issue (``planner/42/M1-T2``, ``Planner-Task: #42/M1-T2``, a label
``task:42/M1-T2``); a bare id (``M1-T2``) is taken only when one contract has it.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Literal

from planner.core.boundaries import hold_unsafe
from planner.core.findings import finding
from planner.core.patterns import LazyPattern
from planner.core.rules import defer_verification
from planner.core.text import one_line
from planner.model import Contract, Finding, Milestone, Task

ChangeKind = Literal["file", "symlink", "submodule"]
BINARY_LINE_BYTES = 80  # a binary file counts one changed line per 80 bytes of each side
LONG_LINE_BYTES = 1_000  # a longer text line counts once per 1,000 bytes
MAX_NAME_TEXT = 1024  # characters of a branch, title or label searched for a task name

_RUN = LazyPattern(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_QUALIFIED = LazyPattern(r"(?<![0-9])#?([0-9]{1,10})/([A-Za-z0-9][A-Za-z0-9_.-]*)")
_TRAILER = LazyPattern(
    r"^[ \t]*planner-task[ \t]*:[ \t]*(.+?)[ \t]*$", re.IGNORECASE | re.MULTILINE
)
_LABEL_PREFIX = "task:"
_PLAN_BRANCH = LazyPattern(r"planner/[0-9]{1,10}/plan")


@dataclass(frozen=True)
class FileChange:
    """One path the pull request changes, as git sees it.

    ``added``/``deleted`` are changed lines (for binaries, see ``BINARY_LINE_BYTES``);
    ``exact`` is false when counting stopped early because the change was already over
    its allowance (the numbers are then a lower bound). A symlink carries its ``link``
    text and the repository path it ``target``s (None when it leads outside).
    """

    path: str
    added: int = 0
    deleted: int = 0
    kind: ChangeKind = "file"
    binary: bool = False
    exact: bool = True
    link: str | None = None
    target: str | None = None
    lfs: bool = False
    """The new content is a Git LFS pointer: what the change really is lies outside git."""


WIDEN_LABEL = "planner:widen"
"""A pull request label (adding one takes triage rights) that admits changes outside its
task's boundary, protected and planning paths excepted; the check says what it admitted."""


@dataclass(frozen=True)
class PullRequest:
    branch: str
    title: str
    body: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class NamedTask:
    """The task a pull request works on, found in the base's contracts."""

    contract: Contract
    milestone: Milestone
    task: Task

    @property
    def name(self) -> str:
        return f"{self.contract.issue.number}/{self.task.id}"


def _shown(paths: list[str], limit: int = 10) -> str:
    more = f" and {len(paths) - limit} more" if len(paths) > limit else ""
    return ", ".join(paths[:limit]) + more


# ------------------------------------------------------------------------------ paths


def glob_matches(path: str, glob: str) -> bool:
    """Whether the concrete repository path ``path`` is inside ``glob``.

    The path is taken literally: a file named ``[ab].py`` or ``*`` is those characters,
    never a pattern. In the glob, ``**`` spans any number of folders and ``*``, ``?``,
    ``[...]`` match within one folder name.
    """
    names = path.strip("/").split("/")
    parts = glob.strip("/").split("/")
    # reachable[i]: glob parts[:j] can match names[:i]; one row per glob part (linear).
    reachable = [True] + [False] * len(names)
    for part in parts:
        if part == "**":
            seen = False
            for i in range(len(reachable)):
                seen = seen or reachable[i]
                reachable[i] = seen
            continue
        reachable = [False] + [
            reachable[i] and fnmatchcase(names[i], part) for i in range(len(names))
        ]
    return reachable[-1]


def in_any(path: str, globs: list[str]) -> bool:
    return any(glob_matches(path, g) for g in globs)


def refused_by_git(path: str) -> bool:
    """Whether git would refuse to check ``path`` out: a name that is empty, ``.`` or
    ``..``, or git's own folder however it is spelt (``.GIT``, ``.git.``, ``GIT~1``, with
    invisible characters). Such a name is pushed only by writing tree objects by hand,
    and ``docs/../.github/x`` only reads as inside ``docs/**``."""
    for name in path.split("/"):
        plain = "".join(c for c in name if unicodedata.category(c) != "Cf")
        if name in ("", ".", "..") or plain.rstrip(" .").lower() in (".git", "git~1"):
            return True
    return False


# ------------------------------------------------------------------------------ naming


def _ids(contracts: list[Contract]) -> dict[str, list[NamedTask]]:
    found: dict[str, list[NamedTask]] = {}
    for contract in contracts:
        for milestone in contract.roadmap.milestones:
            for task in milestone.tasks:
                found.setdefault(task.id.upper(), []).append(NamedTask(contract, milestone, task))
    return found


def _candidates(run: str, *, from_start: bool, longest: int | None = None) -> list[str]:
    """Substrings of an id-like run that could be a task id: each starts at the run's
    start (or, unless ``from_start``, after a ``-``, ``_`` or ``.``) and ends at its end
    or before one of those characters, and is at most ``longest`` characters long (the
    longest id a contract has), so that a long run costs time in proportion to its
    length. ``fix-M1-T2-docs`` offers ``M1-T2``."""
    cuts = [i for i, c in enumerate(run) if c in "-_."]
    starts = [0] if from_start else [0, *(i + 1 for i in cuts)]
    ends = [*cuts, len(run)]
    limit = len(run) if longest is None else longest
    return [
        run[s:e]
        for s in starts
        for e in ends[bisect_right(ends, s) : bisect_right(ends, s + limit)]
    ]


@dataclass(frozen=True)
class _Mention:
    where: str
    explicit: bool  # a form only a task name takes: a label, a trailer, a planner/ branch
    issue: int | None
    id: str


def _mentions(text: str, where: str, explicit: bool, known: set[str]) -> list[_Mention]:
    """Task names in one text: ``<issue>/<id>`` first, then bare ids that a contract has."""
    text = text[:MAX_NAME_TEXT]
    longest = max(map(len, known), default=0)
    found: list[_Mention] = []
    rest = list(text)
    for match in _QUALIFIED.finditer(text):
        choices = _candidates(match.group(2), from_start=True)
        # the longest id the contracts know (``M1-T10`` over ``M1-T1``), else the whole run
        hit = max((c for c in choices if c.upper() in known), key=len, default=choices[-1])
        found.append(_Mention(where, explicit, int(match.group(1)), hit))
        rest[match.start() : match.end()] = " " * (match.end() - match.start())
    found += [
        _Mention(where, explicit, None, candidate)
        for match in _RUN.finditer("".join(rest))
        for candidate in _candidates(match.group(0), from_start=False, longest=longest)
        if candidate.upper() in known and any(c.isalpha() for c in candidate)
    ]
    return found


def plan_branch(number: int) -> str:
    """The branch a planning issue's persisted plan is committed to; its pull request is
    a planning change, so the branch names no task."""
    return f"planner/{number}/plan"


def _sources(pr: PullRequest) -> list[tuple[str, bool, str]]:
    """Where a pull request may name its task: (where, explicit, text). The planner's own
    plan pull request (``planner/<issue>/plan``) names none, whatever its title says."""
    if _PLAN_BRANCH.fullmatch(pr.branch):
        return []
    sources = [("branch", pr.branch.startswith("planner/"), pr.branch), ("title", False, pr.title)]
    sources += [
        ("label", True, label[len(_LABEL_PREFIX) :])
        for label in pr.labels
        if label.lower().startswith(_LABEL_PREFIX)
    ]
    sources += [
        ("Planner-Task line", True, m.group(1)) for m in _TRAILER.finditer(pr.body[:65_536])
    ]
    return sources


def named_issues(pr: PullRequest) -> list[int]:
    """The planning issues a pull request names a task of, with its issue, in a form only
    a task name takes (a ``planner/42/M1-T2`` branch, a label, a Planner-Task line), in
    the order found: the plans :func:`name_task` must be given when none is at hand."""
    found = [
        m.issue
        for where, explicit, text in _sources(pr)
        if explicit
        for m in _mentions(text, where, explicit, set())
        if m.issue is not None
    ]
    return list(dict.fromkeys(found))


def name_task(
    contracts: list[Contract], pr: PullRequest, *, explicit_only: bool = False
) -> tuple[NamedTask | None, list[Finding]]:
    """The task the pull request names, or None for a planning change; errors when the
    name is unknown, ambiguous or names two different tasks.

    Names with their issue are taken first; a bare id then agrees with one of them, or
    must be the id of exactly one task across the contracts. A ``<number>/<word>`` in a
    title or an ordinary branch that matches no task is not a name (``Part 1/2``).
    ``explicit_only``: only a ``planner/`` branch, a ``task:`` label or a Planner-Task
    line names the task (merged work: a title alone finishes nothing)."""
    by_id = _ids(contracts)
    mentions = [
        m
        for where, explicit, text in _sources(pr)
        if explicit or not explicit_only
        for m in _mentions(text, where, explicit, set(by_id))
    ]
    named: dict[str, NamedTask] = {}
    findings: list[Finding] = []
    for mention in (m for m in mentions if m.issue is not None):
        matches = [
            m for m in by_id.get(mention.id.upper(), []) if m.contract.issue.number == mention.issue
        ]
        if matches:
            named.setdefault(matches[0].name, matches[0])
        elif mention.explicit:
            findings.append(
                finding(
                    "check-task-unknown",
                    f"The {mention.where} names task {mention.issue}/{mention.id}, which the "
                    "base branch's plan does not have. Name a task of a contract on the base "
                    "branch (a plan's own pull request is merged before its tasks').",
                )
            )
    for mention in (m for m in mentions if m.issue is None):
        matches = by_id[mention.id.upper()]
        agreeing = [m for m in matches if m.name in named]
        if agreeing:
            continue
        if len(matches) > 1:
            findings.append(
                finding(
                    "check-task-ambiguous",
                    f"The {mention.where} names task {mention.id}, which several plans have "
                    f"({', '.join(m.name for m in matches)}). Name it with its issue: branch "
                    "planner/<issue>/<task>, a 'Planner-Task: #<issue>/<task>' line in the body "
                    "or a label task:<issue>/<task>.",
                )
            )
            continue
        named.setdefault(matches[0].name, matches[0])
    if findings:
        return None, findings
    if len(named) > 1:
        return None, [
            finding(
                "check-task-conflict",
                f"This pull request names {len(named)} different tasks ({', '.join(named)}); "
                "a pull request works on one task. Rename the branch or fix the title, "
                "labels and Planner-Task line so that they agree.",
            )
        ]
    return next(iter(named.values()), None), []


# ------------------------------------------------------------------------------ readiness


def not_ready(named: NamedTask) -> str | None:
    """Why the named task may not be worked on now, or None when it is ready: not done,
    its milestone not done, every milestone it waits on done, every task it depends on
    done, no open decision blocking its milestone, and, for verification-only work, no
    feature work open that plan mode holds it back for (seed rule 7)."""
    contract, milestone, task = named.contract, named.milestone, named.task
    status = {m.id: m.status for m in contract.roadmap.milestones}
    done_tasks = {t.id for m in contract.roadmap.milestones for t in m.tasks if t.status == "done"}
    if task.status == "done":
        return f"task {named.name} is already done in the base branch's plan"
    if milestone.status == "done":
        return f"its milestone {milestone.id} is already done"
    waiting = [d for d in milestone.dependencies if status.get(d) != "done"]
    if waiting:
        return (
            f"its milestone {milestone.id} waits on {', '.join(waiting)}, not done yet "
            f"(the focus is {contract.roadmap.focus or 'none'})"
        )
    pending = [d for d in task.depends_on if d not in done_tasks]
    if pending:
        return f"it depends on {', '.join(pending)}, not done yet"
    blockers = [d.id for d in contract.decisions if milestone.id in d.blocks]
    if blockers:
        return f"its milestone {milestone.id} waits on open decision {', '.join(blockers)}"
    held = [
        d for d in defer_verification(milestone, contract.roadmap.milestones) if d.task == task.id
    ]
    if held:
        return (
            f"it is verification-only work and feature work is still open ({held[0].reason}); "
            "feature work comes first (seed rule 7)"
        )
    return None


# ------------------------------------------------------------------------------ the check


_CONTRACT_NAME = LazyPattern(r"(?:^|/)planning-output-([1-9]\d{0,8})\.json$")
_CONTRACT_FILE = LazyPattern(r"(?:^|/)planning-output-[^/]*\.json$")


def contract_number(name: str) -> int | None:
    """The issue number a contract's file name gives, written as the planner writes it
    (``planning-output-42.json``; not ``-042``, which would be a second file for #42)."""
    match = _CONTRACT_NAME.search(name)
    return int(match.group(1)) if match else None


def is_contract_file(name: str) -> bool:
    """Whether a path is named as a contract is, canonically or not."""
    return _CONTRACT_FILE.search(name) is not None


def contracts_by_issue(loaded: list[tuple[str, Contract]]) -> tuple[list[Contract], list[Finding]]:
    """The contracts a gate may judge by: each under the name of its own issue, one per
    issue. A contract filed under another issue's number (a copy, perhaps widened) is
    refused, and two for one issue are both refused: never a silent choice."""
    findings: list[Finding] = []
    by_issue: dict[int, list[tuple[str, Contract]]] = {}
    for name, contract in loaded:
        number = contract_number(name)
        if number != contract.issue.number:
            findings.append(
                finding(
                    "contract-issue-mismatch",
                    fix="It is not used.",
                    number=contract.issue.number,
                    file=name,
                )
            )
            continue
        by_issue.setdefault(number, []).append((name, contract))
    kept: list[Contract] = []
    for number, entries in sorted(by_issue.items()):
        if len(entries) > 1:
            findings.append(
                finding(
                    "check-duplicate-contract",
                    f"Issue #{number} has {len(entries)} contracts "
                    f"({', '.join(n for n, _ in entries)}); none is used. Keep one.",
                )
            )
            continue
        kept.append(entries[0][1])
    return kept, findings


@dataclass(frozen=True)
class Pull:
    """One pull request as the gate's rules see it: the task it names (None: a planning
    change), what it changes, the planning paths, the paths no task may change, and its
    labels."""

    named: NamedTask | None
    changes: list[FileChange]
    planning: list[str]
    guarded: list[str]
    labels: tuple[str, ...] = ()

    @cached_property
    def touched(self) -> list[str]:
        """Every path changed, and the target of every symbolic link changed."""
        return [c.path for c in self.changes] + [
            c.target for c in self.changes if c.kind == "symlink" and c.target is not None
        ]

    @cached_property
    def boundary(self) -> list[str]:
        return self.named.task.diff_boundary.paths if self.named else []

    @cached_property
    def beyond(self) -> tuple[list[str], list[str]]:
        """Paths outside the boundary (planning paths aside): those a widen label
        admitted, and those still outside."""
        outside = sorted(
            {
                p
                for p in self.touched
                if not in_any(p, self.boundary) and not in_any(p, self.planning)
            }
        )
        if not outside or WIDEN_LABEL not in self.labels:
            return [], outside
        return (
            [p for p in outside if not in_any(p, self.guarded)],
            [p for p in outside if in_any(p, self.guarded)],
        )

    @property
    def task(self) -> NamedTask:
        """The named task (the task rules run only when there is one)."""
        assert self.named is not None
        return self.named

    @cached_property
    def in_scope(self) -> list[FileChange]:
        """Changes the boundary holds, or the widen label admitted (outside: the boundary
        check says): both are held to the same rules."""
        admitted, _ = self.beyond
        scope = [*self.boundary, *admitted]
        return [c for c in self.changes if in_any(c.path, scope)]

    def about_task(self, rule: str, message: str) -> Finding:
        """A finding of the named task."""
        return finding(rule, message, milestone=self.task.milestone.id, task=self.task.task.id)


GateRule = Callable[[Pull], Iterable[Finding]]


def _symlinks_outside(pull: Pull) -> Iterable[Finding]:
    for c in pull.changes:
        if c.kind == "symlink" and c.target is None:
            yield finding(
                "check-symlink-outside",
                f"{c.path} is a symbolic link to {one_line(c.link or '', 200)!r}, which leads "
                "outside the repository (or into a loop of links, or is longer than the 4,096 "
                "bytes a system follows); a pull request may not add such links.",
            )


def _paths_git_refuses(pull: Pull) -> Iterable[Finding]:
    refused = sorted({c.path for c in pull.changes if refused_by_git(c.path)})
    if refused:
        yield finding(
            "check-path-invalid",
            f"This pull request changes {_shown(refused)}: a path git refuses to check out "
            "(a name that is empty, '.', '..' or git's own '.git'), which could only have "
            "been pushed as hand-made tree objects. Remove it.",
        )


def _planning_change_only(pull: Pull) -> Iterable[Finding]:
    outside = sorted({p for p in pull.touched if not in_any(p, pull.planning)})
    if outside:
        yield finding(
            "seed-1-no-production-code",
            "This pull request names no planned task, so it is a planning change, and "
            f"planning changes touch only planning files ({', '.join(pull.planning)}); "
            f"it also changes {_shown(outside)}. Name the task it works on (branch "
            "planner/<issue>/<task>, a 'Planner-Task: #<issue>/<task>' line in the body "
            "or a label task:<issue>/<task>), or move those changes to a task's pull "
            "request.",
        )


def _task_ready(pull: Pull) -> Iterable[Finding]:
    """A task whose boundary the plan would never hand out is not ready, whatever the
    contract says: naming it by hand gains nothing."""
    task = pull.task.task
    reason = not_ready(pull.task)
    if reason is None:
        held, _ = hold_unsafe([task], pull.guarded, "")
        if held:
            reason = f"it is never handed out: its {held[task.id].reason}"
    if reason:
        yield pull.about_task(
            "check-task-not-ready",
            f"This pull request works on {pull.task.name}, which is not ready: {reason}. "
            "Work on a task of the current wave (the plan's matrix output).",
        )


def _task_changes_something(pull: Pull) -> Iterable[Finding]:
    if not pull.changes:
        yield pull.about_task(
            "check-task-empty",
            f"This pull request names task {pull.task.name} but changes no file; merged, it "
            "would mark the task done with nothing done. Push the task's change, or name "
            "no task.",
        )


def _no_planning_files(pull: Pull) -> Iterable[Finding]:
    planning = sorted({p for p in pull.touched if in_any(p, pull.planning)})
    if planning:
        yield pull.about_task(
            "check-planning-files",
            f"A task's pull request may not change planning files; {pull.task.name} changes "
            f"{_shown(planning)}. Change the plan in its own pull request (naming no task).",
        )


def _widened(pull: Pull) -> Iterable[Finding]:
    admitted, _ = pull.beyond
    if admitted:
        yield pull.about_task(
            "check-widened",
            f"The label {WIDEN_LABEL} admitted {_shown(admitted)}, outside task "
            f"{pull.task.name}'s boundary ({', '.join(pull.boundary)}). To widen the plan "
            f"itself, add '- paths: {', '.join(admitted[:5])}' under the task in the "
            "issue.",
        )


def _within_boundary(pull: Pull) -> Iterable[Finding]:
    _, outside = pull.beyond
    if outside:
        boundary = pull.boundary
        proposed = pull.task.task.diff_boundary.source == "proposed"
        yield pull.about_task(
            "check-diff-boundary",
            f"Task {pull.task.name} may change only {', '.join(boundary)}"
            f"{' (proposed by the planner from the repository)' if proposed else ''}; "
            f"this pull request also changes {_shown(outside)} (a symbolic link counts by "
            "its own path and by its target). If the task needs them, add "
            f"'- paths: {', '.join([*boundary, *outside][:8])}' under the task in the "
            f"issue, or a maintainer adds the label {WIDEN_LABEL} to this pull request "
            "(protected paths stay refused).",
        )


def _no_protected_paths(pull: Pull) -> Iterable[Finding]:
    shielded = sorted(
        {
            p
            for p in pull.touched
            if in_any(p, pull.boundary) and in_any(p, pull.guarded) and not in_any(p, pull.planning)
        }
    )
    if shielded:
        yield pull.about_task(
            "check-protected-paths",
            f"Task {pull.task.name} changes protected paths: {_shown(shielded)}. No task's "
            "pull request may change them, whatever its paths say: narrow the task's "
            "paths, or, if agents may change them, leave them out of protected_paths in "
            ".github/planner.yml.",
        )


def _gitattributes(pull: Pull) -> Iterable[Finding]:
    """A .gitattributes can mark files binary, hide their diffs or run filters on
    checkout: allowed only where the boundary names it."""
    named = any(g.rsplit("/", 1)[-1] == ".gitattributes" for g in pull.boundary)
    attributes = [c.path for c in pull.in_scope if c.path.rsplit("/", 1)[-1] == ".gitattributes"]
    if attributes and not named:
        yield pull.about_task(
            "check-gitattributes",
            f"Task {pull.task.name} changes {_shown(attributes)}, which changes how git "
            "shows and checks out files (binary marks, diff drivers, filters), so the diff "
            "may not show what the pull request does. Name the file in the task's paths "
            "if the task is to change it.",
        )


def _lfs_pointers(pull: Pull) -> Iterable[Finding]:
    """Git LFS pointers: the counted lines are the pointer's, not the content's."""
    pointers = [c.path for c in pull.in_scope if c.lfs]
    if pointers:
        yield pull.about_task(
            "check-lfs-pointer",
            f"Task {pull.task.name} adds or changes Git LFS pointers ({_shown(pointers)}): "
            "their content is stored outside git, so its size is not counted. Review the "
            "files themselves.",
        )


def _diff_scope(pull: Pull) -> Iterable[Finding]:
    total = sum(c.added + c.deleted for c in pull.changes)
    allowed = pull.task.task.diff_boundary.max_diff_scope
    if total > allowed:
        exact = all(c.exact for c in pull.changes)
        binaries = [c.path for c in pull.changes if c.binary]
        note = (
            f" Binary files count one line per {BINARY_LINE_BYTES} bytes: {_shown(binaries)}."
            if binaries
            else ""
        )
        yield pull.about_task(
            "check-diff-scope",
            f"Task {pull.task.name} allows {allowed} changed lines; this pull request changes "
            f"{'' if exact else 'at least '}{total}.{note} Split it, or raise 'diff:' in the "
            "plan.",
        )


EVERY_PULL: tuple[GateRule, ...] = (_symlinks_outside, _paths_git_refuses)
"""Rules for every pull request, in the order their findings are reported."""
PLANNING_CHANGE: tuple[GateRule, ...] = (_planning_change_only,)
"""Rules for a pull request that names no task."""
TASK_CHANGE: tuple[GateRule, ...] = (
    _task_ready,
    _task_changes_something,
    _no_planning_files,
    _widened,
    _within_boundary,
    _no_protected_paths,
    _gitattributes,
    _lfs_pointers,
    _diff_scope,
)
"""Rules for a task's pull request."""


def check_pull_request(
    named: NamedTask | None,
    changes: list[FileChange],
    planning_paths: list[str],
    protected: list[str] | None = None,
    *,
    labels: tuple[str, ...] = (),
) -> list[Finding]:
    """Hold the pull request's changes to the task :func:`name_task` found (None: a
    planning change) and to the planning paths of the base's config (``protected``: the
    globs plan mode holds back; the planning paths when not given)."""
    guarded = protected if protected is not None else planning_paths
    pull = Pull(named, changes, planning_paths, guarded, labels)
    chain = EVERY_PULL + (PLANNING_CHANGE if named is None else TASK_CHANGE)
    return [found for rule in chain for found in rule(pull)]
