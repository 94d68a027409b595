"""How reading and planning scale with the size of the issue body.

Run: .venv/bin/python benchmarks/parse_and_plan.py

Per body shape and size (4 to 64 KiB, GitHub's limit), `planner plan` on the body as a
whole process: median wall and CPU time of 5 runs, peak RSS of the process, exit status
checked. Per KiB, the core alone (reading and planning in a child process, best CPU time
of 5 after a warm-up: on a shared machine the other runs measure the neighbours) without the fixed
start-up; "growth" is that cost per KiB over the cost per KiB at 4 KiB (1.00
is linear).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PLANNER, Run, median_run, planner_env, run  # noqa: E402

SIZES = (4_096, 8_192, 16_384, 32_768, 65_536)


def fill(unit: Callable[[int], str], size: int, head: str = "") -> str:
    parts, total, n = [head], len(head), 0
    while True:
        piece = unit(n)
        if total + len(piece) > size:
            return "".join(parts)
        parts.append(piece)
        total += len(piece)
        n += 1


SHAPES: dict[str, Callable[[int], str]] = {
    "task list": lambda size: fill(
        lambda n: f"- [ ] Implement part {n} in `src/p{n}/`\n  - risk: high\n", size, "## Tasks\n"
    ),
    "milestones": lambda size: fill(
        lambda n: f"### M{n}: Step {n}\n- depends: M{max(n - 1, 0)}\n- [ ] Add x{n} in a{n}/\n",
        size,
        "## Milestones\n",
    ),
    "prose": lambda size: fill(lambda n: "word " * 12 + "\n", size),
    "no spaces": lambda size: "a/" * (size // 2),
    "backticks": lambda size: "`" * size,
    "brackets": lambda size: "[" * (size // 2) + "]" * (size // 2),
    "emphasis": lambda size: "*a " * (size // 3),
    "deep nesting": lambda size: fill(lambda n: "  " * (n % 40) + "- x\n", size),
    "quotes": lambda size: fill(
        lambda n: "> " * (n % 30) + f"[!NOTE]\n> - [ ] Add x{n} in a{n}/\n\n", size
    ),
    # A sentence the order rules read word by word: "Each phase starts after after ...",
    # and an order's subject word repeated ("list list list ...").
    "order words": lambda size: fill(
        lambda n: "Each phase " + "starts after " * 300 + ".\n\n", size
    ),
    "order subject": lambda size: "list " * (size // 5),
    "html": lambda size: fill(
        lambda n: (
            f"<details><summary><b>Part {n}</b> (1/2)</summary>\n\n- [ ] Add x{n} in a/\n\n"
            + ("</details>\n\n" if n % 3 else "<h3>Done when<ul><li>ok\n\n")
        ),
        size,
    ),
}


def core_child(shape: str, size: int) -> None:
    """Print the best CPU seconds of reading and of planning one body (in a child)."""
    from planner.core.plan import plan
    from planner.core.read import read_request
    from planner.model import Issue, PlanRequest

    body = SHAPES[shape](size)
    request = PlanRequest(issue=Issue(number=1, title="t", body=body))
    plan(request)  # once first: compiled regexes and caches warm up
    reads, plans = [], []
    for _ in range(5):
        start = time.process_time()
        read_request("t", body)
        reads.append(time.process_time() - start)
        start = time.process_time()
        plan(request)
        plans.append(time.process_time() - start)
    print(min(reads), min(plans))


def whole_process(body: str) -> Run:
    with tempfile.TemporaryDirectory() as tmp:
        request = Path(tmp) / "request.md"
        request.write_text(body, encoding="utf-8")
        command = [*PLANNER, "plan", str(request), "--workspace", str(Path(tmp) / "ws")]
        command += ["--fail-on", "never"]
        return median_run(command, lambda done: done.code == 0, repeat=5, env=planner_env())


def main() -> int:
    if sys.argv[1:2] == ["--core"]:
        core_child(sys.argv[2], int(sys.argv[3]))
        return 0
    print(
        f"{'shape':<14}{'KiB':>5}{'wall s':>8}{'cpu s':>7}{'peak MiB':>9}{'read ms':>9}"
        f"{'plan ms':>9}{'plan µs/KiB':>13}{'growth':>8}"
    )
    worst = 0.0
    for name, make in SHAPES.items():
        first = None
        for size in SIZES:
            body = make(size)
            whole = whole_process(body)
            core = run([sys.executable, __file__, "--core", name, str(size)], env=planner_env())
            if core.code != 0:
                raise SystemExit(core.output)
            read, planned = (float(x) for x in core.output.split()[-2:])
            per_kib = planned / (max(len(body), 1) / 1024)
            first = first or per_kib
            worst = max(worst, per_kib / first)
            print(
                f"{name:<14}{len(body) / 1024:>5.0f}{whole.seconds:>8.2f}{whole.cpu:>7.2f}"
                f"{whole.rss_mib:>9.0f}"
                f"{read * 1e3:>9.1f}{planned * 1e3:>9.1f}{per_kib * 1e6:>13.0f}"
                f"{per_kib / first:>8.2f}"
            )
    print(f"\nworst growth of plan cost per KiB, 4 to 64 KiB, across shapes: x{worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
