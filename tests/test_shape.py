"""The code's shape, measured with the standard library's ast over planner/ (generated
modules aside): small functions and classes, a shell entry that only dispatches, and
every finding made through the rule table."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from tests.runner import ROOT

PACKAGE = ROOT / "planner"
GENERATED = ("planner/schemas/validators/", "planner/core/read/lex.py")
MAX_FUNCTION, MAX_CLASS, MAX_MAIN = 80, 200, 250


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if not name.startswith(GENERATED):
            yield name, ast.parse(path.read_text(encoding="utf-8"))


def sized(kinds: tuple[type[ast.AST], ...]) -> list[tuple[int, str]]:
    return [
        (node.end_lineno - node.lineno + 1, f"{name}:{node.lineno} {node.name}")  # type: ignore[attr-defined]
        for name, tree in modules()
        for node in ast.walk(tree)
        if isinstance(node, kinds)
    ]


def test_no_function_is_longer_than_80_lines() -> None:
    long = sorted(s for s in sized((ast.FunctionDef, ast.AsyncFunctionDef)) if s[0] > MAX_FUNCTION)
    assert long == [], "split these into named parts"


def test_no_class_is_longer_than_200_lines() -> None:
    long = sorted(s for s in sized((ast.ClassDef,)) if s[0] > MAX_CLASS)
    assert long == [], "split these by what they are for"


def test_the_shell_entry_only_dispatches() -> None:
    lines = (PACKAGE / "action" / "main.py").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= MAX_MAIN


def test_every_finding_is_made_through_the_rule_table() -> None:
    """``finding()`` (core/findings.py) takes each rule's severity from the one table;
    a Finding built anywhere else could give a rule a severity the table does not."""
    outside = [
        f"{name}:{node.lineno}"
        for name, tree in modules()
        if name != "planner/core/findings.py"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "Finding"
    ]
    assert outside == []
