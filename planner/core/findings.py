"""Every rule the planner reports, in one table, and ``finding()``, which takes a rule's
severity from it: so one rule cannot be an error in one place and a warning in another
by mistake, and the README's table can be checked against this one."""

from __future__ import annotations

from typing import NamedTuple

from planner.model import Finding, Location, Severity


class Rule(NamedTuple):
    id: str
    severities: tuple[Severity, ...]
    """The severities the rule may have; the first is the one it usually has. None: the
    rule is a reason in the fanout's ``deferred[]``, never a finding."""
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
        "seed-6-task-contract": (
            ("warning",),
            "`validate`: an open task with an empty diff boundary (it cannot be handed out)",
        ),
        "task-not-a-change": (
            ("notice",),
            "a task of the focus that states no path and reads as a state, a count or a "
            'criterion ("All tests pass", "Setup Phase: 8 tasks", "Coverage ≥80%"), '
            "not a change: kept in the plan, not handed out",
        ),
        "identity-unsure": (
            ("notice",),
            "a milestone or task reads somewhat like one of the previous plan, not enough to "
            "be sure: it got a new id (write it as it was, or give it its id)",
        ),
        "identity-memory-lost": (
            ("warning",),
            "the hidden line of the summary comment that keeps the plan's ids was edited or "
            "cut: ids were matched afresh from the issue's text",
        ),
        "needs-boundary": (
            ("warning",),
            "a ready task of the focus with no stated boundary and none proposed with "
            "confidence: held back, with the best candidates and the `paths:` line to add",
        ),
        "seed-7-feature-first": (
            ("warning", "error"),
            "a verification-only task deferred, or a milestone of verification work only "
            "passed over for the focus, while feature work is open anywhere in the plan; or one "
            "kept first because feature work depends on it (an error in a fanout that "
            "`validate` checks)",
        ),
        "seed-8-concrete-objective": (
            ("warning",),
            "a developer task without an implementation verb and/or code location",
        ),
        "graph-cycle": (
            ("error",),
            "milestones or tasks depend on each other in a cycle (the path is printed)",
        ),
        "graph-unknown-dependency": (
            ("error", "warning"),
            "a dependency names no milestone or task (a warning where the name is dropped: a "
            "decision's `blocks`, a task's `milestone:` hint)",
        ),
        "graph-duplicate-id": (("error",), "an id used twice"),
        "contract-issue-mismatch": (
            ("error",),
            "`validate` and `check`: a contract whose `issue.number` is not the one in its "
            "file name (in `check`, on the base it is not used; in a planning change it is "
            "refused)",
        ),
        "check-duplicate-contract": (
            ("error",),
            "`check`: two contracts for one issue on the base: neither is used",
        ),
        "fanout-contract-mismatch": (
            ("error",),
            "`validate`: a fanout whose issue or version is not its contract's",
        ),
        "fanout-wider-than-contract": (
            ("error",),
            "`validate`: a fanout task with paths its contract task's do not contain, more "
            "lines, a lower risk, fewer invariants or fewer dependencies",
        ),
        "fanout-not-ready": (
            ("error",),
            "`validate`: a fanout task whose contract dependency is neither done nor handed "
            "out in an earlier wave",
        ),
        "diff-scope-exceeds-milestone": (
            ("warning", "error"),
            "a task allows more changed lines than its milestone (an error in `validate`)",
        ),
        "path-outside-repo": (
            ("error",),
            "an absolute path, `..`, or a backslash in a task's paths",
        ),
        "boundary-unbounded": (
            ("error",),
            "a ready task whose paths match every file (`**`, `*`, `**/*`): held back, not "
            "handed out",
        ),
        "boundary-protected": (
            ("warning", "error"),
            "a ready task whose paths touch `protected_paths` or the planning files: held back",
        ),
        "boundary-lookalike": (
            ("error",),
            "a ready task whose path holds invisible or direction-changing characters, or "
            "letters of two scripts in one name: held back",
        ),
        "decision-blocks": (
            ("warning", "error"),
            "the focus milestone waits on an open decision (an error when a fanout hands out "
            "its tasks)",
        ),
        "decision-issue-limit": (
            ("warning",),
            "more open major decisions than `decisions.max_issues`: the rest get no issue",
        ),
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
        "request-too-large": (
            ("warning",),
            "the body is over 65,536 characters (it is read up to its last complete line)",
        ),
        "request-milestone-without-tasks": (
            ("notice",),
            "a milestone lists no task and its title is no one concrete change, so none of it "
            'can be handed out (one whose title is, "Add CSV export to the report", is its '
            "own single task)",
        ),
        "request-ambiguous-dependency": (
            ("warning",),
            "a stated dependency fits several milestones; none was recorded",
        ),
        "request-parallel-overlap": (("warning",), "two tasks marked `[P]` change the same file"),
        "task-ops": (
            ("notice",),
            "a task that is an operation for a person (run, tag, review …): kept in "
            "the plan, never handed to an agent",
        ),
        "plan-file-markers": (
            ("error",),
            "a managed block's markers are broken (a begin without its end, two of them, a "
            "block begun inside another issue's block, markers after a code fence that never "
            "closes); the file is left unchanged",
        ),
        "fanout-skipped": (("notice",), "fewer ready tasks than `fanout.min_tasks`"),
        "matrix-limit": (("notice",), "more than 256 ready tasks"),
        "github-side-effect": (
            ("warning", "error"),
            "a decision issue, comment or sub-issue could not be made (outages, and a token that "
            "may not write issues, are warnings; a rejected token is an error)",
        ),
        "artifact-upload": (("warning",), "the upload failed; the files are in the workspace"),
        "artifact-not-uploaded": (
            ("warning",),
            "no runtime token or results URL (local use): nothing was uploaded; the files are in "
            "the workspace",
        ),
        "offline": (("notice",), "no token: no side effects"),
        "done-merged": (
            ("notice",),
            "a merged pull request marked its task done; the matrix holds what it made ready",
        ),
        "done-no-task": (
            ("notice", "warning"),
            "a merged pull request names no task of a plan, or its task is done already: "
            "nothing changes (a warning when the name is unknown or ambiguous)",
        ),
        "done-not-ticked": (
            ("warning",),
            "a merged task's box was not ticked: the planning issue changed while it was read, "
            "or has no box for the task",
        ),
        "plan-complete": (("notice",), "every milestone is done"),
        "request-bad-id": (
            ("warning",),
            "a milestone id with characters other than letters, digits, `.`, `_`, `-` (a "
            "generated id is used)",
        ),
        "github-sub-issue-limit": (
            ("warning",),
            "the planning issue already has GitHub's maximum of sub-issues",
        ),
        "contract-missing": (("error",), "`validate` mode found no contract to check"),
        "depends-on-held-task": (
            (),
            "in the fanout's `deferred[]`: a task waiting on a task that was held back",
        ),
        "contract-schema": (
            ("error",),
            "a contract that fails its JSON Schema (`validate` mode, or a bug)",
        ),
        "fanout-schema": (
            ("error",),
            "a fanout that fails its JSON Schema (`validate` mode, or a bug)",
        ),
        "json-invalid": (("error",), "`validate`: a contract or fanout file that is not JSON"),
        "fanout-not-focus": (
            ("error",),
            "`validate`: a fanout for another milestone than the contract's focus",
        ),
        "fanout-unknown-task": (
            ("error",),
            "`validate`: a fanout task that is not a task of its milestone in the contract",
        ),
        "fanout-wave-order": (
            ("error",),
            "`validate`: a fanout task in the same or an earlier wave than a task it depends on",
        ),
        "fanout-path-overlap": (
            ("error",),
            "`validate`: two fanout tasks of one wave whose paths overlap",
        ),
        "seed-1-no-production-code": (
            ("error",),
            "`check`: a pull request naming no task (a planning change) changes files other than "
            "planning files",
        ),
        "check-planning-files": (
            ("error",),
            "`check`: a task's pull request changes planning files (contracts, fanouts, plan "
            "file, specs, config)",
        ),
        "check-diff-boundary": (
            ("error",),
            "`check`: a change (or a symbolic link's target) outside the task's "
            "`diff_boundary.paths`, stated or proposed (the message gives the `paths:` line "
            "that widens it)",
        ),
        "check-gitattributes": (
            ("error",),
            "`check`: a task's pull request changes a `.gitattributes` its paths do not name "
            "(it can hide what a change is: binary marks, diff drivers, filters)",
        ),
        "check-lfs-pointer": (
            ("warning",),
            "`check`: a task's pull request adds or changes Git LFS pointers, whose content "
            "(and its size) is outside git",
        ),
        "check-widened": (
            ("notice",),
            "`check`: the pull request's `planner:widen` label admitted changes outside its "
            "task's boundary (never protected or planning paths); the files are named",
        ),
        "check-diff-scope": (
            ("error",),
            "`check`: more changed lines than the task's `max_diff_scope`",
        ),
        "check-symlink-outside": (
            ("error",),
            "`check`: a symbolic link that leads outside the repository, into a loop, or is "
            "longer than 4,096 bytes",
        ),
        "check-protected-paths": (
            ("error",),
            "`check`: a task's pull request changes a protected path (`protected_paths`) "
            "inside its boundary",
        ),
        "check-task-empty": (
            ("error",),
            "`check`: a task's pull request that changes no file (merged, it would mark the "
            "task done)",
        ),
        "check-path-invalid": (
            ("error",),
            "`check`: a changed path git refuses to check out (a name `..`, `.`, `.git` or empty)",
        ),
        "check-task-unknown": (
            ("error",),
            "`check`: the pull request names `<issue>/<task>` that the base's plan does not have",
        ),
        "check-task-ambiguous": (
            ("error",),
            "`check`: a bare task id that several plans have; name it with its issue",
        ),
        "check-task-conflict": (("error",), "`check`: the pull request names two different tasks"),
        "check-task-not-ready": (
            ("error",),
            "`check`: the task is done, waits on a milestone, a task or an open decision, or is "
            "verification work held back for open feature work",
        ),
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
    pointer: str | None = None,
) -> Finding:
    """A finding of a rule in ``RULES``, with the rule's usual severity unless one of its
    others is asked for."""
    known = RULES[rule]
    if not known.severities:
        raise ValueError(f"rule {rule} is a fanout's reason to defer a task, not a finding")
    chosen = severity or known.severities[0]
    if chosen not in known.severities:
        raise ValueError(f"rule {rule} is never a {chosen}")
    return Finding(
        rule=rule,
        severity=chosen,
        message=message,
        location=Location(milestone=milestone, task=task, line=line, file=file, pointer=pointer),
    )


def rule_table() -> str:
    """The README's table of rules, as Markdown."""
    lines = ["| rule | severity | when |", "| --- | --- | --- |"]
    lines += [
        f"| `{r.id}` | {' / '.join(r.severities) or '(fanout)'} | {r.summary} |"
        for r in RULES.values()
    ]
    return "\n".join(lines) + "\n"
