"""Markup out of titles and objectives: bold, links, HTML, emoji status markers.

Code spans stay (they name code); a link keeps its text (and, in running text,
its target in parentheses, so nothing the author wrote is lost).
"""

from __future__ import annotations

import re
import unicodedata

from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX
from planner.core.read.vocabulary import DONE_MARKS, DONE_WORDS, IMPERATIVE_VERBS, WORK_PHRASES

# Each pattern is linear: bounded repetitions, no nested quantifiers.
_CODE = LazyPattern(r"(`[^`\n]{1,300}`)")
_IMAGE = LazyPattern(r"!\[([^\[\]\n]{0,300})\]\([^()\s]{0,2000}\)")
_LINK = LazyPattern(r"\[([^\[\]\n]{1,300})\]\(([^()\s]{0,2000})\)")
_REF_LINK = LazyPattern(r"\[([^\[\]\n]{1,300})\]\[[^\[\]\n]{0,100}\]")
_HTML = LazyPattern(r"<[A-Za-z/!][^<>\n]{0,500}>")
# Emphasis delimiters at word edges (an opener before a word, a closer after one), so
# ``a__b`` keeps its underscores; removed one by one, in linear time.
_EMPHASIS = LazyPattern(
    r"(?<![\w*~])(?:\*\*|__|~~)(?=[^\s*_~])|(?<=[^\s*_~])(?:\*\*|__|~~)(?![\w*~])"
)
_STRIKE = LazyPattern(r"~~(?=\S)([^\n]{1,1000}?)(?<=\S)~~")
_CHECKBOX = LazyPattern(r"\[([ xX])\]\*?\s+")  # Kiro marks an optional task "[ ]*"
_DONE_SUFFIX = LazyPattern(
    rf"\s*[\(\[]\s*(?:{LEX.done_word})\s*[\)\]]\s*[.!]?\s*$",
    re.IGNORECASE,
)
_DONE_DASH = LazyPattern(rf"\s*[-–—:|]\s*(?:{LEX.done_word})\s*[.!]?\s*$", re.IGNORECASE)
# "**Done**: `list` command", "[Done]: vet in CI", "Done - export": a status label first,
# with its colon or dash, or set apart before code ("**Done** `go vet` in CI"); "**Done**
# button closes the dialog" is a feature.
_DONE_LEAD = LazyPattern(
    rf"^[\[(]?(?:\*\*|__)?(?:{LEX.done_label})(?:\*\*|__)?[\])]?"
    rf"(?:\s*:(?:\*\*|__)?|\s+[-–—](?=\s)|(?<=[*_\])])(?=\s+`))\s*(?=\S)",
    re.IGNORECASE,
)
# A sentence ends at ". " before a capital or markup, but not after "e.g." or "i.e.".
_SENTENCE_END = LazyPattern(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)\s+(?=[A-Z`*_(\[])")
_POLITE = LazyPattern(
    rf"(?:it would be (?:(?:{LEX.intensifier}) )?(?:{LEX.praise}) if|"
    rf"(?:{LEX.wish})(?: it if| to see)?|{LEX.polite_lead})\s+",
    re.IGNORECASE,
)
# Status words after a heading that say nothing about the work itself: "v0.5 — planned".
_OPEN_STATUS = LazyPattern(
    rf"\s*(?:[-–—:|]\s*|[\(\[]\s*)(?:{LEX.open_status})\s*[\)\]]?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_STATUS_EMOJI = "🚧⏳🔜🟢🟡🟠🔴⚪✅✔️☑️✓❌⬜🔲⚠️"
# Status boards mark each line with an emoji: a tick is done; under construction,
# waiting or an empty box is open work. Coloured circles say status only where the
# document's legend says so ("🟢 done · 🟡 in progress"): elsewhere they may rank
# severity ("🔴 high"). Green is then done, the other colours open.
OPEN_EMOJI = ("🚧", "⏳", "🔄", "⬜", "🔲")
CIRCLES_DONE = ("🟢",)
CIRCLES_OPEN = ("🟡", "🟠", "🔴", "⚪", "🔵", "🟣")
_CIRCLES = ("🟢", "🟡", "🔴", "⚪")  # a legend names them, each before what it means
_LEGEND = LazyPattern(
    r"(?:🟢|🟡|🔴|⚪)\ufe0f?\s{0,3}(?:[=:–—-]\s{0,3})?"
    rf"(?:{LEX.legend_status})\b",
    re.IGNORECASE,
)
# Words after a struck-through item that say it was dropped, not done.
_DROPPED = LazyPattern(
    rf"\b(?:{LEX.dropped})\b",
    re.IGNORECASE,
)
# A remark after a struck-out item, not a new name for it: "~~Add CI~~ already exists, my bad".
_REMARK = LazyPattern(
    rf"\b(?:{LEX.remark})\b",
    re.IGNORECASE,
)
# GitHub's shortcodes for the status marks the reader knows, as older issues write them:
# ":white_check_mark: Ship the parser" is "✅ Ship the parser". Only a shortcode standing
# alone is one ("a[1:x:2]" is code, not a cross).
_SHORTCODES = {
    "white_check_mark": "✅",
    "heavy_check_mark": "✔️",
    "ballot_box_with_check": "☑️",
    "x": "❌",
    "negative_squared_cross_mark": "❌",
    "no_entry": "⛔",
    "no_entry_sign": "🚫",
    "construction": "🚧",
    "hourglass": "⏳",
    "hourglass_flowing_sand": "⏳",
    "soon": "🔜",
    "warning": "⚠️",
    "green_circle": "🟢",
    "yellow_circle": "🟡",
    "orange_circle": "🟠",
    "red_circle": "🔴",
    "white_circle": "⚪",
    "white_large_square": "⬜",
}
_SHORTCODE = LazyPattern(r"(?<![\w:]):(" + "|".join(_SHORTCODES) + r"):(?![\w:])")


def with_emoji(text: str) -> str:
    """The text with GitHub's status shortcodes written as the emoji they stand for."""
    if not any(f":{name}:" in text for name in _SHORTCODES):
        return text
    return _SHORTCODE.sub(lambda m: _SHORTCODES[m.group(1)], text)


# Marks before a struck-out item that say it was crossed off: "❌ ~~Web UI~~ dropped".
_CROSSED = ("❌", "🚫", "⛔", "✖")
# A code span stands in running text as this mark and its number while markup is removed.
_SPAN = LazyPattern("\ue000(\\d{1,5})\ue001")


def plain(text: str, keep_targets: bool = True) -> str:
    """Running text without markup: ``**x**`` -> x, ``[t](u)`` -> ``t (u)``, no HTML."""
    if len(text) > 20_000:
        text = text[:20_000]
    # Code spans are code: nothing inside them is markup. Each stands in as a mark
    # while the rest is read, so ``~~`x`~~`` loses both its delimiters.
    spans: list[str] = []

    def hold(match: re.Match[str]) -> str:
        spans.append(match.group(1))
        return f"\ue000{len(spans) - 1}\ue001"

    prose = _plain_prose(
        _CODE.sub(hold, text.replace("\ue000", "").replace("\ue001", "")), keep_targets
    )
    return " ".join(_SPAN.sub(lambda m: spans[int(m.group(1))], prose).split())


def _plain_prose(text: str, keep_targets: bool) -> str:
    out = _IMAGE.sub(lambda m: m.group(1), text)
    out = _LINK.sub(
        lambda m: f"{m.group(1)} ({m.group(2)})" if keep_targets and m.group(2) else m.group(1),
        out,
    )
    out = _REF_LINK.sub(lambda m: m.group(1), out)
    out = _HTML.sub("", out)
    return _EMPHASIS.sub("", out)


def heading_text(title: str) -> str:
    """A heading or label as a reader sees it: no markup, no status or decorative emoji
    at its ends (``## 🎯 Goals`` is Goals)."""
    out = plain(title, keep_targets=False).strip()
    out = out.strip(_STATUS_EMOJI + " ").strip()
    return _strip_symbols(out).rstrip(":").strip()


def _strip_symbols(text: str) -> str:
    """Text without the pictographs (and their joiners and variation marks) at its ends."""
    start, end = 0, len(text)
    while start < end and _is_symbol(text[start]):
        start += 1
    while end > start and _is_symbol(text[end - 1]):
        end -= 1
    return text[start:end].strip()


def _is_symbol(char: str) -> bool:
    # "So" holds the pictographs; skin tones are modifiers; the rest (backticks) is text.
    return (
        char.isspace()
        or char in "\u200d\ufe0f\ufe0e"
        or unicodedata.category(char) == "So"
        or "\U0001f3fb" <= char <= "\U0001f3ff"
    )


def done_marked(title: str) -> tuple[str, bool]:
    """A heading without its done markers, and whether it had one.

    ``[x] Add x``, ``✅ Phase 1``, ``~~Phase 1~~``, ``Phase 1 (done)``,
    ``v0.1 — shipped``, ``**Done**: list command`` are done.
    """
    text = title.strip()
    done = False
    box = _CHECKBOX.match(text)
    if box:
        done = box.group(1) in "xX"
        text = text[box.end() :]
    for mark in DONE_MARKS:
        if mark in text:
            done = True
            text = text.replace(mark, " ")
    # "🚧 Phase 2: Sync": an open status mark says nothing of the title ("Phase 2").
    while text.lstrip().startswith((*OPEN_EMOJI, *CIRCLES_DONE, *CIRCLES_OPEN, *_CROSSED)):
        text = text.lstrip()[1:].lstrip("\ufe0f")
    struck = _STRIKE.match(text.strip())
    if struck and _continues(text.strip()[struck.end() :]):
        text = text.strip()[struck.end() :]  # "~~Old name~~ New name": words taken back
    elif struck:
        # "~~Add x~~" or "~~Add x~~ (done in #12)" is done.
        done = True
        text = f"{struck.group(1)} {text.strip()[struck.end() :]}"
    elif "~~" in text:
        # Struck words inside the text are words taken back: "Use ~~MySQL~~ Postgres".
        rest = _STRIKE.sub(" ", text)
        text = rest if rest.strip() else text
    lead = _DONE_LEAD.match(text.strip())
    if lead:
        done = True
        text = text.strip()[lead.end() :]
    if len(text) < 2000:
        suffix = _DONE_SUFFIX.search(text) or _DONE_DASH.search(text)
        if suffix and suffix.start() > 0:
            done = True
            text = text[: suffix.start()]
        status = _OPEN_STATUS.search(text)
        kept = text[: status.start()] if status and status.start() > 0 else text
        # "(SKIPPED - TODO)" is the text's own aside, not a status after it: a cut that
        # would leave a parenthesis open keeps the text whole.
        if kept.count("(") <= kept.count(")") and kept.count("[") <= kept.count("]"):
            text = kept
    return " ".join(_strip_symbols(text).split()), done  # "🔑 Keyboard" is Keyboard


def dropped(text: str, checked: bool | None) -> bool:
    """A struck-through item that was given up, not done: ``~~Add x~~ — not needed``,
    ``~~Add x~~ (moved to #12)``, or ``[ ] ~~Add x~~`` (struck out, never ticked)."""
    text = _uncrossed(text)
    struck = _STRIKE.match(text) if len(text) < 2000 else None
    if not struck:
        return False
    if _continues(text[struck.end() :]):
        return False
    rest = text[struck.end() :].strip(" -–—:|()[].,;")
    first = rest.split(maxsplit=1)[0].lower() if rest else ""
    if first in DONE_WORDS or first in ("merged", "fixed", "landed", "implemented"):
        return False
    return bool(_DROPPED.search(rest) or _REMARK.search(rest)) or checked is False


def _uncrossed(text: str) -> str:
    """The text without the cross marks before it ("❌ ~~Web UI~~" is ``~~Web UI~~``)."""
    out = text.strip()
    while out.startswith(_CROSSED):
        out = out[1:].lstrip("\ufe0f").lstrip()
    return out


def _continues(rest: str) -> bool:
    """Words after a struck-out start that carry the text on ("~~Old~~ New name"), not
    a comment on it ("— not needed", "(done in #12)")."""
    words = rest.split(maxsplit=1)
    if not words or not (words[0][0].isalnum() or words[0][0] in "`*_"):
        return False
    if words[0].lower().strip(".,;:") in DONE_WORDS or _DROPPED.match(rest.strip()):
        return False
    # A new name is an instruction or names the work; a remark says something of the old.
    return is_instruction(rest) or not (_DROPPED.search(rest) or _REMARK.search(rest))


def status_emoji(text: str, circles: bool = False) -> bool | None:
    """``✅ Add x`` -> True (done), ``🚧 Add x`` -> False (open work), None for a line
    that opens with no status emoji. With ``circles`` (the document's legend reads
    them so, or a Status column holds them) ``🟢`` is done and ``🟡``, ``🔴`` open."""
    start = text.lstrip()
    if start.startswith(DONE_MARKS) or (circles and start.startswith(CIRCLES_DONE)):
        return True
    if start.startswith(OPEN_EMOJI) or (circles and start.startswith(CIRCLES_OPEN)):
        return False
    return None


def has_legend(text: str) -> bool:
    """A line that says what coloured circles mean: "Legend: 🟢 done · 🟡 in progress"."""
    circled = any(circle in text for circle in _CIRCLES)
    return circled and len(text) < 5000 and _LEGEND.search(text) is not None


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def is_instruction(sentence: str) -> bool:
    """A sentence that opens with an imperative: "Add a code of conduct ..."."""
    first = sentence.split(maxsplit=1)[0].lower().strip("*_`") if sentence.split() else ""
    return first in IMPERATIVE_VERBS


def states_work(text: str) -> bool:
    """Prose that asks for work: an instruction, or "... needs to be polished"."""
    return any(is_instruction(s) or WORK_PHRASES.search(s) for s in sentences(plain(text)))


def ask(sentence: str) -> str:
    """The work a polite request asks for: "It would be helpful if X could ..." -> "X could ..."."""
    match = _POLITE.match(sentence)
    return sentence[match.end() :] if match and match.end() < len(sentence) else sentence
