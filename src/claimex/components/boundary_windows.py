"""Run a token Matcher only where a match can touch a given token boundary, not over the whole Doc.

The entity context patterns (`patterns/entities.jsonl`) type a name chunk by what stands right before
it ("said Jane Doe", `target: "next"`: the match ends where the chunk starts) or right after it
("Jane Doe said", `target: "prev"`: the match starts where the chunk ends). Only those matches count,
yet spaCy's Matcher tries every pattern at every token. `BoundaryMatcher` opens, at each chunk
boundary, a window as long as the longest match that could touch it, and runs the Matcher on those
windows only.

A window is opened for a pattern only where all its **anchors** are present: the tokens the pattern
requires once (no `OP`) that can only be one of a set of words (`LOWER` or `ORTH`/`TEXT` with a word
or an `IN` list), each within the distances from the boundary the pattern allows ("said" right before
the chunk; "," right after it and a role noun at most six tokens further). The anchors are read from the Doc's token table (plain lists of strings).

The matches are exactly the whole-Doc matches that touch a boundary, in the same order, provided every
pattern has a bounded length and ends with a required token (a Matcher over a window then meets the
same states, in the same order, as over the whole Doc for every match inside the window; a match
ends at its required last token in both). Patterns of any other shape, and `target: "match"`
patterns, make it run over the whole Doc. `tests/components/test_boundary_windows.py` compares both
on real and generated texts.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from claimex.components.match_windows import BOUNDED_OP
from claimex.components.token_table import TokenTable, token_table

MERGE_GAP = 4  # windows this few tokens apart run as one: a Matcher call costs about as much as four tokens
Match = tuple[int, int, int, list[int]]  # (match id, start, end, alignment), as Matcher(with_alignments=True)
NEXT = "next"  # a match ends at a boundary (where a chunk starts)
PREV = "prev"  # a match starts at a boundary (where a chunk ends)


def token_counts(token: Mapping[str, Any]) -> tuple[int, int] | None:
    """(fewest, most) tokens a pattern token matches; None when unbounded or of another kind ("!")."""
    op = token.get("OP")
    if op is None:
        return (1, 1)
    if op == "?":
        return (0, 1)
    bounded = BOUNDED_OP.match(op) if isinstance(op, str) else None
    if bounded is None:
        return None  # "*", "+", "!"
    low, comma, high = bounded.groups()
    if comma and not high:
        return None  # "{2,}"
    least = int(low or 0) if comma else int(low or 1)
    return (least, int(high) if high else least)


def anchor_words(token: Mapping[str, Any]) -> tuple[bool, frozenset[str]] | None:
    """(lower-case?, words) that a required token can only be, or None.

    `{"LOWER": "said"}` or `{"LOWER": {"IN": [...], "NOT_IN": [...]}}` give lower-case words (True);
    `ORTH` or `TEXT` give texts as written (False). Other keys of the token only narrow what it matches.
    """
    if "OP" in token:
        return None
    for key, lower in (("LOWER", True), ("ORTH", False), ("TEXT", False)):
        value = token.get(key)
        if isinstance(value, str):
            return lower, frozenset({value})
        if isinstance(value, dict) and isinstance(value.get("IN"), list):
            return lower, frozenset(value["IN"])
    return None


@dataclass(frozen=True)
class Anchor:
    """A required token of a pattern that can only be one of `words` (lower-case forms when `lower`,
    else texts as written), lying `near` to `far` tokens from the boundary the pattern touches: counted
    back from the token before it for `next` patterns, on from the token after it for `prev` ones."""

    words: frozenset[str]
    lower: bool
    near: int
    far: int


@dataclass(frozen=True)
class Reach:
    """How the matches of one pattern lie against the boundary they touch: at most `length` tokens,
    holding every one of its `anchors` (nearest to the boundary first; none when no token is anchored)."""

    side: str
    length: int
    anchors: tuple[Anchor, ...]


def pattern_reach(pattern: Sequence[Mapping[str, Any]], side: str) -> Reach | None:
    """The `Reach` of a pattern, or None when it cannot be windowed (unbounded, or an optional last token)."""
    counts = [token_counts(token) for token in pattern]
    if not pattern or any(c is None for c in counts) or "OP" in pattern[-1]:
        return None
    bounds = [c for c in counts if c is not None]
    anchors = []
    for k, token in enumerate(pattern):
        words = anchor_words(token)
        if words is None:
            continue
        between = bounds[k + 1 :] if side == NEXT else bounds[:k]
        anchors.append(Anchor(words[1], words[0], sum(least for least, _ in between), sum(most for _, most in between)))
    anchors.sort(key=lambda a: (a.near, a.far))
    return Reach(side, sum(most for _, most in bounds), tuple(anchors))


Slot = tuple[bool, int, int]  # (lower, near, far) of the first anchor of some patterns


class BoundaryMatcher:
    """A Matcher run on windows at token boundaries (see the module docstring).

    Built from the Matcher, each key's expanded pattern and side (`next`, `prev`, or anything else for
    patterns whose every match counts).
    """

    def __init__(self, matcher: Matcher, patterns: Mapping[str, Sequence[Mapping[str, Any]]], sides: Mapping[str, str]) -> None:
        self.matcher = matcher
        self.sides = {get_string_id(key): side for key, side in sides.items()}
        reaches = [pattern_reach(patterns[key], side) if side in (NEXT, PREV) else None for key, side in sides.items()]
        self.reaches: list[Reach] | None = None if any(r is None for r in reaches) else [r for r in reaches if r is not None]
        # per side: the longest pattern without anchors, and the others by the slot and word of their
        # first anchor (longest first), so a boundary is checked with a few dict lookups
        self.unanchored: dict[str, int] = {NEXT: 0, PREV: 0}
        self.slots: dict[str, dict[Slot, dict[str, list[Reach]]]] = {NEXT: {}, PREV: {}}
        for reach in sorted(self.reaches or (), key=lambda r: -r.length):
            if not reach.anchors:
                self.unanchored[reach.side] = max(self.unanchored[reach.side], reach.length)
                continue
            first = reach.anchors[0]
            by_word = self.slots[reach.side].setdefault((first.lower, first.near, first.far), {})
            for word in first.words:
                by_word.setdefault(word, []).append(reach)

    @property
    def windowed(self) -> bool:
        """Whether the patterns allow windows (else the Matcher runs over the whole Doc)."""
        return self.reaches is not None

    def __call__(self, doc: Doc, starts: Collection[int], ends: Collection[int]) -> list[Match]:
        """The whole-Doc matches, in order, that touch a boundary: `next` matches that end at one of
        `starts`, `prev` matches that start at one of `ends` (and every match of other patterns)."""
        if len(doc) == 0:
            return []
        if self.reaches is None:
            return self.touching(self.matcher(doc, with_alignments=True), starts, ends)
        found: list[Match] = []
        for start, end in self.windows(doc, starts, ends):
            for match_id, first, last, alignment in self.matcher(doc[start:end], with_alignments=True):
                found.append((match_id, first + start, last + start, alignment))
        return self.touching(found, starts, ends)

    def touching(self, matches: Sequence[Match], starts: Collection[int], ends: Collection[int]) -> list[Match]:
        """The matches that touch a boundary (see `__call__`), in their order."""
        sides = self.sides
        out = []
        for match in matches:
            side = sides[match[0]]
            if side == NEXT:
                if match[2] in starts:
                    out.append(match)
            elif side == PREV:
                if match[1] in ends:
                    out.append(match)
            else:
                out.append(match)
        return out

    def windows(self, doc: Doc, starts: Collection[int], ends: Collection[int]) -> list[tuple[int, int]]:
        """Token ranges [start, end), merged and in order, that hold every match touching a boundary."""
        n = len(doc)
        table = token_table(doc)
        spans: list[tuple[int, int]] = []
        for side, bounds in ((NEXT, starts), (PREV, ends)):
            need = dict.fromkeys(bounds, self.unanchored[side]) if self.unanchored[side] else {}
            for (lower, near, far), by_word in self.slots[side].items():
                column = table.lower if lower else table.text
                for distance in range(near, far + 1):
                    # the token `distance` tokens from each boundary, on the pattern's side
                    shift = -1 - distance if side == NEXT else distance
                    hits = [b for b in bounds if 0 <= b + shift < n and column[b + shift] in by_word]
                    for bound in hits:
                        for reach in by_word[column[bound + shift]]:  # longest first
                            if reach.length <= need.get(bound, 0):
                                break
                            if all(_present(table, side, bound, anchor, n) for anchor in reach.anchors[1:]):
                                need[bound] = reach.length
                                break
            if side == NEXT:
                spans.extend((max(0, bound - length), bound) for bound, length in need.items() if length)
            else:
                spans.extend((bound, min(n, bound + length)) for bound, length in need.items() if length)
        spans.sort()
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if start >= end:
                continue
            if merged and start <= merged[-1][1] + MERGE_GAP:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged


def _positions(side: str, bound: int, near: int, far: int, n: int) -> tuple[int, int]:
    """The first and last token index (within the Doc) `near` to `far` tokens from a boundary."""
    if side == NEXT:
        return max(bound - 1 - far, 0), min(bound - 1 - near, n - 1)
    return max(bound + near, 0), min(bound + far, n - 1)


def _present(table: TokenTable, side: str, bound: int, anchor: Anchor, n: int) -> bool:
    """Whether one of the anchor's words stands at its distance from the boundary."""
    column = table.lower if anchor.lower else table.text
    first, last = _positions(side, bound, anchor.near, anchor.far, n)
    return any(column[i] in anchor.words for i in range(first, last + 1))
