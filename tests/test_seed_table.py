"""The README's seed table (goals, eight rules, outputs -> enforcement -> finding ->
test) names only findings that exist in the rule table and tests that exist, and every
rule of the seed has its row, naming every finding of that rule."""

from __future__ import annotations

import ast
import re

from planner.core.findings import RULES
from tests.runner import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
HEADER = "| seed | how the action enforces it | finding | shown by |"


def seed_rows() -> list[list[str]]:
    section = README.split("\n## The seed, rule by rule\n", 1)[1].split("\n## ", 1)[0]
    table = section[section.index(HEADER) :].split("\n\n", 1)[0].strip().splitlines()
    rows = []
    for line in table[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        assert len(cells) == 4, f"a seed table row needs four cells: {line}"
        rows.append(cells)
    return rows


def spans(cell: str) -> list[str]:
    return re.findall(r"`([^`]+)`", cell)


def functions_in(path: str) -> set[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)}


def test_every_finding_the_seed_table_names_is_in_the_rule_table() -> None:
    named = [rule for row in seed_rows() for rule in spans(row[2])]
    assert named, "the seed table names no finding"
    unknown = sorted({rule for rule in named if rule not in RULES})
    assert unknown == [], f"the README's seed table names findings that do not exist: {unknown}"


def test_every_test_the_seed_table_names_exists() -> None:
    missing = []
    for seed, _, _, shown in seed_rows():
        refs = spans(shown)
        assert refs, f"no test shows '{seed}'"
        for ref in refs:
            path, _, name = ref.partition("::")
            if name:
                if not (ROOT / path).is_file() or name not in functions_in(path):
                    missing.append(ref)
            elif not (path.startswith("tests/cases/") and (ROOT / path / "request.md").is_file()):
                missing.append(ref)
    assert missing == [], f"the README's seed table names tests that do not exist: {missing}"


def test_each_goal_rule_and_output_of_the_seed_has_a_row() -> None:
    kinds = [row[0].split(":", 1)[0] for row in seed_rows()]
    assert kinds.count("Goal") == 4 and kinds.count("Output") == 5
    assert [kinds.count(f"Rule {n}") for n in range(1, 9)] == [1] * 8


def test_each_seed_rule_row_names_every_finding_of_that_rule() -> None:
    rows = {row[0].split(":", 1)[0]: row for row in seed_rows()}
    for rule in RULES.values():
        if rule.seed is not None:
            assert rule.id in spans(rows[f"Rule {rule.seed}"][2]), (
                f"{rule.id} is missing from the seed table's row for rule {rule.seed}"
            )
