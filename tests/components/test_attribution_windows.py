"""The attribution Matcher run only around its cues, where the bit-parallel side scans say a match may be,
with its answers kept per kind of stretch of tokens, finds exactly what it finds over the whole Doc: the
same matches with the same alignments, on made-up and on real texts."""

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
from claimex.components.attribution_windows import CueWindowMatcher, cue_anchor
from claimex.components.pattern_scan import SideScan, SpecTable, exact_spec, expand_ops
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


def test_every_attribution_pattern_has_a_cue_and_exact_token_tests(make_nlp) -> None:
    component, _ = annotated(make_nlp, "")
    assert not component.cue_matcher.anywhere  # no pattern is run over the whole Doc
    assert all(mask is not None for mask in component.cue_matcher.masks)  # every pattern's runs are kept


def test_the_cue_is_the_first_required_cue_token_told_by_its_words() -> None:
    tokens = [
        {"ORTH": ","}, {"IS_QUOTE": True, "OP": "?"}, {"LOWER": {"IN": ["said", "says"]}},
        {"ENT_TYPE": "PERSON", "OP": "+"}, {"IS_TITLE": True, "OP": "{,4}"},
    ]
    roles = ["sep", "quote", "cue", "speaker", "speaker"]
    assert cue_anchor(tokens, roles) == (2, "LOWER", ("said", "says"))
    assert cue_anchor([{"LOWER": "said", "OP": "?"}], ["cue"]) is None  # an optional cue anchors nothing
    assert cue_anchor([{"IS_TITLE": True}], ["cue"]) is None  # nor one not told by its words


def test_exact_specs_are_the_ones_the_table_tests_as_the_matcher_does() -> None:
    assert exact_spec({"LOWER": {"IN": ["a"]}, "IS_LOWER": True, "OP": "?"})
    assert exact_spec({"ORTH": {"REGEX": "^[A-Z]"}, "LOWER": {"NOT_IN": ["the"]}})
    assert exact_spec({"ENT_TYPE": {"IN": ["PERSON", "ORG"]}})
    assert not exact_spec({"POS": "NOUN"})
    assert not exact_spec({"LENGTH": {">=": 2}})
    assert not exact_spec({"LOWER": {"FUZZY": "said"}})


def test_side_scan_lengths_are_the_longest_runs_each_sequence_covers() -> None:
    table = SpecTable(nlp.vocab)
    sides = [
        [{"IS_TITLE": True, "OP": "+"}],  # any run of capitalised words
        [{"LOWER": "the", "OP": "?"}, {"LOWER": "minister"}],
        [],  # nothing: covers no token
    ]
    scan = SideScan(table, sides)
    doc = Doc(nlp.vocab, words=["Jane", "Doe", "the", "minister", "said"])
    orths, ents = [t.orth for t in doc], [t.ent_type for t in doc]
    every = scan.start_bits[0] | scan.start_bits[1] | scan.start_bits[2]
    assert scan.lengths([None] * len(doc), orths, ents, 0, len(doc), 1, every) == {2: 0, 0: 2}
    assert scan.lengths([None] * len(doc), orths, ents, 2, len(doc), 1, every) == {2: 0, 1: 2}
    # backward from "minister": the reversed side 1 reads "minister", then "the"
    backward = SideScan(SpecTable(nlp.vocab), [list(reversed(sides[1]))])
    assert backward.lengths([None] * len(doc), orths, ents, 3, -1, -1, backward.start_bits[0]) == {0: 2}


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
    # a second run answers from the memo of stretches: the same again
    assert [(key, start, end, tuple(alignment)) for key, start, end, alignment in windowed(doc)] == expected


def test_the_memo_of_stretches_is_shared_across_docs_and_stays_exact(make_nlp) -> None:
    """Texts that differ in their words but not in what the pattern tokens accept share memo entries,
    and every Doc still gets exactly the whole-Doc matches."""
    texts = [
        "Prices rose, said John Smith. Jane Doe said it would rain.",
        "Costs fell, said Peter Brown. Mary Roe said it would snow.",
        "“We won,” the spokeswoman for the ministry said. He told reporters it was over.",
    ]
    for text in texts:
        component, doc = annotated(make_nlp, text)
        assert windowed_matches(component, doc) == whole_doc_matches(component, doc), text
    assert component.cue_matcher.memo


def test_sentences_are_the_ones_spacy_gives(make_nlp) -> None:
    nlp = make_nlp("claimex_sentences")
    doc = nlp("Prices rose. “We will win,” she said.\n\nDOHA – The talks ended. Nobody spoke")
    assert [(s.start, s.end) for s in sentence_list(doc)] == [(s.start, s.end) for s in doc.sents]
    with fixed_sentences(doc):
        assert all((sentence_of(doc, i).start, sentence_of(doc, i).end) == (token.sent.start, token.sent.end) for i, token in enumerate(doc))
    blank = spacy.blank("en")("No sentence boundaries here")
    assert [(s.start, s.end) for s in sentence_list(blank)] == [(0, len(blank))]
