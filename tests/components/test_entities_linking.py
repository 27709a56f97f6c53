"""Linking helpers that replace spaCy machinery by plain lists: `phrase_matches` finds what a
case-sensitive PhraseMatcher of the same names finds, `set_entities` writes what `Doc.set_ents` writes."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from claimex.components.entities_linking import phrase_matches, set_entities
from claimex.components.token_table import token_table
from tests.conftest import evaluation_texts

REAL_SETS = ("gendergaptracker", "polnear", "meantime_en", "conll2003_test")
REAL_TEXTS_PER_SET = 40

nlp = spacy.blank("en")


def phrase_matcher(doc: Doc, names: list[tuple[str, ...]], surnames: list[str]) -> list[tuple[int, int, bool]]:
    """The reference: a PhraseMatcher per Doc, as the recognizer once built, sorted by start, longest first."""
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    for words in names:
        matcher.add("name", [Doc(doc.vocab, words=list(words))])
    for last in surnames:
        if (last,) not in names:
            matcher.add("surname", [Doc(doc.vocab, words=[last])])
    if len(matcher) == 0:
        return []
    strings = doc.vocab.strings
    found = sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1])))
    return [(start, end, strings[match_id] == "surname") for match_id, start, end in found]


WORDS = ["Jane", "Doe", "Acme", "Corp", "of", "the", "said", ".", ",", "Doe's", "J.", "DOE"]


@settings(max_examples=300, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS), max_size=30),
    names=st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(tuple), max_size=5, unique=True),
    surnames=st.lists(st.sampled_from(WORDS), max_size=3, unique=True),
)
def test_the_same_occurrences_as_a_phrase_matcher(words: list[str], names: list[tuple[str, ...]], surnames: list[str]) -> None:
    doc = Doc(nlp.vocab, words=words)
    assert phrase_matches(token_table(doc).text, names, surnames) == phrase_matcher(doc, names, surnames)


def test_overlapping_and_nested_occurrences_are_all_found() -> None:
    doc = Doc(nlp.vocab, words=["Jane", "Jane", "Jane", "Doe", "Doe"])
    names = [("Jane", "Jane"), ("Jane", "Doe"), ("Jane",)]
    expected = [(0, 2, False), (0, 1, False), (1, 3, False), (1, 2, False), (2, 4, False), (2, 3, False), (3, 4, True), (4, 5, True)]
    assert phrase_matches(token_table(doc).text, names, ["Doe"]) == expected == phrase_matcher(doc, names, ["Doe"])


def test_the_same_occurrences_on_real_texts(make_nlp) -> None:
    texts = evaluation_texts(REAL_SETS, REAL_TEXTS_PER_SET)
    if not texts:
        pytest.skip("evaluation data not present")
    pipeline = make_nlp("claimex_sentences", "claimex_entities")
    for text in texts:
        doc = pipeline(text)
        names = list(dict.fromkeys(tuple(t.text for t in ent) for ent in doc.ents))
        surnames = list(dict.fromkeys(ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) > 1))
        assert phrase_matches(token_table(doc).text, names, surnames) == phrase_matcher(doc, names, surnames), text[:80]


ENT_ATTRS = [ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID]


def same_entities(doc: Doc, ranges: list[tuple[int, int, str]]) -> None:
    """`set_entities` leaves a copy of the Doc as `set_ents` leaves it."""
    expected = doc.copy()
    expected.set_ents([Span(expected, start, end, label=label) for start, end, label in ranges], default="outside")
    set_entities(doc, ranges)
    assert doc.to_array(ENT_ATTRS).tolist() == expected.to_array(ENT_ATTRS).tolist()
    assert [(e.start, e.end, e.label_) for e in doc.ents] == [(e.start, e.end, e.label_) for e in expected.ents]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(min_value=1, max_value=12))
def test_set_entities_writes_what_set_ents_writes(data: st.DataObject, n: int) -> None:
    doc = Doc(nlp.vocab, words=[f"w{i}" for i in range(n)])
    before = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(1, 3), st.sampled_from(["ORG", "DATE"]), st.sampled_from(["", "Q1"]), st.sampled_from(["", "id"]))))
    spans, seen = [], set()
    for start, length, label, kb_id, span_id in before:  # earlier annotation, as a trained NER leaves it
        end = min(n, start + length)
        if not seen & set(range(start, end)):
            seen.update(range(start, end))
            spans.append(Span(doc, start, end, label=label, kb_id=kb_id, span_id=span_id))
    doc.set_ents(spans, default="outside")
    ranges, position = [], 0
    for length, gap, label in data.draw(st.lists(st.tuples(st.integers(1, 3), st.integers(0, 2), st.sampled_from(["PERSON", "GPE"])), max_size=5)):
        start = position + gap
        if start + length > n:
            break
        ranges.append((start, start + length, label))
        position = start + length
    same_entities(doc, ranges)


def test_set_entities_refuses_overlapping_mentions() -> None:
    doc = Doc(nlp.vocab, words=["Jane", "Doe", "said"])
    with pytest.raises(ValueError, match="E1010"):
        set_entities(doc, [(0, 2, "PERSON"), (1, 2, "PERSON")])
