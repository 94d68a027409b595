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


def _finding_calls() -> Iterator[tuple[str, ast.Call, str]]:
    """Every ``finding("<rule>", ...)`` call in the package, with where it is."""
    for name, tree in modules():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "finding"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                yield f"{name}:{node.lineno}", node, node.args[0].value


# The modules that judge what someone else wrote: contracts, fanouts, pull requests.
JUDGES = (
    "planner/core/check.py",
    "planner/core/contract_rules.py",
    "planner/core/gate.py",
    "planner/action/modes/check.py",
    "planner/action/modes/validate.py",
)


def test_a_rule_reported_in_several_places_says_one_thing_everywhere() -> None:
    """A rule whose row says its message (plan on a request, validate on a contract,
    check on a pull request all report it) is given facts, never its own wording; its
    shapes get every fact they name. A rule worded whole is reported either by plan mode
    or by the modes that judge others' files, never by both, so its wording cannot
    drift between them."""
    from planner.core.findings import RULES

    wrong: list[str] = []
    free: dict[str, dict[bool, list[str]]] = {}
    for where, call, rule in _finding_calls():
        says = RULES[rule].says
        keywords = {k.arg: k.value for k in call.keywords if k.arg is not None}
        if not says:
            judges = where.split(":", 1)[0] in JUDGES
            free.setdefault(rule, {}).setdefault(judges, []).append(where)
            if len(call.args) != 2 or {"shape", "fix"} & set(keywords):
                wrong.append(f"{where}: {rule} needs its message whole")
            continue
        shape = keywords.get("shape")
        shape_name = shape.value if isinstance(shape, ast.Constant) else ""
        if len(call.args) != 1 or shape_name not in says:
            wrong.append(f"{where}: {rule} says its own message (shapes {sorted(says)})")
            continue
        given = set(keywords) | {"milestone", "task", "file"}
        missing = RULES[rule].fields(str(shape_name)) - given
        if missing and None not in {k.arg for k in call.keywords}:  # no **facts
            wrong.append(f"{where}: {rule} needs {sorted(missing)}")
    wrong += [
        f"{rule} is worded by plan and by the judges ({sides}): give it `says`"
        for rule, sides in free.items()
        if len(sides) > 1
    ]
    assert wrong == []
