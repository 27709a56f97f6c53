"""claimex_sentences: sentence and paragraph boundaries for news text."""

from __future__ import annotations

import pytest


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
