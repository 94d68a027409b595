"""Reading requests: sections, synonyms, issue forms, task lists, hints, drafts."""

from __future__ import annotations

import pytest

from planner.core.plan import plan
from planner.core.read import read_request, section_kind
from planner.model import Config, Issue, PlanRequest


def planned(body: str, title: str = "T", **config: object) -> object:
    return plan(
        PlanRequest(issue=Issue(number=9, title=title, body=body)), Config.model_validate(config)
    )


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Goals", "objective"),
        ("OBJECTIVE", "objective"),
        ("Acceptance criteria", "acceptance"),
        ("Definition of Done", "acceptance"),
        ("Open questions", "decisions"),
        ("Tasks", "tasks"),
        ("Plan", "milestones"),
        ("Milestones:", "milestones"),
        ("Non-goals", "out_of_scope"),
        ("Out of scope", "out_of_scope"),
        ("Validation strategy", "validation"),
        ("Risks", "risks"),
        ("Something else", None),
    ],
)
def test_section_synonyms(heading: str, kind: str | None) -> None:
    assert section_kind(heading) == kind


def test_issue_form_no_response_is_not_content() -> None:
    draft = read_request(
        "t",
        "### Risks\n\n_No response_\n\n### Assumptions\n\n_No response_\n"
        "\n### Tasks\n\n- [ ] Add x in `a/b.py`\n",
    )
    assert draft.risks == []
    assert draft.assumptions == []
    assert [t.title for t in draft.loose_tasks] == ["Add x in `a/b.py`"]


def test_headings_at_any_level() -> None:
    for level in ("#", "##", "####"):
        draft = read_request("t", f"{level} Acceptance Criteria\n\n- it works\n")
        assert draft.acceptance == ["it works"]


def test_task_list_hints_and_done_boxes() -> None:
    body = """## Tasks
- [x] Implement parser in `src/parse.py`
- [ ] Add CLI in src/cli.py (see #12)
  - depends: T1
  - risk: critical
  - diff: 120
  - role: qa
  - must print help
"""
    draft = read_request("t", body)
    first, second = draft.loose_tasks
    assert first.done and not second.done
    assert second.depends_on == ["T1"]
    assert second.risk_class == "critical"
    assert second.max_diff_scope == 120
    assert second.role == "qa"
    assert second.acceptance == ["must print help"]
    assert second.references == [12]
    assert second.line == 3


def test_bad_hint_is_a_finding_that_names_the_allowed_values() -> None:
    draft = read_request("t", "## Tasks\n- [ ] Add x in a/b.py\n  - risk: huge\n  - diff: lots\n")
    messages = [f.message for f in draft.findings]
    assert any("risk: huge" in m and "low, medium, high, critical" in m for m in messages)
    assert any("diff: lots" in m and "positive whole number" in m for m in messages)
    assert all(f.location.line == 3 or f.location.line == 4 for f in draft.findings)


def test_milestones_as_a_nested_list() -> None:
    body = """## Milestones
- [x] M1: Storage
  - risk: low
  - [x] Add table in db/schema.sql
- [ ] M2: API
  - depends: Storage
  - Acceptance:
    - returns 200
  - [ ] Add endpoint in `api/items.py`
"""
    result = planned(body)
    m1, m2 = result.contract.roadmap.milestones
    assert (m1.status, m2.dependencies, m2.acceptance) == ("done", ["M1"], ["returns 200"])
    assert result.contract.roadmap.focus == "M2"
    assert result.matrix["include"][0]["task"] == "M2-T1"


def test_dependency_by_title_and_unknown_dependency() -> None:
    body = "## Milestones\n### Storage\n- [ ] Add a in a/\n### API\n- depends: storage, M7\n"
    result = planned(body)
    assert result.contract.roadmap.milestones[1].dependencies == ["M1"]
    unknown = [f for f in result.findings if f.rule == "graph-unknown-dependency"]
    assert len(unknown) == 1 and "'M7'" in unknown[0].message
    assert unknown[0].severity == "warning", "a name the plan lacks is dropped, the step green"
    assert "It was dropped" in unknown[0].message


def test_decisions_markers_options_and_resolved() -> None:
    body = """## Milestones
### M1: Core
- risk: critical
- [ ] Add core in core/
## Open questions
- Which database? (major)
  - options: Postgres; SQLite
- Which queue?
  - Redis
  - Kafka
  - blocks: M1
- [x] Which language? Decided: Go
"""
    result = planned(body)
    d1, d2 = result.contract.decisions
    assert (d1.id, d1.impact, d1.options, d1.question) == (
        "D1",
        "high",
        ["Postgres", "SQLite"],
        "Which database?",
    )
    assert (d2.impact, d2.blocks, d2.options) == ("critical", ["M1"], ["Redis", "Kafka"])
    assert result.fanout is None and result.matrix == {"include": []}
    assert any(f.rule == "decision-blocks" for f in result.findings)


def test_fenced_json_draft_wins_over_markdown() -> None:
    body = (
        '## Tasks\n- [ ] ignored in x/\n```json\n{"roadmap": {"objective": "O", '
        '"milestones": [{"id": "A1", "title": "First"}]}}\n```\n'
    )
    result = planned(body)
    assert [m.id for m in result.contract.roadmap.milestones] == ["A1"]
    assert result.contract.roadmap.objective == "O"


def test_draft_with_a_wrong_type_names_the_path_and_falls_back() -> None:
    body = (
        "```yaml\nroadmap:\n  milestones:\n    - id: M1\n      risk_class: extreme\n```\n"
        "## Tasks\n- [ ] Add a in a/\n"
    )
    result = planned(body)
    bad = [f for f in result.findings if f.rule == "draft-invalid"]
    assert len(bad) == 1
    assert "roadmap.milestones[0].risk_class" in bad[0].message
    assert bad[0].location.line == 1
    assert result.contract.roadmap.milestones[0].tasks[0].title == "Add a in a/"


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    bomb = "roadmap:\n  a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"  {chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(20)
    )
    result = planned(f"```yaml\n{bomb}```\n")
    bad = [f for f in result.findings if f.rule == "draft-invalid"]
    assert bad and "aliases are not accepted" in bad[0].message


def test_deep_yaml_is_refused() -> None:
    deep = "roadmap: " + "[" * 200 + "]" * 200
    result = planned(f"```yaml\n{deep}\n```\n")
    assert any("deeper" in f.message for f in result.findings if f.rule == "draft-invalid")


def test_prose_fallback_plans_one_milestone_with_findings() -> None:
    result = planned("Just make it better please.", title="Improve things")
    (milestone,) = result.contract.roadmap.milestones
    assert milestone.title == "Improve things"
    rules = {f.rule for f in result.findings}
    assert {"request-unstructured", "seed-3-acceptance", "seed-4-assumptions"} <= rules


def test_empty_body_still_plans() -> None:
    result = planned("", title="")
    assert result.contract is not None
    assert result.contract.roadmap.objective == "Issue #9"


def test_paths_from_text_and_default_boundary() -> None:
    body = "## Tasks\n- [ ] Implement cache in internal/cache and `pkg/x.go`\n- [ ] Add metrics\n"
    result = planned(body, fanout={"default_paths": ["src/**"]})
    t1, t2 = result.contract.roadmap.milestones[0].tasks
    assert t1.diff_boundary.paths == ["internal/cache/**", "pkg/x.go"]
    assert t2.diff_boundary.paths == ["src/**"]
    assert any("fanout.default_paths" in a for a in result.contract.roadmap.assumptions)


def test_risk_paths_raise_a_task_risk_and_record_why() -> None:
    body = "## Tasks\n- [ ] Add index in `internal/store/idx.go`\n  - risk: low\n"
    result = planned(body, risk_paths={"internal/store/**": "critical"})
    task = result.contract.roadmap.milestones[0].tasks[0]
    assert task.risk_class == "critical"
    assert task.diff_boundary.max_diff_scope == 100
    assert any("raised from low to critical" in a for a in result.contract.roadmap.assumptions)


def test_seed_8_flags_a_verification_objective_for_a_developer() -> None:
    body = "## Tasks\n- [ ] Produce coverage matrix\n  - role: developer\n  - kind: feature\n"
    result = planned(body)
    (finding,) = [f for f in result.findings if f.rule == "seed-8-concrete-objective"]
    # What an informal request leaves out is a warning that says how to add it (§5).
    assert finding.severity == "warning"
    assert "M1-T1" in finding.message and "internal/store/redis/" in finding.message


def test_a_verb_that_opens_an_instruction_is_a_verb_of_a_concrete_change() -> None:
    """One verb list: a line the reader takes as an instruction is not then told it lacks
    an implementation verb; a configuration adds verbs rather than replacing them."""
    body = "## Tasks\n- [ ] Export the report to CSV in `src/export.py`\n"
    assert not [f for f in planned(body).findings if f.rule == "seed-8-concrete-objective"]
    body = "## Tasks\n- [ ] Tabulate the totals in `src/totals.py`\n"
    assert [f.rule for f in planned(body).findings if f.rule.startswith("seed-8")] == [
        "seed-8-concrete-objective"
    ]
    extended = planned(body, vocabulary={"implementation_verbs": ["tabulate"]})
    assert not [f for f in extended.findings if f.rule.startswith("seed-8")]
    assert not [
        f
        for f in planned(
            "## Tasks\n- [ ] Add x in `a.py`\n", vocabulary={"implementation_verbs": ["tabulate"]}
        ).findings
        if f.rule.startswith("seed-8")
    ]


def test_path_escaping_the_repository_is_a_finding_and_dropped() -> None:
    body = "## Tasks\n- [ ] Add x in a/b.py\n  - paths: ../../etc/**, /abs/x, ok/**\n"
    result = planned(body)
    task = result.contract.roadmap.milestones[0].tasks[0]
    assert task.diff_boundary.paths == ["ok/**"]
    outside = [f for f in result.findings if f.rule == "path-outside-repo"]
    assert [f.severity for f in outside] == ["error", "error"], "a paths: hint is a statement"


def test_an_absolute_path_the_text_mentions_is_dropped_with_a_warning() -> None:
    body = "## Tasks\n- [ ] Create the `/components/scheduler/` folder with `main.c`\n"
    result = planned(body)
    task = result.contract.roadmap.milestones[0].tasks[0]  # type: ignore[attr-defined]
    assert task.diff_boundary.paths == ["main.c"]
    outside = [f for f in result.findings if f.rule == "path-outside-repo"]  # type: ignore[attr-defined]
    assert [f.severity for f in outside] == ["warning"], "prose fails no step"
    assert "'/components/scheduler/' is absolute" in outside[0].message


def test_version_stays_when_unchanged_and_rises_when_changed() -> None:
    body = "## Tasks\n- [ ] Add x in a/b.py\n- [ ] Add y in c/d.py\n"
    first = plan(PlanRequest(issue=Issue(number=9, title="T", body=body)))
    import json

    previous = json.loads(first.files[".agent/planning-output-9.json"])
    again = plan(
        PlanRequest(issue=Issue(number=9, title="T", body=body), previous_contract=previous)
    )
    assert again.contract.roadmap.version == 1
    changed = plan(
        PlanRequest(
            issue=Issue(number=9, title="T", body=body + "- [ ] Add z in e/\n"),
            previous_contract=previous,
        )
    )
    assert changed.contract.roadmap.version == 2
    assert changed.fanout is not None and changed.fanout.version == 2


def test_two_milestones_in_progress_is_a_seed_2_finding() -> None:
    body = """## Milestones
### M1: A
- status: in progress
- [ ] Add a in a/
### M2: B
- [x] Add b in b/
- [ ] Add c in c/
"""
    result = planned(body)
    assert any(f.rule == "seed-2-one-focus" and f.severity == "warning" for f in result.findings)


def test_task_diff_over_an_explicit_milestone_diff_is_a_finding() -> None:
    body = "## Milestones\n### M1: A\n- diff: 100\n- [ ] Add a in a/\n  - diff: 300\n"
    result = planned(body)
    (finding,) = [f for f in result.findings if f.rule == "diff-scope-exceeds-milestone"]
    assert "M1-T1" in finding.message and "(100)" in finding.message


def test_milestone_headings_outside_a_milestones_section() -> None:
    body = """# Storage and API rollout
## Milestone 1: Storage
- [x] Add table in db/schema.sql
## M2: API
- depends: M1
- [ ] Add endpoint in `api/items.py`
## Notes
- [ ] not a task: this section is not recognised, and milestones exist
"""
    result = planned(body)
    m1, m2 = result.contract.roadmap.milestones
    assert (m1.id, m1.status, m2.id, m2.dependencies) == ("M1", "done", "M2", ["M1"])
    assert [t.id for t in m2.tasks] == ["M2-T1"]
    assert result.contract.roadmap.focus == "M2"


def test_global_sections_nested_under_milestones_are_not_milestones() -> None:
    body = """## Milestones
### M1: Storage
- [ ] Add table in db/schema.sql
### Assumptions
- Postgres 16
### Open questions
- Which region? (critical)
"""
    result = planned(body)
    assert [m.id for m in result.contract.roadmap.milestones] == ["M1"]
    assert result.contract.roadmap.assumptions[0] == "Postgres 16"
    assert result.contract.decisions[0].impact == "critical"


def test_operations_stay_in_the_plan_and_are_never_handed_out() -> None:
    result = planned(
        "## Tasks\n- [ ] Bump the version in `pyproject.toml`\n"
        "- [ ] Update `CHANGELOG.md` with the merged changes\n"
        "- [ ] Run `make release` and tag the commit\n- [ ] Announce the release\n"
        "- [ ] Publish the new packages to the hosted repositories\n"
    )
    tasks = result.contract.roadmap.milestones[0].tasks  # type: ignore[attr-defined]
    assert [t.kind for t in tasks] == ["feature", "docs", "ops", "ops", "ops"]
    fanned = [t.id for t in result.fanout.tasks]  # type: ignore[attr-defined]
    assert fanned == ["M1-T1", "M1-T2"]
    rules = {(f.rule, f.severity) for f in result.findings}  # type: ignore[attr-defined]
    assert ("task-ops", "notice") in rules
    assert not any(severity == "error" for _, severity in rules)


def test_an_operation_that_regenerates_named_files_is_handed_out_on_them() -> None:
    result = planned(
        "## Tasks\n- [ ] Run `make authors readme`. This will update `README.md` and"
        " `AUTHORS.txt`; never edit them by hand.\n"
        "- [ ] Run `npm run build` to regenerate `dist/index.js`\n"
        "- [ ] Run `cargo package` if `Cargo.toml` has changed\n"
        "- [ ] Run `./deploy.sh production` to update `deploy/prod.env`\n"
        "- [ ] Run `terraform apply` against production to refresh `infra/main.tf`\n"
    )
    tasks = result.contract.roadmap.milestones[0].tasks  # type: ignore[attr-defined]
    # A deploy stays a person's step whatever files it changes.
    assert [t.kind for t in tasks] == ["feature", "feature", "ops", "ops", "ops"]
    assert tasks[0].diff_boundary.paths == ["README.md", "AUTHORS.txt"]
    fanned = [t.id for t in result.fanout.tasks]  # type: ignore[attr-defined]
    assert fanned == ["M1-T1", "M1-T2"], "a run that only checks a file stays a person's step"
    numbered = planned(
        "## Tasks\n- [ ] 5.2 Run `flutter test`\n- [ ] feat: run the linter in `ci.sh`\n"
    )
    kinds = [t.kind for t in numbered.contract.roadmap.milestones[0].tasks]  # type: ignore[attr-defined]
    assert kinds == ["ops", "feature"], "a number is no word; a commit's type says change"


def test_the_config_adds_section_names_to_the_vocabulary() -> None:
    body = "## Rollout gates\n- error rate under 1%\n\n## Tasks\n- [ ] Add the flag in `a/b.py`\n"
    plain_read = planned(body)
    configured = planned(body, vocabulary={"sections": {"acceptance": ["Rollout gates"]}})
    milestone = configured.contract.roadmap.milestones[0]  # type: ignore[attr-defined]
    assert milestone.acceptance == ["error rate under 1%"]
    default = plain_read.contract.roadmap.milestones[0]  # type: ignore[attr-defined]
    assert "error rate under 1%" not in default.acceptance


def test_a_section_role_the_reader_does_not_know_is_a_config_error() -> None:
    with pytest.raises(ValueError, match="sections"):
        Config.model_validate({"vocabulary": {"sections": {"chores": ["x"]}}})


def test_task_dependencies_named_in_the_text_resolve_across_phases() -> None:
    result = planned(
        "## Phase 1: Models\n- [ ] T001 Create the model in src/models/user.py\n"
        "- [ ] T002 Create the store in src/store/user.py\n\n"
        "## Phase 2: API\n- [ ] T003 Add the route in src/api/user.py (depends on T001, T002)\n"
    )
    api = result.contract.roadmap.milestones[1].tasks[0]  # type: ignore[attr-defined]
    assert api.depends_on == ["M1-T001", "M1-T002"]
    assert not [f for f in result.findings if f.rule == "graph-unknown-dependency"]  # type: ignore[attr-defined]


def test_a_task_caught_in_a_cycle_is_held_back_not_handed_out() -> None:
    result = planned(
        "## Tasks\n- [ ] Implement the parser in `a/parse.py`\n  - depends: T2\n"
        "- [ ] Implement the printer in `a/print.py`\n  - depends: T1\n"
        "- [ ] Add the CLI in `a/cli.py`\n- [ ] Add the docs in `a/README.md`\n"
    )
    fanned = [t.id for t in result.fanout.tasks]  # type: ignore[attr-defined]
    deferred = {d.task: d.rule for d in result.fanout.deferred}  # type: ignore[attr-defined]
    assert deferred["M1-T1"] == deferred["M1-T2"] == "graph-cycle"
    assert fanned == ["M1-T3", "M1-T4"]


@pytest.mark.parametrize("heading", ["Plan", "Implementation plan", "Rollout plan", "Roadmap"])
def test_a_plan_of_plain_steps_is_one_milestone_of_tasks(heading: str) -> None:
    body = (
        f"Let people download their bookmarks.\n\n## {heading}\n"
        "1. Write the exporter in `app/export.py`\n"
        "2. Add a Download link to `web/bookmarks.html`\n"
        "3. ~~Offer a PDF too~~ → moved to #88\n"
    )
    (milestone,) = planned(body, title="Bookmark export").contract.roadmap.milestones
    assert [t.title for t in milestone.tasks] == [
        "Write the exporter in `app/export.py`",
        "Add a Download link to `web/bookmarks.html`",
    ]
    assert milestone.status == "planned"


def test_a_plan_whose_items_are_titled_phases_keeps_them_as_milestones() -> None:
    body = (
        "## Plan\n- Phase 1: Storage\n  - [ ] Add the table in `db/schema.sql`\n"
        "- Phase 2: API\n  - [ ] Add the endpoint in `api/items.py`\n"
    )
    milestones = planned(body).contract.roadmap.milestones
    assert [(m.title, [t.title for t in m.tasks]) for m in milestones] == [
        ("Storage", ["Add the table in `db/schema.sql`"]),
        ("API", ["Add the endpoint in `api/items.py`"]),
    ]


def test_a_remark_after_a_struck_item_is_no_task_and_a_new_name_is() -> None:
    body = (
        "## Tasks\n"
        "- [ ] Move the config loader to `app/config.py`\n"
        "- [ ] ~~Add a nightly macOS job~~ it exists already, oops\n"
        "- ❌ ~~Dark theme~~ dropped\n"
        "- 🚫 ~~Print view~~ not worth it\n"
        "- [ ] ~~Keep the cache in SQLite~~ Keep the cache in Redis\n"
        "- [ ] ~~XLSX download~~ CSV download in `app/export.py`\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert [(t.title, t.status) for t in milestone.tasks] == [
        ("Move the config loader to `app/config.py`", "planned"),
        ("Keep the cache in Redis", "planned"),
        ("CSV download in `app/export.py`", "planned"),
    ]


def test_status_and_date_lines_after_the_questions_are_no_decisions() -> None:
    body = (
        "## Tasks\n- [ ] Add the archive job in `jobs/archive.py`\n\n"
        "## Open questions\nShould archived rows stay searchable?\n\n"
        "Gzip or zstd for the archive files\n\n"
        "Status: the job is written, the UI not started. cc @ines\n\n"
        "_Last updated 2026-03-02._\n"
    )
    questions = [d.question for d in planned(body).contract.decisions]
    assert questions == [
        "Should archived rows stay searchable?",
        "Gzip or zstd for the archive files",
    ]


def test_an_item_that_only_names_what_the_work_waits_on_is_no_task() -> None:
    body = (
        "## Tasks\n- [ ] Add the `--quiet` flag in `cli/args.py`\n"
        "- [ ] Depends on #12\n- [ ] Blocked by #3 and #4\n"
        "- [ ] Drop the old flag after #12 ships\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert [t.title for t in milestone.tasks] == [
        "Add the `--quiet` flag in `cli/args.py`",
        "Drop the old flag after #12 ships",
    ]


def test_a_bold_warning_over_a_phase_checklist_leaves_the_checklist_its_work() -> None:
    body = (
        "## Phase 1: Data model\n\n**⚠️ Blocks all user stories**\n\n"
        "- [x] T001 Create the model in `app/hooks/models.py`\n"
        "- [ ] T002 Add the migration in `migrations/`\n\n"
        "## Phase 2: User Story 1 - Send a webhook\n"
        "- [ ] T003 Post events from `app/hooks/send.py`\n\n"
        "## Phase 3: User Story 2 - Retry a webhook\n"
        "- [ ] T004 Retry failed posts in `app/hooks/retry.py`\n"
    )
    m1, m2, m3 = planned(body).contract.roadmap.milestones
    assert [(t.title, t.status) for t in m1.tasks] == [
        ("Create the model in `app/hooks/models.py`", "done"),
        ("Add the migration in `migrations/`", "planned"),
    ]
    assert "M1" in m2.dependencies and "M1" in m3.dependencies


@pytest.mark.parametrize("heading", ["Timeline", "Schedule", "Rollout plan"])
def test_a_table_of_steps_in_a_timeline_is_work_and_its_status_says_done(heading: str) -> None:
    body = (
        f"Move the search index to OpenSearch.\n\n## {heading}\n"
        "| When | Step | Owner | Status |\n|---|---|---|---|\n"
        "| May 2 | Stand up the cluster in `infra/search.tf` | @ana | ✅ done |\n"
        "| May 9 | Dual-write from `app/indexer.py` | @bo | ⏳ |\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert [(t.title, t.status) for t in milestone.tasks] == [
        ("Stand up the cluster in `infra/search.tf`", "done"),
        ("Dual-write from `app/indexer.py`", "planned"),
    ]


def test_a_dependency_said_in_italics_under_a_phase_is_read() -> None:
    body = (
        "### Phase 1 – Schema\n1. Add the tables in `db/schema.sql`\n\n"
        "### Phase 2 – Reports\n*Blocked by Phase 1.*\n1. Rewrite `app/reports.py` on the tables\n"
    )
    m1, m2 = planned(body).contract.roadmap.milestones
    assert (m1.dependencies, m2.dependencies) == ([], ["M1"])
    assert "Blocked" not in (m2.outcome or "")


def test_an_order_written_as_arrows_chains_the_milestones() -> None:
    body = (
        "## Phase 1: Billing API\n- [ ] Add `api/billing.py`\n\n"
        "## Phase 2: Invoices\n- [ ] Add `app/invoices.py`\n\n"
        "## Phase 3: Reminders\n- [ ] Add `app/reminders.py`\n\n"
        "## Dependencies\n- Billing API → Invoices -> Reminders\n"
    )
    m1, m2, m3 = planned(body).contract.roadmap.milestones
    assert (m1.dependencies, m2.dependencies, m3.dependencies) == ([], ["M1"], ["M2"])


def test_done_means_is_a_criterion_line() -> None:
    body = (
        "Add a `--dry-run` flag to the sync command.\n\n"
        "- [ ] Add the flag in `cli/sync.py`\n\n"
        "Done means: a dry run writes nothing and lists every change.\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert milestone.acceptance == ["a dry run writes nothing and lists every change."]


def test_a_note_that_says_what_must_hold_is_a_criterion() -> None:
    body = (
        "Add a `--dry-run` flag to the sync command.\n\n"
        "> [!NOTE]\n> A dry run must not open a network connection. It prints a table.\n\n"
        "- [ ] Add the flag in `cli/sync.py`\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert milestone.acceptance == ["A dry run must not open a network connection."]


def test_a_section_of_plain_questions_under_any_heading_lists_open_decisions() -> None:
    body = (
        "## Phase 1: Export\n- [ ] Write the CSV exporter in `export/csv.py`\n\n"
        "## Open\n- Do we keep the old XML export for the two partners who use it?\n"
        "- Should exports older than a year be purged?\n\n"
        "## Odds and ends\n- [ ] Can the job run inside the request timeout?\n\n"
        "## FAQ\n- Why CSV first?\n  - Every partner reads it.\n"
    )
    contract = planned(body).contract
    assert [d.question for d in contract.decisions] == [
        "Do we keep the old XML export for the two partners who use it?",
        "Should exports older than a year be purged?",
    ]
    # A checklist of questions is tracked work; a question answered under it is not open.
    tasks = [t.title for m in contract.roadmap.milestones for t in m.tasks]
    assert "Can the job run inside the request timeout?" in tasks
    assert not any("Why CSV" in d.question for d in contract.decisions)


def test_a_line_opened_by_a_question_mark_emoji_is_an_open_decision() -> None:
    body = (
        "## Tasks\n- [ ] Cut the release branch\n- [ ] Tag the build\n\n"
        "❓ Do we ship the Android build on the same day as iOS?\n"
    )
    questions = [d.question for d in planned(body).contract.decisions]
    assert questions == ["Do we ship the Android build on the same day as iOS?"]


def test_an_issue_forms_tick_boxes_about_its_author_are_not_the_work() -> None:
    body = (
        "### Describe the solution you'd like\n\nA `--since` filter on `log list`.\n\n"
        "### Proposed implementation\n\n"
        "1. Parse the date in `src/log/args.py`\n2. Filter the entries in `src/log/list.py`\n\n"
        "### Would you be willing to submit a PR?\n\n- [X] Yes, I'd like to help implement this\n\n"
        "### Code of Conduct\n\n- [x] I agree to follow this project's Code of Conduct\n"
        "- [x] I have searched the existing issues\n"
    )
    tasks = [t.title for m in planned(body).contract.roadmap.milestones for t in m.tasks]
    assert tasks == [
        "Parse the date in `src/log/args.py`",
        "Filter the entries in `src/log/list.py`",
    ]


def test_a_tick_box_that_says_what_to_do_is_work_even_in_the_first_person() -> None:
    body = (
        "## Tasks\n- [ ] I18n for the settings page in `web/settings.tsx`\n- [x] Add the CLI flag\n"
    )
    tasks = [t.title for m in planned(body).contract.roadmap.milestones for t in m.tasks]
    assert tasks == ["I18n for the settings page in `web/settings.tsx`", "Add the CLI flag"]


def test_phases_named_in_japanese_or_portuguese_are_milestones() -> None:
    body = (
        "## タスク / Tasks\n"
        "### フェーズ1: 設定 (settings)\n- [ ] Load the settings in `app/settings.py`\n"
        "### フェーズ 2: 画面 (screens)\n- [ ] Draw the settings screen in `app/screen.py`\n\n"
        "## Etapa 3: Publicação\n- [ ] Publish the build\n"
    )
    milestones = planned(body).contract.roadmap.milestones
    assert [len(m.tasks) for m in milestones] == [1, 1, 1]
    # "Etapa 3" is numbered as "Phase 3" is: its number is the id, the rest the title.
    assert [(m.id, m.title) for m in milestones][2] == ("M3", "Publicação")


def test_a_tasklist_block_belongs_to_the_section_it_stands_in() -> None:
    body = (
        "## Rollout\n\n### Storage\n- [ ] Add the quota table in `db/quota.sql`\n\n"
        "### Enforcement\n\nStarts once the storage milestone is live.\n\n"
        "```[tasklist]\n### Tasks\n- [ ] Reject writes over quota in `api/write.py`\n"
        "- [ ] Show the quota in `web/usage.tsx`\n```\n\n"
        "### Notices\n- [ ] Email owners at 90% of their quota\n"
    )
    milestones = planned(body).contract.roadmap.milestones
    assert [(m.title, len(m.tasks)) for m in milestones] == [
        ("Storage", 1),
        ("Enforcement", 2),
        ("Notices", 1),
    ]


def test_go_no_go_and_release_criteria_sections_hold_acceptance_criteria() -> None:
    body = (
        "## Tasks\n- [ ] Ship the beta to 5% of users\n- [ ] Ship it to everyone\n\n"
        "## Go / no-go for each step\n- Crash-free sessions stay above 99.5%\n"
        "- No new P1 tickets for a day\n"
    )
    (milestone,) = planned(body).contract.roadmap.milestones
    assert milestone.acceptance == [
        "Crash-free sessions stay above 99.5%",
        "No new P1 tickets for a day",
    ]
    assert [t.title for t in milestone.tasks] == [
        "Ship the beta to 5% of users",
        "Ship it to everyone",
    ]
    assert section_kind("Release criteria") == section_kind("Go/No-Go") == "acceptance"


def test_known_issues_and_notes_from_elsewhere_are_not_work() -> None:
    body = (
        "## Release 4.2\n- [ ] Cut the branch\n- [ ] Ship the build\n\n"
        "<details><summary>Known issues carried from 4.1</summary>\n\n"
        "- Slow search on very large inboxes (#88)\n\n</details>\n\n"
        "### Notes from the spike\n- The old parser allocates per line\n"
    )
    tasks = [t.title for m in planned(body).contract.roadmap.milestones for t in m.tasks]
    assert tasks == ["Cut the branch", "Ship the build"]
    assert section_kind("Known issues") == section_kind("Notes on the rollout") == "notes"


def test_labelled_field_lines_beside_a_task_are_its_fields_not_tasks() -> None:
    body = (
        "## Phase 1: Storage\n\n- [ ] Add the event table in `db/schema.sql`\n"
        "- Estimated complexity: M\n- Agent: backend\n\n"
        "## Phase 2: API\n\n**Depends on**: Phase 1\n\n"
        "- [ ] Expose `GET /events` in `api/events.go`\n- File: `api/events_test.go`\n"
        "- Priority: P1\n"
    )
    draft = read_request("Roadmap", body)
    tasks = [[t.title for t in m.tasks] for m in draft.milestones]
    assert tasks == [
        ["Add the event table in `db/schema.sql`"],
        ["Expose `GET /events` in `api/events.go`"],
    ]
    api = draft.milestones[1].tasks[0]
    assert api.paths == ["api/events.go", "`api/events_test.go`"]  # the text's and the field's
    assert draft.milestones[1].dependencies == ["M1"]


def test_a_roadmap_index_and_phase_details_with_no_plans_yet_are_one_plan() -> None:
    """A phase listed in the index ("- [ ] **Phase 2: Sync** - push changes") and
    detailed below with only its goal ("**Plans:** TBD") is one phase; read as two it
    was a duplicate id, and "each phase waits for the one before" over both a cycle:
    a red step on an ordinary roadmap."""
    result = planned(
        "# Roadmap\n\nThe phases run in order: each phase waits for the one before.\n\n"
        "## Phases\n\n- [ ] **Phase 1: Storage** - local store\n"
        "- [ ] **Phase 2: Sync** - push changes\n\n## Phase Details\n\n"
        "### Phase 1: Storage\n**Goal:** notes are kept on disk\n"
        "- [x] Add the store in `app/store.py`\n\n"
        "### Phase 2: Sync\n**Goal:** notes reach the server\n**Plans:** TBD\n"
    )
    errors = [f for f in result.findings if f.severity == "error"]  # type: ignore[attr-defined]
    assert not errors, errors
    milestones = result.contract.roadmap.milestones  # type: ignore[attr-defined]
    assert [(m.id, m.title, m.dependencies) for m in milestones] == [
        ("M1", "Storage", []),
        ("M2", "Sync", ["M1"]),
    ]


def test_a_label_line_run_into_a_criterion_labels_the_list_after_it() -> None:
    """'**Plans:** 2 plans' right under a numbered criterion, with no blank line, is the
    criterion's own text to CommonMark; the plans listed after it were read as more
    criteria, and the phase had no work."""
    result = planned(
        "## Phase 2: Polling\n**Goal:** new messages are read\n"
        "**Success Criteria** (what must be TRUE):\n  1. A new message is read once\n"
        "**Plans:** 2 plans\n- [ ] Add the poller in `src/poll.py`\n"
        "- [ ] Keep the offset in `src/state.py`\n"
    )
    milestone = result.contract.roadmap.milestones[0]  # type: ignore[attr-defined]
    assert [t.title for t in milestone.tasks] == [
        "Add the poller in `src/poll.py`",
        "Keep the offset in `src/state.py`",
    ]
    assert milestone.acceptance[0] == "A new message is read once"


@pytest.mark.parametrize("heading", ["# Tasks", "# Tasks\n\n## Task list", "# 実装タスク"])
def test_steps_numbered_under_a_group_at_one_level_are_its_steps(heading: str) -> None:
    """'- [ ] 1. Storage' then '- [ ] 1.1 Add the table' at one indent, as some
    tasks.md files write them: the numbers say what an indent would, so the group is a
    milestone and never handed out beside its steps; under a work heading, its
    sub-heading, or a title the vocabulary does not know."""
    result = planned(
        f"{heading}\n\n- [ ] 1. Storage\n\n- [x] 1.1 Add the users table in `db/users.sql`\n\n"
        "- [ ] 1.2 Add the token table in `db/tokens.sql`\n\n- [ ] 2. API\n\n"
        "- [ ] 2.1 Add the login route in `api/login.py`\n"
    )
    milestones = result.contract.roadmap.milestones  # type: ignore[attr-defined]
    assert [(m.title, [t.title for t in m.tasks]) for m in milestones] == [
        (
            "1. Storage",
            [
                "1.1 Add the users table in `db/users.sql`",
                "1.2 Add the token table in `db/tokens.sql`",
            ],
        ),
        ("2. API", ["2.1 Add the login route in `api/login.py`"]),
    ]


def test_numbered_japanese_groups_are_each_a_milestone() -> None:
    """A checklist written without spaces between words ("`getTheme()`を追加") was too
    short to be work by a count of spaces: three of five groups were dropped, with no
    word said."""
    result = planned(
        "## 1. 設定にテーマを保存する\n\n- [ ] 1.1 `SettingsStore`に`getTheme()`を追加\n\n"
        "## 2. テーマのプロバイダを追加\n\n- [ ] 2.1 `ThemeNotifier`を追加\n\n"
        "## 3. アプリにダークテーマを適用\n\n"
        "- [ ] 3.1 `MaterialApp`に`darkTheme: ThemeData(brightness: Brightness.dark)`を追加\n"
    )
    milestones = result.contract.roadmap.milestones  # type: ignore[attr-defined]
    assert [len(m.tasks) for m in milestones] == [1, 1, 1]
    assert milestones[0].tasks[0].title == "1.1 `SettingsStore`に`getTheme()`を追加"


def test_a_prds_features_under_its_title_are_not_the_work_of_its_phases() -> None:
    """'## Core Features' describes the product; '## Implementation Phases' holds the
    work that builds it. Under a '# PRD: …' heading the features were read as tasks and
    put in the first phase."""
    result = planned(
        "# PRD: Export plugin\n\n## Core Features\n\n### 1. Export modes\n"
        "- **Pipeline:** Markdown to PDF\n\n### 2. Page sizes\n- A4 and Letter\n\n"
        "## Implementation Phases\n\n### Phase 1: Core\n"
        "- [ ] Add the exporter in `src/export.ts`\n\n### Phase 2: Polish\n"
        "- [ ] Add page sizes in `src/pages.ts`\n"
    )
    milestones = result.contract.roadmap.milestones  # type: ignore[attr-defined]
    assert [[t.title for t in m.tasks] for m in milestones] == [
        ["Add the exporter in `src/export.ts`"],
        ["Add page sizes in `src/pages.ts`"],
    ]


def test_implementation_notes_are_notes_unless_they_hold_a_checklist() -> None:
    notes = planned(
        "# Widget\n\n## Key Implementation Notes\n\n"
        "1. **No API key**: users sign in with `widget login`\n\n"
        "## Phase 1: Setup\n- [x] Create the package in `pkg/widget/`\n\n"
        "## Phase 2: Core\n- [ ] Add the store in `pkg/widget/store.go`\n"
    )
    assert notes.contract.roadmap.focus == "M2"  # type: ignore[attr-defined]
    assert [len(m.tasks) for m in notes.contract.roadmap.milestones] == [1, 1]  # type: ignore[attr-defined]
    work = planned(
        "# Add dark mode\n\n## Implementation details\n\n"
        "- [ ] Add the dark theme tokens in `src/theme.ts`\n"
        "- [ ] Persist the choice in `src/settings/store.ts`\n"
    )
    tasks = work.contract.roadmap.milestones[0].tasks  # type: ignore[attr-defined]
    assert [t.title for t in tasks] == [
        "Add the dark theme tokens in `src/theme.ts`",
        "Persist the choice in `src/settings/store.ts`",
    ]


def test_two_milestones_given_one_id_stay_two_and_are_said() -> None:
    """'### M2: Sync' and '### M2: Sharing' are an id given twice, not an index entry
    and its details: neither disappears into the other."""
    result = planned(
        "## Milestones\n\n### M1: Storage\n- [ ] Add the store in `app/store.py`\n\n"
        "### M2: Sync\nNotes reach the server.\n\n"
        "### M2: Sharing\n- [ ] Add the share link in `app/share.py`\n"
    )
    titles = [m.title for m in result.contract.roadmap.milestones]  # type: ignore[attr-defined]
    assert "Sync" in titles and "Sharing" in titles
    assert any(f.rule == "graph-duplicate-id" for f in result.findings)  # type: ignore[attr-defined]


def test_numbered_thai_groups_are_each_a_milestone() -> None:
    result = planned(
        "## 1. บันทึกธีมในการตั้งค่า\n\n- [ ] 1.1 เพิ่ม`getTheme()`ใน`SettingsStore`\n\n"
        "## 2. เพิ่มผู้ให้บริการธีม\n\n- [ ] 2.1 เพิ่ม`ThemeNotifier`\n"
    )
    milestones = result.contract.roadmap.milestones  # type: ignore[attr-defined]
    assert [len(m.tasks) for m in milestones] == [1, 1]
