"""Repository-relative globs: normalising them and telling whether two can overlap."""

from __future__ import annotations

from fnmatch import fnmatchcase
from functools import cache

_WILDCARDS = frozenset("*?[")


class PathError(ValueError):
    """A path that could reach outside the repository."""


def normalize_glob(raw: str) -> str:
    """Turn a path or glob named in a request into a repository-relative glob.

    ``internal/store/redis/`` becomes ``internal/store/redis/**``; ``./a.py``
    becomes ``a.py``. Absolute paths, ``..`` segments, drive letters and
    backslashes are refused: an agent must never be pointed outside the repo.
    """
    text = raw.strip().strip("`'\"").strip()
    if not text:
        raise PathError("empty path")
    if "\\" in text or "\x00" in text or any(ord(c) < 32 for c in text):
        raise PathError(f"{raw!r} contains a backslash or control character")
    if text.startswith("/") or text.startswith("~") or (len(text) > 1 and text[1] == ":"):
        raise PathError(f"{raw!r} is absolute; use a path relative to the repository root")
    is_dir = text.endswith("/")
    parts = [p for p in text.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise PathError(f"{raw!r} climbs out with '..'; use a path inside the repository")
    if not parts:
        return "**"
    if is_dir:
        parts.append("**")
    return "/".join(parts)


def _segment_overlap(a: str, b: str) -> bool:
    a_wild = any(c in _WILDCARDS for c in a)
    b_wild = any(c in _WILDCARDS for c in b)
    if a_wild and b_wild:
        return True  # conservative: two patterns in one segment may meet
    if a_wild:
        return fnmatchcase(b, a)
    if b_wild:
        return fnmatchcase(a, b)
    return a == b


def globs_overlap(a: str, b: str) -> bool:
    """Whether some file path could match both globs (conservative: may say yes wrongly,
    never no wrongly)."""
    sa, sb = tuple(a.split("/")), tuple(b.split("/"))

    @cache
    def walk(i: int, j: int) -> bool:
        if i == len(sa) and j == len(sb):
            return True
        if i < len(sa) and sa[i] == "**":
            return walk(i + 1, j) or (j < len(sb) and walk(i, j + 1))
        if j < len(sb) and sb[j] == "**":
            return walk(i, j + 1) or (i < len(sa) and walk(i + 1, j))
        if i == len(sa) or j == len(sb):
            return False
        return _segment_overlap(sa[i], sb[j]) and walk(i + 1, j + 1)

    return walk(0, 0)


def any_overlap(left: list[str], right: list[str]) -> bool:
    return any(globs_overlap(a, b) for a in left for b in right)


def path_matches(path: str, glob: str) -> bool:
    """Whether a concrete file path matches a repository glob (``**`` spans folders)."""
    return globs_overlap(path.strip("/"), glob)
