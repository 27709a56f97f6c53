"""claimex_sentences: sentence and paragraph boundaries for news text."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from claimex.components.sentences import SentenceSplitter
from tests.conftest import news_texts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One sentence here.", ["One sentence here."]),
        ("First one. Second one.", ["First one.", "Second one."]),
        ("Line one\nLine two", ["Line one", "Line two"]),
        ("Mr. Smith arrived. He spoke.", ["Mr. Smith arrived.", "He spoke."]),
        ("The U.S. economy grew. Prices rose.", ["The U.S. economy grew.", "Prices rose."]),
        ('"We will win." She left.', ['"We will win."', "She left."]),
        ("“We will win,” she said. Then she left.", ["“We will win,” she said.", "Then she left."]),
        ("It cost 3.5 million. Really?", ["It cost 3.5 million.", "Really?"]),
        ("He wrote e.g. this and that.", ["He wrote e.g. this and that."]),
        ("Wait... and see.", ["Wait... and see."]),
        ("A title\n\nBody text. More text.", ["A title", "Body text.", "More text."]),
        ("", []),
        # a place abbreviation before a dash is a dateline, not a sentence end
        ("MILTON, Ont. — Justin Smith says so.", ["MILTON, Ont. — Justin Smith says so."]),
        ("REGINA, Sask. - The premier spoke.", ["REGINA, Sask. - The premier spoke."]),
        ("TORONTO, Ont. – Ms. Lee said it.", ["TORONTO, Ont. – Ms. Lee said it."]),
        ("He moved to Ont. and stayed.", ["He moved to Ont. and stayed."]),
        # a real sentence end after an abbreviation stays a split
        ("She lives in Ont. She works there.", ["She lives in Ont.", "She works there."]),
        ('He left Que. "It was time," he said.', ["He left Que.", '"It was time," he said.']),
        # a period after an ordinary word before a dash is left as before
        ("It ended. — Then more.", ["It ended.", "— Then more."]),
    ],
)
def test_sentences_split_news_text(make_nlp, text, expected):
    doc = make_nlp("claimex_sentences")(text)
    assert [s.text.strip() for s in doc.sents if s.text.strip()] == expected


def test_paragraphs_are_the_non_blank_lines(make_nlp):
    text = "Title\n\n  First paragraph. Still first.\nSecond.\n"
    doc = make_nlp("claimex_sentences")(text)
    assert [text[p.start:p.end] for p in doc._.claimex_paragraphs] == ["Title", "First paragraph. Still first.", "Second."]


def walked_sentence_starts(splitter: SentenceSplitter, doc: Doc) -> set[int]:
    """The rules of the module docstring applied token by token, reading every token from the Doc."""
    n = len(doc)
    starts = {0}
    i = 0
    while i < n:
        if "\n" in doc[i].text_with_ws:
            j = i + 1
            while j < n and doc[j].is_space:
                j += 1
            if j < n:
                starts.add(j)
            i = max(i + 1, j)
            continue
        if doc[i].text in splitter.end_marks:
            j = i + 1
            while j < n and doc[j].text in splitter.closing_marks and not doc[j - 1].whitespace_:
                j += 1
            while j < n and doc[j].is_space:
                j += 1
            k = j
            while k < n and (doc[k].is_punct or doc[k].is_quote) and not doc[k].is_alpha:
                k += 1
            can_start = k >= n or not doc[k].is_lower
            abbreviation = (
                doc[i].text == "." and i > 0 and not doc[i - 1].whitespace_
                and doc[i - 1].text in splitter.abbreviation_stems and j < n and doc[j].text in splitter.dashes
            )
            if j < n and doc[j - 1].whitespace_ and can_start and not abbreviation:
                starts.add(j)
        i += 1
    return {s for s in starts if not doc[s].is_space or s == 0}


def test_sentence_starts_read_from_arrays_are_those_of_a_token_by_token_walk(make_nlp) -> None:
    nlp = make_nlp("claimex_sentences")
    splitter = nlp.get_pipe("claimex_sentences")
    splitter.ensure_initialized()
    texts = news_texts() + ["", "\n\n", "One.\n \n Two. \"Three.\" (Four.) five", "A.\n\t\nB"]
    for text in texts:
        doc = nlp.make_doc(text)
        if len(doc):
            assert splitter.sentence_starts(doc) == walked_sentence_starts(splitter, doc), text[:80]
