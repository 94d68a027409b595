"""The core is pure: it imports nothing that reads the environment, files, the network,
the clock or a random source, and it never imports the shell."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[1] / "planner" / "core"
FORBIDDEN_MODULES = {
    "os",
    "sys",
    "io",
    "pathlib",
    "shutil",
    "tempfile",
    "subprocess",
    "socket",
    "http",
    "urllib",
    "requests",
    "github",
    "time",
    "datetime",
    "random",
    "secrets",
    "uuid",
    "glob",
    "asyncio",
    "threading",
    "multiprocessing",
    "importlib",
    "builtins",
}
FORBIDDEN_CALLS = {"open", "input", "print", "exec", "eval", "__import__"}


def imported_modules(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("module", sorted(p.name for p in CORE.glob("*.py")))
def test_core_module_does_no_io(module: str) -> None:
    tree = ast.parse((CORE / module).read_text(encoding="utf-8"))
    modules = imported_modules(tree)
    bad = {m for m in modules if m.split(".")[0] in FORBIDDEN_MODULES}
    assert not bad, f"planner/core/{module} imports {sorted(bad)}"
    assert not any(m.startswith("planner.action") for m in modules), (
        f"planner/core/{module} imports the shell"
    )
    calls = {
        n.func.id
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
    }
    assert not calls & FORBIDDEN_CALLS, f"planner/core/{module} calls {calls & FORBIDDEN_CALLS}"


def test_the_purity_check_catches_an_offender(tmp_path: Path) -> None:
    offender = ast.parse("import os\nfrom datetime import datetime\nopen('x')\n")
    assert {"os", "datetime"} <= imported_modules(offender)
