"""How well the reader reads real planning documents: runs a corpus scorer on a folder.

A corpus folder holds one sub-folder per document (``issue.md``, ``case.yml``,
``expected.yml``) and ``score.py``, the scorer that runs ``planner plan`` on each as a
user does and compares the contract with the gold reading. Prints the scorer's table
and summary, and the wall time per document.

    .venv/bin/python benchmarks/reader_corpus.py [CORPUS_DIR] [--scorer PATH] [--verbose]

CORPUS_DIR defaults to ``../shared/corpus`` beside the checkout; ``--scorer`` names a
scorer when the folder has none of its own.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--scorer", type=Path, help="score.py to use (default: the corpus's own)")
    parser.add_argument("--verbose", action="store_true", help="list every missed and extra task")
    args = parser.parse_args()
    corpus: Path = args.corpus.resolve()
    scorer = args.scorer or corpus / "score.py"
    if not scorer.is_file():
        print(f"no scorer: {scorer} does not exist; pass --scorer PATH", file=sys.stderr)
        return 2
    cases = sorted(p for p in corpus.iterdir() if (p / "expected.yml").is_file())
    if not cases:
        print(f"no cases: no folder in {corpus} has an expected.yml", file=sys.stderr)
        return 2
    planner = Path(sys.executable).parent / "planner"
    command = [sys.executable, str(scorer), "--planner", str(planner)]
    started = time.perf_counter()
    done = subprocess.run(
        [*command, *map(str, cases), *(["--verbose"] if args.verbose else [])],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    print(done.stdout, end="")
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        return done.returncode
    print(
        f"{len(cases)} documents in {elapsed:.1f} s "
        f"({elapsed / len(cases) * 1000:.0f} ms each, whole planner processes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
