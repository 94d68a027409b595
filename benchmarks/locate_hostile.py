"""The locator on hostile request text: each shape at 64 KiB (GitHub's limit on a body)
and at 8 KiB, against an index of 2,000 files; the time of one proposal and its growth per
KiB from 8 to 64 KiB (1.00 is linear; a pattern that backtracks shows as 8 or more).

Run: .venv/bin/python benchmarks/locate_hostile.py
"""

from __future__ import annotations

import time

from planner.core.locate import Locator, TaskText
from planner.core.repo import RepoIndex, SourceFile

SHAPES = {
    "a dotted run (a.a.a…/)": lambda n: "a." * (n // 2) + "/",
    "camelCase run (aBaB…)": lambda n: "aB" * (n // 2),
    "snake run (a_a_…)": lambda n: "a_" * (n // 2),
    "one code span": lambda n: "`" + "x" * (n - 2) + "`",
    "open calls (f(f(…)": lambda n: "f(" * (n // 2),
    "file names and calls": lambda n: " ".join(
        f"file_{i}.py Class{i} func_{i}()" for i in range(n // 30)
    ),
    "capitalised words": lambda n: "Abcdef " * (n // 7),
}


def best(locator: Locator, text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        locator.propose(TaskText(text=text))
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    files = tuple(
        SourceFile(
            f"src/m{i}/file_{i}.py",
            (f"func_{i}", f"Class{i}"),
            tuple(f"ident_{j}" for j in range(50)),
        )
        for i in range(2000)
    )
    locator = Locator(RepoIndex(files))
    print(f"{'shape':<26} {'8 KiB ms':>9} {'64 KiB ms':>10} {'growth':>7}")
    for name, make in SHAPES.items():
        small, large = best(locator, make(8192)), best(locator, make(65536))
        growth = (large / 64) / (small / 8) if small else 0.0
        print(f"{name:<26} {small * 1000:9.1f} {large * 1000:10.1f} {growth:7.2f}")


if __name__ == "__main__":
    main()
