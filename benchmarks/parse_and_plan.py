"""How reading and planning scale with the size of the issue body.

Run: .venv/bin/python benchmarks/parse_and_plan.py
Prints, per body shape and size, the median time to read the request and to plan it,
microseconds per KiB (flat when growth is linear), and peak memory of one plan.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable

from planner.core.plan import plan
from planner.core.read import read_request
from planner.model import Issue, PlanRequest

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
}


def median_seconds(fn: Callable[[], object], repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    print(
        f"{'shape':<14}{'size':>8}{'read ms':>10}{'plan ms':>10}{'read µs/KiB':>13}"
        f"{'plan µs/KiB':>13}"
    )
    worst_ratio = 0.0
    for name, make in SHAPES.items():
        per_kib = []
        for size in SIZES:
            body = make(size)
            read = median_seconds(lambda b=body: read_request("t", b))
            request = PlanRequest(issue=Issue(number=1, title="t", body=body))
            planned = median_seconds(lambda r=request: plan(r), repeat=3)
            kib = max(len(body), 1) / 1024
            per_kib.append(planned / kib)
            print(
                f"{name:<14}{len(body):>8}{read * 1e3:>10.1f}{planned * 1e3:>10.1f}"
                f"{read / kib * 1e6:>13.0f}{planned / kib * 1e6:>13.0f}"
            )
        ratio = per_kib[-1] / per_kib[0]
        worst_ratio = max(worst_ratio, ratio)
        print(f"{'':<14}plan cost per KiB, 64 KiB vs 4 KiB: x{ratio:.2f}")
    body = SHAPES["task list"](65_536)
    tracemalloc.start()
    plan(PlanRequest(issue=Issue(number=1, title="t", body=body)))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"\npeak memory planning a 64 KiB task list: {peak / 2**20:.1f} MiB")
    print(f"worst growth of plan cost per KiB across shapes: x{worst_ratio:.2f} (1.0 is linear)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
