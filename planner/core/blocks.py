"""Managed blocks: the only part of a human-edited file the planner rewrites."""

from __future__ import annotations


class BlockError(ValueError):
    """Markers that cannot be trusted (a begin without its end, or two of them)."""


def markers(key: str) -> tuple[str, str]:
    return f"<!-- planner:begin {key} -->", f"<!-- planner:end {key} -->"


def _locate(text: str, key: str, name: str) -> tuple[int, int] | None:
    begin, end = markers(key)
    start = text.find(begin)
    if start < 0:
        if text.find(end) >= 0:
            raise BlockError(
                f"{name} has '{end}' without '{begin}'; restore the begin marker or delete "
                "the end marker, then re-run"
            )
        return None
    if text.find(begin, start + len(begin)) >= 0:
        raise BlockError(f"{name} has two '{begin}' markers; delete one block by hand, then re-run")
    stop = text.find(end, start)
    if stop < 0:
        raise BlockError(
            f"{name} has '{begin}' without '{end}'; nothing was changed so no text is lost. "
            "Restore the end marker (or delete the begin marker), then re-run"
        )
    return start, stop + len(end)


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
