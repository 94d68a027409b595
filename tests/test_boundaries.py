"""No unbounded, protected or look-alike boundary is handed out: such a task is held back
with a finding saying how to allow it, and the rest of the wave goes on."""

from __future__ import annotations

import pytest

from planner.core.boundaries import Protected, is_unbounded, lookalike
from planner.core.plan import plan
from planner.model import Config, Issue, PlanRequest

TASKS = {
    "T1": "**",
    "T2": "*",
    "T3": "**/*",
    "T4": ".github/workflows/**",
    "T5": ".git/hooks/pre-commit",
    "T6": "IMPLEMENTATION_PLAN.md",
    "T7": "src/\u0430pi/**",  # a Cyrillic а
    "T8": "src/api\u202e/**",  # a right-to-left override
    "T9": "src\uff0fapi/**",  # a full-width solidus
    "T10": "src/feature/**",
}


def request() -> PlanRequest:
    tasks = "".join(
        f"- [ ] Implement part {n} in `src/part{n}/`\n  - paths: {path}\n"
        for n, path in enumerate(TASKS.values(), start=1)
    )
    body = f"## Milestones\n### M1: Work\n{tasks}\n## Assumptions\n- none\n"
    return PlanRequest(issue=Issue(number=5, title="Work", body=body))


def held(config: Config) -> tuple[list[str], dict[str, str]]:
    result = plan(request(), config)
    handed = [entry["task"] for entry in result.matrix["include"]]
    rules = {f.location.task: f.rule for f in result.findings if f.rule.startswith("boundary-")}
    return handed, {k: v for k, v in rules.items() if k}


def test_unbounded_protected_and_lookalike_boundaries_are_held_back() -> None:
    handed, rules = held(Config())
    assert handed == ["M1-T10"]
    assert rules == {
        "M1-T1": "boundary-unbounded",
        "M1-T2": "boundary-unbounded",
        "M1-T3": "boundary-unbounded",
        "M1-T4": "boundary-protected",
        "M1-T5": "boundary-protected",
        "M1-T6": "boundary-protected",
        "M1-T7": "boundary-lookalike",
        "M1-T8": "boundary-lookalike",
        "M1-T9": "boundary-lookalike",
    }
    result = plan(request(), Config.model_validate({"fanout": {"min_tasks": 1}}))
    assert result.fanout is not None
    deferred = {d.task: d.rule for d in result.fanout.deferred}
    assert deferred["M1-T4"] == "boundary-protected"
    protected = next(f for f in result.findings if f.location.task == "M1-T4")
    assert "protected_paths in .github/planner.yml" in protected.message
    assert protected.severity == "warning"
    unbounded = next(f for f in result.findings if f.location.task == "M1-T1")
    assert unbounded.severity == "error" and "Name the folders or files" in unbounded.message


def test_protected_paths_are_configurable_but_the_planning_files_stay_protected() -> None:
    config = Config.model_validate({"protected_paths": [".git/**"]})
    handed, rules = held(config)
    assert sorted(handed) == ["M1-T10", "M1-T4"]
    assert rules["M1-T5"] == "boundary-protected" and rules["M1-T6"] == "boundary-protected"


@pytest.mark.parametrize(
    ("glob", "unbounded"),
    [("**", True), ("*", True), ("**/*", True), ("*/**", True), ("src/**", False), ("*.py", False)],
)
def test_unbounded_globs(glob: str, unbounded: bool) -> None:
    assert is_unbounded(glob) is unbounded


@pytest.mark.parametrize(
    "glob",
    ["docs/日本語/**", "src/café.py", "src/Ωμέγα/", "lib/данные/**", "README.md"],
)
def test_plain_non_ascii_names_are_fine(glob: str) -> None:
    assert lookalike(glob) is None


def test_lookalikes_say_what_they_hold() -> None:
    assert lookalike("src/\u0430pi") == "letters of CYRILLIC and LATIN in one name ('\u0430pi')"
    assert lookalike("a\u200bb") == "the invisible character U+200B"
    assert lookalike("src\uff0fx") == "U+FF0F, which stands in for '/'"


def test_protected_paths_touched_are_named_in_their_configured_order() -> None:
    guard = Protected([".github/workflows/**", "IMPLEMENTATION_PLAN.md", "**/*.lock", "specs/**"])
    assert guard.touched("src/**") == ["**/*.lock"]
    assert guard.touched("**") == [
        ".github/workflows/**",
        "IMPLEMENTATION_PLAN.md",
        "**/*.lock",
        "specs/**",
    ]
    assert guard.touched(".github/*/ci.yml") == [".github/workflows/**"]
    assert guard.touched("specs/m1/spec.md") == ["specs/**"]
    assert guard.touched("docs/guide.md") == []


@pytest.mark.parametrize("path", ["src/api/handler.go", "a b/c~d.py", "x\x7f/y"])
def test_a_path_in_plain_ascii_is_no_lookalike(path: str) -> None:
    assert lookalike(path) is None


def test_a_path_inside_a_nested_git_folder_is_held_back() -> None:
    guard = Protected([".github/workflows/**"])
    assert guard.touched("vendor/lib/.git/hooks/post-checkout") == [".git"]
    assert guard.touched("src/feature/**") == [] and guard.touched("src/.gitignore") == []


@pytest.mark.parametrize("path", [".github/CODEOWNERS", "CODEOWNERS", ".gitmodules"])
def test_who_reviews_and_where_submodules_come_from_are_protected_by_default(path: str) -> None:
    """An agent that may rewrite CODEOWNERS chooses its own reviewers; one that may
    rewrite .gitmodules, the code a checkout fetches."""
    body = (
        f"## Tasks\n- [ ] Update the owners\n  - paths: {path}\n- [ ] Add x in `src/x.py`\n"
        "- [ ] Write the guide\n  - paths: docs/**\n"
    )
    result = plan(PlanRequest(issue=Issue(number=5, title="t", body=body)), Config())
    handed = [entry["task"] for entry in result.matrix["include"]]
    assert handed == ["M1-T2", "M1-T3"], "docs/** stays a boundary to hand out"
    assert any(f.rule == "boundary-protected" for f in result.findings)
