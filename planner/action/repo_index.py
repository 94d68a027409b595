"""Reading the checkout into a ``RepoIndex``: its tracked files, what each defines and
mentions. Bounded in time and memory: binaries, vendored and generated trees, and large
files are known by path only, and reading stops at a limit of files and bytes.

The tracked files come from git's index (read with dulwich: the container has no git
binary), so what ``actions/checkout`` checked out is what counts, and untracked build
output is not; a folder that is not a git checkout is walked instead.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path

from planner.core.boundaries import Protected
from planner.core.patterns import LazyPattern
from planner.core.repo import RepoIndex, SourceFile

MAX_FILES = 200_000
"""Most tracked files indexed; past it the index says it is truncated."""
MAX_FILE_BYTES = 256 * 1024
"""A larger file is known by path only (generated data, bundles, fixtures)."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Most bytes read in all."""
MAX_LINE = 400
"""Characters of a line that may hold a definition."""
MAX_MENTIONS = 300
"""Most distinct identifiers kept per file."""

# Trees that hold other people's code or build output, by folder name.
_SKIPPED_FOLDERS = frozenset(
    {
        "node_modules",
        "vendor",
        "vendored",
        "third_party",
        "third-party",
        "thirdparty",
        "external",
        "dist",
        "build",
        "out",
        "target",
        ".git",
        ".yarn",
        "bower_components",
        "site-packages",
        "__pycache__",
        "__snapshots__",
        ".venv",
        "venv",
    }
)
_GENERATED = LazyPattern(
    r"(?:\.min\.(?:js|css)|\.pb\.go|_pb2\.py|\.generated\.\w+|_generated\.\w+|\.g\.dart|"
    r"\.snap|\.lock|-lock\.json|-lock\.yaml|\.map|\.svg)$|^(?:go\.sum|package-lock\.json|"
    r"yarn\.lock|pnpm-lock\.yaml|poetry\.lock|uv\.lock|Cargo\.lock|Gemfile\.lock|"
    r"composer\.lock|bun\.lockb?)$"
)
_BINARY_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .ico .webp .bmp .tiff .pdf .zip .gz .tgz .bz2 .xz .7z .tar .jar "
    ".war .class .so .dylib .dll .exe .bin .o .a .lib .wasm .woff .woff2 .ttf .otf .eot "
    ".mp3 .mp4 .wav .ogg .mov .avi .webm .pyc .db .sqlite .parquet .npy .pkl .gif".split()
)

# What a file defines, by language: functions, classes, types, constants, commands,
# settings keys, headings. Each pattern's first group is the name.
_PY = [
    r"^[ \t]*(?:async[ \t]+)?def[ \t]+(\w+)",
    r"^[ \t]*class[ \t]+(\w+)",
    r"^([A-Z][A-Z0-9_]+)[ \t]*[:=]",
]
_GO = [
    r"^func[ \t]+(?:\([^)]*\)[ \t]*)?(\w+)",
    r"^type[ \t]+(\w+)",
    r"^[ \t]*(\w+)[ \t]+(?:struct|interface)\b",
    r"^(?:const|var)[ \t]+(\w+)",
    r"^\t(\w+)[ \t]+(?:=|[\w.]+[ \t]*=)",
]
_JS = [
    r"^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:async[ \t]+)?function\*?[ \t]+(\w+)",
    r"^[ \t]*(?:export[ \t]+)?(?:default[ \t]+)?(?:abstract[ \t]+)?class[ \t]+(\w+)",
    r"^[ \t]*(?:export[ \t]+)?(?:declare[ \t]+)?(?:interface|type|enum)[ \t]+(\w+)",
    r"^[ \t]*(?:export[ \t]+)?(?:const|let|var)[ \t]+(\w+)",
    r"^[ \t]+(?:(?:public|private|protected|static|async|readonly)[ \t]+)*"
    r"(\w+)[ \t]*\([^)\n]*\)[ \t]*[:{]",
]
_RS = [
    r"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?(?:async[ \t]+)?(?:unsafe[ \t]+)?fn[ \t]+(\w+)",
    r"^[ \t]*(?:pub(?:\([^)]*\))?[ \t]+)?"
    r"(?:struct|enum|trait|type|mod|const|static|union)[ \t]+(\w+)",
    r"macro_rules![ \t]*(\w+)",
]
_JVM = [
    r"^[ \t]*(?:[\w@]+[ \t]+)*(?:class|interface|enum|record|object|trait)[ \t]+(\w+)",
    r"^[ \t]*(?:(?:public|private|protected|internal|static|final|override|suspend|open|"
    r"abstract)[ \t]+)+(?:fun[ \t]+|[\w<>\[\],.?]+[ \t]+)(\w+)[ \t]*\(",
    r"^[ \t]*fun[ \t]+(?:<[^>]*>[ \t]*)?(?:\w+\.)?(\w+)[ \t]*\(",
]
_RB = [r"^[ \t]*def[ \t]+(?:self\.)?(\w+[?!]?)", r"^[ \t]*(?:class|module)[ \t]+([\w:]+)"]
_C = [
    r"^(?:[\w*]+[ \t]+)+\**(\w+)[ \t]*\([^;\n]*$",
    r"^[ \t]*#[ \t]*define[ \t]+(\w+)",
    r"^[ \t]*(?:typedef[ \t]+)?(?:struct|enum|union|class|namespace)[ \t]+(\w+)",
]
_SH = [r"^[ \t]*(?:function[ \t]+)?([\w-]+)[ \t]*\(\)[ \t]*\{?", r"^[ \t]*function[ \t]+([\w-]+)"]
_KEYS = [r"^[ \t]{0,6}[\"']?([A-Za-z_][\w-]*)[\"']?[ \t]*[:=]"]
_MAKE = [r"^([A-Za-z_][\w.-]*)[ \t]*:(?!=)"]
_DOCS = [r"^#{1,6}[ \t]+([^\n]+)"]
_PHP = [
    r"function[ \t]+(\w+)",
    r"^[ \t]*(?:abstract[ \t]+|final[ \t]+)?(?:class|interface|trait)[ \t]+(\w+)",
]
_SWIFT = [r"\b(?:func|class|struct|enum|protocol|extension)[ \t]+(\w+)"]

_BY_SUFFIX: dict[str, list[str]] = {
    ".py": _PY,
    ".pyi": _PY,
    ".go": _GO,
    ".js": _JS,
    ".jsx": _JS,
    ".mjs": _JS,
    ".cjs": _JS,
    ".ts": _JS,
    ".tsx": _JS,
    ".mts": _JS,
    ".cts": _JS,
    ".vue": _JS,
    ".svelte": _JS,
    ".rs": _RS,
    ".java": _JVM,
    ".kt": _JVM,
    ".kts": _JVM,
    ".scala": _JVM,
    ".cs": _JVM,
    ".rb": _RB,
    ".c": _C,
    ".h": _C,
    ".cc": _C,
    ".cpp": _C,
    ".cxx": _C,
    ".hpp": _C,
    ".hh": _C,
    ".m": _C,
    ".sh": _SH,
    ".bash": _SH,
    ".zsh": _SH,
    ".yml": _KEYS,
    ".yaml": _KEYS,
    ".toml": _KEYS,
    ".ini": _KEYS,
    ".cfg": _KEYS,
    ".json": _KEYS,
    ".env": _KEYS,
    ".md": _DOCS,
    ".mdx": _DOCS,
    ".rst": [r"^([^\s].{2,80})\n[=\-~^\"'`#*+]{3,}$"],
    ".php": _PHP,
    ".swift": _SWIFT,
}
_MARKDOWN = frozenset({".md", ".mdx"})
_BY_NAME: dict[str, list[str]] = {
    "Makefile": _MAKE,
    "makefile": _MAKE,
    "GNUmakefile": _MAKE,
    "Justfile": _MAKE,
}
_COMPILED: dict[int, re.Pattern[str]] = {}
_IDENTIFIER = LazyPattern(r"[A-Za-z_][A-Za-z0-9_]{2,63}")


def _definitions(patterns: list[str]) -> re.Pattern[str]:
    key = id(patterns)
    pattern = _COMPILED.get(key)
    if pattern is None:
        pattern = _COMPILED[key] = re.compile("|".join(f"(?:{p})" for p in patterns), re.M)
    return pattern


def tracked_files(root: Path) -> list[str] | None:
    """The files git tracks in the checkout at ``root`` (its index), or None when it is
    not a git checkout or its index cannot be read."""
    if not (root / ".git").exists():
        return None
    try:
        from dulwich.repo import Repo

        with Repo(str(root)) as repo:
            index = repo.open_index()
            return sorted(p.decode("utf-8", "surrogateescape") for p in index.paths())
    except Exception:  # noqa: BLE001 - any unreadable index means: walk the folder instead
        return None


def _walk(root: Path) -> Iterator[str]:
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_FOLDERS and not d.startswith("."))
        rel = os.path.relpath(folder, root)
        for name in sorted(names):
            yield name if rel == "." else f"{rel}/{name}".replace(os.sep, "/")


def _skipped(path: str) -> bool:
    parts = path.split("/")
    if any(p in _SKIPPED_FOLDERS for p in parts[:-1]):
        return True
    name = parts[-1]
    suffix = os.path.splitext(name)[1].lower()
    return suffix in _BINARY_SUFFIXES or bool(_GENERATED.search(name))


def build_index(root: Path, known_only: Sequence[str] = ()) -> RepoIndex:
    """The index of the checkout at ``root``; files matching ``known_only`` (the planning
    files, protected paths: never proposed) are known by path only, not read."""
    guard = Protected(list(known_only)) if known_only else None
    listed = tracked_files(root)
    paths = listed if listed is not None else list(_walk(root))
    truncated = len(paths) > MAX_FILES
    paths = paths[:MAX_FILES]
    files: list[SourceFile] = []
    unread: list[str] = []
    budget = MAX_TOTAL_BYTES
    for path in paths:
        if _skipped(path) or budget <= 0 or (guard is not None and guard.touched(path)):
            truncated = truncated or budget <= 0
            unread.append(path)
            continue
        full = root / path
        try:
            if full.is_symlink() or not full.is_file():
                unread.append(path)
                continue
            size = full.stat().st_size
            if size > MAX_FILE_BYTES:
                unread.append(path)
                continue
            data = full.read_bytes()
        except OSError:
            unread.append(path)
            continue
        budget -= len(data)
        if b"\x00" in data[:8192]:
            unread.append(path)
            continue
        text = data.decode("utf-8", "replace")
        files.append(_read(path, text))
    return RepoIndex(files=tuple(files), unread=tuple(unread), truncated=truncated)


def _read(path: str, text: str) -> SourceFile:
    name = path.rsplit("/", 1)[-1]
    suffix = os.path.splitext(name)[1].lower()
    patterns = _BY_NAME.get(name) or _BY_SUFFIX.get(suffix)
    defines: list[str] = []
    if patterns is not None:
        # Definitions are on lines of ordinary length; a long one (minified code, data)
        # is left out, so no pattern meets a line long enough to backtrack for long.
        lines = "\n".join(line for line in text.split("\n") if len(line) <= MAX_LINE)
        for match in _definitions(patterns).finditer(lines):
            found = next((g for g in match.groups() if g), None)
            if found:
                defines.append(
                    found.strip().rstrip("# \t") if suffix in _MARKDOWN else found.strip()
                )
    counted = Counter(_IDENTIFIER.findall(text, 0, 200_000)).most_common(MAX_MENTIONS)
    return SourceFile(
        path,
        tuple(dict.fromkeys(defines)),
        tuple(name for name, _ in counted),
        tuple(count for _, count in counted),
    )
