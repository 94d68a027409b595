"""The pull request's changes, read with dulwich, agree with `git diff --numstat`."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from planner.action.gitdiff import MAX_MERGE_BASES, PullRepository, count_lines
from planner.action.settings import SettingsError
from planner.core.gate import FileChange


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@e", *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def write(repo: Path, files: dict[str, bytes | None]) -> None:
    for name, data in files.items():
        path = repo / name
        if data is None:
            path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c")


def numstat(repo: Path, base: str) -> dict[str, tuple[int, int]]:
    out = {}
    for line in git(repo, "diff", "--numstat", "--no-renames", f"{base}...HEAD").splitlines():
        added, deleted, path = line.split("\t")
        out[path] = (int(added) if added != "-" else 0, int(deleted) if deleted != "-" else 0)
    return out


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    write(
        repo,
        {
            "a.py": b"".join(b"line %d\n" % i for i in range(50)),
            "docs/old.md": b"old\n",
            "bin.dat": b"\0\1\2",
        },
    )
    git(repo, "checkout", "-q", "-b", "work")
    return repo


def changes(repo: Path, base: str, limit: int = 1_000_000) -> list[FileChange]:
    with PullRepository(repo, base) as pull:
        return pull.changes(limit)


def test_counts_match_git(repo: Path) -> None:
    lines = [b"line %d\n" % i for i in range(50)]
    lines[10] = b"changed\n"
    lines.insert(30, b"inserted\n")
    del lines[40:45]
    write(
        repo,
        {"a.py": b"".join(lines), "docs/old.md": None, "new/b.go": b"x\ny\n", "bin.dat": b"\0\3"},
    )
    # main moves on after the branch: those changes are not the pull request's
    git(repo, "checkout", "-q", "main")
    write(repo, {"main-only.txt": b"m\n"})
    git(repo, "checkout", "-q", "work")
    mine = {c.path: c for c in changes(repo, "main")}
    expected = numstat(repo, "main")
    expected["bin.dat"] = (1, 1)  # binaries: one line per 80 bytes of each side
    assert {p: (c.added, c.deleted) for p, c in mine.items()} == expected
    assert "main-only.txt" not in mine
    assert mine["bin.dat"].binary and all(c.exact for c in mine.values())


def test_crossed_histories_cannot_hide_a_change_the_base_made(repo: Path) -> None:
    """Head and base with two merge bases (an old branch merged into main, main merged
    into the branch): a branch that puts back what main fixed after the older base
    changes that file, whichever base a tool would pick."""
    git(repo, "checkout", "-q", "main")
    write(repo, {"ci.yml": b"on: pull_request_target\n"})
    old = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "checkout", "-q", "-b", "old-branch", old)
    write(repo, {"README.md": b"typo fixed\n"})
    git(repo, "checkout", "-q", "main")
    write(repo, {"ci.yml": b"on: pull_request\n"})  # the fix
    fix = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "merge", "-q", "--no-ff", "-m", "merge the old branch", "old-branch")
    git(repo, "checkout", "-q", "-b", "task", "old-branch")
    git(repo, "merge", "-q", "--no-ff", "-m", "merge the fix", fix)
    write(repo, {"ci.yml": b"on: pull_request_target\n", "a.py": b"mine\n"})
    (repo / os.fsdecode(b"x\xff.yml")).write_bytes(b"on: push\n")  # a name not UTF-8
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "c")
    assert len(git(repo, "merge-base", "--all", "main", "HEAD").split()) == 2
    mine = {c.path: (c.added, c.deleted) for c in changes(repo, "main")}
    assert mine == {"ci.yml": (1, 1), "a.py": (1, 50), "x\ufffd.yml": (1, 0)}, mine


def test_a_history_crossed_too_often_is_refused_not_diffed_for_long(repo: Path) -> None:
    """Each merge base is diffed in full: a branch crossed with its base many times
    would hold the gate for minutes; it is refused with what to do."""
    git(repo, "checkout", "-q", "main")
    tips = []
    for n in range(MAX_MERGE_BASES + 1):
        git(repo, "checkout", "-q", "-b", f"side{n}", "main")
        write(repo, {f"side{n}.txt": b"x\n"})
        tips.append(f"side{n}")
    git(repo, "checkout", "-q", "main")
    git(repo, "merge", "-q", "--no-ff", "-m", "all", *tips)
    git(repo, "checkout", "-q", "-b", "crossed", tips[0])
    for tip in tips[1:]:
        git(repo, "merge", "-q", "--no-ff", "-m", "one", tip)
    write(repo, {"a.py": b"mine\n"})
    with pytest.raises(SettingsError, match="merge the base branch into it"):
        changes(repo, "main")


def test_unknown_base_and_non_repository(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="fetch-depth: 0"):
        changes(repo, "release")
    with pytest.raises(SettingsError, match="not a git repository"):
        changes(tmp_path, "main")


def test_line_counts_agree_with_git_on_varied_edits(repo: Path) -> None:
    """Myers' minimal diff gives git's numbers on edits of every shape: scattered,
    repeated lines, no final newline, CRLF, emptied and created files."""
    import random

    rng = random.Random(7)
    words = [b"alpha\n", b"beta\n", b"gamma\n", b"}\n", b"\n", b"return x\n"]
    base: dict[str, bytes | None] = {}
    head: dict[str, bytes | None] = {}
    for n in range(12):
        lines = [rng.choice(words) for _ in range(rng.randint(0, 60))]
        base[f"f{n}.txt"] = b"".join(lines)
        edited = list(lines)
        for _ in range(rng.randint(0, 8)):
            spot = rng.randint(0, len(edited))
            if rng.random() < 0.5 and spot < len(edited):
                del edited[spot]
            else:
                edited.insert(spot, rng.choice(words))
        head[f"f{n}.txt"] = b"".join(edited)
    base["tail.txt"], head["tail.txt"] = b"a\nb", b"a\nb\n"
    base["crlf.txt"], head["crlf.txt"] = b"a\r\nb\r\n", b"a\r\nc\r\n"
    base["gone.txt"], head["gone.txt"] = b"x\n" * 5, b""
    git(repo, "checkout", "-q", "main")
    write(repo, base)
    git(repo, "checkout", "-q", "-B", "work")
    write(repo, head)
    mine = {c.path: (c.added, c.deleted) for c in changes(repo, "main")}
    assert mine == numstat(repo, "main")


def test_counting_stops_past_the_allowance_with_a_lower_bound() -> None:
    old = b"".join(b"line %d\n" % i for i in range(10_000))
    one = old.replace(b"line 5000\n", b"changed\n")
    assert count_lines(old, one, 10) == (1, 1, True)
    rewritten = b"".join(b"other %d\n" % i for i in range(10_000))
    added, deleted, exact = count_lines(old, rewritten, 50)
    assert not exact and added + deleted > 50 and added - deleted == 0


def test_a_long_line_counts_once_per_1000_bytes_where_it_is_new() -> None:
    packed = b"x = 1; " * 500 + b"\n"  # 3,501 bytes: four lines' worth
    assert count_lines(b"", packed, 100) == (4, 0, True)
    assert count_lines(packed, b"", 100) == (0, 4, True)
    assert count_lines(packed, packed.replace(b"x", b"y"), 100) == (4, 4, True)
    # moved, not new: git's one line out and one in
    assert count_lines(packed + b"short\n", b"short\n" + packed, 100) == (1, 1, True)


def test_lines_end_at_a_lone_carriage_return_as_python_runs_them() -> None:
    # A thousand statements joined by lone \r: Python runs a thousand lines, so the gate
    # counts a thousand, not the one line a split on \n alone would see.
    module = b"\r".join(b"x%d = %d" % (i, i) for i in range(1000)) + b"\r"
    assert count_lines(b"", module, 5000) == (1000, 0, True)
    assert count_lines(b"", b"a = 1\r\nb = 2\r\n", 10) == (2, 0, True)
    assert count_lines(b"a = 1\nb = 2", b"a = 1\nb = 3", 10) == (1, 1, True)
