"""entities_merge: trained NER mentions corrected and completed by the rule readings a policy trusts.

The merge is tested on hand-made docs (a blank tokenizer, trained mentions set as `doc.ents`), so it
needs no trained model; `tests/test_accurate.py` runs the real accurate pipeline.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc, Span

from claimex.components.entities_merge import (
    TRAINED_RULE,
    MergePolicy,
    consistent_labels,
    matches,
    merge,
    trained_candidates,
)
from claimex.components.entities_rules import Candidate

TITLES = frozenset({"king", "president", "chief", "justice"})
LEGAL = frozenset({"inc.", "corp.", "co."})
POLICY = MergePolicy(
    relabel=frozenset({"gazetteer.country", "head.fac"}),
    inside=frozenset({"person.title", "head."}),
    outside=frozenset({"guess.team"}),
    fill_text=frozenset({"gazetteer.country"}),
    fill_lines=frozenset({"gazetteer.", "guess."}),
    fill_over_other=frozenset(),
)


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("en")


def make_doc(nlp, text: str, ents: list[tuple[int, int, str]]) -> Doc:
    doc = nlp(text)
    doc.ents = [Span(doc, start, end, label=label) for start, end, label in ents]
    return doc


def run(doc: Doc, rules: list[Candidate], lines: list[bool] | None = None, policy: MergePolicy = POLICY) -> list[tuple[str, str, str]]:
    merged = merge(doc, trained_candidates(doc), rules, policy, lines=lines or [False] * len(doc), titles=TITLES, legal_forms=LEGAL)
    return [(doc[c.start : c.end].text, c.label, c.rule) for c in merged]


def test_rule_ids_match_exactly_or_by_prefix():
    ids = frozenset({"gazetteer.country", "guess."})
    assert matches("gazetteer.country", ids)
    assert matches("guess.team", ids)
    assert not matches("gazetteer.city", ids)


def test_trained_mentions_of_other_types_are_not_candidates(nlp):
    doc = make_doc(nlp, "Officials met on Monday in Oslo .", [(3, 4, "DATE"), (5, 6, "GPE")])
    assert [(c.start, c.end, c.label) for c in trained_candidates(doc)] == [(5, 6, "GPE")]


def test_agreement_keeps_the_trained_span_with_the_rule_key(nlp):
    doc = make_doc(nlp, "Talks in Oslo ended .", [(2, 3, "GPE")])
    rule = Candidate(2, 3, "GPE", "gazetteer.city", 4, key="city:oslo")
    merged = merge(doc, trained_candidates(doc), [rule], POLICY, lines=[False] * len(doc), titles=TITLES)
    assert [(c.rule, c.key) for c in merged] == [(TRAINED_RULE, "city:oslo")]


def test_a_trusted_relabel_wins_and_an_untrusted_one_does_not(nlp):
    doc = make_doc(nlp, "Norway and Zorba signed .", [(0, 1, "PERSON"), (2, 3, "GPE")])
    rules = [Candidate(0, 1, "GPE", "gazetteer.country", 7), Candidate(2, 3, "PERSON", "guess.name", 2)]
    assert run(doc, rules) == [("Norway", "GPE", "gazetteer.country"), ("Zorba", "GPE", TRAINED_RULE)]


def test_a_title_reading_strips_titles_but_not_given_names(nlp):
    doc = make_doc(nlp, "King Olav V met Chief Justice John Doe .", [(0, 3, "PERSON"), (4, 8, "PERSON")])
    rules = [Candidate(1, 3, "PERSON", "person.title", 5, roles=("king",)), Candidate(7, 8, "PERSON", "person.title", 5)]
    assert run(doc, rules) == [("Olav V", "PERSON", "person.title"), ("Chief Justice John Doe", "PERSON", TRAINED_RULE)]


def test_a_place_possessor_is_no_part_of_the_name_but_other_possessors_are(nlp):
    doc = make_doc(nlp, "Norway 's Fisheries Office and Doe 's Rating Service", [(0, 4, "ORG"), (5, 9, "ORG")])
    rules = [
        Candidate(0, 1, "GPE", "gazetteer.country", 7),
        Candidate(2, 4, "ORG", "head.org", 6),
        Candidate(7, 9, "ORG", "head.org", 6),
    ]
    merged = run(doc, rules)
    assert ("Fisheries Office", "ORG", "head.org") in merged
    assert ("Doe 's Rating Service", "ORG", TRAINED_RULE) in merged


def test_an_article_keeps_the_trained_span_and_takes_a_trusted_label(nlp):
    doc = make_doc(nlp, "Ships reach the Bergen Port daily .", [(2, 5, "ORG")])
    assert run(doc, [Candidate(3, 5, "FAC", "head.fac", 6)]) == [("the Bergen Port", "FAC", TRAINED_RULE)]


def test_headline_lines_use_the_rules_instead_of_the_trained_ner(nlp):
    doc = make_doc(nlp, "SOCCER - NORWAY BEAT MALTA", [(0, 5, "ORG")])
    rules = [Candidate(2, 3, "GPE", "gazetteer.country", 7), Candidate(4, 5, "GPE", "gazetteer.country", 7)]
    assert run(doc, rules, lines=[True] * len(doc)) == [("NORWAY", "GPE", "gazetteer.country"), ("MALTA", "GPE", "gazetteer.country")]


def test_gaps_are_filled_only_by_trusted_rules_and_not_over_other_types(nlp):
    doc = make_doc(nlp, "Norway sold Zorbex in Lent .", [(4, 5, "DATE")])
    rules = [
        Candidate(0, 1, "GPE", "gazetteer.country", 7),
        Candidate(2, 3, "ORG", "guess.word", 2),
        Candidate(4, 5, "GPE", "gazetteer.country", 7),
    ]
    assert run(doc, rules) == [("Norway", "GPE", "gazetteer.country")]


def test_a_firm_named_after_people_stays_an_organisation(nlp):
    doc = make_doc(nlp, "Smith & Jones audited it .", [(0, 3, "ORG")])
    policy = MergePolicy(relabel=frozenset({"person.given_name"}))
    assert run(doc, [Candidate(0, 3, "PERSON", "person.given_name", 2)], policy=policy) == [("Smith & Jones", "ORG", TRAINED_RULE)]


def test_one_label_per_name_in_an_article(nlp):
    text = "Oslo - Anna Berg said . Berg met Zorbex Corp. in Oslo . Zorbex grew ."
    doc = nlp(text)
    words = [t.text for t in doc]
    oslo2 = words.index("Oslo", 1)
    mentions = [
        Candidate(0, 1, "PERSON", TRAINED_RULE, 9),
        Candidate(2, 4, "PERSON", TRAINED_RULE, 9),
        Candidate(6, 7, "LOC", TRAINED_RULE, 9),
        Candidate(8, 10, "ORG", TRAINED_RULE, 9),
        Candidate(oslo2, oslo2 + 1, "GPE", "gazetteer.city", 4, key="city:oslo"),
        Candidate(len(doc) - 3, len(doc) - 2, "PERSON", TRAINED_RULE, 9),
    ]
    fixed = consistent_labels(doc, mentions, LEGAL)
    assert [(doc[c.start : c.end].text, c.label) for c in fixed] == [
        ("Oslo", "GPE"),
        ("Anna Berg", "PERSON"),
        ("Berg", "PERSON"),
        ("Zorbex Corp.", "ORG"),
        ("Oslo", "GPE"),
        ("Zorbex", "ORG"),
    ]
    assert fixed[0].key == "city:oslo"


def test_a_surname_that_also_names_a_firm_keeps_its_label(nlp):
    doc = nlp("Tom Zorbex founded Zorbex & Zorbex . Zorbex grew .")
    mentions = [
        Candidate(0, 2, "PERSON", TRAINED_RULE, 9),
        Candidate(3, 6, "ORG", TRAINED_RULE, 9),
        Candidate(7, 8, "ORG", TRAINED_RULE, 9),
    ]
    assert [c.label for c in consistent_labels(doc, mentions, LEGAL)] == ["PERSON", "ORG", "ORG"]


def test_a_credit_run_into_a_full_name_does_not_make_the_surname_a_firm(nlp):
    doc = nlp("Photo : Daily Post Ana Vesta . Ana Vesta spoke . Vesta smiled .")
    words = [t.text for t in doc]
    vesta = words.index("Vesta", 8)
    mentions = [
        Candidate(2, 6, "ORG", TRAINED_RULE, 9),  # "Daily Post Ana Vesta": a credit glued to the name
        Candidate(7, 9, "PERSON", TRAINED_RULE, 9),
        Candidate(vesta, vesta + 1, "GPE", TRAINED_RULE, 9),
    ]
    fixed = consistent_labels(doc, mentions, LEGAL)
    assert [(doc[c.start : c.end].text, c.label) for c in fixed] == [
        ("Daily Post Ana Vesta", "ORG"),
        ("Ana Vesta", "PERSON"),
        ("Vesta", "PERSON"),
    ]


def test_the_factory_rejects_unknown_policy_keys():
    nlp = spacy.blank("en")
    with pytest.raises(ValueError, match="unknown trained_merge keys"):
        nlp.add_pipe("claimex_entities", config={"trained_merge": {"relabels": ["gazetteer.country"]}})
