"""Keep spaCy's tokenizer linear on very long runs of non-space characters.

spaCy's rule tokenizer strips prefixes and suffixes from each whitespace-delimited chunk one at a
time, searching the rest of the chunk each time, so a chunk of n punctuation marks (10,000 quotation
marks, "$$$$...", ",,,,...") costs O(n^2): 4,000 "$" signs took over 20 s. No word of real text is
hundreds of characters long, so a chunk longer than `max_run` is tokenized in pieces of `piece`
characters and the pieces are joined with `Doc.from_docs`. The Doc's text is the input text exactly,
so character offsets are unchanged; text without such a run goes straight to the wrapped tokenizer.
The guard also hands the text to `claimex.components.doc_text`, so that no later step has to join the
Doc's tokens to read it again.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from claimex.components.doc_text import remember_text

MAX_RUN = 256
"""Longest run of non-space characters handed to the tokenizer whole."""

PIECE = 64
"""Length of the pieces a longer run is tokenized in."""


class LongRunGuard:
    """A tokenizer wrapper: same Doc as the wrapped tokenizer unless the text has an overlong run.

    Args:
        tokenizer: the pipeline's tokenizer (any callable from text to Doc).
        max_run: runs of non-space characters longer than this are split into pieces.
        piece: the length of those pieces.
    """

    def __init__(self, tokenizer: Callable[[str], Doc], *, max_run: int = MAX_RUN, piece: int = PIECE) -> None:
        self.tokenizer = tokenizer
        self.max_run = max_run
        self.piece = piece
        self._long_run = re.compile(r"\S{%d,}" % (max_run + 1))

    def __call__(self, text: str) -> Doc:
        if len(text) <= self.max_run or self._long_run.search(text) is None:
            return remember_text(self.tokenizer(text), text)
        docs: list[Doc] = []
        position = 0
        for run in self._long_run.finditer(text):
            if run.start() > position:
                docs.append(self.tokenizer(text[position:run.start()]))
            for start in range(run.start(), run.end(), self.piece):
                docs.append(self.tokenizer(text[start:min(start + self.piece, run.end())]))
            position = run.end()
        if position < len(text):
            docs.append(self.tokenizer(text[position:]))
        return remember_text(Doc.from_docs(docs, ensure_whitespace=False), text)

    def __getattr__(self, name: str) -> Any:
        # everything else (vocab, pipe, to_bytes, rules, ...) is the wrapped tokenizer's
        return getattr(self.tokenizer, name)


def guard_tokenizer(nlp: Language) -> Language:
    """Wrap `nlp.tokenizer` in a `LongRunGuard` (once) and return `nlp`."""
    if not isinstance(nlp.tokenizer, LongRunGuard):
        nlp.tokenizer = LongRunGuard(nlp.tokenizer)
    return nlp
