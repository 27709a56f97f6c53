"""doc_text: a Doc's text, kept from the tokenizer's input or joined once."""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

from claimex.components.doc_text import doc_text, remember_text
from claimex.tokenizer_guard import LongRunGuard

TEXTS = ["", " ", "One sentence.", "Line one\n\n  Line two\t end  ", "$" * 600 + " tail", "“Quoted,” she said — twice."]


def test_the_guarded_tokenizer_hands_over_its_input() -> None:
    guard = LongRunGuard(spacy.blank("en").tokenizer)
    for text in TEXTS:
        doc = guard(text)
        assert doc_text(doc) == doc.text == text


def test_a_doc_made_otherwise_is_joined_once_and_kept() -> None:
    doc = Doc(spacy.blank("en").vocab, words=["Hello", "world", "!"], spaces=[True, False, False])
    assert doc_text(doc) == "Hello world!"
    assert doc_text(doc) is doc_text(doc)


def test_the_text_stays_right_after_retokenizing() -> None:
    nlp = spacy.blank("en")
    doc = nlp("New York is big.")
    remember_text(doc, doc.text)
    with doc.retokenize() as retokenizer:
        retokenizer.merge(doc[0:2])
    assert doc_text(doc) == doc.text == "New York is big."


def test_a_text_that_no_longer_fits_the_doc_is_read_anew() -> None:
    nlp = spacy.blank("en")
    doc = nlp("Short text.")
    remember_text(doc, "Something else entirely.")
    assert doc_text(doc) == "Short text."


def test_an_object_with_a_text_gives_it() -> None:
    class View:
        text = "merged pieces"

    assert doc_text(View()) == "merged pieces"  # type: ignore[arg-type]
