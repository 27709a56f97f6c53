"""AnchoredMatcher: the Matcher run on windows around anchor tokens finds what it finds over the whole Doc."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimex.components.match_windows import (
    AnchoredMatcher,
    repeatable_words,
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
