"""Readings of a dependency parse for attribution, used when the pipeline has a parser (accurate).

The rules place subjects by position ("opening a sentence or a clause after a comma"), which also takes
the place in "Toronto, Ont., said" or the person in "met Jane Doe, who ..." for a subject. Where a
trained parser ran, its reading of the grammatical subject is the better evidence.
"""

from __future__ import annotations

from spacy.tokens import Doc

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# clauses inside another: their subjects are said or described, not the sentence's ("Doe said Roe has ...")
EMBEDDED_DEPS = frozenset({"ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "csubj"})
# a name in apposition to, coordinated with or compounded into a subject stands with it
ATTACHED_DEPS = frozenset({"appos", "conj", "compound", "flat"})


_HAS_PARSE_KEY = "claimex.has_parse"


def has_parse(doc: Doc) -> bool:
    """Whether a trained parser set dependency arcs on the doc.

    `Doc.has_annotation` reads every token, and this is asked once per pronoun, so the answer is kept
    in the doc's `user_data` (a doc is parsed before the attribution component runs, never after).
    """
    known = doc.user_data.get(_HAS_PARSE_KEY)
    if known is None:
        known = doc.user_data[_HAS_PARSE_KEY] = doc.has_annotation("DEP")
    return bool(known)


def is_subject(doc: Doc, start_char: int, end_char: int) -> bool | None:
    """Whether the mention at `start_char`..`end_char` is (part of) the subject of a main clause by the
    parse, not of a reported or embedded one; None when the doc has no parse or the mention does not
    align with tokens."""
    if not has_parse(doc):
        return None
    span = doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(4):  # "Jane Doe, the minister, said": appos -> nsubj
        if token.dep_ in SUBJECT_DEPS:
            return token.head.dep_ not in EMBEDDED_DEPS
        if token.dep_ not in ATTACHED_DEPS or token.head is token:
            return False
        token = token.head
    return False
