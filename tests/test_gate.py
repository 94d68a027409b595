"""Naming a pull request's task and matching its paths, as pure functions (the end-to-end
escapes are in test_check.py, on real git repositories)."""

from __future__ import annotations

import pytest

from planner.core.gate import PullRequest, glob_matches, name_task
from planner.core.plan import plan
from planner.model import Contract, Issue, PlanRequest

BODY = "## Tasks\n" + "".join(f"- [ ] Implement part {n} in `src/p{n}/`\n" for n in range(1, 12))


def contract(number: int) -> Contract:
    result = plan(PlanRequest(issue=Issue(number=number, title="Parts", body=BODY)))
    assert result.contract is not None
    return result.contract


CONTRACTS = [contract(42), contract(57)]


def named(branch: str = "", title: str = "", body: str = "", labels: tuple[str, ...] = ()) -> str:
    hit, findings = name_task(CONTRACTS, PullRequest(branch, title, body, labels))
    if findings:
        return findings[0].rule
    return hit.name if hit else "none"


def test_the_longest_known_id_wins() -> None:
    assert named("planner/42/M1-T10-docs") == "42/M1-T10"
    assert named("planner/42/M1-T1-docs") == "42/M1-T1"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"title": "Part 1/2: tidy the parser"}, "none"),
        ({"branch": "release/2026/notes"}, "none"),
        ({"branch": "planner/99/M1-T1"}, "check-task-unknown"),
        ({"labels": ("task:42/M9-T9",)}, "check-task-unknown"),
        ({"body": "Fixes things.\nplanner-task: #57/M1-T3\n"}, "57/M1-T3"),
        ({"body": "Mentions M1-T3 in passing."}, "none"),
        ({"title": "M1-T3"}, "check-task-ambiguous"),
        ({"branch": "planner/57/M1-T3", "title": "M1-T3: part three"}, "57/M1-T3"),
        ({"branch": "planner/57/M1-T3", "labels": ("task:42/M1-T3",)}, "check-task-conflict"),
        ({"labels": ("M1-T3", "bug")}, "none"),
        (
            {"branch": "planner/42/M1-T1", "body": "Planner-Task: #57/M1-T1\n"},
            "check-task-conflict",
        ),
        ({"body": "Planner-Task: #42/M1-T1, #42/M1-T3\n"}, "check-task-conflict"),
        ({"branch": "planner/42/M1-T1", "title": "Also 57/M1-T1"}, "check-task-conflict"),
        ({"branch": "planner/42/M1\u2010T1"}, "check-task-unknown"),
        ({"labels": ("TASK:57/M1-T2",)}, "57/M1-T2"),
    ],
)
def test_naming(kwargs: dict, expected: str) -> None:
    assert named(**kwargs) == expected


@pytest.mark.parametrize(
    ("path", "glob", "inside"),
    [
        ("src/a.py", "src/**", True),
        ("src/deep/er/a.py", "src/**", True),
        ("src", "src/**", True),
        ("srcx/a.py", "src/**", False),
        ("src/a.py", "src/*.py", True),
        ("src/x/a.py", "src/*.py", False),
        ("*/store/x.go", "internal/store/**", False),
        ("src/[ab].py", "src/a.py", False),
        ("src/[ab].py", "src/[[]ab].py", True),
        ("a/b/c/d", "**/c/*", True),
    ],
)
def test_paths_are_literal_and_globs_are_globs(path: str, glob: str, inside: bool) -> None:
    assert glob_matches(path, glob) is inside
