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

The same kinds of window come back all the time (", said", "according to", "the minister to Xxx ,"), so
the Matcher's answer for a window is kept (`memo`). What the Matcher finds on a run of tokens depends
only on which of the patterns' token tests each token passes; when `SpecTable` tells every test exactly
as the Matcher does (`exact_spec`), the window is keyed by those facts, one integer per token, and
windows of different words share an answer ("the minister to Kenya ," and "the envoy to Chad ,").
Otherwise, when every test reads only what a token's word determines (`LEXICAL_KEYS`: text, lower-case
form, length, lexical flags), the window is keyed by its word ids: the same words, the same matches.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.matcher import Matcher
from spacy.strings import get_string_id
from spacy.tokens import Doc

from claimex.components.capped_memo import CappedMemo
from claimex.components.match_windows import BOUNDED_OP
from claimex.components.pattern_scan import SpecTable
from claimex.components.token_table import TokenTable, token_table

MEMO_LIMIT = 100_000  # kinds of window whose Matcher answers are kept; a full memo is emptied and refilled
# Pattern token keys whose test depends on the token's word (its lexeme) alone; "OP" only says how often.
LEXICAL_KEYS = frozenset(
    {
        "OP", "ORTH", "TEXT", "LOWER", "LENGTH", "PREFIX", "SUFFIX", "SHAPE", "IS_ALPHA", "IS_ASCII", "IS_DIGIT",
        "IS_LOWER", "IS_UPPER", "IS_TITLE", "IS_PUNCT", "IS_SPACE", "IS_STOP", "IS_BRACKET", "IS_QUOTE",
        "IS_LEFT_PUNCT", "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
    }
)
MERGE_GAP = 4  # windows this few tokens apart run as one: a Matcher call costs about as much as four tokens
# With the memo, only overlapping or touching windows run as one: short windows come back more often.
MEMO_MERGE_GAP = 0
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

    def __init__(
        self,
        matcher: Matcher,
        patterns: Mapping[str, Sequence[Mapping[str, Any]]],
        sides: Mapping[str, str],
        memo_limit: int = MEMO_LIMIT,
    ) -> None:
        self.matcher = matcher
        # the Matcher's answers per window (see the module docstring), keyed by the token tests each
        # token passes (`spec_table`) or else by the window's word ids; None when some pattern reads more
        # of a token than its word (then a window's answer may differ between runs of the same words)
        tokens = [token for pattern in patterns.values() for token in pattern]
        lexical = all(set(token) <= LEXICAL_KEYS for token in tokens)
        self.memo: CappedMemo[tuple[Match, ...]] | None = CappedMemo(memo_limit) if lexical else None
        self.spec_table: SpecTable | None = SpecTable(matcher.vocab)
        for token in tokens:
            self.spec_table.add(_single_tests(token))
        if not lexical or not all(self.spec_table.exact) or self.spec_table.entity_specs:
            self.spec_table = None
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
        memo = self.memo
        if memo is None:
            for start, end in self.windows(doc, starts, ends):
                for match_id, first, last, alignment in self.matcher(doc[start:end], with_alignments=True):
                    found.append((match_id, first + start, last + start, alignment))
            return self.touching(found, starts, ends)
        orth = token_table(doc).orth
        specs_of = self.spec_table.of if self.spec_table is not None else None
        for start, end in self.windows(doc, starts, ends):
            if specs_of is not None:  # no pattern reads entity types (see __init__): type 0 for all
                key: Hashable = tuple([specs_of(word, 0) for word in orth[start:end].tolist()])
            else:
                key = orth[start:end].tobytes()
            answer = memo.get(key)
            if answer is None:
                answer = memo.keep(key, tuple(self.matcher(doc[start:end], with_alignments=True)))
            # the kept alignment lists are shared: callers copy them (`ContextRules.matches_at`)
            found.extend([(match_id, first + start, last + start, alignment) for match_id, first, last, alignment in answer])
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
        gap = MERGE_GAP if self.memo is None else MEMO_MERGE_GAP
        merged: list[tuple[int, int]] = []
        for start, end in spans:
            if start >= end:
                continue
            if merged and start <= merged[-1][1] + gap:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return merged


def _single_tests(token: Mapping[str, Any]) -> dict[str, Any]:
    """The token spec with each `{"IN": words, "NOT_IN": others}` test written as the one test
    `{"IN": words less others}` it equals (`SpecTable` tells single tests only)."""
    out = dict(token)
    for key, value in token.items():
        if isinstance(value, Mapping) and set(value) == {"IN", "NOT_IN"} and isinstance(value["IN"], list) and isinstance(value["NOT_IN"], list):
            excluded = set(value["NOT_IN"])
            out[key] = {"IN": [word for word in value["IN"] if word not in excluded]}
    return out


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
