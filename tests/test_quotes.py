"""claimex.quotes: where quotations open and close, per paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claimex.annotations import CharSpan
from claimex.quotes import find_quotations


def inner_texts(text: str, paragraphs: tuple[CharSpan, ...] | None = None) -> list[tuple[str, bool]]:
    paragraphs = paragraphs or (CharSpan(0, len(text)),)
    return [(text[q.inner.start:q.inner.end], q.closed) for q in find_quotations(text, paragraphs)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("“We will win,” she said.", [("We will win,", True)]),
        ('"We will win," she said.', [("We will win,", True)]),
        ("«Nous gagnerons», a-t-il dit.", [("Nous gagnerons", True)]),
        ("“We will,” she said, “win.”", [("We will,", True), ("win.", True)]),
        # nested quotations stay inside the outer one
        ("“Prices “will” rise,” she said.", [("Prices “will” rise,", True)]),
        ('"We said \'no\'," she said.', [("We said 'no',", True)]),
        # an opening mark with no closing mark runs to the end of the paragraph
        ("He said “prices will rise.", [("prices will rise.", False)]),
        # a curly quotation reopened without closing ran on
        ("“Prices will rise. “Wages will not.”", [("Prices will rise.", False), ("Wages will not.", True)]),
        # a straight mark glued to a word closes; one after a space opens
        ('The "so-called" plan', [("so-called", True)]),
        ("No quotation here.", []),
        ("”", []),
        ("“”", []),
    ],
)
def test_quotations(text, expected):
    assert inner_texts(text) == expected


def test_quotations_do_not_cross_paragraphs():
    text = "“Prices will rise,\n\n“Wages will not,” she said."
    paragraphs = (CharSpan(0, 18), CharSpan(20, len(text)))
    assert inner_texts(text, paragraphs) == [("Prices will rise,", False), ("Wages will not,", True)]


@given(st.text(alphabet="ab “”\"'«»\n,.", max_size=60))
def test_any_marks_give_well_formed_quotations(text):
    for quotation in find_quotations(text, (CharSpan(0, len(text)),)):
        assert quotation.outer.start <= quotation.inner.start <= quotation.inner.end <= quotation.outer.end <= len(text)
