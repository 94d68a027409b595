"""The whole action (entrypoint.py in a child process, offline, as the runner starts it) on
the shipped example and on the largest body GitHub allows; and how close an offline
`planner plan` of the example starts to the bare import of its dependencies.

Run: .venv/bin/python benchmarks/entrypoint_run.py

Printed: median wall and CPU time of 7 runs, peak RSS of the process, exit status
(checked); where valgrind is installed, also the instructions the floor and the plan
execute (callgrind), a count that other load on the machine does not change. The
start-up commands run interleaved, so the ratio compares them under the same load.
The package's bytecode is compiled first, as the image's build does: where
PYTHONDONTWRITEBYTECODE is set and no bytecode was written yet, every run would otherwise
compile each planner module from source again (about 70 ms a run).
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PLANNER, ROOT, Run, median_run, planner_env, run  # noqa: E402

EXAMPLE = ROOT / "examples" / "issue-42.md"
FLOOR = [sys.executable, "-c", "import pydantic, jsonschema, yaml, markdown_it"]
# What the planner's dependencies cost once used: `import pydantic` defers most of pydantic
# until a first model is built; jsonschema is left out, as a plan of a valid request
# never imports it.
IN_USE = "import pydantic, yaml, markdown_it\nclass One(pydantic.BaseModel):\n    x: int\nOne(x=1)"


def big_body() -> str:
    body, n = "## Tasks\n", 0
    while len(body) < 65_000:
        body += f"- [ ] Implement part {n} in `src/p{n}/`\n"
        n += 1
    return body


def action(body: str, folder: Path) -> Run:
    workspace = folder / "ws"
    shutil.copytree(ROOT / "examples" / "workspace", workspace)
    event = folder / "event.json"
    issue = {"number": 42, "title": "Benchmark", "body": body, "html_url": "https://x/42"}
    event.write_text(json.dumps({"action": "opened", "issue": issue}))
    env = planner_env() | {
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_EVENT_NAME": "issues",
    }
    command = [sys.executable, str(ROOT / "entrypoint.py")]
    return median_run(command, lambda done: done.code in (0, 1), repeat=7, env=env)


def start_up(folder: Path, repeat: int = 7) -> dict[str, list[Run]]:
    shutil.copytree(ROOT / "examples" / "workspace", folder / "plan")
    plan = [*PLANNER, "plan", str(EXAMPLE), "--issue-number", "42"]
    commands = {
        "import floor": (FLOOR, None),
        "dependencies in use": ([sys.executable, "-c", IN_USE], None),
        "planner --version": ([*PLANNER, "--version"], None),
        "planner plan (example)": (plan, folder / "plan"),
    }
    runs: dict[str, list[Run]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (command, cwd) in commands.items():
            done = run(command, cwd=cwd, env=planner_env())
            if done.code != 0:
                raise SystemExit(f"{name}: exit {done.code}\n{done.output}")
            runs[name].append(done)
    return runs


def instructions(command: list[str], cwd: Path) -> int:
    """The instructions ``command`` executes, counted by valgrind's callgrind."""
    done = run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        cwd=cwd,
        env=planner_env(),
    )
    found = re.search(r"Collected : (\d+)", done.output)
    if done.code != 0 or not found:
        raise SystemExit(f"callgrind: exit {done.code}\n{done.output[-2000:]}")
    return int(found.group(1))


def main() -> int:
    # In a child, so that this process stays small (see measure.py).
    compiled = run([sys.executable, "-m", "compileall", "-q", str(ROOT / "planner")])
    if compiled.code != 0:
        raise SystemExit(f"compiling the package's bytecode failed:\n{compiled.output}")
    print(f"{'the action on':<30}{'wall s':>8}{'cpu s':>7}{'peak MiB':>10}{'exit':>6}")
    cases = {"example (issue-42.md)": EXAMPLE.read_text(), "65,000 chars, ~1,600 tasks": big_body()}
    for name, body in cases.items():
        with tempfile.TemporaryDirectory() as tmp:
            done = action(body, Path(tmp))
        print(f"{name:<30}{done.seconds:>8.2f}{done.cpu:>7.2f}{done.rss_mib:>10.0f}{done.code:>6}")
    with tempfile.TemporaryDirectory() as tmp:
        runs = start_up(Path(tmp))
    print(f"\n{'start-up':<30}{'wall s':>8}{'cpu s':>7}{'peak MiB':>10}{'x floor':>9}")
    floor = statistics.median(r.seconds for r in runs["import floor"])
    floor_cpu = statistics.median(r.cpu for r in runs["import floor"])
    for name, rs in runs.items():
        wall = statistics.median(r.seconds for r in rs)
        cpu = statistics.median(r.cpu for r in rs)
        peak = max(r.rss_mib for r in rs)
        print(
            f"{name:<30}{wall:>8.3f}{cpu:>7.3f}{peak:>10.0f}"
            f"{wall / floor:>9.2f} wall {cpu / floor_cpu:.2f} cpu"
        )
    if shutil.which("valgrind"):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(ROOT / "examples" / "workspace", Path(tmp) / "plan")
            plan = [*PLANNER, "plan", str(EXAMPLE), "--issue-number", "42"]
            floor_count = instructions(FLOOR, Path(tmp))
            plan_count = instructions(plan, Path(tmp) / "plan")
        print(
            f"{'instructions (callgrind)':<30}floor {floor_count / 1e6:,.0f} M, plan "
            f"{plan_count / 1e6:,.0f} M: x{plan_count / floor_count:.2f}"
        )
    print("\nimport floor: python -c 'import pydantic, jsonschema, yaml, markdown_it'")
    print("dependencies in use: pydantic, yaml and markdown_it imported, one model built")
    return 0


if __name__ == "__main__":
    sys.exit(main())
