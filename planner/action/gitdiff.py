"""A pull request as git holds it, read with dulwich: the base commit's planning files and
the changes from the merge base to HEAD.

A pure-Python reader keeps git itself (and the ~100 MB it brings) out of the image. The
plan is read from the base commit's objects (no checkout), so nothing the pull request
changes can widen its own boundary.

How changes are counted, as ``git diff --numstat`` would, with these rules:

- text files: lines (ended by \\n, \\r\\n or a lone \\r) added and deleted by a minimal
  line diff (Myers' algorithm, after trimming the common head and tail, so a one-line
  change to a long file costs one pass);
  counting stops once a pull request is over its allowance, and the figures are then a
  lower bound;
- a line longer than 1,000 bytes counts once per 1,000 bytes, rounded up, where it is new
  (added, or deleted, and not merely moved): one line of minified or packed code is not
  one line of change;
- binary files (a NUL byte in the first 8,000 bytes, git's test): one line per 80 bytes
  of each side, rounded up, so a binary is never free;
- submodules (gitlinks): one line per side, as git prints ``Subproject commit <sha>``;
- symbolic links: their target text is their one line; the path they lead to is resolved
  through the links of the head commit, and one that leads outside is reported.
"""

from __future__ import annotations

import re
import stat
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from planner.action.settings import SettingsError
from planner.core.gate import BINARY_LINE_BYTES, LONG_LINE_BYTES, FileChange

if TYPE_CHECKING:
    from types import TracebackType

    from dulwich.objects import ObjectID
    from dulwich.repo import Repo

MAX_PLANNING_FILE = 4 * 1_048_576
MAX_LINK_HOPS = 40  # as the kernel's limit on symbolic links followed in one path
MAX_LINK_BYTES = 4096  # PATH_MAX: no system follows a longer link
_GITLINK = 0o160000
_COMMIT_ID = re.compile(r"[0-9a-f]{40}")


def _resolve(repo: Repo, name: str) -> ObjectID:
    """A full commit id, a branch, remote branch or tag. A commit id is that commit, never
    a branch someone named after it (not even when the commit is missing), and a bare name
    is looked up only under ``refs/`` (``HEAD`` is the checked-out commit, never a base)."""
    from dulwich.objects import Commit, ObjectID, Tag
    from dulwich.refs import Ref

    found: ObjectID | None = None
    raw = ObjectID(name.encode())
    if _COMMIT_ID.fullmatch(name):
        found = raw if raw in repo.object_store else None
    else:
        refs = repo.get_refs()
        for candidate in (
            f"refs/heads/{name}",
            f"refs/remotes/origin/{name}",
            f"refs/remotes/{name}",
            f"refs/tags/{name}",
            name if name.startswith("refs/") else None,
        ):
            key = Ref(candidate.encode()) if candidate else None
            if key is not None and key in refs:
                found = refs[key]
                break
    if found is None or found not in repo.object_store:
        raise SettingsError(
            f"base '{name}' is not a branch, tag or commit of the checked-out repository; check "
            "out with fetch-depth: 0 so the base branch is present"
        )
    obj = repo.object_store[found]
    while isinstance(obj, Tag):
        obj = repo.object_store[obj.object[1]]
    if not isinstance(obj, Commit):
        raise SettingsError(f"base '{name}' does not name a commit")
    return obj.id


_LFS_POINTER = b"version https://git-lfs.github.com/spec/v1\n"
_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _lines(data: bytes) -> list[bytes]:
    """Lines as git and as the languages count them: ended by ``\\n``, ``\\r\\n`` or a lone
    ``\\r`` (which Python, among others, runs as a line break: a thousand statements joined
    by lone ``\\r`` are a thousand lines, not one), a last line without an end kept
    distinct."""
    return _LINE.findall(data)


def _is_binary(data: bytes) -> bool:
    return b"\0" in data[:8000]


def edit_distance(a: Sequence[bytes], b: Sequence[bytes], limit: int) -> int | None:
    """Lines deleted plus lines added by a minimal diff of ``a`` to ``b`` (Myers, 1986),
    or None when that is more than ``limit``. Time is linear in the lines for a small
    change: O(N + D²) in practice, O((N + M)·D) at worst, with D at most ``limit``."""
    start = 0
    end_a, end_b = len(a), len(b)
    while start < end_a and start < end_b and a[start] == b[start]:
        start += 1
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    n, m = end_a - start, end_b - start
    if n == 0 or m == 0:
        return n + m  # only added or only deleted lines: exact at no cost
    ids: dict[bytes, int] = {}
    x_lines = [ids.setdefault(line, len(ids)) for line in a[start:end_a]]
    y_lines = [ids.setdefault(line, len(ids)) for line in b[start:end_b]]
    max_d = min(n + m, limit)
    offset = max_d + 1
    furthest = [0] * (2 * max_d + 3)
    for d in range(max_d + 1):
        for k in range(-d, d + 1, 2):
            if k == -d or (k != d and furthest[offset + k - 1] < furthest[offset + k + 1]):
                x = furthest[offset + k + 1]
            else:
                x = furthest[offset + k - 1] + 1
            y = x - k
            while x < n and y < m and x_lines[x] == y_lines[y]:
                x += 1
                y += 1
            furthest[offset + k] = x
            if x >= n and y >= m:
                return d
    return None


def count_lines(old: bytes, new: bytes, limit: int) -> tuple[int, int, bool]:
    """(added, deleted, exact) for a text change; beyond ``limit`` a lower bound."""
    a, b = _lines(old), _lines(new)
    distance = edit_distance(a, b, limit)
    exact = distance is not None
    if distance is None:
        # Over the allowance: a cheap lower bound, at least one past the limit.
        ca, cb = Counter(a), Counter(b)
        distance = max(limit + 1, sum((ca - cb).values()) + sum((cb - ca).values()))
        distance += (distance - len(a) - len(b)) % 2  # added - deleted is len(b) - len(a)
    added = (distance + len(b) - len(a)) // 2
    deleted = distance - added
    # A line longer than LONG_LINE_BYTES counts once per LONG_LINE_BYTES when it is new
    # on its side, so a whole change packed into one line is not one line.
    widest = max(max(map(len, a), default=0), max(map(len, b), default=0))
    if widest > LONG_LINE_BYTES:
        long_a = Counter(line for line in a if len(line) > LONG_LINE_BYTES)
        long_b = Counter(line for line in b if len(line) > LONG_LINE_BYTES)
        added += sum(_extra(line) * n for line, n in (long_b - long_a).items())
        deleted += sum(_extra(line) * n for line, n in (long_a - long_b).items())
    return added, deleted, exact


def _extra(line: bytes) -> int:
    """The lines a long line counts beyond its one."""
    return -(-len(line.rstrip(b"\r\n")) // LONG_LINE_BYTES) - 1


def _binary_lines(data: bytes) -> int:
    return -(-len(data) // BINARY_LINE_BYTES)


MAX_MERGE_BASES = 8
"""Most merge bases a pull request may share with its base: each is diffed in full."""


class PullRepository:
    """The checked-out repository, seen as a pull request of ``head`` (by default HEAD)
    onto ``base``."""

    def __init__(self, root: Path, base: str, head: str | None = None) -> None:
        from dulwich.errors import NotGitRepository
        from dulwich.graph import find_merge_base
        from dulwich.objects import ObjectID
        from dulwich.repo import Repo

        try:
            self.repo = Repo(str(root))
        except NotGitRepository:
            raise SettingsError(
                "the workspace is not a git repository; check out the pull "
                "request with actions/checkout (fetch-depth: 0)"
            ) from None
        try:
            if head is not None:
                if not _COMMIT_ID.fullmatch(head) or ObjectID(head.encode()) not in (
                    self.repo.object_store
                ):
                    raise SettingsError(
                        f"the pull request's head commit '{head}' is not in the checked-out "
                        "repository; check out with fetch-depth: 0"
                    )
                self.head = ObjectID(head.encode())
            else:
                try:
                    self.head = self.repo.head()
                except KeyError:
                    raise SettingsError("the repository has no commit checked out (HEAD)") from None
            self.base = _resolve(self.repo, base)
            bases = find_merge_base(self.repo, [self.base, self.head])
            if len(bases) > MAX_MERGE_BASES:
                raise SettingsError(
                    f"the pull request's history crosses its base's {len(bases)} times (more "
                    f"than {MAX_MERGE_BASES} merge bases); merge the base branch into it"
                )
            if not bases:
                raise SettingsError(
                    f"the pull request's head and base '{base}' share no history here; "
                    "check out with fetch-depth: 0"
                )
            # Several when histories cross (a branch merged both ways): dulwich gives them
            # oldest first, git picks one; a change against any of them is a change.
            self.merge_bases = list(bases)
            if self.head in self.merge_bases:
                raise SettingsError(
                    f"base '{base}' already holds the pull request's head: it names the pull "
                    "request's own commits, not the branch it goes into; leave base-ref empty "
                    "(the event's base commit) or name the target branch"
                )
        except BaseException:
            self.repo.close()
            raise

    def __enter__(self) -> PullRepository:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.repo.close()

    # ------------------------------------------------------------ the base's files

    def _tree(self, commit: ObjectID) -> ObjectID:
        from dulwich.objects import Commit

        obj = self.repo.object_store[commit]
        assert isinstance(obj, Commit)
        tree: ObjectID = obj.tree
        return tree

    def _lookup(self, commit: ObjectID, path: str) -> tuple[int, ObjectID] | None:
        from dulwich.errors import NotTreeError
        from dulwich.object_store import tree_lookup_path

        clean = "/".join(p for p in path.split("/") if p not in ("", "."))
        if not clean:
            return stat.S_IFDIR, self._tree(commit)
        try:
            return tree_lookup_path(
                self.repo.object_store.__getitem__, self._tree(commit), clean.encode("utf-8")
            )
        except (KeyError, NotTreeError):
            return None

    def _blob(self, sha: ObjectID) -> bytes:
        from dulwich.objects import Blob

        obj = self.repo.object_store[sha]
        return obj.as_raw_string() if isinstance(obj, Blob) else b""

    def read_base(self, path: str) -> str | None:
        """A planning file's text in the base commit, or None when it is not there."""
        return self._read(self.base, "base", path)

    def read_head(self, path: str) -> str | None:
        """A planning file's text in the pull request's head commit (untrusted: read only
        to hold it to the rules), or None when it is not there."""
        return self._read(self.head, "pull request's head", path)

    def _read(self, commit: ObjectID, side: str, path: str) -> str | None:
        entry = self._lookup(commit, path)
        if entry is None:
            return None
        mode, sha = entry
        if not stat.S_ISREG(mode):
            raise SettingsError(
                f"'{path}' in the {side} commit is not a regular file (a folder, link or "
                "submodule); planning files must be plain files"
            )
        data = self._blob(sha)
        if len(data) > MAX_PLANNING_FILE:
            raise SettingsError(f"'{path}' in the {side} commit is larger than {MAX_PLANNING_FILE}")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SettingsError(
                f"'{path}' in the {side} commit is not UTF-8 ({exc.reason})"
            ) from None

    def list_base(self, folder: str, prefix: str, suffix: str) -> list[str]:
        """Names of regular files in a folder of the base commit, with prefix and suffix."""
        from dulwich.objects import Tree

        entry = self._lookup(self.base, folder)
        if entry is None or not stat.S_ISDIR(entry[0]):
            return []
        tree = self.repo.object_store[entry[1]]
        assert isinstance(tree, Tree)
        names = []
        for item in tree.items():
            name = item.path.decode("utf-8", "replace")
            if stat.S_ISREG(item.mode) and name.startswith(prefix) and name.endswith(suffix):
                names.append(str(PurePosixPath(folder) / name))
        return sorted(names)

    # ------------------------------------------------------------ the changes

    def _link_target(self, path: str, link: bytes) -> str | None:
        """See :func:`link_target`; links are followed through the head commit."""

        def entry(at: str) -> bytes | None:
            found = self._lookup(self.head, at)
            return self._blob(found[1]) if found is not None and stat.S_ISLNK(found[0]) else None

        return link_target(path, link, entry)

    def changes(self, limit: int) -> list[FileChange]:
        """Every path the pull request changes, lines counted exactly up to ``limit``
        changed lines in all (beyond it, as a lower bound: see the module's rules).

        Where the histories cross and head and base share several merge bases, a path
        changed against any of them counts (with the most lines any diff gives it),
        unless head holds it as the base does: merging cannot change it. Diffing against
        one base only let a branch put back what the base changed after the other."""
        if len(self.merge_bases) == 1:
            return self._changes_since(self.merge_bases[0], limit)
        found = _widest([self._changes_since(since, limit) for since in self.merge_bases])
        # Paths as the diffs name them (the same decoding), never looked up again.
        differs = _paths(self.repo, self._tree(self.base), self._tree(self.head))
        return [c for c in found if c.path in differs]

    def _changes_since(self, since: ObjectID, limit: int) -> list[FileChange]:
        from dulwich.diff_tree import tree_changes

        changes: list[FileChange] = []
        used = 0
        for change in tree_changes(
            self.repo.object_store, self._tree(since), self._tree(self.head)
        ):
            old, new = change.old, change.new
            side = new if new is not None and new.path is not None else old
            assert side is not None and side.path is not None
            path = side.path.decode("utf-8", "replace")
            old_mode = old.mode if old is not None and old.sha is not None else None
            new_mode = new.mode if new is not None and new.sha is not None else None
            modes = [m for m in (old_mode, new_mode) if m is not None]
            if any(stat.S_IFMT(m) == _GITLINK for m in modes):
                item = FileChange(
                    path,
                    added=int(new_mode is not None),
                    deleted=int(old_mode is not None),
                    kind="submodule",
                )
            else:
                old_data = self._blob(old.sha) if old is not None and old.sha else b""
                new_data = self._blob(new.sha) if new is not None and new.sha else b""
                link = new_mode is not None and stat.S_ISLNK(new_mode)
                target = self._link_target(path, new_data) if link else None
                item = _file_change(path, old_data, new_data, link, target, max(limit - used, 0))
            used += item.added + item.deleted
            changes.append(item)
        return changes


def _paths(repo: Repo, old: ObjectID, new: ObjectID) -> set[str]:
    """The paths two trees hold differently, decoded as the diffs decode them."""
    from dulwich.diff_tree import tree_changes

    out: set[str] = set()
    for change in tree_changes(repo.object_store, old, new):
        side = change.new if change.new is not None and change.new.path else change.old
        if side is not None and side.path is not None:
            out.add(side.path.decode("utf-8", "replace"))
    return out


def _widest(diffs: list[list[FileChange]]) -> list[FileChange]:
    """Each path any of the diffs changes, with the most lines any of them gives it."""
    found: dict[str, FileChange] = {}
    for diff in diffs:
        for item in diff:
            known = found.get(item.path)
            if known is None or item.added + item.deleted > known.added + known.deleted:
                found[item.path] = item
    return list(found.values())


def _file_change(
    path: str, old: bytes, new: bytes, link: bool, target: str | None, budget: int
) -> FileChange:
    """A changed file (or link) with its lines counted exactly up to ``budget``."""
    binary = _is_binary(old) or _is_binary(new)
    if binary:
        added, deleted, exact = _binary_lines(new), _binary_lines(old), True
    else:
        added, deleted, exact = count_lines(old, new, budget)
    return FileChange(
        path,
        added=added,
        deleted=deleted,
        kind="symlink" if link else "file",
        binary=binary,
        exact=exact,
        link=new.decode("utf-8", "replace") if link else None,
        target=target,
        lfs=new.startswith(_LFS_POINTER) and len(new) < 1024,
    )


def link_target(path: str, link: bytes, linked: Callable[[str], bytes | None]) -> str | None:
    """The repository path a link at ``path`` leads to, following the links it passes
    (``linked``: a path's link text, None when it is no link); None when it leads outside
    the repository, loops or is longer than any system follows."""
    text = link.decode("utf-8", "replace")
    if text.startswith("/") or len(link) > MAX_LINK_BYTES:
        return None
    queue = [*path.split("/")[:-1], *text.split("/")]
    resolved: list[str] = []
    hops = 0
    while queue:
        part = queue.pop(0)
        if part in ("", "."):
            continue
        if part == "..":
            if not resolved:
                return None
            resolved.pop()
            continue
        resolved.append(part)
        raw = linked("/".join(resolved))
        if raw is not None:
            hops += 1
            inner = raw.decode("utf-8", "replace")
            if hops > MAX_LINK_HOPS or inner.startswith("/") or len(raw) > MAX_LINK_BYTES:
                return None
            resolved.pop()
            queue = [*inner.split("/"), *queue]
    return "/".join(resolved) or "."
