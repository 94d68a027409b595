"""How check mode's line counting scales with the length of the changed file.

Run: .venv/bin/python benchmarks/line_count.py
Prints, per file length, the median time to count a one-line change, a 50-line scattered
change and a whole rewrite (stopped past a 400-line allowance), and microseconds per
1,000 lines (flat when growth is linear).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from planner.action.gitdiff import count_lines

SIZES = (1_250, 2_500, 5_000, 10_000, 20_000, 40_000)
ALLOWANCE = 400


def text(lines: int, prefix: bytes = b"line") -> bytes:
    return b"".join(b"%s %d of the file\n" % (prefix, i) for i in range(lines))


def one_line(lines: int) -> tuple[bytes, bytes]:
    old = text(lines)
    return old, old.replace(b"line %d of" % (lines // 2), b"changed", 1)


def scattered(lines: int) -> tuple[bytes, bytes]:
    old = text(lines).split(b"\n")
    step = max(len(old) // 50, 1)
    new = [b"edited" if i % step == 0 else line for i, line in enumerate(old)]
    return b"\n".join(old), b"\n".join(new)


def rewrite(lines: int) -> tuple[bytes, bytes]:
    return text(lines), text(lines, b"other")


SHAPES: dict[str, Callable[[int], tuple[bytes, bytes]]] = {
    "one line changed": one_line,
    "50 lines changed": scattered,
    "rewritten": rewrite,
}


def median_seconds(old: bytes, new: bytes, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        count_lines(old, new, ALLOWANCE)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    print(f"{'shape':<18}{'lines':>8}{'ms':>10}{'µs/1k lines':>14}")
    for name, make in SHAPES.items():
        for size in SIZES:
            old, new = make(size)
            seconds = median_seconds(old, new)
            print(f"{name:<18}{size:>8}{seconds * 1e3:>10.2f}{seconds * 1e9 / size:>14.1f}")


if __name__ == "__main__":
    main()
