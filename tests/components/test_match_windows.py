"""AnchoredMatcher: the Matcher run on windows around anchor tokens finds what it finds over the whole Doc."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimex.components.match_windows import (
    AnchoredMatcher,
    anchor_texts,
    repeatable_words,
    window_reach,
)

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


def test_repeatable_words_and_anchor_texts_come_from_the_patterns() -> None:
    assert repeatable_words(PATTERNS) == frozenset({"the", "end", "of"})
    assert anchor_texts(PATTERNS, ANCHORED) == (frozenset(), frozenset({"nineties", "eighties"}))


def test_pattern_without_a_required_anchor_runs_over_the_whole_doc() -> None:
    assert window_reach([[{"LOWER": "in"}, {**YEAR, "OP": "?"}]], [[False, True]]) is None


nlp = spacy.blank("en")
matcher = Matcher(nlp.vocab)
for index, pattern in enumerate(PATTERNS):
    matcher.add(f"p{index}", [pattern])
anchored = AnchoredMatcher(matcher, PATTERNS, ANCHORED)
WORDS = st.sampled_from(["in", "since", "between", "and", "the", "end", "of", "nineties", "2007", "2018", "x", "7"])


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, max_size=25))
def test_windows_find_every_match(words: list[str]) -> None:
    doc = nlp.make_doc(" ".join(words))
    whole = sorted((k, s, e, tuple(a)) for k, s, e, a in matcher(doc, with_alignments=True))
    assert sorted((k, s, e, tuple(a)) for k, s, e, a in anchored(doc)) == whole
