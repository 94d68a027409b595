"""Files a pull request changes, read from the workspace's git repository with dulwich.

A pure-Python reader keeps git itself (and the ~100 MB it brings) out of the image.
Line counts are those of a line diff (difflib), as ``git diff --numstat`` reports them;
binary files count as changed files with no lines.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import TYPE_CHECKING

from planner.action.settings import SettingsError
from planner.core.check import FileChange

if TYPE_CHECKING:
    from dulwich.objects import ObjectID
    from dulwich.repo import Repo

LARGE_FILE_LINES = 20_000  # beyond this, lines are compared as multisets (no ordering)


def _resolve(repo: Repo, name: str) -> ObjectID:
    """A branch, remote branch, tag or full commit id, as git would find it."""
    from dulwich.objects import ObjectID
    from dulwich.refs import Ref

    refs = repo.get_refs()
    for candidate in (
        name,
        f"refs/heads/{name}",
        f"refs/remotes/origin/{name}",
        f"refs/remotes/{name}",
        f"refs/tags/{name}",
    ):
        key = Ref(candidate.encode())
        if key in refs:
            found: ObjectID = refs[key]
            return found
    raw = ObjectID(name.encode())
    if len(raw) == 40 and raw in repo.object_store:
        return raw
    raise SettingsError(
        f"base '{name}' is not a branch, tag or commit of the checked-out repository; check "
        "out with fetch-depth: 0 so the base branch is present"
    )


def _lines(data: bytes) -> list[bytes] | None:
    if b"\0" in data[:8000]:
        return None  # binary, as git decides it
    return data.splitlines()


def _count(old: bytes, new: bytes) -> tuple[int, int]:
    a, b = _lines(old), _lines(new)
    if a is None or b is None:
        return 0, 0
    if len(a) + len(b) > LARGE_FILE_LINES:
        from collections import Counter

        ca, cb = Counter(a), Counter(b)
        return sum((cb - ca).values()), sum((ca - cb).values())
    added = deleted = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag in ("replace", "delete"):
            deleted += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return added, deleted


def changed_files(root: Path, base: str) -> list[FileChange]:
    """Changes from the merge base of ``base`` and HEAD to HEAD."""
    from dulwich.diff_tree import tree_changes
    from dulwich.errors import NotGitRepository
    from dulwich.graph import find_merge_base
    from dulwich.objects import Blob, Commit
    from dulwich.repo import Repo

    try:
        repo = Repo(str(root))
    except NotGitRepository:
        raise SettingsError(
            "the workspace is not a git repository; check out the pull "
            "request with actions/checkout (fetch-depth: 0)"
        ) from None
    with repo:
        head = repo.head()
        base_id = _resolve(repo, base)
        bases = find_merge_base(repo, [base_id, head])
        if not bases:
            raise SettingsError(
                f"HEAD and '{base}' share no history here; check out with fetch-depth: 0"
            )
        old_commit, new_commit = repo[bases[0]], repo[head]
        assert isinstance(old_commit, Commit) and isinstance(new_commit, Commit)
        changes: list[FileChange] = []

        def blob(sha: ObjectID | None) -> bytes:
            if sha is None:
                return b""
            obj = repo.object_store[sha]
            return obj.as_raw_string() if isinstance(obj, Blob) else b""

        for change in tree_changes(repo.object_store, old_commit.tree, new_commit.tree):
            old, new = change.old, change.new
            path = (new.path if new and new.path else old.path if old else None) or b""
            added, deleted = _count(blob(old.sha if old else None), blob(new.sha if new else None))
            changes.append(
                FileChange(path=path.decode("utf-8", "replace"), added=added, deleted=deleted)
            )
        return changes
