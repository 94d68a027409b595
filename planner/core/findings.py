"""Every rule the planner reports, in one table, and ``finding()``, which takes a rule's
severity from it: so one rule cannot be an error in one place and a warning in another
by mistake, and the README's table can be checked against this one."""

from __future__ import annotations

from dataclasses import dataclass

from planner.model import Finding, Location, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    severities: tuple[Severity, ...]
    """The severities the rule may have; the first is the one it usually has."""
    summary: str
    """When it is reported, in a line (the README's table says the same)."""

    @property
    def seed(self) -> int | None:
        """The seed rule it enforces (``seed-3-…`` enforces rule 3), if any."""
        parts = self.id.split("-")
        return int(parts[1]) if parts[0] == "seed" and parts[1].isdigit() else None


def _rules(rows: dict[str, tuple[tuple[Severity, ...], str]]) -> dict[str, Rule]:
    return {rule: Rule(rule, severities, summary) for rule, (severities, summary) in rows.items()}


RULES: dict[str, Rule] = _rules(
    {
        "seed-2-one-focus": (
            ("warning", "error"),
            "several milestones in progress; or none can be focused",
        ),
        "seed-3-acceptance": (
            ("warning",),
            "a milestone without acceptance criteria (one is derived from its outcome)",
        ),
        "seed-3-validation": (
            ("notice",),
            "a milestone without a validation strategy (the default acceptance tests are used)",
        ),
        "seed-4-assumptions": (("warning",), "the request records no assumptions or unknowns"),
        "seed-6-task-contract": (("error",), "a task without a diff boundary"),
        "seed-7-feature-first": (
            ("warning", "error"),
            "a verification-only task deferred while feature work is open (an error when a "
            "fanout holds it)",
        ),
        "seed-8-concrete-objective": (
            ("error", "warning"),
            "a developer task without an implementation verb and/or code location",
        ),
        "graph-cycle": (
            ("error",),
            "milestones or tasks depend on each other in a cycle (the path is printed)",
        ),
        "graph-unknown-dependency": (
            ("error", "warning"),
            "a dependency names no milestone or task (a warning where the entry is dropped or "
            "the task put in the first milestone)",
        ),
        "graph-duplicate-id": (("error",), "an id used twice"),
        "diff-scope-exceeds-milestone": (
            ("warning",),
            "a task allows more changed lines than its milestone",
        ),
        "path-outside-repo": (
            ("error",),
            "an absolute path, `..`, or a backslash in a task's paths",
        ),
        "decision-blocks": (("warning",), "the focus milestone waits on an open decision"),
        "decision-options": (("notice",), "a decision lists no options"),
        "draft-invalid": (
            ("error",),
            "a fenced or file draft that does not fit the contract's shape",
        ),
        "request-unstructured": (
            ("warning",),
            "no recognised section: one milestone was planned from the title and body",
        ),
        "request-bad-hint": (
            ("warning",),
            "a hint value that is not understood (the allowed values are listed)",
        ),
        "request-too-large": (("warning",), "the body is over 65,536 characters"),
        "request-bad-id": (
            ("warning",),
            "a milestone id with characters other than letters, digits, `.`, `_`, `-` (a "
            "generated id is used)",
        ),
        "plan-file-markers": (
            ("error",),
            "a managed block's markers are broken; the file is left unchanged",
        ),
        "plan-complete": (("notice",), "every milestone is done"),
        "fanout-skipped": (("notice",), "fewer ready tasks than `fanout.min_tasks`"),
        "matrix-limit": (("notice",), "more than 256 ready tasks"),
        "contract-schema": (
            ("error",),
            "a contract that fails its JSON Schema (`validate` mode, or a bug)",
        ),
        "fanout-schema": (
            ("error",),
            "a fanout that fails its JSON Schema (`validate` mode, or a bug)",
        ),
        "json-invalid": (("error",), "`validate` mode: a contract or fanout that is not JSON"),
        "fanout-not-focus": (
            ("error",),
            "`validate` mode: the fanout is not for the contract's focus milestone",
        ),
        "fanout-unknown-task": (
            ("error",),
            "`validate` mode: a fanout task that is not a task of its milestone",
        ),
        "fanout-wave-order": (
            ("error",),
            "`validate` mode: a task in the same or an earlier wave than a task it depends on",
        ),
        "fanout-path-overlap": (
            ("error",),
            "`validate` mode: two tasks of one wave whose paths overlap",
        ),
        "check-diff-boundary": (
            ("error",),
            "`check` mode: the pull request changes files outside its task's paths",
        ),
        "check-diff-scope": (
            ("error",),
            "`check` mode: the pull request changes more lines than its task allows",
        ),
        "seed-1-no-production-code": (
            ("error",),
            "`check` mode: a pull request naming no task changes more than planning files",
        ),
        "contract-missing": (("error",), "`validate` mode found no contract to check"),
        "github-side-effect": (
            ("warning", "error"),
            "a decision issue, comment or sub-issue could not be made (outages are warnings; "
            "a missing permission is an error)",
        ),
        "github-sub-issue-limit": (
            ("warning",),
            "the planning issue already has GitHub's maximum of sub-issues",
        ),
        "artifact-upload": (
            ("warning",),
            "the artifact was not uploaded; the files are in the workspace",
        ),
        "artifact-not-uploaded": (
            ("warning",),
            "no runtime token or results URL: the artifact was not uploaded; the files are in "
            "the workspace",
        ),
        "offline": (("notice",), "no token: no side effects"),
    }
)


def finding(
    rule: str,
    message: str,
    *,
    severity: Severity | None = None,
    milestone: str | None = None,
    task: str | None = None,
    line: int | None = None,
    file: str | None = None,
) -> Finding:
    """A finding of a rule in ``RULES``, with the rule's usual severity unless one of its
    others is asked for."""
    known = RULES[rule]
    chosen = severity or known.severities[0]
    if chosen not in known.severities:
        raise ValueError(f"rule {rule} is never a {chosen}")
    return Finding(
        rule=rule,
        severity=chosen,
        message=message,
        location=Location(milestone=milestone, task=task, line=line, file=file),
    )
