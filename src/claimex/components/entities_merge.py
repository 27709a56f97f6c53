"""Merging a trained NER's mentions with the rule readings (the accurate pipeline).

The trained NER (en_core_web_sm) is the better reader of running text: its spans follow OntoNotes
("the Central Bank", "British Rail"), and where it tags nothing the words are usually no name.
The rules are the better reader where the text is not running prose (headlines in capitals, results
tables: there the trained NER makes one long ORG of "SOCCER - NORWAY BEAT MALTA"), and some rule readings
carry evidence the trained NER does not use: a gazetteer country, a title before a name, an acronym
defined in brackets, a team in a sports line, a product read from its shape. `MergePolicy` says, per
rule id, when a rule reading wins over a trained mention it conflicts with; it is data, set in the
accurate pipeline's `config.cfg`. The trust per rule and relation was measured on CoNLL-2003,
OntoNotes newswire and MEANTIME (see `benchmarks/entities.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Doc

from claimex.components.entities_rules import PRIORITY_DEFINITION, Candidate

TRAINED_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
TRAINED_RULE = "trained_ner"


def matches(rule: str, ids: frozenset[str]) -> bool:
    """Whether a rule id is one of `ids` or starts with one of its prefixes (ids ending in ".")."""
    if rule in ids:
        return True
    return any(rule.startswith(prefix) for prefix in ids if prefix.endswith("."))


@dataclass(frozen=True)
class MergePolicy:
    """Which rule readings win over the trained NER, by how the two readings relate.

    relabel: same tokens, another label ("Uruguay" GPE over a trained NORP); also the label of a
        trained mention that is the rule reading with a leading article ("the Bergen Port").
    inside: a rule reading inside a longer trained mention ("Olav V" in "King Olav V"); a
        title reading wins only where the extra trained words are titles.
    outside: a rule reading that contains exactly one shorter trained mention.
    fill_text: rule readings that fill gaps the trained NER left in running text.
    fill_lines: rule readings that fill headline and table lines, where trained mentions are dropped.
    fill_over_other: rule readings that may also replace trained mentions of other types (dates,
        works of art) in running text.
    """

    relabel: frozenset[str] = frozenset()
    inside: frozenset[str] = frozenset()
    outside: frozenset[str] = frozenset()
    fill_text: frozenset[str] = frozenset()
    fill_lines: frozenset[str] = frozenset()
    fill_over_other: frozenset[str] = frozenset()


def trained_candidates(doc: Doc) -> list[Candidate]:
    """The entities a trained NER earlier in the pipeline set, as candidates of the record's types.

    Dates, amounts and numbers have their own components; they only block weak rule readings.
    """
    return [
        Candidate(ent.start, ent.end, ent.label_, TRAINED_RULE, PRIORITY_DEFINITION + 1)
        for ent in doc.ents
        if ent.label_ in TRAINED_LABELS
    ]


def other_trained_tokens(doc: Doc) -> list[bool]:
    """Tokens of trained mentions of types outside the record's scheme (DATE, WORK_OF_ART, ...)."""
    flags = [False] * len(doc)
    for ent in doc.ents:
        if ent.label_ not in TRAINED_LABELS:
            for i in range(ent.start, ent.end):
                flags[i] = True
    return flags


def merge(
    doc: Doc,
    trained: Sequence[Candidate],
    rules: Sequence[Candidate],
    policy: MergePolicy,
    *,
    lines: Sequence[bool],
    titles: Collection[str],
    legal_forms: Collection[str] = (),
    roles: Collection[str] = (),
) -> list[Candidate]:
    """Trained mentions, corrected and completed by the rule readings the policy trusts.

    `rules` are the resolved (non-overlapping) rule readings; `lines` flags headline and table tokens;
    `titles` are the lower-case title words ("king", "president") a title reading may strip;
    `legal_forms` the lower-case endings of company names ("inc.", "corp.", see `consistent_labels`);
    `roles` lower-case role nouns: a trained person that ends in one ("Yellowhead MP") is no name.
    """
    trained = [t for t in trained if not any(lines[t.start : t.end]) and not _crosses_line(doc, t) and not _ends_in_role(doc, t, roles)]
    winners: list[Candidate] = []
    displaced: set[int] = set()
    relabelled: dict[int, Candidate] = {}
    places = {i for c in rules if c.label in ("GPE", "LOC") for i in range(c.start, c.end)}
    owner: list[int | None] = [None] * len(doc)  # token -> index of the trained mention over it
    for k, t in enumerate(trained):
        for i in range(t.start, t.end):
            owner[i] = k
    for r in rules:
        over = dict.fromkeys(owner[i] for i in range(r.start, r.end) if owner[i] is not None)
        relation, conflicting = _relation(r, [trained[k] for k in over])
        if _wins(doc, r, relation, conflicting, policy, titles, places):
            winners.append(r)
            displaced.update(id(t) for t in conflicting)
        elif relation == "inside" and _article_only(doc, r, conflicting[0]) and matches(r.rule, policy.relabel):
            relabelled[id(conflicting[0])] = r  # "the Bergen Port": the trained span, the rule's label
    taken = [False] * len(doc)
    kept: list[Candidate] = []

    def keep(c: Candidate) -> None:
        for i in range(c.start, c.end):
            taken[i] = True
        kept.append(c)

    for r in winners:
        keep(r)
    same_span = {(c.start, c.end): c for c in rules}
    for t in trained:
        if id(t) in displaced or any(taken[t.start : t.end]):
            continue
        rule = same_span.get((t.start, t.end))
        if id(t) in relabelled:
            rule = relabelled[id(t)]
            t = replace(t, label=rule.label, key=rule.key, roles=rule.roles, gender=rule.gender)
        elif rule is not None and rule.label == t.label:  # agreement: the rule adds its key, roles, gender
            t = replace(t, key=rule.key, roles=rule.roles, gender=rule.gender, aliases=rule.aliases)
        keep(t)
    other = other_trained_tokens(doc)
    for r in rules:
        if any(taken[r.start : r.end]):
            continue
        if any(lines[r.start : r.end]):
            if matches(r.rule, policy.fill_lines):
                keep(r)
        elif matches(r.rule, policy.fill_text) and (not any(other[r.start : r.end]) or matches(r.rule, policy.fill_over_other)):
            keep(r)
    return consistent_labels(doc, sorted(kept, key=lambda c: (c.start, c.end)), legal_forms)


def consistent_labels(doc: Doc, mentions: list[Candidate], legal_forms: Collection[str]) -> list[Candidate]:
    """One label per name in an article: trained mentions the rules did not confirm take the label the
    article gives the same name elsewhere.

    The trained NER reads each mention from its context alone, so "Oslo" after a dateline can be a
    person and "Berg" a place although the article says "Anna Berg". In order: a name
    the rules confirmed elsewhere (same words, another label) gives its label; a single word that is
    the surname of a full personal name is a person, unless it is also part of an organisation's
    name (a firm named after its founder); the words before a legal form ("Zorbex" of "Zorbex Corp.") are an
    organisation.
    """
    text = [doc[c.start : c.end].text for c in mentions]
    confirmed: dict[str, Candidate] = {}
    for c, t in zip(mentions, text):
        if c.rule != TRAINED_RULE or c.key is not None or c.roles:
            confirmed.setdefault(t, c)
    full_names = {text[i] for i, c in enumerate(mentions) if c.label == "PERSON" and len(text[i].split()) > 1}
    surnames = {name.split()[-1] for name in full_names}
    # an "organisation" that ends in a full personal name of the article is a credit run into the name
    # ("The Canadian Press Anne Marie Cerato"), not a firm named after its founder
    in_orgs = {
        w
        for c, t in zip(mentions, text)
        if c.label == "ORG" and len(t.split()) > 1 and not any(t.endswith(" " + name) for name in full_names)
        for w in t.split()
    }
    surnames -= in_orgs
    companies: set[str] = set()
    for c in mentions:
        words = [tok.text for tok in doc[c.start : c.end] if tok.lower_ != "the"]
        if c.label == "ORG" and len(words) > 1 and words[-1].lower() in legal_forms:
            short = words[:-1]
            if short and short[-1] in (",", "&"):
                short = short[:-1]
            companies.add(" ".join(short))
    out: list[Candidate] = []
    for c, t in zip(mentions, text):
        if c.rule == TRAINED_RULE and c.key is None and not c.roles:
            if t in confirmed:  # same words, same referent: the label and key the rules gave them
                c = replace(c, label=confirmed[t].label, key=confirmed[t].key)
                out.append(c)
                continue
            label = None
            if c.length == 1 and t in surnames:
                label = "PERSON"
            if label is None and t in companies:
                label = "ORG"
            if label is not None and label != c.label:
                c = replace(c, label=label)
        out.append(c)
    return out


def _ends_in_role(doc: Doc, t: Candidate, roles: Collection[str]) -> bool:
    return t.label == "PERSON" and doc[t.end - 1].lower_.rstrip(".") in roles


def _article_only(doc: Doc, r: Candidate, t: Candidate) -> bool:
    """Whether trained mention `t` is rule reading `r` with a leading article ("the Bergen Port")."""
    return t.end == r.end and t.start == r.start - 1 and doc[t.start].lower_ == "the"


def _crosses_line(doc: Doc, c: Candidate) -> bool:
    return any("\n" in doc[i].text for i in range(c.start, c.end))


def _relation(r: Candidate, trained: Sequence[Candidate]) -> tuple[str, list[Candidate]]:
    """How a rule reading relates to the trained mentions it overlaps (among `trained`), and which ones."""
    overlapping = [t for t in trained if t.start < r.end and r.start < t.end]
    if not overlapping:
        return "alone", []
    if len(overlapping) == 1:
        t = overlapping[0]
        if (t.start, t.end) == (r.start, r.end):
            return ("agree" if t.label == r.label else "relabel"), overlapping
        if t.start <= r.start and r.end <= t.end:
            return "inside", overlapping
        if r.start <= t.start and t.end <= r.end:
            return "outside", overlapping
    return "cross", overlapping


def _wins(
    doc: Doc,
    r: Candidate,
    relation: str,
    conflicting: Sequence[Candidate],
    policy: MergePolicy,
    titles: Collection[str],
    places: Collection[int],
) -> bool:
    if r.label == "PERSON" and any(doc[i].text == "&" for i in range(r.start, r.end)):
        return False  # a firm named after people ("Smith & Jones"), whatever a given name suggests
    if relation == "relabel":
        return matches(r.rule, policy.relabel)
    if relation == "outside":
        return matches(r.rule, policy.outside)
    if relation == "inside" and matches(r.rule, policy.inside):
        return r.rule.startswith("acronym.") or _outer_words_not_name(doc, r, conflicting[0], titles, places)
    return False


def _outer_words_not_name(doc: Doc, r: Candidate, t: Candidate, titles: Collection[str], places: Collection[int]) -> bool:
    """Whether the words of trained mention `t` before rule reading `r` are no part of the name: titles
    ("King Olav V", not "Chief Justice John Marshall Doe", where "John" is a name) or a place that owns
    it ("Norway's Fisheries Office", not "Doe's Rating Service")."""
    if t.end != r.end or t.start >= r.start:
        return False
    outer = [doc[i] for i in range(t.start, r.start)]
    if len(outer) > 1 and outer[-1].lower_ in ("'s", "’s"):
        return outer[-2].i in places
    words = [tok.lower_.rstrip(".") for tok in outer if tok.lower_ != "the"]
    return bool(words) and all(w in titles for w in words)


def repeats_of_rules(doc: Doc, chosen: Sequence[Candidate], repeat: Callable[[Doc, Sequence[Candidate]], list[Candidate]]) -> list[Candidate]:
    """Repeats of the rule readings' names, never over a trained mention; trained mentions stay as they are.

    The trained NER already read every occurrence in running text, so repeating its names only spreads
    its errors (a firm read once as a person). The one exception is a trained full personal name: its
    surname alone is repeated where no mention took it ("Morgan McNeely" ... "McNeely was afraid"), as
    the rules do for their own names; the trained NER often leaves a lone surname untagged.
    """
    trained = [c for c in chosen if c.rule == TRAINED_RULE]
    taken = [False] * len(doc)
    for c in trained:
        for i in range(c.start, c.end):
            taken[i] = True
    # a trained full name lends its surname to the names repeated ("Morgan McNeely" ... "McNeely said")
    people = [c for c in trained if c.label == "PERSON" and c.length >= 2]
    found = repeat(doc, [c for c in chosen if c.rule != TRAINED_RULE] + people)
    found = [c for c in found if c.rule != TRAINED_RULE and not (c.rule.startswith("repeat.") and any(taken[c.start : c.end]))]
    return sorted(found + trained, key=lambda c: (c.start, c.end))
