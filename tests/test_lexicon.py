"""The reader's words are data (``planner/core/read/lexicon/*.yaml``) compiled ahead of time
into ``planner/core/read/lex.py`` and listed in ``docs/lexicon.md``: both are current, and
a phrase added to one data file reaches the patterns that use its concept."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planner import lexicon
from planner.core.read import lex
from tests.runner import ROOT

REGENERATE = "python -m planner.lexicon"


def test_the_committed_module_is_generated_from_the_data() -> None:
    committed = lexicon.MODULE.read_text(encoding="utf-8")
    assert committed == lexicon.source(lexicon.merged(lexicon.load())), (
        f"planner/core/read/lex.py is not current; run `{REGENERATE}`"
    )


def test_the_reference_page_is_generated_from_the_data() -> None:
    committed = (ROOT / "docs" / "lexicon.md").read_text(encoding="utf-8")
    assert committed == lexicon.reference(lexicon.load()), (
        f"docs/lexicon.md is not current; run `{REGENERATE}`"
    )


def test_the_regenerate_command_writes_exactly_the_committed_files(tmp_path: Path) -> None:
    module, page = tmp_path / "lex.py", tmp_path / "lexicon.md"
    assert lexicon.main(lexicon.DATA, module, page) == 0
    assert module.read_text(encoding="utf-8") == lexicon.MODULE.read_text(encoding="utf-8")
    assert page.read_text(encoding="utf-8") == lexicon.REFERENCE.read_text(encoding="utf-8")


def test_a_phrase_added_in_one_language_joins_its_concept(tmp_path: Path) -> None:
    data = tmp_path / "lexicon"
    shutil.copytree(lexicon.DATA, data)
    with (data / "es.yaml").open("a", encoding="utf-8") as extra:
        extra.write("number_word:\n  - once\n")
    words = lexicon.merged(lexicon.load(data))
    assert words["number_word"][-1] == "once"
    namespace: dict[str, object] = {}
    exec(lexicon.source(words), namespace)  # the module as the reader would import it
    alternation = vars(namespace["LEX"])["number_word"]
    assert re.fullmatch(f"(?:{alternation})", "once")


def test_each_language_file_is_one_the_generator_knows(tmp_path: Path) -> None:
    data = tmp_path / "lexicon"
    data.mkdir()
    (data / "xx.yaml").write_text("verb:\n  - zap\n", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match="no language named xx"):
        lexicon.load(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("verb: add\n", "must be a list of phrases"),
        ("verb:\n  - Add\n", "must be lower case"),
        ("Verb:\n  - add\n", "is not a concept name"),
    ],
)
def test_a_data_file_that_is_not_concepts_to_phrases_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "en.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=message):
        lexicon.load(tmp_path)


def test_a_longer_phrase_wins_over_its_own_beginning() -> None:
    """``open question`` is tried before ``open``, so a pattern's slot takes the whole."""
    match = re.match(f"(?:{lex.LEX.question_lead})", "open question: which store?")
    assert match is not None
    assert match.group(0) == "open question"


def test_the_generated_module_is_plain_data() -> None:
    imports = re.findall(r"^(?:from|import) .*$", lexicon.MODULE.read_text(), re.MULTILINE)
    assert imports == ["from typing import Final"]
