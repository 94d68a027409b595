"""Globs: normalising request paths and the conservative overlap check used for waves."""

from __future__ import annotations

from fnmatch import fnmatchcase

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.core.paths import (
    GlobIndex,
    PathError,
    globs_overlap,
    literal_prefix,
    normalize_glob,
    overlapping_pairs,
)


@pytest.mark.parametrize(
    ("raw", "glob"),
    [
        ("internal/store/redis/", "internal/store/redis/**"),
        ("`api/middleware/ratelimit.py`", "api/middleware/ratelimit.py"),
        ("./a/b.py", "a/b.py"),
        ("src/**", "src/**"),
    ],
)
def test_normalize(raw: str, glob: str) -> None:
    assert normalize_glob(raw) == glob


@pytest.mark.parametrize(
    "raw", ["/etc/passwd", "../secrets", "a/../../b", "C:\\x", "~/x", "a\\b", ""]
)
def test_paths_that_leave_the_repository_are_refused(raw: str) -> None:
    with pytest.raises(PathError):
        normalize_glob(raw)


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("api/handlers/**", "api/handlers/middleware.go", True),
        ("api/routes/*.go", "api/routes/users.go", True),
        ("api/routes/*.go", "api/handlers/x.go", False),
        ("pkg/apierrors/**", "api/**", False),
        ("**", "anything/at/all.py", True),
        ("a/**/z.py", "a/b/c/z.py", True),
        ("a/*.py", "a/b/c.py", False),
    ],
)
def test_overlap(a: str, b: str, overlap: bool) -> None:
    assert globs_overlap(a, b) is overlap
    assert globs_overlap(b, a) is overlap


segment = st.sampled_from(["a", "b", "c.py", "d.go"])
pattern_segment = st.sampled_from(["a", "b", "*", "*.py", "c.py", "**"])


@given(st.lists(segment, min_size=1, max_size=4), st.lists(pattern_segment, min_size=1, max_size=4))
def test_never_says_no_when_a_path_matches(path: list[str], pattern: list[str]) -> None:
    """Soundness: if a concrete path matches the glob, the two overlap."""
    glob = "/".join(pattern)
    concrete = "/".join(path)
    if _matches(path, pattern):
        assert globs_overlap(glob, concrete)


name = st.sampled_from(["a", "b", "c.py", "d.go", "a_test.go", "ab.py", "[x].go", "b]c"])
name_pattern = st.sampled_from(
    ["a", "*", "*.py", "*_test.go", "*.go", "a*", "?b.py", "[ab]*", "[[]x].go", "*]c", "a*.py"]
)


@given(
    st.lists(name, min_size=1, max_size=3),
    st.lists(name_pattern, min_size=1, max_size=3),
    st.lists(name_pattern, min_size=1, max_size=3),
)
def test_two_globs_a_path_matches_overlap(path: list[str], one: list[str], two: list[str]) -> None:
    """Soundness between two patterns: a path matching both means they overlap."""
    if _matches(path, one) and _matches(path, two):
        assert globs_overlap("/".join(one), "/".join(two))


@pytest.mark.parametrize(
    ("a", "b", "overlap"),
    [
        ("src/*_test.go", "src/*.py", False),
        ("src/*_test.go", "src/*.go", True),
        ("lib/*1.py", "lib/*2.py", False),
        ("lib/a*.py", "lib/b*.py", False),
        ("lib/a*", "lib/ab*.py", True),
        ("lib/[ab]*.py", "lib/*.go", False),
    ],
)
def test_wildcards_in_one_name_overlap_only_when_their_ends_agree(
    a: str, b: str, overlap: bool
) -> None:
    assert globs_overlap(a, b) is overlap
    assert globs_overlap(b, a) is overlap


def _matches(path: list[str], pattern: list[str]) -> bool:
    if not pattern:
        return not path
    if pattern[0] == "**":
        return any(_matches(path[i:], pattern[1:]) for i in range(len(path) + 1))
    return bool(path) and fnmatchcase(path[0], pattern[0]) and _matches(path[1:], pattern[1:])


@pytest.mark.parametrize(
    ("glob", "prefix"),
    [
        ("src/api/*.go", ("src", "api")),
        ("src/**", ("src",)),
        ("**/x.md", ()),
        ("a/b/c.py", ("a", "b", "c.py")),
        ("a/[bc]/d", ("a",)),
    ],
)
def test_literal_prefix(glob: str, prefix: tuple[str, ...]) -> None:
    assert literal_prefix(glob) == prefix


@given(st.lists(st.lists(pattern_segment, min_size=1, max_size=4), max_size=12), st.data())
def test_the_index_finds_exactly_the_globs_that_overlap(
    added: list[list[str]], data: st.DataObject
) -> None:
    """Indexing by literal prefix drops only globs that cannot overlap."""
    index: GlobIndex[str] = GlobIndex()
    globs = sorted({"/".join(g) for g in added})
    for glob in globs:
        index.add(glob, glob)
    query = "/".join(data.draw(st.lists(pattern_segment, min_size=1, max_size=4)))
    assert sorted(index.overlapping(query)) == [g for g in globs if globs_overlap(query, g)]


@given(
    st.lists(st.lists(st.lists(pattern_segment, min_size=1, max_size=3), max_size=3), max_size=8)
)
def test_overlapping_pairs_are_every_pair_that_overlaps(boundaries: list[list[list[str]]]) -> None:
    globs = [["/".join(g) for g in boundary] for boundary in boundaries]
    expected = [
        (i, j)
        for i in range(len(globs))
        for j in range(i + 1, len(globs))
        if any(globs_overlap(a, b) for a in globs[i] for b in globs[j])
    ]
    assert overlapping_pairs(globs) == expected


# Globs that hold a wildcard in a name inside a shared folder (``lib/*1.py``, ``lib/a*``,
# ``lib/[ab]?1``), where the index tells them apart by the written-out ends of that name.
wildcard_name = st.one_of(
    st.builds(
        "".join,
        st.tuples(
            st.text(alphabet="ab1", max_size=2),
            st.sampled_from(["*", "?", "[ab]", "*1*", "**"]),
            st.text(alphabet="ab1.", max_size=3),
        ),
    ),
    st.text(alphabet="ab1", min_size=1, max_size=2),  # a written-out name: a file or folder
    st.text(alphabet="ab1.*?[]!", min_size=1, max_size=5),
)
folder_glob = st.builds(
    "".join,
    st.tuples(
        st.sampled_from(["", "lib/", "lib/a/"]),
        wildcard_name,
        st.sampled_from(["", "/**", "/c.py"]),
    ),
)
file_name = st.text(alphabet="ab1.[]!", min_size=1, max_size=6)


@settings(max_examples=1000)
@given(
    st.lists(folder_glob, min_size=2, max_size=30, unique=True),
    folder_glob,
    st.lists(file_name, min_size=1, max_size=3),
)
def test_the_index_misses_no_glob_that_a_wildcard_name_meets(
    added: list[str], query: str, path: list[str]
) -> None:
    """Telling names in one folder apart by their ends drops only globs that cannot
    overlap: as globs are added one by one, the index answers what comparing every pair
    answers, and a file that matches two globs always makes them meet."""
    index: GlobIndex[str] = GlobIndex()
    for count, glob in enumerate(added):
        earlier = added[:count]
        assert sorted(index.overlapping(glob)) == sorted(
            g for g in earlier if globs_overlap(glob, g)
        )
        index.add(glob, glob)
    found = index.overlapping(query)
    assert sorted(found) == sorted(g for g in added if globs_overlap(query, g))
    for glob in added:
        if _matches(path, query.split("/")) and _matches(path, glob.split("/")):
            assert glob in found
