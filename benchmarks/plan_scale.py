"""How planning scales with the number of tasks, in the shapes large plans take.

Run: .venv/bin/python benchmarks/plan_scale.py [--quick]

Each case is a draft file (the contract's shape, as an agent writes one) planned by
`planner plan` as a whole process: the median wall and CPU time of 3 runs, each a first
plan of the issue (every file written: the plan, the specs, the contract, the fanout and a
brief per task handed out), the peak RSS of the process, and its exit status (checked,
with the number of tasks in the contract it wrote). Per task, the core alone (`plan()` in
a child process, best CPU time of 5 after a warm-up, with the collector set as a run sets
it) gives the cost without the fixed start-up. "µs/added" is what each task added since the
size before cost, and "growth" that cost over the same between the two smallest sizes:
1.00 is linear. (Time per task at 100 tasks also carries what any plan
costs, however few its tasks: rendering, the summary, the checks of the written files.)

Workspaces are made under $TMPDIR: a first plan of 1,000 tasks creates about 1,000 files,
so on a slow disk the whole-process figures measure the disk too (TMPDIR=/dev/shm measures
the planner).

A second table times wave assignment alone (`assign_waves`, best of 5) at growing sizes.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PLANNER, Run, median_run, planner_env, run  # noqa: E402

SIZES = (100, 500, 1_000, 2_000, 5_000)
QUICK_SIZES = (100, 1_000)


def _task(title: str, paths: list[str], depends: list[str] | None = None) -> dict[str, Any]:
    task: dict[str, Any] = {"title": title, "diff_boundary": {"paths": paths}}
    if depends:
        task["depends_on"] = depends
    return task


def _milestone(mid: str, tasks: list[dict[str, Any]], after: str | None) -> dict[str, Any]:
    return {
        "id": mid,
        "title": f"Step {mid}",
        "outcome": f"step {mid} is built",
        "dependencies": [after] if after else [],
        "acceptance": ["the parts work"],
        "validation": ["the test suite passes"],
        "tasks": tasks,
    }


def _draft(milestones: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "roadmap": {
            "objective": "Build many parts",
            "milestones": milestones,
            "assumptions": ["Parts are independent"],
            "unknowns": ["None"],
        }
    }


def one_milestone(n: int) -> dict[str, Any]:
    tasks = [
        _task(f"Implement part {i} in src/p{i}/mod.py", [f"src/p{i}/mod.py"]) for i in range(n)
    ]
    return _draft([_milestone("M1", tasks, None)])


def many_milestones(n: int) -> dict[str, Any]:
    milestones = []
    for m in range(0, n, 20):
        tasks = [
            _task(f"Implement part {i} in src/m{m}/p{i}.py", [f"src/m{m}/p{i}.py"])
            for i in range(m, min(n, m + 20))
        ]
        milestones.append(_milestone(f"M{m // 20 + 1}", tasks, f"M{m // 20}" if m else None))
    return _draft(milestones)


def many_paths(n: int, per_task: int = 6) -> dict[str, Any]:
    tasks = [
        _task(f"Implement part {i} in s/t{i}/", [f"s/t{i}/f{k}.py" for k in range(per_task)])
        for i in range(n)
    ]
    return _draft([_milestone("M1", tasks, None)])


def deep_paths(n: int) -> dict[str, Any]:
    tasks = [
        _task(f"Implement part {i} in its module", [f"svc/core/a/b/c/d/e/f/g/h/p{i}/mod.py"])
        for i in range(n)
    ]
    return _draft([_milestone("M1", tasks, None)])


def layered(n: int) -> dict[str, Any]:
    """One milestone; each task after the first 20 depends on one 20 places before it."""
    tasks = [
        _task(
            f"Implement part {i} in src/p{i}.py",
            [f"src/p{i}.py"],
            [f"M1-T{i - 19}"] if i >= 20 else None,
        )
        for i in range(n)
    ]
    return _draft([_milestone("M1", tasks, None)])


SHAPES: dict[str, Callable[[int], dict[str, Any]]] = {
    "one milestone": one_milestone,
    "many milestones": many_milestones,
    "many paths (6/task)": many_paths,
    "deep paths (12 dirs)": deep_paths,
    "layered deps": layered,
}


def _core_seconds(shape: str, n: int) -> float:
    """The best of 5 CPU times of ``plan()`` alone after one warm-up run, in a child
    process (this one stays small, see measure.py). CPU time and the best run: on a shared
    machine wall time and the other runs measure the neighbours."""
    done = run([sys.executable, __file__, "--core", shape, str(n)], env=planner_env())
    if done.code != 0:
        raise SystemExit(f"timing the core failed:\n{done.output}")
    return float(done.output.split()[-1])


def core_child(shape: str, n: int) -> None:
    from planner.action.main import allocating_in_bulk
    from planner.core.plan import plan
    from planner.model import Issue, PlanRequest

    request = PlanRequest(
        issue=Issue(number=1, title="scale", body="Plan the draft."),
        draft=json.dumps(SHAPES[shape](n), separators=(",", ":")),
        draft_name="draft.json",
    )
    plan(request)  # once first: compiled regexes, schema validators and caches warm up
    samples = []
    with allocating_in_bulk():
        for _ in range(5):
            start = time.process_time()
            plan(request)
            samples.append(time.process_time() - start)
    print(min(samples))


def _whole_process(draft: dict[str, Any], n: int, folder: Path) -> Run:
    workspace = folder / "ws"
    workspace.mkdir()
    (workspace / "draft.json").write_text(json.dumps(draft, separators=(",", ":")))
    request = folder / "request.md"
    request.write_text("# Scale\n\nPlan the draft.\n")
    command = [*PLANNER, "plan", str(request), "--workspace", str(workspace)]
    command += ["--draft", "draft.json", "--issue-number", "1", "--fail-on", "never"]
    contract = workspace / ".agent" / "planning-output-1.json"

    def planned_all(done: Run) -> bool:
        if done.code != 0 or not contract.exists():
            return False
        data = json.loads(contract.read_text())
        return sum(len(m["tasks"]) for m in data["roadmap"]["milestones"]) == n

    def first_plan() -> None:
        """Each run plans the issue for the first time: it writes every file (the plan,
        a spec per milestone, the contract, the fanout and a brief per task handed out)."""
        for written in (".agent", "specs"):
            shutil.rmtree(workspace / written, ignore_errors=True)
        (workspace / "IMPLEMENTATION_PLAN.md").unlink(missing_ok=True)

    return median_run(command, planned_all, repeat=3, env=planner_env(), before=first_plan)


def plan_table(sizes: tuple[int, ...]) -> tuple[float, float]:
    """The table; then the worst growth, across shapes, of the core's time per task (at
    each size over the smallest) and of its cost per added task."""
    print(
        f"{'shape':<22}{'tasks':>6}{'KiB':>5}{'wall s':>8}{'cpu s':>7}{'peak MiB':>9}"
        f"{'core ms':>8}{'µs/task':>8}{'µs/added':>9}{'growth':>7}"
    )
    worst = worst_per_task = 0.0
    for name, make in SHAPES.items():
        first = None
        previous: tuple[int, float] | None = None
        smallest: float | None = None
        for n in sizes:
            draft = make(n)
            with tempfile.TemporaryDirectory() as tmp:
                whole = _whole_process(draft, n, Path(tmp))
            core = _core_seconds(name, n)
            size = len(json.dumps(draft, separators=(",", ":"))) / 1024
            smallest = smallest or core / n
            worst_per_task = max(worst_per_task, core / n / smallest)
            row = (
                f"{name:<22}{n:>6}{size:>5.0f}{whole.seconds:>8.2f}{whole.cpu:>7.2f}"
                f"{whole.rss_mib:>9.0f}{core * 1e3:>8.0f}{core / n * 1e6:>8.0f}"
            )
            if previous is None:
                print(f"{row}{'-':>9}{'-':>7}")
            else:
                # The cost of each task added since the size before: flat when planning
                # is linear, whatever a plan costs however few its tasks.
                added = (core - previous[1]) / (n - previous[0])
                first = first or added
                worst = max(worst, added / first)
                print(f"{row}{added * 1e6:>9.0f}{added / first:>7.2f}")
            previous = (n, core)
    return worst_per_task, worst


def wave_table(sizes: tuple[int, ...]) -> float:
    """assign_waves alone (in this process, after every child has run): n tasks with
    distinct files, with 150 files each, with distinct folders and one shared file (one
    wave per task), and with a wildcard in a name in one folder: ``lib/*17.py``, whose
    written-out end may agree with others' (``lib/*7.py``: ``lib/x17.py`` matches both,
    so those tasks overlap), then names numbered to one width that never meet, told apart
    by their written-out end (``lib/*_0017.py``) or start (``db/0017_*.sql``), and
    written-out files beside them in the same folder (``tests/test_0017.py`` and
    ``tests/test_0017_*.py``, one task). "meets" is how many pairs of different globs
    overlap, per task: work no index can skip (each pair is compared, and is a wave that
    one of the two cannot take); a glob that many tasks share is filed once."""
    from planner.action.main import allocating_in_bulk
    from planner.core.graph import assign_waves
    from planner.core.paths import overlapping_pairs

    print(f"\n{'waves: case':<34}{'tasks':>7}{'ms':>9}{'µs/task':>9}{'growth':>8}{'meets':>7}")
    cases: dict[str, Callable[[int], dict[str, list[str]]]] = {
        "distinct files": lambda n: {f"T{i}": [f"src/p{i}/mod.py"] for i in range(n)},
        "150 paths per task": lambda n: {
            f"T{i}": [f"pkg/t{i}/f{k}.go" for k in range(150)] for i in range(n)
        },
        "distinct dirs, one shared file": lambda n: {
            f"T{i}": [f"src/p{i}/**", "CHANGELOG.md"] for i in range(n)
        },
        "wildcards in one folder": lambda n: {f"T{i}": [f"lib/*{i}.py"] for i in range(n)},
        "wildcards, distinct ends": lambda n: {f"T{i}": [f"lib/*_{i:04}.py"] for i in range(n)},
        "wildcards, distinct starts": lambda n: {f"T{i}": [f"db/{i:04}_*.sql"] for i in range(n)},
        "files beside wildcards": lambda n: {
            f"T{i}": [f"tests/test_{i:04}.py", f"tests/test_{i:04}_*.py"] for i in range(n)
        },
    }
    worst = 0.0
    for name, make in cases.items():
        first = None
        for n in (s for s in sizes if name != "150 paths per task" or s <= 1_000):
            paths = make(n)
            order = list(paths)
            samples = []
            with allocating_in_bulk():  # the collector as a run sets it
                for _ in range(5):
                    start = time.process_time()
                    assign_waves(order, {}, paths, 256)
                    samples.append(time.process_time() - start)
            seconds = min(samples)
            per_task = seconds / n
            first = first or per_task
            worst = max(worst, per_task / first)
            globs = dict.fromkeys(glob for boundary in paths.values() for glob in boundary)
            meets = len(overlapping_pairs([[glob] for glob in globs])) / n
            print(
                f"{name:<34}{n:>7}{seconds * 1e3:>9.1f}{per_task * 1e6:>9.1f}"
                f"{per_task / first:>8.2f}{meets:>7.2f}"
            )
    return worst


def forty_by_150() -> None:
    """The case that took about a minute: 40 tasks of 150 paths each, whole process."""
    tasks = [
        _task(f"Implement part {i} in pkg/t{i}/", [f"pkg/t{i}/f{k}.go" for k in range(150)])
        for i in range(40)
    ]
    small = [_task(f"Implement part {i} in pkg/t{i}/", [f"pkg/t{i}/f0.go"]) for i in range(40)]
    print()
    for label, draft in (
        ("40 tasks x 150 paths", _draft([_milestone("M1", tasks, None)])),
        ("40 tasks x 1 path", _draft([_milestone("M1", small, None)])),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            whole = _whole_process(draft, 40, Path(tmp))
        print(
            f"{label:<24} wall {whole.seconds:.2f} s, cpu {whole.cpu:.2f} s, "
            f"peak {whole.rss_mib:.0f} MiB"
        )


def main() -> int:
    if sys.argv[1:2] == ["--core"]:
        core_child(sys.argv[2], int(sys.argv[3]))
        return 0
    sizes = QUICK_SIZES if "--quick" in sys.argv else SIZES
    per_task, per_added = plan_table(sizes)
    forty_by_150()
    worst_waves = wave_table(sizes)
    print(
        f"\nworst growth of the core's time per task, {sizes[0]} to {sizes[-1]} tasks: "
        f"x{per_task:.2f}; of its cost per added task: x{per_added:.2f}"
    )
    print(f"worst growth of wave assignment per task: x{worst_waves:.2f} (1.00 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
