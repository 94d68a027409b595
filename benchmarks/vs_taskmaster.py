"""`planner validate` against Taskmaster's `task-master validate-dependencies` on the same
dependency graphs, as whole processes.

Run: .venv/bin/python benchmarks/vs_taskmaster.py [--sizes 200,2000,20000] [--chains 10,100]
     [--repeat 5]

Needs Taskmaster's CLI, which tests/node installs (npm package task-master-ai; it runs
offline, with TASKMASTER_SKIP_AUTO_UPDATE=1). Each size is written for each chain length
(``--chains``: the layers of the graph, each task depending on the one in its place in the
layer before) twice by benchmarks/graphs.py (a clean graph, and one with a cycle and an
unknown dependency), in both formats, by a child process. Chains of 100 are one layer per
milestone of 200 tasks; Taskmaster's time grows with the chains' length, the planner's
does not. The two tools then run alternately, each `--repeat`
times (Taskmaster once at 20,000 tasks and above: a run takes minutes); printed are
median wall and CPU time, peak RSS of the process, its exit status, whether it reported
both defects, and planner's times as a fraction of Taskmaster's.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PLANNER, ROOT, Run, planner_env, run  # noqa: E402

TASKMASTER = ROOT / "tests" / "node" / "node_modules" / ".bin" / "task-master"


def planner_found(done: Run) -> tuple[bool, bool]:
    return "[graph-cycle]" in done.output, "[graph-unknown-dependency]" in done.output


def taskmaster_found(done: Run) -> tuple[bool, bool]:
    return "[CIRCULAR]" in done.output, "[MISSING]" in done.output


def _check(tool: str, done: Run, n: int, defects: bool) -> None:
    """Every run must be the run asked for: else stop with its output."""
    if tool == "planner":
        ok = done.code == (1 if defects else 0) and (all(planner_found(done)) == defects)
    else:
        checked = re.search(r"Tasks checked: (\d+)", done.output)
        ok = bool(checked and int(checked.group(1)) == n) or (
            not defects and "all dependencies are valid" in done.output.lower()
        )
        ok = ok and done.code == 0 and all(taskmaster_found(done)) == defects
    if not ok:
        tail = "\n".join(done.output.strip().splitlines()[-8:])
        raise SystemExit(
            f"{tool} on {n} tasks{' with defects' * defects}: exit {done.code}\n{tail}"
        )


def compare(n: int, chain: int, defects: bool, repeat: int, folder: Path) -> None:
    made = run(
        [sys.executable, str(Path(__file__).with_name("graphs.py")), str(folder), str(n)]
        + [str(chain)]
        + (["defects"] if defects else [])
    )
    if made.code != 0:
        raise SystemExit(made.output)
    tm_env = {**os.environ, "TASKMASTER_SKIP_AUTO_UPDATE": "1", "NO_COLOR": "1"}
    runs: dict[str, list[Run]] = {"planner": [], "taskmaster": []}
    tm_repeat = repeat if n < 20_000 else 1
    for i in range(repeat):
        done = run([*PLANNER, "validate", "--workspace", str(folder)], env=planner_env())
        _check("planner", done, n, defects)
        runs["planner"].append(done)
        if i < tm_repeat:
            done = run([str(TASKMASTER), "validate-dependencies"], cwd=folder, env=tm_env)
            _check("taskmaster", done, n, defects)
            runs["taskmaster"].append(done)
    size = (folder / ".agent" / "planning-output-1.json").stat().st_size / 1e6
    medians = {tool: statistics.median(r.seconds for r in rs) for tool, rs in runs.items()}
    cpus = {tool: statistics.median(r.cpu for r in rs) for tool, rs in runs.items()}
    for tool, rs in runs.items():
        found = (planner_found if tool == "planner" else taskmaster_found)(rs[0])
        shown = (
            "cycle+unknown"
            if all(found)
            else ("cycle" if found[0] else "") + ("unknown" if found[1] else "")
        )
        print(
            f"{n:>7}{chain:>6}{' defects' if defects else '  clean':>9}{size:>6.1f}  {tool:<11}"
            f"{medians[tool]:>7.2f}{cpus[tool]:>7.2f}{max(r.rss_mib for r in rs):>9.0f}"
            f"{len(rs):>5}{rs[0].code:>5}  {shown or '-':<14}"
            + (
                f"{medians['planner'] / medians['taskmaster']:>7.3f}"
                f"{cpus['planner'] / cpus['taskmaster']:>7.3f}"
                if tool == "planner"
                else ""
            )
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--chains", default="10,100", help="layers of the graph, each a size")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not TASKMASTER.exists():
        print(f"{TASKMASTER} is missing: run (cd tests/node && npm ci)", file=sys.stderr)
        return 2
    print(
        f"{'tasks':>7}{'chain':>6}{'graph':>9}{'MB':>6}  {'tool':<11}{'wall s':>7}{'cpu s':>7}"
        f"{'peak MiB':>9}"
        f"{'runs':>5}{'exit':>5}  {'found':<14}{'ratio wall, cpu':>14}"
    )
    for chain in (int(c) for c in args.chains.split(",")):
        for n in (int(s) for s in args.sizes.split(",")):
            for defects in (False, True):
                with tempfile.TemporaryDirectory() as tmp:
                    compare(n, chain, defects, args.repeat, Path(tmp))
    print("\nratio: planner's median time over Taskmaster's, wall and CPU (lower is faster).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
