"""The one summary comment on the planning issue (PRODUCT.md §7): posted once, then
edited in place; a second one that two runs at once both posted is deleted, the oldest
stays."""

from __future__ import annotations

from functools import partial

from planner.action.effects.calls import Calls
from planner.action.effects.markers import comment_marker
from planner.action.github import CommentInfo, GitHubError
from planner.core.text import neutralize_mentions

COMMENT_LIMIT = 65_000  # characters of the comment; GitHub refuses a body over 65,536


class SummaryComment:
    def __init__(self, calls: Calls) -> None:
        self.calls = calls
        self._read: list[CommentInfo] | None = None  # the planner's comments, read once

    def sync(self, summary: str) -> int | None:
        """Post or update the summary comment; its id, or None when it could not be
        read or written. After posting, the comments are read again and a duplicate from a
        concurrent run is deleted (the oldest stays)."""
        calls = self.calls
        n = calls.planning.number
        marker = comment_marker(n)
        body = f"{marker}\n{neutralize_mentions(summary)}"[:COMMENT_LIMIT]
        me = calls.account()
        if me is None:
            return None
        mine = self._read
        if mine is None:
            mine = calls.own_comments(n, marker, me, "reading the planning issue's comments")
        if mine is None:
            return None
        if not mine:
            made = calls.attempt(
                "posting the summary comment", partial(calls.port.create_comment, n, body)
            )
            if made is None:
                return None
            me = calls.learn_account(made.author, me)
            again = calls.own_comments(n, marker, me, "reading the comments again") or [made]
            self._delete_duplicates(again)
            return again[0].id
        self._delete_duplicates(mine)
        keep = mine[0]
        if keep.body != body:
            calls.attempt(
                "updating the summary comment", partial(calls.port.edit_comment, n, keep.id, body)
            )
        return keep.id

    def read(self) -> str | None:
        """The text of the planner's own summary comment (the oldest, if two runs both
        posted one), or None when there is none or it cannot be read (a finding says so)."""
        calls = self.calls
        me = calls.account()
        if me is None:
            return None
        n = calls.planning.number
        mine = calls.own_comments(n, comment_marker(n), me, "reading the summary comment")
        self._read = mine  # the update after planning starts from this reading
        return mine[0].body if mine else None

    def _delete_duplicates(self, comments: list[CommentInfo]) -> None:
        for extra in comments[1:]:
            try:
                self.calls.port.delete_comment(self.calls.planning.number, extra.id)
            except GitHubError as exc:
                if exc.status != 404:  # 404: a concurrent run deleted it first
                    self.calls.report.failed("deleting a duplicate summary comment", exc, "warning")
