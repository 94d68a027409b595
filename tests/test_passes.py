"""Each pass of the planner on its own, with small inputs: what it makes and what it
finds."""

from __future__ import annotations

import json
from typing import Any

import pytest

from planner.core.blocks import markers
from planner.core.check import validate_contract
from planner.core.decisions import (
    NamedIssue,
    build_decisions,
    link_issues,
    named_issue,
    repository_url,
)
from planner.core.dependencies import in_dependency_order, resolve, resolve_dependencies
from planner.core.fanout import fan_out, hold_back_waiting
from planner.core.findings import RULES, finding
from planner.core.focus import choose_focus, first_ready
from planner.core.ids import decision_ids, fill_ids, milestone_ids, task_ids
from planner.core.milestones import build_milestones, contract_defaults, place_loose_tasks
from planner.core.plan import build_plan, roadmap_version
from planner.core.progress import Progress, earlier_progress
from planner.core.read import Draft, DraftDecision, DraftMilestone, DraftTask
from planner.core.result import Plan, render_result
from planner.core.tasks import build_tasks
from planner.model import (
    Config,
    Contract,
    ContractDefaults,
    Decision,
    DiffBoundary,
    Issue,
    IssueRef,
    Milestone,
    PlanRequest,
    Roadmap,
    Task,
)

CONFIG = Config()
DEFAULTS = ContractDefaults(
    risk_class="medium",
    max_diff_scope=400,
    acceptance_tests=["tests pass"],
    invariants=["nothing else changes"],
    evidence_required=["test output"],
)
NOTHING_DONE = Progress()


def task(tid: str, **given: Any) -> Task:
    fields: dict[str, Any] = {
        "id": tid,
        "title": f"Add {tid}",
        "role": "developer",
        "kind": "feature",
        "objective": f"Add {tid} in src/{tid}.py",
        "risk_class": "medium",
        "diff_boundary": DiffBoundary(paths=[f"src/{tid}.py"], max_diff_scope=100),
        "invariants": ["x"],
        "acceptance": ["y"],
        "depends_on": [],
    }
    return Task(**{**fields, **given})


def milestone(mid: str, *tasks: Task, **given: Any) -> Milestone:
    fields: dict[str, Any] = {
        "id": mid,
        "title": f"Title {mid}",
        "outcome": "o",
        "dependencies": [],
        "acceptance": ["a"],
        "validation": ["v"],
        "risks": [],
        "risk_class": "medium",
        "max_diff_scope": 400,
        "tasks": list(tasks),
    }
    return Milestone(**{**fields, **given})


def contract(
    *milestones: Milestone, focus: str | None, decisions: list[Decision] | None = None
) -> Contract:
    return Contract(
        issue=IssueRef(number=3, title="t", url=None),
        roadmap=Roadmap(
            version=1,
            objective="o",
            focus=focus,
            milestones=list(milestones),
            assumptions=[],
            unknowns=[],
        ),
        contract_defaults=DEFAULTS,
        decisions=decisions or [],
    )


# ------------------------------------------------------------------------------ findings


def test_finding_takes_the_severity_from_the_rule_table() -> None:
    assert finding("seed-3-validation", "m").severity == "notice"
    assert finding("seed-2-one-focus", shape="none", severity="error").severity == "error"
    with pytest.raises(ValueError, match="never a notice"):
        finding("graph-cycle", severity="notice", what="Tasks", path="A → B")


def test_a_rule_reported_by_plan_and_validate_says_the_same_fault_in_both() -> None:
    """Plan mode on a request and validate on a contract word the fault alike; each
    adds the fix its reader can make."""
    from planner.core.plan import plan

    request = "## Milestones\n### M1: A\n- [ ] Add x.py\n  - depends: T9\n"
    planned = plan(PlanRequest(issue=Issue(number=5, title="t", body=request)))
    said = [f.message for f in planned.findings if f.rule == "graph-unknown-dependency"]
    contract = json.loads(planned.files[".agent/planning-output-5.json"])
    contract["roadmap"]["milestones"][0]["tasks"][0]["depends_on"] = ["T9"]
    found = validate_contract(json.dumps(contract), "planning-output-5.json", Config())
    judged = [f.message for f in found if f.rule == "graph-unknown-dependency"]
    fault = "Task M1-T1 depends on 'T9', which is no task of this plan."
    assert [m[: len(fault)] for m in said + judged] == [fault, fault], said + judged
    assert said[0] != judged[0]  # each with its own fix
    with pytest.raises(ValueError, match="says its own message"):
        finding("graph-cycle", "Tasks loop")
    with pytest.raises(ValueError, match="give it whole"):
        finding("seed-3-validation", what="x")
    assert RULES["seed-3-acceptance"].seed == 3 and RULES["graph-cycle"].seed is None


# ------------------------------------------------------------------------------ ids


def test_generated_ids_skip_the_ones_taken_in_any_case() -> None:
    assert fill_ids([None, "M2", None, None], "M", {"M2", "M3"}) == ["M1", "M2", "M4", "M5"]


def test_milestone_ids_replace_bad_and_repeated_ids() -> None:
    drafts = [
        DraftMilestone(title="a", id="M2"),
        DraftMilestone(title="b", id="m2", line=4),
        DraftMilestone(title="c", id="bad id!", line=9),
        DraftMilestone(title="d"),
    ]
    ids, findings = milestone_ids(drafts)
    assert ids == ["M2", "M1", "M3", "M4"]
    assert [(f.rule, f.severity, f.location.line) for f in findings] == [
        ("graph-duplicate-id", "error", 4),
        ("request-bad-id", "warning", 9),
    ]


def test_task_ids_are_prefixed_with_their_milestone() -> None:
    tasks = [DraftTask("a", id="T2"), DraftTask("b", id="M1-t2"), DraftTask("c"), DraftTask("d")]
    ids, findings = task_ids(tasks, "M1")
    assert ids == ["M1-T2", "M1-T1", "M1-T3", "M1-T4"]
    assert [f.rule for f in findings] == ["graph-duplicate-id"]
    assert findings[0].location.milestone == "M1"


def test_decision_ids_keep_valid_ones_silently() -> None:
    assert decision_ids(["D2", None, "no good", None]) == ["D2", "D1", "D3", "D4"]


# ------------------------------------------------------------------------------ progress


def test_earlier_progress_reads_the_plan_block_and_done_specs() -> None:
    begin, end = markers("3")
    block = (
        "| ID | Milestone | Status |\n| --- | --- | --- |\n| M1 | A | done |\n| M2 | B | planned |"
        "\n\n- [x] `M2-T1` first\n- [ ] `M2-T2` second\n"
    )
    spec = f"{begin}\n# M2: B\n\n**Status:** done · **Risk:** low\n{end}\n"
    request = PlanRequest(
        issue=Issue(number=3, title="t", body=""),
        plan_text=f"intro\n{begin}\n{block}{end}\n",
        specs={"specs/3-m2-b.md": spec, "specs/3-m3-c.md": f"{begin}\nbroken"},
    )
    progress, findings = earlier_progress(request, "PLAN.md")
    assert progress == Progress({"M1": "A", "M2": "B"}, {"M2-T1": "first"})
    assert progress.milestone_done("M1", "A") and progress.task_done("M2-T1", "First")
    assert not progress.milestone_done("M1", "B"), "M1 is now another milestone"
    assert not progress.task_done("M2-T1", "another task")
    assert [f.rule for f in findings] == ["plan-file-markers"]
    assert "specs/3-m3-c.md" in findings[0].message


# ------------------------------------------------------------------------------ milestones


def test_contract_defaults_prefer_the_draft_then_the_config() -> None:
    draft = Draft(source="markdown", defaults={"risk_class": "high"}, invariants=["keep API"])
    defaults = contract_defaults(draft, CONFIG)
    assert defaults.risk_class == "high" and defaults.max_diff_scope == 200
    assert defaults.invariants == [*CONFIG.invariants, "keep API"]


def test_loose_tasks_go_where_their_hint_says_without_changing_the_draft() -> None:
    m1, m2 = DraftMilestone(title="Store", id="M1"), DraftMilestone(title="API")
    loose = [
        DraftTask("to api", milestone="api"),
        DraftTask("lost", milestone="nowhere", line=7),
        DraftTask("no hint"),
    ]
    draft = Draft(source="markdown", milestones=[m1, m2], loose_tasks=loose)
    placed, findings = place_loose_tasks(draft, "fallback")
    assert [[t.title for t in d.tasks] for d in placed.milestones] == [
        ["lost", "no hint"],
        ["to api"],
    ]
    assert m1.tasks == [] and m2.tasks == [], "the draft is not changed"
    assert [(f.rule, f.severity, f.location.line) for f in findings] == [
        ("graph-unknown-dependency", "warning", 7)
    ]
    assert placed.assumptions == [
        "Task 'no hint' has no 'milestone:' hint and was put in the first milestone"
    ]


def test_a_request_without_milestones_gets_one_from_the_title() -> None:
    placed, findings = place_loose_tasks(Draft(source="fallback", objective="Do it"), "Title")
    (only,) = placed.milestones
    assert (only.title, only.outcome) == ("Title", "Do it")
    assert [f.rule for f in findings] == ["request-unstructured"]


def test_milestone_defaults_are_recorded_as_assumptions() -> None:
    drafts = [
        DraftMilestone(title="A", tasks=[DraftTask("Add a in `a/x.py`", risk_class="high")]),
        DraftMilestone(
            title="B", max_diff_scope=50, tasks=[DraftTask("Add b in b/", max_diff_scope=90)]
        ),
    ]
    draft = Draft(source="markdown", milestones=drafts)
    progress = Progress(tasks={"M1-T1": None})  # finished by a merged pull request
    built, findings = build_milestones(drafts, ["M1", "M2"], draft, DEFAULTS, progress, CONFIG)
    a, b = built.milestones
    assert (a.status, a.risk_class, a.max_diff_scope, a.tasks[0].status) == (
        "done",
        "high",
        200,
        "done",
    )
    assert (b.status, b.max_diff_scope) == ("planned", 50)
    assert "M1.risk_class set to high, the highest of its tasks" in built.assumptions
    assert "M1.max_diff_scope defaulted to 200 (risk_class high)" in built.assumptions
    assert [f.rule for f in findings if f.location.milestone == "M2"] == [
        "diff-scope-exceeds-milestone",
        "seed-3-acceptance",
        "seed-3-validation",
    ]


# ------------------------------------------------------------------------------ tasks


def test_task_defaults_are_grouped_per_milestone() -> None:
    d = DraftMilestone(
        title="A",
        tasks=[
            DraftTask("Add store in `internal/store/`"),
            DraftTask("Add cache in cache/", risk_class="low", paths=["../etc", "cache/**"]),
            DraftTask("Think hard", line=5),
        ],
    )
    config = Config.model_validate({"risk_paths": {"internal/**": "critical"}})
    tasks, findings = build_tasks(d, "M1", DEFAULTS, NOTHING_DONE, config)
    store, cache, think = tasks.tasks
    assert store.diff_boundary.paths == ["internal/store/**"] and store.risk_class == "critical"
    assert cache.diff_boundary.paths == ["cache/**"] and cache.diff_boundary.max_diff_scope == 600
    assert think.diff_boundary.paths == []
    assert tasks.assumptions[0] == (
        "M1-T1.risk_class raised from medium to critical: its paths touch internal/** (risk_paths)"
    )
    assert "M1.tasks M1-T1, M1-T3: risk_class defaulted to medium" in tasks.assumptions
    # A task without a boundary is no finding yet: the planner proposes one from the
    # repository, or the fanout holds the task back with needs-boundary.
    assert think.diff_boundary.source == "none"
    assert [(f.rule, f.location.task) for f in findings] == [("path-outside-repo", "M1-T2")]


# ------------------------------------------------------------------------------ dependencies


def test_resolve_by_id_then_unique_title() -> None:
    tables = [{"m1": "M1"}]
    titles = {"api": ["M2"], "twice": ["M3", "M4"]}
    assert resolve(" M1 ", tables, titles) == "M1"
    assert resolve("API", tables, titles) == "M2"
    assert resolve("twice", tables, titles) is None
    assert resolve("M9", tables, titles) is None


def test_dependencies_resolved_with_unknowns_and_cycles() -> None:
    drafts = [
        DraftMilestone(
            title="Title M1", dependencies=["title m2"], tasks=[DraftTask("a"), DraftTask("b")]
        ),
        DraftMilestone(title="Title M2", dependencies=["M1", "M9"], line=3, tasks=[DraftTask("c")]),
    ]
    milestones = [
        milestone(
            "M1", task("M1-T1", depends_on=["t2", "M2"]), task("M1-T2", depends_on=["M1-T1"])
        ),
        milestone("M2", task("M2-T1", depends_on=["nope"])),
    ]
    resolved, findings = resolve_dependencies(milestones, drafts)
    assert [m.dependencies for m in resolved] == [["M2"], ["M1"]]
    assert [[t.depends_on for t in m.tasks] for m in resolved] == [[["M1-T2"], ["M1-T1"]], [[]]]
    assert [(f.rule, f.location.milestone, f.location.task) for f in findings] == [
        ("graph-unknown-dependency", "M2", None),
        ("graph-cycle", "M1", None),
        ("graph-unknown-dependency", "M2", "M2-T1"),
        ("graph-cycle", None, "M1-T1"),
    ]
    assert "M1 → M2" in findings[1].message or "M2 → M1" in findings[1].message


def test_dependency_order_keeps_the_request_order_otherwise() -> None:
    ordered = in_dependency_order(
        [milestone("A", dependencies=["C"]), milestone("B"), milestone("C")]
    )
    assert [m.id for m in ordered] == ["B", "C", "A"]


# ------------------------------------------------------------------------------ focus


def test_focus_is_the_first_ready_milestone() -> None:
    milestones = [
        milestone("M1", status="done"),
        milestone("M2", dependencies=["M3"]),
        milestone("M3"),
    ]
    assert first_ready(milestones) == "M3"
    assert choose_focus(milestones) == ("M3", [])


def test_focus_findings() -> None:
    busy = [milestone("M1", status="in_progress"), milestone("M2", status="in_progress")]
    focus, findings = choose_focus(busy)
    assert focus == "M1" and [(f.severity, f.location.milestone) for f in findings] == [
        ("warning", "M2")
    ]
    stuck = [milestone("M1", dependencies=["M2"]), milestone("M2", dependencies=["M1"])]
    assert [(f.rule, f.severity) for f in choose_focus(stuck)[1]] == [("seed-2-one-focus", "error")]
    done = [milestone("M1", status="done")]
    assert choose_focus(done) == (
        None,
        [finding("plan-complete", "Every milestone is done; nothing to fan out.")],
    )


def verify(tid: str, **given: Any) -> Task:
    return task(tid, kind="verification", role="qa", objective=f"Verify {tid}", **given)


def test_a_verification_milestone_waits_while_feature_work_is_open_anywhere() -> None:
    evidence = milestone("M1", verify("M1-T1"), verify("M1-T2"), title="Evidence")
    redis = milestone("M2", task("M2-T1"), task("M2-T2"))
    sidecar = milestone("M3", task("M3-T1"))
    assert first_ready([evidence, redis, sidecar]) == "M1"
    focus, findings = choose_focus([evidence, redis, sidecar])
    assert focus == "M2"
    assert [(f.rule, f.location.milestone) for f in findings] == [("seed-7-feature-first", "M1")]
    assert "(M1-T1, M1-T2)" in findings[0].message
    assert "(M2-T1, M2-T2, M3-T1)" in findings[0].message
    assert "the focus is M2" in findings[0].message
    done = [evidence, *(m.model_copy(update={"status": "done"}) for m in (redis, sidecar))]
    assert choose_focus(done) == ("M1", [])


def test_a_verification_milestone_that_feature_work_depends_on_keeps_its_place() -> None:
    evidence = milestone("M1", verify("M1-T1"), verify("M1-T2"), title="Evidence")
    redis = milestone("M2", task("M2-T1"), dependencies=["M1"])
    sidecar = milestone("M3", task("M3-T1"), dependencies=["M2"])
    focus, findings = choose_focus([evidence, redis, sidecar])
    assert focus == "M1"
    assert [(f.rule, f.location.milestone) for f in findings] == [("seed-7-feature-first", "M1")]
    assert "M2, M3 depends on it" in findings[0].message
    assert "(M2-T1, M3-T1)" in findings[0].message and "the author's" in findings[0].message
    fanned, found = fan_out(contract(evidence, redis, sidecar, focus="M1"))
    assert fanned.fanout is not None and found == []
    assert [t.id for t in fanned.fanout.tasks] == ["M1-T1", "M1-T2"]


def test_when_only_verification_is_ready_the_one_feature_work_waits_on_goes_first() -> None:
    # M3 waits on M2 and M4 on M1: each verification milestone is held back by feature
    # work that waits on the other, so no feature work can start before one of them.
    m1 = milestone("M1", verify("M1-T1"))
    m2 = milestone("M2", verify("M2-T1"))
    m3 = milestone("M3", task("M3-T1"), dependencies=["M2"])
    m4 = milestone("M4", task("M4-T1"), dependencies=["M1"])
    focus, findings = choose_focus([m1, m2, m3, m4])
    assert focus == "M1"
    assert [f.location.milestone for f in findings] == ["M1", "M2", "M2"]
    fanned, _ = fan_out(contract(m1, m2, m3, m4, focus="M1"))
    assert fanned.fanout is not None and fanned.fanout.deferred == []
    assert fanned.waves == {"M1-T1": 1}


def test_verification_milestones_in_a_dependency_cycle_end_with_the_cycle_finding() -> None:
    m1 = milestone("M1", verify("M1-T1"), dependencies=["M2"])
    m2 = milestone("M2", task("M2-T1"), dependencies=["M1"])
    m3 = milestone("M3", verify("M3-T1"), dependencies=["M1"])
    focus, findings = choose_focus([m1, m2, m3])
    assert focus is None
    assert [(f.rule, f.location.milestone) for f in findings] == [
        ("seed-7-feature-first", "M1"),
        ("seed-2-one-focus", None),
    ]
    assert "M2 depends on it" in findings[0].message


def test_verification_in_the_focus_waits_on_feature_work_in_other_milestones() -> None:
    docs = task("M1-T1", kind="docs", objective="Document the stream in docs/stream.md")
    mixed = milestone("M1", docs, verify("M1-T2"))
    adapters = milestone("M2", task("M2-T1"))
    consumer = milestone("M3", task("M3-T1"), dependencies=["M1"])
    milestones = [mixed, adapters, consumer]
    assert choose_focus(milestones) == ("M1", [])
    fanned, findings = fan_out(contract(*milestones, focus="M1"))
    assert fanned.fanout is not None
    # M3 waits on M1, so its feature work cannot hold M1's verification back.
    assert [(d.task, d.reason) for d in fanned.fanout.deferred] == [("M1-T2", "M2-T1")]
    assert [f.rule for f in findings] == ["seed-7-feature-first"]
    assert "(M2-T1)" in findings[0].message
    docs_done = mixed.model_copy(
        update={"tasks": [docs.model_copy(update={"status": "done"}), verify("M1-T2")]}
    )
    assert choose_focus([docs_done, adapters, consumer])[0] == "M2"


def test_validate_holds_a_contract_to_the_feature_first_focus_and_fanout() -> None:
    evidence = milestone("M1", verify("M1-T1"), verify("M1-T2"))
    mixed = milestone("M1", task("M1-T1"), verify("M1-T2", status="done"), verify("M1-T3"))
    redis = milestone("M2", task("M2-T1"))
    wrong = contract(evidence, redis, focus="M1")
    found = validate_contract(wrong.model_dump_json(), "c.json", CONFIG)
    assert [(f.rule, f.severity) for f in found] == [("seed-2-one-focus", "error")]
    assert "should be 'M2'" in found[0].message
    right = contract(mixed, redis, focus="M1")
    plan_fanout, _ = fan_out(right)
    assert plan_fanout.fanout is not None
    leaked = plan_fanout.fanout.model_dump(mode="json")
    leaked["tasks"].append({**leaked["tasks"][0], **verify("M1-T3").model_dump(mode="json")})
    found = validate_contract(
        right.model_dump_json(), "c.json", CONFIG, json.dumps(leaked), "f.json"
    )
    assert [(f.rule, f.location.task) for f in found] == [("seed-7-feature-first", "M1-T3")]
    assert "(M1-T1, M2-T1)" in found[0].message


# ------------------------------------------------------------------------------ decisions


def test_decisions_resolve_blocks_impact_and_known_issues() -> None:
    milestones = [milestone("M1", risk_class="critical"), milestone("M2", title="Api")]
    drafts = [
        DraftDecision("Which queue?", blocks=["m1", "api", "nowhere"], options=["a", "b"], line=2),
        DraftDecision("Which region?", impact="low"),
    ]
    previous = {"decisions": [{"id": "D2", "question": "Which region?", "issue": "https://x/2"}]}
    decided, findings = build_decisions(drafts, milestones, {}, previous)
    first, second = decided.decisions
    assert (first.id, first.blocks, first.impact, first.issue) == (
        "D1",
        ["M1", "M2"],
        "critical",
        None,
    )
    assert (second.id, second.impact, second.issue) == ("D2", "low", "https://x/2")
    assert decided.assumptions == [
        "D1.impact set to critical (the risk of the milestones it blocks)"
    ]
    assert [(f.rule, f.severity) for f in findings] == [
        ("graph-unknown-dependency", "warning"),
        ("decision-options", "notice"),
    ]
    assert decided.given_issues == frozenset()


def test_a_decision_names_an_existing_issue_by_number_or_link() -> None:
    repo = "https://github.com/o/r"
    assert named_issue("Retention? See #77", repo, 42) == NamedIssue(77, f"{repo}/issues/77")
    assert named_issue("Retention? See #77", None, 42) == NamedIssue(77, None)
    linked = "[Retention?](https://github.com/O/R/issues/78#issuecomment-1)"
    assert named_issue(linked, repo, 42) == NamedIssue(78, f"{repo}/issues/78")
    elsewhere = "Retention? (https://github.com/other/r/issues/5)"
    assert named_issue(elsewhere, repo, 42) == NamedIssue(
        None, "https://github.com/other/r/issues/5"
    )
    assert named_issue("As #42 says, which queue?", repo, 42) is None
    assert named_issue("Which queue? (https://github.com/o/r/pull/9)", repo, 42) is None
    assert repository_url("https://ghe.example.com/o/r/issues/42") == "https://ghe.example.com/o/r"
    assert repository_url(None) is None
    drafts = [
        DraftDecision("Retention? See #77", impact="high"),
        DraftDecision("Region?", issue="#78"),
        DraftDecision("Queue?", issue="https://example.com/decisions/9"),
    ]
    decided, _ = build_decisions(drafts, [milestone("M1")], {}, None, "https://github.com/o/r", 42)
    assert [d.issue for d in decided.decisions] == [
        "https://github.com/o/r/issues/77",
        "https://github.com/o/r/issues/78",
        "https://example.com/decisions/9",
    ]
    assert decided.named == {"D1": 77, "D2": 78}
    assert decided.given_issues == frozenset({"D1", "D2", "D3"})


def test_linking_issues_keeps_the_urls_the_request_gave_and_records_answers() -> None:
    made = contract(
        milestone("M1"),
        focus="M1",
        decisions=[
            Decision(id="D1", question="q", options=[], impact="high", blocks=[], issue=None),
            Decision(
                id="D2", question="r", options=[], impact="high", blocks=[], issue="https://own"
            ),
        ],
    )
    linked = link_issues(
        made,
        {"D1": "https://x/1", "D2": "https://x/2"},
        {"D2": "Postgres"},
        frozenset({"D2"}),
    )
    assert [(d.issue, d.answer) for d in linked.decisions] == [
        ("https://x/1", None),
        ("https://own", "Postgres"),
    ]


# ------------------------------------------------------------------------------ fanout


def test_fanout_puts_overlapping_tasks_in_later_waves() -> None:
    a = task("M1-T1", diff_boundary=DiffBoundary(paths=["src/**"], max_diff_scope=10))
    b = task("M1-T2")
    c = task("M1-T3", depends_on=["M1-T2"])
    fanned, findings = fan_out(contract(milestone("M1", a, b, c), focus="M1"))
    assert findings == [] and fanned.fanout is not None
    assert fanned.waves == {"M1-T1": 1, "M1-T2": 2, "M1-T3": 3}
    assert [t.id for t in fanned.fanout.tasks] == ["M1-T1", "M1-T2", "M1-T3"]


def test_fanout_defers_blocked_verification_and_waiting_tasks() -> None:
    verify = task("M1-T2", kind="verification", role="qa", objective="Verify the audit")
    bare = task("M1-T3", diff_boundary=DiffBoundary(paths=[], max_diff_scope=10))
    waiting = task("M1-T4", depends_on=["M1-T3"])
    focus = milestone("M1", task("M1-T1"), verify, bare, waiting)
    fanned, findings = fan_out(contract(focus, focus="M1"))
    assert fanned.fanout is not None
    assert [(d.task, d.rule) for d in fanned.fanout.deferred] == [
        ("M1-T2", "seed-7-feature-first"),
        ("M1-T3", "needs-boundary"),
        ("M1-T4", "depends-on-held-task"),
    ]
    assert [f.rule for f in findings] == ["seed-7-feature-first", "needs-boundary"]
    blocker = Decision(id="D1", question="q", options=[], impact="high", blocks=["M1"], issue=None)
    blocked, findings = fan_out(contract(focus, focus="M1", decisions=[blocker]))
    assert blocked.fanout is None and blocked.waves == {}
    assert [f.rule for f in findings] == ["decision-blocks"]


def test_a_chain_of_held_tasks_is_held_whole() -> None:
    ready, held = hold_back_waiting(
        [task("T2", depends_on=["T1"]), task("T3", depends_on=["T2"]), task("T4")], done=set()
    )
    assert [t.id for t in ready] == ["T4"]
    assert {k: v.reason for k, v in held.items()} == {"T2": "waits on T1", "T3": "waits on T2"}


# ------------------------------------------------------------------------------ the whole


def test_roadmap_version_goes_up_only_on_a_change() -> None:
    roadmap = contract(milestone("M1"), focus="M1").roadmap
    same = {"roadmap": {**roadmap.model_dump(mode="json"), "version": 4}}
    assert roadmap_version(roadmap, None) == 1
    assert roadmap_version(roadmap, same) == 4
    changed = {"roadmap": {**same["roadmap"], "objective": "other"}}
    assert roadmap_version(roadmap, changed) == 5


def test_render_result_lists_a_small_fanout_in_the_matrix_only() -> None:
    request = PlanRequest(
        issue=Issue(number=3, title="t", body="## Tasks\n- [ ] Add a in a/x.py\n")
    )
    result = render_result(build_plan(request, CONFIG), request, CONFIG)
    assert result.fanout is None and [e["task"] for e in result.matrix["include"]] == ["M1-T1"]
    assert ".agent/planner-fanout-3.json" not in result.files
    assert result.findings[-1].rule == "fanout-skipped"
    failed = render_result(
        Plan(None, None, waves={}, findings=[], named_issues={}, task_lines={}), request, CONFIG
    )
    assert failed.files == {} and failed.matrix == {"include": []}
    assert failed.summary.startswith("## Planning failed")


def test_decisions_a_request_logs_as_taken_are_recorded_not_asked() -> None:
    """A decision log ("### Decisions" of GSD's STATE.md) holds choices made: they are
    the plan's assumptions, and only the line that asks is an open decision."""
    from planner.core.plan import plan
    from tests.runner import ROOT

    body = (ROOT / "tests/reader_cases/gsd-state/issue.md").read_text(encoding="utf-8")
    made = plan(PlanRequest(issue=Issue(number=5, title="State", body=body)))
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    assert (
        "Decided: [Phase 1]: Keep the catalogue in SQLite on the device"
        in (contract["roadmap"]["assumptions"])
    )
    assert [d["question"] for d in contract["decisions"]] == [
        "Should overdue reminders repeat weekly?"
    ]


def test_a_task_over_open_sub_tasks_waits_on_them_and_only_on_its_own() -> None:
    """No agent is handed the whole while others are handed its parts. Two parents'
    sub-tasks of one title, a sub-task that is a decision, one that already waits on its
    parent and a done parent add no wrong wait, and the plan stays green."""
    from planner.core.plan import plan

    body = (
        "## Tasks\n"
        "- [ ] Backend export in `reports/csv.py`\n"
        "  - [ ] Stream the rows in `reports/rows.py`\n"
        "  - [ ] Tests\n"
        "- [ ] Frontend export button in `web/app.ts`\n"
        "  - [ ] Add the button in `web/button.ts`\n"
        "  - [ ] Tests\n"
        "  - [ ] Decide whether the v1 endpoint stays\n"
        "- [ ] T010 Rework the exporter in `reports/export.py`\n"
        "  - [ ] T011 Stream the rows in `reports/stream.py`, after T010\n"
        "- [x] Archive old exports in `reports/archive.py`\n"
        "  - [ ] Delete archives over a year old in `reports/prune.py`\n"
    )
    made = plan(PlanRequest(issue=Issue(number=5, title="Export", body=body)))
    assert not [f for f in made.findings if f.severity == "error"], made.findings
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    waits = {t["id"]: t["depends_on"] for t in contract["roadmap"]["milestones"][0]["tasks"]}
    assert waits["M1-T1"] == ["M1-T2", "M1-T3"]  # its own "Tests", not the other one
    assert waits["M1-T4"] == ["M1-T5", "M1-T6"]  # and no wait on the decision
    assert [d["question"] for d in contract["decisions"]] == [
        "Decide whether the v1 endpoint stays"
    ]
    assert waits["M1-T011"] == ["M1-T010"] and waits["M1-T010"] == []  # no cycle
    assert waits["M1-T7"] == []  # a done whole waits on nothing


def test_a_task_whose_parts_are_all_done_is_done_and_never_handed_out_empty() -> None:
    """The whole is the sum of its parts: once the last part is merged it is done (said
    among the assumptions), so the focus moves on instead of handing out an empty task."""
    from planner.core.plan import plan

    body = (
        "## Milestones\n### M1: Export\n"
        "- [ ] Backend export in `reports/csv.py`\n"
        "  - [ ] Stream the rows in `reports/rows.py`\n"
        "  - [ ] Quote the fields in `reports/quote.py`\n"
        "- [ ] Frontend export button in `web/app.ts`\n"
        "  - [x] Add the button in `web/button.ts`\n"
        "  - [ ] Wire the button to the export in `web/export.ts`\n\n"
        "**Acceptance:** the export downloads.\n\n"
        "### M2: Import\n- [ ] Read CSV uploads in `reports/upload.py`\n\n"
        "**Acceptance:** an upload is read.\n"
    )
    issue = Issue(number=5, title="Export", body=body)

    def planned(done: list[str]) -> tuple[dict[str, Any], list[str]]:
        made = plan(PlanRequest(issue=issue, done_tasks=done))
        contract = json.loads(made.files[".agent/planning-output-5.json"])
        return contract, [row["task"] for row in made.matrix["include"]]

    contract, handed = planned([])
    assert handed == ["M1-T2", "M1-T3", "M1-T6"], "the parts first, never a whole"
    contract, handed = planned(["M1-T2", "M1-T3"])
    m1 = contract["roadmap"]["milestones"][0]
    assert {t["id"]: t["status"] for t in m1["tasks"]}["M1-T1"] == "done"
    assert "M1-T1 counted done: every part of it is done." in contract["roadmap"]["assumptions"]
    assert handed == ["M1-T6"], "the backend whole is not handed out after its parts"
    contract, handed = planned(["M1-T2", "M1-T3", "M1-T6"])
    assert contract["roadmap"]["milestones"][0]["status"] == "done"
    assert contract["roadmap"]["focus"] == "M2" and handed == ["M2-T1"]


def test_a_ticked_question_is_answered_but_records_no_decision_taken() -> None:
    from planner.core.plan import plan

    body = "## Tasks\n- [ ] Add x in `a.py`\n\n## Open questions\n- [x] Should previews expire?\n"
    made = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)))
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    assert not [a for a in contract["roadmap"]["assumptions"] if a.startswith("Decided:")]
    assert contract["decisions"] == []


def test_a_decisions_id_is_never_a_milestones() -> None:
    from planner.core.plan import plan

    body = (
        "## Milestones\n### D1: Docs\n- [ ] Add the guide in `docs/guide.md`\n\n"
        "## Open questions\n- Should the guide cover Windows?\n"
    )
    made = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)))
    assert not [f for f in made.findings if f.severity == "error"], made.findings
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    assert [d["id"] for d in contract["decisions"]] == ["D2"]


def test_a_whole_waits_on_the_parts_beneath_a_step_and_never_on_checks_or_questions() -> None:
    """A part that is a person's step, or a decision, leaves its own parts to the whole;
    a verification part (held back while the whole is open) and a question add no wait,
    so nothing waits for ever."""
    from planner.core.plan import plan

    body = (
        "### M1: Core\n- [ ] Build the API in `src/api.py`\n"
        "  - [ ] Run the schema migration on staging\n"
        "    - [ ] Write the migration script in `db/migrate.py`\n"
        "  - [ ] Decide the cache backend\n    - [ ] Add the cache adapter in `src/cache.py`\n"
        "  - [ ] Should we use OpenAPI?\n"
        "- [ ] Build the exporter in `src/export.py`\n"
        "  - [x] Add the CSV writer in `src/csv_writer.py`\n"
        "  - [ ] Verify the exporter end to end and record evidence in `docs/evidence/e.md`\n"
    )
    made = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)))
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    waits = {t["title"]: t["depends_on"] for t in contract["roadmap"]["milestones"][0]["tasks"]}
    assert waits["Build the API in `src/api.py`"] == ["M1-T3", "M1-T4"]
    assert waits["Build the exporter in `src/export.py`"] == []
    assert [r["task"] for r in made.matrix["include"]] == ["M1-T3", "M1-T4", "M1-T6"]


def test_a_lone_surrogate_in_a_request_never_breaks_the_plan() -> None:
    """An event's JSON may hold "\\ud800": in the issue's text it is read as U+FFFD (a
    task's title drops it as it drops any mark no one reads); a fenced draft holding one
    is refused with its path, and the Markdown is planned."""
    from planner.core.plan import plan

    made = plan(PlanRequest(issue=Issue(number=5, title="t\ud800", body="- [ ] Add x\ud800")))
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    assert contract["roadmap"]["milestones"][0]["tasks"][0]["title"] == "Add x"
    fenced = '```yaml\nroadmap:\n  milestones:\n    - title: "A \\ud800"\n```\n- [ ] Add y\n'
    made = plan(PlanRequest(issue=Issue(number=6, title="t", body=fenced)))
    refused = [f.message for f in made.findings if f.rule == "draft-invalid"]
    assert refused and "milestones[0].title: holds a lone surrogate" in refused[0]
    assert made.contract is not None


def test_an_instance_type_is_no_dependency() -> None:
    """'needs t2.large instances' named an instance type; read as task T2, on T2's own
    line it made the task wait on itself: a cycle, and a red step on an ordinary
    request."""
    from planner.core.plan import plan

    body = (
        "## Tasks\n- [ ] Add the report in `bench/report.py`\n"
        "- [ ] Add the load test in `bench/load.py` (needs t2.large instances)\n"
        "- [ ] Add the soak test in `bench/soak.py` (needs T4-class GPUs, after T1)\n"
    )
    made = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)))
    assert not [f for f in made.findings if f.severity == "error"], made.findings
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    waits = [t["depends_on"] for t in contract["roadmap"]["milestones"][0]["tasks"]]
    assert waits == [[], [], ["M1-T1"]]


def test_a_task_that_names_itself_waits_on_nothing() -> None:
    """'needs T2 GPUs' on task T2 reads as its own id: a wait on itself is no wait, and a
    cycle of one task failed the step for words the reader misread."""
    from planner.core.plan import plan

    body = (
        "## Tasks\n- [ ] Add the report in `bench/report.py`\n"
        "- [ ] Add the GPU soak test in `bench/soak.py` (needs T2 GPUs, after T1)\n"
    )
    made = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)))
    assert not [f for f in made.findings if f.severity == "error"], made.findings
    dropped = [f for f in made.findings if f.rule == "graph-self-dependency"]
    assert [(f.severity, f.location.task) for f in dropped] == [("warning", "M1-T2")]
    assert "'T2'" in dropped[0].message
    contract = json.loads(made.files[".agent/planning-output-5.json"])
    waits = [t["depends_on"] for t in contract["roadmap"]["milestones"][0]["tasks"]]
    assert waits == [[], ["M1-T1"]]
    fanout = json.loads(made.files[".agent/planner-fanout-5.json"])
    assert [t["id"] for t in fanout["tasks"]] == ["M1-T1", "M1-T2"], "none held for a cycle"
