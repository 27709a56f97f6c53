"""A Doc's sentences as a list of bounds, read once from the sentence-start flags.

`doc.sents` and `token.sent` walk the Doc token by token each time they are asked, and attribution asks
for the sentence of a token many times per article. `sentences(doc)` reads the `SENT_START` column once
(numpy) and finds the sentence of a token by bisection. Attribution reads only where a sentence starts
and ends (tokens and characters), so each sentence is a small `Sentence` tuple with the `start`, `end`,
`start_char` and `end_char` of the span `doc.sents` would make, not a `Span` object.
Inside a `fixed_sentences` block (a component that asks many times) it is read once; outside one it is
read at each call, since sentence boundaries may change between components. A Doc without sentence
boundaries, or one whose sentences a user hook defines, gets None: callers then ask spaCy.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span

from claimex.components.token_table import token_table


class Sentence(NamedTuple):
    """A sentence's token range and character extent, as the `Span` `doc.sents` yields has them."""

    start: int
    end: int
    start_char: int
    end_char: int


AnySentence = Sentence | Span  # a `Sentence`, or the Span spaCy gives when the flags cannot be read


@dataclass(frozen=True, eq=False)
class Sentences:
    """The sentences of a Doc (as `doc.sents` yields them, as `Sentence` bounds) and their first tokens."""

    spans: list[Sentence]
    starts: list[int]
    flags: np.ndarray  # the SENT_START column they were read from

    def of(self, i: int) -> Sentence:
        """The sentence that holds token `i` (as `doc[i].sent`)."""
        return self.spans[bisect.bisect_right(self.starts, i) - 1]


# Docs whose sentence boundaries a `fixed_sentences` block holds still: id -> (Doc, sentences, nesting depth).
_fixed: dict[int, tuple[Doc, Sentences | None, int]] = {}


def sentences(doc: Doc) -> Sentences | None:
    """The sentences of a Doc; None when it has no sentence boundaries or hooks define them."""
    fixed = _fixed.get(id(doc))
    if fixed is not None and fixed[0] is doc:
        return fixed[1]
    if "sents" in doc.user_hooks or "sent" in doc.user_span_hooks or "sent" in doc.user_token_hooks or not len(doc) or not doc.has_annotation("SENT_START"):
        return None
    flags = doc.to_array(SENT_START)
    starts = [0] + (np.flatnonzero(flags[1:] == 1) + 1).tolist()
    ends = starts[1:] + [len(doc)]
    table = token_table(doc)
    idx, text = table.idx, table.text
    # a Span's end_char is the end of its last token's text
    spans = [Sentence(start, end, idx[start], idx[end - 1] + len(text[end - 1])) for start, end in zip(starts, ends)]
    return Sentences(spans, starts, flags)


def sentence_list(doc: Doc) -> list[AnySentence]:
    """`list(doc.sents)`, or the whole Doc as one sentence when it has no boundaries."""
    known = sentences(doc)
    if known is not None:
        return known.spans
    return list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]


def sentence_of(doc: Doc, i: int) -> AnySentence:
    """`doc[i].sent`, by bisection."""
    known = sentences(doc)
    return known.of(i) if known is not None else doc[i].sent


@contextmanager
def fixed_sentences(doc: Doc) -> Iterator[Sentences | None]:
    """A block in which the Doc's sentence boundaries do not change: `sentences(doc)` then returns them
    without reading the flags again to check (a component that asks for many sentences uses one)."""
    key = id(doc)
    held = _fixed.get(key)
    if held is not None and held[0] is doc:
        _fixed[key] = (doc, held[1], held[2] + 1)
    else:
        _fixed[key] = (doc, sentences(doc), 1)
    try:
        yield _fixed[key][1]
    finally:
        doc_, known, depth = _fixed[key]
        if depth > 1:
            _fixed[key] = (doc_, known, depth - 1)
        else:
            del _fixed[key]
