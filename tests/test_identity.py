"""Identity across edits (PRODUCT.md §14): ids survive an owner's edits, new work gets
ids never used before, removed work is recorded, work in flight is not handed out twice,
and merged work finishes the task its branch names. Each run is a fresh checkout (the
README's workflow commits nothing): the memory is the summary comment, through the real
PyGithub against the REST stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core import identity
from planner.core.done import tick_line
from planner.core.plan import build_plan, render_result
from planner.core.plan import plan as plan_core
from planner.core.result import task_digest
from planner.model import Config, Issue, PlanRequest
from tests.runner import RunnerResult, issue_event, run_action
from tests.servers.github import GitHubServer
from tests.test_github import NUMBER, TOKEN
from tests.test_loop import matrix, merged_event

BODY = """## Tasks
- [ ] Write the tokenizer in `lang/tokenizer/`
- [ ] Write the parser in `lang/parser/`
- [ ] Write the formatter in `lang/format/`
"""

pytestmark = pytest.mark.filterwarnings("ignore:Argument lazy is deprecated:DeprecationWarning")


@pytest.fixture
def github() -> Iterator[GitHubServer]:
    with GitHubServer(token=TOKEN) as server:
        server.add_issue(NUMBER, "A small language", BODY)
        yield server


def plan(tmp: Path, server: GitHubServer, inputs: dict[str, str] | None = None) -> RunnerResult:
    payload = issue_event("edited", NUMBER, server.issues[NUMBER]["body"])
    return run_action(
        tmp,
        "issues",
        payload,
        token=TOKEN,
        inputs={"upload-artifact": "false", **(inputs or {})},
        extra_env={"GITHUB_API_URL": server.url},
    )


def merge(tmp: Path, server: GitHubServer, branch: str) -> RunnerResult:
    return run_action(
        tmp,
        "pull_request",
        merged_event(branch, 7),
        token=TOKEN,
        inputs={"upload-artifact": "false"},
        extra_env={"GITHUB_API_URL": server.url},
    )


def contract(result: RunnerResult) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((result.workspace / result.outputs["contract"]).read_text())
    return loaded


def ids(result: RunnerResult) -> dict[str, str]:
    """Task title -> id."""
    return {
        t["title"]: t["id"] for m in contract(result)["roadmap"]["milestones"] for t in m["tasks"]
    }


def edit(server: GitHubServer, body: str) -> None:
    server.issues[NUMBER]["body"] = body


def test_an_inserted_task_takes_a_new_id_and_the_merge_ticks_the_right_box(
    tmp_path: Path, github: GitHubServer
) -> None:
    first = plan(tmp_path / "1", github)
    assert first.code == 0, first.stdout
    assert matrix(first) == ["M1-T1", "M1-T2", "M1-T3"]
    tokenizer = "Write the tokenizer in `lang/tokenizer/`"
    assert ids(first)[tokenizer] == "M1-T1"

    # The owner inserts a new first task while the three are in flight.
    edit(
        github,
        BODY.replace("## Tasks\n", "## Tasks\n- [ ] Add the lexer errors in `lang/errors/`\n"),
    )
    second = plan(tmp_path / "2", github)
    assert second.code == 0, second.stdout
    assert ids(second)[tokenizer] == "M1-T1", "the tokenizer keeps its id"
    assert ids(second)["Add the lexer errors in `lang/errors/`"] == "M1-T4", "a new id"
    assert matrix(second) == ["M1-T4"], "the tasks in flight are not handed out again"

    # The tokenizer's pull request merges: its box is ticked, not the new task's.
    done = merge(tmp_path / "3", github, "planner/1/M1-T1")
    assert done.code == 0, done.stdout
    body = github.issues[NUMBER]["body"]
    assert f"- [x] {tokenizer}" in body
    assert "- [ ] Add the lexer errors in `lang/errors/`" in body


def test_a_removed_task_is_recorded_and_its_id_never_given_again(
    tmp_path: Path, github: GitHubServer
) -> None:
    assert plan(tmp_path / "1", github).code == 0
    edit(github, BODY.replace("- [ ] Write the parser in `lang/parser/`\n", ""))
    second = plan(tmp_path / "2", github)
    removed = contract(second)["roadmap"]["removed"]
    assert [(r["id"], r["title"]) for r in removed] == [
        ("M1-T2", "Write the parser in `lang/parser/`")
    ]
    edit(github, github.issues[NUMBER]["body"] + "- [ ] Write the linter in `lang/lint/`\n")
    third = plan(tmp_path / "3", github)
    assert ids(third)["Write the linter in `lang/lint/`"] == "M1-T4", "not the removed M1-T2"
    assert "M1-T2" in {r["id"] for r in contract(third)["roadmap"]["removed"]}


def test_a_reworded_task_keeps_its_id_and_is_handed_out_again_as_changed(
    tmp_path: Path, github: GitHubServer
) -> None:
    assert plan(tmp_path / "1", github).code == 0
    edit(
        github,
        BODY.replace("Write the parser in `lang/parser/`", "Write the parser in `lang/syntax/`"),
    )
    second = plan(tmp_path / "2", github)
    assert ids(second)["Write the parser in `lang/syntax/`"] == "M1-T2"
    rows = json.loads(second.outputs["matrix"])["include"]
    assert [(r["task"], r.get("changed")) for r in rows] == [("M1-T2", "true")]


def test_replan_all_hands_out_the_whole_ready_wave(tmp_path: Path, github: GitHubServer) -> None:
    assert plan(tmp_path / "1", github).code == 0
    assert matrix(plan(tmp_path / "2", github)) == []
    again = plan(tmp_path / "3", github, {"replan": "all"})
    assert matrix(again) == ["M1-T1", "M1-T2", "M1-T3"]


def test_an_edited_memory_is_a_finding_and_a_fresh_start(
    tmp_path: Path, github: GitHubServer
) -> None:
    assert plan(tmp_path / "1", github).code == 0
    (comment,) = github.comments_on(NUMBER)
    comment["body"] = comment["body"].replace(" planner:ids v1 ", " planner:ids v1 0", 1)
    second = plan(tmp_path / "2", github)
    assert second.code == 0, second.stdout
    assert "identity-memory-lost" in second.outputs["findings"]
    assert matrix(second) == ["M1-T1", "M1-T2", "M1-T3"]


# ------------------------------------------------------------------ the core, as a property

TITLES = [f"Write the {w} in `lang/{w}/`" for w in "ab cd ef gh ij kl mn op".split()]


def core_plan(body: str, memory: str | None) -> tuple[dict[str, str], str]:
    result = plan_core(PlanRequest(issue=Issue(number=1, title="t", body=body), memory=memory))
    assert result.contract is not None
    made = {t.title: t.id for m in result.contract.roadmap.milestones for t in m.tasks}
    line = next(x for x in result.summary.splitlines() if identity.MARKER in x)
    return made, line


@given(st.lists(st.lists(st.sampled_from(TITLES), unique=True, min_size=1), min_size=2, max_size=6))
@settings(max_examples=60, deadline=None)
def test_ids_follow_their_text_and_are_never_reused(versions: list[list[str]]) -> None:
    """Over any sequence of edits (tasks inserted, removed, reordered), a task's text
    keeps its id while it stays, and an id once given never names other text."""
    memory: str | None = None
    owner: dict[str, str] = {}  # id -> the text it was given to
    for titles in versions:
        body = "## Tasks\n" + "".join(f"- [ ] {t}\n" for t in titles)
        made, memory = core_plan(body, memory)
        for title, tid in made.items():
            assert owner.setdefault(tid, title) == title, f"{tid} given to two texts"
        assert len(set(made.values())) == len(made)


def test_a_handed_out_task_digest_changes_with_its_boundary() -> None:
    body = "## Tasks\n- [ ] Write the parser in `lang/parser/`\n- [ ] Write b in `b/`\n"
    first = plan_core(PlanRequest(issue=Issue(number=1, title="t", body=body)))
    moved = plan_core(
        PlanRequest(issue=Issue(number=1, title="t", body=body.replace("lang/parser", "lang/p")))
    )
    assert first.fanout is not None and moved.fanout is not None
    assert task_digest(first.fanout.tasks[0]) != task_digest(moved.fanout.tasks[0])


def test_the_summary_says_what_changed_since_the_last_plan(
    tmp_path: Path, github: GitHubServer
) -> None:
    assert plan(tmp_path / "1", github).code == 0
    body = BODY.replace("- [ ] Write the parser in `lang/parser/`\n", "")
    body = body.replace("formatter in `lang/format/`", "formatter and printer in `lang/format/`")
    edit(github, body + "- [ ] Write the linter in `lang/lint/`\n")
    second = plan(tmp_path / "2", github)
    assert "### Changes in version 2" in second.summary
    assert "- **added:** `M1-T4`" in second.summary
    assert "- **reworded:** `M1-T3`" in second.summary
    assert "- **removed:** `M1-T2`" in second.summary
    block = (second.workspace / "IMPLEMENTATION_PLAN.md").read_text()
    assert "#### Changes in version 2" in block and "- **added:** `M1-T4`" in block


def test_the_version_goes_up_only_when_the_plan_changes(
    tmp_path: Path, github: GitHubServer
) -> None:
    # Every run is a fresh checkout: the version comes from the comment's memory.
    assert plan(tmp_path / "1", github).outputs["version"] == "1"
    assert plan(tmp_path / "2", github).outputs["version"] == "1"
    edit(github, BODY + "- [ ] Write the linter in `lang/lint/`\n")
    assert plan(tmp_path / "3", github).outputs["version"] == "2"
    assert plan(tmp_path / "4", github).outputs["version"] == "2"


def test_a_plan_made_again_after_a_removal_is_the_same_contract(
    tmp_path: Path, github: GitHubServer
) -> None:
    """The removed task's title is kept whole: a second run from the memory alone gave a
    cut title, a new contract and a new commit for a plan nobody changed."""
    long = "- [ ] Write the parser in `lang/parser/` with error recovery and source spans\n"
    edit(github, BODY.replace("- [ ] Write the parser in `lang/parser/`\n", long))
    assert plan(tmp_path / "1", github).code == 0
    edit(github, BODY.replace("- [ ] Write the parser in `lang/parser/`\n", ""))
    second, third = plan(tmp_path / "2", github), plan(tmp_path / "3", github)
    assert contract(second)["roadmap"]["removed"][0]["title"] == long[6:-1]
    assert contract(third) == contract(second)
    assert third.outputs["version"] == second.outputs["version"]


def test_a_deleted_task_does_not_hand_its_id_to_its_twin_in_another_milestone() -> None:
    body = (
        "## Milestone 1: Backend\n- [ ] Write tests in `tests/`\n"
        "- [ ] Implement the API in `src/api/`\n\n"
        "## Milestone 2: Frontend\n- [ ] Write tests in `tests/`\n"
        "- [ ] Implement the UI in `src/ui/`\n"
    )
    first, memory = core_plan(body, None)
    assert first == {
        "Write tests in `tests/`": "M2-T1",  # the later twin wins the dict; both exist
        "Implement the API in `src/api/`": "M1-T2",
        "Implement the UI in `src/ui/`": "M2-T2",
    }
    edited = body.replace(
        "- [ ] Write tests in `tests/`\n- [ ] Implement the API", "- [ ] Implement the API", 1
    )
    second, _ = core_plan(edited, memory)
    assert second["Write tests in `tests/`"] == "M2-T1", "the twin keeps its own id"


def test_the_memory_leads_the_summary_so_no_cut_loses_it() -> None:
    body = "## Tasks\n" + "".join(
        f"- [ ] Implement component number {i} of the billing system in `src/c{i}/`\n"
        for i in range(1500)
    )
    result = plan_core(PlanRequest(issue=Issue(number=1, title="t", body=body)))
    first = result.summary.splitlines()[0]
    assert first.startswith(f"<!-- {identity.MARKER} ") and len(first) <= 40_000
    assert result.contract is not None
    planned = sum(len(m.tasks) for m in result.contract.roadmap.milestones)
    memory, findings = identity.decode(result.summary[:65_000])
    assert memory is not None and not findings and len(memory.tasks) == planned


def test_a_plan_too_large_for_whole_titles_in_its_memory_keeps_every_id() -> None:
    """The memory cuts titles to fit its comment; an unchanged task compared as it was
    cut is the same task. Compared whole, a plan of 350 long tasks lost almost every id on
    every run, and its version went up each time with nothing changed."""
    import hashlib

    def name(i: int, k: int) -> str:  # a made-up word: titles that compress as little as
        digest = hashlib.sha256(f"{i}/{k}".encode()).digest()  # real ones do
        return "".join(chr(97 + b % 26) for b in digest[: 4 + (i + k) % 6])

    body = "## Tasks\n" + "".join(
        f"- [ ] Add {' '.join(name(i, k) for k in range(14))} in `src/m{i}.py`\n"
        for i in range(350)
    )
    first, line = core_plan(body, None)
    memory, _ = identity.decode(line)
    assert memory is not None and memory.cut is not None and memory.cut < 120, "titles cut"
    summary = line
    for _ in range(2):
        again, summary = core_plan(body, summary)
        assert again == first
    edited = body.replace(f"- [ ] Add {name(7, 0)} ", f"- [ ] Add the {name(7, 0)} ")
    after, _ = core_plan(edited, summary)
    assert sorted(after.values()) == sorted(first.values()), "an edit keeps ids too"


def test_a_memory_that_inflates_past_any_plan_is_refused() -> None:
    import base64
    import zlib

    packed = base64.b64encode(zlib.compress(b"[" * 20_000_000, 9)).decode()
    digest = identity._digest(packed)  # a whole, unedited line: only its size refuses it
    memory, findings = identity.decode(f"<!-- {identity.MARKER} v1 {digest} {packed} -->")
    assert memory is None and [f.rule for f in findings] == ["identity-memory-lost"]


@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(TITLES), unique=True, min_size=1, max_size=6),
            st.integers(min_value=0, max_value=7),
        ),
        min_size=2,
        max_size=6,
    )
)
@settings(max_examples=60, deadline=None)
def test_merged_work_ticks_the_task_it_was_handed_out_for(
    steps: list[tuple[list[str], int]],
) -> None:
    """The loop over random edits (tasks inserted, removed, reordered) with a merge after
    each plan: a merged branch ticks the box of the very text it was handed out for, and a
    task in flight is never handed out twice."""
    memory: str | None = None
    handed: dict[str, str] = {}  # id -> the text it was handed out for
    done: set[str] = set()
    for titles, pick in steps:
        finished = {handed[i] for i in done}
        body = "## Tasks\n" + "".join(f"- [{'x' if t in finished else ' '}] {t}\n" for t in titles)
        built = build_plan(
            PlanRequest(issue=Issue(number=1, title="t", body=body), memory=memory), Config()
        )
        result = render_result(
            built, PlanRequest(issue=Issue(number=1, title="t", body=body)), Config()
        )
        memory = result.summary
        assert built.contract is not None
        text_of = {t.id: t.title for m in built.contract.roadmap.milestones for t in m.tasks}
        for row in result.matrix["include"]:
            tid = row["task"]
            assert tid not in handed or handed[tid] != text_of[tid], f"{tid} handed out twice"
            handed[tid] = text_of[tid]
        in_flight = sorted(i for i in handed if i in text_of and i not in done)
        if not in_flight:
            continue
        merged = in_flight[pick % len(in_flight)]
        line = built.task_lines[merged]
        ticked = tick_line(body, line)
        assert ticked is not None
        assert ticked.splitlines()[line - 1] == f"- [x] {handed[merged]}", "the right box"
        done.add(merged)
