"""Small text helpers shared by the reader, the rules and the renderers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from planner.core.patterns import LazyPattern

# Each pattern is linear: no nested quantifiers over overlapping classes.
_ISSUE_REF = LazyPattern(r"(?<![\w/#&])#(\d{1,9})\b")
_CODE_SPAN = LazyPattern(r"`([^`\n]{1,300})`")
_PATH_TOKEN = LazyPattern(r"[A-Za-z0-9_.*-]+(?:/[A-Za-z0-9_.*-]*)+|[A-Za-z0-9_-]+\.[A-Za-z]{1,5}")
_TOKEN_LIMIT = 300
_WORD = LazyPattern(r"[a-z][a-z'-]*")
_MENTION = LazyPattern(r"@(?=[A-Za-z0-9])")
# Folders that open a path in most repositories: "src/app" is a path, "save/load" is not.
_CODE_ROOTS = frozenset(
    "src lib app apps pkg cmd internal api tests test docs scripts web server client "
    "packages modules services components config tools bin include core".split()
)
_CITING = (
    "per",
    "see",
    "cf.",
    "according to",
    "described in",
    "defined in",
    "specified in",
    "documented in",
    "as in",
)
_CODE_SUFFIXES = frozenset(
    "py pyi go rs ts tsx js jsx mjs java kt c h cc cpp hpp cs rb php swift scala sql sh "
    "yml yaml json toml proto tf md css html vue ex exs erl hs ml lua zig dart "
    "txt rst adoc xml ini cfg conf scss sass less svelte gradle kts cmake mk cjs cts mts".split()
)


# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, Japanese
# kana, Chinese characters (Korean spaces its words).
_UNSPACED = LazyPattern(
    r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]+"
)


def word_count(text: str) -> int:
    """About how many words a text holds: its tokens between spaces, and in a script
    written without spaces, a word for each two of its characters ("テーマを保存する" is
    four), so a length test reads Japanese as it reads English."""
    spaced = _UNSPACED.sub(lambda run: " w" * max(1, len(run.group()) // 2) + " ", text)
    return len(spaced.split())


def issue_refs(text: str) -> list[int]:
    """Issue numbers referred to as ``#123``, in order, without repeats."""
    seen: dict[int, None] = {}
    for match in _ISSUE_REF.finditer(text):
        number = int(match.group(1))
        if number > 0:
            seen[number] = None
    return list(seen)


def code_locations(text: str) -> list[str]:
    """Code locations a sentence names: paths and file names, in or out of backticks.

    ``internal/store/redis/`` and ``api/middleware/ratelimit.py`` count; "and/or",
    English pairs written with a slash ("save/load", "VST3/CLAP", "requests/min",
    "1/N"), a URL, and a document cited as a reference ("per contracts/api.md",
    "see docs/x.md") do not.
    """
    found: dict[str, None] = {}
    for candidate, quoted, cited in _candidates(text):
        if not cited and _looks_like_path(candidate, quoted):
            found[candidate] = None
    return list(found)


def _candidates(text: str) -> list[tuple[str, bool, bool]]:
    """Code spans and path-like words, in the order the text has them: each with whether
    it was in backticks and whether the words before it cite it as a reference."""
    out: list[tuple[str, bool, bool]] = []
    position = 0
    for span in [*_CODE_SPAN.finditer(text), None]:
        prose = text[position : span.start() if span else len(text)]
        # Token by token, each bounded in length, so a long run without spaces stays linear.
        tokens = prose.split()
        for index, token in enumerate(tokens):
            token = token.strip("()[]{}<>,;:!?\"'").rstrip(".")
            if 0 < len(token) <= _TOKEN_LIMIT and _PATH_TOKEN.fullmatch(token):
                out.append((token, False, _cites(tokens[max(0, index - 3) : index])))
        if span:
            before = prose.split()[-3:]
            out.append((span.group(1).strip(), True, _cites(before)))
            position = span.end()
    return out


def _cites(words_before: list[str]) -> bool:
    """ "per", "see", "as described in": the next word is a document read, not changed."""
    tail = " ".join(w.strip("(,;:").lower() for w in words_before)
    return tail.endswith(_CITING)


def _looks_like_path(token: str, quoted: bool = False) -> bool:
    if "://" in token or token.startswith("www.") or " " in token:
        return False
    if "/" in token:
        parts = [p for p in token.split("/") if p]
        if not parts:
            return False
        lowered = token.lower()
        if lowered in {"and/or", "either/or", "n/a", "i/o", "read/write", "input/output"}:
            return False
        if not quoted and (_english_pair(token, parts) or all(map(_NUMERIC.fullmatch, parts))):
            return False  # "save/load", and "4.0/5" or "2024/05/14", numbers not folders
        return all(p not in ("..",) for p in parts)
    suffix = token.rsplit(".", 1)[-1].lower() if "." in token else ""
    return suffix in _CODE_SUFFIXES


_NUMERIC = LazyPattern(r"[\d.,:%~≈≤≥<>+-]{1,40}")


def _english_pair(token: str, parts: list[str]) -> bool:
    """ "save/load", "VST3/CLAP", "requests/min", "1/N": two words joined by a slash,
    neither a file nor a folder written as one (``src/app``, ``internal/store/``)."""
    if len(parts) != 2 or token.endswith("/") or token.startswith(("./", "/")):
        return False
    if any("." in p or "*" in p for p in parts):
        return False
    return parts[0].lower() not in _CODE_ROOTS


def named_components(text: str) -> list[str]:
    """Code spans that are not paths (``RedisProducer``): still a concrete code location."""
    return [m.group(1) for m in _CODE_SPAN.finditer(text)]


def words(text: str) -> list[str]:
    return list(_words(text))


@lru_cache(maxsize=1024)
def _words(text: str) -> tuple[str, ...]:
    # Cached: a rule asks about one objective once per word of its vocabulary.
    return tuple(_WORD.findall(text.lower()))


def contains_phrase(text: str, phrase: str) -> bool:
    """Whole-word, case-insensitive phrase match."""
    tokens = _words(text)
    needle = _words(phrase)
    if not needle or needle[0] not in tokens:
        return False
    n = len(needle)
    return any(tokens[i : i + n] == needle for i in range(len(tokens) - n + 1))


def contains_any_phrase(text: str, phrases: Sequence[str]) -> bool:
    """Whether any of ``phrases`` occurs in ``text`` (whole words, any case): one pass over
    the text's words, however long the list."""
    tokens = _words(text)
    table = _by_first_word(tuple(phrases))
    for i, token in enumerate(tokens):
        for needle in table.get(token, ()):
            if tokens[i : i + len(needle)] == needle:
                return True
    return False


@lru_cache(maxsize=64)
def _by_first_word(phrases: tuple[str, ...]) -> dict[str, list[tuple[str, ...]]]:
    table: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        needle = _words(phrase)
        if needle:
            table.setdefault(needle[0], []).append(needle)
    return table


def slugify(text: str, limit: int = 48) -> str:
    out: list[str] = []
    for ch in text.lower():
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")[:limit].rstrip("-")


# Characters that show nothing: format and control characters, lone combining marks,
# and the fillers some scripts draw as blank (Hangul fillers, the Braille blank).
_BLANK_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u17b4\u17b5")
_UNSEEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Zs", "Zl", "Zp"})


def visible(text: str) -> bool:
    """Whether the text holds a character a reader sees (not only spaces, nor only
    zero-width, control, combining or blank-filler characters)."""
    return any(
        " " < c < "\x7f"
        or (not c.isascii() and c not in _BLANK_FILLERS and unicodedata.category(c) not in _UNSEEN)
        for c in text
    )


def one_line(text: str, limit: int = 200) -> str:
    """Collapse white space (newlines included) and cut to ``limit`` characters; text
    with nothing visible in it is empty."""
    collapsed = " ".join(text.split())
    if not (collapsed and " " < collapsed[0] < "\x7f") and not visible(collapsed):
        return ""  # (most text opens with a printable ASCII character: no need to look)
    return collapsed if len(collapsed) <= limit else collapsed[: limit - 1] + "…"


def neutralize_mentions(text: str) -> str:
    """Keep ``@name`` readable but stop it notifying anyone (a zero-width joiner)."""
    return _MENTION.sub("@\u200d", text)


def markdown_inline(text: str, limit: int = 300) -> str:
    """Untrusted text made safe for one Markdown table cell or list line.

    No HTML (so no comment can close a managed block), no pipes breaking the
    table, no mentions, no link or image (the bot's comment shows no picture or
    disguised link a request put there, only its text), one line.
    """
    flat = one_line(text, limit)
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = flat.replace("|", "\\|")
    # A link or image is "[text]" followed at once by "(" or "[": escaping that bracket
    # leaves "[text](url)" to read as written, a target shown, not followed. Inside a
    # code span nothing is a link, and a backslash would show: `grid[y][x]` stays.
    out: list[str] = []
    at = 0
    for span in _INLINE_CODE.finditer(flat):
        out += [_unlinked(flat[at : span.start()]), span.group()]
        at = span.end()
    return neutralize_mentions("".join([*out, _unlinked(flat[at:])]))


def _unlinked(text: str) -> str:
    return text.replace("](", "]\\(").replace("][", "]\\[")


# A code span: a run of backticks, then text up to a run of the same length.
_INLINE_CODE = LazyPattern(r"(?<!`)(`{1,8})(?!`)[^\n]*?(?<!`)\1(?!`)")


# A paragraph line that CommonMark would read as a block of its own: a heading, a quote,
# a list item, a thematic break, a fence, a table row or a link reference definition. A
# line of break characters only is escaped even when it is short of a break: after a
# list's "- " ("- --") it would be one.
_BLOCK_START = LazyPattern(
    r"^(?:#{1,6}(?=\s|$)|>|[*+-](?=\s|$)|[*_-](?=(?:\s*[*_-])*\s*$)|`{3,}|~{3,}|\[|"
    r"\d{1,9}[.)](?=\s|$)|=(?==*\s*$))"
)


_BACKTICKS = LazyPattern(r"`+")


def markdown_paragraph(text: str, limit: int = 2000) -> str:
    """Untrusted text as one paragraph: inline-safe (``markdown_inline``), and never read
    as a block of its own (a heading, list, quote, fence, table row or link definition)."""
    flat = markdown_inline(text, limit)
    match = _BLOCK_START.match(flat)
    if match is None:
        return flat
    # Escape the punctuation that opens the block: the first mark ("\\~~~" opens no
    # fence, "\\#" no heading), or the delimiter after a list number ("1\\.").
    cut = match.end() - 1 if flat[0].isdigit() else 0
    return flat[:cut] + "\\" + flat[cut:]


def code_span(text: str, limit: int = 300) -> str:
    """Untrusted text in one code span, on one line: fenced by a run of backticks longer
    than any in it (padded with a space when it holds or starts with one), so no backtick
    in it can close the span early."""
    flat = " ".join(text.split())[:limit]
    runs = [len(r) for r in _BACKTICKS.findall(flat)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if runs or flat.startswith(" ") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def mermaid_label(text: str, limit: int = 60) -> str:
    flat = one_line(text, limit)
    return (
        flat.replace("&", "&amp;")
        .replace('"', "#quot;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("`", "'")
    )
