"""Tracked lines and plan-file blocks in bodies of many empty code fences: the time of
one read at 8 and at 64 KiB (GitHub's limit on a body) and its growth per KiB (1.00 is
linear; a scan of every fence for every line shows as 8).

Run: .venv/bin/python benchmarks/fenced_bodies.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

from planner.core.blocks import read_block
from planner.core.tracked import tracked_numbers


def request(size: int) -> str:
    """Empty fences, then blank lines: the review's hostile issue body."""
    return "- [ ] #2\n" + "```\n```\n" * (size // 16) + "\n" * (size // 2)


def plan_file(size: int) -> str:
    """A plan file showing a marker in each of many fenced examples, then its block."""
    example = "```\n<!-- planner:end 9 -->\n```\n"
    return example * (size // len(example)) + "<!-- planner:begin 1 -->\n\n<!-- planner:end 1 -->\n"


def best(read: Callable[[str], object], text: str) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        read(text)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    reads: dict[str, tuple[Callable[[str], object], Callable[[int], str]]] = {
        "tracked_numbers": (lambda text: tracked_numbers(text, None, planning=1), request),
        "read_block": (lambda text: read_block(text, "1", "P"), plan_file),
    }
    print(f"{'read':<16} {'8 KiB ms':>9} {'64 KiB ms':>10} {'growth':>7}")
    for name, (read, body) in reads.items():
        small, large = best(read, body(8192)), best(read, body(65536))
        growth = (large / 64) / (small / 8) if small else 0.0
        print(f"{name:<16} {small * 1000:9.1f} {large * 1000:10.1f} {growth:7.2f}")


if __name__ == "__main__":
    main()
