"""Plain Python lists of a Doc's token texts and lexical flags, read once per Doc.

Rule code that walks a Doc token by token pays for a new `Token` object at every `doc[i]` and a
string-store lookup at every `.text` or `.lower_`; a component that looks at each token several
times (entity chunking, headline and table lines, product shapes) spends most of its time there.
`token_table(doc)` reads every token's word id, spacing and character offset in one vectorised call
(`Doc.to_array`) and each word's text, lower-case form and lexical flags from a cache kept per
vocabulary (each word is read from its lexeme once per process), so loops index plain lists instead.
The cache assumes, as spaCy's own attribute caches do, that a lexeme's flags are not changed after
the word has been seen.

The table holds only what the tokens' words and spacing determine. It is kept for the Doc while the
Doc lives (weakly, so it is freed with the Doc) and rebuilt whenever the Doc's tokens differ from the
ones it was read from (after retokenization, say). Sentence starts, entities and other annotations
that components change are not in it: read those from the Doc.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy
from spacy.attrs import (
    IDX,
    IS_ALPHA,
    IS_DIGIT,
    IS_LOWER,
    IS_PUNCT,
    IS_QUOTE,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LIKE_NUM,
    ORTH,
    SPACY,
)
from spacy.lexeme import Lexeme
from spacy.tokens import Doc
from spacy.vocab import Vocab

_ATTRS = [ORTH, SPACY, IDX]
_WHITESPACE = ("", " ")  # `token.whitespace_` by the SPACY flag
# The lexical flags of the table, by field: each is a bit of a lexeme's `flags` (bit k is attribute id k).
_FLAGS = {
    "is_alpha": IS_ALPHA,
    "is_lower": IS_LOWER,
    "is_upper": IS_UPPER,
    "is_title": IS_TITLE,
    "is_space": IS_SPACE,
    "is_punct": IS_PUNCT,
    "is_quote": IS_QUOTE,
    "like_num": LIKE_NUM,
    "is_digit": IS_DIGIT,
}
_MASKS = [1 << bit for bit in _FLAGS.values()]  # each flag's bit in a lexeme's `flags`
_CACHED_VOCABS = 4  # vocabularies with a word cache (a process seldom uses more than one or two)
_CACHE_LIMIT = 1_000_000  # words per cache; a full cache is emptied and refilled

# Per Vocab (by id, holding the Vocab so the id is not reused): a map from word id to the word's row,
# (text, lower-case form, then its lexical flags in the order of `_FLAGS`). These belong to the token's
# lexeme, the same wherever the word occurs, so each word is read from the vocabulary once instead of
# at every token. One map of rows, transposed per Doc with `zip`, looks each token up once (the maps
# are large and a lookup mostly waits for memory); the rows are shared by every token of the word, so
# transposing them allocates nothing per token.
WordRow = tuple[str | bool, ...]  # (text, lower, is_alpha, is_lower, ...): see `_word_row`
_words: dict[int, tuple[Vocab, dict[int, WordRow]]] = {}


@dataclass(frozen=True, eq=False)
class TokenTable:
    """Per token i: `text[i]` is `doc[i].text`, `lower[i]` is `doc[i].lower_`, and so on."""

    orth: numpy.ndarray
    text: list[str]
    lower: list[str]
    whitespace: list[str]
    idx: list[int]  # `doc[i].idx`, the character offset of the token in the Doc's text
    is_alpha: list[bool]
    is_lower: list[bool]
    is_upper: list[bool]
    is_title: list[bool]
    is_space: list[bool]
    is_punct: list[bool]
    is_quote: list[bool]
    like_num: list[bool]
    is_digit: list[bool]

    @classmethod
    def read(cls, doc: Doc) -> TokenTable:
        """Read the table of a Doc: one array of word ids, spacing and offsets; the words' strings and
        flags from the per-vocabulary word cache, one row per token transposed into columns."""
        values = doc.to_array(_ATTRS) if len(doc) else numpy.zeros((0, len(_ATTRS)), dtype="uint64")
        orth, spacy, idx = values.T.tolist()
        columns = [list(column) for column in zip(*_word_rows(doc.vocab, orth))] or [[] for _ in range(2 + len(_FLAGS))]
        return cls(
            orth=values[:, 0].copy(),
            text=columns[0],
            lower=columns[1],
            whitespace=list(map(_WHITESPACE.__getitem__, spacy)),
            idx=idx,
            **dict(zip(_FLAGS, columns[2:])),
        )

    def __len__(self) -> int:
        return len(self.text)

    def span_text(self, start: int, end: int) -> str:
        """`doc[start:end].text`: the tokens' texts and the spaces between them (none after the last)."""
        if end - start == 1:
            return self.text[start]
        if end <= start:
            return ""
        last = end - 1
        return "".join([text + space for text, space in zip(self.text[start:last], self.whitespace[start:last])]) + self.text[last]


def _word_rows(vocab: Vocab, orth: list[int]) -> list[WordRow]:
    """The rows (text, lower-case form, lexical flags) of the word ids, read from the vocabulary once per word."""
    held = _words.get(id(vocab))
    if held is None or held[0] is not vocab or len(held[1]) > _CACHE_LIMIT:
        if held is None and len(_words) >= _CACHED_VOCABS:
            _words.pop(next(iter(_words), None), None)
        held = _words[id(vocab)] = (vocab, {})
    rows = held[1]
    try:
        return list(map(rows.__getitem__, orth))
    except KeyError:  # words not seen before
        for word in set(orth).difference(rows):
            rows[word] = _word_row(vocab[word])
        return list(map(rows.__getitem__, orth))


def _word_row(lexeme: Lexeme) -> WordRow:
    """A word's row: its text, lower-case form and the flags of `_FLAGS` (bit k of `flags` is attribute k)."""
    return (lexeme.orth_, lexeme.lower_, *map(bool, map(lexeme.flags.__and__, _MASKS)))


_tables: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()
# Docs whose tokens a `fixed_tokens` block holds still: id -> (Doc, table, nesting depth).
_fixed: dict[int, tuple[Doc, TokenTable, int]] = {}


def token_table(doc: Doc) -> TokenTable:
    """The token table of a Doc, read once and reused while its tokens stay the same."""
    fixed = _fixed.get(id(doc))
    if fixed is not None and fixed[0] is doc:
        return fixed[1]
    table = _tables.get(doc)
    if table is not None and len(table) == len(doc) and numpy.array_equal(table.orth, doc.to_array(ORTH)):
        return table
    table = TokenTable.read(doc)
    _tables[doc] = table
    return table


@contextmanager
def fixed_tokens(doc: Doc) -> Iterator[TokenTable]:
    """A block in which the Doc is not retokenized: `token_table(doc)` then returns its table at once.

    Checking that the tokens did not change reads every token's id again; a component that asks for
    the table from many places saves that by running its work for a Doc inside this block.
    """
    key = id(doc)
    held = _fixed.get(key)
    if held is not None and held[0] is doc:
        table = held[1]
        _fixed[key] = (doc, table, held[2] + 1)
    else:
        table = token_table(doc)
        _fixed[key] = (doc, table, 1)
    try:
        yield table
    finally:
        held = _fixed.get(key)
        if held is not None and held[2] > 1:
            _fixed[key] = (doc, table, held[2] - 1)
        else:
            _fixed.pop(key, None)
