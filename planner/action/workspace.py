"""The workspace: reading planning files, and atomic writes confined to the workspace."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath

# Bytes. Far above any real plan (a 20,000-task contract is about 23 MB), low enough that
# a stray huge file is refused at once instead of filling the runner's memory.
MAX_READ = 64 * 1_048_576


class WorkspaceError(ValueError):
    """A path outside the workspace, or a file that cannot be read or written."""


class Workspace:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def resolve(self, relative: str) -> Path:
        """The absolute path for a workspace-relative path, refusing any way out
        (absolute paths, ``..``, symlinks that lead outside)."""
        pure = PurePosixPath(relative.replace("\\", "/"))
        if pure.is_absolute() or ".." in pure.parts or not relative.strip():
            raise WorkspaceError(
                f"'{relative}' is not a path inside the workspace; use a relative path without '..'"
            )
        target = (self.root / pure).resolve()
        if target != self.root and self.root not in target.parents:
            raise WorkspaceError(
                f"'{relative}' leads outside the workspace (through a symbolic link); "
                "refusing to touch it"
            )
        return target

    def read_text(self, relative: str) -> str | None:
        """The file's text, or None when it does not exist. Newlines are kept as written."""
        path = self.resolve(relative)
        if not path.exists():
            return None
        if not path.is_file():
            raise WorkspaceError(f"'{relative}' is not a regular file")
        size = path.stat().st_size
        if size > MAX_READ:
            raise WorkspaceError(
                f"'{relative}' has {size:,} bytes, more than the {MAX_READ // 1_048_576} MiB "
                "a planning file may have; split the plan into several issues"
            )
        try:
            with path.open("r", encoding="utf-8", newline="") as handle:
                return handle.read()
        except UnicodeDecodeError as exc:
            raise WorkspaceError(f"'{relative}' is not UTF-8 text ({exc.reason})") from exc

    def list_files(self, folder: str, prefix: str, suffix: str) -> list[str]:
        """Workspace-relative names of files in ``folder`` with the prefix and suffix."""
        path = self.resolve(folder)
        if not path.is_dir():
            return []
        return sorted(
            str(PurePosixPath(folder) / entry.name)
            for entry in path.iterdir()
            if entry.is_file() and entry.name.startswith(prefix) and entry.name.endswith(suffix)
        )

    def write_text(self, relative: str, text: str) -> Path:
        """Write the file whole or not at all: a temporary file in the same folder,
        flushed, then renamed over the target."""
        path = self.resolve(relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        folder = path.parent.resolve()
        if folder != self.root and self.root not in folder.parents:
            raise WorkspaceError(f"'{relative}' is in a folder outside the workspace")
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.write(text)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, mode)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        return path
