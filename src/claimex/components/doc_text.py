"""The text of a Doc, read once: `Doc.text` joins the text of every token anew at each call.

`Doc.text` builds a `Token` object for every token and joins their texts, so each read costs as much
as a pass over the Doc in Python (about 0.5 ms per 1,000 tokens). Several steps need the whole text
(paragraphs, sentence extents, the record's spans), so `doc_text(doc)` keeps it for the Doc while the
Doc lives (weakly). The pipeline's tokenizer hands over the text it was given (`remember_text`): a
spaCy Doc's text is exactly its tokenizer's input, so then it is never joined at all.

A Doc's text cannot change once it is made (retokenizing merges and splits tokens but keeps the text),
so a kept text stays right; it is still checked against the Doc's token count and length, so a Doc
rebuilt in place from arrays is read anew.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from spacy.tokens import Doc

_texts: WeakKeyDictionary[Doc, tuple[int, str]] = WeakKeyDictionary()


def remember_text(doc: Doc, text: str) -> Doc:
    """Keep `text` as the text of `doc` (the tokenizer's input, which is the Doc's text); returns `doc`."""
    _texts[doc] = (len(doc), text)
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined at most once per Doc.

    Objects that are not Docs but carry a `text` (the merged view of a long article's pieces) give
    their `text` as it is.
    """
    if not isinstance(doc, Doc):
        return doc.text
    kept = _texts.get(doc)
    if kept is not None and kept[0] == len(doc) and _ends_at(doc, len(kept[1])):
        return kept[1]
    text = doc.text
    _texts[doc] = (len(doc), text)
    return text


def _ends_at(doc: Doc, length: int) -> bool:
    """Whether the Doc's last token (with its trailing space) ends at character `length`."""
    if len(doc) == 0:
        return length == 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == length
