"""Wall time and peak memory of the whole action (entrypoint.py in a subprocess, offline)
on the shipped example and on the largest body GitHub allows.

Run: .venv/bin/python benchmarks/entrypoint_run.py
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def big_body() -> str:
    body, n = "## Tasks\n", 0
    while len(body) < 65_000:
        body += f"- [ ] Implement part {n} in `src/p{n}/`\n"
        n += 1
    return body


def run_once(body: str) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        shutil.copytree(ROOT / "examples" / "workspace", workspace)
        event = Path(tmp) / "event.json"
        event.write_text(
            json.dumps(
                {
                    "action": "opened",
                    "issue": {
                        "number": 42,
                        "title": "Benchmark",
                        "body": body,
                        "html_url": "https://x/42",
                    },
                }
            )
        )
        env = {
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_EVENT_NAME": "issues",
            "PATH": "/usr/bin:/bin",
        }
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "entrypoint.py")], env=env, check=False, capture_output=True
        )
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        return elapsed, max(peak, before)


def main() -> int:
    cases = {
        "example (issue-42.md)": (ROOT / "examples" / "issue-42.md").read_text(),
        "65,000 chars, ~1,600 tasks": big_body(),
    }
    print(f"{'request':<30}{'median s':>10}{'max RSS MiB':>13}")
    for name, body in cases.items():
        runs = [run_once(body) for _ in range(5)]
        print(
            f"{name:<30}{statistics.median(r[0] for r in runs):>10.2f}"
            f"{max(r[1] for r in runs) / 1024:>13.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
