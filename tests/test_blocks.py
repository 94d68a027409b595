"""Managed blocks: human text outside the markers is kept byte for byte."""

from __future__ import annotations

import pytest

from planner.core.blocks import BlockError, read_block, replace_block


def test_appends_a_block_to_a_file_without_one() -> None:
    text = "# Plan\n\nhuman text\n"
    out = replace_block(text, "7", "generated", "PLAN.md")
    assert (
        out
        == "# Plan\n\nhuman text\n\n<!-- planner:begin 7 -->\ngenerated\n<!-- planner:end 7 -->\n"
    )


def test_replaces_only_its_own_block_and_keeps_crlf_and_spaces() -> None:
    text = (
        "intro  \r\n<!-- planner:begin 1 -->\r\nother\r\n<!-- planner:end 1 -->\r\n"
        "<!-- planner:begin 2 -->\nold\n<!-- planner:end 2 -->\ntail\t\r\n"
    )
    out = replace_block(text, "2", "new", "PLAN.md")
    # The block takes the file's line ends; every byte outside it stays.
    assert out == text.replace("\nold\n", "\r\nnew\r\n")
    assert read_block(out, "1", "PLAN.md") == "\r\nother\r\n"


def test_crlf_file_gets_crlf_separators() -> None:
    out = replace_block("a\r\n", "3", "x", "PLAN.md")
    assert out.startswith("a\r\n\r\n<!-- planner:begin 3 -->")


@pytest.mark.parametrize(
    "text",
    [
        "<!-- planner:begin 5 -->\nno end\n",
        "<!-- planner:end 5 -->\n",
        "<!-- planner:begin 5 -->\n<!-- planner:end 5 -->\n<!-- planner:begin 5 -->\n",
    ],
)
def test_broken_markers_are_refused_not_guessed(text: str) -> None:
    with pytest.raises(BlockError) as caught:
        replace_block(text, "5", "x", "IMPLEMENTATION_PLAN.md")
    assert "IMPLEMENTATION_PLAN.md" in str(caught.value)


def test_block_for_issue_4_does_not_match_issue_42() -> None:
    text = "<!-- planner:begin 42 -->\nx\n<!-- planner:end 42 -->\n"
    assert read_block(text, "4", "P") is None
    out = replace_block(text, "4", "y", "P")
    assert out.startswith(text)


FENCED = (
    "# Plan\n\nThe planner writes its block like this:\n\n"
    "```markdown\n<!-- planner:begin 7 -->\nexample\n<!-- planner:end 7 -->\n```\n\n"
    "~~~~\n<!-- planner:begin 7 -->\n~~~\nstill code\n~~~~\n"
)


def test_markers_inside_fenced_code_are_text() -> None:
    assert read_block(FENCED, "7", "P") is None
    out = replace_block(FENCED, "7", "live", "P")
    assert out.startswith(FENCED), "the examples stay as they were"
    assert out.endswith("<!-- planner:begin 7 -->\nlive\n<!-- planner:end 7 -->\n")
    assert read_block(out, "7", "P") == "\nlive\n"
    assert replace_block(out, "7", "again", "P") == out.replace("\nlive\n", "\nagain\n")


def test_a_fence_that_never_closes_is_refused_not_written_into() -> None:
    text = "intro\n```\n<!-- planner:begin 7 -->\n"
    with pytest.raises(BlockError, match="never closed"):
        replace_block(text, "7", "x", "P")
    with pytest.raises(BlockError, match="ends inside a code fence opened on line 2"):
        replace_block("intro\n```\ncode\n", "7", "x", "P")


def test_a_file_of_many_fences_keeps_its_examples_and_its_block() -> None:
    fences = "```\n```\n" * 4000
    text = f"{fences}```\n<!-- planner:begin 7 -->\n```\n{fences}{markers_of('7', 'old')}"
    assert read_block(text, "7", "P") == "\nold\n"
    assert replace_block(text, "7", "new", "P") == text.replace("\nold\n", "\nnew\n")


def markers_of(key: str, content: str) -> str:
    return f"<!-- planner:begin {key} -->\n{content}\n<!-- planner:end {key} -->\n"


def test_a_begin_marker_inside_another_block_is_refused() -> None:
    text = (
        "<!-- planner:begin 42 -->\nplan\n<!-- planner:begin 43 -->\n"
        "<!-- planner:end 42 -->\n<!-- planner:end 43 -->\n"
    )
    for key in ("42", "43"):
        with pytest.raises(BlockError, match="inside the block of 42"):
            replace_block(text, key, "x", "P")
    # a block nested elsewhere does not stop a block it does not touch
    assert replace_block(text, "44", "y", "P").startswith(text)
