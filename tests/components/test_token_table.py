"""token_table: plain lists of token texts and flags that match spaCy's own token attributes."""

from __future__ import annotations

import pytest
import spacy

from claimex.components.base import clear_tokenizer_cache
from claimex.components.token_table import fixed_tokens, token_table

TEXTS = [
    "",
    "One sentence here.",
    "  Leading spaces\n\nand a blank line.  \n",
    "“We will win,” Mr. O’Neil said—the U.S. $5bn deal of the 1990s.\u00a0Done!",
    "3. Jane DOE (Kenya) 1:18.11\nLEEDS 2 Chelsea 1\tend",
    "al-Qaeda, Procter & Gamble; iPhone 4 and the A380… ok?",
]
ATTRIBUTES = ("text", "lower", "whitespace", "idx", "is_digit", "is_alpha", "is_lower", "is_upper", "is_title", "is_space", "is_punct", "is_quote", "like_num")
SPACY_NAMES = {"lower": "lower_", "whitespace": "whitespace_"}


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


@pytest.mark.parametrize("text", TEXTS)
def test_the_table_holds_what_the_tokens_say(nlp, text):
    doc = nlp(text)
    table = token_table(doc)
    assert len(table) == len(doc)
    for name in ATTRIBUTES:
        assert getattr(table, name) == [getattr(token, SPACY_NAMES.get(name, name)) for token in doc], name


def test_the_table_is_read_once_per_doc(nlp):
    doc = nlp("Jane Doe met John Roe.")
    assert token_table(doc) is token_table(doc)
    assert token_table(nlp("Jane Doe met John Roe.")) is not token_table(doc)


def test_the_table_follows_a_retokenized_doc(nlp):
    doc = nlp("Jane Doe met John Roe.")
    assert token_table(doc).text[0] == "Jane"
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])
    assert token_table(doc).text == [token.text for token in doc]


def test_clearing_the_tokenizer_cache_keeps_the_tokens():
    nlp = spacy.blank("en")
    text = "Mr. O’Neil can't pay $5bn (U.S.) for the 1990s-era plant, he said."
    before = [(t.text, t.whitespace_) for t in nlp(text)]
    list(nlp.tokenizer.pipe(f"Name{i} of-place{i}." for i in range(12_000)))  # more than the cache holds
    clear_tokenizer_cache(nlp)
    assert [(t.text, t.whitespace_) for t in nlp(text)] == before
    assert nlp.tokenizer.rules == spacy.blank("en").tokenizer.rules


@pytest.mark.parametrize("text", TEXTS)
def test_span_text_is_the_span_s_text(nlp, text):
    doc = nlp(text)
    table = token_table(doc)
    for start in range(len(doc) + 1):
        for end in range(start, len(doc) + 1):
            assert table.span_text(start, end) == doc[start:end].text, (start, end)


def test_fixed_tokens_hands_out_the_table_without_a_check(nlp):
    doc = nlp("Jane Doe met John Roe.")
    with fixed_tokens(doc) as table:
        assert token_table(doc) is table
        with fixed_tokens(doc) as inner:  # blocks nest
            assert inner is table
        assert token_table(doc) is table
    with doc.retokenize() as retokenizer:  # outside the block the tokens are checked again
        retokenizer.merge(doc[0:2])
    assert token_table(doc).text == [token.text for token in doc]


def test_the_word_cache_serves_every_vocabulary():
    first, second = spacy.blank("en"), spacy.blank("en")
    text = "Kenya's 3 NEW iPhone-x units, she said:\n“fine”."
    for nlp in (first, second, first):
        doc = nlp(text)
        table = token_table(doc)
        for name in ATTRIBUTES:
            assert getattr(table, name) == [getattr(token, SPACY_NAMES.get(name, name)) for token in doc], name
