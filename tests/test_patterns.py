"""``LazyPattern``: the reader's patterns compile when first used and then answer exactly
as ``re.compile`` would."""

from __future__ import annotations

import importlib
import re

import pytest

from planner.core.patterns import LazyPattern
from tests.runner import ROOT

CASES = [
    (r"(?:depends? on|after)\s+(T\d+)", re.IGNORECASE, "Depends on T3, after t4 and T5"),
    (r"^\s*[-*]\s+(.*)$", re.MULTILINE, "- one\n  * two\nthree\n"),
    (r"(\w+)@(\w+)", 0, "no address here"),
]


@pytest.mark.parametrize(("pattern", "flags", "text"), CASES)
def test_every_method_answers_as_the_compiled_pattern(pattern: str, flags: int, text: str) -> None:
    compiled = re.compile(pattern, flags)
    for first in ("search", "sub", "findall"):  # whichever method compiles it
        lazy = LazyPattern(pattern, flags)
        getattr(lazy, first)(*(("x", text) if first == "sub" else (text,)))
        for lazy_pattern in (lazy, LazyPattern(pattern, flags)):
            assert _spans(lazy_pattern.search(text)) == _spans(compiled.search(text))
            assert _spans(lazy_pattern.search(text, 3)) == _spans(compiled.search(text, 3))
            assert _spans(lazy_pattern.match(text)) == _spans(compiled.match(text))
            assert _spans(lazy_pattern.fullmatch(text)) == _spans(compiled.fullmatch(text))
            assert [m.span() for m in lazy_pattern.finditer(text)] == [
                m.span() for m in compiled.finditer(text)
            ]
            assert lazy_pattern.findall(text) == compiled.findall(text)
            assert lazy_pattern.split(text, 1) == compiled.split(text, 1)
            assert lazy_pattern.sub(lambda m: m.group(0).upper(), text) == compiled.sub(
                lambda m: m.group(0).upper(), text
            )
            assert lazy_pattern.subn("<>", text, 1) == compiled.subn("<>", text, 1)


def _spans(found: re.Match[str] | None) -> object:
    return None if found is None else (found.span(), found.groups())


def test_after_its_first_use_a_pattern_calls_the_compiled_one_directly() -> None:
    lazy = LazyPattern(r"T(\d+)")
    assert "search" not in vars(lazy)  # nothing compiled on creation
    assert lazy.search("see T12") is not None
    for name in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub", "subn"):
        method = vars(lazy)[name]
        assert isinstance(method.__self__, re.Pattern), name
        assert method.__self__.pattern == r"T(\d+)"


def test_every_pattern_the_planner_holds_compiles() -> None:
    """A pattern compiles where it is first used, so a broken one would surface only on
    the rare document that needs it; here every module's patterns compile."""
    found = 0
    for path in sorted((ROOT / "planner").rglob("*.py")):
        module = importlib.import_module(
            ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        )
        for value in vars(module).values():
            if isinstance(value, LazyPattern):
                value.compiled()
                found += 1
    assert found > 90  # the reader's tables among them
