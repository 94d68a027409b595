"""The workspace: reading planning files, and atomic writes confined to the workspace.

Writes never follow a symbolic link, not even one that stays inside the workspace: a plan
file that is a link to ``.github/workflows/ci.yml`` must not get a block appended to the
workflow. Every file of a run is checked before the first is written, so a run that
cannot write one of them writes none.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from planner.core.repo import RepoIndex

# Bytes. Far above any real plan (a 20,000-task contract is about 23 MB), low enough that
# a stray huge file is refused at once instead of filling the runner's memory.
MAX_READ = 64 * 1_048_576


class WorkspaceError(ValueError):
    """A path outside the workspace, or a file that cannot be read or written."""


class Workspace:
    def __init__(self, root: Path) -> None:
        try:
            self.root = root.resolve()
        except (OSError, RuntimeError) as exc:
            raise WorkspaceError(f"the workspace {root} cannot be resolved ({exc})") from None
        if self.root.exists() and not self.root.is_dir():
            raise WorkspaceError(f"the workspace {root} is a file, not a folder")
        self._index: RepoIndex | None = None

    def repository_index(self, known_only: Sequence[str] = ()) -> RepoIndex:
        """The index of the checkout (its tracked files and what they define), read on
        the first call and kept for the run; ``known_only``: globs of files known by path
        only (the planning files)."""
        if self._index is None:
            from planner.action.repo_index import build_index

            self._index = build_index(self.root, known_only)
        return self._index

    def _parts(self, relative: str) -> tuple[str, ...]:
        if any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in relative):
            raise WorkspaceError(
                f"{relative!r} holds a control character or a broken one; name the path in "
                "plain characters"
            )
        pure = PurePosixPath(relative.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or not relative.strip():
            raise WorkspaceError(
                f"'{relative}' is not a path inside the workspace; use a relative path without '..'"
            )
        return tuple(p for p in pure.parts if p != ".")

    def resolve(self, relative: str) -> Path:
        """The absolute path for a workspace-relative path, refusing any way out
        (absolute paths, ``..``, symlinks that lead outside, symlink loops)."""
        parts = self._parts(relative)
        try:
            target = self.root.joinpath(*parts).resolve()
        except (OSError, RuntimeError):
            raise WorkspaceError(
                f"'{relative}' goes through a loop of symbolic links; remove the loop"
            ) from None
        if target != self.root and self.root not in target.parents:
            raise WorkspaceError(
                f"'{relative}' leads outside the workspace (through a symbolic link); "
                "refusing to touch it"
            )
        return target

    def read_text(self, relative: str) -> str | None:
        """The file's text, or None when it does not exist. Newlines are kept as written."""
        path = self.resolve(relative)
        try:
            if not path.exists():
                return None
            if not path.is_file():
                raise WorkspaceError(
                    f"'{relative}' is a folder (or another kind of file) where a file belongs"
                )
            size = path.stat().st_size
            if size > MAX_READ:
                raise WorkspaceError(
                    f"'{relative}' has {size:,} bytes, more than the {MAX_READ // 1_048_576} MiB "
                    "a planning file may have; split the plan into several issues"
                )
            with path.open("r", encoding="utf-8", newline="") as handle:
                return handle.read()
        except UnicodeDecodeError as exc:
            raise WorkspaceError(f"'{relative}' is not UTF-8 text ({exc.reason})") from None
        except OSError as exc:
            raise WorkspaceError(f"'{relative}' cannot be read ({exc.strerror})") from None

    def list_files(self, folder: str, prefix: str, suffix: str) -> list[str]:
        """Workspace-relative names of files in ``folder`` with the prefix and suffix."""
        path = self.resolve(folder)
        try:
            if not path.is_dir():
                return []
            return sorted(
                str(PurePosixPath(folder) / entry.name)
                for entry in path.iterdir()
                if entry.name.startswith(prefix) and entry.name.endswith(suffix) and entry.is_file()
            )
        except OSError as exc:
            raise WorkspaceError(f"'{folder}' cannot be listed ({exc.strerror})") from None

    def check_writable(self, relative: str) -> Path:
        """The path ``relative`` would be written at, once it is sure the write can
        happen without following a link: every folder on the way is a real folder (or
        missing) and the file itself is a regular file (or missing)."""
        parts = self._parts(relative)
        if not parts:
            raise WorkspaceError(f"'{relative}' names the workspace itself, not a file")
        path = self.root
        for depth, part in enumerate(parts, start=1):
            path = path / part
            shown = "/".join(parts[:depth])
            try:
                mode = path.lstat().st_mode
            except FileNotFoundError:
                break  # the rest is made by the write
            except OSError as exc:
                raise WorkspaceError(f"'{shown}' cannot be examined ({exc.strerror})") from None
            if stat.S_ISLNK(mode):
                raise WorkspaceError(
                    f"'{shown}' is a symbolic link; the planner writes only real files and "
                    f"folders, so '{relative}' was not written (nor any other file). Replace "
                    "the link with the file, or point the planner elsewhere"
                )
            last = depth == len(parts)
            if not last and not stat.S_ISDIR(mode):
                raise WorkspaceError(
                    f"'{shown}' is a file where a folder belongs (to hold '{relative}'); "
                    "move it, or configure other paths"
                )
            if last and not stat.S_ISREG(mode):
                raise WorkspaceError(
                    f"'{relative}' is a folder (or another kind of file) where a file belongs; "
                    "move it, or configure other paths"
                )
        return self.root.joinpath(*parts)

    def check_all(self, names: Iterable[str]) -> None:
        """Refuse (with the first problem) unless every one of ``names`` can be written."""
        for name in names:
            self.check_writable(name)

    def write_all(self, files: dict[str, str], removed: Iterable[str] = ()) -> list[str]:
        """Write every file whose text changed, after checking that all of them can be
        written; then delete each of ``removed`` that is a real file (a link, a folder, or
        a file behind a linked folder is left as it is, as is one that cannot be
        deleted). The names written or deleted."""
        targets = {name: self.check_writable(name) for name in files}
        changed = [name for name, text in files.items() if self.read_text(name) != text]
        for name in changed:
            self._write(targets[name], name, files[name])
        deleted = []
        for name in removed:
            try:
                path = self.check_writable(name)
                if name not in files and stat.S_ISREG(path.lstat().st_mode):
                    path.unlink()
                    deleted.append(name)
            except (WorkspaceError, OSError):
                continue
        return changed + deleted

    def write_text(self, relative: str, text: str) -> Path:
        """Write one file whole or not at all (see :meth:`write_all`)."""
        path = self.check_writable(relative)
        self._write(path, relative, text)
        return path

    def _write(self, path: Path, relative: str, text: str) -> None:
        """A temporary file in the same folder, then renamed over the target (a rename
        replaces a link rather than writing through it). When it replaces a file, the new
        text is flushed to the disk before the rename, so a power cut leaves the old text
        or the new, never an empty file where one was; a new file (a brief, a spec) is
        renamed into place unflushed: there is nothing there to lose, and a flush per
        brief made a first plan of 1,000 tasks half as slow again."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.check_writable(relative)  # nothing turned into a link meanwhile
            replacing = path.exists()
            mode = path.lstat().st_mode & 0o777 if replacing else 0o644
            handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise WorkspaceError(f"'{relative}' cannot be written ({exc.strerror})") from None
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                if replacing:
                    out.flush()
                    os.fsync(out.fileno())
            os.chmod(temp, mode)
            os.replace(temp, path)
        except OSError as exc:
            Path(temp).unlink(missing_ok=True)
            raise WorkspaceError(f"'{relative}' cannot be written ({exc.strerror})") from None
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
