"""What names a milestone: a milestone word and what numbers it (``Phase 2``,
``Stage B``, ``M3``, ``Q3 2026``, ``v0.2.0``, ``v2``) or a release stage (``Beta``).

Used by the outline, where a short line or a bold run-in title over a list can open a
milestone, and by the classification of headings.
"""

from __future__ import annotations

import re

from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX
from planner.core.read.markup import heading_text

# A milestone word, then what names one milestone of several: a number (``Phase 2``,
# ``Sprint 42``, ``Phase 1.1``), a letter or Roman numeral (``Stage B``, ``Part II``) or
# a number word; never an ordinary word (``Release notes``, ``Milestone dates``).
_MILESTONE = LazyPattern(
    r"(?:\[[ xX]\]\s+)?(?:"
    rf"(?:{LEX.milestone_noun}|{LEX.milestone_group_noun}|{LEX.milestone_noun_loose})"
    rf"\s+(?:v?\d[\w.]*|(?-i:[A-Z]\d{{0,3}}|[IVX]{{1,5}})|{LEX.number_word})\+?"
    rf"|(?:{LEX.milestone_noun})\s*\d{{1,3}}"
    r"|M\d{1,4}"
    r"|P\d{1,2}(?=:)"  # a priority tier over its work: "## P0: Critical fixes"
    rf"|[QH][1-4](?:\s+(?:{LEX.fiscal_year})?\d{{2,4}})?"
    # A version, some of whose parts may be yet to be set: "0.?.0", "?.?.?" (not "2.x":
    # "2.x users" is prose about the users of every 2 release).
    r"|v?(?:\d{1,4}|\?)\.(?:\d{1,4}|\?)(?:\.(?:\d{1,4}|\?))?(?:[-.\w]*)?"
    r"|v\d{1,3}"
    r")\s*(?:$|[:.)\-–—(]|\s)",
    re.IGNORECASE,
)
_STAGE = LazyPattern(
    rf"(?:{LEX.stage_name}|(?:{LEX.release_candidate})\d*)"
    r"(?:$|[\s:(\-–—])",
    re.IGNORECASE,
)


def milestone_like(title: str) -> bool:
    """``Phase 1: Setup``, ``### Stage B``, ``M2 - API``, ``P0: Fixes``, ``v0.2.0``,
    ``#### Alpha (1.21)``, ``Etapa 2``, ``フェーズ1``."""
    text = heading_text(title)
    if len(text) > 300:
        return False
    if _MILESTONE.match(text):
        return True
    return len(text.split()) <= 6 and _STAGE.match(text) is not None


def milestone_name(title: str) -> str:
    """What a milestone-like heading calls its milestone after the word that numbers it
    (``Phase 1: RFC Features`` -> ``RFC Features``)."""
    text = heading_text(title)
    found = _MILESTONE.match(text) if len(text) <= 300 else None
    return text[found.end() :].strip(" :-–—") if found else text
