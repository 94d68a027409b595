"""The loop's cost on a merge: entrypoint.py as the runner starts it for a `pull_request`
closed-and-merged event, against the REST stand-in on 127.0.0.1, for a planning issue
whose focus milestone has N tasks (the first depends on nothing, each later one on the one
before, so every merge makes exactly one task ready). Compared with the plan run of the
same issue, and with `commit: pull-request` on.

Run: .venv/bin/python benchmarks/loop_merge.py

Printed per N: wall and CPU time and peak RSS of the plan run and the median of 5 merge runs
(each merges the next task, so each is a real merge), and the API requests of one merge
by method. Every run's exit status and matrix are checked.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from measure import Run, run  # noqa: E402

from tests.runner import declared_inputs, webhook  # noqa: E402
from tests.servers.github import REPO, GitHubServer  # noqa: E402

TOKEN = "ghs_" + "B3nch" * 7
MERGES = 5


def body(n: int) -> str:
    lines = ["## Milestones", "", "### M1: Modules", ""]
    for i in range(1, n + 1):
        lines.append(f"- [ ] Implement module {i} in `src/m{i}/`")
        if i > 1:
            lines.append(f"  - depends: T{i - 1}")
    return "\n".join(lines) + "\n\n## Assumptions\n- Modules are small.\n"


def action(tmp: Path, server: GitHubServer, event: str, payload: dict[str, object]) -> Run:
    workspace = tmp / "ws"
    workspace.mkdir(parents=True)
    (tmp / "event.json").write_text(json.dumps(payload))
    (tmp / "out").write_text("")
    env = {
        "PATH": os.environ.get("PATH", ""),
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_PATH": str(tmp / "event.json"),
        "GITHUB_EVENT_NAME": event,
        "GITHUB_OUTPUT": str(tmp / "out"),
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_API_URL": server.url,
    }
    inputs = declared_inputs() | {
        "github-token": TOKEN,
        "commit": "pull-request",
        "upload-artifact": "false",
    }
    env |= {f"INPUT_{k.upper()}": v for k, v in inputs.items()}
    done = run([sys.executable, str(ROOT / "entrypoint.py")], cwd=workspace, env=env)
    if done.code != 0:
        raise SystemExit(f"exit {done.code}:\n{done.output[-2000:]}")
    return done


def matrix(tmp: Path) -> list[str]:
    text = (tmp / "out").read_text()
    value = text.split("matrix<<", 1)[1].split("\n", 2)[1]
    return [row["task"] for row in json.loads(value)["include"]]


def measure(n: int) -> None:
    with GitHubServer(token=TOKEN) as server, tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        server.add_issue(1, "Modules", body(n))
        payload = webhook("issues", "edited")
        payload["issue"].update(number=1, body=server.issues[1]["body"])
        planned = action(tmp / "plan", server, "issues", payload)
        assert matrix(tmp / "plan") == ["M1-T1"]
        merges = []
        for k in range(1, MERGES + 1):
            event = webhook("pull_request", "closed")
            event["pull_request"].update(number=1000 + k, merged=True)
            event["pull_request"]["head"]["ref"] = f"planner/1/M1-T{k}"
            seen = len(server.requests)
            merges.append(action(tmp / f"merge{k}", server, "pull_request", event))
            assert matrix(tmp / f"merge{k}") == [f"M1-T{k + 1}"]
            calls = Counter(r.method for r in server.requests[seen:])
        wall = statistics.median(m.seconds for m in merges)
        cpu = statistics.median(m.cpu for m in merges)
        rss = max(m.rss_mib for m in merges)
        print(
            f"N={n:4d}  plan {planned.seconds:5.2f} s wall {planned.cpu:5.2f} s cpu "
            f"{planned.rss_mib:4.0f} MiB  merge {wall:5.2f} s wall {cpu:5.2f} s cpu "
            f"{rss:4.0f} MiB  requests per merge: "
            + ", ".join(f"{method} {count}" for method, count in sorted(calls.items()))
        )


if __name__ == "__main__":
    for size in (10, 100, 400):
        measure(size)
