"""What proposing boundaries costs on a large repository.

Run: .venv/bin/python benchmarks/locate_scale.py [--files 50000] [--tasks 100] [--quick]

A repository of ``--files`` tracked files is generated (Python, Go and TypeScript modules in
nested packages, each with a few functions and classes, tests beside or under tests/,
docs, config, and a vendored tree and binaries the index skips), committed with git, and a
request of ``--tasks`` tasks that name no path is planned in it by ``planner plan`` as a
whole process, three ways:

- floor: listing the tracked files (git's index, read with dulwich as the planner reads
  it) and reading every one of them, in Python: what any index of the checkout costs;
- without: the same plan with ``fanout.propose_boundaries: false`` (no index; every task
  held back with needs-boundary);
- with: the default, the index built and a boundary proposed for every task.

Each is the median wall and CPU time of 3 runs and the largest peak RSS; the plan's exit
status and its number of proposed boundaries are checked. The repository is generated in
a child process, so this process stays small (see measure.py).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import PLANNER, Run, median_run, planner_env  # noqa: E402

WORDS = (
    "account address alert archive audit backup balance batch billing bucket cache cart "
    "catalog channel charge checkout client cluster comment config coupon credit cursor "
    "customer dashboard delivery device digest discount dispatch document draft email "
    "entry event export feed filter gateway graph group health import index inventory "
    "invoice job journal key label ledger limit listing locale lock log mailer manifest "
    "media member merge message metric migration monitor notice order owner package page "
    "parcel partner payment payout period permission pipeline plan policy pool price "
    "profile project quota queue rate receipt record refund region release report request "
    "reservation retry review role route rule schedule schema search secret segment "
    "session setting shipment signal snapshot source stock storage stream subscription "
    "supplier tag tax team template tenant ticket token topic trace transfer upload usage "
    "user vault version voucher warehouse webhook worker"
).split()
VERBS = ("parse", "build", "load", "save", "render", "sync", "apply", "check", "merge", "send")


def generate(root: Path, files: int, seed: int = 7) -> None:
    """A repository of about ``files`` tracked files under ``root``, committed."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    made = 0

    def write(path: str, text: str) -> None:
        nonlocal made
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        made += 1

    write("README.md", "# Generated service\n\n## Running\n\nmake run\n")
    write("Makefile", "run:\n\tpython -m app\n\ntest:\n\tpytest\n")
    for i in range(40):
        write(f"vendor/lib{i}/lib.go", "package lib\n\nfunc Helper() {}\n")
        write(f"assets/img{i}.png", "\x89PNG\r\n\x1a\n\x00\x00")
    i = 0
    while made < files:
        a, b = rng.sample(WORDS, 2)
        folder = f"services/{WORDS[i % len(WORDS)]}/{WORDS[(i // len(WORDS)) % len(WORDS)]}"
        kind = i % 5
        names = [f"{rng.choice(VERBS)}_{a}_{b}", f"{rng.choice(VERBS)}_{b}"]
        body = [f"# The {a} {b} module.", f"class {a.title()}{b.title()}:", "    pass", ""]
        body += [f"def {n}({a}, {b}):\n    return {a}\n" for n in names]
        body += [f"# {w}" for w in rng.sample(WORDS, 20)]
        if kind < 3:
            write(f"{folder}/{a}_{b}_{i}.py", "\n".join(body) + "\n")
            write(f"tests/{folder}/test_{a}_{b}_{i}.py", f"def test_{names[0]}():\n    pass\n")
        elif kind == 3:
            go = f"package {a}\n\ntype {a.title()}{b.title()} struct{{}}\n\n"
            go += f"func {rng.choice(VERBS).title()}{a.title()}() {{}}\n"
            write(f"{folder}/{a}_{b}_{i}.go", go)
            write(f"{folder}/{a}_{b}_{i}_test.go", f"package {a}\n\nfunc TestIt() {{}}\n")
        else:
            ts = f"export function {rng.choice(VERBS)}{a.title()}{b.title()}() {{}}\n"
            write(f"web/{folder}/{a}-{b}-{i}.ts", ts)
            write(f"docs/{folder}/{a}-{b}-{i}.md", f"# {a.title()} {b}\n\nHow {a} {b} works.\n")
        i += 1
    git = ["git", "-C", str(root), "-c", "user.name=b", "-c", "user.email=b@localhost"]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "generated", "--no-verify"], check=True)


def request(tasks: int, seed: int = 11) -> str:
    rng = random.Random(seed)
    lines = ["# Improve the services", "", "## Tasks"]
    for n in range(tasks):
        a, b = rng.sample(WORDS, 2)
        lines.append(f"- [ ] {rng.choice(VERBS).title()} the {a} {b} on retry (step {n + 1})")
    return "\n".join(lines) + "\n"


FLOOR = """
import sys
from pathlib import Path
from planner.action.repo_index import tracked_files
root = Path(sys.argv[1])
size = 0
for path in tracked_files(root) or []:
    size += len((root / path).read_bytes())
print(size)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--files", type=int, default=50_000)
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="5,000 files, 20 tasks")
    args = parser.parse_args()
    files, tasks = (5_000, 20) if args.quick else (args.files, args.tasks)
    tmp = Path(tempfile.mkdtemp(prefix="locate-scale-"))
    try:
        repo = tmp / "repo"
        subprocess.run([sys.executable, __file__, "--generate", str(repo), str(files)], check=True)
        issue = tmp / "issue.md"
        issue.write_text(request(tasks))
        off = repo / ".planner-off.yml"  # untracked: the index never sees it
        off.write_text("fanout:\n  propose_boundaries: false\n")
        env = planner_env()

        def clean() -> None:
            for name in (".agent", "specs", "IMPLEMENTATION_PLAN.md"):
                target = repo / name
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()

        def plan(*extra: str) -> list[str]:
            return [*PLANNER, "plan", str(issue), "--issue-number", "1", "--workspace",
                    str(repo), "--fail-on", "never", *extra]  # fmt: skip

        def proposed(done: Run) -> int:
            contract = json.loads((repo / ".agent" / "planning-output-1.json").read_text())
            tasks_made = contract["roadmap"]["milestones"][0]["tasks"]
            return sum(t["diff_boundary"]["source"] == "proposed" for t in tasks_made)

        floor = median_run(
            [sys.executable, "-c", FLOOR, str(repo)], lambda r: r.code == 0, 3, env=env
        )
        without = median_run(
            plan("--config", off.name), lambda r: r.code == 0, 3, env=env, before=clean
        )
        with_index = median_run(plan(), lambda r: r.code == 0, 3, env=env, before=clean)
        count = proposed(with_index)
        print(f"repository: {files:,} tracked files; request: {tasks} tasks naming no path")
        print(f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        for name, done in (
            ("floor: list + read every file", floor),
            ("plan, propose_boundaries: false", without),
            ("plan, boundaries proposed", with_index),
        ):
            print(f"{name:<34} {done.seconds:8.2f} {done.cpu:8.2f} {done.rss_mib:9.1f}")
        extra = with_index.cpu - without.cpu
        print(
            f"proposed {count}/{tasks}; index + locate cost {extra:.2f} s of CPU, "
            f"{extra / max(floor.cpu, 1e-9):.1f}x the floor's"
        )
        return 0 if count else 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        generate(Path(sys.argv[2]), int(sys.argv[3]))
        raise SystemExit(0)
    raise SystemExit(main())
