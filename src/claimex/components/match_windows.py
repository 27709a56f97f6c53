"""Run a token Matcher only around the tokens every match must contain, not over the whole Doc.

spaCy's Matcher tries every pattern at every token, so its cost grows with the length of the text
times the number of patterns. Amounts of money and years are rare in news text, and each of their
patterns holds at least one **anchor** token: a token with a digit ("2018", "$5bn", "'90s"), or a
word of a known set ("nineties", "dollars", "billions"). `AnchoredMatcher` tells the anchors from the
token ids alone (what a word passes is worked out once per word and kept, so no Python loop walks
the tokens), opens a window of tokens around each anchor wide enough to hold any match through it,
and runs the Matcher on those windows only, each pattern around its own anchors. The matches are the
ones the Matcher finds over the whole Doc, as long as every pattern keeps an anchor token (the
components' tests compare both).

How wide a window must be comes from the patterns themselves (`window_reach`): the component says
which required tokens of each pattern only match anchors (a year, a currency), and a match holds at
most as many tokens before and after such a token as the pattern has once-only tokens there, plus
any number of tokens from repeating tokens (`*`, `+`, "{0,6}"), which may only match the
**repeatable** words (the `LOWER` values of those tokens: "hundred", "and", "Hong", "end", "of"). So the window around
an anchor stretches until it holds `before` tokens that are not repeatable words on its left and
`after` on its right.

Most windows hold no match ("first" with no "century" after it, a number with no currency near it).
A match holds a word passing the test of each **required** token of its pattern (`required_tokens`:
"in" and the year of "in 1958"), so each window runs only the patterns whose needed words it holds
(a Matcher per such set of patterns, built once and kept), and none when no pattern's are there.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter, OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from spacy.attrs import ORTH
from spacy.matcher import Matcher
from spacy.tokens import Doc

from claimex.components.capped_memo import CappedMemo

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


Anchor = tuple[int, int, int]
"""(test bit, before, after): windows around the tokens that pass a test, reaching that far."""
TokenTest = tuple[str, str, Any]
"""How an anchored pattern token tests a word: ("text" or "lower", "IN", frozenset of words) or
("text" or "lower", "REGEX", regex)."""


def token_test(token: Mapping[str, Any]) -> TokenTest | None:
    """The test an anchored pattern token puts to a word's text, as spaCy's Matcher applies it.

    A token's keys must all hold, so the one that names texts (`LOWER`, `TEXT` or `ORTH`) is enough:
    a word that fails it cannot match the token ("SPACY": false only narrows it). `LOWER` words are
    compared in lower case. None when the token names no text, or names it another way: anchors
    cannot then be told, and the Matcher runs over the whole Doc.
    """
    key = next((k for k in ("LOWER", "TEXT", "ORTH") if k in token), None)
    if key is None:
        return None
    value = token[key]
    attribute = "lower" if key == "LOWER" else "text"
    if isinstance(value, str):
        value = {"IN": [value]}
    if isinstance(value, dict) and set(value) == {"IN"}:
        return attribute, "IN", frozenset(word.lower() if attribute == "lower" else word for word in value["IN"])
    if isinstance(value, dict) and set(value) == {"REGEX"}:
        return attribute, "REGEX", value["REGEX"]
    return None


def anchor_tokens(pattern: Sequence[Mapping[str, Any]], flags: Sequence[bool]) -> list[int]:
    """The positions of a pattern's required (no `OP`) anchored tokens: a match holds each of them once."""
    return [k for k, token in enumerate(pattern) if flags[k] and "OP" not in token]


def required_tokens(pattern: Sequence[Mapping[str, Any]]) -> list[int]:
    """The positions of the tokens every match of a pattern holds at least once: no `OP`, "+", or a
    bounded "{n,m}" with n of 1 or more ("?", "*", "!" and "{0,m}" may match no token)."""
    required = []
    for k, token in enumerate(pattern):
        op = token.get("OP")
        bounded = BOUNDED_OP.match(op) if isinstance(op, str) else None
        if op is None or op == "+" or (bounded is not None and int(bounded.group(1) or 0) >= 1):
            required.append(k)
    return required


def token_reach(pattern: Sequence[Mapping[str, Any]], k: int) -> tuple[int, int]:
    """The once-only tokens of a pattern before and after its token k (see `window_reach`)."""
    once = [0 if is_repeating(token) else 1 for token in pattern]
    return sum(once[:k]), sum(once[k + 1:])


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")
try:  # the regex parser of the standard library (`re._parser` since Python 3.11, `sre_parse` before)
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre  # type: ignore[no-redef]
_sre_parse = _sre.parse
_AT, _AT_BEGINNING = _sre.AT, _sre.AT_BEGINNING


def any_of(regexes: Iterable[str]) -> re.Pattern[str] | None:
    """One regex that finds a match where one of `regexes` does, None when they cannot be joined (a
    back-reference, a global flag) or there are none."""
    unique = sorted(set(regexes))
    if not unique or any(_BACKREFERENCE.search(regex) for regex in unique):
        return None
    try:
        return re.compile("|".join(f"(?:{regex})" for regex in unique))
    except re.error:
        return None


SHORT_REACH = 3  # patterns that fit a window of this many once-only tokens around an anchor run apart
MAX_RUN = 32
"""Longest run of repeatable words ("a a a a ...", "and and ...") a window holds: spaCy's Matcher with
alignments is cubic in the length of such a run (800 "a" after a "$" took 15 s), and no match in real
text holds more than a few."""
KEPT_MATCHERS = 256
"""Matchers of sets of patterns kept for reuse (a handful of sets recur from one Doc to the next)."""
SUBSET_AFTER = 16
"""Windows that ask for one set of patterns before it gets a Matcher of its own (see `AnchoredMatcher._matcher_of`)."""
TABLE_SIZE = 1 << 16
"""Slots of the table of word codes each AnchoredMatcher keeps (1.1 MB): enough for the words of a few
thousand articles; a word whose slot another holds is read from the full map of codes."""
TEST_BITS = 62
"""Anchor tests that get a bit of their own in a word's code (an int64 with bit 0 for repeatable
words); tests beyond these share the last bit, which then stands for "passes one of them"."""


def starts_anchored(regex: re.Pattern[str]) -> bool:
    """Whether a regex can only match at the start of a string (it begins with "^" outside any
    alternation, without the MULTILINE flag): then `search` finds what `match` finds, and `match`
    does not try every position of the word first."""
    if regex.flags & re.MULTILINE:
        return False
    try:
        parsed = _sre_parse(regex.pattern, regex.flags)
    except Exception:  # noqa: BLE001 - a pattern the private parser does not read is searched as it is
        return False
    return len(parsed) > 0 and parsed[0] == (_AT, _AT_BEGINNING)


class WordTests:
    """Which of some `TokenTest`s a word passes, as a mask with a bit per test.

    Word-list tests are one dictionary lookup per attribute (the bits of the lists a word is in); the
    regexes are tried only when one search of all of them joined finds something (most words pass none),
    and a regex that begins with "^" is matched at the start of the word only (`starts_anchored`).
    """

    def __init__(self, tests: Sequence[TokenTest], bits: Sequence[int] | None = None) -> None:
        """`bits[t]` is the bit of test t in a mask (by default 1 << t)."""
        self.text_words: dict[str, int] = {}
        self.lower_words: dict[str, int] = {}
        regexes: dict[str, list[tuple[re.Pattern[str], int]]] = {"text": [], "lower": []}
        for t, (attribute, kind, value) in enumerate(tests):
            bit = bits[t] if bits is not None else 1 << t
            if kind == "IN":
                words = self.text_words if attribute == "text" else self.lower_words
                for word in value:
                    words[word] = words.get(word, 0) | bit
            else:
                regexes[attribute].append((re.compile(value), bit))
        # per attribute: the joined regex's finder (None: none joined), and each regex's finder and bit
        self.regexes: list[tuple[bool, Any, list[tuple[Any, int]]]] = []
        for attribute, members in regexes.items():
            if not members:
                continue
            finders = [(regex.match if starts_anchored(regex) else regex.search, bit) for regex, bit in members]
            joined = any_of(regex.pattern for regex, _ in members)
            find_any = None
            if joined is not None:
                find_any = joined.match if all(starts_anchored(regex) for regex, _ in members) else joined.search
            self.regexes.append((attribute == "lower", find_any, finders))

    def mask(self, text: str, lower: str) -> int:
        """The bits of the tests a word with this text and lower-case form passes."""
        mask = self.text_words.get(text, 0) | self.lower_words.get(lower, 0)
        for is_lower, find_any, finders in self.regexes:
            word = lower if is_lower else text
            if find_any is None or find_any(word) is not None:
                for find, bit in finders:
                    if find(word) is not None:
                        mask |= bit
        return mask


class AnchoredMatcher:
    """A Matcher run on windows around anchor tokens (see the module docstring).

    Each required anchored pattern token puts a test to a word's text (`token_test`: texts as
    written, lower-case words, or a regex). Whether a word passes each test, and whether it is a
    repeatable word, depends on the word alone, so it is worked out once per word (by its id) and kept
    as one code with a bit per test: a Doc is read as one array of token ids, never token by token.

    A match of a pattern holds each of its required anchored tokens, so windows around the tokens that
    pass the test of any one of them hold every match. Per Doc, each pattern takes the anchor whose
    windows hold the fewest tokens of that Doc ("cents" rather than any number, a currency sign rather
    than a dash), and each pattern runs only in the windows of its own anchor: the patterns that take
    the same anchor run together, in one Matcher (built once per such set of patterns and kept), so
    the patterns of decades are not tried around every four-digit year. The Matcher's cost grows with
    the tokens it sees times the patterns it tries there.

    Given the patterns' keys, the short patterns ("in 1958", "$5 million") and the few long ones ("from
    May 2015 to March 5, 2017") also run apart, so the short ones never see the wide windows of the
    long ones. Without keys, the whole Matcher runs on the windows of every pattern's anchor.

    In each window, the words' tests of the patterns' required tokens (`_needs`, a mask per word,
    worked out when a window first holds the word) tell which patterns may match there: a window runs
    the Matcher of those patterns only, and is skipped when there are none (given keys; without keys
    the whole Matcher runs in every window that may hold a match).
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
            keys: the key of each pattern in `matcher`; when given, patterns run in Matchers of their own
                (see the class docstring).
        """
        self.matcher = matcher
        self.vocab = matcher.vocab
        self.patterns = [list(pattern) for pattern in patterns]
        self.keys = list(keys) if keys is not None else None
        repeatable = repeatable_words(patterns)
        self.repeatable = frozenset(word.lower() for word in repeatable or ())
        self.tests: list[TokenTest] = []
        test_of: dict[tuple[int, int], int] = {}  # (pattern, token) -> its test's bit in a word's code
        for p, (pattern, flags) in enumerate(zip(patterns, anchored)):
            for k in anchor_tokens(pattern, flags):
                test = token_test(pattern[k])
                if test is None:
                    repeatable = None
                    continue
                if test not in self.tests:
                    self.tests.append(test)
                test_of[p, k] = min(self.tests.index(test), TEST_BITS - 1)
        reach = window_reach(patterns, anchored) if repeatable is not None else None
        self.reach = reach
        # per group: the patterns with one anchor only, by its test bit (with the widest reach they ask
        # of it), and the patterns with a choice of anchors (the anchors, and the patterns that have them)
        self.groups: list[tuple[dict[int, tuple[tuple[int, ...], int, int]], tuple[tuple[tuple[Anchor, ...], tuple[int, ...]], ...]]] = []
        if reach is not None:
            members_of = [list(range(len(patterns)))]
            if keys is not None:
                short = [i for i in range(len(patterns)) if sum(window_reach([patterns[i]], [anchored[i]]) or (99, 99)) <= SHORT_REACH]
                members_of = [short, [i for i in range(len(patterns)) if i not in set(short)]]
            for members in members_of:
                fixed: dict[int, tuple[tuple[int, ...], int, int]] = {}
                choices: dict[tuple[Anchor, ...], list[int]] = {}
                for i in members:
                    options = tuple(sorted({(test_of[i, k], *token_reach(patterns[i], k)) for k in anchor_tokens(patterns[i], anchored[i])}))
                    if len(options) == 1:
                        bit, before, after = options[0]
                        held, wanted_before, wanted_after = fixed.get(bit, ((), 0, 0))
                        fixed[bit] = ((*held, i), max(before, wanted_before), max(after, wanted_after))
                    else:
                        choices.setdefault(options, []).append(i)
                if members:
                    self.groups.append((fixed, tuple((options, tuple(indices)) for options, indices in sorted(choices.items()))))
        # the tests as lookups: test t is bit 1 + t of a word's code (see `_code`)
        self._anchor_tests = WordTests(self.tests, [2 << min(t, TEST_BITS - 1) for t in range(len(self.tests))])
        self._codes: dict[int, int] = {}  # word id -> bit 0: a repeatable word; bit 1 + t: passes test t
        # the codes of recent words by the low bits of their id (see `_read`)
        # (an empty slot s holds the id s ^ 1, which no word of that slot has: its low bits are s)
        self._table_ids = np.arange(TABLE_SIZE, dtype=np.uint64) ^ np.uint64(1)
        self._table_codes = np.zeros(TABLE_SIZE, dtype=np.int64)
        self._matchers: OrderedDict[tuple[int, ...], Matcher] = OrderedDict()  # patterns -> their Matcher
        # what a match of each pattern needs: a word passing the test of each of its required tokens
        # (`required_tokens`, tests by `token_test`); a window whose words lack one cannot hold a match
        needs: list[TokenTest] = []
        self._needs: list[int] = []  # per pattern: the bits of the tests its matches need
        for pattern in self.patterns:
            mask = 0
            for k in required_tokens(pattern):
                test = token_test(pattern[k])
                if test is not None:
                    if test not in needs:
                        needs.append(test)
                    mask |= 1 << needs.index(test)
            self._needs.append(mask)
        self._need_tests = WordTests(needs)
        self._masks: dict[int, int] = {}  # word id -> the bits of the tests of `needs` it passes
        self._wanted_of: CappedMemo[list[tuple[int, tuple[int, ...]]]] = CappedMemo(KEPT_MATCHERS + 1)
        self._sets_seen: CappedMemo[int] = CappedMemo(KEPT_MATCHERS * 16 + 1)  # sets of patterns without a Matcher yet: times asked for
        self._key_ids = [self.vocab.strings.add(key) for key in self.keys] if self.keys is not None else []

    def _matcher_for(self, indices: tuple[int, ...]) -> Matcher:
        """A Matcher of the patterns `indices` (in their order), built once and kept (the most recently used few hundred)."""
        assert self.keys is not None
        matcher = self._matchers.get(indices)
        if matcher is None:
            matcher = Matcher(self.vocab)
            for i in indices:
                matcher.add(self.keys[i], [self.patterns[i]])
            self._matchers[indices] = matcher
            if len(self._matchers) > KEPT_MATCHERS:
                self._matchers.popitem(last=False)
        else:
            self._matchers.move_to_end(indices)
        return matcher

    def _matcher_of(self, indices: tuple[int, ...]) -> tuple[Matcher, frozenset[int] | None]:
        """A Matcher that finds the matches of the patterns `indices` (given keys), and the match ids to
        keep of what it finds (None: all).

        The Matcher of that set of patterns once the set has come up `SUBSET_AFTER` times; until then
        the whole Matcher, keeping the matches of those patterns only (it finds the same matches of
        them): building a Matcher costs as much as running one in hundreds of windows, so a set of
        patterns that comes up rarely never gets one.
        """
        if indices in self._matchers or len(indices) == len(self.patterns):
            return (self._matcher_for(indices) if len(indices) < len(self.patterns) else self.matcher), None
        seen = self._sets_seen.get(indices, 0) + 1
        if seen < SUBSET_AFTER:
            self._sets_seen.keep(indices, seen)
            return self.matcher, frozenset(self._key_ids[i] for i in indices)
        self._sets_seen.pop(indices, None)
        return self._matcher_for(indices), None

    def _wanted(self, indices: tuple[int, ...]) -> list[tuple[int, tuple[int, ...]]]:
        """The patterns `indices` grouped by their need masks (`_needs`): (mask, the patterns with it).
        Kept per set of patterns (the sets are the few the plan forms; the map is emptied if it grows)."""
        wanted = self._wanted_of.get(indices)
        if wanted is None:
            held: dict[int, list[int]] = {}
            for i in indices:
                held.setdefault(self._needs[i], []).append(i)
            wanted = self._wanted_of.keep(indices, [(need, tuple(members)) for need, members in sorted(held.items())])
        return wanted

    def _code(self, orth: int) -> int:
        """The code of a word: bit 0 when it is a repeatable word, bit 1 + t when it passes test t."""
        lexeme = self.vocab[orth]
        lower = lexeme.lower_
        return int(lower in self.repeatable) | self._anchor_tests.mask(lexeme.orth_, lower)

    def _mask(self, orth: int) -> int:
        """The tests of `_needs` a word passes (worked out when a window first holds the word, then kept)."""
        lexeme = self.vocab[orth]
        mask = self._masks[orth] = self._need_tests.mask(lexeme.orth_, lexeme.lower_)
        return mask

    def _read(self, doc: Doc) -> tuple[np.ndarray, np.ndarray]:
        """Per token its code (see `_code`), and the tokens' word ids.

        The codes come from a direct-mapped table indexed by the low bits of the word id (`TABLE_SIZE`):
        a slot holding the word's own id gives its code, so a Doc of known words is read with a few
        array operations; the other words (new, or pushed out of their slot by another) are read from
        the full map of codes, worked out once per word, and written to their slots.
        """
        orths = doc.to_array(ORTH)
        slots = (orths & np.uint64(TABLE_SIZE - 1)).astype(np.intp)
        codes = self._table_codes[slots]
        missed = np.flatnonzero(self._table_ids[slots] != orths)
        if missed.size:
            known = self._codes
            values = []
            for orth in orths[missed].tolist():
                code = known.get(orth)
                if code is None:
                    code = known[orth] = self._code(orth)
                values.append(code)
            found = np.array(values, dtype=np.int64)
            codes[missed] = found
            # one word per slot (two missed words may share one): its id and its code
            taken, first = np.unique(slots[missed], return_index=True)
            self._table_ids[taken] = orths[missed[first]]
            self._table_codes[taken] = found[first]
        return codes, orths

    def plan(self, doc: Doc) -> list[tuple[Matcher, list[tuple[int, int]]]]:
        """The Matchers to run and the token ranges [start, end) each runs on (merged, without the depths
        of long runs): per pattern, windows around the anchor whose windows hold fewest tokens (see the class)."""
        return [(matcher if matcher is not None else self._matcher_for(indices), windows) for indices, matcher, windows in self._plan(doc)[0]]

    def _plan(self, doc: Doc) -> tuple[list[tuple[tuple[int, ...], Matcher | None, list[tuple[int, int]]]], np.ndarray | None]:
        """`plan`, each Matcher with the indices of its patterns (None instead of a Matcher of a set of
        patterns: `__call__` picks one per window); and the tokens' word ids (None when the Matcher runs
        over the whole Doc)."""
        n = len(doc)
        if n == 0:
            return [], None
        if self.reach is None:
            return [(tuple(range(len(self.patterns))), self.matcher, [(0, n)])], None
        codes, orths = self._read(doc)
        where = np.flatnonzero(codes > 1)  # the tokens that pass a test
        if where.size == 0:
            return [], orths
        where_list, anchored_list = where.tolist(), codes[where].tolist()
        counts = [0] * TEST_BITS  # tokens that pass each test
        for code, count in Counter(anchored_list).items():
            code >>= 1
            bit = 0
            while code:
                if code & 1:
                    counts[bit] += count
                code >>= 1
                bit += 1

        # per position i: the tokens before i that are not repeatable words (windows reach that many)
        once = np.concatenate(([0], np.cumsum((codes & 1) == 0))).tolist()
        passing: dict[int, list[int]] = {}  # test bit -> the tokens that pass the test

        def windows(taken: list[Anchor]) -> list[tuple[int, int]]:
            ranges: list[tuple[int, int]] = []
            for bit, before, after in taken:
                if bit not in passing:
                    passing[bit] = [i for i, code in zip(where_list, anchored_list) if code >> (bit + 1) & 1]
                ranges.extend(
                    (bisect_left(once, once[i] - before), min(bisect_right(once, once[i + 1] + after) - 1, n)) for i in passing[bit]
                )
            ranges.sort()
            merged = _merge(ranges)
            # a window starts where a run of repeatable words starts, so it holds a position more than
            # MAX_RUN deep into a run only if it holds more than MAX_RUN repeatable words
            if any((end - start) - (once[end] - once[start]) > MAX_RUN for start, end in merged):
                return _cut(merged, _deep_in_runs(codes & 1))
            return merged

        plan: list[tuple[tuple[int, ...], Matcher | None, list[tuple[int, int]]]] = []
        for fixed, choices in self.groups:
            # per test bit: the patterns that take it, and the widest reach they ask of it
            taken = {bit: (list(indices), before, after) for bit, (indices, before, after) in fixed.items() if counts[bit]}
            for options, indices in choices:
                # the (first) anchor whose windows hold about the fewest tokens: its count times its width
                bit, before, after = options[0]
                fewest = counts[bit] * (1 + before + after)
                for option in options[1:]:
                    seen = counts[option[0]] * (1 + option[1] + option[2])
                    if seen < fewest:
                        (bit, before, after), fewest = option, seen
                if counts[bit]:  # (a pattern with an anchor no token passes cannot match here)
                    held, wanted_before, wanted_after = taken.get(bit, ([], 0, 0))
                    taken[bit] = (held + list(indices), max(before, wanted_before), max(after, wanted_after))
            if not taken:
                continue
            if self.keys is None:  # one Matcher, on the windows of every anchor taken
                every = tuple(range(len(self.patterns)))
                plan.append((every, self.matcher, windows([(bit, b, a) for bit, (_, b, a) in sorted(taken.items())])))
                continue
            for bit, (held, before, after) in sorted(taken.items()):
                plan.append((tuple(sorted(held)), None, windows([(bit, before, after)])))
        return plan, orths

    def windows(self, doc: Doc) -> list[tuple[int, int]]:
        """Every token range [start, end) a Matcher runs on (of any group), in order."""
        return sorted(window for _, windows in self.plan(doc) for window in windows)

    def __call__(self, doc: Doc) -> list[Match]:
        """The Matcher's matches with alignments, token offsets in the Doc."""
        found: list[Match] = []
        plan, orths = self._plan(doc)
        masks = self._masks
        for indices, every, windows in plan:
            wanted = self._wanted(indices)
            for start, end in windows:
                matcher, kept = every, None
                if orths is not None:
                    present = 0  # the tests of `_needs` that some word of the window passes
                    for orth in orths[start:end].tolist():
                        mask = masks.get(orth)
                        present |= self._mask(orth) if mask is None else mask
                    fit = [held for need, held in wanted if need & present == need]
                    if not fit:
                        continue  # each pattern lacks a word it needs here: the Matcher would find nothing
                    if every is None:  # only the patterns that may match
                        matcher, kept = self._matcher_of(indices if len(fit) == len(wanted) else tuple(sorted(i for held in fit for i in held)))
                elif every is None:
                    matcher, kept = self._matcher_of(indices)
                assert matcher is not None
                for match_id, first, last, alignment in matcher(doc[start:end], with_alignments=True):
                    if kept is None or match_id in kept:
                        found.append((match_id, first + start, last + start, alignment))
        return found


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Windows sorted by start, overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _deep_in_runs(repeatable: np.ndarray) -> list[int]:
    """The positions more than `MAX_RUN` tokens deep into a run of repeatable words (flags 1/0)."""
    index = np.arange(repeatable.size)
    return np.flatnonzero(index - np.maximum.accumulate(np.where(repeatable == 1, -1, index)) > MAX_RUN).tolist()


def _cut(windows: list[tuple[int, int]], barriers: list[int]) -> list[tuple[int, int]]:
    """The windows without the tokens at `barriers` (sorted positions)."""
    cut: list[tuple[int, int]] = []
    for start, end in windows:
        position = start
        for barrier in barriers[bisect_left(barriers, start):bisect_left(barriers, end)]:
            if barrier > position:
                cut.append((position, barrier))
            position = barrier + 1
        if end > position:
            cut.append((position, end))
    return cut
