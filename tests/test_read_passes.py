"""The reader's passes, each on its own: outline, classify, assemble, and their helpers."""

from __future__ import annotations

import pytest

from planner.core.milestones import place_loose_tasks
from planner.core.read import cut_body, document_title, read_request
from planner.core.read.assemble import assemble
from planner.core.read.classify import classify, milestone_like
from planner.core.read.dependencies import resolve
from planner.core.read.draft import DraftMilestone
from planner.core.read.markup import ask, done_marked, plain, with_emoji
from planner.core.read.outline import ItemList, Paragraph, label_of, outline, tokens, walk
from planner.core.read.vocabulary import extend, role_of
from planner.core.text import code_locations
from tests.runner import ROOT


def sections(body: str) -> list[tuple[str, str | None]]:
    tree = classify(outline(tokens(body)))
    return [(s.title, s.role) for s in walk(tree.sections)]


# --------------------------------------------------------------------------- outline


def test_setext_headings_and_label_lines_open_sections() -> None:
    body = (
        "Roadmap\n=======\n\nIntro.\n\nSearch\n------\n\n"
        "**Acceptance criteria:**\n- results in 1 s\n\nTasks:\n- [ ] Add the index\n"
    )
    tree = outline(tokens(body))
    titles = [(s.title, s.level, s.label) for s in walk(tree.sections)]
    assert titles == [
        ("Roadmap", 1, False),
        ("Search", 2, False),
        ("Acceptance criteria", 2.5, True),
        ("Tasks", 2.5, True),
    ]
    criteria = walk(tree.sections)[2]
    assert isinstance(criteria.blocks[0], ItemList)
    assert criteria.blocks[0].items[0].text == "results in 1 s"


@pytest.mark.parametrize(
    ("line", "label"),
    [
        ("**Acceptance criteria:**", ("Acceptance criteria", "")),
        ("**Success Criteria**: all green", ("Success Criteria", "all green")),
        ("Definition of Done", ("Definition of Done", "")),
        ("ACCEPTANCE CRITERIA", ("ACCEPTANCE CRITERIA", "")),
        ("Exit criteria: the demo runs", ("Exit criteria", "the demo runs")),
        ("**Dependencies**: Phase 2 complete", ("Dependencies", "Phase 2 complete")),
        ("**Is your feature request related to a problem?**", None),
        ("risk: high", None),
        ("**Behaviour**: starts a server", None),
        ("Just a sentence about acceptance.", None),
    ],
)
def test_label_lines(line: str, label: tuple[str, str] | None) -> None:
    found = label_of(line)
    if label is None and line.startswith("**Is your"):
        assert found is not None and found[1] == ""  # a template prompt: a notes label
        return
    assert found == label


def test_a_label_with_a_sentence_is_one_paragraph_and_the_list_after_it_is_not_its() -> None:
    tree = outline(tokens("## Phase 1\n\n**Checkpoint**: it builds.\n\n- [ ] Add x in a.py\n"))
    phase, checkpoint = walk(tree.sections)
    assert [type(b) for b in checkpoint.blocks] == [Paragraph]
    assert isinstance(phase.blocks[0], ItemList)


def test_a_tasklist_fence_is_read_as_markdown() -> None:
    draft = read_request(
        "t", "Intro.\n\n```[tasklist]\n### Tasks\n- [ ] #12\n- [x] Add a.py\n```\n"
    )
    assert [(t.title, t.done, t.references) for t in draft.loose_tasks] == [
        ("#12", False, [12]),
        ("Add a.py", True, []),
    ]


def test_a_lone_html_tag_does_not_swallow_the_markdown_after_it() -> None:
    tree = outline(tokens("<PRD>\n## Core features\n\n### 1. Export\n"))
    assert [s.title for s in walk(tree.sections)] == ["Core features", "1. Export"]


# --------------------------------------------------------------------------- classify


def test_roles_from_titles_and_places() -> None:
    body = (
        "# Implementation plan\n\n## Phase 1: Setup\n\n### Models\n- [ ] Add a.py\n\n"
        "## Notes\n\n### Current state\n- works\n\n### Success criteria\n- ok\n\n"
        "## Graduation criteria\n\n#### Alpha (1.2)\n- flag exists\n"
    )
    assert sections(body) == [
        ("Implementation plan", "milestones"),
        ("Phase 1: Setup", "milestone"),
        ("Models", "group"),
        ("Notes", "notes"),
        ("Current state", "notes"),
        ("Success criteria", "acceptance"),
        ("Graduation criteria", "milestones"),
        ("Alpha (1.2)", "milestone"),
    ]


def test_prose_between_phases_is_not_a_milestone() -> None:
    body = "Roadmap\n=======\n\nA\n-\n- [ ] Add a.py\n\nB\n-\nWe like simple things.\n"
    assert sections(body) == [("Roadmap", "milestones"), ("A", "milestone"), ("B", "notes")]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Phase 1: Setup", True),
        ("Stage B", True),
        ("M2 - API", True),
        ("v0.2.0", True),
        ("Alpha (1.21)", True),
        ("✅ Phase 3", True),
        ("Alphabet soup for breakfast and more words", False),
        ("Design details", False),
        ("Phase 1.1 — Extract", True),
        ("Objective 2: Search that stays up", True),
        ("Schritt 1: Datenmodell", True),
        ("Release notes", False),
        ("Milestone dates (tentative)", False),
        ("Epic summary", False),
        ("Release a new build", False),
        ("0.?.0 Crash tests before 1.0", True),
        ("2.x users", False),
        ("3.x.y releases", False),
        ("?.?.? Someday", True),
        ("x.y coordinates", False),
    ],
)
def test_milestone_headings(title: str, expected: bool) -> None:
    assert milestone_like(title) is expected


@pytest.mark.parametrize(
    ("heading", "role"),
    [
        ("Not this quarter", "out_of_scope"),
        ("Not doing now", "out_of_scope"),
        ("Chores from the retro (not sprint work)", "out_of_scope"),
        ("Not started", None),
        ("Rollback steps", "notes"),
        ("Preconditions", "assumptions"),
        ("Implementation notes", "tasks"),  # notes unless it holds a checklist: see below
        ("Questions for @storage-owners", "decisions"),
        ("Open points", "decisions"),
        ("Tests for User Story 1", None),  # Spec Kit: test tasks, not a test plan
        ("10.5 Appendix", "notes"),
        ("Sprint goal", "objective"),
        ("Abnahmekriterien", "acceptance"),
        ("Offene Fragen", "decisions"),
        ("Audit excerpt (for reference)", "notes"),
        ("Verify after merging", "acceptance"),
    ],
)
def test_headings_that_say_what_is_not_work(heading: str, role: str | None) -> None:
    assert role_of(heading) == role


def test_a_heading_that_starts_like_a_milestone_but_names_no_work_is_not_one() -> None:
    body = (
        "## Week 1 recap\n- Went well\n\n## Phase 5: Docs and release notes\n"
        "- [ ] Write the upgrade notes\n\n## Sprint 41 retro\n- Standups ran long\n\n"
        "## Phase 6\n- [ ] Tag the release\n\n## Verification steps\n- Run the smoke test\n"
    )
    assert sections(body) == [
        ("Week 1 recap", "notes"),
        ("Phase 5: Docs and release notes", "milestone"),
        ("Sprint 41 retro", "notes"),
        ("Phase 6", "milestone"),
        ("Verification steps", "validation"),
    ]
    assert sections(
        "## Phase 7 (not in v1)\n- [ ] Add the sync engine\n## TBD\n- Which store?\n"
    ) == [
        ("Phase 7 (not in v1)", "out_of_scope"),
        ("TBD", "decisions"),
    ]


def test_a_title_that_reads_like_a_milestone_does_not_swallow_the_document() -> None:
    body = (
        "# Sprint 7 plan\n\n## Committed\n- [ ] Add the export in `app/export.py`\n\n"
        "## Carry-over\n- [ ] Fix the rounding in `billing/vat.py`\n\n"
        "## Release notes\n- Export is faster\n\n## Retro (not sprint work)\n- Keep reviews short\n"
    )
    assert sections(body) == [
        ("Sprint 7 plan", None),
        ("Committed", "milestone"),
        ("Carry-over", "milestone"),
        ("Release notes", "notes"),
        ("Retro (not sprint work)", "out_of_scope"),
    ]
    draft = read_request("t", body)
    assert [[t.title for t in m.tasks] for m in draft.milestones] == [
        ["Add the export in `app/export.py`"],
        ["Fix the rounding in `billing/vat.py`"],
    ]


def test_a_part_of_a_milestone_whose_list_reads_as_no_work_is_a_note() -> None:
    body = (
        "## Phase 1: Export\n- [ ] Add the exporter in `io/export.py`\n\n"
        "### Kickoff impressions\n- Standups ran long\n- The demo went well\n\n"
        "### Backend\n- Write the CSV writer in `io/csv.py`\n\n"
        "## Audit excerpt (for reference)\n- [ ] 1.4.3 Contrast\n"
    )
    assert sections(body) == [
        ("Phase 1: Export", "milestone"),
        ("Kickoff impressions", "notes"),
        ("Backend", "group"),
        ("Audit excerpt (for reference)", "notes"),
    ]
    (phase,) = read_request("t", body).milestones
    assert [t.title for t in phase.tasks] == [
        "Add the exporter in `io/export.py`",
        "Write the CSV writer in `io/csv.py`",
    ]
    # Where a milestone keeps no checklist, its plain lists are its work, nouns or not.
    (phase,) = read_request(
        "t", "## Phase 1: MVP\n### Backend\n- REST API for notes\n### Frontend\n- Note list view\n"
    ).milestones
    assert [t.title for t in phase.tasks] == ["REST API for notes", "Note list view"]


def test_phases_under_an_epic_are_the_milestones() -> None:
    body = (
        "## Epic 1: Alerts\n\n### Phase 1.1 — Extract\n- [ ] Create the `alerts` package\n\n"
        "### Phase 1.2 — Routing\n- [ ] Add the routing table in `alerts/routes.py`\n\n"
        "## Milestone dates\n| Phase | Target |\n| --- | --- |\n| 1.1 | May |\n"
    )
    draft = read_request("t", body)
    assert [(m.title, [t.title for t in m.tasks]) for m in draft.milestones] == [
        ("Phase 1.1 — Extract", ["Create the `alerts` package"]),
        ("Phase 1.2 — Routing", ["Add the routing table in `alerts/routes.py`"]),
    ]
    # An epic with work of its own stays a milestone, before its phases.
    draft = read_request(
        "t", body.replace("\n\n### Phase 1.1", "\n- [ ] Write `docs/alerts.md`\n\n### Phase 1.1")
    )
    assert [m.title for m in draft.milestones] == [
        "Epic 1: Alerts",
        "Phase 1.1 — Extract",
        "Phase 1.2 — Routing",
    ]


def test_an_objective_heading_over_a_checklist_under_a_milestone_holds_work() -> None:
    draft = read_request(
        "t", "## Q3\n\n### Objective: faster search\n- [ ] Add a cache in `search/cache.py`\n"
    )
    assert [t.title for t in draft.milestones[0].tasks] == ["Add a cache in `search/cache.py`"]


def test_the_vocabulary_is_data_and_extends() -> None:
    assert role_of("Technical Risks") == "risks"
    assert role_of("Tech Roadmap") == "milestones"
    assert role_of("Related work") == "notes"
    assert role_of("Rollout gates") is None
    table = extend({"acceptance": ["Rollout gates"]})
    assert role_of("Rollout gates", table) == "acceptance"
    with pytest.raises(ValueError, match="unknown section role"):
        extend({"chores": ["x"]})


# --------------------------------------------------------------------------- assemble


def draft_of(body: str, title: str = "T") -> tuple[object, list[str]]:
    draft, findings = assemble(classify(outline(tokens(body))), title)
    return draft, [f.rule for f in findings]


def test_criteria_items_and_acknowledgements_are_not_tasks() -> None:
    draft, _ = draft_of(
        "## Phase 1\n- [x] Add the parser in a.py\n- [ ] Test: it parses the sample\n"
        "- [x] I have searched the existing issues\n"
    )
    (phase,) = draft.milestones  # type: ignore[attr-defined]
    assert [t.title for t in phase.tasks] == ["Add the parser in a.py"]
    assert phase.acceptance == ["Test: it parses the sample"]


def test_spec_kit_lines_and_sub_tasks() -> None:
    draft, rules = draft_of(
        "## Phase 2\n- [ ] T010 [P] [US1] Create the model in src/m.py\n"
        "- [ ] T011 [P] [US1] Add fields in src/m.py\n"
        "- [ ] Support formats\n  - [x] CSV\n  - [ ] JSON\n"
    )
    tasks = draft.milestones[0].tasks  # type: ignore[attr-defined]
    assert [(t.id, t.parallel, t.story) for t in tasks[:2]] == [
        ("T010", True, "US1"),
        ("T011", True, "US1"),
    ]
    assert [(t.title, t.done, t.parent) for t in tasks[2:]] == [
        ("Support formats", False, None),
        ("CSV", True, "Support formats"),
        ("JSON", False, "Support formats"),
    ]
    assert "request-parallel-overlap" in rules


def test_tasks_marked_done_without_a_checkbox() -> None:
    draft = read_request(
        "t", "## Tasks\n- ✅ Add a.py\n- ~~Add b.py~~\n- Add c.py (done)\n- Add d.py\n"
    )
    assert [(t.title, t.done) for t in draft.loose_tasks] == [
        ("Add a.py", True),
        ("Add b.py", True),
        ("Add c.py", True),
        ("Add d.py", False),
    ]


def test_tables_of_work_and_task_headings() -> None:
    draft, _ = draft_of(
        "## Tasks\n\n### 1. Export\nText.\n\n### 2. Import\n\n## Work\n\n"
        "| Task | Status |\n| --- | --- |\n| Add a.py | done |\n| Add b.py | open |\n"
    )
    tasks = [(t.title, t.done) for t in draft.loose_tasks]  # type: ignore[attr-defined]
    assert tasks == [("Export", False), ("Import", False), ("Add a.py", True), ("Add b.py", False)]


def test_stated_dependencies_resolve_by_number_story_and_words() -> None:
    draft, rules = draft_of(
        "## Phase 1: Setup\n- [ ] Add a.py\n\n## Phase 2: Core\n- [ ] Add b.py\n\n"
        "## Phase 3: User Story 1 - Share\n- [ ] Add c.py\n\n"
        "## Phase 4: User Story 2 - Revoke\n**Dependencies**: Requires US1\n- [ ] Add d.py\n\n"
        "## Phase 5: Polish\n- [ ] Add e.py\n\n"
        "## Dependencies\n- Polish (Phase 5): depends on all user stories\n"
        "- Phase 3+: depend on Core completion\n- Core: depends on Phase 9\n"
    )
    deps = {m.id: m.dependencies for m in draft.milestones}  # type: ignore[attr-defined]
    assert deps["M1"] == []
    assert deps["M2"] == ["M1"]  # a Setup phase comes first
    # M2 (Core) blocks what follows it; M1 (Setup) is reached through it.
    assert set(deps["M4"]) == {"M3", "M2"}
    assert set(deps["M5"]) == {"M3", "M4", "M2"}
    assert "request-ambiguous-dependency" not in rules


def test_dependencies_written_in_prose() -> None:
    draft, _ = draft_of(
        "## Step 1: Counters\n- [ ] Add a.py\n\n## Step 2: Limits\n- [ ] Add b.py\n\n"
        "## Step 3: Rollout\nBuilds on steps 1 and 2.\n- [ ] Add c.py\n\n"
        "## US4: Recovery\nRequires US1 and US2.\n- [ ] Add d.py\n\n"
        "## Backend\n- [ ] Add the handler in e.py\n\n"
        "## Frontend\nStarts after the Backend items merge.\n- [ ] Add the page in f.py\n\n"
        "## v0.5 — planned\nRequires the v0.4 plugin API.\n- [ ] Add g.py\n\n"
        "## v0.4\n- [ ] Add h.py\n"
    )
    deps = {m.title: m.dependencies for m in draft.milestones}  # type: ignore[attr-defined]
    assert deps["Rollout"] == ["M1", "M2"]
    assert deps["Frontend"] == ["Backend"]
    assert deps["v0.5"] == ["v0.4"]


def test_issue_form_checkboxes_are_not_milestones_and_its_solution_list_is_the_work() -> None:
    draft = read_request(
        "t",
        "### Is there an existing issue for this?\n\n- [X] I have searched the existing issues\n"
        "\n### Operating system\n\n- [X] Linux\n- [ ] macOS\n\n"
        "### Describe the solution you'd like\n\n- Add a `presets` key to `src/schema.ts`\n",
    )
    assert draft.milestones == []
    assert [t.title for t in draft.loose_tasks] == ["Add a `presets` key to `src/schema.ts`"]


def test_a_polite_ask_is_the_task_and_a_question_in_prose_is_a_decision() -> None:
    draft = read_request(
        "JSON output",
        "Thanks for the tool! It would be really helpful if `tool list` could print JSON, e.g. "
        "with `--format json`.\n\nNot sure whether `get` should get the same flag as well?\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "`tool list` could print JSON, e.g. with `--format json`."
    ]
    assert [d.question for d in draft.decisions] == [
        "Not sure whether `get` should get the same flag as well?"
    ]


def test_dependencies_stated_with_once_until_and_in_sequence() -> None:
    draft, _ = draft_of(
        "## Phase 1: Schema\n- [ ] Add the schema in `core/schema.rs`\n\n"
        "## Phase 2: Client\nCan start once Phase 1 is live.\n- [ ] Add the client\n\n"
        "## Phase 3: Launch\nNothing here starts until Client and Schema are done.\n"
        "- [ ] Announce it\n"
    )
    deps = {m.title: m.dependencies for m in draft.milestones}  # type: ignore[attr-defined]
    assert deps["Client"] == ["M1"]
    assert deps["Launch"] == ["M2", "M1"]
    # The sentence says when the milestone starts, not what it achieves.
    assert [m.outcome for m in draft.milestones] == [None, None, None]  # type: ignore[attr-defined]
    draft = read_request(
        "t",
        "## Schritt 1: Schema\n- [ ] Add a.py\n\n## Schritt 2: Export\nSetzt Schritt 1 "
        "voraus.\n- [ ] Add b.py\n",
    )
    # "Schritt 1" is numbered as "Phase 1" is, and named by its number.
    assert draft.milestones[1].dependencies == ["M1"]
    draft = read_request(
        "t",
        "## Phase 1: Schema\n- [ ] Add a.py\n\n## Phase 2: Client\nOnce Phase 1 is live, we "
        "start here.\n- [ ] Add b.py\n\n## Phase 3: Cache\nOnce the cache is warm, latency "
        "drops.\n- [ ] Add c.py\n",
    )
    # "Once" binds only where it names a milestone; otherwise the sentence is an outcome.
    assert [(m.dependencies, m.outcome) for m in draft.milestones] == [
        ([], None),
        (["M1"], None),
        ([], "Once the cache is warm, latency drops."),
    ]


def test_phases_said_to_be_sequential_inside_each_epic_follow_each_other() -> None:
    draft = read_request(
        "t",
        "# Alerts overhaul\n\nTwo epics. Phases inside an epic are sequential.\n\n"
        "## Epic 1: Service\n### Phase 1.1 — Extract\n- [ ] Add a.py\n"
        "### Phase 1.2 — Route\n- [ ] Add b.py\n\n"
        "## Epic 2: Page\nCan start once Phase 1.2 is live.\n\n"
        "### Phase 2.1 — List\n- [ ] Add c.py\n### Phase 2.2 — Mute\n- [ ] Add d.py\n",
    )
    assert [(m.title, m.dependencies) for m in draft.milestones] == [
        ("Phase 1.1 — Extract", []),
        ("Phase 1.2 — Route", ["Phase 1.1 — Extract"]),
        ("Phase 2.1 — List", ["Phase 1.2 — Route"]),
        ("Phase 2.2 — Mute", ["Phase 2.1 — List"]),
    ]


def test_an_ambiguous_name_records_nothing_and_says_so() -> None:
    draft, rules = draft_of(
        "## Phase 1: API server\n- [ ] Add a.py\n\n## Phase 2: API client\n- [ ] Add b.py\n\n"
        "## Phase 3: Docs\n**Dependencies**: API\n- [ ] Add c.md\n"
    )
    assert draft.milestones[2].dependencies == []  # type: ignore[attr-defined]
    assert "request-ambiguous-dependency" in rules


def test_a_dependency_outside_the_plan_is_an_unknown() -> None:
    draft = read_request("t", "## Description\nDocument the API.\n\n## Dependencies\n- #12 lands\n")
    assert draft.unknowns == ["Depends on '#12 lands', outside this plan"]


def test_release_stages_follow_each_other() -> None:
    draft, rules = draft_of(
        "## Graduation criteria\n### Alpha\n- flag exists\n### Beta\n- on by default\n"
        "- Remove the flag from `a.py`\n### GA\n"
    )
    deps = [m.dependencies for m in draft.milestones]  # type: ignore[attr-defined]
    assert deps == [[], ["Alpha"], ["Beta"]]
    assert [m.acceptance for m in draft.milestones] == [  # type: ignore[attr-defined]
        ["flag exists"],
        ["on by default"],
        [],
    ]
    assert [t.title for t in draft.milestones[1].tasks] == ["Remove the flag from `a.py`"]  # type: ignore[attr-defined]
    # Alpha and GA list no task and their titles are no change: each is a notice when the
    # milestones are placed.
    _, placed = place_loose_tasks(draft, "t", ["remove"])  # type: ignore[arg-type]
    assert [f.rule for f in placed].count("request-milestone-without-tasks") == 2


def test_lists_outside_any_work_section_are_work_only_where_they_read_as_work() -> None:
    # Beside a checklist, a plain list is not work: retro notes, rollback steps.
    draft = read_request(
        "t",
        "- [ ] Switch the API to read-only\n- [ ] Apply `db/0042.sql`\n\n"
        "## If it fails\n1. Restore the snapshot\n2. Point DNS back\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Switch the API to read-only",
        "Apply `db/0042.sql`",
    ]
    # A list of fields is the document's metadata; of two plain lists, the one of work.
    draft = read_request(
        "t",
        "- Start date: 2024-04-22\n- Owner: @ana\n\n## Scope\n- Add the importer in "
        "`io/csv.py`\n- Document the format\n\n## Prior discussions\n- The March thread\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Add the importer in `io/csv.py`",
        "Document the format",
    ]
    # A rollback named as such is never work, even when its items are instructions.
    draft = read_request(
        "t",
        "## Procedure\n1. Switch the API to read-only\n2. Apply `db/0042.sql`\n\n"
        "## Rollback steps\n1. Restore the snapshot\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Switch the API to read-only",
        "Apply `db/0042.sql`",
    ]


def test_prose_gives_its_instruction_as_the_task_and_never_a_form_label() -> None:
    draft = read_request(
        "Add a code of conduct",
        "**Is your feature request related to a problem? Please describe.**\n"
        "There is none.\n\n**Describe the solution you'd like**\nAdd a code of conduct to the "
        "project.\n",
    )
    assert draft.objective == "Add a code of conduct to the project."
    assert [t.title for t in draft.loose_tasks] == ["Add a code of conduct to the project."]


def test_a_plan_that_reports_its_work_done_is_one_done_milestone() -> None:
    draft = read_request(
        "Portable install",
        "## Remaining tasks\nNone: all done.\n\n## Notes\n### Success criteria\n- ✓ installs\n"
        "- ✓ runs\n",
    )
    assert [(m.title, m.done, m.tasks) for m in draft.milestones] == [
        ("Portable install", True, [])
    ]


def test_questions_put_to_someone_are_open_decisions_wherever_they_stand() -> None:
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Add the session store in `auth/store.py`\n\n"
        "@li could you review the store before Friday?\n\n"
        "### Questions for @auth-owners\n- Do sessions survive a restart?\n\n"
        "## Not doing now\n- Single sign-on\n\n"
        "cc @mara @li — should idle sessions expire after 1 or 8 hours?\n\n"
        "❓ Open: do we log failed logins?\n\n"
        "@ana asked whether we keep the old cookie name for a release. I doubt it: should "
        "we?\n\n"
        "Open points:\n1. Who rotates the signing key?\n",
    )
    assert [t.title for t in draft.loose_tasks] == ["Add the session store in `auth/store.py`"]
    assert [d.question for d in draft.decisions] == [
        "Do sessions survive a restart?",
        "Who rotates the signing key?",
        "Should idle sessions expire after 1 or 8 hours?",
        "Do we log failed logins?",
        "@ana asked whether we keep the old cookie name for a release. Should we?",
    ]
    assert draft.out_of_scope == ["Single sign-on"]


def test_a_settled_decision_is_not_an_open_question() -> None:
    draft = read_request(
        "t",
        "## Decision\nSessions live in Redis, keyed by token hash.\n\n"
        "## Follow-ups\n1. Add the session store in `auth/store.py`\n\n"
        "## Open questions\n- Do sessions survive a restart?\n",
    )
    assert [d.question for d in draft.decisions] == ["Do sessions survive a restart?"]
    assert draft.resolved_decisions == ["Sessions live in Redis, keyed by token hash."]
    assert [t.title for t in draft.loose_tasks] == ["Add the session store in `auth/store.py`"]


def test_work_written_as_prose_under_a_design_heading_is_the_work() -> None:
    draft = read_request(
        "t",
        "- Start date: 2024-05-01\n- Owner: @ana\n\n## Detailed design\n\n"
        "We will add a `[cache]` table to `tool.toml`. When it is present, the loader in "
        "`src/load.rs` will read it first. We will not remove the old flag.\n\n"
        "## Drawbacks\n\nIt will take longer to start.\n\n"
        "## Earlier attempts\n- The 2023 spike\n- The config-only flag\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "We will add a `[cache]` table to `tool.toml`.",
        "When it is present, the loader in `src/load.rs` will read it first.",
    ]
    # The fields a design describes are not work; a work section in prose is read.
    draft = read_request(
        "t",
        "## Detailed design\n- `name`: the package name\n- `members`: globs of members\n\n"
        "We will add a `[workspace]` table.\n",
    )
    assert [t.title for t in draft.loose_tasks] == ["We will add a `[workspace]` table."]
    draft = read_request(
        "t", "## Implementation\nAdd the `--json` flag to `cli.py`. Document it in `README.md`.\n"
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Add the `--json` flag to `cli.py`.",
        "Document it in `README.md`.",
    ]


def test_what_follows_a_decision_is_no_decision_and_use_cases_are_no_tasks() -> None:
    draft = read_request(
        "t",
        "## Use cases\n- As an admin I can export all users\n\n"
        "## Decision Outcome\nChosen option: SKIP LOCKED, as it needs no new service.\n\n"
        "### Consequences\n* Good, because no new infrastructure\n\n"
        "## Proposal\nAdd an export button backed by `admin/api/users.py`.\n",
    )
    assert draft.decisions == []
    assert draft.resolved_decisions == ["Chosen option: SKIP LOCKED, as it needs no new service."]
    assert [t.title for t in draft.loose_tasks] == [
        "Add an export button backed by `admin/api/users.py`."
    ]


def test_resolve_prefers_numbers_and_refuses_to_guess() -> None:
    milestones = [DraftMilestone(title="Setup", id="M1"), DraftMilestone(title="Core", id="M2")]
    assert resolve("Phase 2", milestones) == [milestones[1]]
    assert resolve("Phase 1+", milestones) == milestones
    assert resolve("setup completion", milestones) == [milestones[0]]
    assert resolve("something else", milestones) == []


# --------------------------------------------------------------------------- helpers


def test_markup_leaves_titles_and_keeps_code() -> None:
    assert plain("**Add** [the docs](docs/a.md) in `src/__init__.py`<br>") == (
        "Add the docs (docs/a.md) in `src/__init__.py`"
    )
    assert plain("[the docs](docs/a.md)", keep_targets=False) == "the docs"
    assert done_marked("✅ Phase 1: Setup") == ("Phase 1: Setup", True)
    assert done_marked("~~Phase 2~~") == ("Phase 2", True)
    assert done_marked("v0.1 — shipped") == ("v0.1", True)
    # A status label first: "**Done**: `list` command"; "Done when:" is a criterion's.
    assert done_marked("**Done**: `list` command") == ("`list` command", True)
    assert done_marked("**Done:** export to CSV") == ("export to CSV", True)
    assert done_marked("[Done]: vet in CI") == ("vet in CI", True)
    assert done_marked("**Done** button closes the dialog")[1] is False
    assert done_marked("**Done** `go vet` in CI") == ("`go vet` in CI", True)
    assert done_marked("Shipped: show the tracking link")[1] is False
    assert done_marked("Done when: the export runs") == ("Done when: the export runs", False)
    assert done_marked("Done-ness criteria") == ("Done-ness criteria", False)
    assert done_marked("complete: add the zsh types") == ("complete: add the zsh types", False)
    assert done_marked("🚧 Phase 2: Sync") == ("Phase 2: Sync", False)
    assert done_marked("🔑 Keyboard ✅") == ("Keyboard", True)
    assert done_marked("Phase 3: Complete the setup") == ("Phase 3: Complete the setup", False)


def test_code_locations_skip_english_pairs_and_cited_documents() -> None:
    assert code_locations("Implement save/load of presets for VST3/CLAP at 10 requests/min") == []
    assert code_locations("Add the route per contracts/api.md in src/api/routes.py") == [
        "src/api/routes.py"
    ]
    assert code_locations("Move src/app and `a/b`") == ["src/app", "a/b"]
    assert code_locations("List them in `requirements.txt` and setup.cfg") == [
        "requirements.txt",
        "setup.cfg",
    ]
    # A score, a fraction or a date is a number, not a folder.
    assert code_locations("Lift the rating to 4.5/5 by 2026/03/01, under 2/1000 in a.py") == [
        "a.py"
    ]


def test_a_long_body_is_cut_at_a_line_and_titles_come_from_the_text() -> None:
    body = "- [ ] Add a.py\n" * 10
    assert cut_body(body, 20) == "- [ ] Add a.py\n"
    assert document_title("Intro line\n\nSearch\n======\n") == "Search"
    assert document_title("**Plan** for the export\n\nmore") == "Plan for the export"
    assert document_title("") is None


def test_the_objective_is_the_goal_sentence_never_a_field_or_a_lead_in() -> None:
    draft = read_request(
        "t",
        "Dark mode was asked for in #301. The goal is that every page is readable in dark "
        "mode.\n\n## Tasks\n- [ ] Add the theme in `web/theme.ts`\n",
    )
    assert draft.objective == "Every page is readable in dark mode."
    assert (
        read_request("t", "Last updated: iteration 37\n\n## Tasks\n- [ ] Add a.py\n").objective
        is None
    )
    assert read_request("t", "## Notes\nCommands to support:\n- x\n").objective is None


@pytest.mark.parametrize(
    "intro",
    [
        "Last updated by @kai on 2024-06-02. Edit freely.",
        "Imported from the tracker — epic SHOP-12 (comments not migrated).",
        "_Draft for review with @lead by July 5. Comment inline._",
        "Window: Sat 02:00 UTC. Driver: @ilse. Comms: @ben.",
    ],
)
def test_a_line_about_the_document_is_never_the_objective(intro: str) -> None:
    draft = read_request("t", f"{intro}\n\n## Tasks\n- [ ] Add the export in `io/export.py`\n")
    assert draft.objective is None


def test_a_short_plain_item_over_a_checklist_groups_its_sub_tasks() -> None:
    draft = read_request(
        "t", "## Tasks\n- Backend\n  - [ ] Add the route in a.py\n  - [x] Add b.py\n"
    )
    assert [(t.title, t.done, t.parent) for t in draft.loose_tasks] == [
        ("Add the route in a.py", False, "Backend"),
        ("Add b.py", True, "Backend"),
    ]


def test_quarters_and_weeks_are_milestones_and_a_work_table_anywhere_is_work() -> None:
    assert sections("## Q1 2026\n- [ ] Add a.py\n\n## Week 2: polish\n- [ ] Add b.py\n") == [
        ("Q1 2026", "milestone"),
        ("Week 2: polish", "milestone"),
    ]
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Add a.py\n\n## Breakdown by team\n\n| Deliverable | Team |\n"
        "| --- | --- |\n| Add the export in b.py | web |\n",
    )
    assert [t.title for t in draft.loose_tasks] == ["Add a.py", "Add the export in b.py"]


def test_phases_after_the_user_stories_wait_on_them() -> None:
    draft, _ = draft_of(
        "## Phase 1: User Story 1 - Share\n- [ ] Add a.py\n\n"
        "## Phase 2: User Story 2 - Revoke\n- [ ] Add b.py\n\n"
        "## Phase 3: Polish\n- [ ] Add c.py\n"
    )
    deps = {m.id: m.dependencies for m in draft.milestones}  # type: ignore[attr-defined]
    assert deps == {"M1": [], "M2": [], "M3": ["M1", "M2"]}


# --------------------------------------------------------------------------- markup inside blocks


def test_an_item_struck_out_as_given_up_is_no_task_and_one_struck_out_as_done_is_done() -> None:
    draft = read_request(
        "t",
        "- [ ] Raise the minimum version in `setup.cfg`\n"
        "- [ ] ~~Port the timer to `lib/clock.py`~~ — not needed, the vendored copy works\n"
        "- [ ] ~~Rename the old flag~~\n"
        "- [ ] ~~Delete the legacy job~~ (done in #40)\n"
        "- ~~Add the b.py module~~\n"
        "- [ ] Store sessions in ~~Memcached~~ Redis via `lib/session.py`\n"
        "- [ ] ~~Bump the cache~~ Rename the cache key in `lib/cache.py`\n",
    )
    assert [(t.title, t.done) for t in draft.loose_tasks] == [
        ("Raise the minimum version in `setup.cfg`", False),
        ("Delete the legacy job (done in #40)", True),
        ("Add the b.py module", True),
        ("Store sessions in Redis via `lib/session.py`", False),
        ("Rename the cache key in `lib/cache.py`", False),
    ]
    assert plain("~~Port the timer to `lib/clock.py`~~ — later") == (
        "Port the timer to `lib/clock.py` — later"
    )


def test_a_blockquote_is_read_and_an_alert_kind_says_what_it_holds() -> None:
    draft = read_request(
        "t",
        "## Work\n- [ ] Add the limiter in `api/limit.py`\n\n"
        "> [!IMPORTANT]\n> These must all hold for the change to be accepted:\n"
        "> - A client over its quota gets a 429\n\n"
        "> [!WARNING]\n> Do not run the migration on the primary by hand.\n\n"
        "> [!TIP]\n> Run `make dev` to try it locally.\n\n"
        "> [!IMPORTANT]\n> Also before closing:\n> - [ ] Document the limit in `docs/limits.md`\n\n"
        "> - [ ] Add a metric for rejected calls in `api/metrics.py`\n\n"
        "> [!IMPORTANT]\n> Must hold: a retry after the wait succeeds.\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Add the limiter in `api/limit.py`",
        "Document the limit in `docs/limits.md`",
        "Add a metric for rejected calls in `api/metrics.py`",
    ]
    assert draft.acceptance == [
        "A client over its quota gets a 429",
        "a retry after the wait succeeds.",
    ]
    assert draft.risks == ["Do not run the migration on the primary by hand."]


def test_html_blocks_read_as_the_markdown_they_stand_for() -> None:
    draft = read_request(
        "t",
        "<h2>Keyboard and contrast fixes</h2>\n"
        "<p>Fix what the review found before the release.</p>\n\n"
        "<details open>\n<summary><b>Keyboard</b> (1/2)</summary>\n\n"
        "- [x] Show a focus ring in `ui/focus.css`\n- [ ] Let arrow keys move the picker\n\n"
        "</details>\n\n"
        "<details>\n<summary>Contrast (0/1)</summary>\n\n"
        "- [ ] Raise the text contrast in `ui/theme.ts`\n\n</details>\n\n"
        "<!-- template: - [ ] Describe a task here -->\n\n"
        "<h3>Definition of done</h3>\n<ul>\n  <li>No critical finding is left open</li>\n</ul>\n",
    )
    assert draft.objective == "Fix what the review found before the release."
    assert [(m.title, [(t.title, t.done) for t in m.tasks]) for m in draft.milestones] == [
        (
            "Keyboard",
            [
                ("Show a focus ring in `ui/focus.css`", True),
                ("Let arrow keys move the picker", False),
            ],
        ),
        ("Contrast", [("Raise the text contrast in `ui/theme.ts`", False)]),
    ]
    assert draft.acceptance == ["No critical finding is left open"]


def test_requirements_numbered_in_the_outline_are_items_without_their_numbers() -> None:
    draft = read_request(
        "t",
        "## 2. Scope\n\n2.1 Non-goals\n- Editing templates offline\n\n"
        "## 3. Requirements\n\n### 3.1 Storage\n\n"
        "3.1.1 Keep drafts in SQLite via `app/db/drafts.ts`.\n"
        "3.1.2 Encrypt the database with the device key.\n\n"
        "### 3.2 Sync\n\n3.2.1 Retry uploads from `app/sync/queue.ts` with backoff.\n",
    )
    assert [(m.title, [t.title for t in m.tasks]) for m in draft.milestones] == [
        (
            "3.1 Storage",
            [
                "Keep drafts in SQLite via `app/db/drafts.ts`.",
                "Encrypt the database with the device key.",
            ],
        ),
        ("3.2 Sync", ["Retry uploads from `app/sync/queue.ts` with backoff."]),
    ]
    assert draft.out_of_scope == ["Editing templates offline"]
    # A number that opens a sentence is not an outline number.
    (phase,) = read_request(
        "t", "## Phase 1\n- [ ] Add a.py\n\n2.0 Brings a new plugin API.\n\n1.2 million saw it.\n"
    ).milestones
    assert [t.title for t in phase.tasks] == ["Add a.py"]


def test_a_status_board_of_emoji_is_a_checklist() -> None:
    draft = read_request(
        "t",
        "Key: 🟢 done, 🟡 in progress, 🔴 blocked\n\n"
        "## Server\n- 🟢 Add the manifest parser in `core/manifest.rs`\n"
        "- 🟡 Check permissions in `core/caps.rs`\n\n"
        "## Docs\n🟢 Write the migration guide in `docs/migrate.md`\n"
        "🔴 Write the tutorial in `docs/tutorial.md`\n",
    )
    assert [(m.title, [(t.title, t.done) for t in m.tasks]) for m in draft.milestones] == [
        (
            "Server",
            [
                ("Add the manifest parser in `core/manifest.rs`", True),
                ("Check permissions in `core/caps.rs`", False),
            ],
        ),
        (
            "Docs",
            [
                ("Write the migration guide in `docs/migrate.md`", True),
                ("Write the tutorial in `docs/tutorial.md`", False),
            ],
        ),
    ]
    board = read_request(
        "t",
        "## Core\n- ✅ Add a.py\n\n## Clients\n\n"
        "| Item | Status |\n| --- | --- |\n| Add the client in b.py | 🚧 |\n| Add c.py | 🟢 |\n",
    )
    # The table of work is a part of the board as the checklist is.
    assert [(m.title, [(t.title, t.done) for t in m.tasks]) for m in board.milestones] == [
        ("Core", [("Add a.py", True)]),
        ("Clients", [("Add the client in b.py", False), ("Add c.py", True)]),
    ]
    # Without a legend, coloured circles may rank severity: such a list is no checklist.
    review = read_request(
        "t",
        "## Tasks\n- [ ] Fix the crash in `cfg.py`\n\n## Findings\n"
        "- 🔴 The app crashes without a config\n- 🟡 Sync is slow on big folders\n",
    )
    assert [t.title for t in review.loose_tasks] == ["Fix the crash in `cfg.py`"]


def test_gherkin_criteria_are_one_per_scenario_fenced_or_not() -> None:
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Keep the basket on the server in `api/basket.py`\n\n"
        "## Acceptance criteria\n\n```gherkin\nFeature: Basket across devices\n\n"
        "  Scenario: The basket follows the user\n    Given I am signed in on my phone\n"
        "    And my basket holds a lamp\n    When I sign in on my laptop\n"
        "    Then my basket holds a lamp\n```\n\n"
        "Scenario: Guests keep a local basket\n  Given I am not signed in\n"
        "  When I add a lamp\n  Then no request reaches the server\n",
    )
    assert draft.acceptance == [
        "Scenario: The basket follows the user. Given I am signed in on my phone and my "
        "basket holds a lamp, when I sign in on my laptop, then my basket holds a lamp",
        "Scenario: Guests keep a local basket. Given I am not signed in, when I add a lamp, "
        "then no request reaches the server",
    ]
    assert [t.title for t in draft.loose_tasks] == [
        "Keep the basket on the server in `api/basket.py`"
    ]
    # A risk that calls itself a scenario, with no steps, is no Gherkin.
    risks = read_request("t", "## Risks\nScenario: the region fails over.\nImpact: writes pause.\n")
    assert risks.risks == ["Scenario: the region fails over.", "Impact: writes pause."]


def test_story_points_and_assignees_are_not_part_of_a_task_title() -> None:
    draft = read_request(
        "t",
        "## Committed\n- [ ] **[5]** Render invoices in `billing/pdf.py` — @mara\n"
        "- [ ] Retry failed hooks in `hooks/retry.py` (3 pts) (@li, @sam)\n"
        "- [ ] Ask @ops-team about the quota before adding `infra/quota.tf`\n"
        "- [ ] Cache the rates in `fx/cache.py`\n  - points: 2\n  - **Owner:** @li\n"
        "  - a second call reads no file\n",
    )
    assert draft.loose_tasks[3].acceptance == ["a second call reads no file"]
    assert [(t.title, t.objective) for t in draft.loose_tasks[:3]] == [
        ("Render invoices in `billing/pdf.py`", "[5] Render invoices in `billing/pdf.py` — @mara"),
        (
            "Retry failed hooks in `hooks/retry.py`",
            "Retry failed hooks in `hooks/retry.py` (3 pts) (@li, @sam)",
        ),
        (
            "Ask @ops-team about the quota before adding `infra/quota.tf`",
            "Ask @ops-team about the quota before adding `infra/quota.tf`",
        ),
    ]


def test_a_pictograph_at_a_heading_edge_is_decoration() -> None:
    draft = read_request(
        "t", "## 🎯 Goals\nExport reports as PDF.\n\n## 🛠️ Tasks\n- [ ] Add the export in a.py\n"
    )
    assert draft.objective == "Export reports as PDF."
    assert [t.title for t in draft.loose_tasks] == ["Add the export in a.py"]


def test_a_checklist_in_a_note_is_work_and_a_pasted_html_task_list_keeps_its_boxes() -> None:
    (phase,) = read_request(
        "t",
        "## Phase 1: API\n- [ ] Add the route in `api/routes.py`\n\n"
        "> [!NOTE]\n> Before the release, also:\n> - [ ] Update `docs/api.md`\n\n"
        "> [!TIP]\n> - [ ] try `make dev` first\n\n"
        '<ul>\n<li><input type="checkbox" disabled checked> Add the parser in `p.py`</li>\n'
        '<li><input type="checkbox" disabled> Add the writer in `w.py`</li>\n</ul>\n',
    ).milestones
    assert [(t.title, t.done) for t in phase.tasks] == [
        ("Add the route in `api/routes.py`", False),
        ("Update `docs/api.md`", False),
        ("Add the parser in `p.py`", True),
        ("Add the writer in `w.py`", False),
    ]


def test_status_shortcodes_read_as_the_emoji_they_stand_for() -> None:
    body = (
        "Ship the next release.\n\n## v2.0\n"
        "- :white_check_mark: Parse the config in `src/config.rs`\n"
        "- :construction: Add the watch command in `src/watch.rs`\n"
        "- :x: ~~Plugin API~~ dropped\n"
    )
    (milestone,) = read_request("Roadmap", body).milestones
    assert [(t.title, t.done) for t in milestone.tasks] == [
        ("Parse the config in `src/config.rs`", True),
        ("Add the watch command in `src/watch.rs`", False),
    ]


@pytest.mark.parametrize("code", ["a[1:x:2]", "x:x:y", "::x::", "12:x:34", ":xylophone:"])
def test_a_shortcode_is_one_only_standing_alone(code: str) -> None:
    assert with_emoji(code) == code


def test_goals_listed_as_outcomes_are_criteria_of_the_whole_plan() -> None:
    draft = read_request(
        "t",
        "## Goals\n- Readers can open a saved report without a network\n"
        "- A report typed offline is never lost\n\n"
        "## Tasks\n- [ ] Keep reports in `app/store/reports.ts`\n",
    )
    assert draft.acceptance == [
        "Readers can open a saved report without a network",
        "A report typed offline is never lost",
    ]
    assert [t.title for t in draft.loose_tasks] == ["Keep reports in `app/store/reports.ts`"]
    # With no other list of work, outcomes are still no tasks; an instruction is.
    alone = read_request("t", "## Goals\n- Reports open offline\n- Add a sync badge\n")
    assert [t.title for t in alone.loose_tasks] == ["Add a sync badge"]
    assert alone.acceptance == ["Reports open offline"]


def test_a_tracker_export_gives_a_milestone_per_story() -> None:
    draft = read_request(
        "t",
        "Story: SHOP-3 Buyers can save a basket\n"
        "  Status: In Progress | Assignee: ana | Points: 5\n"
        "  Sub-task: SHOP-7 Keep baskets in `shop/basket.py` — Done\n"
        "  Sub-task: SHOP-8 Restore a basket at sign-in [To Do]\n"
        "  Sub-task: SHOP-9 Baskets in cookies (Won't Do)\n"
        "  AC: A basket saved on one device opens on another.\n\n"
        "Story SHOP-4: Saved baskets expire\n"
        "  Depends on: SHOP-3\n\n"
        "  Sub-task: SHOP-10 Nightly job in `shop/expire.py` that drops old baskets\n"
        "  Acceptance criteria:\n    - A basket untouched for 30 days is gone.\n\n"
        "Story: users want their baskets back after a crash.\n",
    )
    first, second = draft.milestones
    assert first.title == "SHOP-3 Buyers can save a basket"
    assert [(t.title, t.done) for t in first.tasks] == [
        ("SHOP-7 Keep baskets in `shop/basket.py`", True),
        ("SHOP-8 Restore a basket at sign-in", False),
    ]
    assert first.acceptance == ["A basket saved on one device opens on another."]
    assert second.title == "SHOP-4 Saved baskets expire"
    assert [t.title for t in second.tasks] == [
        "SHOP-10 Nightly job in `shop/expire.py` that drops old baskets"
    ]
    assert second.acceptance == ["A basket untouched for 30 days is gone."]
    assert second.dependencies == [first.id or first.title]
    # A story without the tracker's key is a sentence, not a milestone.
    assert len(draft.milestones) == 2


def test_a_question_in_a_pasted_comment_thread_is_open() -> None:
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Add the export in `app/export.py`\n\n"
        "Comments:\n  m.lund (2026-03-02): Should the export include archived rows?\n"
        "  Sam (Mar 3): Let's decide on Friday.\n  Q: CSV or JSON first?\n",
    )
    assert [d.question for d in draft.decisions] == [
        "Should the export include archived rows?",
        "CSV or JSON first?",
    ]


def test_a_milestone_table_names_the_requirements_each_milestone_delivers() -> None:
    draft = read_request(
        "t",
        "## Requirements\n\n**Must have**\n"
        "1. Keep drafts in `app/db.ts` instead of memory.\n"
        "2. Upload drafts in the order they were written.\n\n"
        "**Nice to have**\n3. Shrink photos before upload.\n4. A sync button in settings.\n\n"
        "- **R9** Log every failed upload.\n\n"
        "## Milestones\n\n"
        "| # | Milestone | Scope | Status |\n|---|---|---|---|\n"
        "| M1 | Storage | Requirement 1 + move the drafts users already have | ✅ Done |\n"
        "| M2 | Upload | Requirements 2–4; R9 | In progress |\n\n"
        "M2 can't start until M1 lands.\n",
    )
    first, second = draft.milestones
    assert (first.id, first.title, first.done) == ("M1", "Storage", True)
    assert [(t.title, t.done) for t in first.tasks] == [
        ("Keep drafts in `app/db.ts` instead of memory.", True),
        ("move the drafts users already have", True),
    ]
    assert [t.title for t in second.tasks] == [
        "Upload drafts in the order they were written.",
        "Shrink photos before upload.",
        "A sync button in settings.",
        "R9 Log every failed upload.",
    ]
    assert second.dependencies == ["M1"]
    # Delivered by a milestone, a requirement is neither a criterion nor out of scope.
    assert draft.acceptance == []
    assert draft.out_of_scope == []


def test_a_board_names_its_work_in_a_title_column_and_retro_actions_are_no_work() -> None:
    draft = read_request(
        "t",
        "# Sprint 7 — Search team\n\nSprint goal: typo-tolerant search for everyone\n\n"
        "| Ticket | Title | Assignee | Est | Status |\n|---|---|---|---|---|\n"
        "| SRCH-12 | Fuzzy matching in `search/match.py` | @ana | 3 | Done |\n"
        "| SRCH-15 | Highlight the corrected words | @li | 2 | In review |\n\n"
        "### Retro actions carried over\n- Keep reviews under a day\n\n"
        "### Reading\n| Title | Author |\n|---|---|\n| Edit distance in practice | Lee |\n",
    )
    assert draft.objective == "typo-tolerant search for everyone"
    assert [(t.title, t.done) for t in draft.loose_tasks] == [
        ("SRCH-12 Fuzzy matching in `search/match.py`", True),
        ("SRCH-15 Highlight the corrected words", False),
    ]


def test_a_log_and_a_footnote_after_a_break_are_no_work() -> None:
    body = (
        "### Build\n- [x] Tag `v1.4.0` on main\n\n### Ship\n- [ ] Publish the wheels\n\n"
        "Log:\n- 03-02: rc1 out, one report of a broken `--quiet` flag\n"
        "FYI the docs deploy is manual this time.\n"
    )
    draft = read_request("t", body)
    assert [[t.title for t in m.tasks] for m in draft.milestones] == [
        ["Tag `v1.4.0` on main"],
        ["Publish the wheels"],
    ]
    footnote = read_request(
        "t",
        "### Phase 1: Release\n- [ ] Publish the wheels\n\n---\nProblems hit (fill in as you go):\n"
        "- the Windows runner timed out twice\n\n---\n- [ ] Announce the release\n",
    )
    (milestone,) = footnote.milestones
    assert [t.title for t in milestone.tasks] == ["Publish the wheels", "Announce the release"]


def test_the_stages_of_a_runbook_are_milestones_in_order() -> None:
    draft = read_request(
        "t",
        "# Runbook: move the queue to the new cluster\n\n"
        "## Prep (day before)\n- [x] Copy the config to `deploy/queue/new.yaml`\n"
        "- [ ] Announce the window in the ops channel\n\n"
        "## Procedure\n1. Pause the consumers\n2. Point `deploy/queue/dns.tf` at the new cluster\n"
        "3. Resume the consumers\n\n"
        "## Verify\n- The backlog drains within 10 minutes\n\n"
        "## Rollback\n1. Point the DNS back at the old cluster\n",
    )
    prep, procedure = draft.milestones
    assert prep.title == "Prep (day before)"
    assert [t.title for t in procedure.tasks][1] == "Point `deploy/queue/dns.tf` at the new cluster"
    assert procedure.dependencies == [prep.id or prep.title]
    assert draft.acceptance == ["The backlog drains within 10 minutes"]
    # One stage alone is just where the steps stand.
    alone = read_request("t", "## Procedure\n1. Pause the consumers in `q/pause.py`\n")
    assert alone.milestones == []
    assert [t.title for t in alone.loose_tasks] == ["Pause the consumers in `q/pause.py`"]


def test_a_fix_proposed_as_steps_is_work_beside_its_follow_ups_and_a_greeting_is_no_goal() -> None:
    draft = read_request(
        "t",
        "Hello team 👋\n\nA short note after the outage of the search page this morning.\n\n"
        "**Root cause:** the cache kept answers for a day.\n\n"
        "Proposed fix (for v3.2.1):\n\n"
        "1. Set the cache lifetime in `search/cache.py` to one minute\n"
        "2. Add a purge call in `search/admin.py`\n\n"
        "Follow-ups (not blocking the fix):\n- [ ] Alert when answers are older than an hour\n",
    )
    assert draft.objective == "A short note after the outage of the search page this morning."
    assert [t.title for t in draft.loose_tasks] == [
        "Set the cache lifetime in `search/cache.py` to one minute",
        "Add a purge call in `search/admin.py`",
        "Alert when answers are older than an hour",
    ]


def test_tests_to_write_under_testing_are_work_and_checks_stay_checks() -> None:
    draft = read_request(
        "t",
        "## Implementation\n- [ ] Parse `--since` in `cli/export.py`\n\n"
        "## Testing\n- [ ] Unit tests for the date parser, with garbage input\n"
        "- [ ] Add a 1M-row case to `bench/export_bench.py`\n"
        "- [ ] `make test` passes on Windows\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Parse `--since` in `cli/export.py`",
        "Unit tests for the date parser, with garbage input",
        "Add a 1M-row case to `bench/export_bench.py`",
    ]
    assert draft.validation == ["`make test` passes on Windows"]


def test_a_plain_item_that_asks_is_an_open_question_not_a_task() -> None:
    draft = read_request(
        "t",
        "## Phase 3\n- [ ] Drop the XML config reader in `cfg/xml.py`\n"
        "- plugin hot reload? only if it stays small\n- [ ] Can users pick a theme? Add it\n",
    )
    (milestone,) = draft.milestones
    assert [t.title for t in milestone.tasks] == [
        "Drop the XML config reader in `cfg/xml.py`",
        "Can users pick a theme? Add it",
    ]
    assert [d.question for d in draft.decisions] == ["plugin hot reload? only if it stays small"]


def test_a_short_line_or_a_bold_run_in_title_over_a_list_names_a_milestone() -> None:
    terse = read_request(
        "t",
        "m1 lexer\n- [x] tokens for numbers in `src/lex.rs`\n\n"
        "m2 parser (after m1)\n- [ ] expressions in `src/parse.rs`\n\n"
        "Phase 3 is for later.\n\nq: do we need a formatter?\n",
    )
    first, second = terse.milestones
    assert (first.title, second.title) == ("m1 lexer", "m2 parser")
    assert second.dependencies == [first.id or first.title]
    assert [d.question for d in terse.decisions] == ["Do we need a formatter?"]
    prose = read_request(
        "t",
        "## Plan\n\n**Milestone 1: Capture.** We start with the three admin pages:\n\n"
        "- Emit events from `admin/users.py`\n\n"
        "**Milestone 2: Browse.** Then the read side:\n\n- A page that lists events\n",
    )
    assert [(m.title, m.outcome) for m in prose.milestones] == [
        ("Capture", "We start with the three admin pages:"),
        ("Browse", "Then the read side:"),
    ]
    assert [[t.title for t in m.tasks] for m in prose.milestones] == [
        ["Emit events from `admin/users.py`"],
        ["A page that lists events"],
    ]
    (version,) = read_request("Wishlist", "## v2\n- [ ] env overrides in `cfg/env.py`\n").milestones
    assert version.title == "v2"


def test_steps_to_follow_in_order_and_a_release_started_after_another_wait() -> None:
    ordered = read_request(
        "t",
        "Please follow the steps in order.\n\n"
        "## Prepare\n- [ ] Bump the version in `pyproject.toml`\n\n"
        "## Publish\n- [ ] Upload the wheels\n",
    )
    prepare, publish = ordered.milestones
    assert publish.dependencies == [prepare.id or prepare.title]
    ranked = read_request(
        "t",
        "The steps are listed in order of priority.\n\n## Search\n- [ ] Add the index in `s/i.py`\n"
        "\n## Export\n- [ ] Add the CSV writer in `e/csv.py`\n",
    )
    assert [m.dependencies for m in ranked.milestones] == [[], []]
    versions = read_request(
        "t",
        "## v0.9\n- [ ] Safe cache writes in `cache/lock.rs`\n\n## v0.10\n"
        "> We'll only start v0.10 after v0.9 is out.\n\n- [ ] Plugins in `plugins/mod.rs`\n",
    )
    assert versions.milestones[1].dependencies == [versions.milestones[0].id or "v0.9"]


def test_an_important_note_states_a_criterion_and_monitoring_lists_work() -> None:
    draft = read_request(
        "t",
        "Move the orders table to the new database.\n\n"
        "> [!IMPORTANT]\n> Orders must not be lost during the move. Short pauses are fine.\n\n"
        "## Steps\n1. Copy the schema with `db/port.sql`\n\n"
        "## Rollout & monitoring\n- Dashboard of copy lag per table\n"
        "- Alert when the lag passes a minute\n",
    )
    assert draft.acceptance == ["Orders must not be lost during the move."]
    assert [t.title for t in draft.loose_tasks] == [
        "Copy the schema with `db/port.sql`",
        "Dashboard of copy lag per table",
        "Alert when the lag passes a minute",
    ]


def test_bold_labels_on_consecutive_lines_each_open_their_own_section() -> None:
    (story,) = read_request(
        "t",
        "## Phase 3: Saved searches\n\n**Goal**: a user can save a search and run it again.\n"
        "**Independent Test**: save a search, sign out, sign in and run it.\n\n"
        "- [ ] Store searches in `app/saved.py`\n",
    ).milestones
    assert story.outcome == "a user can save a search and run it again."
    assert story.acceptance == ["save a search, sign out, sign in and run it."]
    assert [t.title for t in story.tasks] == ["Store searches in `app/saved.py`"]


def test_a_clause_that_waits_for_a_numbered_milestone_is_a_dependency() -> None:
    draft = read_request(
        "t",
        "## Milestone 1: Capture\n- [ ] Emit events from `admin/users.py`\n\n"
        "## Milestone 2: Browse\nOnce events flow (milestone 1 live a week), we build a page.\n\n"
        "- [ ] List events in `admin/events.py`\n\n"
        "## Milestone 3: Retention\nWhen the page is done, nobody needs to wait.\n\n"
        "- [ ] Drop old events in `jobs/retention.py`\n",
    )
    capture, browse, retention = draft.milestones
    assert browse.dependencies == [capture.id]
    assert retention.dependencies == []


def test_requirements_in_a_table_are_named_by_a_phase_table_and_post_checks_are_criteria() -> None:
    draft = read_request(
        "t",
        "## Requirements\n| ID | Requirement | Priority |\n|---|---|---|\n"
        "| FR-1 | Schedule a saved report | P0 |\n| FR-2 | Email the report as PDF | P0 |\n\n"
        "## Phases\n| Phase | Includes | ETA |\n|---|---|---|\n"
        "| 1 | FR-1, FR-2 | March |\n| 2 | FR-7; a dashboard of the schedules | April |\n\n"
        "## Post-checks\n- A report scheduled for 9:00 arrives by 9:05\n",
    )
    first, second = draft.milestones
    assert [t.title for t in first.tasks] == [
        "FR-1 Schedule a saved report",
        "FR-2 Email the report as PDF",
    ]
    # FR-7 is listed nowhere: there is nothing to hand out for it.
    assert [t.title for t in second.tasks] == ["a dashboard of the schedules"]
    assert draft.acceptance == ["A report scheduled for 9:00 arrives by 9:05"]


def test_an_order_in_words_and_a_heading_marked_last_place_the_milestones() -> None:
    draft = read_request(
        "t",
        "Move every package to the new test runner.\n\n"
        "**Order:** shared settings first, then `packages/*`, then `apps/*`.\n\n"
        "## 0. Shared config\n- [ ] Add the runner preset in `conf/preset.ts`\n\n"
        "## packages/parse — @ana\n- [ ] Port the tests in `packages/parse/a.test.ts`\n\n"
        "## packages/format — @ben\n- [ ] Port the tests in `packages/format/b.test.ts`\n\n"
        "## apps/cli — @cy\n- [ ] Port the tests in `apps/cli/c.test.ts`\n\n"
        "## Cleanup (last)\n- [ ] Remove the old runner from `package.json`\n",
    )
    shared, parse, fmt, cli, cleanup = (m.title for m in draft.milestones)
    assert [m.dependencies for m in draft.milestones] == [
        [],
        [shared],
        [shared],
        [parse, fmt],
        [shared, parse, fmt, cli],
    ]
    first = read_request(
        "t",
        "## Search\n- [ ] Add the index in `s/index.py`\n\n"
        "## Freeze the schema (first)\n- [ ] Lock the columns in `db/schema.sql`\n",
    )
    assert [m.dependencies for m in first.milestones] == [["Freeze the schema (first)"], []]
    tasks = read_request(
        "t",
        "We write the tests first, then the code.\n\n"
        "## Tests for export\n- [ ] Cover the CSV writer in `t/test_csv.py`\n\n"
        "## Code cleanup\n- [ ] Drop the old writer in `e/old.py`\n",
    )
    assert [m.dependencies for m in tasks.milestones] == [[], []]
    started = read_request(
        "t",
        "Start with the schema, then the API.\n\n"
        "## Schema\n- [ ] Add the tables in `db/schema.sql`\n\n"
        "## API\n- [ ] Add the handlers in `api/handlers.py`\n",
    )
    assert [m.dependencies for m in started.milestones] == [[], ["Schema"]]


def test_each_phase_after_the_previous_one_chains_the_phases_and_before_after_headings() -> None:
    table = read_request(
        "t",
        "Copy the archive into the new table.\n\n## Phases\n\n"
        "Each phase starts only after the previous one has been checked.\n\n"
        "| Phase | Work |\n|---|---|\n| 1 — trial | Copy one month of rows |\n"
        "| 2 — bulk | Copy the rows of the year |\n",
    )
    trial, bulk = table.milestones
    assert bulk.dependencies == [trial.title]
    around = read_request(
        "t",
        "## Before phase 1\n- [ ] Pause the nightly import job\n\n"
        "## Phase 1: Copy\n- [ ] Copy the rows to the new table\n\n"
        "## After the last phase\n- [ ] Resume the nightly import job\n",
    )
    before, copy, after = around.milestones
    assert copy.dependencies == [before.title]
    assert after.dependencies == [copy.id]


def test_a_section_waits_on_one_named_by_outline_number_or_by_an_issue_of_its_work() -> None:
    numbered = read_request(
        "t",
        "## 2. Storage\n- [ ] Add the `rates` table in `db/rates.sql`\n\n"
        "## 3. Fetching\nThis section needs 2.1 merged and deployed first.\n"
        "- [ ] Fetch the daily rates in `jobs/fetch.py`\n\n"
        "## 4. Display\nWork in section 4 starts after sections 2 and 3 are both complete.\n"
        "- [ ] Show the rate on the invoice page\n",
    )
    storage, fetching, display = numbered.milestones
    assert fetching.dependencies == [storage.title]
    assert display.dependencies == [storage.title, fetching.title]
    issues = read_request(
        "t",
        "## Counting\n- [ ] #41 Count each billable call\n- [ ] #42 Hourly rollup job\n\n"
        "## Charging\nStarts once the hourly totals are reliable (#42 closed).\n\n"
        "- [ ] #50 Price list per plan\n",
    )
    assert issues.milestones[1].dependencies == ["Counting"]


def test_a_remark_below_two_sections_binds_both_to_a_list_named_loosely() -> None:
    draft = read_request(
        "t",
        "## Prepare (both apps)\n- [ ] Freeze the strings for translation\n\n"
        "## Web\n- [ ] Build the web bundle\n\n## Desktop\n- [ ] Build the desktop installer\n\n"
        "Both apps start publishing only after the prepare list is complete.\n\n"
        "## Wrap-up\n- [ ] Tag the release commit\n",
    )
    assert [m.dependencies for m in draft.milestones] == [
        [],
        ["Prepare (both apps)"],
        ["Prepare (both apps)"],
        [],
    ]


def test_a_post_release_heading_waits_on_the_ends_of_the_work_before_it() -> None:
    draft = read_request(
        "t",
        "## Prepare\n- [ ] Freeze the strings for translation\n\n"
        "## Web\nStarts after Prepare.\n\n- [ ] Build the web bundle\n\n"
        "## Desktop\nStarts after Prepare.\n\n- [ ] Build the desktop installer\n\n"
        "## Post-release\n- [ ] Merge the release branch back into main\n\n"
        "## Postgres upgrade\n- [ ] Move the database to the new major version\n",
    )
    assert [m.dependencies for m in draft.milestones] == [
        [],
        ["Prepare"],
        ["Prepare"],
        ["Web", "Desktop"],
        [],
    ]


def test_japanese_phase_headings_are_milestones_and_name_each_other() -> None:
    draft = read_request(
        "t",
        "## やること / Tasks\n\n### フェーズ1: 準備 (Phase 1: setup)\n"
        "- [ ] 設定を追加 / add the settings in `conf/app.toml`\n\n"
        "### フェーズ2: 表示 (Phase 2: display)\n※ (start after Phase 1 is merged)\n"
        "- [ ] 画面を追加 / add the page in `web/page.tsx`\n",
    )
    setup, display = draft.milestones
    assert (setup.id, display.id) == ("M1", "M2")
    assert display.dependencies == ["M1"]


def test_a_milestone_required_first_or_begun_after_another_waits_on_it() -> None:
    draft = read_request(
        "t",
        "## Storage\n- [ ] Add the tables in `db/schema.sql`\n\n"
        "## Fetching\nRequires the Storage milestone first.\n\n"
        "- [ ] Fetch the rates in `jobs/fetch.py`\n\n"
        "## Display\nBegins after the Fetching work is live.\n\n"
        "- [ ] Show the rates in `web/rates.tsx`\n",
    )
    assert [m.dependencies for m in draft.milestones] == [[], ["Storage"], ["Fetching"]]


@pytest.mark.parametrize(
    ("sentence", "work"),
    [
        ("It would be really helpful if the export kept the order.", "the export kept"),
        ("I'd like to see a dark theme in the settings.", "a dark theme"),
        ("We would like it if uploads resumed.", "uploads resumed"),
        ("Please add a retry to the upload.", "add a retry"),
    ],
)
def test_a_polite_request_asks_for_the_work_after_its_lead(sentence: str, work: str) -> None:
    assert ask(sentence).startswith(work)


def test_a_roadmap_in_md_fences_keeps_the_issues_line_numbers() -> None:
    """What is read inside opened fences is found at its line in the issue as written
    (findings and the box a merge ticks point there)."""
    body = (
        "```md\n# About\nThis list is a timeline.\n```\n\n"
        "```markdown\n# 0.1.0 Parser\n- [ ] Tokenise the input in `src/lex.rs`\n```\n"
    )
    draft = read_request("t", body)
    (milestone,) = draft.milestones
    assert body.split("\n")[milestone.line - 1] == "# 0.1.0 Parser"
    assert body.split("\n")[milestone.tasks[0].line - 1].startswith("- [ ] Tokenise")


def test_a_graduation_step_names_the_stage_it_reaches() -> None:
    """KEP-style graduation: "Alpha -> Beta Graduation" is the step to beta, after alpha."""
    draft = read_request(
        "t",
        "## Alpha Graduation\n- [ ] Add the feature gate in `pkg/gate.go`\n\n"
        "## Alpha -> Beta Graduation\n- [ ] Add the e2e test in `test/e2e/gate_test.go`\n\n"
        "## Beta -> GA Graduation\n- [ ] Remove the gate check in `pkg/gate.go`\n",
    )
    alpha, beta, ga = draft.milestones
    assert beta.dependencies == [alpha.id or alpha.title]
    assert ga.dependencies == [beta.id or beta.title]


def test_a_checkpoint_item_is_a_criterion_and_checkpoint_work_is_work() -> None:
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Add checkpoint saving in `src/ckpt.py`\n"
        "- [ ] 2. Checkpoint: the suite passes\n- [ ] 3. Final checkpoint - all green\n",
    )
    assert [t.title for t in draft.loose_tasks] == ["Add checkpoint saving in `src/ckpt.py`"]
    assert draft.acceptance == ["the suite passes", "all green"]


def test_an_epics_stories_are_its_tasks_each_with_its_own_criteria() -> None:
    body = (ROOT / "tests/reader_cases/bmad-epic-stories/issue.md").read_text(encoding="utf-8")
    (epic,) = read_request("t", body).milestones
    first, second = epic.tasks
    assert first.acceptance[0] == "Given the feed is reachable"
    assert second.acceptance[-1] == "Then matching stations are listed"
    assert epic.acceptance == []


def test_a_gsd_plans_task_keeps_its_files_done_and_the_decisions_options() -> None:
    body = (ROOT / "tests/reader_cases/gsd-plan/issue.md").read_text(encoding="utf-8")
    draft = read_request("t", body)
    task, unlisted = draft.milestones[0].tasks
    assert task.paths == ["src/alerts/schedule.ts", "src/alerts/store.ts"]
    assert task.acceptance == ["Starring a station books its next alert."]
    # A task that lists no <files> may change what the plan's front matter says it does.
    assert unlisted.paths == [*task.paths, "src/alerts/cancel.ts"]
    assert draft.milestones[0].validation == ["npm test passes"]
    assert draft.decisions[0].options == ["One hour", "Sailor chooses"]


def test_a_gsd_tasks_verify_brings_the_tests_it_runs_into_its_boundary() -> None:
    body = (
        "<objective>\nWiden the node type.\n</objective>\n<tasks>\n"
        '<task type="auto" tdd="true">\n<name>Task 1: Add the section kind</name>\n'
        "<files>src/node.ts</files>\n<action>Write the failing test first.</action>\n"
        "<verify>npx vitest run test/node.test.ts && npm run lint</verify>\n"
        "</task>\n</tasks>\n"
    )
    (task,) = read_request("t", body).milestones[0].tasks
    assert task.paths == ["src/node.ts", "test/node.test.ts"]


def test_a_gsd_plan_of_unclosed_tags_is_read_as_markdown_quickly() -> None:
    """Hostile: thousands of opened tags that never close are no plan (a bounded scan)."""
    body = "<tasks>" + "<task type='auto'><name>x" * 5000
    draft = read_request("t", body)
    assert draft.source in ("markdown", "fallback")


def test_a_status_inside_the_texts_own_parentheses_is_kept() -> None:
    """ "(SKIPPED - TODO)" is the task's own aside: the title is not cut to "(SKIPPED"."""
    draft = read_request(
        "t",
        "## Tasks\n- [ ] Write the subnet test (SKIPPED - TODO)\n- [ ] Add x in `a.py` - planned\n",
    )
    assert [t.title for t in draft.loose_tasks] == [
        "Write the subnet test (SKIPPED - TODO)",
        "Add x in `a.py`",
    ]


def test_a_story_files_tasks_meet_its_numbered_criteria_and_wait_on_their_subtasks() -> None:
    """BMAD's story file: "(AC: #1, #3)" leaves the title and gives the task those
    criteria (its sub-tasks too)."""
    body = (ROOT / "tests/reader_cases/story-file-tasks-meet-numbered-criteria/issue.md").read_text(
        encoding="utf-8"
    )
    tasks = {t.title: t for t in read_request("t", body).loose_tasks}
    button = 'An "Export CSV" button on the report page downloads the visible rows.'
    limit = "A report over 100,000 rows is refused with a message naming the limit."
    export = tasks["Export endpoint and button"]
    assert export.acceptance == [button, limit]
    assert tasks["GET /reports/:id/export.csv streams the rows"].acceptance == [button, limit]
    assert len(tasks["Tests"].acceptance) == 3


@pytest.mark.parametrize(
    ("front", "why"),
    [
        ("phase: " + "9" * 5000 + "\n", "value that cannot be read"),
        ("- a list\n", "not a mapping"),
        ("x: y\n" * 5000, "over 20,000 characters"),
    ],
)
def test_a_gsd_plans_front_matter_that_cannot_be_read_is_said_and_the_plan_read(
    front: str, why: str
) -> None:
    body = (ROOT / "tests/reader_cases/gsd-plan/issue.md").read_text(encoding="utf-8")
    rest = body[body.index("---", 3) :]
    draft = read_request("t", f"---\n{front}{rest}")
    assert [t.title for t in draft.milestones[0].tasks][:1] == ["Book the alert"]
    assert any(why in a for a in draft.assumptions), draft.assumptions


def test_the_criteria_a_task_meets_are_those_its_author_numbered() -> None:
    """ "(AC: #4)" is the criterion written "4." (not the fourth line: nested bullets and
    a gap in the numbering), or labelled "AC3:"; "(AC 22)" in a line is a current."""
    numbered = (
        "## Acceptance Criteria\n\n1. The export can be downloaded\n   - as CSV\n"
        "   - and as XLSX\n2. Dates are written as ISO 8601\n4. A report over 100,000 rows"
        " is refused\n5. The button is hidden for guests\n\n## Tasks\n\n"
        "- [ ] Add the date formatter (AC: #2)\n- [ ] Enforce the row limit (AC: #4)\n"
        "- [ ] Hide the button (AC: #5)\n- [ ] Show the charger power (AC 22) on the dashboard\n"
    )
    tasks = {t.title: t.acceptance for t in read_request("t", numbered).loose_tasks}
    assert tasks["Add the date formatter"] == ["Dates are written as ISO 8601"]
    assert tasks["Enforce the row limit"] == ["A report over 100,000 rows is refused"]
    assert tasks["Hide the button"] == ["The button is hidden for guests"]
    assert tasks["Show the charger power (AC 22) on the dashboard"] == []
    labelled = (
        "## Acceptance Criteria\n\n- **AC1: Export button** on the report page\n"
        "- **AC2: Dates** in ISO 8601\n- **AC3: Limit** of 100,000 rows\n\n"
        "## Tasks\n\n- [ ] Enforce the limit (AC: #3)\n"
    )
    (task,) = read_request("t", labelled).loose_tasks
    assert task.acceptance == ["AC3: Limit of 100,000 rows"]


def test_a_phase_over_parts_keeps_its_goal_as_its_outcome() -> None:
    body = (ROOT / "tests/reader_cases/phase-with-a-list-of-references/issue.md").read_text(
        encoding="utf-8"
    )
    draft = read_request("t", body)
    assert (draft.milestones[0].outcome or "").startswith("Sailors read charts with no signal")
    assert draft.objective is None


def test_a_decision_section_never_settles_a_line_that_is_still_open() -> None:
    """An ADR's "Decision" settles what it states, not an unticked box, a line that
    waits, one put to someone or one marked with its impact."""
    body = (
        "## Decision\n- [ ] Use Redis for sessions instead of Postgres\n"
        "- Pending: token lifetime for refresh tokens\n"
        "- Waiting on legal to approve the retention period\n"
        "- @lena to confirm the session timeout value\n- Session cookie domain (major)\n"
        "- Sessions live in Redis with a 30-day expiry\n"
    )
    draft = read_request("t", body)
    assert len(draft.decisions) == 5
    assert draft.resolved_decisions == ["Sessions live in Redis with a 30-day expiry"]
    logged = (ROOT / "tests/reader_cases/decision-logs-beside-open-lines/issue.md").read_text(
        encoding="utf-8"
    )
    taken = read_request("t", logged).resolved_decisions
    assert "2026-03-04: Keep the catalogue in SQLite (agreed with @lena)" in taken
    assert "Blocked accounts keep read-only access to their data" in taken and len(taken) == 7


def test_a_milestones_tasks_meet_its_own_numbered_criteria() -> None:
    """Two milestones number their criteria from 1 and share one: "(AC: #2)" in the
    second is the second's; a sub-task takes the criteria of the parent just above it,
    though two parents share a title."""
    body = (ROOT / "tests/reader_cases/milestones-number-their-own-criteria/issue.md").read_text(
        encoding="utf-8"
    )
    pdf = read_request("t", body).milestones[1].tasks
    assert pdf[0].acceptance == ["Pages are A4.", "A report over 500 pages is refused."]
    assert pdf[1].acceptance == ["All tests pass in CI."]
    assert pdf[3].acceptance == ["Pages are A4."]
    assert pdf[5].acceptance == ["A report over 500 pages is refused."]


def test_a_gsd_plans_front_matter_with_broken_characters_is_read_without_them() -> None:
    body = (ROOT / "tests/reader_cases/gsd-plan/issue.md").read_text(encoding="utf-8")
    rest = body[body.index("---", 3) :]
    front = '---\nmust_haves: {truths: ["\\ud800 broken", "Alerts fire"]}\n'
    draft = read_request("t", front + rest)
    assert draft.milestones[0].acceptance[0] == "Alerts fire"


def test_a_dependency_said_not_to_be_is_none() -> None:
    from planner.core.read import read_request

    draft = read_request(
        "t",
        "## Tasks\n- [ ] Add export in `a.py` (this does not need T2)\n"
        "- [ ] Add import in `b.py`, which doesn\u2019t depend on T1\n"
        "- [ ] Add sync in `c.py`: does **not** need T1\n"
        "- [ ] Add retry in `d.py`, no longer depends on T3\n"
        "- [ ] Add backoff in `e.py` (not before T2 is done; depends on T3)\n"
        "- [ ] Add logs in `f.py` (needs T1)\n"
        "- [ ] Add a cache in `g.py` (can't start until after T2)\n"
        "- [ ] Add a queue in `h.py` (not urgent - needs T2)\n",
    )
    assert [t.depends_on for t in draft.loose_tasks] == [
        [],
        [],
        [],
        [],
        ["T3"],
        ["T1"],
        ["T2"],
        ["T2"],
    ]


def test_never_and_cannot_deny_a_dependency_but_open_no_heading_of_no_work() -> None:
    """The words that deny a dependency right before it are not the ones that make a
    heading out of scope or a sentence of order a denial."""
    from planner.core.read import read_request

    draft = read_request(
        "t",
        "## Never in production\n- [ ] Add the debug console in `dev/console.py`\n\n"
        "## Phases\nPhases are sequential and never overlap.\n"
        "### Phase 1: Schema\n- [ ] Add the table in `db/schema.sql`\n"
        "### Phase 2: Backfill\n- [ ] Backfill the table in `db/backfill.py` (never needs T1)\n",
    )
    titles = [t.title for m in draft.milestones for t in m.tasks] + [
        t.title for t in draft.loose_tasks
    ]
    assert "Add the debug console in `dev/console.py`" in titles, "a heading with work"
    (backfill,) = [t for m in draft.milestones for t in m.tasks if "Backfill" in t.title]
    assert backfill.depends_on == []
