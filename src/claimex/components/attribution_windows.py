"""Run the attribution Matcher only where a match can be, and only once per kind of stretch of tokens.

spaCy's Matcher tries every pattern at every token, so its cost grows with the length of a text times
the number of patterns (about fifty for attribution), and it tests word lists and regular expressions
through Python calls; each call also has a fixed cost. Three exact steps cut that down:

1. Every attribution pattern holds a required **cue** token (role "cue" in `patterns/attribution.jsonl`):
   a reporting-verb form, "according", "from" before a colon, a dash, "saying"; these are rare (about one
   token in fifty), and the token table's word lists tell them without a Token object.
2. Around each cue, a bit-parallel automaton of all the patterns of that cue at once (`SideScan`) reads
   backward over what the patterns may hold before the cue and forward over what they may hold after it,
   only as far as some pattern can still fit (usually a few tokens). A pattern whose two sides both fit
   has every match through that cue within the tokens read; no other pattern has a match there.
3. What a pattern's Matcher finds on a stretch of tokens depends only on which of the pattern's tokens
   accept each token there (the Matcher reads nothing else of a token). Those facts, one integer per
   token (`SpecTable`), name the stretch, and the Matcher's answer for it is kept (`memo`): the same kind
   of stretch ("Name Name said", ", said the minister") comes back all the time, so the Matcher runs on
   a few hundred kinds of stretch instead of tens of thousands of stretches.

The Matcher run on a stretch of tokens finds the matches that lie within it exactly as over the whole
Doc, with the same alignments: a match depends only on its own tokens and the token after it. A pattern
without a required cue is run over the whole Doc, and one with a test `SpecTable` cannot make exactly
(`exact_spec`) is not kept in the memo. The tests compare the result with the whole-Doc Matcher on
made-up and real texts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress
from typing import Any

from spacy.attrs import ENT_TYPE
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from claimex.components.capped_memo import CappedMemo
from claimex.components.match_windows import Match
from claimex.components.pattern_scan import SideScan, SpecTable
from claimex.components.token_table import TokenTable, token_table

ANCHOR_KEYS = ("LOWER", "ORTH")  # token keys a cue may be told by
MEMO_LIMIT = 200_000  # kinds of stretch whose Matcher results are kept


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


class CueWindowMatcher:
    """The matches of a set of token patterns, found by running each only where a match of it may be.

    Every pattern holds a required cue token, told by its word (`cue_anchor`). Around each token with
    such a word, a bit-parallel automaton (`SideScan`) reads backward over the tokens the patterns may
    hold before their cue and forward over those they may hold after it, for all the patterns of that
    cue at once, until none can go on: a pattern whose two sides both fit has its matches through that
    cue within the tokens read. The pattern's own Matcher then runs on those tokens only, unless it
    already ran on a run of tokens that its token tests cannot tell apart (see `memo`).

    Called on a Doc, it returns what `Matcher(doc, with_alignments=True)` returns for the same patterns
    (the same matches, with the same alignments), sorted by start, end and key.

    The memo: what a Matcher finds over a run of tokens depends only on which of its pattern tokens
    accept each token (the Matcher reads nothing else of a token), so a run is known by those facts,
    one integer per token (`SpecTable`), and what the Matcher found over a run is kept for any later run
    with the same facts. That holds when every test of the pattern is one `SpecTable` makes exactly
    (`exact_spec`); a pattern with another test always runs its Matcher.
    """

    def __init__(
        self,
        vocab: Vocab,
        patterns: Sequence[tuple[str, list[dict[str, Any]], Sequence[str]]],
        *,
        role: str = "cue",
        validate: bool = True,
        memo_limit: int = MEMO_LIMIT,
    ) -> None:
        """
        Args:
            vocab: the pipeline's vocab.
            patterns: (key, expanded token pattern, role of each token) per pattern; the patterns are
                compiled as given, so keys and alignments are the ones a single Matcher would give.
            role: the role of the tokens that anchor the windows.
            validate: validate the patterns (as `Matcher(validate=True)`).
            memo_limit: runs of tokens whose matches are kept; a full memo is emptied and refilled.
        """
        self.vocab = vocab
        self.table = SpecTable(vocab)
        self.matchers: list[Matcher] = []
        self.cue_specs: list[int] = []  # per pattern: the spec bit of its cue token (0 without a cue)
        self.masks: list[int | None] = []  # per pattern: the bits of its specs; None when one is not exact
        self.anywhere: list[int] = []  # patterns without a cue: run over the whole Doc
        befores: list[list[dict[str, Any]]] = []
        afters: list[list[dict[str, Any]]] = []
        anchored: dict[tuple[str, str], int] = {}  # (token key, word) -> bits of the patterns it anchors
        for number, (key, tokens, roles) in enumerate(patterns):
            matcher = Matcher(vocab, validate=validate)
            matcher.add(key, [tokens])
            self.matchers.append(matcher)
            specs = [self.table.add(token) for token in tokens]
            exact = all(self.table.exact[spec] for spec in specs)
            self.masks.append(sum({1 << spec for spec in specs}) if exact else None)
            anchor = cue_anchor(tokens, roles, role)
            if anchor is None:
                self.anywhere.append(number)
                self.cue_specs.append(0)
                befores.append([])
                afters.append([])
                continue
            index, attr, words = anchor
            self.cue_specs.append(1 << specs[index])
            befores.append(list(reversed(tokens[:index])))
            afters.append(list(tokens[index + 1:]))
            for word in set(words):
                slot = (attr, word)
                anchored[slot] = anchored.get(slot, 0) | (1 << number)
        self.backward = SideScan(self.table, befores)
        self.forward = SideScan(self.table, afters)
        # per key the token table reads (lower-case form, text): the anchor words and the patterns each anchors
        self.lower_anchors = {word: bits for (attr, word), bits in anchored.items() if attr == "LOWER"}
        self.text_anchors = {word: bits for (attr, word), bits in anchored.items() if attr == "ORTH"}
        self.anchor_lowers = frozenset(self.lower_anchors) | {word.lower() for word in self.text_anchors}
        self.memo: CappedMemo[tuple[tuple[int, int, int, tuple[int, ...]], ...]] = CappedMemo(memo_limit)
        self._cue_blocks: CappedMemo[int] = CappedMemo(memo_limit)  # (patterns, cue token specs) -> backward start bits

    def anchor_tokens(self, table: TokenTable) -> dict[int, int]:
        """Token -> bits of the patterns whose cue word it has."""
        lower, text = table.lower, table.text
        lower_anchors, text_anchors = self.lower_anchors, self.text_anchors
        # one pass over the lower-case forms (a text anchor's token has its lower-case form), picking out
        # the tokens without a Python loop over them
        hits = compress(range(len(lower)), map(self.anchor_lowers.__contains__, lower))
        found = {token: lower_anchors.get(lower[token], 0) | text_anchors.get(text[token], 0) for token in hits}
        return {token: patterns for token, patterns in found.items() if patterns}

    def cue_blocks(self, patterns: int, specs: int) -> int:
        """The backward start bits of the patterns whose cue token accepts a token with these specs."""
        blocks = 0
        remaining = patterns
        while remaining:
            low = remaining & -remaining
            number = low.bit_length() - 1
            if self.cue_specs[number] & specs:
                blocks |= self.backward.start_bits[number]
            remaining ^= low
        return self._cue_blocks.keep((patterns, specs), blocks)

    def windows(self, doc: Doc, table: TokenTable, specs: list[int | None]) -> list[tuple[int, int, int]]:
        """(pattern, start, end) of the runs of tokens around the cues that hold every match of a pattern
        with a cue; `specs` (one entry per token, None until read) is filled where tokens are read."""
        anchors = self.anchor_tokens(table)
        if not anchors:
            return []  # no cue: the entity types need not be read
        n = len(table)
        orths = table.orth.tolist()
        ent_types = doc.to_array(ENT_TYPE).tolist()
        table_of = self.table.of
        found: list[tuple[int, int, int]] = []
        cue_blocks, start_bits = self._cue_blocks, self.forward.start_bits
        backward, forward = self.backward.lengths, self.forward.lengths
        for cue, patterns in sorted(anchors.items()):
            cue_specs = specs[cue]
            if cue_specs is None:
                cue_specs = specs[cue] = table_of(orths[cue], ent_types[cue])
            blocks = cue_blocks.get((patterns, cue_specs))
            if blocks is None:
                blocks = self.cue_blocks(patterns, cue_specs)
            if not blocks:
                continue
            before = backward(specs, orths, ent_types, cue - 1, -1, -1, blocks)
            if not before:
                continue
            blocks = 0
            for number in before:
                blocks |= start_bits[number]
            after = forward(specs, orths, ent_types, cue + 1, n, 1, blocks)
            for number, length in after.items():
                found.append((number, cue - before[number], cue + 1 + length))
        return found

    def __call__(self, doc: Doc) -> list[Match]:
        """The matches with alignments, token offsets in the Doc, sorted by (start, end, key)."""
        n = len(doc)
        if n == 0:
            return []
        table = token_table(doc)
        specs: list[int | None] = [None] * n
        found: dict[tuple[int, int, int], tuple[int, ...]] = {}  # (start, end, key) -> alignment
        memo, masks = self.memo, self.masks
        for number, start, end in self.windows(doc, table, specs):
            mask = masks[number]
            if mask is None:
                matches = self.run(number, doc, start, end)
            else:
                key = (number, tuple([value & mask for value in specs[start:end]]))
                matches = memo.get(key)
                if matches is None:
                    matches = memo.keep(key, self.run(number, doc, start, end))
            for match_id, first, last, alignment in matches:
                found.setdefault((first + start, last + start, match_id), alignment)
        for number in self.anywhere:
            for match_id, first, last, alignment in self.run(number, doc, 0, n):
                found.setdefault((first, last, match_id), alignment)
        return [(match_id, start, end, alignment) for (start, end, match_id), alignment in sorted(found.items())]

    def run(self, number: int, doc: Doc, start: int, end: int) -> tuple[tuple[int, int, int, tuple[int, ...]], ...]:
        """The matches of one pattern over tokens [start, end), offsets from `start`."""
        return tuple(
            (match_id, first, last, tuple(alignment))
            for match_id, first, last, alignment in self.matchers[number](doc[start:end], with_alignments=True)
        )
