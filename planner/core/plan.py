"""``plan(request, config) -> PlanResult``: the one entry point the shell calls."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace

from planner.core import rules
from planner.core.blocks import BlockError, read_block, replace_block
from planner.core.graph import assign_waves, find_cycles, topological_order
from planner.core.paths import PathError, any_overlap, normalize_glob
from planner.core.read import Draft, DraftMilestone, DraftTask, read_request
from planner.core.render import (
    group_assumptions,
    read_done,
    read_spec_status,
    render_plan_block,
    render_spec_block,
    render_summary,
    spec_path,
    to_json,
)
from planner.core.text import code_locations, one_line
from planner.model import (
    RISK_ORDER,
    Config,
    Contract,
    ContractDefaults,
    Decision,
    DeferredTask,
    DiffBoundary,
    Fanout,
    FanoutTask,
    Finding,
    IssueRef,
    Location,
    Milestone,
    PlanRequest,
    RiskClass,
    Roadmap,
    Severity,
    Task,
    max_risk,
)
from planner.schemas import schema_findings

MATRIX_LIMIT = 256  # jobs per matrix (GitHub)
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


@dataclass(frozen=True)
class Plan:
    """A plan before rendering: the contract and fanout (None when they fail their
    schemas), the waves and the findings so far."""

    contract: Contract | None
    fanout: Fanout | None
    waves: dict[str, int]
    findings: list[Finding]
    request_issues: frozenset[str] = frozenset()
    """Ids of decisions whose issue URL the request itself gave; those are kept."""


def link_decision_issues(plan: Plan, urls: dict[str, str]) -> Plan:
    """The plan with the URLs of the decision issues raised or found for it."""
    contract = plan.contract
    if contract is None or not urls:
        return plan
    decisions = [
        d.model_copy(update={"issue": urls[d.id]})
        if d.id in urls and d.id not in plan.request_issues
        else d
        for d in contract.decisions
    ]
    return replace(plan, contract=contract.model_copy(update={"decisions": decisions}))


@dataclass(frozen=True)
class PlanResult:
    """Everything a plan produces; the shell only writes and reports it."""

    contract: Contract | None
    fanout: Fanout | None
    findings: list[Finding]
    files: dict[str, str]
    matrix: dict[str, list[dict[str, str]]]
    waves: dict[str, int] = field(default_factory=dict)
    summary: str = ""

    @property
    def focus(self) -> str | None:
        return self.contract.roadmap.focus if self.contract else None


def contract_file(output_dir: str, number: int) -> str:
    return posixpath.join(output_dir, f"planning-output-{number}.json")


def fanout_file(output_dir: str, number: int) -> str:
    return posixpath.join(output_dir, f"planner-fanout-{number}.json")


class _Planner:
    def __init__(self, request: PlanRequest, config: Config) -> None:
        self.request = request
        self.config = config
        self.number = request.issue.number
        self.findings: list[Finding] = []
        self.assumptions: list[str] = []
        self.request_issues: frozenset[str] = frozenset()

    def find(
        self,
        rule: str,
        severity: Severity,
        message: str,
        *,
        milestone: str | None = None,
        task: str | None = None,
        line: int | None = None,
    ) -> None:
        self.findings.append(
            Finding(
                rule=rule,
                severity=severity,
                message=message,
                location=Location(milestone=milestone, task=task, line=line),
            )
        )

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)

    # ------------------------------------------------------------------ the whole run

    def run(self) -> Plan:
        issue = self.request.issue
        draft = read_request(issue.title, issue.body, self.request.draft, self.request.draft_name)
        self.findings.extend(draft.findings)
        defaults = self.defaults(draft)
        plan_file = self.config.paths.plan_file
        try:
            previous_block = read_block(self.request.plan_text, str(self.number), plan_file)
        except BlockError as exc:
            previous_block = None
            self.find("plan-file-markers", "error", str(exc))
        done_milestones, done_tasks = read_done(previous_block)
        done_milestones |= self.spec_done()

        drafts = self.milestone_drafts(draft)
        ids = self.milestone_ids(drafts)
        milestones = [
            self.milestone(d, mid, draft, defaults, done_milestones, done_tasks, len(drafts))
            for d, mid in zip(drafts, ids, strict=True)
        ]
        self.resolve_milestone_dependencies(milestones, drafts)
        self.resolve_task_dependencies(milestones, drafts)
        order = topological_order(
            [m.id for m in milestones], {m.id: m.dependencies for m in milestones}
        )
        by_id = {m.id: m for m in milestones}
        milestones = [by_id[i] for i in order]
        focus = self.focus(milestones)
        decisions = self.decisions(draft, milestones)
        self.check_request_rules(draft, milestones)

        roadmap_data = {
            "version": 1,
            "objective": one_line(draft.objective or "", 2000)
            or one_line(issue.title, 2000)
            or f"Issue #{self.number}",
            "focus": focus,
            "milestones": milestones,
            "assumptions": [*draft.assumptions, *self.assumptions],
            "unknowns": list(draft.unknowns),
            "out_of_scope": list(draft.out_of_scope),
        }
        roadmap = Roadmap.model_validate(roadmap_data)
        roadmap = roadmap.model_copy(update={"version": self.version(roadmap)})
        contract = Contract(
            issue=IssueRef(number=self.number, title=issue.title, url=issue.url),
            roadmap=roadmap,
            contract_defaults=defaults,
            decisions=decisions,
        )
        fanout, waves = self.fanout(contract, decisions)
        schema_errors = schema_findings("contract", contract.model_dump(mode="json"))
        if fanout is not None:
            schema_errors += schema_findings("fanout", fanout.model_dump(mode="json"))
        self.findings.extend(schema_errors)
        if schema_errors:
            return Plan(None, None, waves, self.findings)
        return Plan(contract, fanout, waves, self.findings, self.request_issues)

    # ------------------------------------------------------------------ defaults

    def defaults(self, draft: Draft) -> ContractDefaults:
        cfg = self.config
        given = draft.defaults
        risk: RiskClass = given.get("risk_class") or cfg.defaults.risk_class
        invariants = list(
            dict.fromkeys([*given.get("invariants", cfg.invariants), *draft.invariants])
        )
        return ContractDefaults(
            risk_class=risk,
            max_diff_scope=given.get("max_diff_scope") or cfg.defaults.max_diff_scope[risk],
            acceptance_tests=given.get("acceptance_tests") or list(cfg.acceptance_tests),
            invariants=invariants,
            evidence_required=given.get("evidence_required") or list(cfg.evidence_required),
        )

    def spec_done(self) -> set[str]:
        done: set[str] = set()
        for name, text in self.request.specs.items():
            try:
                block = read_block(text, str(self.number), name)
            except BlockError as exc:
                self.find("plan-file-markers", "error", str(exc))
                continue
            if read_spec_status(block) == "done" and block:
                head = block.strip().split("\n", 1)[0]
                if head.startswith("# ") and ":" in head:
                    done.add(head[2:].split(":", 1)[0].strip())
        return done

    # ------------------------------------------------------------------ milestones

    def milestone_drafts(self, draft: Draft) -> list[DraftMilestone]:
        issue = self.request.issue
        drafts = list(draft.milestones)
        if draft.source == "fallback":
            self.find(
                "request-unstructured",
                "warning",
                "The issue has no section the planner recognises (Objective, Milestones or "
                "Tasks, Acceptance, Validation, Risks, Assumptions, Unknowns, Open questions), "
                "so one milestone was planned from the title and body. Add a '## Tasks' task "
                "list ('- [ ] Implement X in path/to/module/') to get child tasks.",
            )
        if not drafts:
            drafts = [
                DraftMilestone(
                    title=one_line(issue.title, 200) or f"Issue #{self.number}",
                    outcome=draft.objective,
                )
            ]
        for task in draft.loose_tasks:
            target = drafts[0]
            if task.milestone:
                wanted = task.milestone.lower()
                match = [
                    d for d in drafts if (d.id or "").lower() == wanted or d.title.lower() == wanted
                ]
                if match:
                    target = match[0]
                else:
                    self.find(
                        "graph-unknown-dependency",
                        "warning",
                        f"Task '{one_line(task.title, 80)}' names milestone "
                        f"'{one_line(task.milestone, 40)}', which does not exist; it was "
                        "put in the first milestone.",
                        line=task.line,
                    )
            elif len(drafts) > 1:
                self.assume(
                    f"Task '{one_line(task.title, 80)}' has no 'milestone:' hint and "
                    "was put in the first milestone"
                )
            target.tasks.append(task)
        return drafts

    def milestone_ids(self, drafts: list[DraftMilestone]) -> list[str]:
        taken: set[str] = set()
        wanted: list[str | None] = []
        for d in drafts:
            mid = d.id
            if mid is not None and (not mid or not set(mid) <= _ID_CHARS or len(mid) > 64):
                self.find(
                    "request-bad-id",
                    "warning",
                    f"Milestone id '{one_line(mid, 40)}' may hold only letters, digits, "
                    "'.', '_' and '-'; a generated id was used instead.",
                    line=d.line,
                )
                mid = None
            if mid is not None and mid.upper() in taken:
                self.find(
                    "graph-duplicate-id",
                    "error",
                    f"Milestone id '{mid}' is used twice; the second got a generated id. "
                    "Give every milestone its own id.",
                    line=d.line,
                )
                mid = None
            if mid is not None:
                taken.add(mid.upper())
            wanted.append(mid)
        ids: list[str] = []
        counter = 0
        for mid in wanted:
            if mid is None:
                counter += 1
                while f"M{counter}" in taken:
                    counter += 1
                mid = f"M{counter}"
                taken.add(mid)
            ids.append(mid)
        return ids

    def milestone(
        self,
        d: DraftMilestone,
        mid: str,
        draft: Draft,
        defaults: ContractDefaults,
        done_milestones: set[str],
        done_tasks: set[str],
        count: int,
    ) -> Milestone:
        tasks = self.tasks(d, mid, defaults, done_tasks)
        explicit_risk = d.risk_class
        if explicit_risk:
            risk = max_risk(explicit_risk, *(t.risk_class for t in tasks))
            if risk != explicit_risk:
                self.assume(
                    f"{mid}.risk_class raised from {explicit_risk} to {risk}: "
                    "a task of it is riskier"
                )
        elif tasks:
            risk = max_risk(*(t.risk_class for t in tasks))
            self.assume(f"{mid}.risk_class set to {risk}, the highest of its tasks")
        else:
            risk = defaults.risk_class
            self.assume(f"{mid}.risk_class defaulted to {risk} (contract_defaults)")
        max_diff = d.max_diff_scope
        largest = max((t.diff_boundary.max_diff_scope for t in tasks), default=0)
        if max_diff is None:
            max_diff = self.config.defaults.max_diff_scope[risk]
            if largest > max_diff:
                max_diff = largest
                self.assume(f"{mid}.max_diff_scope set to {max_diff}, its largest task's")
            else:
                self.assume(f"{mid}.max_diff_scope defaulted to {max_diff} (risk_class {risk})")
        elif largest > max_diff:
            over = [t.id for t in tasks if t.diff_boundary.max_diff_scope > max_diff]
            self.find(
                "diff-scope-exceeds-milestone",
                "warning",
                f"Task(s) {', '.join(over)} allow more changed lines than milestone {mid} "
                f"({max_diff}); lower their 'diff:' or raise the milestone's.",
                milestone=mid,
                line=d.line,
            )
        outcome = d.outcome or (draft.objective if count == 1 else None)
        if not outcome:
            outcome = d.title
            self.assume(f"{mid}.outcome taken from its title")
        acceptance = list(d.acceptance)
        if not acceptance and draft.acceptance:
            acceptance = list(draft.acceptance)
            if count > 1:
                self.assume(f"{mid}.acceptance taken from the issue's Acceptance section")
        if not acceptance:
            acceptance = [f"(derived from the outcome) {one_line(outcome, 400)}"]
            self.assume(f"{mid}.acceptance derived from its outcome")
            self.find(
                "seed-3-acceptance",
                "warning",
                f"Milestone {mid} has no acceptance criteria; one was derived from its "
                "outcome. Add an 'Acceptance:' list under the milestone (seed rule 3).",
                milestone=mid,
                line=d.line,
            )
        validation = list(d.validation) or list(draft.validation)
        if not validation:
            validation = list(defaults.acceptance_tests)
            self.assume(f"{mid}.validation defaulted to contract_defaults.acceptance_tests")
            self.find(
                "seed-3-validation",
                "notice",
                f"Milestone {mid} has no validation strategy; the default acceptance "
                "tests were used. Add a 'Validation:' list (commands or procedures).",
                milestone=mid,
                line=d.line,
            )
        risks = list(d.risks) or list(draft.risks)
        all_done = bool(tasks) and all(t.status == "done" for t in tasks)
        done = d.done or mid in done_milestones or all_done
        if done:
            status = "done"
            tasks = [t.model_copy(update={"status": "done"}) for t in tasks]
        elif d.status == "in_progress" or any(t.status == "done" for t in tasks):
            status = "in_progress"
        else:
            status = "planned"
        return Milestone(
            id=mid,
            title=d.title,
            outcome=one_line(outcome, 2000),
            status=status,
            dependencies=[],
            acceptance=acceptance,
            validation=validation,
            risks=risks,
            risk_class=risk,
            max_diff_scope=max_diff,
            tasks=tasks,
            references=sorted(set(d.references)),
        )

    # ------------------------------------------------------------------ tasks

    def tasks(
        self, d: DraftMilestone, mid: str, defaults: ContractDefaults, done_tasks: set[str]
    ) -> list[Task]:
        taken: set[str] = set()
        ids: list[str | None] = []
        for t in d.tasks:
            tid = t.id
            if tid and not tid.upper().startswith(f"{mid.upper()}-"):
                tid = f"{mid}-{tid}"
            if tid and (not set(tid) <= _ID_CHARS or len(tid) > 64 or tid.upper() in taken):
                self.find(
                    "graph-duplicate-id",
                    "error",
                    f"Task id '{one_line(tid, 40)}' is used twice or is not a valid id; "
                    "a generated id was used instead.",
                    milestone=mid,
                    line=t.line,
                )
                tid = None
            if tid:
                taken.add(tid.upper())
            ids.append(tid)
        out: list[Task] = []
        counter = 0
        defaulted: dict[str, list[str]] = {}
        for t, tid in zip(d.tasks, ids, strict=True):
            if tid is None:
                counter += 1
                while f"{mid}-T{counter}".upper() in taken:
                    counter += 1
                tid = f"{mid}-T{counter}"
                taken.add(tid.upper())
            out.append(self.task(t, tid, mid, d, defaults, done_tasks, defaulted))
        for what, who in defaulted.items():
            self.assume(f"{mid}.tasks {', '.join(who)}: {what}")
        return out

    def task(
        self,
        t: DraftTask,
        tid: str,
        mid: str,
        d: DraftMilestone,
        defaults: ContractDefaults,
        done_tasks: set[str],
        defaulted: dict[str, list[str]],
    ) -> Task:
        objective = (t.objective or t.title).strip()
        paths = self.task_paths(t, tid, mid, objective, defaulted)
        kind = t.kind or rules.classify_kind(objective, self.config.vocabulary)
        role = t.role or ("qa" if kind == "verification" else "developer")
        risk: RiskClass
        if t.risk_class:
            risk = t.risk_class
        elif d.risk_class:
            risk = d.risk_class
            defaulted.setdefault(f"risk_class taken from milestone {mid}", []).append(tid)
        else:
            risk = defaults.risk_class
            defaulted.setdefault(f"risk_class defaulted to {risk}", []).append(tid)
        path_risk, why = self.path_risk(paths)
        if path_risk and RISK_ORDER.index(path_risk) > RISK_ORDER.index(risk):
            self.assume(
                f"{tid}.risk_class raised from {risk} to {path_risk}: its paths touch "
                f"{why} (risk_paths)"
            )
            risk = path_risk
        max_diff = t.max_diff_scope
        if max_diff is None:
            table = self.config.defaults.max_diff_scope[risk]
            max_diff = min(table, d.max_diff_scope) if d.max_diff_scope else table
            defaulted.setdefault(
                f"max_diff_scope defaulted by risk class ({risk}: {max_diff})", []
            ).append(tid)
        invariants = list(dict.fromkeys([*t.invariants, *defaults.invariants]))
        if not t.invariants:
            defaulted.setdefault("invariants defaulted to contract_defaults.invariants", []).append(
                tid
            )
        acceptance = list(t.acceptance)
        if not acceptance:
            acceptance = [f"Done when: {one_line(objective, 300)}", *defaults.acceptance_tests]
            defaulted.setdefault(
                "acceptance derived from the objective and contract_defaults.acceptance_tests", []
            ).append(tid)
        done = t.done or tid in done_tasks
        return Task(
            id=tid,
            title=one_line(t.title, 200) or tid,
            role=role,
            kind=kind,
            objective=one_line(objective, 2000),
            status="done" if done else "planned",
            risk_class=risk,
            diff_boundary=DiffBoundary(paths=paths, max_diff_scope=max_diff),
            invariants=invariants,
            acceptance=acceptance,
            depends_on=list(t.depends_on),
            references=sorted(set(t.references)),
        )

    def task_paths(
        self, t: DraftTask, tid: str, mid: str, objective: str, defaulted: dict[str, list[str]]
    ) -> list[str]:
        raw = t.paths if t.paths is not None else code_locations(objective)
        paths: list[str] = []
        for item in raw:
            try:
                glob = normalize_glob(item)
            except PathError as exc:
                self.find(
                    "path-outside-repo",
                    "error",
                    f"Task {tid}: path {exc}. It was dropped from the diff boundary.",
                    milestone=mid,
                    task=tid,
                    line=t.line,
                )
                continue
            last = glob.rsplit("/", 1)[-1]
            if t.paths is None and "." not in last and "*" not in last and "/" in glob:
                glob += "/**"  # a folder named in prose: everything under it
            if glob not in paths:
                paths.append(glob)
        if not paths and self.config.fanout.default_paths:
            paths = list(self.config.fanout.default_paths)
            defaulted.setdefault(
                "diff_boundary.paths defaulted to fanout.default_paths", []
            ).append(tid)
        if not paths and not t.done:
            self.find(
                "seed-6-task-contract",
                "error",
                f"Task {tid} names no code location and has no 'paths:' hint, so it has "
                "no diff boundary and is not fanned out. Add a nested '- paths: "
                "src/module/**' under it, name the file or folder in its text, or set "
                "fanout.default_paths in the config (seed rule 6).",
                milestone=mid,
                task=tid,
                line=t.line,
            )
        return paths

    def path_risk(self, paths: list[str]) -> tuple[RiskClass | None, str]:
        best: RiskClass | None = None
        why = ""
        for glob, risk in self.config.risk_paths.items():
            if any_overlap(paths, [glob]) and (
                best is None or RISK_ORDER.index(risk) > RISK_ORDER.index(best)
            ):
                best, why = risk, glob
        return best, why

    # ------------------------------------------------------------------ graph

    def resolve_milestone_dependencies(
        self, milestones: list[Milestone], drafts: list[DraftMilestone]
    ) -> None:
        by_key: dict[str, str] = {}
        titles: dict[str, list[str]] = {}
        for m in milestones:
            by_key[m.id.lower()] = m.id
            titles.setdefault(m.title.lower(), []).append(m.id)
        for index, (m, d) in enumerate(zip(milestones, drafts, strict=True)):
            deps: list[str] = []
            for raw in d.dependencies:
                key = raw.strip().lower()
                target = by_key.get(key)
                if target is None and len(titles.get(key, [])) == 1:
                    target = titles[key][0]
                if target is None:
                    self.find(
                        "graph-unknown-dependency",
                        "error",
                        f"Milestone {m.id} depends on '{one_line(raw, 60)}', which is not "
                        f"a milestone of this plan (known: "
                        f"{', '.join(x.id for x in milestones)}). Fix the dependency (a 'depends:' "
                        "hint, or 'dependencies' in a draft).",
                        milestone=m.id,
                        line=d.line,
                    )
                elif target not in deps:
                    deps.append(target)
            milestones[index] = m.model_copy(update={"dependencies": deps})
        edges = {m.id: m.dependencies for m in milestones}
        for cycle in find_cycles([m.id for m in milestones], edges):
            self.find(
                "graph-cycle",
                "error",
                "Milestones depend on each other in a cycle: "
                f"{' → '.join(reversed(cycle))} (each needs the one before it). Remove one "
                "of these dependencies; none of them can be focused until then.",
                milestone=cycle[0],
            )

    def resolve_task_dependencies(
        self, milestones: list[Milestone], drafts: list[DraftMilestone]
    ) -> None:
        every: dict[str, str] = {t.id.lower(): t.id for m in milestones for t in m.tasks}
        milestone_ids = {m.id.upper() for m in milestones}
        for mi, (m, d) in enumerate(zip(milestones, drafts, strict=True)):
            local = {t.id.lower(): t.id for t in m.tasks}
            short = {t.id.lower().removeprefix(m.id.lower() + "-"): t.id for t in m.tasks}
            titles: dict[str, list[str]] = {}
            for t in m.tasks:
                titles.setdefault(t.title.lower(), []).append(t.id)
            tasks: list[Task] = []
            for t, dt in zip(m.tasks, d.tasks, strict=True):
                deps: list[str] = []
                for raw in t.depends_on:
                    key = raw.strip().lower()
                    target = local.get(key) or short.get(key) or every.get(key)
                    if target is None and len(titles.get(key, [])) == 1:
                        target = titles[key][0]
                    if target is None and key.upper() in milestone_ids:
                        continue  # a task naming a milestone: ordering is the milestone's
                    if target is None:
                        self.find(
                            "graph-unknown-dependency",
                            "error",
                            f"Task {t.id} depends on '{one_line(raw, 60)}', which is not a "
                            "task of this plan. Use a task id such as "
                            f"{m.tasks[0].id}.",
                            milestone=m.id,
                            task=t.id,
                            line=dt.line,
                        )
                    elif target not in deps:
                        deps.append(target)
                tasks.append(t.model_copy(update={"depends_on": deps}))
            milestones[mi] = m.model_copy(update={"tasks": tasks})
        all_tasks = [t for m in milestones for t in m.tasks]
        edges = {t.id: t.depends_on for t in all_tasks}
        for cycle in find_cycles([t.id for t in all_tasks], edges):
            self.find(
                "graph-cycle",
                "error",
                "Tasks depend on each other in a cycle: "
                f"{' → '.join(reversed(cycle))} (each needs the one before it). Remove one "
                "of these dependencies.",
                task=cycle[0],
            )

    def focus(self, milestones: list[Milestone]) -> str | None:
        status = {m.id: m.status for m in milestones}
        in_progress = [m.id for m in milestones if m.status == "in_progress"]
        if len(in_progress) > 1:
            self.find(
                "seed-2-one-focus",
                "warning",
                f"Milestones {', '.join(in_progress)} are all in progress; keep one "
                f"focused milestone at a time (seed rule 2). The focus is "
                f"{in_progress[0]} if it is ready.",
                milestone=in_progress[1],
            )
        for m in milestones:
            if m.status != "done" and all(status.get(d) == "done" for d in m.dependencies):
                return m.id
        if any(m.status != "done" for m in milestones):
            self.find(
                "seed-2-one-focus",
                "error",
                "No milestone can be focused: every milestone not done waits on another. "
                "Resolve the dependency findings above.",
            )
        else:
            self.find("plan-complete", "notice", "Every milestone is done; nothing to fan out.")
        return None

    # ------------------------------------------------------------------ decisions

    def decisions(self, draft: Draft, milestones: list[Milestone]) -> list[Decision]:
        by_key = {m.id.lower(): m for m in milestones}
        titles = {m.title.lower(): m for m in milestones}
        previous = self.previous_decision_issues()
        out: list[Decision] = []
        given: set[str] = set()
        taken = {d.id.upper() for d in draft.decisions if d.id}
        counter = 0
        for d in draft.decisions:
            did = d.id
            if not did or not set(did) <= _ID_CHARS:
                counter += 1
                while f"D{counter}" in taken:
                    counter += 1
                did = f"D{counter}"
                taken.add(did)
            blocks: list[str] = []
            for raw in d.blocks:
                target = by_key.get(raw.strip().lower()) or titles.get(raw.strip().lower())
                if target is None:
                    self.find(
                        "graph-unknown-dependency",
                        "warning",
                        f"Decision {did} blocks '{one_line(raw, 60)}', which is not a "
                        "milestone of this plan; that entry was dropped.",
                        line=d.line,
                    )
                elif target.id not in blocks:
                    blocks.append(target.id)
            impact = d.impact
            if impact is None:
                impact = (
                    max_risk(*(by_key[b.lower()].risk_class for b in blocks))
                    if blocks
                    else "medium"
                )
                self.assume(
                    f"{did}.impact set to {impact} "
                    + (
                        "(the risk of the milestones it blocks)"
                        if blocks
                        else "(no impact marker such as '(major)' and no 'blocks:' hint)"
                    )
                )
            if not d.options:
                self.find(
                    "decision-options",
                    "notice",
                    f"Decision {did} lists no options; add nested bullets with the choices "
                    "so the owner can answer quickly.",
                    line=d.line,
                )
            if d.issue:
                given.add(did)
            issue = (
                d.issue or self.request.decision_issues.get(did) or previous.get((did, d.question))
            )
            out.append(
                Decision(
                    id=did,
                    question=d.question,
                    options=d.options,
                    impact=impact,
                    blocks=blocks,
                    issue=issue,
                )
            )
        self.request_issues = frozenset(given)
        return out

    def previous_decision_issues(self) -> dict[tuple[str, str], str]:
        previous = self.request.previous_contract or {}
        found: dict[tuple[str, str], str] = {}
        for d in previous.get("decisions", []) if isinstance(previous, dict) else []:
            if isinstance(d, dict) and isinstance(d.get("issue"), str):
                found[(str(d.get("id")), str(d.get("question")))] = d["issue"]
        return found

    # ------------------------------------------------------------------ request-level rules

    def check_request_rules(self, draft: Draft, milestones: list[Milestone]) -> None:
        if not draft.assumptions and not draft.unknowns:
            self.find(
                "seed-4-assumptions",
                "warning",
                "The request records no assumptions or unknowns. Add '## Assumptions' and "
                "'## Unknowns' sections (seed rule 4); only the defaults the planner "
                "applied are recorded.",
            )
        for m in milestones:
            for t in m.tasks:
                self.findings.extend(rules.check_objective(t, m.id, self.config.vocabulary))

    def version(self, roadmap: Roadmap) -> int:
        previous = self.request.previous_contract
        if not isinstance(previous, dict):
            return 1
        old = previous.get("roadmap")
        if not isinstance(old, dict) or not isinstance(old.get("version"), int):
            return 1
        new = roadmap.model_dump(mode="json")
        unchanged = {k: v for k, v in new.items() if k != "version"} == {
            k: v for k, v in old.items() if k != "version"
        }
        return int(old["version"]) if unchanged else int(old["version"]) + 1

    # ------------------------------------------------------------------ fanout

    def fanout(
        self, contract: Contract, decisions: list[Decision]
    ) -> tuple[Fanout | None, dict[str, int]]:
        roadmap = contract.roadmap
        focus = next((m for m in roadmap.milestones if m.id == roadmap.focus), None)
        if focus is None:
            return None, {}
        done = {t.id for m in roadmap.milestones for t in m.tasks if t.status == "done"}
        deferred: dict[str, DeferredTask] = {}
        blockers = [d.id for d in decisions if focus.id in d.blocks]
        open_tasks = [t for t in focus.tasks if t.status != "done"]
        for t in open_tasks:
            if blockers:
                deferred[t.id] = DeferredTask(
                    task=t.id,
                    rule="decision-blocks",
                    reason=f"waits on open decision {', '.join(blockers)}",
                )
            elif not t.diff_boundary.paths:
                deferred[t.id] = DeferredTask(
                    task=t.id, rule="seed-6-task-contract", reason="has no diff boundary"
                )
        if blockers:
            self.find(
                "decision-blocks",
                "warning",
                f"Focus milestone {focus.id} is blocked by open decision "
                f"{', '.join(blockers)}; its tasks are not fanned out until the decision "
                "is resolved (tick it or move it out of Open questions).",
                milestone=focus.id,
            )
        for item in rules.defer_verification(focus, self.config.vocabulary):
            if item.task not in deferred:
                deferred[item.task] = item
                self.find(
                    "seed-7-feature-first",
                    "warning",
                    f"Task {item.task} is verification-only work and {focus.id} still has "
                    f"feature work open ({item.reason}); it is deferred, not fanned out "
                    "(seed rule 7).",
                    milestone=focus.id,
                    task=item.task,
                )
        ready = [t for t in open_tasks if t.id not in deferred]
        changed = True
        while changed:  # a task waiting on a held-back task is held back too
            changed = False
            ready_ids = {t.id for t in ready}
            for t in list(ready):
                waiting = [d for d in t.depends_on if d not in done and d not in ready_ids]
                if waiting:
                    ready.remove(t)
                    deferred[t.id] = DeferredTask(
                        task=t.id,
                        rule="depends-on-held-task",
                        reason=f"waits on {', '.join(waiting)}",
                    )
                    changed = True
        if not ready:
            return None, {}
        order = topological_order([t.id for t in ready], {t.id: t.depends_on for t in ready})
        by_id = {t.id: t for t in ready}
        waves = assign_waves(
            order,
            {t.id: t.depends_on for t in ready},
            {t.id: t.diff_boundary.paths for t in ready},
            MATRIX_LIMIT,
        )
        order.sort(key=lambda tid: waves[tid])
        tasks = [
            FanoutTask.model_validate(
                {
                    **by_id[tid].model_dump(mode="json"),
                    "milestone": focus.id,
                    "wave": waves[tid],
                    "evidence_required": contract.contract_defaults.evidence_required,
                    "acceptance_tests": contract.contract_defaults.acceptance_tests,
                }
            )
            for tid in order
        ]
        if sum(1 for w in waves.values() if w == 1) >= MATRIX_LIMIT:
            self.find(
                "matrix-limit",
                "notice",
                f"More than {MATRIX_LIMIT} tasks are ready at once; the matrix holds "
                f"{MATRIX_LIMIT} (GitHub's limit per matrix) and the rest were moved to "
                "later waves.",
                milestone=focus.id,
            )
        fanout = Fanout(
            issue=contract.issue,
            version=roadmap.version,
            milestone=focus.id,
            tasks=tasks,
            deferred=[deferred[k] for k in sorted(deferred)],
        )
        return fanout, waves


def render_result(plan: Plan, request: PlanRequest, config: Config) -> PlanResult:
    """The files, matrix and summary of a plan; the shell writes and reports them."""
    findings = list(plan.findings)
    contract, fanout, waves = plan.contract, plan.fanout, plan.waves
    if contract is None:
        return PlanResult(
            contract=None,
            fanout=None,
            findings=findings,
            files={},
            matrix={"include": []},
            waves=waves,
            summary=render_summary(None, None, {}, findings),
        )
    number = contract.issue.number
    paths = config.paths
    matrix_entries: list[dict[str, str]] = []
    if fanout is not None:
        matrix_entries = [
            {
                "task": t.id,
                "title": one_line(t.title, 120),
                "role": t.role,
                "risk_class": t.risk_class,
                "milestone": t.milestone,
            }
            for t in fanout.tasks
            if t.wave == 1
        ]
    files: dict[str, str] = {contract_file(paths.output_dir, number): to_json(contract)}
    written_fanout = fanout
    if fanout is not None and len(fanout.tasks) < config.fanout.min_tasks:
        findings.append(
            Finding(
                rule="fanout-skipped",
                severity="notice",
                message=f"Focus milestone {fanout.milestone} has {len(fanout.tasks)} ready "
                f"task(s); the fanout file is written from {config.fanout.min_tasks} "
                "(fanout.min_tasks). The matrix still lists it.",
                location=Location(milestone=fanout.milestone),
            )
        )
        written_fanout = None
    if written_fanout is not None:
        files[fanout_file(paths.output_dir, number)] = to_json(written_fanout)
    try:
        files[paths.plan_file] = replace_block(
            request.plan_text,
            str(number),
            render_plan_block(contract, paths.plan_file, paths.specs_dir, waves),
            paths.plan_file,
        )
    except BlockError as exc:
        if not any(f.rule == "plan-file-markers" for f in findings):
            findings.append(Finding(rule="plan-file-markers", severity="error", message=str(exc)))
    grouped, general = group_assumptions(contract)
    for m in contract.roadmap.milestones:
        name = spec_path(paths.specs_dir, number, m)
        try:
            files[name] = replace_block(
                request.specs.get(name),
                str(number),
                render_spec_block(contract, m, grouped[m.id] + general),
                name,
            )
        except BlockError as exc:
            findings.append(Finding(rule="plan-file-markers", severity="error", message=str(exc)))
    by_wave: dict[str, list[str]] = {}
    for tid, wave in sorted(waves.items(), key=lambda kv: (kv[1], kv[0])):
        by_wave.setdefault(str(wave), []).append(tid)
    return PlanResult(
        contract=contract,
        fanout=written_fanout,
        findings=findings,
        files=files,
        matrix={"include": matrix_entries},
        waves=waves,
        summary=render_summary(contract, fanout, by_wave, findings),
    )


def build_plan(request: PlanRequest, config: Config) -> Plan:
    """Read the request, apply the seed's rules, build the contract and the fanout.
    Never raises on a bad request; problems are findings."""
    return _Planner(request, config).run()


def plan(request: PlanRequest, config: Config | None = None) -> PlanResult:
    """Plan one issue: the plan and its rendered files (no decision issues linked
    beyond those the request knows)."""
    config = config or Config()
    return render_result(build_plan(request, config), request, config)
