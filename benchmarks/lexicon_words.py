"""How many distinct words the reader spells inside its regular expressions.

Words belong in the lexicon's data files (``planner/core/read/lexicon/``); a regular
expression should keep only structure and the lexicon's concept slots. This counts what
is still spelled in code: the string constants given to ``LazyPattern(...)`` and
``re.compile(...)`` (the literal parts of f-strings given to them, and of the module's
string constants they splice in) in
``planner/core/read/*.py`` and ``planner/core/*.py``, with escapes (``\\b``, ``\\w``),
character classes (``[A-Za-z]``), inline flags and group names taken out, then every
alphabetic word of two letters or more.

Run: .venv/bin/python benchmarks/lexicon_words.py [--list]
"""

from __future__ import annotations

import ast
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = (ROOT / "planner" / "core" / "read", ROOT / "planner" / "core")
CALLS = {"LazyPattern", "compile"}

_CLASS = re.compile(r"\[(?:\\.|[^\]\\])*\]")
_ESCAPE = re.compile(r"\\(?:[pPN]\{[^}]*\}|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.DOTALL)
_GROUP_NAME = re.compile(r"\(\?(?:P?<[A-Za-z_]\w*>|P=\w+\)|[aiLmsux-]+[:)])")
_QUANTIFIER = re.compile(r"\{\d*,?\d*\}")
_WORD = re.compile(r"[^\W\d_]{2,}")


def literal_parts(node: ast.expr, pieces: dict[str, ast.expr]) -> list[str]:
    """The string constants of a pattern argument: an f-string's literal parts, and those
    of a module's own string constant it splices in (``{_WAITS}``); a lexicon slot
    (``{LEX.after}``) adds none."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [part for v in node.values for part in literal_parts(v, pieces)]
    if isinstance(node, ast.FormattedValue):
        return literal_parts(node.value, pieces)
    if isinstance(node, ast.Name) and node.id in pieces:
        return literal_parts(pieces.pop(node.id), pieces)  # each piece once
    if isinstance(node, ast.BinOp):
        return literal_parts(node.left, pieces) + literal_parts(node.right, pieces)
    return []


def patterns(path: Path) -> list[str]:
    """The literal text of every pattern compiled in the module at ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pieces = {
        target.id: node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Constant, ast.JoinedStr))
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: list[str] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in CALLS:
            found.append("\x00".join(literal_parts(node.args[0], dict(pieces))))
    return found


def words(pattern: str) -> list[str]:
    """The words spelled in one pattern, outside classes, escapes and group syntax."""
    text = _GROUP_NAME.sub(" ", pattern)
    text = _ESCAPE.sub(" ", text)
    text = _CLASS.sub(" ", text)
    text = _QUANTIFIER.sub(" ", text)
    return [w.lower() for w in _WORD.findall(text)]


def count() -> Counter[str]:
    """Each word spelled in the reader's patterns, with how many patterns spell it."""
    seen: Counter[str] = Counter()
    for folder in FOLDERS:
        for path in sorted(folder.glob("*.py")):
            for pattern in patterns(path):
                seen.update(set(words(pattern)))
    return seen


def main(argv: list[str]) -> int:
    seen = count()
    if "--list" in argv:
        for word, n in sorted(seen.items(), key=lambda item: (-item[1], item[0])):
            print(f"{n:>3}  {word}")
    print(f"distinct words spelled inside the reader's regular expressions: {len(seen)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
