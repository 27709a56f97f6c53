"""The attribution Matcher run only where the bit-parallel scan says a match may end finds exactly what it
finds over the whole Doc: the same matches with the same alignments, on made-up and on real texts."""

from __future__ import annotations

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import Matcher
from spacy.tokens import Doc

from claimex.components.attribution_sentences import (
    fixed_sentences,
    sentence_list,
    sentence_of,
)
from claimex.components.attribution_windows import (
    CueWindowMatcher,
    Reach,
    cue_anchor,
    side_reach,
)
from claimex.components.pattern_scan import PatternScan, expand_ops
from tests.conftest import evaluation_texts

COMPONENTS = ("claimex_sentences", "claimex_entities", "claimex_attribution")
REAL_SETS = ("gendergaptracker", "polnear", "meantime_en", "conll2003_test")
REAL_TEXTS_PER_SET = 40

SYNTHETIC = [
    "“We will win,” she said. Prices will rise, said the minister of finance for Canada, John Smith.",
    "Prices will rise, the spokeswoman for the ministry of health explained on Tuesday.",
    "Jane Doe, a professor at the University of Toronto, said the plan was weak, and added that it would fail.",
    "According to the ministry, prices will rise. Prices will rise, according to the central bank's chief economist.",
    "From Chairwoman Jane Doe: “We are ready.” “We are not,” — Commissioner John Roe",
    "The white paper said prices would rise. A person familiar with the talks says no deal is near.",
    "Sandmann and Phillips said they met. John Smith was quoted as saying the deal was done.",
    "The diocese issued a statement, saying it regrets the decision. He later told reporters he was sorry.",
    "Vancouver's Bo Horvat said he was ready, and the IFSD's Azfar Ali Khan also said so.",
    "said said said , , , “ ” — -- – the the the minister minister said, said the the minister",
    "Apple Inc. Microsoft Corp. Google LLC International Business Machines Corp. said on Monday.",
    "",
    "said",
    ", said",
]


def whole_doc_matches(component, doc: Doc) -> list[tuple[int, int, int, tuple[int, ...]]]:
    found = [(key, start, end, tuple(alignment)) for key, start, end, alignment in component.matcher(doc, with_alignments=True)]
    return sorted(found, key=lambda match: (match[1], match[2], match[0]))


def windowed_matches(component, doc: Doc) -> list[tuple[int, int, int, tuple[int, ...]]]:
    return [(key, start, end, tuple(alignment)) for key, start, end, alignment in component.cue_matcher(doc)]


def annotated(make_nlp, text: str) -> tuple[object, Doc]:
    """The Doc as the attribution component sees it (sentences and entities set), and the component."""
    nlp = make_nlp(*COMPONENTS)
    doc = nlp.make_doc(text)
    for name, component in nlp.pipeline:
        if name == "claimex_attribution":
            return component, doc
        doc = component(doc)
    raise AssertionError("no attribution component")


def test_windows_equal_the_whole_doc_on_made_up_texts(make_nlp) -> None:
    for text in SYNTHETIC:
        component, doc = annotated(make_nlp, text)
        assert windowed_matches(component, doc) == whole_doc_matches(component, doc), text


def test_windows_equal_the_whole_doc_on_real_texts(make_nlp) -> None:
    texts = evaluation_texts(REAL_SETS, REAL_TEXTS_PER_SET)
    if not texts:
        import pytest

        pytest.skip("evaluation data not present")
    for text in texts:
        component, doc = annotated(make_nlp, text)
        assert windowed_matches(component, doc) == whole_doc_matches(component, doc), text[:80]


def test_every_attribution_pattern_has_a_cue_window(make_nlp) -> None:
    component, _ = annotated(make_nlp, "")
    assert all(reach is not None for reach in component.cue_matcher.reaches)
    assert not component.cue_matcher.anywhere


def test_reach_counts_the_most_each_side_may_hold() -> None:
    tokens = [
        {"ORTH": ","}, {"IS_QUOTE": True, "OP": "?"}, {"LOWER": {"IN": ["said", "says"]}},
        {"ENT_TYPE": "PERSON", "OP": "+"}, {"IS_TITLE": True, "OP": "{,4}"},
    ]
    roles = ["sep", "quote", "cue", "speaker", "speaker"]
    assert cue_anchor(tokens, roles) == (2, "LOWER", ("said", "says"))
    assert side_reach(tokens[:2]) == (2, 0, frozenset())
    assert side_reach(tokens[3:]) == (4, 1, frozenset({"PERSON"}))
    assert side_reach([{"IS_TITLE": True, "OP": "*"}]) is None  # unbounded and not an entity run
    assert Reach(2, 4, 0, 1).at(3) == (2, 7)


def test_operators_expand_as_spacy_compiles_them() -> None:
    assert expand_ops({"OP": "+"}) == [(False, False), (True, True)]
    assert expand_ops({"OP": "{1,3}"}) == [(False, False), (True, False), (True, False)]
    assert expand_ops({"OP": "{,2}"}) == [(True, False), (True, False)]
    assert expand_ops({"OP": "{2,}"}) == [(False, False), (False, False), (True, True)]
    assert expand_ops({"OP": "{2}"}) == [(False, False), (False, False)]


# -- made-up patterns over a small vocabulary: every operator, cues on either side ---------------------
nlp = spacy.blank("en")
WORD = st.sampled_from(["a", "b", "said", "told", ",", "“", "Jane", "Doe", "the", "of", "x"])
TOKEN = st.sampled_from([
    {"LOWER": "a"}, {"LOWER": {"IN": ["a", "b"]}}, {"ORTH": ","}, {"IS_QUOTE": True}, {"IS_TITLE": True},
    {"ORTH": {"REGEX": "^[A-Z]"}}, {"LOWER": {"NOT_IN": ["said", "told"]}}, {"IS_PUNCT": False}, {"LOWER": "the"},
])
OPERATOR = st.sampled_from([None, "?", "*", "+", "!", "{,2}", "{1,3}", "{2}"])
CUE = {"LOWER": {"IN": ["said", "told"]}}


@st.composite
def patterns(draw) -> list[tuple[list[dict], list[str]]]:
    found = []
    for _ in range(draw(st.integers(1, 4))):
        before = [dict(token, **({"OP": op} if op else {})) for token, op in draw(st.lists(st.tuples(TOKEN, OPERATOR), max_size=3))]
        after = [dict(token, **({"OP": op} if op else {})) for token, op in draw(st.lists(st.tuples(TOKEN, OPERATOR), max_size=3))]
        found.append((before + [CUE] + after, ["skip"] * len(before) + ["cue"] + ["skip"] * len(after)))
    return found


@settings(max_examples=300, deadline=None)
@given(rules=patterns(), words=st.lists(WORD, max_size=30))
def test_scan_and_windows_find_every_match(rules, words) -> None:
    doc = Doc(nlp.vocab, words=words)
    whole = Matcher(nlp.vocab)
    for number, (tokens, _) in enumerate(rules):
        whole.add(f"p{number}", [tokens])
    expected = sorted(((key, start, end, tuple(alignment)) for key, start, end, alignment in whole(doc, with_alignments=True)), key=lambda m: (m[1], m[2], m[0]))
    windowed = CueWindowMatcher(nlp.vocab, [(f"p{number}", tokens, roles) for number, (tokens, roles) in enumerate(rules)])
    assert [(key, start, end, tuple(alignment)) for key, start, end, alignment in windowed(doc)] == expected
    # the scan never misses the end of a match
    scan = PatternScan(nlp.vocab, [tokens for tokens, _ in rules])
    ends = set(scan.ends([token.orth for token in doc], [token.ent_type for token in doc], [(0, len(doc))]))
    names = [f"p{number}" for number in range(len(rules))]
    assert {(names.index(nlp.vocab.strings[key]), end) for key, _, end, _ in expected} <= ends


def test_sentences_are_the_ones_spacy_gives(make_nlp) -> None:
    nlp = make_nlp("claimex_sentences")
    doc = nlp("Prices rose. “We will win,” she said.\n\nDOHA – The talks ended. Nobody spoke")
    assert [(s.start, s.end) for s in sentence_list(doc)] == [(s.start, s.end) for s in doc.sents]
    with fixed_sentences(doc):
        assert all((sentence_of(doc, i).start, sentence_of(doc, i).end) == (token.sent.start, token.sent.end) for i, token in enumerate(doc))
    blank = spacy.blank("en")("No sentence boundaries here")
    assert [(s.start, s.end) for s in sentence_list(blank)] == [(0, len(blank))]
