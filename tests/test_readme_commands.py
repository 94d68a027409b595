"""The README's first set-up command runs the main job on the shipped example and leaves
the tracked example files as they are."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from tests.runner import ROOT


def digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_scripts_example_runs_the_job_on_a_copy(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    assert "scripts/example" in readme and "scripts/test" in readme
    before = digest(ROOT / "examples")
    target = tmp_path / "demo"
    done = subprocess.run(
        [str(ROOT / "scripts" / "example"), str(target)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Exit status 0." in done.stdout
    assert "wave 1: M1-T1" in done.stdout
    for name in (
        ".agent/planning-output-42.json",
        ".agent/planner-fanout-42.json",
        "IMPLEMENTATION_PLAN.md",
        "specs/42-m1-redis-process-separation.md",
    ):
        assert (target / name).is_file(), name
    assert digest(ROOT / "examples") == before
