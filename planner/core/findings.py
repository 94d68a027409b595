"""Every rule the planner reports, in one table, and ``finding()``, which takes a rule's
severity from it: so one rule cannot be an error in one place and a warning in another
by mistake, and the README's table can be checked against this one."""

from __future__ import annotations

from collections.abc import Mapping
from string import Formatter
from typing import NamedTuple

from planner.model import Finding, Location, Severity


class Rule(NamedTuple):
    id: str
    severities: tuple[Severity, ...]
    """The severities the rule may have; the first is the one it usually has. None: the
    rule is a reason in the fanout's ``deferred[]``, never a finding."""
    summary: str
    """When it is reported, in a line (the README's table says the same)."""
    says: Mapping[str, str] = {}
    """What a finding of the rule says, by shape, for a rule reported in several places
    (plan mode on a request, ``validate`` on a contract, ``check`` on a pull request):
    each place gives the facts and its own fix, never its own wording of the fault."""

    def fields(self, shape: str = "") -> set[str]:
        """The facts a shape of the rule's message needs."""
        return {name for _, name, _, _ in Formatter().parse(self.says[shape]) if name}

    @property
    def seed(self) -> int | None:
        """The seed rule it enforces (``seed-3-…`` enforces rule 3), if any."""
        parts = self.id.split("-")
        return int(parts[1]) if parts[0] == "seed" and parts[1].isdigit() else None


_Row = tuple[tuple[Severity, ...], str] | tuple[tuple[Severity, ...], str, Mapping[str, str]]


def _rules(rows: dict[str, _Row]) -> dict[str, Rule]:
    return {rule: Rule(rule, *row) for rule, row in rows.items()}


RULES: dict[str, Rule] = _rules(
    {
        "seed-2-one-focus": (
            ("warning", "error"),
            "several milestones in progress; or none can be focused",
            {
                "several": "Milestones {ids} are all in progress; keep one focused milestone at a "
                "time (seed rule 2).",
                "none": "No milestone can be focused: every milestone not done waits on another.",
                "not-chosen": "roadmap.focus is {given} but should be {expected}: the first "
                "milestone not done whose dependencies are done, passing over one of "
                "verification work only while feature work is open (seed rules 2 and 7).",
            },
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
            {"": "{what} depend on each other in a cycle: {path} (each needs the one before it)."},
        ),
        "graph-waits-on-later": (
            ("warning",),
            "a task waits on an open task of a later milestone: it is never ready while its "
            "own milestone is the focus",
        ),
        "graph-self-dependency": (
            ("warning",),
            'a task names itself as a dependency ("needs T4 GPUs" on T4): dropped, since a '
            "task cannot wait on itself",
            {"": "Task {task} names itself as a dependency ('{name}'); dropped."},
        ),
        "graph-unknown-dependency": (
            ("error", "warning"),
            "a dependency names no milestone or task (in a contract `validate` checks; in a "
            "request a warning: the name is dropped)",
            {"": "{who} {relation} '{name}', which is no {kind} of this plan."},
        ),
        "graph-duplicate-id": (
            ("error",),
            "an id used twice",
            {
                "": "{what} id '{id}' is used twice.",
                "or-invalid": "{what} id '{id}' is used twice or is not a valid id.",
            },
        ),
        "contract-issue-mismatch": (
            ("error",),
            "`validate` and `check`: a contract whose `issue.number` is not the one in its "
            "file name (in `check`, on the base it is not used; in a planning change it is "
            "refused)",
            {
                "": "{file} holds the contract of issue #{number}; a contract lives only under "
                "its own issue's number (planning-output-{number}.json)."
            },
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
            {
                "": "More changed lines are allowed to {tasks} than to milestone {milestone} "
                "({scope})."
            },
        ),
        "path-outside-repo": (
            ("error", "warning"),
            "an absolute path, `..`, or a backslash in a task's paths (a warning where its "
            "text only mentions it: dropped)",
            {"": "Task {task}: path {problem}."},
        ),
        "boundary-unbounded": (
            ("error",),
            "a ready task whose paths match every file (`**`, `*`, `**/*`): held back, not "
            "handed out",
            {"": "Task {task}: paths {paths} match every file."},
        ),
        "boundary-protected": (
            ("warning", "error"),
            "a task whose paths touch `protected_paths` or the planning files: held back when "
            "ready (a warning in a contract, an error in a fanout `validate` checks)",
            {"": "Task {task}: paths {paths} touch protected paths ({touched})."},
        ),
        "boundary-lookalike": (
            ("error",),
            "a ready task whose path holds invisible or direction-changing characters, or "
            "letters of two scripts in one name: held back",
            {"": "Task {task}: path {path} holds {why}, so it may not be the path it looks like."},
        ),
        "decision-blocks": (
            ("warning", "error"),
            "the focus milestone waits on an open decision (an error when a fanout hands out "
            "its tasks)",
            {"": "Milestone {milestone} waits on open decision {decisions}."},
        ),
        "decision-issue-limit": (
            ("warning",),
            "more open major decisions, and issues decisions name, than "
            "`decisions.max_issues`: the rest get no issue (none raised, none marked)",
        ),
        "decision-names-plan": (
            ("notice",),
            "a decision names an issue that is a plan of its own (the planner's summary "
            "comment on it, or its contract in the checkout): it is not labelled or "
            "commented on",
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
        "tracked-issue-unread": (
            ("notice",),
            "an issue a task line only names (`- [ ] #12`) could not be read; the line keeps "
            "the number as its title and is not handed out",
        ),
        "done-merged": (
            ("notice",),
            "a merged pull request marked its task done; the matrix holds what it made ready",
        ),
        "done-no-task": (
            ("notice", "warning"),
            "a merged pull request names no task of a plan (or of an issue the planner never "
            "planned), or its task is done already: nothing changes (a warning when the name "
            "is unknown or ambiguous)",
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
    message: str | None = None,
    /,
    *,
    shape: str = "",
    fix: str = "",
    severity: Severity | None = None,
    milestone: str | None = None,
    task: str | None = None,
    line: int | None = None,
    file: str | None = None,
    pointer: str | None = None,
    **facts: object,
) -> Finding:
    """A finding of a rule in ``RULES``, with the rule's usual severity unless one of its
    others is asked for. A rule that ``says`` its message gets the facts (the location's
    milestone, task and file among them) and the fix that suits where it is reported;
    any other rule gets its message whole."""
    known = RULES[rule]
    if not known.severities:
        raise ValueError(f"rule {rule} is a fanout's reason to defer a task, not a finding")
    chosen = severity or known.severities[0]
    if chosen not in known.severities:
        raise ValueError(f"rule {rule} is never a {chosen}")
    if known.says:
        if message is not None:
            raise ValueError(f"rule {rule} says its own message: give its facts")
        said = known.says[shape].format(milestone=milestone, task=task, file=file, **facts)
        message = f"{said} {fix}" if fix else said
    elif message is None or shape or fix or facts:
        raise ValueError(f"rule {rule} has no message of its own: give it whole")
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
