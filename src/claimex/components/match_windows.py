"""Run a token Matcher only around the tokens every match must contain, not over the whole Doc.

spaCy's Matcher tries every pattern at every token, so its cost grows with the length of the text
times the number of patterns. Amounts of money and years are rare in news text, and each of their
patterns holds at least one **anchor** token: a token with a digit ("2018", "$5bn", "'90s"), or a
word of a known set ("nineties", "dollars", "billions"). `AnchoredMatcher` finds the anchors with
one vectorised pass over the token ids (numpy, no Python loop over tokens), opens
a window of tokens around each anchor wide enough to hold any match through it, and runs the
Matcher on those windows only. The matches are the ones the Matcher finds over the whole Doc, as
long as every pattern keeps an anchor token (the components' tests compare both).

How wide a window must be comes from the patterns themselves (`window_reach`): the component says
which required tokens of each pattern only match anchors (a year, a currency), and a match holds at
most as many tokens before and after such a token as the pattern has once-only tokens there, plus
any number of tokens from repeating tokens (`*`, `+`, "{0,6}"), which may only match the
**repeatable** words (the `LOWER` values of those tokens: "hundred", "and", "Hong", "end", "of"). So the window around
an anchor stretches until it holds `before` tokens that are not repeatable words on its left and
`after` on its right.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from spacy.attrs import LOWER, ORTH, SHAPE
from spacy.matcher import Matcher
from spacy.tokens import Doc

Match = tuple[int, int, int, list[int]]  # (match id, start, end, alignment), as Matcher(with_alignments=True)
REPEATING_OPS = frozenset({"*", "+"})
BOUNDED_OP = re.compile(r"^\{(\d*)(,?)(\d*)\}$")  # "{2}", "{1,4}", "{,3}", "{2,}" (unbounded)


def repeats(token: Mapping[str, Any]) -> int | None:
    """How many tokens a pattern token may match at most: 1, the m of "{n,m}", None when unbounded."""
    op = token.get("OP")
    if op in REPEATING_OPS:
        return None
    bounded = BOUNDED_OP.match(op) if isinstance(op, str) else None
    if bounded is None:
        return 1
    low, comma, high = bounded.groups()
    if high:
        return int(high)
    return None if comma else int(low or 1)


def lower_words(token: Mapping[str, Any]) -> frozenset[str] | None:
    """The words of a token that is only a `LOWER` word or `LOWER` `IN` list (and an `OP`), else None."""
    if set(token) - {"LOWER", "OP"}:
        return None
    value = token.get("LOWER")
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, dict) and set(value) == {"IN"}:
        return frozenset(value["IN"])
    return None


def is_repeating(token: Mapping[str, Any]) -> bool:
    """A token that may match more than one token: `*`, `+`, "{0,6}"."""
    count = repeats(token)
    return count is None or count > 1


def repeatable_words(patterns: Iterable[Sequence[Mapping[str, Any]]]) -> frozenset[str] | None:
    """The words the repeating tokens of the patterns (`*`, `+`, "{0,6}") may match.

    None when a repeating token is not a `LOWER` word or `LOWER` `IN` list: the window cannot then be
    bounded, and the Matcher runs over the whole Doc.
    """
    words: set[str] = set()
    for pattern in patterns:
        for token in pattern:
            if not is_repeating(token):
                continue
            found = lower_words(token)
            if found is None:
                return None
            words.update(found)
    return frozenset(words)


def window_reach(patterns: Sequence[Sequence[Mapping[str, Any]]], anchored: Sequence[Sequence[bool]]) -> tuple[int, int] | None:
    """How many once-only tokens a window needs before and after an anchor to hold every match.

    `anchored[p][k]` says that token k of pattern p only matches anchor texts. A match of pattern p
    holds each of its required (no `OP`) anchored tokens; it fits the window around one of them, k,
    when the window reaches the once-only pattern tokens before k and after k. The pair (before,
    after) with the smallest sum that fits one anchored token of every pattern is returned; None
    when a pattern has no required anchored token.
    """
    options: list[list[tuple[int, int]]] = []
    for pattern, flags in zip(patterns, anchored):
        once = [0 if is_repeating(token) else 1 for token in pattern]  # repeating tokens match repeatable words
        fits = [
            (sum(once[:k]), sum(once[k + 1:]))
            for k, token in enumerate(pattern)
            if flags[k] and "OP" not in token
        ]
        if not fits:
            return None
        options.append(fits)
    best: tuple[int, int] | None = None
    for before in sorted({b for fits in options for b, _ in fits}):
        after = max(min((a for b, a in fits if b <= before), default=10**9) for fits in options)
        if after < 10**9 and (best is None or before + after < sum(best)):
            best = (before, after)
    return best


def anchor_texts(
    patterns: Sequence[Sequence[Mapping[str, Any]]], anchored: Sequence[Sequence[bool]]
) -> tuple[frozenset[str], frozenset[str]] | None:
    """(texts as written, lower-case words) that the required anchored tokens match.

    A `REGEX` token adds nothing: it is taken to need a digit. None when an anchored token has
    another form: anchors cannot then be told, and the Matcher runs over the whole Doc.
    """
    texts: set[str] = set()
    lower: set[str] = set()
    for pattern, flags in zip(patterns, anchored):
        for token, flag in zip(pattern, flags):
            if not flag or "OP" in token:
                continue
            # the token's keys must all hold: one that names texts is enough ("SPACY": false narrows it)
            key = next((k for k in ("LOWER", "TEXT", "ORTH") if k in token), None)
            if key is None:
                return None
            value = token[key]
            target = lower if key == "LOWER" else texts
            if isinstance(value, str):
                target.add(value)
            elif isinstance(value, dict) and set(value) == {"IN"}:
                target.update(value["IN"])
            elif not (isinstance(value, dict) and set(value) == {"REGEX"}):
                return None
    return frozenset(texts), frozenset(lower)


SHORT_REACH = 3  # patterns that fit a window of this many once-only tokens around an anchor run apart
MAX_RUN = 32
"""Longest run of repeatable words ("a a a a ...", "and and ...") a window holds: spaCy's Matcher with
alignments is cubic in the length of such a run (800 "a" after a "$" took 15 s), and no match in real
text holds more than a few."""


class AnchoredMatcher:
    """A Matcher run on windows around anchor tokens (see the module docstring).

    The anchored pattern tokens say what an anchor is: a `REGEX` token must hold a digit (every
    anchored regex of the patterns writes a number), a `TEXT` / `ORTH` token gives texts as written,
    a `LOWER` token lower-case words. The test runs on token ids (numpy), never token by token.

    Given the patterns' keys, the patterns are split in two Matchers: the short ones ("in 1958",
    "$5 million") run on narrow windows, the few long ones ("from May 2015 to March 5, 2017") on wide
    windows, so most patterns see few tokens.
    """

    def __init__(
        self,
        matcher: Matcher,
        patterns: Sequence[Sequence[Mapping[str, Any]]],
        anchored: Sequence[Sequence[bool]],
        keys: Sequence[str] | None = None,
    ) -> None:
        """
        Args:
            matcher: the compiled Matcher (run as is when the patterns cannot be windowed).
            patterns: the expanded patterns it holds (for the window width and the repeatable words).
            anchored: per pattern, per token: the token is one a match needs (a year, a currency).
            keys: the key of each pattern in `matcher`; when given, short and long patterns run apart.
        """
        self.matcher = matcher
        strings = matcher.vocab.strings
        repeatable = repeatable_words(patterns)
        anchors = anchor_texts(patterns, anchored)
        reach = window_reach(patterns, anchored) if repeatable is not None and anchors is not None else None
        self.reach = reach
        self.groups: list[tuple[Matcher, tuple[int, int]]] = []
        if reach is not None and keys is not None:
            short = [i for i in range(len(patterns)) if window_reach([patterns[i]], [anchored[i]]) is not None
                     and sum(window_reach([patterns[i]], [anchored[i]]) or (0, 0)) <= SHORT_REACH]
            for members in (short, [i for i in range(len(patterns)) if i not in set(short)]):
                if not members:
                    continue
                group = Matcher(matcher.vocab)
                for i in members:
                    group.add(keys[i], [list(patterns[i])])
                self.groups.append((group, window_reach([patterns[i] for i in members], [anchored[i] for i in members]) or reach))
        elif reach is not None:
            self.groups.append((matcher, reach))
        texts, lower_texts = anchors or ((), ())
        self.texts = np.array(sorted({strings.add(text) for text in texts}), dtype=np.uint64)
        self.lower_texts = np.array(sorted({strings.add(text.lower()) for text in lower_texts}), dtype=np.uint64)
        self.repeatable = np.array(sorted({strings.add(word.lower()) for word in repeatable or ()}), dtype=np.uint64)
        self._digit_shapes: dict[int, bool] = {}  # shape id -> the shape has a digit ("dddd", "$d.dxx")

    def _has_digit(self, doc: Doc, shapes: np.ndarray) -> np.ndarray:
        """Per token: its text has a digit. Shapes are few, so each is read once."""
        unique, inverse = np.unique(shapes, return_inverse=True)
        known = self._digit_shapes
        flags = []
        for shape in unique.tolist():
            flag = known.get(shape)
            if flag is None:
                flag = known[shape] = "d" in doc.vocab.strings[shape]
            flags.append(flag)
        return np.array(flags, dtype=bool)[inverse]

    def _anchors(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        """The anchor token indices, and per position i the once-only tokens before i."""
        ids = doc.to_array([ORTH, LOWER, SHAPE])
        lower = ids[:, 1]
        is_anchor = self._has_digit(doc, ids[:, 2]) | np.isin(ids[:, 0], self.texts) | np.isin(lower, self.lower_texts)
        once = np.concatenate(([0], np.cumsum(~np.isin(lower, self.repeatable))))
        return np.flatnonzero(is_anchor), once

    @staticmethod
    def _merge(n: int, anchors: np.ndarray, once: np.ndarray, reach: tuple[int, int]) -> list[tuple[int, int]]:
        before, after = reach
        starts = np.searchsorted(once, once[anchors] - before, side="left")
        ends = np.searchsorted(once, once[anchors + 1] + after, side="right") - 1
        merged: list[tuple[int, int]] = []
        for start, end in zip(starts.tolist(), np.minimum(ends, n).tolist()):
            if merged and start < merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def windows(self, doc: Doc, reach: tuple[int, int] | None = None) -> list[tuple[int, int]]:
        """Token ranges [start, end) holding every match (of the patterns that need `reach`), merged."""
        n = len(doc)
        if n == 0:
            return []
        if self.reach is None:
            return [(0, n)]
        anchors, once = self._anchors(doc)
        return self._merge(n, anchors, once, reach or self.reach) if anchors.size else []

    def __call__(self, doc: Doc) -> list[Match]:
        """The Matcher's matches with alignments, token offsets in the Doc."""
        n = len(doc)
        if self.reach is None:
            return list(self.matcher(doc, with_alignments=True)) if n else []
        if n == 0:
            return []
        anchors, once = self._anchors(doc)
        if anchors.size == 0:
            return []
        found: list[Match] = []
        for matcher, reach in self.groups:
            for start, end in _cut_long_runs(self._merge(n, anchors, once, reach), once):
                for match_id, first, last, alignment in matcher(doc[start:end], with_alignments=True):
                    found.append((match_id, first + start, last + start, alignment))
        return found


def _cut_long_runs(windows: list[tuple[int, int]], once: np.ndarray) -> list[tuple[int, int]]:
    """The windows without the tokens more than `MAX_RUN` deep into a run of repeatable words."""
    repeatable = np.diff(once) == 0
    index = np.arange(repeatable.size)
    deep = np.flatnonzero(index - np.maximum.accumulate(np.where(repeatable, -1, index)) > MAX_RUN)
    if deep.size == 0:
        return windows
    cut: list[tuple[int, int]] = []
    for start, end in windows:
        position = start
        for barrier in deep[np.searchsorted(deep, start):np.searchsorted(deep, end)].tolist():
            if barrier > position:
                cut.append((position, barrier))
            position = barrier + 1
        if end > position:
            cut.append((position, end))
    return cut
