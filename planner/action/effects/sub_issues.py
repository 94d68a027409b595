"""The plan's tasks as sub-issues of the planning issue (PRODUCT.md §7): one made and
linked for each task that has none yet, up to GitHub's limit of sub-issues per parent."""

from __future__ import annotations

from functools import partial

from planner.action.effects.calls import Calls
from planner.action.effects.markers import by_marker, safe_text, task_marker
from planner.core.text import one_line
from planner.model import Fanout, FanoutTask, Finding

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
    def __init__(self, calls: Calls) -> None:
        self.calls = calls

    def sync(self, fanout: Fanout) -> None:
        """Make and link a sub-issue for each task that has none (found by its hidden
        marker); one that exists is left as it is."""
        calls = self.calls
        n = calls.planning.number
        current = calls.attempt("listing sub-issues", lambda: calls.port.list_sub_issues(n))
        if current is None:
            return
        linked = by_marker(current, f"<!-- planner-task: {n}/")
        room = SUB_ISSUE_LIMIT - len(current)
        for t in fanout.tasks:
            if t.id in linked:
                continue
            if room <= 0:
                calls.report.findings.append(
                    Finding(
                        rule="github-sub-issue-limit",
                        severity="warning",
                        message=f"#{n} already has {SUB_ISSUE_LIMIT} sub-issues (GitHub's limit); "
                        f"no sub-issue was made for {t.id} and later tasks.",
                    )
                )
                return
            title = one_line(f"{t.id}: {safe_text(t.title)}", 200)
            created = calls.attempt(
                f"creating sub-issue for {t.id}",
                partial(calls.port.create_issue, title, sub_issue_body(n, t), []),
            )
            if created is not None:
                calls.attempt(
                    f"linking sub-issue for {t.id}",
                    partial(calls.port.add_sub_issue, n, created.id),
                )
                room -= 1
