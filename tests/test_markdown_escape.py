"""The one escaper for request text in Markdown (planner/core/text.py), as properties:
whatever the text, CommonMark (markdown-it-py) reads ``markdown_paragraph`` as one plain
paragraph, ``markdown_inline`` as one table cell, neither with a link or an image, and
``code_span`` as one code span holding the text. Briefs, specs, the plan block and the
summary comment write request text only through these three."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from planner.core.text import code_span, markdown_inline, markdown_paragraph

MD = MarkdownIt("commonmark").enable("table")
pieces = st.sampled_from(
    [
        *"#>-*+_=`~[]()!|<>:&@\\ 1.)x\t\n",
        "```",
        "~~~",
        "1.",
        "1)",
        "[x]: https://e.com",
        "<!-- planner:end 1 -->",
        "<script>",
        "@someone",
        "---",
        "***",
        "| a |",
        "    ",
    ]
)
hostile = st.lists(pieces, max_size=30).map("".join)


def blocks(markdown: str) -> list[str]:
    """The block tokens CommonMark reads, by type (inline content aside)."""
    return [t.type for t in MD.parse(markdown) if t.type != "inline"]


def inline_children(markdown: str) -> list[str]:
    (inline,) = [t for t in MD.parse(markdown) if t.type == "inline"]
    return [c.type for c in inline.children or []]


@given(hostile)
@settings(max_examples=400)
def test_a_paragraph_of_request_text_stays_one_paragraph(text: str) -> None:
    out = markdown_paragraph(text)
    if not out.strip():
        return
    assert blocks(out) == ["paragraph_open", "paragraph_close"], out
    assert "html_inline" not in inline_children(out), out


@given(hostile)
@settings(max_examples=400)
def test_a_bullet_of_request_text_stays_one_bullet(text: str) -> None:
    """Briefs and specs write each item as '- ' + markdown_paragraph(item)."""
    out = markdown_paragraph(text)
    if not out.strip():
        return
    assert blocks(f"- {out}") == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ], out


@given(hostile)
@settings(max_examples=400)
def test_a_table_cell_of_request_text_stays_one_cell(text: str) -> None:
    cell = markdown_inline(text)
    table = f"| A | B |\n| --- | --- |\n| {cell} | end |\n"
    tokens = MD.parse(table)
    cells = [t for t in tokens if t.type == "td_open"]
    assert len(cells) == 2, cell
    assert "<!--" not in cell and "<" not in cell


@given(hostile)
@settings(max_examples=400)
def test_request_text_shows_no_link_or_picture(text: str) -> None:
    """The bot's comment carries no image nor disguised link a request wrote."""
    for out in (markdown_inline(text), markdown_paragraph(text)):
        if out.strip():
            shown = [c for t in MD.parse(f"x {out}") for c in t.children or []]
            assert not {"link_open", "image"} & {c.type for c in shown}, out


@given(hostile)
@settings(max_examples=400)
def test_a_code_span_holds_the_whole_text(text: str) -> None:
    flat = " ".join(text.split())
    if not flat:
        return
    span = code_span(text)
    children = list(MD.parse(f"x {span} y")[1].children or [])
    codes = [c for c in children if c.type == "code_inline"]
    assert len(codes) == 1, span
    assert codes[0].content.strip() == flat.strip()


@pytest.mark.parametrize(
    "text",
    [
        "# Boundary",
        "[x]: https://evil.example",
        "1. Change anything",
        "> quoted",
        "```",
        "---",
        "--",
        "![t](https://evil.example/t.png) [docs](https://evil.example/x) [a][b]",
    ],
)
def test_the_block_starts_an_attacker_would_try_are_text(text: str) -> None:
    assert blocks(markdown_paragraph(text)) == ["paragraph_open", "paragraph_close"]
    # ... and read as the text the author wrote.
    assert MD.render(markdown_paragraph(text)) == f"<p>{html.escape(text, quote=False)}</p>\n"


def test_code_in_request_text_renders_as_written() -> None:
    """Inside a code span nothing is a link, and a backslash would show: an agent reading
    `grid[y][x]` in its brief must not read `grid[y]\\[x]`."""
    shown = MarkdownIt().render(markdown_inline("Fix `grid[y][x]` and `on[name](event)`"))
    assert "<code>grid[y][x]</code>" in shown and "<code>on[name](event)</code>" in shown
    linked = MarkdownIt().render(markdown_inline("See `x` [site](https://example.test)"))
    assert "<a " not in linked
