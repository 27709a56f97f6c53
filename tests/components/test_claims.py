"""claimex_claims: which sentences become claims, and what each claim holds."""

from __future__ import annotations

import pytest


def claims(extractor, text):
    record = extractor.extract(text, doc_id="t")
    return [(c.kind, c.statement.text, c.speaker.name if c.speaker else None) for c in record.claims]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices will rise, he said.", [("indirect", "Prices will rise", "he")]),
        ("It rained all day. Prices will rise, he said.", [("indirect", "Prices will rise", "he")]),
        ("Exports grew in 2019.", [("unattributed", "Exports grew in 2019.", None)]),
        ("It rained all day.", []),
        ("", []),
        (
            "“Prices will rise. Wages will not,” the minister said. It cost $5 million.",
            [("direct", "Prices will rise. Wages will not", "the minister"), ("unattributed", "It cost $5 million.", None)],
        ),
    ],
)
def test_claims_by_sentence(extractor, text, expected):
    assert claims(extractor, text) == expected


def test_a_quotation_over_two_sentences_is_one_claim_covering_both(extractor):
    text = "“Prices will rise. Wages will not,” the minister said."
    (claim,) = extractor.extract(text, doc_id="t").claims
    assert claim.sentence.text == text


def test_money_and_years_go_to_the_claim_whose_statement_holds_them(extractor):
    text = "Exports reached $5 million in 2019, said the minister, noting that imports fell."
    first, second = extractor.extract(text, doc_id="t").claims
    assert [m.text for m in first.money] == ["$5 million"] and [y.text for y in first.years] == ["2019"]
    assert second.money == () and second.years == ()
