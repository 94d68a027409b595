"""Managed blocks: the only part of a human-edited file the planner rewrites.

A marker counts only outside fenced code: a plan file that shows the markers in a
```` ``` ```` example keeps that example as text. Markers that cannot be trusted (a begin
without its end, two of them, a block begun inside another) stop the write, so no text is
lost to a guess.
"""

from __future__ import annotations

from typing import NamedTuple

from planner.core.patterns import LazyPattern

_MARKER = LazyPattern(r"<!-- planner:(begin|end) ([^\s>]+) -->")
_FENCE = LazyPattern(r"[ \t]*(?:>[ \t]?)*[ \t]*(`{3,}|~{3,})(.*)")


class BlockError(ValueError):
    """Markers that cannot be trusted (a begin without its end, or two of them)."""


def markers(key: str) -> tuple[str, str]:
    return f"<!-- planner:begin {key} -->", f"<!-- planner:end {key} -->"


class _Marker(NamedTuple):
    kind: str
    key: str
    start: int
    end: int


def fenced_spans(text: str) -> list[tuple[int, int, int]]:
    """(start, end, line) of each fenced code block, by character offset; an unclosed
    fence runs to the end of the text, as CommonMark has it."""
    spans: list[tuple[int, int, int]] = []
    opened: tuple[str, int, int] | None = None  # fence, offset, line number
    offset = 0
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        match = _FENCE.match(line)
        if match:
            fence, rest = match.group(1), match.group(2)
            if opened is None:
                if not (fence[0] == "`" and "`" in rest):
                    opened = (fence, offset, number)
            elif fence[0] == opened[0][0] and len(fence) >= len(opened[0]) and not rest.strip():
                spans.append((opened[1], offset + len(line), opened[2]))
                opened = None
        offset += len(line)
    if opened is not None:
        spans.append((opened[1], len(text), -opened[2]))  # negative line: never closed
    return spans


def _live_markers(text: str, name: str) -> list[_Marker]:
    """The markers outside fenced code, in order."""
    found = [_Marker(m.group(1), m.group(2), m.start(), m.end()) for m in _MARKER.finditer(text)]
    if not found:
        return []
    # Markers and spans both come in order: one walk over the two, not one per marker.
    spans = iter(fenced_spans(text))
    span = next(spans, None)
    live: list[_Marker] = []
    for marker in found:
        while span is not None and span[1] <= marker.start:
            span = next(spans, None)
        if span is None or marker.start < span[0]:
            live.append(marker)
        elif span[2] < 0:
            raise BlockError(
                f"{name} has a code fence opened on line {-span[2]} that is never closed, "
                "and planner markers after it; close the fence, then re-run"
            )
    return live


def _locate(text: str, key: str, name: str) -> tuple[int, int] | None:
    begin, end = markers(key)
    live = _live_markers(text, name)
    begins = [m for m in live if m.kind == "begin" and m.key == key]
    ends = [m for m in live if m.kind == "end" and m.key == key]
    if not begins:
        if ends:
            raise BlockError(
                f"{name} has '{end}' without '{begin}'; restore the begin marker or delete "
                "the end marker, then re-run"
            )
        return None
    if len(begins) > 1:
        raise BlockError(f"{name} has two '{begin}' markers; delete one block by hand, then re-run")
    start = begins[0]
    stop = next((m for m in ends if m.start > start.start), None)
    if stop is None:
        raise BlockError(
            f"{name} has '{begin}' without '{end}'; nothing was changed so no text is lost. "
            "Restore the end marker (or delete the begin marker), then re-run"
        )
    open_keys: list[str] = []
    for marker in live:
        if marker.kind == "begin":
            if open_keys and key in (marker.key, open_keys[-1]):
                raise BlockError(
                    f"{name} has '{markers(marker.key)[0]}' inside the block of "
                    f"{open_keys[-1]}; move it out of that block (or delete it), then re-run"
                )
            open_keys.append(marker.key)
        elif marker.key in open_keys:
            del open_keys[len(open_keys) - 1 - open_keys[::-1].index(marker.key)]
    return start.start, stop.end


def replace_block(text: str | None, key: str, content: str, name: str) -> str:
    """``text`` with the block for ``key`` set to ``content``; everything outside the
    markers is kept byte for byte. A file without the block gets it appended."""
    begin, end = markers(key)
    newline = "\r\n" if text and "\r\n" in text else "\n"
    body = content.rstrip("\n").replace("\n", newline)
    block = f"{begin}{newline}{body}{newline}{end}"
    if not text:
        return block + "\n"
    span = _locate(text, key, name)
    if span is None:
        unclosed = [s for s in fenced_spans(text) if s[2] < 0]
        if unclosed:
            raise BlockError(
                f"{name} ends inside a code fence opened on line {-unclosed[0][2]}; a block "
                "appended there would read as code. Close the fence, then re-run"
            )
        separator = (
            "" if text.endswith("\n\n") else (newline if text.endswith("\n") else newline * 2)
        )
        return f"{text}{separator}{block}{newline}"
    start, stop = span
    return text[:start] + block + text[stop:]


def read_block(text: str | None, key: str, name: str) -> str | None:
    """The content between the markers for ``key``, or None when there is no block."""
    if not text:
        return None
    span = _locate(text, key, name)
    if span is None:
        return None
    begin, end = markers(key)
    return text[span[0] + len(begin) : span[1] - len(end)]
