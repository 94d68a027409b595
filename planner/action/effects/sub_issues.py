"""The plan's tasks as sub-issues of the planning issue (PRODUCT.md §7): one made and
linked for each task that has none yet, up to GitHub's limit of sub-issues per parent."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from functools import partial
from typing import TypeVar

from planner.action.effects.calls import Calls
from planner.action.effects.markers import by_marker, safe_text, task_marker
from planner.action.github import IssueInfo, NamedIssueInfo, written_by
from planner.core.findings import finding
from planner.core.graph import fewest_links
from planner.core.text import one_line
from planner.model import Fanout, FanoutTask

T = TypeVar("T")
SUB_ISSUE_LIMIT = 100  # GitHub's limit of sub-issues per parent


def sub_issue_body(issue: int, task: FanoutTask) -> str:
    """A task's sub-issue: what it is for and the diff it may make."""
    paths = ", ".join(f"`{safe_text(p, 200)}`" for p in task.diff_boundary.paths)
    return (
        f"{task_marker(issue, task.id)}\nTask **{task.id}** of #{issue} (wave {task.wave}, risk "
        f"{task.risk_class}).\n\n**Objective:** {safe_text(task.objective)}\n\n"
        f"**Paths:** {paths} · **Max diff:** {task.diff_boundary.max_diff_scope} lines\n"
    )


class SubIssues:
    def __init__(self, calls: Calls, issue_type: str | None = None) -> None:
        self.calls = calls
        self.issue_type = issue_type
        self.linked: dict[str, IssueInfo] = {}  # each task's sub-issue, after sync()

    def sync(
        self, fanout: Fanout, tracked: Mapping[str, NamedIssueInfo] | None = None
    ) -> dict[str, tuple[int, list[int]]]:
        """Make and link a sub-issue for each task that has none (found by its hidden
        marker in a sub-issue the token's account opened, never in anyone else's); one
        that exists is left as it is. A task that tracks an issue of its own
        (``tracked``: task id -> that issue, a ``- [ ] #12`` line) has that issue for its
        sub-issue, linked while open, and never a copy, nor another task's."""
        calls = self.calls
        n = calls.planning.number
        me = calls.account()
        current = calls.attempt("listing sub-issues", lambda: calls.port.list_sub_issues(n))
        if current is None or me is None:
            return {}
        tracked = tracked or {}
        theirs = {info.id for info in tracked.values()}
        ours = [i for i in current if i.id not in theirs and written_by(i.author, me)]
        linked = by_marker(ours, f"<!-- planner-task: {n}/")
        linked |= {t: i for t, info in tracked.items() for i in current if i.id == info.id}
        room = SUB_ISSUE_LIMIT - len(current)
        kind = self._type(fanout, {*linked, *tracked})
        for t in fanout.tasks:
            if t.id in linked or (t.id in tracked and tracked[t.id].state != "open"):
                continue
            if room <= 0:
                calls.report.findings.append(
                    finding(
                        "github-sub-issue-limit",
                        f"#{n} already has {SUB_ISSUE_LIMIT} sub-issues (GitHub's limit); "
                        f"no sub-issue was made or linked for {t.id} and later tasks.",
                    )
                )
                break
            if t.id in tracked:
                room -= self._link_tracked(t.id, tracked[t.id], linked)
                continue
            title = one_line(f"{t.id}: {safe_text(t.title)}", 200)
            created = calls.attempt(
                f"creating sub-issue for {t.id}",
                partial(calls.port.create_issue, title, sub_issue_body(n, t), [], kind),
            )
            if created is not None:
                calls.attempt(
                    f"linking sub-issue for {t.id}",
                    partial(calls.port.add_sub_issue, n, created.id),
                )
                linked[t.id] = created
                room -= 1
        self._order(fanout, [c for c in current if c.id in {i.id for i in linked.values()}], linked)
        self.linked = linked
        subs = {tid: info.number for tid, info in linked.items()}
        blocked = self._link_dependencies(fanout, subs)
        return {tid: (subs[tid], blocked.get(tid, [])) for tid in subs}

    def _link_tracked(self, task: str, info: NamedIssueInfo, linked: dict[str, IssueInfo]) -> int:
        """Link the issue ``task`` tracks as its sub-issue; 1 when it was."""
        calls = self.calls
        if not calls.succeeds(
            f"linking #{info.number} as the sub-issue of {task}",
            partial(calls.port.add_sub_issue, calls.planning.number, info.id),
        ):
            return 0
        linked[task] = IssueInfo(info.number, info.id, info.url, info.title, "", info.state)
        return 1

    def _type(self, fanout: Fanout, linked: Collection[str]) -> str | None:
        """The issue type new sub-issues get: the configured one, where the organisation
        defines it (read only when a sub-issue is to be made)."""
        if self.issue_type is None or all(t.id in linked for t in fanout.tasks):
            return None
        types = self._linked("reading the organisation's issue types", self.calls.port.issue_types)
        return self.issue_type if types and self.issue_type in types else None

    def _order(self, fanout: Fanout, before: list[IssueInfo], linked: dict[str, IssueInfo]) -> None:
        """The plan's sub-issues listed in the plan's order (its waves, then dependency
        order): each one out of place is moved just after the one before it; the first,
        and sub-issues people added, stay where they are. A replay moves nothing."""
        calls = self.calls
        n = calls.planning.number
        wanted = [linked[t.id] for t in fanout.tasks if t.id in linked]
        made = [i for i in wanted if i.id not in {b.id for b in before}]
        order = [i.id for i in before] + [i.id for i in made]  # as GitHub lists them now
        for prev, item in zip(wanted, wanted[1:], strict=False):
            at = order.index(item.id)
            if at > 0 and order[at - 1] == prev.id:
                continue
            self._linked(
                f"moving sub-issue #{item.number} after #{prev.number}",
                partial(calls.port.move_sub_issue, n, item.id, prev.id),
            )
            order.remove(item.id)
            order.insert(order.index(prev.id) + 1, item.id)

    def _link_dependencies(self, fanout: Fanout, subs: dict[str, int]) -> dict[str, list[int]]:
        """Each sub-issue blocked by the sub-issues of the tasks it waits on, as GitHub's
        issue dependencies: as few links as give the plan's order (none implied by
        others); a link to one of the plan's sub-issues that the plan no longer has is
        removed, links people made to other issues are left alone. A replay writes
        nothing."""
        calls = self.calls
        ours = {number: tid for tid, number in subs.items()}
        wanted = fewest_links(
            [t.id for t in fanout.tasks], {t.id: t.depends_on for t in fanout.tasks}
        )
        blocked: dict[str, list[int]] = {}
        for tid, number in subs.items():
            if tid not in wanted:
                continue  # a sub-issue of a task no longer in the fanout: left as it is
            current = self._linked(
                f"listing what blocks the sub-issue of {tid}",
                partial(calls.port.list_blocked_by, number),
            )
            if current is None:
                continue
            have = {b.number for b in current}
            want = {subs[d] for d in wanted[tid] if d in subs}
            blocked[tid] = sorted(want)
            for blocker in sorted(want - have):
                self._linked(
                    f"marking {tid} blocked by {ours[blocker]}",
                    partial(calls.port.add_blocked_by, number, blocker),
                )
            for blocker in sorted((have & set(ours)) - want):
                self._linked(
                    f"removing {ours[blocker]} from what blocks {tid}",
                    partial(calls.port.remove_blocked_by, number, blocker),
                )
        return blocked

    def _linked(self, what: str, fn: Callable[[], T]) -> T | None:
        """A dependency or order call: its failure is a warning whatever its status (a
        server without issue dependencies answers 404); the sub-issues stand without."""
        return self.calls.attempt(what, fn, "warning")
