"""Small text helpers shared by the reader, the rules and the renderers."""

from __future__ import annotations

import re

# Each pattern is linear: no nested quantifiers over overlapping classes.
_ISSUE_REF = re.compile(r"(?<![\w/#&])#(\d{1,9})\b")
_CODE_SPAN = re.compile(r"`([^`\n]{1,300})`")
_PATH_TOKEN = re.compile(r"[A-Za-z0-9_.*-]+(?:/[A-Za-z0-9_.*-]*)+|[A-Za-z0-9_-]+\.[A-Za-z]{1,5}")
_TOKEN_LIMIT = 300
_WORD = re.compile(r"[a-z][a-z'-]*")
_MENTION = re.compile(r"@(?=[A-Za-z0-9])")
_CODE_SUFFIXES = frozenset(
    "py pyi go rs ts tsx js jsx mjs java kt c h cc cpp hpp cs rb php swift scala sql sh "
    "yml yaml json toml proto tf md css html vue ex exs erl hs ml lua zig dart".split()
)


def issue_refs(text: str) -> list[int]:
    """Issue numbers referred to as ``#123``, in order, without repeats."""
    seen: dict[int, None] = {}
    for match in _ISSUE_REF.finditer(text):
        number = int(match.group(1))
        if number > 0:
            seen[number] = None
    return list(seen)


def code_locations(text: str) -> list[str]:
    """Code locations a sentence names: paths and file names, in or out of backticks.

    ``internal/store/redis/`` and ``api/middleware/ratelimit.py`` count;
    "and/or" and a URL do not.
    """
    found: dict[str, None] = {}
    for candidate in _candidates(text):
        if _looks_like_path(candidate):
            found[candidate] = None
    return list(found)


def _candidates(text: str) -> list[str]:
    """Code spans and path-like words, in the order the text has them."""
    out: list[str] = []
    position = 0
    for span in [*_CODE_SPAN.finditer(text), None]:
        prose = text[position: span.start() if span else len(text)]
        # Token by token, each bounded in length, so a long run without spaces stays linear.
        for token in prose.split():
            token = token.strip("()[]{}<>,;:!?\"'").rstrip(".")
            if 0 < len(token) <= _TOKEN_LIMIT and _PATH_TOKEN.fullmatch(token):
                out.append(token)
        if span:
            out.append(span.group(1).strip())
            position = span.end()
    return out
