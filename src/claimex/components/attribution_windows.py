"""Run the attribution Matcher only where a match can be, not over the whole Doc.

spaCy's Matcher tries every pattern at every token, so its cost grows with the length of a text times
the number of patterns (about fifty for attribution), and it tests word lists and regular expressions
through Python calls. Two exact steps narrow where it runs:

1. Every attribution pattern holds a required **cue** token (role "cue" in `patterns/attribution.jsonl`):
   a reporting-verb form, "according", "from" before a colon, a dash, "saying"; these are rare (about one
   token in fifty). A match holds at most a fixed number of tokens before and after its cue, read off the
   pattern: the sum of how many tokens each pattern token may match ("?" one, "{,4}" four). The only
   unbounded tokens are entity runs (`ENT_TYPE ... "+"`); such a token matches only tokens that carry one
   of its entity types, so within one Doc it matches at most as many tokens as the longest run of
   consecutive tokens with one of those types (counted per Doc with numpy). The windows around the cues,
   that wide on either side, hold every match.
2. Within those windows a bit-parallel scan of all patterns at once (`PatternScan`) finds after which
   tokens each pattern may have a match end (never missing one). Each pattern's own Matcher then runs
   only on the tokens before those ends that a match can hold.

The Matcher run on a stretch of tokens finds the matches that lie within it exactly as over the whole
Doc, with the same alignments: a match depends only on its own tokens and the token after it. Patterns
without a required cue, or with an unbounded token that is not an entity run, are scanned over the whole
Doc. The tests compare the result with the whole-Doc Matcher on made-up and real texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from spacy.attrs import ENT_TYPE, LOWER, ORTH
from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimex.components.match_windows import Match, repeats
from claimex.components.pattern_scan import PatternScan

ANCHOR_KEYS = {"LOWER": 0, "ORTH": 1}  # token keys a cue may be told by, and their column in `_columns`


@dataclass(frozen=True)
class Reach:
    """How many tokens a match may hold before and after its cue: a fixed number plus, per entity-run
    token on that side, the longest entity run of the Doc."""

    before: int
    after: int
    before_runs: int = 0
    after_runs: int = 0

    def at(self, run: int) -> tuple[int, int]:
        """(before, after) in a Doc whose longest entity run is `run` tokens."""
        return self.before + self.before_runs * run, self.after + self.after_runs * run

    def widest(self, other: Reach) -> Reach:
        """A reach that holds both."""
        return Reach(
            max(self.before, other.before), max(self.after, other.after),
            max(self.before_runs, other.before_runs), max(self.after_runs, other.after_runs),
        )


def _words(value: Any) -> tuple[str, ...] | None:
    """The words of a token value that names them (a string or `{"IN": [...]}`), else None."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, Mapping) and set(value) == {"IN"} and isinstance(value["IN"], list):
        return tuple(value["IN"])
    return None


def cue_anchor(tokens: Sequence[Mapping[str, Any]], roles: Sequence[str], role: str = "cue") -> tuple[int, str, tuple[str, ...]] | None:
    """(index, key, words) of the first required token with `role` that names its words by `LOWER` or
    `ORTH`; every match holds a token with one of those words there. None when there is no such token."""
    for index, (token, token_role) in enumerate(zip(tokens, roles)):
        if token_role != role or "OP" in token:
            continue
        for key in ANCHOR_KEYS:
            words = _words(token.get(key))
            if words is not None:
                return index, key, words
    return None


def _run_labels(token: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The entity types of a token that is only an entity type (and an `OP`), else None."""
    if set(token) - {"ENT_TYPE", "OP"}:
        return None
    return _words(token.get("ENT_TYPE"))


def side_reach(tokens: Sequence[Mapping[str, Any]]) -> tuple[int, int, frozenset[str]] | None:
    """(fixed tokens, entity-run tokens, their entity types) that a run of pattern tokens may match at
    most; None when one of them is unbounded and not an entity run."""
    fixed, runs, labels = 0, 0, set()
    for token in tokens:
        count = repeats(token)
        if count is not None:
            fixed += count
            continue
        found = _run_labels(token)
        if found is None:
            return None
        runs += 1
        labels.update(found)
    return fixed, runs, frozenset(labels)


class CueWindowMatcher:
    """The matches of a set of token patterns, found by running each only where a match of it may be.

    A bit-parallel scan (`PatternScan`) over the windows around the cue tokens says after which tokens
    each pattern may have a match end; the pattern's own Matcher then runs on the few tokens before each
    such end that a match can hold. Called on a Doc, it returns what `Matcher(doc, with_alignments=True)`
    returns for the same patterns (the same matches, with the same alignments), sorted by start, end and
    key.
    """

    def __init__(self, vocab: Vocab, patterns: Sequence[tuple[str, list[dict[str, Any]], Sequence[str]]], *, role: str = "cue", validate: bool = True) -> None:
        """
        Args:
            vocab: the pipeline's vocab.
            patterns: (key, expanded token pattern, role of each token) per pattern; the patterns are
                compiled as given, so keys and alignments are the ones a single Matcher would give.
            role: the role of the tokens that anchor the windows.
            validate: validate the patterns (as `Matcher(validate=True)`).
        """
        self.vocab = vocab
        self.matchers: list[Matcher] = []
        self.reaches: list[Reach | None] = []  # None: a match may run over any number of tokens
        by_anchor: dict[tuple[str, tuple[str, ...]], Reach] = {}
        labels: set[str] = set()
        for key, tokens, roles in patterns:
            matcher = Matcher(vocab, validate=validate)
            matcher.add(key, [tokens])
            self.matchers.append(matcher)
            anchor = cue_anchor(tokens, roles, role)
            sides = (side_reach(tokens[:anchor[0]]), side_reach(tokens[anchor[0] + 1:])) if anchor is not None else (None, None)
            if anchor is None or sides[0] is None or sides[1] is None:
                self.reaches.append(None)
                continue
            (before, before_runs, before_labels), (after, after_runs, after_labels) = sides
            labels |= before_labels | after_labels
            reach = Reach(before, after, before_runs, after_runs)
            self.reaches.append(reach)
            _, attr, words = anchor
            anchor_key = (attr, tuple(sorted(set(words))))
            by_anchor[anchor_key] = by_anchor[anchor_key].widest(reach) if anchor_key in by_anchor else reach
        self.run_labels = np.array(sorted(get_string_id(label) for label in labels), dtype=np.uint64)
        # (column of the anchor key, anchor word ids, the widest reach of the patterns with those anchors)
        # per key column: the anchor word ids (sorted) and, per id, the widest reach of the patterns it anchors
        widest: dict[int, dict[int, Reach]] = {}
        for (attr, words), reach in by_anchor.items():
            column = widest.setdefault(ANCHOR_KEYS[attr], {})
            for word in set(words):
                word_id = get_string_id(word)
                column[word_id] = column[word_id].widest(reach) if word_id in column else reach
        self.anchors: list[tuple[int, np.ndarray, np.ndarray]] = []  # (column, ids, reach columns per id)
        for column, reaches in sorted(widest.items()):
            ids = sorted(reaches)
            table = np.array([[reaches[i].before, reaches[i].before_runs, reaches[i].after, reaches[i].after_runs] for i in ids], dtype=np.int64)
            self.anchors.append((column, np.array(ids, dtype=np.uint64), table))
        self.anywhere = any(reach is None for reach in self.reaches)  # some pattern needs the whole Doc scanned
        self.scan = PatternScan(vocab, [tokens for _, tokens, _ in patterns])

    def longest_run(self, ent_types: np.ndarray) -> int:
        """The longest run of consecutive tokens whose entity type an entity-run token may match."""
        if not self.run_labels.size:
            return 0
        inside = _member(ent_types, self.run_labels).astype(np.int8)
        if not inside.any():
            return 0
        edges = np.flatnonzero(np.diff(np.concatenate(([0], inside, [0]))))
        return int((edges[1::2] - edges[::2]).max())

    @staticmethod
    def merge(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Token ranges [start, end) in order, merged where they overlap or touch."""
        merged: list[tuple[int, int]] = []
        for start, end in sorted(windows):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def regions(self, n: int, columns: np.ndarray, run: int) -> list[tuple[int, int]]:
        """The windows around the cue tokens that hold every match, merged where they overlap or touch (the
        whole Doc if a pattern has no cue)."""
        if self.anywhere:
            return [(0, n)]
        starts, ends = [], []
        for column, ids, reaches in self.anchors:
            found = np.minimum(np.searchsorted(ids, columns[:, column]), ids.size - 1)
            anchors = np.flatnonzero(ids[found] == columns[:, column])
            if anchors.size:
                reach = reaches[found[anchors]]
                starts.append(np.maximum(anchors - (reach[:, 0] + reach[:, 1] * run), 0))
                ends.append(np.minimum(anchors + (reach[:, 2] + reach[:, 3] * run) + 1, n))
        if not starts:
            return []
        start = np.concatenate(starts)
        order = np.argsort(start, kind="stable")
        start, end = start[order], np.concatenate(ends)[order]
        reached = np.maximum.accumulate(end)
        opens = np.flatnonzero(np.concatenate(([True], start[1:] > reached[:-1])))  # a window that starts a region
        closes = np.concatenate((opens[1:] - 1, [start.size - 1]))
        return list(zip(start[opens].tolist(), reached[closes].tolist()))

    def __call__(self, doc: Doc) -> list[Match]:
        """The matches with alignments, token offsets in the Doc, sorted by (start, end, key)."""
        n = len(doc)
        if n == 0:
            return []
        columns = doc.to_array([LOWER, ORTH, ENT_TYPE])
        run = self.longest_run(columns[:, 2])
        regions = self.regions(n, columns, run)
        if not regions:
            return []
        ends: dict[int, list[tuple[int, int]]] = {}
        for number, end in self.scan.ends(columns[:, 1].tolist(), columns[:, 2].tolist(), regions):
            reach = self.reaches[number]
            longest = end if reach is None else sum(reach.at(run)) + 1
            ends.setdefault(number, []).append((max(0, end - longest), end))
        found: list[Match] = []
        for number, windows in sorted(ends.items()):
            matcher = self.matchers[number]
            for start, end in self.merge(windows):
                for key, first, last, alignment in matcher(doc[start:end], with_alignments=True):
                    found.append((key, first + start, last + start, alignment))
        found.sort(key=lambda match: (match[1], match[2], match[0]))
        return found


def _member(values: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Per value: whether it is one of `ids` (sorted); `np.isin` by bisection, faster for few ids."""
    at = np.minimum(np.searchsorted(ids, values), ids.size - 1)
    return ids[at] == values
