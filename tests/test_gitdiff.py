"""The pull request's changes, read with dulwich, agree with `git diff --numstat`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from planner.action.gitdiff import changed_files
from planner.action.settings import SettingsError


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
    mine = {c.path: (c.added, c.deleted) for c in changed_files(repo, "main")}
    assert mine == numstat(repo, "main")
    assert "main-only.txt" not in mine


def test_unknown_base_and_non_repository(repo: Path, tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="fetch-depth: 0"):
        changed_files(repo, "release")
    with pytest.raises(SettingsError, match="not a git repository"):
        changed_files(tmp_path, "main")
