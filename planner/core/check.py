"""The ``validate`` and ``check`` modes: holding files and diffs to a contract."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from pydantic import ValidationError

from planner.core import rules
from planner.core.boundaries import Protected, protected_globs
from planner.core.contract_rules import at_pointer, check_fanout, contract_findings, path_findings
from planner.core.findings import finding
from planner.core.jsontext import parse_json
from planner.core.paths import overlapping_pairs
from planner.core.patterns import LazyPattern
from planner.core.text import one_line
from planner.model import (
    Config,
    Contract,
    Fanout,
    FanoutTask,
    Finding,
    Milestone,
    Severity,
    Task,
)
from planner.schemas import schema_findings

_TASK_ID = LazyPattern(r"\b[A-Za-z]{1,3}\d{1,4}-[A-Za-z]{1,3}\d{1,4}\b")


def _parse_checked(text: str, name: str, schema: str) -> tuple[Any, list[Finding]]:
    """JSON text parsed and checked against a committed schema; findings name the file
    and the JSON Pointer of each error."""
    data, findings = parse_json(text, name)
    if data is None:
        return None, findings
    return data, schema_findings(schema, data, file=name)


def validate_contract(
    text: str,
    name: str,
    config: Config,
    fanout_text: str | None = None,
    fanout_name: str | None = None,
) -> list[Finding]:
    """Check a contract (and its fanout) written by anyone, an LLM agent included,
    against the schemas and the seed's rules."""
    data, findings = _parse_checked(text, name, "contract")
    if findings:
        return findings
    contract = Contract.model_validate(data)
    findings += contract_findings(contract, name, config)
    if fanout_text is not None:
        findings.extend(_validate_fanout(contract, fanout_text, fanout_name or "fanout", config))
    return findings


@dataclass(frozen=True)
class _FanoutCheck:
    """A fanout beside its contract, as the fanout checks below see it."""

    contract: Contract
    fanout: Fanout
    name: str
    config: Config

    @cached_property
    def index(self) -> dict[str, int]:
        return {t.id: i for i, t in enumerate(self.fanout.tasks)}

    @cached_property
    def milestone(self) -> Milestone | None:
        ms = self.contract.roadmap.milestones
        return next((m for m in ms if m.id == self.fanout.milestone), None)

    @cached_property
    def planned(self) -> dict[str, Task]:
        return {t.id: t for t in self.milestone.tasks} if self.milestone else {}

    def at(
        self,
        task: FanoutTask,
        rule: str,
        message: str,
        pointer: str = "",
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of fanout task ``task`` at ``pointer`` below it."""
        where = f"/tasks/{self.index[task.id]}{pointer}"
        return finding(
            rule, message, task=task.id, file=self.name, pointer=where, severity=severity
        )

    def needed(self, task: FanoutTask) -> list[str]:
        """The contract's dependencies, whatever the fanout says: a fanout that clears a
        task's depends_on cannot hand it out early."""
        own = self.planned.get(task.id)
        return list(dict.fromkeys([*(own.depends_on if own else []), *task.depends_on]))


def _handed_out_paths(check: _FanoutCheck) -> Iterable[Finding]:
    """A fanout hands out only paths a contract may hold (inside the repository, bounded,
    in plain characters, never protected), held by the same check as the contract's: an
    agent given one could change anything, or the workflows."""
    guard = Protected(protected_globs(check.config))
    for i, t in enumerate(check.fanout.tasks):
        for k, raw in enumerate(t.diff_boundary.paths):
            pointer = f"/tasks/{i}/diff_boundary/paths/{k}"
            for found in path_findings(t, check.fanout.milestone, raw, guard):
                yield at_pointer(found, pointer, check.name)


def _fanout_focus(check: _FanoutCheck) -> Iterable[Finding]:
    fanout, focus = check.fanout, check.contract.roadmap.focus
    if fanout.milestone != focus:
        yield finding(
            "fanout-not-focus",
            f"The fanout is for {fanout.milestone} but the contract's focus is {focus}.",
            file=check.name,
            pointer="/milestone",
        )


def _fanout_tasks_planned(check: _FanoutCheck) -> Iterable[Finding]:
    """Each fanout task is a task of the focus, and none is verification work that seed
    rule 7 holds back while feature work is open."""
    milestone = check.milestone
    all_milestones = check.contract.roadmap.milestones
    held = (
        {d.task: d.reason for d in rules.defer_verification(milestone, all_milestones)}
        if milestone
        else {}
    )
    for t in check.fanout.tasks:
        if t.id not in check.planned:
            yield check.at(
                t,
                "fanout-unknown-task",
                f"Fanout task {t.id} is not a task of {check.fanout.milestone} in the contract.",
                "/id",
            )
        if t.id in held:
            yield check.at(
                t,
                "seed-7-feature-first",
                f"Fanout task {t.id} is verification-only while feature work is open "
                f"({held[t.id]}).",
                severity="error",
            )


def _fanout_dependencies(check: _FanoutCheck) -> Iterable[Finding]:
    """A fanout keeps its contract's dependencies, hands out nothing whose dependencies
    are open, and puts each task in a later wave than what it depends on."""
    waves = {t.id: t.wave for t in check.fanout.tasks}
    done = {t.id for m in check.contract.roadmap.milestones for t in m.tasks if t.status == "done"}
    for t in check.fanout.tasks:
        needed = check.needed(t)
        dropped = [d for d in needed if d not in t.depends_on]
        if dropped:
            yield check.at(
                t,
                "fanout-wider-than-contract",
                f"Fanout task {t.id} drops its dependencies {', '.join(dropped)}; a fanout "
                "may only narrow a task.",
                "/depends_on",
            )
        waiting = [d for d in needed if d not in done and d not in waves]
        if waiting:
            yield check.at(
                t,
                "fanout-not-ready",
                f"Fanout task {t.id} is handed out while {', '.join(waiting)}, which it "
                "depends on, is neither done nor handed out before it.",
            )
        for dep in needed:
            if dep in waves and waves[dep] >= t.wave:
                yield check.at(
                    t,
                    "fanout-wave-order",
                    f"Task {t.id} (wave {t.wave}) depends on {dep} (wave {waves[dep]}).",
                    "/wave",
                )


def _fanout_overlaps(check: _FanoutCheck) -> Iterable[Finding]:
    """Tasks of one wave run at once, so their paths may not overlap."""
    by_wave: dict[int, list[FanoutTask]] = {}
    for t in check.fanout.tasks:
        by_wave.setdefault(t.wave, []).append(t)
    for wave, members in by_wave.items():
        for i, j in overlapping_pairs([t.diff_boundary.paths for t in members]):
            a, b = members[i], members[j]
            yield check.at(
                b,
                "fanout-path-overlap",
                f"Tasks {a.id} and {b.id} share wave {wave} but their paths overlap.",
                "/diff_boundary/paths",
            )


FANOUT_CHECKS: tuple[Callable[[_FanoutCheck], Iterable[Finding]], ...] = (
    _handed_out_paths,
    _fanout_focus,
    _fanout_tasks_planned,
    _fanout_dependencies,
    _fanout_overlaps,
)
"""What validate holds a fanout to beside its contract, in the order reported (the
contract rules' own fanout check, ``check_fanout``, first)."""


def _validate_fanout(contract: Contract, text: str, name: str, config: Config) -> list[Finding]:
    data, findings = _parse_checked(text, name, "fanout")
    if findings:
        return findings
    fanout = Fanout.model_validate(data)
    check = _FanoutCheck(contract, fanout, name, config)
    return check_fanout(contract, fanout, name) + [f for c in FANOUT_CHECKS for f in c(check)]


def load_contract(text: str, name: str) -> tuple[Contract | None, list[Finding]]:
    """A contract file as the model, or the findings that say why not: its JSON, then its
    schema (each error with its JSON Pointer, as validate reports them)."""
    data, findings = _parse_checked(text, name, "contract")
    if data is None or findings:
        return None, findings
    try:
        return Contract.model_validate(data), []
    except ValidationError as exc:  # what the schema cannot say (none known)
        return None, [
            finding(
                "contract-schema",
                f"{name} is not a valid contract: {one_line(str(exc), 300)}",
                file=name,
            )
        ]
