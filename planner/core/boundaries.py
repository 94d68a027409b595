"""Boundaries that are never handed out: ones that match every file, ones that touch
protected paths (workflows, actions, git's own folder, the planning files), and paths
written with characters that look like others (bidirectional overrides, zero-width
characters, letters of two scripts in one name). Such a task is held back with a finding
that says how to allow it; check mode would hold the pull request to it otherwise."""

from __future__ import annotations

import unicodedata

from planner.core.findings import finding
from planner.core.paths import GlobIndex
from planner.core.repo import RepoIndex
from planner.model import Config, DeferredTask, Finding, Task

CONFIG_FILE = ".github/planner.yml"
# Scripts whose letters pass for one another (Latin a, Cyrillic а, Greek α).
_CONFUSABLE_SCRIPTS = frozenset({"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC"})
_INVISIBLE = frozenset(
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)


def protected_globs(config: Config) -> list[str]:
    """The configured protected paths and, always, the planning files."""
    paths = config.paths
    return [
        *config.protected_paths,
        paths.plan_file,
        f"{paths.specs_dir}/**",
        f"{paths.output_dir}/**",
        CONFIG_FILE,
    ]


class Protected:
    """The protected globs, indexed by literal prefix: a path is compared only with the
    ones it could touch, so checking thousands of paths costs no more per path than
    checking a few."""

    def __init__(self, globs: list[str]) -> None:
        self._globs = globs
        self._index: GlobIndex[int] = GlobIndex()
        for i, glob in enumerate(globs):
            self._index.add(glob, i)

    def touched(self, glob: str) -> list[str]:
        """The protected globs that ``glob`` overlaps, in their configured order; a path
        inside any .git folder (a nested one too) touches ``.git``, git's own."""
        found = [self._globs[i] for i in sorted(set(self._index.overlapping(glob)))]
        if not found and _GIT in glob.lower().split("/"):
            return [_GIT]
        return found


_GIT = ".git"


def holds_code(index: RepoIndex | None, protected: list[str]) -> bool:
    """Whether a checkout's index holds a file besides the protected and planning ones:
    a repository to propose boundaries from, not one yet to be written."""
    if index is None:
        return False
    guard = Protected(protected)
    return any(not guard.touched(f.path) for f in index.files)


def is_unbounded(glob: str) -> bool:
    """Whether the glob matches every file, or every file of a whole level (``**``,
    ``*``, ``**/*``): each of its parts is only wildcards."""
    return all(part and set(part) <= {"*"} for part in glob.split("/"))


def _script(char: str) -> str | None:
    if not char.isalpha():
        return None
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else None


def lookalike(glob: str) -> str | None:
    """What makes a path read as something it is not, or None: an invisible or
    direction-changing character, a character that stands in for an ASCII one (a
    full-width ``／``), or letters of two scripts that pass for one another in one name
    (a Cyrillic ``а`` in ``аpi``)."""
    if glob.isascii():
        return None  # every invisible, stand-in and non-Latin character is beyond ASCII
    for char in glob:
        if char in _INVISIBLE or unicodedata.category(char) == "Cf":
            return f"the invisible character U+{ord(char):04X}"
        if not char.isascii():
            folded = unicodedata.normalize("NFKC", char)
            if folded.isascii() and folded != char:
                return f"U+{ord(char):04X}, which stands in for '{folded}'"
    for name in glob.split("/"):
        scripts = {s for s in map(_script, name) if s in _CONFUSABLE_SCRIPTS}
        if len(scripts) > 1:
            return f"letters of {' and '.join(sorted(scripts))} in one name ('{name}')"
    return None


def hold_unsafe(
    tasks: list[Task], protected: list[str], milestone: str
) -> tuple[dict[str, DeferredTask], list[Finding]]:
    """The tasks whose boundary may not be handed out, by id, and a finding for each."""
    held: dict[str, DeferredTask] = {}
    findings: list[Finding] = []
    guard = Protected(protected)
    for t in tasks:
        paths = t.diff_boundary.paths
        odd = [(p, why) for p in paths if (why := lookalike(p))]
        wide = [p for p in paths if is_unbounded(p)]
        touched = sorted({g for p in paths for g in guard.touched(p)})
        held_out = "It is not handed out."
        if odd:
            path, why = odd[0]
            rule, reason = "boundary-lookalike", f"path {path!r} holds {why}"
            said = finding(
                "boundary-lookalike",
                fix=f"{held_out} Write the path in plain characters.",
                path=repr(path),
                why=why,
                milestone=milestone,
                task=t.id,
            )
        elif wide:
            rule, reason = "boundary-unbounded", f"paths {', '.join(wide)} match every file"
            said = finding(
                "boundary-unbounded",
                fix=f"{held_out} Name the folders or files it changes (paths: src/feature/**).",
                paths=", ".join(map(repr, wide)),
                milestone=milestone,
                task=t.id,
            )
        elif touched:
            rule, reason = "boundary-protected", f"paths touch protected {', '.join(touched)}"
            said = finding(
                "boundary-protected",
                fix=f"{held_out} Narrow its paths, or, if an agent may change them, leave them "
                "out of protected_paths in .github/planner.yml (the planning files stay "
                "protected).",
                paths=", ".join(map(repr, paths)),
                touched=", ".join(touched),
                milestone=milestone,
                task=t.id,
            )
        else:
            continue
        held[t.id] = DeferredTask(task=t.id, rule=rule, reason=reason)
        findings.append(said)
    return held, findings
