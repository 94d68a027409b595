"""The repository as data: its files, what each defines and mentions, and which files
are tests of which. The shell reads the checkout (``planner.action.repo_index``) and
hands the core a ``RepoIndex``; everything here is pure."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from planner.core.patterns import LazyPattern


class SourceFile(NamedTuple):
    """One tracked file the index read."""

    path: str
    defines: tuple[str, ...]
    """Names the file defines: functions, classes, types, exported names, commands,
    settings keys, headings (as written)."""
    mentions: tuple[str, ...]
    """Other identifiers the file uses, distinct, the most used first (capped)."""
    counts: tuple[int, ...] = ()
    """How often the file uses each of ``mentions``."""


class RepoIndex(NamedTuple):
    """What the planner knows of the repository it runs in."""

    files: tuple[SourceFile, ...]
    """Tracked files that were read (text, not vendored or generated, not too large)."""
    unread: tuple[str, ...] = ()
    """Tracked files known by path only (binaries, vendored or generated trees, large
    files): never proposed, but they exist."""
    truncated: bool = False
    """The index stopped at its limit of files or bytes: a boundary may miss what lies
    beyond."""

    def all_paths(self) -> list[str]:
        return [f.path for f in self.files] + list(self.unread)


# ---------------------------------------------------------------------------- words

_IDENTIFIER = LazyPattern(r"[A-Za-z][A-Za-z0-9_]*|_+[A-Za-z0-9][A-Za-z0-9_]*")
_PART = LazyPattern(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
# Words too common in tasks and code to tell files apart; everything else is weighed by
# how rare it is in the repository.
_STOP = frozenset(
    """a an and are as at be been but by can could did do does for from has have how if in
    into is it its itself may more most must no not of on or our should so some such than
    that the their them then there these this those to too under up use used uses using via
    was we were what when where which while who why will with within without would you your
    all also any each every other only just new now make makes made get gets set sets let
    self cls def func fn var const return true false none nil null undefined import export
    from package class type struct interface public private protected static void int str
    string bool else elif try except catch finally while break continue pass lambda yield
    async await""".split()
)


def stem(word: str) -> str:
    """A light English stem, so that "proxies" meets "proxy" and "parsing" meets
    "parse"; code words pass through unchanged when short."""
    if len(word) <= 3:
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    if word.endswith("ing") and len(word) > 5:
        return word[:-3]
    if word.endswith("ed") and len(word) > 4:
        return word[:-2] if not word.endswith("eed") else word
    return word


@lru_cache(maxsize=262_144)
def identifier_words(identifier: str) -> tuple[str, ...]:
    """The words of one identifier, stemmed and lower-cased: ``HTTPTransport`` gives
    ``http``, ``transport`` and ``httptransport``; ``max_redirects`` gives ``max``,
    ``redirect`` and ``max_redirects``. Stop words and single letters are left out."""
    parts = [p.lower() for p in _PART.findall(identifier)]
    out = [stem(p) for p in parts if len(p) > 1 and p not in _STOP and not p.isdigit()]
    whole = identifier.strip("_").lower()
    if len(parts) > 1 and whole and whole not in _STOP:
        out.append(whole)
    return tuple(dict.fromkeys(out))


def text_words(text: str) -> list[str]:
    """The words of a text: each identifier's words (``identifier_words``), in order,
    repeated as often as the text repeats them."""
    out: list[str] = []
    for ident in _IDENTIFIER.findall(text):
        out += identifier_words(ident)
    return out


def identifiers(text: str) -> list[str]:
    """The identifiers of a text as written."""
    return list(_IDENTIFIER.findall(text))


def path_words(path: str) -> tuple[str, ...]:
    """The words of a path: of each folder and of the file's name without its suffix
    (``httpx/_urlparse.py`` -> ``httpx``, ``urlparse``)."""
    parts = path.split("/")
    name = parts[-1]
    stem_name = name.split(".", 1)[0] if not name.startswith(".") else name
    out: list[str] = []
    for part in [*parts[:-1], stem_name]:
        out += identifier_words(part)
    return tuple(dict.fromkeys(out))


# ---------------------------------------------------------------------------- tests

_TEST_NAME = LazyPattern(
    r"^(?:test_(?P<a>.+)|(?P<b>.+?)(?:_test|_tests|_spec|\.test|\.spec|Test|Tests|Spec|"
    r"\.e2e|-test|-spec))\.[A-Za-z0-9]+$"
)
_TEST_FOLDERS = frozenset({"test", "tests", "__tests__", "spec", "specs", "testing", "e2e"})
_PROSE = (".md", ".mdx", ".mdc", ".rst", ".txt", ".adoc")


def test_subject(path: str) -> str | None:
    """The name of the code a test file tests, by the common conventions
    (``tests/test_urls.py`` -> ``urls``, ``key_test.go`` -> ``key``,
    ``src/app.test.ts`` -> ``app``), or None when the file is not a test by its name."""
    name = path.rsplit("/", 1)[-1]
    match = _TEST_NAME.match(name)
    if not match:
        return None
    return (match.group("a") or match.group("b") or "").lstrip("_").lower() or None


def is_test(path: str) -> bool:
    """Whether the file is a test: by its name, or by a test folder on its path."""
    if test_subject(path) is not None:
        return True
    return any(part in _TEST_FOLDERS for part in path.split("/")[:-1])


def code_name(path: str) -> str:
    """A code file's name as tests name it: no suffix, no leading underscore
    (``httpx/_client.py`` -> ``client``)."""
    name = path.rsplit("/", 1)[-1]
    return name.split(".", 1)[0].lstrip("_").lower()


class CodeTests:
    """Which files are tests of which, by the repository's own conventions: a test file
    names the code it tests (``test_x``, ``x_test``, ``x.test``, ``x.spec``, ``XTest``),
    and of several code files of that name the one nearest to the test (the longest
    shared folder path) is its subject."""

    def __init__(self, paths: list[str]) -> None:
        self._tests: dict[str, list[str]] = {}
        self._subjects: dict[str, list[str]] = {}
        by_name: dict[str, list[str]] = {}
        by_file: dict[str, list[str]] = {}
        tests: list[tuple[str, str]] = []
        mirrored: list[str] = []
        for path in paths:
            subject = test_subject(path)
            if subject is not None:
                tests.append((path, subject))
            elif is_test(path):
                mirrored.append(path)
            elif not path.lower().endswith(_PROSE):  # a test tests code, not docs/api.md
                by_name.setdefault(code_name(path), []).append(path)
                by_file.setdefault(path.rsplit("/", 1)[-1], []).append(path)
        for test in mirrored:
            # test/unit/adapters/http.js tests lib/adapters/http.js: a test tree that
            # mirrors the code's, file for file.
            test_dir = test.split("/")[:-1]
            for code in by_file.get(test.rsplit("/", 1)[-1], []):
                code_dir = code.split("/")[:-1]
                if _shared_tail(test_dir, code_dir) or len(test_dir) == len(code_dir) == 1:
                    self._tests.setdefault(code, []).append(test)
                    self._subjects.setdefault(test, []).append(code)
        for test, subject in tests:
            candidates = by_name.get(subject, [])
            if not candidates:
                continue
            test_dir = test.split("/")[:-1]
            best = max(_shared_folders(test_dir, c.split("/")[:-1]) for c in candidates)
            for code in candidates:
                if _shared_folders(test_dir, code.split("/")[:-1]) == best:
                    self._tests.setdefault(code, []).append(test)
                    self._subjects.setdefault(test, []).append(code)

    def tests_of(self, path: str) -> list[str]:
        """The test files of a code file (none for a test file itself)."""
        return self._tests.get(path, [])

    def subjects_of(self, path: str) -> list[str]:
        """The code files a test file tests (none for a file that is no test)."""
        return self._subjects.get(path, [])


def _shared_tail(a: list[str], b: list[str]) -> int:
    """How many trailing folders two folder paths share."""
    return _shared_folders(a[::-1], b[::-1])


def _shared_folders(a: list[str], b: list[str]) -> int:
    """How many leading folders two folder paths share."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count
