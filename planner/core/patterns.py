"""Regular expressions compiled when they are first used, not when their module is
imported.

The reader and the rules hold about a hundred patterns, most of them case-insensitive
lists of phrases, and compiling them all costs about 18 ms: a tenth of an offline plan's
whole run, while one issue meets about half of them. A ``LazyPattern`` stands where the
compiled pattern would and answers the same calls; on its first call each method is
replaced by the compiled pattern's own, so every later call costs what a compiled
pattern's does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

_METHODS = ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn")
Replacement = str | Callable[[re.Match[str]], str]


class LazyPattern:
    """``re.compile(pattern, flags)``, compiled on first use."""

    def __init__(self, pattern: str, flags: int | re.RegexFlag = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    def __repr__(self) -> str:
        return f"LazyPattern({self.pattern!r}, {self.flags!r})"

    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern; from now on the methods below are its own."""
        compiled = re.compile(self.pattern, self.flags)
        for name in _METHODS:
            self.__dict__[name] = getattr(compiled, name)
        return compiled

    def search(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled().search(string, *bounds)

    def match(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled().match(string, *bounds)

    def fullmatch(self, string: str, *bounds: int) -> re.Match[str] | None:
        return self.compiled().fullmatch(string, *bounds)

    def finditer(self, string: str, *bounds: int) -> Iterator[re.Match[str]]:
        return self.compiled().finditer(string, *bounds)

    def findall(self, string: str, *bounds: int) -> list[Any]:
        return self.compiled().findall(string, *bounds)

    def split(self, string: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled().split(string, maxsplit)

    def sub(self, repl: Replacement, string: str, count: int = 0) -> str:
        return self.compiled().sub(repl, string, count)

    def subn(self, repl: Replacement, string: str, count: int = 0) -> tuple[str, int]:
        return self.compiled().subn(repl, string, count)
