"""Plain Python lists of a Doc's token texts and lexical flags, read once per Doc.

Rule code that walks a Doc token by token pays for a new `Token` object at every `doc[i]` and a
string-store lookup at every `.text` or `.lower_`; a component that looks at each token several
times (entity chunking, headline and table lines, product shapes) spends most of its time there.
`token_table(doc)` reads every token's text, lower-case form and spacing in one pass and its lexical
flags in one vectorised call (`Doc.to_array`), so loops index plain lists instead.

The table holds only what the tokens' words and spacing determine. It is kept for the Doc while the
Doc lives (weakly, so it is freed with the Doc) and rebuilt whenever the Doc's tokens differ from the
ones it was read from (after retokenization, say). Sentence starts, entities and other annotations
that components change are not in it: read those from the Doc.
"""

from __future__ import annotations

from dataclasses import dataclass
from weakref import WeakKeyDictionary

import numpy
from spacy.attrs import (
    IS_ALPHA,
    IS_LOWER,
    IS_PUNCT,
    IS_QUOTE,
    IS_SPACE,
    IS_TITLE,
    IS_UPPER,
    LIKE_NUM,
    ORTH,
)
from spacy.tokens import Doc

_ATTRS = [ORTH, IS_ALPHA, IS_LOWER, IS_UPPER, IS_TITLE, IS_SPACE, IS_PUNCT, IS_QUOTE, LIKE_NUM]


@dataclass(frozen=True, eq=False)
class TokenTable:
    """Per token i: `text[i]` is `doc[i].text`, `lower[i]` is `doc[i].lower_`, and so on."""

    orth: numpy.ndarray
    text: list[str]
    lower: list[str]
    whitespace: list[str]
    is_alpha: list[bool]
    is_lower: list[bool]
    is_upper: list[bool]
    is_title: list[bool]
    is_space: list[bool]
    is_punct: list[bool]
    is_quote: list[bool]
    like_num: list[bool]

    @classmethod
    def read(cls, doc: Doc) -> TokenTable:
        """Read the table of a Doc: one pass over its tokens for the strings, one array for the flags."""
        text: list[str] = []
        lower: list[str] = []
        whitespace: list[str] = []
        for token in doc:
            text.append(token.text)
            lower.append(token.lower_)
            whitespace.append(token.whitespace_)
        values = doc.to_array(_ATTRS) if len(doc) else numpy.zeros((0, len(_ATTRS)), dtype="uint64")
        flags = [[value == 1 for value in column] for column in values[:, 1:].T.tolist()]
        return cls(
            orth=values[:, 0].copy(),
            text=text,
            lower=lower,
            whitespace=whitespace,
            is_alpha=flags[0],
            is_lower=flags[1],
            is_upper=flags[2],
            is_title=flags[3],
            is_space=flags[4],
            is_punct=flags[5],
            is_quote=flags[6],
            like_num=flags[7],
        )

    def __len__(self) -> int:
        return len(self.text)


_tables: WeakKeyDictionary[Doc, TokenTable] = WeakKeyDictionary()


def token_table(doc: Doc) -> TokenTable:
    """The token table of a Doc, read once and reused while its tokens stay the same."""
    table = _tables.get(doc)
    if table is not None and len(table) == len(doc) and numpy.array_equal(table.orth, doc.to_array(ORTH)):
        return table
    table = TokenTable.read(doc)
    _tables[doc] = table
    return table
