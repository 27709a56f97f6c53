"""AnchoredMatcher: the Matcher run on windows around anchor tokens finds what it finds over the whole Doc."""

from __future__ import annotations

import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimex.components import match_windows
from claimex.components.match_windows import (
    AnchoredMatcher,
    WordTests,
    repeatable_words,
    required_tokens,
    starts_anchored,
    token_test,
    window_reach,
)
from claimex.pipeline import load_pipeline
from tests.conftest import news_texts

YEAR = {"TEXT": {"REGEX": r"^\d{4}$"}}
PATTERNS = [
    [{"LOWER": {"IN": ["in", "since"]}}, YEAR],
    [{"LOWER": "between"}, YEAR, {"LOWER": "and"}, {"LOWER": {"IN": ["the", "end", "of"]}, "OP": "*"}, YEAR],
    [{"LOWER": "the"}, {"LOWER": {"IN": ["nineties", "eighties"]}}],
]
ANCHORED = [[False, True], [False, True, False, False, True], [False, True]]


def test_reach_is_the_smallest_window_that_holds_one_anchor_of_every_pattern() -> None:
    # pattern 2 fits around its first year (1 before, 2 after: "and" and the second year) or its last (3 before)
    assert window_reach(PATTERNS, ANCHORED) == (1, 2)


def test_repeatable_words_and_anchor_tests_come_from_the_patterns() -> None:
    assert repeatable_words(PATTERNS) == frozenset({"the", "end", "of"})
    assert token_test(PATTERNS[2][1]) == ("lower", "IN", frozenset({"nineties", "eighties"}))
    assert token_test(YEAR) == ("text", "REGEX", r"^\d{4}$")
    assert token_test({"LOWER": "Between"}) == ("lower", "IN", frozenset({"between"}))
    assert token_test({"IS_DIGIT": True}) is None


def test_pattern_without_a_required_anchor_runs_over_the_whole_doc() -> None:
    assert window_reach([[{"LOWER": "in"}, {**YEAR, "OP": "?"}]], [[False, True]]) is None


nlp = spacy.blank("en")
matcher = Matcher(nlp.vocab)
for index, pattern in enumerate(PATTERNS):
    matcher.add(f"p{index}", [pattern])
anchored = AnchoredMatcher(matcher, PATTERNS, ANCHORED)
WORDS = st.sampled_from(["in", "since", "between", "and", "the", "end", "of", "nineties", "2007", "2018", "x", "7"])


keyed = AnchoredMatcher(matcher, PATTERNS, ANCHORED, [f"p{index}" for index in range(len(PATTERNS))])


# all patterns around every anchor, and (keyed) each pattern around its own anchors only
@pytest.mark.parametrize("windowed", [anchored, keyed], ids=["all_anchors", "own_anchors"])
@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, max_size=25))
def test_windows_find_every_match(windowed: AnchoredMatcher, words: list[str]) -> None:
    doc = nlp.make_doc(" ".join(words))
    whole = sorted((k, s, e, tuple(a)) for k, s, e, a in matcher(doc, with_alignments=True))
    assert sorted((k, s, e, tuple(a)) for k, s, e, a in windowed(doc)) == whole


def test_each_pattern_runs_only_around_its_own_anchors() -> None:
    doc = nlp.make_doc("x x x between 2007 and 2018 x x x x x x x the nineties")
    # the year patterns around the two years (1 token before, 2 after), the decade pattern around
    # "nineties" (1 once-only token before it: "the" is a repeatable word, so "x" too)
    assert keyed.windows(doc) == [(3, 9), (13, 16)]
    assert [(matcher.vocab.strings[k], s, e) for k, s, e, _ in keyed(doc)] == [("p1", 3, 7), ("p2", 14, 16)]


def test_windows_leave_out_the_depths_of_long_runs_of_repeatable_words() -> None:
    # 40 "the" after "in 2007": positions more than MAX_RUN (32) deep into the run are cut out
    doc = nlp.make_doc("in 2007 " + "the " * 40 + "x")
    assert keyed.windows(doc) == [(0, 34), (42, 43)]
    assert sorted(keyed(doc)) == sorted(matcher(doc, with_alignments=True))


@pytest.mark.parametrize("component", ["claimex_money", "claimex_years"])
def test_windowed_matches_are_the_whole_docs_in_the_same_order_per_pattern(component: str) -> None:
    """On real news text: the same matches as the Matcher over the whole Doc, and each pattern's matches
    in the same order (the components break ties between two matches of one pattern by that order)."""
    pipeline, _ = load_pipeline("default")
    recognizer = pipeline.get_pipe(component)
    for text in news_texts(per_set=12):
        doc = pipeline.make_doc(text)
        whole = [(k, s, e, tuple(a)) for k, s, e, a in recognizer.matcher(doc, with_alignments=True)]
        windowed = [(k, s, e, tuple(a)) for k, s, e, a in recognizer.anchored(doc)]
        assert sorted(windowed) == sorted(whole), text[:80]
        for key in {match[0] for match in whole}:
            assert [m for m in windowed if m[0] == key] == [m for m in whole if m[0] == key], text[:80]


# patterns sharing one anchor (the year) but needing different words around it: each window runs only
# the patterns whose needed words it holds, and a window holding all of them runs them all
SHARED = [
    [{"LOWER": "in"}, YEAR],
    [{"LOWER": "since"}, YEAR],
    [YEAR, {"LOWER": "and"}, YEAR],
    [{"LOWER": "from"}, YEAR, {"LOWER": "to"}, {"LOWER": "the", "OP": "?"}, YEAR],
    [YEAR, {"LOWER": "or"}, {"LOWER": {"IN": ["later", "earlier"]}}],
]
shared_matcher = Matcher(nlp.vocab)
for index, pattern in enumerate(SHARED):
    shared_matcher.add(f"s{index}", [pattern])
shared = AnchoredMatcher(shared_matcher, SHARED, [[token is YEAR for token in pattern] for pattern in SHARED], [f"s{index}" for index in range(len(SHARED))])
SHARED_WORDS = st.sampled_from(["in", "since", "and", "from", "to", "the", "or", "later", "2007", "2018", "x", "7"])


@pytest.mark.parametrize("subset_after", [1, 3])
@settings(max_examples=200, deadline=None)
@given(words=st.lists(SHARED_WORDS, max_size=40))
def test_windows_run_the_patterns_whose_words_they_hold(subset_after: int, words: list[str]) -> None:
    # a set of patterns gets a Matcher of its own at once (1) or after it came up a few times (3)
    match_windows.SUBSET_AFTER, kept = subset_after, match_windows.SUBSET_AFTER
    try:
        check_shared(words)
    finally:
        match_windows.SUBSET_AFTER = kept


def check_shared(words: list[str]) -> None:
    doc = nlp.make_doc(" ".join(words))
    whole = [(k, s, e, tuple(a)) for k, s, e, a in shared_matcher(doc, with_alignments=True)]
    windowed = [(k, s, e, tuple(a)) for k, s, e, a in shared(doc)]
    assert sorted(windowed) == sorted(whole)
    for key in {match[0] for match in whole}:
        assert [m for m in windowed if m[0] == key] == [m for m in whole if m[0] == key]


def test_a_window_without_the_words_a_pattern_needs_does_not_run_it() -> None:
    doc = nlp.make_doc("x 2007 x x x x in 2018 x x x x from 2007 to the 2018 x")
    assert [(shared_matcher.vocab.strings[k], s, e) for k, s, e, _ in shared(doc)] == [("s0", 6, 8), ("s3", 12, 17)]


def test_a_window_after_one_that_runs_fewer_patterns_runs_all_it_may_hold(monkeypatch: pytest.MonkeyPatch) -> None:
    # the first window holds only the words of "in 2007" (and runs a Matcher of that pattern alone); the
    # second those of every short pattern
    monkeypatch.setattr(match_windows, "SUBSET_AFTER", 1)
    doc = nlp.make_doc("in 2007 x x x x in 2018 since 2019 and 2020 or later")
    found = sorted((shared_matcher.vocab.strings[k], s, e) for k, s, e, _ in shared(doc))
    assert found == sorted((shared_matcher.vocab.strings[k], s, e) for k, s, e in shared_matcher(doc))
    assert found == [("s0", 0, 2), ("s0", 6, 8), ("s1", 8, 10), ("s2", 9, 12), ("s4", 11, 14)]


def test_a_regex_is_matched_at_the_start_only_when_it_cannot_match_elsewhere() -> None:
    assert starts_anchored(re.compile(r"^\d{4}$")) and starts_anchored(re.compile(r"^(?:a|b)c"))
    assert not starts_anchored(re.compile(r"^a|b")) and not starts_anchored(re.compile(r"(?m)^a"))
    assert not starts_anchored(re.compile(r"\d^")) and not starts_anchored(re.compile(r"\d"))


def test_required_tokens_are_those_every_match_holds() -> None:
    pattern = [{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}, {"LOWER": "c", "OP": "+"}, {"LOWER": "d", "OP": "*"},
               {"LOWER": "e", "OP": "{1,3}"}, {"LOWER": "f", "OP": "{,2}"}, {"LOWER": "g", "OP": "!"}]
    assert required_tokens(pattern) == [0, 2, 4]


WORD_TESTS: list[match_windows.TokenTest] = [
    ("text", "REGEX", r"^\d{4}$"), ("text", "REGEX", r"\d0s"), ("lower", "REGEX", r"^(?:mid|early)-"),
    ("lower", "REGEX", r"^a|s$"), ("text", "IN", frozenset({"$", "US$", "Mid"})), ("lower", "IN", frozenset({"mid", "cents"})),
]


@settings(max_examples=500, deadline=None)
@given(word=st.text(alphabet=st.sampled_from(list("19200sMmid-aU$ce")), max_size=8))
def test_word_tests_give_the_tests_a_word_passes(word: str) -> None:
    expected = 0
    for t, (attribute, kind, value) in enumerate(WORD_TESTS):
        form = word.lower() if attribute == "lower" else word
        if (form in value) if kind == "IN" else (re.search(value, form) is not None):
            expected |= 1 << t
    assert WordTests(WORD_TESTS).mask(word, word.lower()) == expected


@pytest.mark.parametrize("table_size", [4, 1 << 16])
def test_word_codes_read_through_the_table_are_the_codes_of_the_words(monkeypatch: pytest.MonkeyPatch, table_size: int) -> None:
    # a table of 4 slots: most words find their slot held by another and are read from the full map
    monkeypatch.setattr(match_windows, "TABLE_SIZE", table_size)
    small = AnchoredMatcher(shared_matcher, SHARED, [[token is YEAR for token in pattern] for pattern in SHARED])
    for text in ["in 2007 and 2018 or later", "since 2019 x in 2007", "the end of 2007 to 2018", "in 2007 and 2018 or later"]:
        doc = nlp.make_doc(text)
        codes, orths = small._read(doc)
        assert orths.tolist() == [token.orth for token in doc]
        assert codes.tolist() == [small._code(token.orth) for token in doc]
