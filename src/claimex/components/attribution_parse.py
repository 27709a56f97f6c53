"""Readings of a dependency parse for attribution, used when the pipeline has a parser (accurate).

The rules place subjects by position ("opening a sentence or a clause after a comma"), which also takes
the place in "Toronto, Ont., said" or the person in "met Jane Doe, who ..." for a subject. Where a
trained parser ran, its reading of the grammatical subject is the better evidence.
"""

from __future__ import annotations

from collections.abc import Collection

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


PARSE_RULE = "parse.subject"
NAME_TYPES = frozenset({"PERSON", "ORG"})
SUBJECT_LIMIT = 8  # tokens of a subject phrase taken as the speaker ("Green party leader Elizabeth May")
BETWEEN_DEPS = frozenset({"aux", "advmod", "npadvmod"})  # "has said", "also said", "has for years been saying"


def subject_cue_candidates(doc: Doc, verb_forms: Collection[str]) -> list[tuple[int, int, dict[str, tuple[int, ...]]]]:
    """Speakers the parse finds where the rules' layouts do not ("..., while Green party leader Elizabeth
    May has said the Greens won't run"): a reporting verb of a main clause with a named subject
    before it and a reported clause (ccomp) after it. Returns (start, end, roles) per candidate; nothing
    without a parse. The subject must be a name the entities hold (PERSON or ORG), so the speaker is
    named (pronouns are the patterns' and the resolver's); a negated verb ("has not said") reports nothing.
    """
    if not has_parse(doc):
        return []
    found = []
    for token in doc:
        if token.pos_ != "VERB" or token.lower_ not in verb_forms or token.dep_ not in ("ROOT", "conj"):
            continue
        children = list(token.children)
        subject = next((c for c in children if c.dep_ == "nsubj" and c.i < token.i), None)
        if subject is None or not any(c.dep_ == "ccomp" and c.i > token.i for c in children):
            continue
        if any(c.dep_ == "neg" for c in children):
            continue
        if not (subject.pos_ == "PROPN" and subject.ent_type_ in NAME_TYPES):
            continue
        start = subject.left_edge.i
        end = subject.i + 1  # the head and what precedes it: "leader Elizabeth May", not "May, who ..."
        while end < token.i and doc[end].ent_type_ == subject.ent_type_ and doc[end].ent_iob_ == "I":
            end += 1
        if end - start > SUBJECT_LIMIT or any(t.is_punct for t in doc[start:end]):
            continue
        between = doc[end:token.i]
        if any(t.dep_ not in BETWEEN_DEPS or t.head.i != token.i for t in between):
            continue
        roles = {"speaker": tuple(range(start, end)), "cue": (token.i,)}
        if len(between):
            roles["skip"] = tuple(range(end, token.i))
        found.append((start, token.i + 1, roles))
    return found
