"""BoundaryMatcher: the entity context patterns run in windows at chunk boundaries find exactly the
whole-Doc matches that touch a boundary, in the same order and with the same alignments."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher

from claimex.components.boundary_windows import (
    NEXT,
    PREV,
    Anchor,
    BoundaryMatcher,
    anchor_words,
    pattern_reach,
    token_counts,
)
from tests.conftest import evaluation_texts

REAL_SETS = ("gendergaptracker", "polnear", "meantime_en", "conll2003_test", "ontonotes5_test_nw")
REAL_TEXTS_PER_SET = 40
COMPONENTS = ("claimex_sentences", "claimex_entities")


def test_token_counts_read_the_operators() -> None:
    assert token_counts({"LOWER": "a"}) == (1, 1)
    assert token_counts({"OP": "?"}) == (0, 1)
    assert token_counts({"OP": "{0,4}"}) == (0, 4)
    assert token_counts({"OP": "{2}"}) == (2, 2)
    assert token_counts({"OP": "{,3}"}) == (0, 3)
    assert token_counts({"OP": "{2,}"}) is None
    assert token_counts({"OP": "+"}) is None
    assert token_counts({"OP": "*"}) is None
    assert token_counts({"OP": "!"}) is None


def test_anchor_words_are_the_words_a_required_token_can_only_be() -> None:
    assert anchor_words({"LOWER": {"IN": ["said", "told"], "NOT_IN": ["told"]}, "IS_LOWER": True}) == (True, frozenset({"said", "told"}))
    assert anchor_words({"ORTH": ","}) == (False, frozenset({","}))
    assert anchor_words({"TEXT": {"IN": ["(", "["]}}) == (False, frozenset({"(", "["}))
    assert anchor_words({"LOWER": "to", "OP": "?"}) is None  # optional: no anchor
    assert anchor_words({"IS_TITLE": True}) is None
    assert anchor_words({"LOWER": {"REGEX": "^s"}}) is None


def test_reach_places_each_anchor_between_its_nearest_and_farthest_distance() -> None:
    role = {"LOWER": {"IN": ["ambassador"]}}
    pattern = [role, {"LOWER": {"IN": ["to", "of"]}}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "{1,5}"}, {"ORTH": ","}]
    reach = pattern_reach(pattern, NEXT)
    assert reach is not None and reach.length == 9
    assert reach.anchors == (
        Anchor(frozenset({","}), False, 0, 0),
        Anchor(frozenset({"to", "of"}), True, 2, 7),  # before "," and one to five title words, perhaps "the"
        Anchor(frozenset({"ambassador"}), True, 3, 8),
    )
    after = pattern_reach([{"ORTH": ","}, {"IS_PUNCT": False, "OP": "{0,4}"}, role], PREV)
    assert after is not None and after.anchors == (Anchor(frozenset({","}), False, 0, 0), Anchor(frozenset({"ambassador"}), True, 1, 5))


def test_patterns_of_other_shapes_are_not_windowed() -> None:
    assert pattern_reach([{"LOWER": "said"}, {"IS_TITLE": True, "OP": "+"}], NEXT) is None  # unbounded
    assert pattern_reach([{"LOWER": "said"}, {"IS_TITLE": True, "OP": "?"}], PREV) is None  # optional last token


# -- the same matches as the whole-Doc Matcher ----------------------------------------------------
ROLES = ["ambassador", "minister", "spokesman"]
CUES = ["said", "told", "added"]
PATTERNS = {
    "cue_subject": (PREV, [{"LOWER": {"IN": ["also", "then"]}, "IS_LOWER": True, "OP": "{0,2}"}, {"LOWER": {"IN": CUES}, "IS_LOWER": True}]),
    "cue_inverted": (NEXT, [{"IS_PUNCT": True}, {"LOWER": {"IN": CUES}, "IS_LOWER": True}]),
    "according_to": (NEXT, [{"LOWER": "according"}, {"LOWER": "to"}]),
    "role_before": (NEXT, [{"LOWER": {"IN": ROLES}, "IS_LOWER": True}]),
    "role_of": (NEXT, [{"LOWER": {"IN": ROLES}}, {"LOWER": {"IN": ["to", "of"]}}, {"LOWER": "the", "OP": "?"}, {"IS_TITLE": True, "OP": "{1,5}"}, {"ORTH": ","}]),
    "apposition_role": (PREV, [{"ORTH": ","}, {"LOWER": {"IN": ["the", "a"]}, "OP": "?"}, {"IS_PUNCT": False, "LOWER": {"NOT_IN": ROLES}, "OP": "{0,4}"}, {"LOWER": {"IN": ROLES}}]),
    "title_run": (NEXT, [{"IS_TITLE": True}, {"IS_TITLE": True, "OP": "?"}, {"IS_LOWER": True}]),  # no anchor at all
}
WORDS = st.sampled_from(ROLES + CUES + ["also", "then", "according", "to", "of", "the", "a", ",", ".", "Jane", "Doe", "Kenya", "X", "said.", "Said", "AMBASSADOR", "\n"])

nlp = spacy.blank("en")
matcher = Matcher(nlp.vocab)
for key, (_, pattern) in PATTERNS.items():
    matcher.add(key, [pattern])
windowed = BoundaryMatcher(matcher, {key: p for key, (_, p) in PATTERNS.items()}, {key: side for key, (side, _) in PATTERNS.items()})


def same(bounded: BoundaryMatcher, doc, starts, ends) -> None:
    whole = bounded.touching(bounded.matcher(doc, with_alignments=True), starts, ends)
    assert [(k, s, e, list(a)) for k, s, e, a in bounded(doc, starts, ends)] == [(k, s, e, list(a)) for k, s, e, a in whole]


def test_made_up_patterns_are_windowed() -> None:
    assert windowed.windowed


@settings(max_examples=300, deadline=None)
@given(words=st.lists(WORDS, max_size=30), data=st.data())
def test_windows_find_the_matches_that_touch_a_boundary(words: list[str], data: st.DataObject) -> None:
    doc = nlp.make_doc(" ".join(words))
    positions = st.integers(min_value=0, max_value=len(doc))
    starts = set(data.draw(st.lists(positions, max_size=8)))
    ends = set(data.draw(st.lists(positions, max_size=8)))
    same(windowed, doc, starts, ends)
    same(windowed, doc, set(range(len(doc) + 1)), set(range(len(doc) + 1)))


def test_unwindowable_patterns_run_over_the_whole_doc() -> None:
    loose = Matcher(nlp.vocab)
    loose.add("said_name", [[{"LOWER": "said"}, {"IS_TITLE": True, "OP": "+"}]])
    bounded = BoundaryMatcher(loose, {"said_name": [{"LOWER": "said"}, {"IS_TITLE": True, "OP": "+"}]}, {"said_name": PREV})
    assert not bounded.windowed
    doc = nlp.make_doc("Jane Doe said Jane Doe said")
    assert [(s, e) for _, s, e, _ in bounded(doc, set(), {2, 5})] == [(2, 4), (2, 5)]  # "said Jane (Doe)"


def entity_context(make_nlp, text: str):
    """The recognizer, a Doc annotated up to it, and its name chunks."""
    pipeline = make_nlp(*COMPONENTS)
    doc = pipeline.make_doc(text)
    for name, component in pipeline.pipeline:
        if name == "claimex_entities":
            chunks = component.chunker.chunks(doc, component.chunker.headline_tokens(doc))
            return component, doc, chunks
        doc = component(doc)
    raise AssertionError("no entity component")


def test_the_entity_patterns_are_windowed(make_nlp) -> None:
    component, _, _ = entity_context(make_nlp, "")
    assert component.context.windows.windowed


@pytest.mark.parametrize(
    "text",
    [
        "The French ambassador to Kenya, Jane Doe, said the talks went well, according to John Roe.",
        "Jane Doe, the company's chief executive, told reporters. \"We won,\" said John Roe.",
        "Officials said, then also said, that Acme's spokesman Jane Doe had left.\n\nJOHN ROE\nX",
        "According to Doe Jane Doe also said the minister of the Interior, Ann Lee, met Roe.",
    ],
)
def test_windows_equal_the_whole_doc_on_entity_texts(make_nlp, text: str) -> None:
    component, doc, chunks = entity_context(make_nlp, text)
    bounded = component.context.windows
    same(bounded, doc, {c.start for c in chunks}, {c.end for c in chunks})
    same(bounded, doc, set(range(len(doc) + 1)), set(range(len(doc) + 1)))


def test_windows_equal_the_whole_doc_on_real_texts(make_nlp) -> None:
    texts = evaluation_texts(REAL_SETS, REAL_TEXTS_PER_SET)
    if not texts:
        pytest.skip("evaluation data not present")
    for text in texts:
        component, doc, chunks = entity_context(make_nlp, text)
        same(component.context.windows, doc, {c.start for c in chunks}, {c.end for c in chunks})


# -- the memo of the Matcher's answers per window ---------------------------------------------------
def test_windows_of_the_same_words_are_answered_from_the_memo() -> None:
    bounded = BoundaryMatcher(matcher, {key: p for key, (_, p) in PATTERNS.items()}, {key: side for key, (side, _) in PATTERNS.items()})
    assert bounded.memo == {} and bounded.spec_table is not None  # keyed by the token tests passed
    doc = nlp.make_doc("Jane Doe said, then the ambassador to Kenya, Ann Lee, told X. Jane Doe said, then")
    bounds = set(range(len(doc) + 1))
    same(bounded, doc, bounds, bounds)
    kept = dict(bounded.memo)
    assert kept
    same(bounded, nlp.make_doc(doc.text), bounds, bounds)  # another Doc of the same words
    assert bounded.memo == kept


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.lists(WORDS, max_size=20), min_size=2, max_size=6))
def test_a_small_memo_refilled_over_many_texts_keeps_the_whole_doc_matches(texts: list[list[str]]) -> None:
    bounded = BoundaryMatcher(matcher, {key: p for key, (_, p) in PATTERNS.items()}, {key: side for key, (side, _) in PATTERNS.items()}, memo_limit=3)
    for words in texts + texts:
        doc = nlp.make_doc(" ".join(words))
        bounds = set(range(len(doc) + 1))
        same(bounded, doc, bounds, bounds)
        assert len(bounded.memo or {}) <= 3


def test_patterns_reading_more_than_the_word_keep_no_memo() -> None:
    sentence = Matcher(nlp.vocab)
    pattern = [{"LOWER": "said"}, {"IS_SENT_START": True}]
    sentence.add("said_sentence", [pattern])
    bounded = BoundaryMatcher(sentence, {"said_sentence": pattern}, {"said_sentence": PREV})
    assert bounded.windowed and bounded.memo is None
    doc = nlp.make_doc("Jane said Yes and Ann said Yes")
    same(bounded, doc, set(), {1, 5})


def test_windows_of_other_words_passing_the_same_tests_share_an_answer() -> None:
    bounded = BoundaryMatcher(matcher, {key: p for key, (_, p) in PATTERNS.items()}, {key: side for key, (side, _) in PATTERNS.items()})
    first = nlp.make_doc("the ambassador to Kenya, Jane Doe")
    same(bounded, first, {5}, set())
    kept = dict(bounded.memo or {})
    second = nlp.make_doc("the minister to Chad, John Roe")
    same(bounded, second, {5}, set())
    assert bounded.memo == kept and [s for _, s, _, _ in bounded(second, {5}, set())] == [1]


NOT_IN_PATTERNS = {
    "cue_inverted": (NEXT, [{"IS_PUNCT": True}, {"LOWER": {"IN": CUES, "NOT_IN": ["told"]}, "IS_LOWER": True}]),
    "role_of": PATTERNS["role_of"],
}
LENGTH_PATTERNS = {"short_cue": (NEXT, [{"IS_PUNCT": True}, {"LOWER": {"IN": CUES}, "LENGTH": 4}])}


def bounded_matcher(patterns: dict) -> BoundaryMatcher:
    plain = Matcher(nlp.vocab)
    for key, (_, pattern) in patterns.items():
        plain.add(key, [pattern])
    return BoundaryMatcher(plain, {key: p for key, (_, p) in patterns.items()}, {key: side for key, (side, _) in patterns.items()})


not_in_windows = bounded_matcher(NOT_IN_PATTERNS)
length_windows = bounded_matcher(LENGTH_PATTERNS)


def test_memo_keys_by_tests_passed_or_by_words() -> None:
    assert not_in_windows.spec_table is not None  # IN with NOT_IN is told as one IN test
    assert length_windows.memo is not None and length_windows.spec_table is None  # LENGTH: keyed by the words


@settings(max_examples=200, deadline=None)
@given(words=st.lists(WORDS, max_size=30))
def test_memo_answers_equal_the_whole_doc_for_either_key(words: list[str]) -> None:
    doc = nlp.make_doc(" ".join(words))
    bounds = set(range(len(doc) + 1))
    same(not_in_windows, doc, bounds, bounds)
    same(length_windows, doc, bounds, bounds)
