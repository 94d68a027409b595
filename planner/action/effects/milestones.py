"""Each plan milestone's sub-issues in a repository milestone of its name (input
``milestones``). The repository milestone is made once: it is looked up by its title among
all milestones, closed ones too, then by the hidden marker the planner put in the
description of one it made (so a milestone renamed in the plan renames its repository
milestone rather than making a second); only when neither exists is it created. A
sub-issue that is in no milestone is put in it; one someone moved to another milestone is
left there. A replay writes nothing."""

from __future__ import annotations

from functools import partial

from planner.action.effects.calls import Calls
from planner.action.effects.markers import safe_text
from planner.action.github import IssueInfo, MilestoneInfo
from planner.core.text import one_line
from planner.model import Contract, Milestone

MILESTONE_TITLE_LIMIT = 200


def milestone_marker(issue: int, milestone_id: str) -> str:
    return f"<!-- planner-milestone: {issue}/{milestone_id} -->"


def milestone_title(milestone: Milestone) -> str:
    """The repository milestone's title: the plan milestone's id and title, one line."""
    return one_line(f"{milestone.id}: {milestone.title}", MILESTONE_TITLE_LIMIT)


def milestone_description(issue: int, milestone: Milestone) -> str:
    """The marker, then the outcome quoted safely: request text can neither mention
    anyone nor forge another milestone's marker (a description is Markdown)."""
    return (
        f"{milestone_marker(issue, milestone.id)}\nThe tasks of milestone {milestone.id} of "
        f"#{issue}: {safe_text(milestone.outcome, 500)}"
    )


class PlanMilestones:
    def __init__(self, calls: Calls) -> None:
        self.calls = calls

    def sync(self, contract: Contract, milestone_id: str, subs: list[IssueInfo]) -> int | None:
        """Put ``subs`` (the sub-issues of the milestone's tasks) in the milestone's
        repository milestone; its number, or None when it could not be had."""
        milestone = next((m for m in contract.roadmap.milestones if m.id == milestone_id), None)
        if milestone is None or not subs:
            return None
        number = self._repository_milestone(milestone)
        if number is None:
            return None
        port = self.calls.port
        for info in subs:
            if info.milestone is None:
                self.calls.attempt(
                    f"putting sub-issue #{info.number} in milestone '{milestone_title(milestone)}'",
                    partial(port.set_milestone, info.number, number),
                )
        return number

    def _repository_milestone(self, milestone: Milestone) -> int | None:
        """The number of the plan milestone's repository milestone: the one the planner
        made for it (found by its marker, renamed to the plan's title when that changed),
        else one of its title that no other plan made (a milestone made by hand is used
        as it is), else a new one. Another planning issue's milestone of the same title
        is never shared: this plan's gets the issue's number after its title."""
        calls = self.calls
        port = calls.port
        existing = calls.attempt("listing the repository's milestones", port.list_milestones)
        if existing is None:
            return None
        n = calls.planning.number
        title = milestone_title(milestone)
        others = [m for m in existing if _MARKER_LEAD in m.description]
        if (taken := _by_title(others, title)) and milestone_marker(n, milestone.id) not in (
            taken.description
        ):
            title = one_line(f"{title} (#{n})", MILESTONE_TITLE_LIMIT)
        marker = milestone_marker(n, milestone.id)
        ours = next((m for m in existing if marker in m.description), None)
        if ours is not None:
            if ours.title != title and _by_title(existing, title) is None:
                calls.attempt(
                    f"renaming milestone '{ours.title}' to '{title}'",
                    partial(port.rename_milestone, ours.number, title),
                )
            return ours.number
        found = _by_title(existing, title)
        if found is not None:
            return found.number
        made = calls.attempt(
            f"creating milestone '{title}'",
            partial(port.create_milestone, title, milestone_description(n, milestone)),
        )
        return made.number if made is not None else None


_MARKER_LEAD = "<!-- planner-milestone: "


def _by_title(milestones: list[MilestoneInfo], title: str) -> MilestoneInfo | None:
    """The milestone of that title: exactly, else ignoring case (one milestone, not two
    that a reader cannot tell apart)."""
    exact = [m for m in milestones if m.title == title]
    folded = [m for m in milestones if m.title.casefold() == title.casefold()]
    return (exact + folded)[0] if exact or folded else None
