"""The gazetteer's word-sequence table finds exactly what a case-sensitive PhraseMatcher finds, in the same order."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from claimex.components.entities_gazetteer import (
    Gazetteer,
    GazetteerEntry,
    tokenized_names,
)
from tests.conftest import news_texts

PHRASES = {
    ("York",): 0,
    ("New", "York"): 1,
    ("New", "York", "City"): 2,
    ("New", "Delhi"): 3,
    ("Guinea", "-", "Bissau"): 4,
    ("Guinea",): 5,
    ("U.S.",): 6,
    ("City",): 7,
}
WORDS = sorted({word for words in PHRASES for word in words} | {"in", "the", "new", "york", "Old", "."})


def table_gazetteer(phrases: dict[tuple[str, ...], int]) -> Gazetteer:
    entries = [GazetteerEntry("GPE", f"place:{i}", "gazetteer.test", 1) for i in range(max(phrases.values()) + 1)]
    return Gazetteer(entries, phrases)


def phrase_matcher(vocab, phrases: dict[tuple[str, ...], int]) -> PhraseMatcher:
    """spaCy's PhraseMatcher over the phrases, each under its entry index as key."""
    matcher = PhraseMatcher(vocab, attr="ORTH")
    for words, index in phrases.items():
        matcher.add(str(index), [Doc(vocab, words=list(words))])
    return matcher


def phrase_matcher_matches(vocab, phrases: dict[tuple[str, ...], int], doc: Doc, matcher: PhraseMatcher | None = None) -> list[tuple[int, int, str]]:
    matcher = matcher or phrase_matcher(vocab, phrases)
    return [(start, end, f"place:{vocab.strings[match_id]}") for match_id, start, end in matcher(doc)]


def table_matches(gazetteer: Gazetteer, doc: Doc) -> list[tuple[int, int, str]]:
    return [(c.start, c.end, c.key) for c in gazetteer.candidates(doc)]


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


@pytest.fixture(scope="module")
def nlp_default(extractor):
    return extractor.nlp


def test_overlapping_and_nested_names_are_all_found(vocab):
    doc = Doc(vocab, words=["in", "New", "York", "City", "and", "Guinea", "-", "Bissau", "New", "York"])
    found = table_matches(table_gazetteer(PHRASES), doc)
    assert found == phrase_matcher_matches(vocab, PHRASES, doc)
    assert found == [
        (1, 3, "place:1"), (1, 4, "place:2"), (2, 3, "place:0"), (3, 4, "place:7"),
        (5, 6, "place:5"), (5, 8, "place:4"), (8, 10, "place:1"), (9, 10, "place:0"),
    ]


def test_case_matters_and_a_name_cut_by_the_end_is_not_found(vocab):
    doc = Doc(vocab, words=["new", "york", "NEW", "YORK", "Guinea", "-"])
    assert table_matches(table_gazetteer(PHRASES), doc) == phrase_matcher_matches(vocab, PHRASES, doc) == [(4, 5, "place:5")]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=30))
def test_any_word_sequence_matches_as_the_phrase_matcher_does(vocab, words):
    doc = Doc(vocab, words=words)
    assert table_matches(table_gazetteer(PHRASES), doc) == phrase_matcher_matches(vocab, PHRASES, doc)


def test_the_default_gazetteer_matches_the_phrase_matcher_on_news(nlp_default):
    gazetteer = nlp_default.get_pipe("claimex_entities").gazetteer
    phrases = {}
    for words, (single, longer) in gazetteer._by_first.items():
        if single is not None:
            phrases[(words,)] = single
        for second, options in longer.items():
            for rest, index in options:
                phrases[(words, second, *rest)] = index
    assert len(phrases) > 15_000
    texts = [*news_texts(per_set=15), "Officials in New York, Guinea-Bissau and NEW DELHI met Americans and the U.S. envoy."]
    keys = [entry.key for entry in gazetteer.entries]
    matcher = phrase_matcher(nlp_default.vocab, phrases)
    for text in texts:
        doc = nlp_default.make_doc(text)
        expected = [(start, end, keys[int(index.split(":")[1])]) for start, end, index in phrase_matcher_matches(nlp_default.vocab, phrases, doc, matcher)]
        assert table_matches(gazetteer, doc) == expected
    assert {"New York", "Guinea-Bissau", "NEW DELHI"} <= {doc[c.start:c.end].text for c in gazetteer.candidates(doc)}


def test_names_are_split_as_the_tokenizer_splits_them(nlp_default, tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMEX_CACHE_DIR", str(tmp_path))
    names = ["Guinea-Bissau", "U.S.", "Côte d’Ivoire", "St. John's"]
    expected = [tuple(token.text for token in nlp_default.make_doc(name)) for name in names]
    assert tokenized_names(nlp_default, names) == expected  # computed
    assert tokenized_names(nlp_default, names) == expected  # read back
    assert len(list(tmp_path.glob("tokens-*.msgpack"))) == 1
