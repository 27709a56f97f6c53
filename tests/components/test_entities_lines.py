"""Headline and list lines: the chunker's quick tests give what the full line tests give.

`Chunker.headline_tokens` passes over running text (`_running_text`: enough lower-case words, one of
them a content word) and `Chunker.list_tokens` over lines with a lower-case word, without the full
tests; both must flag exactly the tokens the full tests (`_flag_line`, `_is_list_line`) flag, on real
news and on made-up lines of capitalised, upper-case, small and lower-case words and numbers.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.components.entities_chunks import _flag_line, _is_list_line, _lines, _words
from claimex.components.token_table import token_table
from tests.conftest import news_texts


def full_tests(chunker, doc) -> tuple[list[bool], list[bool]]:
    """Headline and list flags from the full line tests, over every line."""
    table = token_table(doc)
    headline = [False] * len(doc)
    listed = [False] * len(doc)
    for line in _lines(chunker._word_codes(table)):
        _flag_line(table, line, headline)
        words = _words(table, line)
        if words and _is_list_line(table, line, words):
            listed[line.start : line.stop] = [True] * len(line)
    return headline, listed


@pytest.fixture(scope="module")
def setup(make_nlp):
    nlp = make_nlp("claimex_entities")
    return nlp, nlp.get_pipe("claimex_entities").chunker


def check(nlp, chunker, text: str) -> None:
    doc = nlp.make_doc(text)
    headline, listed = full_tests(chunker, doc)
    assert chunker.headline_tokens(doc) == headline, text[:80]
    assert chunker.list_tokens(doc) == listed, text[:80]


def test_quick_line_tests_equal_the_full_ones_on_news(setup) -> None:
    nlp, chunker = setup
    for text in news_texts(per_set=60) + ["", "KENYA BEATS UGANDA", "France and Kenya to Renew Ties\nJane Doe 3 John Roe 1"]:
        check(nlp, chunker, text)


WORDS = ["Kenya", "the", "and", "of", "to", "said", "talks", "NAIROBI", "UN", "A", "a", "I", "3", "1:18.11", ",", "(",
         ")", ";", "-", "Jane", "Doe", "RENEW", "ties", "x", "Ltd.", "iPhone", "e"]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(st.lists(st.sampled_from(WORDS), max_size=12), min_size=1, max_size=4))
def test_quick_line_tests_equal_the_full_ones_on_made_up_lines(setup, lines: list[list[str]]) -> None:
    nlp, chunker = setup
    check(nlp, chunker, "\n".join(" ".join(words) for words in lines))
