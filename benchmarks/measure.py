"""Running one command as a whole process: wall time, the peak RSS of that process (its own
resource usage, from wait4) and its exit status, which every benchmark checks.

A child's peak RSS also counts the memory of the process it was started from (Linux
carries the high-water mark across fork and exec), so a benchmark keeps itself small: it
imports no planner code and builds large inputs in a child before measuring anything.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PLANNER = [sys.executable, "-m", "planner"]


@dataclass(frozen=True)
class Run:
    seconds: float  # wall time
    cpu: float  # user + system time of the process: what it cost itself, whatever else ran
    rss_mib: float
    code: int
    output: str


def run(
    command: Sequence[str], cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Run:
    """Run ``command`` to its end; its output (stdout and stderr) is kept for checks."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            list(command),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    rss = usage.ru_maxrss / 1024  # KiB on Linux
    return Run(seconds, usage.ru_utime + usage.ru_stime, rss, child.returncode, output)


def median_run(
    command: Sequence[str],
    expect: Callable[[Run], bool],
    repeat: int = 5,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> Run:
    """The median times and the largest peak RSS of ``repeat`` runs, each checked with
    ``expect`` (exit status and output); a run that fails the check stops the benchmark.
    ``before`` runs ahead of each run, outside the measurement (to start each from the
    same state)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        done = run(command, cwd, env)
        if not expect(done):
            tail = "\n".join(done.output.strip().splitlines()[-5:])
            raise SystemExit(
                f"unexpected result (exit {done.code}) from {' '.join(command)}:\n{tail}"
            )
        runs.append(done)
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.cpu for r in runs),
        max(r.rss_mib for r in runs),
        runs[0].code,
        runs[0].output,
    )


def planner_env() -> dict[str, str]:
    """The environment for ``planner`` children: this checkout's package first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env
