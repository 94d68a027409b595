#!/usr/bin/env python3
"""Writes each workflow in the README (a ```yaml block with ``jobs:``) to its own file in
OUTDIR, named by the line it starts on, and prints the paths: the linters then read
exactly what a user copies.

    python3 scripts/readme_workflows.py OUTDIR [README.md]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FENCE = re.compile(r"^```yaml[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
JOBS = re.compile(r"^jobs:", re.MULTILINE)


def yaml_blocks(markdown: str) -> list[tuple[int, str]]:
    """Every ```yaml block as (the line of its first YAML line, its text)."""
    return [
        (markdown.count("\n", 0, m.start("body")) + 1, m["body"]) for m in FENCE.finditer(markdown)
    ]


def is_workflow(block: str) -> bool:
    return JOBS.search(block) is not None


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print("usage: readme_workflows.py OUTDIR [README.md]", file=sys.stderr)
        return 2
    out = Path(argv[0])
    readme = Path(argv[1] if len(argv) == 2 else "README.md")
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for line, block in yaml_blocks(readme.read_text(encoding="utf-8")):
        if is_workflow(block):
            path = out / f"readme-line-{line}.yml"
            path.write_text(block, encoding="utf-8")
            print(path)
            written += 1
    if not written:
        print(f"readme_workflows.py: {readme} holds no workflow", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
