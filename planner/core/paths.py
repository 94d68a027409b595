"""Repository-relative globs: normalising them and telling whether two can overlap."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Generic, TypeVar

from planner.core.patterns import LazyPattern
from planner.core.text import visible

_WILDCARDS = frozenset("*?[")
_REFUSED_CHARACTER = LazyPattern(r"[\x00-\x1f\\]")
T = TypeVar("T")


class PathError(ValueError):
    """A path that could reach outside the repository."""


def literal_glob(path: str) -> str:
    """A file's path as a glob that matches it alone: a ``*``, ``?`` or ``[`` in its name
    is written as a one-character class (``src/gir[*].py``)."""
    if _WILDCARDS.isdisjoint(path):
        return path
    return "".join(f"[{c}]" if c in _WILDCARDS else c for c in path)


def normalize_glob(raw: str) -> str:
    """Turn a path or glob named in a request into a repository-relative glob.

    ``internal/store/redis/`` becomes ``internal/store/redis/**``; ``./a.py``
    becomes ``a.py``. Absolute paths, ``..`` segments, drive letters and
    backslashes are refused: an agent must never be pointed outside the repo.
    """
    text = raw.strip().strip("`'\"").strip()
    if not visible(text):
        raise PathError("empty path")
    if _REFUSED_CHARACTER.search(text):
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
    a_wild = not _WILDCARDS.isdisjoint(a)
    b_wild = not _WILDCARDS.isdisjoint(b)
    if a_wild and b_wild:
        return _ends_agree(a, b)  # conservative beyond that: two patterns may meet
    if a_wild:
        return fnmatchcase(b, a)
    if b_wild:
        return fnmatchcase(a, b)
    return a == b


def _ends_agree(a: str, b: str) -> bool:
    """Whether two patterns' written-out ends allow one name to match both: a name
    matching ``*_test.go`` ends with ``_test.go``, one matching ``*.py`` with ``.py``, so
    none matches both. Each end is cut at the first or last character that may belong to
    a wildcard (``*``, ``?``, ``[`` … ``]``), so it is never longer than the pattern's
    real end."""
    a_head, a_tail = _literal_ends(a)
    b_head, b_tail = _literal_ends(b)
    heads = a_head.startswith(b_head) or b_head.startswith(a_head)
    return heads and (a_tail.endswith(b_tail) or b_tail.endswith(a_tail))


@lru_cache(maxsize=65_536)  # one pattern meets many: its ends are found once
def _literal_ends(pattern: str) -> tuple[str, str]:
    first = min(i for i in (pattern.find(c) for c in "*?[") if i >= 0)
    last = max(pattern.rfind(c) for c in "*?]")
    return pattern[:first], pattern[max(last, first) + 1 :]


def _segments(glob: str) -> tuple[str, ...]:
    return tuple(glob.split("/"))


def _is_literal(text: str) -> bool:
    return _WILDCARDS.isdisjoint(text)


def literal_prefix(glob: str) -> tuple[str, ...]:
    """The leading segments of a glob that hold no wildcard: every file the glob matches
    starts with them (``src/api/*.go`` -> ``("src", "api")``)."""
    return _prefix(_segments(glob))


def _prefix(segments: tuple[str, ...]) -> tuple[str, ...]:
    for count, segment in enumerate(segments):
        if not _is_literal(segment):
            return segments[:count]
    return segments


def globs_overlap(a: str, b: str) -> bool:
    """Whether some file path could match both globs (conservative: may say yes wrongly,
    never no wrongly)."""
    if a == b:
        return True
    if _is_literal(a) and _is_literal(b):
        return False  # two plain paths meet only when equal
    sa, sb = _segments(a), _segments(b)
    if sa[0] != sb[0] and _is_literal(sa[0]) and _is_literal(sb[0]):
        return False  # different top folders, written out: nothing lies in both
    return _walk(sa, sb)


def _walk(sa: tuple[str, ...], sb: tuple[str, ...]) -> bool:
    """Whether both segment lists can reach their ends together; ``**`` takes any number of
    the other side's segments. Each state ``(i, j)`` is visited once."""
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if i == len(sa) and j == len(sb):
            return True
        if i < len(sa) and sa[i] == "**":
            stack.append((i + 1, j))
            if j < len(sb):
                stack.append((i, j + 1))
        elif j < len(sb) and sb[j] == "**":
            stack.append((i, j + 1))
            if i < len(sa):
                stack.append((i + 1, j))
        elif i < len(sa) and j < len(sb) and _segment_overlap(sa[i], sb[j]):
            stack.append((i + 1, j + 1))
    return False


def glob_contains(outer: str, inner: str) -> bool:
    """Whether every path ``inner`` matches is matched by ``outer`` (conservative: may say
    no wrongly, never yes wrongly). ``src/**`` contains ``src/a/*.py``; ``src/*`` does not
    contain ``src/**``, and nothing but an unbounded glob contains ``**``."""
    if outer == inner:
        return True
    so, si = _segments(outer), _segments(inner)
    seen: set[tuple[int, int]] = set()
    stack = [(0, 0)]
    while stack:
        state = stack.pop()
        if state in seen:
            continue
        seen.add(state)
        i, j = state
        if j == len(si):
            if all(part == "**" for part in so[i:]):
                return True
            continue
        if i == len(so):
            continue
        if so[i] == "**":
            stack.append((i + 1, j))  # ** takes no more of inner
            stack.append((i, j + 1))  # ** takes one more segment (or inner's own **)
        elif si[j] != "**" and _segment_contains(so[i], si[j]):
            stack.append((i + 1, j + 1))
    return False


def _segment_contains(outer: str, inner: str) -> bool:
    """Whether every name ``inner`` matches is matched by ``outer`` (one segment)."""
    if outer == inner or outer == "*":
        return True
    if _is_literal(inner):
        return fnmatchcase(inner, outer)
    return False


def any_overlap(left: list[str], right: list[str]) -> bool:
    return any(globs_overlap(a, b) for a in left for b in right)


def path_matches(path: str, glob: str) -> bool:
    """Whether a concrete file path matches a repository glob (``**`` spans folders)."""
    return globs_overlap(path.strip("/"), glob)


def overlapping_pairs(boundaries: Sequence[Sequence[str]]) -> list[tuple[int, int]]:
    """Every pair ``(i, j)``, ``i < j``, of boundaries (lists of globs) that overlap, in
    order; boundaries that cannot overlap are never compared (``GlobIndex``)."""
    index: GlobIndex[list[int]] = GlobIndex()
    pairs: set[tuple[int, int]] = set()
    for j, globs in enumerate(boundaries):
        pairs.update((i, j) for glob in globs for owners in index.overlapping(glob) for i in owners)
        for glob in dict.fromkeys(globs):
            index.setdefault(glob, list).append(j)
    return sorted(pairs)


class GlobIndex(Generic[T]):
    """Globs, each with a value, indexed so that a query compares a glob only with those
    that could overlap it.

    First by literal prefix: a file that matches two globs starts with both literal
    prefixes, so one prefix extends the other, and the candidates for a glob are those
    filed on the way down to its prefix and those filed below it, never the rest of the
    tree. Below it, a glob without ``**`` looks no deeper than its own number of segments
    (it matches files of exactly that many). Then by the name that follows a prefix: of
    the globs filed at one node (``lib/*0.py``, ``lib/*1.py``, ...) and of the entries of
    the folder below it (``lib/a0.py``, ``lib/b/``), a query meets only those whose name
    agrees at both written-out ends with its own name there (``_ByEnds``). Each candidate
    is then checked with ``globs_overlap``.
    """

    def __init__(self) -> None:
        self._root = _Node[T](0)

    def add(self, glob: str, value: T) -> None:
        self._node(glob).file(glob, value)

    def setdefault(self, glob: str, make: Callable[[], T]) -> T:
        """The value filed for ``glob``, filing ``make()`` first if there is none."""
        node = self._node(glob)
        value = node.here.get(glob)
        if value is None:
            value = make()
            node.file(glob, value)
        return value

    def _node(self, glob: str) -> _Node[T]:
        """The node ``glob`` is filed at, made if missing."""
        node = self._root
        for segment in literal_prefix(glob):
            node = node.entry(segment)
        return node

    def overlapping(self, glob: str) -> list[T]:
        """The values of the globs that overlap ``glob``."""
        segments = _segments(glob)
        prefix = _prefix(segments)
        candidates: list[tuple[str, T]] = []
        node: _Node[T] | None = self._root
        for segment in prefix:
            assert node is not None
            candidates += node.meeting(segments)
            node = node.children.get(segment)
            if node is None:
                break
        if node is not None:
            candidates += node.meeting(segments)
            depth = None if "**" in segments else len(segments) - len(prefix)
            candidates += (item for here in node.below(segments, depth) for item in here.items())
        return [value for other, value in candidates if globs_overlap(glob, other)]


class _Node(Generic[T]):
    """A folder of the prefix tree: the globs whose literal prefix leads here, and the
    entries below it, each also by the ends of its name once there are several."""

    __slots__ = ("children", "depth", "entries", "here", "names")

    def __init__(self, depth: int) -> None:
        self.children: dict[str, _Node[T]] = {}
        self.depth = depth  # the number of segments of the prefix that leads here
        self.here: dict[str, T] = {}  # globs whose literal prefix ends at this node
        # The same globs by their name at this depth, once there are several: most nodes
        # hold one written-out file.
        self.names: _ByEnds | None = None
        # The children by name, once a glob with a written-out end to its name has looked
        # among them: most folders are only walked through.
        self.entries: _ByEnds | None = None

    def file(self, glob: str, value: T) -> None:
        if glob not in self.here:
            if self.names is None and self.here:
                self.names = _ByEnds()
                for other in self.here:
                    self.names.add(other, _name_ends(_segments(other), self.depth))
            if self.names is not None:
                self.names.add(glob, _name_ends(_segments(glob), self.depth))
        self.here[glob] = value

    def entry(self, name: str) -> _Node[T]:
        """The child called ``name``, made if missing."""
        child = self.children.get(name)
        if child is None:
            child = self.children[name] = _Node(self.depth + 1)
            if self.entries is not None:
                self.entries.add(name, (name, name))
        return child

    def meeting(self, segments: tuple[str, ...]) -> list[tuple[str, T]]:
        """The globs here whose name at this node's depth could be the name there of a
        file that ``segments`` matches."""
        if self.names is None:
            return list(self.here.items())
        ends = _name_ends(segments, self.depth)
        return [(glob, self.here[glob]) for glob in self.names.agreeing(ends)]

    def below(self, segments: tuple[str, ...], depth: int | None) -> list[dict[str, T]]:
        """The globs filed below this node, down to ``depth`` more segments (None: all),
        in the children whose name could be the name there of a file that ``segments``
        matches."""
        out: list[dict[str, T]] = []
        level = self._entries_meeting(segments)
        remaining = depth
        while level and remaining != 0:
            out.extend(n.here for n in level if n.here)
            if remaining is not None:
                remaining -= 1
            level = [child for n in level for child in n.children.values()]
        return out

    def _entries_meeting(self, segments: tuple[str, ...]) -> list[_Node[T]]:
        """The children whose name could be the name there of a file that ``segments``
        matches. Their names are indexed the first time that narrows the list (a name
        with a written-out end, among two children or more), and kept up to date after."""
        ends = _name_ends(segments, self.depth)
        if ends == ("", "") or len(self.children) < 2:
            return list(self.children.values())
        if self.entries is None:
            self.entries = _ByEnds()
            for name in self.children:
                self.entries.add(name, (name, name))
        return [self.children[name] for name in self.entries.agreeing(ends)]


class _ByEnds:
    """Names (or the globs that hold them), each filed under the written-out ends of a
    name: what every name it stands for starts and ends with (``_name_ends``).

    A file name that two patterns match starts with both written-out heads and ends with
    both written-out tails (``_ends_agree``): of two heads, one starts the other, and of
    two tails, one ends the other. So what overlaps a query is both among the items whose
    head agrees with the query's and among those whose tail does; each item is filed under
    both ends, and a query reads the shorter of the two lists: ``lib/*17.py`` the items
    whose tail agrees with ``17.py``, ``db/0017_*.sql`` those whose head agrees with
    ``0017_``. A name with no written-out end (``*``, ``**``) agrees with every name.
    """

    __slots__ = ("heads", "tails")

    def __init__(self) -> None:
        self.heads = _Affixes()
        self.tails = _Affixes()  # each tail written backwards: its end comes first

    def add(self, item: str, ends: tuple[str, str]) -> None:
        head, tail = ends
        self.heads.add(head, item)
        self.tails.add(tail[::-1], item)

    def agreeing(self, ends: tuple[str, str]) -> list[str]:
        """The items filed under a head and a tail that agree with ``ends``."""
        head, tail = ends
        backwards = tail[::-1]
        if self.heads.count_agreeing(head) <= self.tails.count_agreeing(backwards):
            return self.heads.agreeing(head)
        return self.tails.agreeing(backwards)


def _name_ends(segments: tuple[str, ...], depth: int) -> tuple[str, str]:
    """What every name that segment ``depth`` of a glob matches starts and ends with: the
    whole name if it is written out, the pattern's written-out ends if not (nothing for
    ``**``), and nothing if the glob has no segment there (a written-out glob at its own
    node, which only a ``**`` there can meet)."""
    if depth >= len(segments):
        return "", ""
    name = segments[depth]
    return (name, name) if _is_literal(name) else _literal_ends(name)


class _Affixes:
    """Strings, each with the items filed under it, in a trie of characters: the strings
    that agree with a key (the key starts with them, or they start with the key) are those
    on the way down to it and those below it. Each node counts the items at or below it,
    so how many agree is known without listing them."""

    __slots__ = ("below", "children", "items")

    def __init__(self) -> None:
        self.children: dict[str, _Affixes] = {}
        self.items: list[str] = []
        self.below = 0

    def add(self, key: str, item: str) -> None:
        node = self
        node.below += 1
        for char in key:
            child = node.children.get(char)
            if child is None:
                child = node.children[char] = _Affixes()
            node = child
            node.below += 1
        node.items.append(item)

    def count_agreeing(self, key: str) -> int:
        """How many items ``agreeing(key)`` lists."""
        count = 0
        node = self
        for char in key:
            child = node.children.get(char)
            if child is None:
                return count + len(node.items)
            count += len(node.items)
            node = child
        return count + node.below

    def agreeing(self, key: str) -> list[str]:
        """The items filed under a string that starts ``key`` or that ``key`` starts."""
        found: list[str] = []
        node = self
        for char in key:
            found += node.items
            child = node.children.get(char)
            if child is None:
                return found
            node = child
        stack = [node]
        while stack:
            node = stack.pop()
            found += node.items
            stack.extend(node.children.values())
        return found
