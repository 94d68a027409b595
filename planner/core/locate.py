"""Proposing a diff boundary from the repository for a task that states none.

Evidence is weighed as a careful engineer would: a file named in the text (anywhere in
the tree), a name the text writes that one file defines, then a ranked match of the
task's words over the files' paths, definitions and identifiers (BM25, the words'
rarity in this repository weighing them). The boundary takes the few best files, the
tests of the code it takes in, and says why; a task whose evidence is thin is held
back with the candidates, never handed out on a guess.
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, NamedTuple

from planner.core.boundaries import Protected, holds_code, is_unbounded, lookalike
from planner.core.evidence import CANDIDATE, NAMED_IN_TEXT, TaskContext
from planner.core.paths import (
    PathError,
    glob_contains,
    literal_glob,
    normalize_glob,
    path_matches,
)
from planner.core.patterns import LazyPattern
from planner.core.read.lex import LEX
from planner.core.repo import (
    CodeTests,
    RepoIndex,
    SourceFile,
    identifier_words,
    identifiers,
    is_test,
    path_words,
    text_words,
)
from planner.core.text import code_locations
from planner.model import DiffBoundary, Milestone, Task

# A file name as a task writes it: a name with a suffix of letters (``test_urlparse.py``,
# ``README.md``, ``.gitignore``), never a version (``v1.2``) or a domain of many parts.
_FILE_NAME = LazyPattern(
    r"(?<![\w/.-])\.?[\w-]{1,100}(?:\.[\w-]{1,100}){0,8}\.[A-Za-z][A-Za-z0-9]{0,9}(?![\w/-])"
)
# A name written as code: in backticks, called (``BuildX()``), or with inner capitals or
# underscores (``WithReportFocus``, ``max_redirects``).
_CODE_SPAN = LazyPattern(r"`([^`\n]{1,200})`")
# Each starts only where a name starts (not inside a dotted run) and is bounded in length,
# so a 64 KiB run of "a.a.a…" is read in linear time.
_CALLED = LazyPattern(r"(?<![\w.])([A-Za-z_][\w.]{0,100})\(\)")
_SHAPED = LazyPattern(r"\b(?:[a-z]+[A-Z]\w*|[A-Z][a-z0-9]+[A-Z]\w*|[A-Za-z]+_[A-Za-z0-9_]+)\b")
_WILD = frozenset("*?[")
# A task that makes a file: a bare name it writes is a new file at the root, not a product.
_CREATES = LazyPattern(rf"\b(?:{LEX.create_verb})", re.I)
_HANDS_OFF = LazyPattern(rf"\b(?:{LEX.hands_off})\b", re.I)
_DOTTED = LazyPattern(r"(?<![\w.])[A-Za-z_]\w{0,60}(?:\.[A-Za-z_]\w{0,60}){1,8}\b")
_DOCS_WORDS = frozenset({"doc", "docs", "documentation", "readme", "guide", "tutorial"})
_DOC_SUFFIXES = (".md", ".rst", ".txt", ".adoc", ".mdx")
_DOCS_FOLDERS = frozenset({"docs", "doc", "documentation", "site", "website"})
_K1 = 1.2
_B = 0.75
# Field weights: a word in a file's path says most about it, then what it defines.
_IN_PATH = 3.0
_IN_DEFINES = 2.0
_IN_MENTIONS = 1.0
MAX_FILES = 8
"""Most files a proposed boundary takes from the ranking (their tests come with them)."""
MAX_USES = 3
"""A name no file defines leads to the files that use it when at most this many do."""
MAX_NAMED = 12
"""Most files a boundary takes from the names a task writes (a task that names more is
bounded by the first)."""
RATIO = 0.3
"""A ranked file joins the boundary while it scores at least this share of the best."""
FOLD_MIN = 1
FOLD_FACTOR = 2.0
"""A folder's files become ``folder/*`` when the boundary takes at least ``FOLD_MIN`` of
them and the folder holds at most ``FOLD_FACTOR`` times as many."""
CONTEXT_WEIGHT = 0.25
"""The weight of a word of the task's milestone or parent title (its own words weigh 1)."""
DETAILS_WEIGHT = 0.5
"""The weight of a word of the lines under a task ("- Update the loader's paths")."""
BACKGROUND_WEIGHT = 0.3
BACKGROUND_SHARE = 2.0
"""A word of the rest of the request weighs at most ``BACKGROUND_WEIGHT``, and all of them
together at most ``BACKGROUND_SHARE`` times the task's own words."""
BACKGROUND_BEST = 50
"""Of the files only the rest of the request matches, how many are ranked."""
PLAN_WORDS = 60
PLAN_SHARE = 0.6
PLAN_SHORT_WORDS = 5
PLAN_SHORT_SHARE = 0.9
"""A prose file holding at least ``PLAN_SHARE`` of the distinct words of a request of at
least ``PLAN_WORDS`` of them is a plan of the same work, never proposed (unless named):
the request's own file, a PRD or a tasks.md of it. A short request (from
``PLAN_SHORT_WORDS`` words) is a plan's copy only where a file holds nearly all of its
words (``PLAN_SHORT_SHARE``): a TODO.md of six lines."""
META_PRIOR = 0.5
PROSE_PRIOR = 0.6
"""For a task that is not about docs, a prose file (a document, a note) weighs this much
against code: a plan's words are in its documents too."""
RANKED_HEAD = 64
"""How much of a ranking a proposal reads: its boundary and candidates come from the
head."""


_Background = tuple[dict[int, float], list[int], int, set[int]]
_PLANS = (*_DOC_SUFFIXES, ".mdc")
_META_NAMES = LazyPattern(
    rf"^(?:{LEX.meta_file})"
    r"(?:\.\w+)?$",
    re.I,
)


def _prior(path: str) -> float:
    """How likely a file is to be what a task changes, before its words are read: files
    in hidden folders (an agent's rules, an editor's settings; not .github) and a
    project's notices (license, changelog) weigh half."""
    parts = path.split("/")
    hidden = any(p.startswith(".") for p in parts[:-1]) and parts[0] != ".github"
    if hidden or _META_NAMES.match(parts[-1]):
        return META_PRIOR
    return 1.0


class Proposal(NamedTuple):
    """A proposed boundary, why, and whether the evidence is enough to hand it out."""

    paths: list[str]
    evidence: list[str]
    confident: bool
    candidates: list[str]
    """The best files, for a reviewer to choose from when it is held back."""


class TaskText(NamedTuple):
    """What the locator reads of a task: its own words, and its context (the titles of
    its milestone and parent, the request's notes), which weigh less."""

    text: str
    context: str = ""
    """The titles of its milestone and parent task."""
    background: str = ""
    """The request's other text: it weighs least, and no more in all than the task."""
    kind: str = "feature"
    sibling_paths: tuple[str, ...] = ()
    details: str = ""
    """The lines under the task ("- Update `.ralph/loop.sh` paths"): the files they name
    are the task's, their words weigh less than its own."""


class _Tree:
    """Every path of the repository (read or not), by name and by folder: where a path a
    task writes is looked up, and how big the folder a boundary might fold into is."""

    def __init__(self, paths: Iterable[str]) -> None:
        self._folder_sizes: dict[str, int] = {}
        self._all_names: dict[str, list[str]] = {}
        self._existing = set(paths)
        self._all_folders: set[str] = set()
        for p in self._existing:
            self._all_names.setdefault(p.rsplit("/", 1)[-1], []).append(p)
            if "/" in p:
                folder = p.rsplit("/", 1)[0]
                self._folder_sizes[folder] = self._folder_sizes.get(folder, 0) + 1
                while folder and folder not in self._all_folders:
                    self._all_folders.add(folder)
                    folder = folder.rsplit("/", 1)[0] if "/" in folder else ""

    def resolve(self, glob: str, text: str = "") -> tuple[list[str], str | None]:
        """A path the task's text wrote, looked up in the repository: itself when it
        exists (or is a new file in a folder that exists), the files of that name
        elsewhere (``test_urls.py`` -> ``tests/test_urls.py``), or nothing when it names
        nothing there (a product such as ``Node.js``, two words joined by a slash); with a
        note saying which."""
        if not _WILD.isdisjoint(glob) and not glob.endswith("/**"):
            return [glob], None
        if glob.endswith("/**"):
            folder = glob[:-3]
            top = folder.split("/", 1)[0]
            if folder in self._all_folders or ("/" in folder and top in self._all_folders):
                return [glob], None
            if "/" not in folder or f"{folder}/" in text:
                return [glob], f"{folder}/ is a new folder"
            return [], f"{folder} is no folder of the repository"
        if glob in self._existing:
            return [glob], None
        parts = glob.rsplit("/", 1)
        named = self._all_names.get(parts[-1], [])
        elsewhere = [p for p in named if p.endswith("/" + glob)] if len(parts) == 2 else named
        if 0 < len(elsewhere) <= 3:
            return sorted(elsewhere), f"{glob} is {', '.join(sorted(elsewhere))}"
        if len(parts) == 2:
            return [glob], f"{glob} is a new file"
        made = rf"{_CREATES.pattern}\s+(?:(?:an?|the|new|empty)\s+)*`?{re.escape(glob)}(?![\w/-])"
        if re.search(made, text, re.I):
            return [glob], f"{glob} is a new file the task creates"
        return [], f"{glob} names no file of the repository"

    def has_folder(self, folder: str) -> bool:
        return folder in self._all_folders

    def folded(self, files: list[str], kept_out: Iterable[str] = ()) -> list[str]:
        """The files, with those of a small folder most of whose files they are written
        as the folder's ``folder/*``: the change may add a file beside them (never a
        folder holding a file the task is to leave alone)."""
        keep = {p.rsplit("/", 1)[0] for p in kept_out if "/" in p}
        by_folder: dict[str, list[str]] = {}
        for f in files:
            if "/" in f:
                by_folder.setdefault(f.rsplit("/", 1)[0], []).append(f)
        out: list[str] = []
        folded: set[str] = set()
        for f in files:
            folder = f.rsplit("/", 1)[0] if "/" in f else None
            if folder is None:
                out.append(f)
                continue
            if folder in folded:
                continue
            size = self._folder_sizes.get(folder, 0)
            if (
                folder not in keep
                and len(by_folder[folder]) >= FOLD_MIN
                and size <= FOLD_FACTOR * len(by_folder[folder])
            ):
                out.append(f"{folder}/*")
                folded.add(folder)
            else:
                out.append(f)
        return out


class _Ranking:
    """BM25 over the read files' paths, definitions and identifiers, with field weights;
    each posting holds its file's term factor, computed once, so a query only adds them
    up."""

    def __init__(self, files: Sequence[SourceFile]) -> None:
        self.paths = [f.path for f in files]
        self.by_name: dict[str, list[int]] = {}
        self.by_lower_name: dict[str, list[int]] = {}
        self.defined_in: dict[str, list[int]] = {}
        postings: dict[str, list[tuple[int, float]]] = {}
        lengths: list[float] = []
        for i, f in enumerate(files):
            name = f.path.rsplit("/", 1)[-1]
            self.by_name.setdefault(name, []).append(i)
            self.by_lower_name.setdefault(name.lower(), []).append(i)
            weights = self._weights(f, i)
            for word, weight in weights.items():
                postings.setdefault(word, []).append((i, weight))
            lengths.append(float(len(weights)))
        average = (sum(lengths) / len(lengths)) if lengths else 1.0
        self._postings = {
            word: [
                (i, tf * (_K1 + 1) / (tf + _K1 * (1 - _B + _B * lengths[i] / average)))
                for i, tf in posting
            ]
            for word, posting in postings.items()
        }
        self._count = len(lengths)
        self._member_sets: dict[str, set[int]] = {}
        self._backgrounds: dict[str, _Background] = {}
        self._prior = [_prior(p) for p in self.paths]
        self._prose = [p.lower().endswith(_PLANS) for p in self.paths]
        self._weighed: dict[float, list[float]] = {}
        self._files = files
        self._mentioned: dict[int, frozenset[str]] = {}

    def _weights(self, f: SourceFile, i: int) -> dict[str, float]:
        """A file's words and their weights by field (path, definitions, mentions); its
        definitions are noted as it goes."""
        weights: dict[str, float] = {}
        for word in path_words(f.path):
            weights[word] = weights.get(word, 0.0) + _IN_PATH
        prose = f.path.lower().endswith(_DOC_SUFFIXES)
        for ident in f.defines:
            if not prose:  # a heading is no definition a task names as code
                self.defined_in.setdefault(ident, []).append(i)
            for word in identifier_words(ident):
                weights[word] = weights.get(word, 0.0) + _IN_DEFINES
        counts = f.counts or (1,) * len(f.mentions)
        for ident, count in zip(f.mentions, counts, strict=False):
            for word in identifier_words(ident):
                weights[word] = weights.get(word, 0.0) + _IN_MENTIONS * count
        return weights

    def scores(self, words: dict[str, float]) -> dict[int, float]:
        """BM25 over the weighted query words, by file."""
        n = self._count
        scores: dict[int, float] = {}
        for word, qweight in words.items():
            posting = self._postings.get(word)
            if not posting:
                continue
            weight = qweight * math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
            get = scores.get
            for i, factor in posting:
                scores[i] = get(i, 0.0) + weight * factor
        return scores

    def rank(
        self, task: TaskText, keep: Callable[[int], bool] | None = None, prose: float = 1.0
    ) -> list[tuple[float, int]]:
        """Files by BM25 over the task's words, its context's and its background's (see
        ``TaskText``), best first. The background is the same for every task of a request,
        so its scores are made once; of the files only it matches, the best few are
        enough to rank. ``keep``: which files may be ranked; ``prose``: the weight of
        prose files (documents, notes) against code."""
        own = text_words(task.text)
        words: dict[str, float] = {}
        for word in own:
            words[word] = words.get(word, 0.0) + 1.0
        for word in text_words(task.context):
            words[word] = words.get(word, 0.0) + CONTEXT_WEIGHT
        for word in text_words(task.details):
            words[word] = words.get(word, 0.0) + DETAILS_WEIGHT
        scores = self.scores(words)
        background, best, count, plans = self._background(task.background)
        if count:
            weight = min(BACKGROUND_WEIGHT, BACKGROUND_SHARE * max(len(own), 4) / count)
            for i in set(scores) | set(best):
                scores[i] = scores.get(i, 0.0) + weight * background.get(i, 0.0)
        prior = self._prior
        if prose != 1.0:
            weighed = self._weighed.get(prose)
            if weighed is None:
                weighed = self._weighed[prose] = [
                    p * (prose if doc else 1.0) for p, doc in zip(prior, self._prose, strict=True)
                ]
            prior = weighed
        ranked = (
            (s * prior[i], -i)
            for i, s in scores.items()
            if i not in plans and s > 0 and (keep is None or keep(i))
        )
        # Only the head is ever read (protected files among it are skipped as it is read).
        return [(s, -i) for s, i in heapq.nlargest(RANKED_HEAD * 4, ranked)]

    def _background(self, text: str) -> _Background:
        """The scores of a background text (each word weighing 1), its best files, its
        number of words, and the documents that are plans of the same work (prose holding
        most of its words: the request's own file, a PRD or a tasks.md of it); kept for
        the next task with the same background."""
        cached = self._backgrounds.get(text)
        if cached is None:
            words: dict[str, float] = {}
            listed = text_words(text)
            for word in listed:
                words[word] = words.get(word, 0.0) + 1.0
            scores = self.scores(words)
            top = heapq.nlargest(BACKGROUND_BEST, ((s, -i) for i, s in scores.items()))
            plans: set[int] = set()
            share = PLAN_SHARE if len(words) >= PLAN_WORDS else PLAN_SHORT_SHARE
            if len(words) >= PLAN_SHORT_WORDS:
                held: dict[int, int] = {}
                for word in words:
                    for i, _ in self._postings.get(word, ()):
                        held[i] = held.get(i, 0) + 1
                plans = {
                    i
                    for i, n in held.items()
                    if n >= share * len(words) and self.paths[i].lower().endswith(_PLANS)
                }
            cached = (scores, [-i for _, i in top], len(listed), plans)
            self._backgrounds[text] = cached
        return cached

    def prose(self, i: int) -> bool:
        """Whether file ``i`` is a document or a note (where code is named, not used)."""
        return self._prose[i]

    def mentioned(self, i: int) -> frozenset[str]:
        """The identifiers file ``i`` uses, as a set (made when first asked)."""
        known = self._mentioned.get(i)
        if known is None:
            known = self._mentioned[i] = frozenset(self._files[i].mentions)
        return known

    def members(self, word: str) -> set[int]:
        members = self._member_sets.get(word)
        if members is None:
            members = self._member_sets[word] = {i for i, _ in self._postings.get(word, [])}
        return members


class _Names:
    """Where the names a task writes lead in one repository: files of that name, a
    tool's dotfile, the files that define a name written as code, or use it."""

    def __init__(self, ranking: _Ranking) -> None:
        self._ranking = ranking
        self.paths = ranking.paths
        self._tools = _tool_files(self.paths)

    def tools(self, text: str) -> list[tuple[str, list[str]]]:
        """Tools the text names whose settings are a dotfile at the root ("Travis" is
        ``.travis.yml``, "RuboCop" ``.rubocop.yml``, "ESLint" ``.eslintrc.json``)."""
        words = dict.fromkeys(_WORD.findall(text.lower()))
        return [(w, self._tools[w]) for w in words if w in self._tools]

    def files(self, text: str) -> list[tuple[str, list[str]]]:
        """File names the text writes and the tracked files of that name (a name written
        with folders matches files whose path ends with it)."""
        out: list[tuple[str, list[str]]] = []
        for raw in dict.fromkeys(_FILE_NAME.findall(text)):
            name = raw.rsplit("/", 1)[-1]
            hits = (
                self._ranking.by_name.get(name)
                or self._ranking.by_lower_name.get(name.lower())
                or []
            )
            if hits:
                out.append((raw, [self.paths[i] for i in hits]))
        return out

    def definitions(self, text: str) -> list[tuple[str, list[str]]]:
        """Names written as code (in backticks, called, or shaped as identifiers) and the
        files that define them."""
        out: list[tuple[str, list[str]]] = []
        for name in self._written(text):
            hits = self._ranking.defined_in.get(name, [])
            if hits:
                out.append((name, [self.paths[i] for i in hits]))
        return out

    def uses(self, text: str) -> list[tuple[str, list[str]]]:
        """Names written as code that no file defines (a library's ``substr()``, a
        deprecated ``trim_right``) and the few code files that use them: where a change
        to their use goes (a document only names them)."""
        out: list[tuple[str, list[str]]] = []
        for name in self._written(text):
            words = identifier_words(name)
            if not words or name in self._ranking.defined_in:
                continue
            using = [
                i
                for i in sorted(self._ranking.members(words[-1]))
                if name in self._ranking.mentioned(i) and not self._ranking.prose(i)
            ]
            if 0 < len(using) <= MAX_USES:
                out.append((name, [self.paths[i] for i in using]))
        return out

    @staticmethod
    def _written(text: str) -> list[str]:
        """Names a text writes as code: in backticks, called, shaped as identifiers, or
        dotted."""
        written: list[str] = []
        for span in _CODE_SPAN.findall(text):
            names = identifiers(span)
            # `renderCart` or `max_redirects` alone in a span is a name; a command line
            # (`tm show <id>`) is words, of which only the shaped ones are names.
            written += (
                names
                if len(names) == 1 and len(names[0]) >= 4
                else [n for n in names if _SHAPED.fullmatch(n)]
            )
        written += [m.rsplit(".", 1)[-1] for m in _CALLED.findall(text)]
        written += _SHAPED.findall(text)
        for dotted in _DOTTED.findall(text):
            written += dotted.split(".")
        return list(dict.fromkeys(written))


class _Found(NamedTuple):
    """What the evidence of one task found: the files, why, and how."""

    chosen: list[str]
    evidence: list[str]
    named: bool
    """A file or name the task writes led to them (not only its words)."""
    ranked: list[tuple[float, int]]
    own: int
    """How many of ``chosen`` the task's names led to (the rest its words ranked)."""


class Locator:
    """The index of one repository, ready to rank its files for many tasks; never a path
    that ``guard`` protects."""

    def __init__(self, index: RepoIndex, guard: Protected | None = None) -> None:
        self.index = index
        self.guard = guard
        self._ranking = _Ranking(index.files)
        self.paths = self._ranking.paths
        self.names = _Names(self._ranking)
        self._tree = _Tree(index.all_paths())
        self._tests = CodeTests(self.paths + list(index.unread))
        self._allowed: dict[str, bool] = {}

    def resolve(self, glob: str, text: str = "") -> tuple[list[str], str | None]:
        """See :meth:`_Tree.resolve`."""
        return self._tree.resolve(glob, text)

    def rank(
        self, task: TaskText, keep: Callable[[int], bool] | None = None, prose: float = 1.0
    ) -> list[tuple[float, int]]:
        """See :meth:`_Ranking.rank`."""
        return self._ranking.rank(task, keep, prose)

    def allowed(self, path: str) -> bool:
        """Whether a path may be proposed: not one the fanout would refuse (protected,
        unbounded, or written with characters that pass for others)."""
        known = self._allowed.get(path)
        if known is None:
            known = self._allowed[path] = not (
                (self.guard is not None and self.guard.touched(path))
                or is_unbounded(path)
                or lookalike(path) is not None
            )
        return known

    def propose(self, task: TaskText) -> Proposal:
        """The tightest boundary the evidence supports for one task."""
        kept_out = self._kept_out(task.details)

        def allowed(path: str) -> bool:
            return self.allowed(path) and not any(
                path_matches(path, kept) or glob_contains(path, kept) for kept in kept_out
            )

        docs_task = task.kind == "docs" or bool(_DOCS_WORDS & set(text_words(task.text)))
        found = self._find(task, allowed, docs_task)
        chosen, evidence, ranked = found.chosen, found.evidence, found.ranked
        tests = [t for p in chosen if not is_test(p) for t in self._tests.tests_of(p)[:2]]
        if tests:
            evidence.append(f"with the tests {', '.join(dict.fromkeys(tests))}")
        # A test the boundary takes comes with the code it tests, unless the task is the
        # tests' ("Write unit tests for getTheme()"): then only one it names does.
        of_tests = task.kind == "verification" or "test" in text_words(task.text)
        tested = chosen[: found.own] if of_tests else chosen
        subjects = [c for p in tested for c in self._tests.subjects_of(p)[:1]]
        if subjects:
            evidence.append(f"with the code they test, {', '.join(dict.fromkeys(subjects))}")
        files = list(dict.fromkeys(literal_glob(p) for p in chosen + tests + subjects))
        files = [p for p in files if allowed(p)]
        folded = self._tree.folded(files, kept_out)
        paths = folded if all(allowed(p) for p in folded) else files  # (a folder may not be)
        # A ranking alone is evidence when its best file holds a word of the task's own
        # (not only of its milestone or the rest of the request).
        own = set(text_words(task.text))
        confident = bool(paths) and (
            found.named
            or bool(ranked and any(ranked[0][1] in self._ranking.members(w) for w in own))
        )
        if not (found.named or docs_task) and all(_planning_prose(p) for p in chosen):
            # A change to code that only documents match: they hold its words because they
            # plan it (a story, a design, notes); its code is yet to be written.
            confident = False
        return Proposal(paths, evidence, confident, [self.paths[i] for _, i in ranked[:8]])

    def _find(self, task: TaskText, allowed: Callable[[str], bool], docs_task: bool) -> _Found:
        """The files the task's names lead to, then the best of the ranking of its
        words."""
        chosen, evidence = self._named(task, allowed)
        every = self.rank(task, self._is_doc) if docs_task else []
        every = every or self.rank(task, prose=1.0 if docs_task else PROSE_PRIOR)
        # Only the head of the ranking is ever read: protected files are left out as it
        # is read, not from all of it.
        ranked = list(
            islice(
                (r for r in every if allowed(self.paths[r[1]]) and not _secret(self.paths[r[1]])),
                RANKED_HEAD,
            )
        )
        named_count = len(chosen)
        # A name no file defines, used in a few: a lead as good as a ranking, so it takes
        # no room from it.
        for name, hits in self.names.uses(task.text):
            hits = [h for h in hits if allowed(h)]
            if hits and len(chosen) < MAX_NAMED and not set(hits) <= set(chosen):
                chosen += hits
                evidence.append(f"`{name}` is used in {', '.join(hits)}")
        led = bool(chosen)
        if ranked:
            room = (MAX_FILES // 2) if named_count else MAX_FILES
            top = ranked[0][0]
            taken = [self.paths[i] for s, i in ranked if s >= RATIO * top]
            chosen += [p for p in taken if p not in chosen][:room]
            best = ranked[0][1]
            said = {*text_words(task.text), *text_words(task.context)}
            matched = sorted(
                (w for w in said if best in self._ranking.members(w)),
                key=lambda w: (len(self._ranking.members(w)), w),
            )
            evidence.append(
                f"ranked by the words {', '.join(matched[:6]) or 'of the task'} "
                f"over paths and definitions (best {top:.1f})"
            )
        return _Found(list(dict.fromkeys(chosen)), evidence, led, ranked, named_count)

    def _named(self, task: TaskText, allowed: Callable[[str], bool]) -> tuple[list[str], list[str]]:
        """The files the task names (anywhere in the tree), its tools' dotfiles, the files
        its details name, and the files that define the names it writes as code."""
        evidence: list[str] = []
        chosen: list[str] = []
        for raw, hits in self.names.files(task.text):
            picked = _nearest([h for h in hits if allowed(h)], task.sibling_paths)
            if 0 < len(picked) <= 3 and len(chosen) < MAX_NAMED:
                chosen += picked
                evidence.append(f"names {raw}: {', '.join(picked)}")
        for tool, hits in self.names.tools(task.text):
            picked = [h for h in hits if allowed(h) and h not in chosen]
            if 0 < len(picked) <= 3 and len(chosen) < MAX_NAMED:
                chosen += picked
                evidence.append(f"names {tool}: {', '.join(picked)}")
        for path, why in self._in_details(task.details):
            if allowed(path) and path not in chosen and len(chosen) < MAX_NAMED:
                chosen.append(path)
                evidence.append(why)
        for name, hits in self.names.definitions(task.text):
            hits = [h for h in hits if allowed(h)]
            if 0 < len(hits) <= 3 and len(chosen) < MAX_NAMED and not set(hits) <= set(chosen):
                chosen += hits
                evidence.append(f"`{name}` is defined in {', '.join(hits)}")
        return chosen, evidence

    def _written(self, line: str) -> Iterator[tuple[str, list[str], str | None]]:
        """Each path a line under a task writes, inside the repository, with what it is
        there (see :meth:`_Tree.resolve`)."""
        for written in code_locations(line):
            try:
                path = normalize_glob(written)
            except PathError:
                continue  # outside the repository: never a boundary of this task
            yield (path, *self._tree.resolve(path, line))

    def _kept_out(self, details: str) -> set[str]:
        """The repository's files the lines under a task say to leave alone ("Do not
        touch `reports/csv.py`")."""
        out: set[str] = set()
        for line in filter(_hands_off, details.splitlines()):
            for _, found, note in self._written(line):
                if note is None or "new" not in note:
                    out.update(found)  # a file, or a folder's glob ("reports/**")
        return out

    def _in_details(self, details: str) -> list[tuple[str, str]]:
        """The paths the lines under a task write, with why each is the task's: a file
        or folder of the repository ("- Update `.ralph/loop.sh` paths"), or a new file
        a line says to create in a folder that exists ("- Create `docs/install.md`")."""
        out: list[tuple[str, str]] = []
        for line in details.splitlines():
            if _hands_off(line):
                continue  # "Do not touch `reports/csv.py`": named to be kept out
            creates = _CREATES.match(line.strip().lstrip("*_`")) is not None
            for path, found, note in self._written(line):
                if note is None:
                    out += [(p, f"its details name {p}") for p in found]
                elif "new" in note:
                    top = path.split("/", 1)[0]
                    if creates and "/" in path and self._tree.has_folder(top):
                        out += [(p, f"its details create {p}") for p in found]
                elif found:
                    out += [(p, f"its details name {path}: {p}") for p in found]
        return out

    def _is_doc(self, i: int) -> bool:
        """A document, or any file of a docs folder (a site's data, its config)."""
        path = self.paths[i].lower()
        return path.endswith(_DOC_SUFFIXES) or path.split("/", 1)[0] in _DOCS_FOLDERS


_WORD = LazyPattern(r"(?<![\w.-])[a-z][a-z0-9-]{2,30}(?![\w-])")


# Dotfiles that hold credentials or run code on entering the folder: never proposed on
# a word or a ranking ("npm" is no reason to hand an agent .npmrc and its token); a task
# that names one gets it.
_SECRET_FILES = frozenset(
    {".npmrc", ".pypirc", ".netrc", ".envrc", ".yarnrc", ".git-credentials", ".dockercfg"}
)


def _secret(path: str) -> bool:
    """A file of credentials or one the shell runs (``.npmrc``, ``.env.production``);
    not a template of one (``.env.example``), which holds none."""
    name = path.rsplit("/", 1)[-1].lower()
    if name.endswith((".example", ".sample", ".template", ".dist")):
        return False
    return name.startswith(".env") or name.split(".yml", 1)[0] in _SECRET_FILES


def _tool_files(paths: Iterable[str]) -> dict[str, list[str]]:
    """The dotfiles at the root by the tool they set up: ``.travis.yml`` by "travis",
    ``.eslintrc.json`` by "eslint", ``.golangci.yml`` by "golangci". A short name with
    neither a suffix nor "rc" (``.ignore``, ``.env``) may be a word of any task."""
    out: dict[str, list[str]] = {}
    for path in paths:
        if "/" in path or not path.startswith(".") or path.count(".") > 2 or _secret(path):
            continue
        name = path[1:].split(".", 1)[0].lower()
        rc = name.endswith("rc") and len(name) > 4
        tool = name[:-2] if rc else name
        if len(tool) >= 3 and (rc or path.count(".") == 2 or len(tool) >= 8):
            out.setdefault(tool, []).append(path)
    return out


def _planning_prose(path: str) -> bool:
    """A document that is not the project's front page: the README at the root is
    where a badge, a list of users or an install line goes; other prose (stories,
    designs, notes, a planning folder's own README) holds a task's words because it
    plans the task."""
    lowered = path.lower()
    return lowered.endswith(_PLANS) and not lowered.startswith("readme")


def _hands_off(line: str) -> bool:
    """A line that keeps what it names out of the task ("Don't change `Makefile`")."""
    return _HANDS_OFF.search(line.replace("n't", " not").replace("n’t", " not")) is not None


def _nearest(hits: list[str], siblings: Iterable[str]) -> list[str]:
    """Of several files of one name, those beside the paths the task's siblings state
    (all of them when none is)."""
    siblings = list(siblings)
    near = [h for h in hits if any(path_matches(h, s) for s in siblings)]
    return near or hits


def _resolved(locator: Locator, boundary: DiffBoundary, text: str) -> DiffBoundary:
    """A boundary the task's text wrote, its paths looked up in the repository; none
    left (every path named nothing there) makes it a task to propose a boundary for."""
    paths: list[str] = []
    notes: list[str] = []
    for glob in boundary.paths:
        found, note = locator.resolve(glob, text)
        paths += [p for p in found if p not in paths]
        if note:
            notes.append(note)
    if not notes:
        return boundary
    if not paths:
        return boundary.model_copy(update={"paths": [], "source": "none", "evidence": notes})
    return boundary.model_copy(update={"paths": paths, "evidence": [NAMED_IN_TEXT, *notes]})


def ground(
    milestones: list[Milestone],
    contexts: dict[str, TaskContext],
    index: RepoIndex | None,
    protected: list[str],
    request_text: str = "",
) -> list[Milestone]:
    """The milestones with a proposed boundary for each open task that states none (the
    planner's evidence recorded beside it); a task whose evidence is thin keeps no paths
    (``source: none``) and its best candidates as its evidence, to be held back."""
    if not holds_code(index, protected):
        return milestones  # nothing but the planning files: a repository yet to be written
    assert index is not None
    locator = Locator(index, Protected(protected))
    out: list[Milestone] = []
    for m in milestones:
        stated = tuple(p for t in m.tasks for p in t.diff_boundary.paths)
        tasks: list[Task] = []
        for t in m.tasks:
            boundary = t.diff_boundary
            if boundary.evidence == [NAMED_IN_TEXT] and t.status != "done":
                boundary = _resolved(locator, boundary, f"{t.title}\n{t.objective}")
                t = t.model_copy(update={"diff_boundary": boundary})
            if (
                boundary.source not in ("none", "configured")
                or t.status == "done"
                or t.kind == "ops"
            ):
                tasks.append(t)
                continue
            context = contexts.get(t.id, TaskContext(m.title))
            text = TaskText(
                text=f"{t.title}\n{t.objective}" if t.objective != t.title else t.title,
                context="\n".join(x for x in (context.milestone, context.parent) if x),
                background=request_text,
                kind=t.kind,
                sibling_paths=stated,
                details="\n".join(context.details),
            )
            proposal = locator.propose(text)
            notes = boundary.evidence if boundary.source == "none" else []
            update: dict[str, Any]
            if proposal.confident:
                update = {
                    "paths": proposal.paths,
                    "source": "proposed",
                    "evidence": [*notes, *proposal.evidence],
                }
            elif boundary.source == "none":
                update = {"evidence": [*notes, *map(CANDIDATE.format, proposal.candidates[:5])]}
            else:
                update = {}
            tasks.append(t.model_copy(update={"diff_boundary": boundary.model_copy(update=update)}))
        out.append(m.model_copy(update={"tasks": tasks}))
    return out
