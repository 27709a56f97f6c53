"""records: ids, provenance and the error record."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.records import claim_id, normalise_statement

TEXT = "Exports reached $5 million in 2019, said the minister. Exports reached $5 million in 2019, said the minister."


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Prices will rise.", "prices  will rise"),
        ("“Prices” will rise", '"Prices" will rise'),
        ("Prices will rise – soon", "Prices will rise - soon"),
    ],
)
def test_statements_that_differ_only_in_form_normalise_alike(a, b):
    assert normalise_statement(a) == normalise_statement(b)


_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalised_by_definition(text: str) -> str:
    """NFKC, quotes and dashes folded, case-folded, whitespace runs to one space, closing punctuation off."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return re.sub(r"\s+", " ", text).strip().rstrip(".!?;:,").strip()


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZé ß\t\n\u00a0\u2028.!?,;:“”„«»‘’–—'\"-ﬁＡ")) | st.characters(), max_size=40))
def test_statements_normalise_as_defined(text: str) -> None:
    assert normalise_statement(text) == normalised_by_definition(text)


def test_claim_ids_depend_on_doc_speaker_and_statement():
    base = claim_id("d", "Jane Doe", "Prices will rise")
    assert base == claim_id("d", "Jane Doe", "prices will rise.")
    assert len({base, claim_id("e", "Jane Doe", "Prices will rise"), claim_id("d", "John Doe", "Prices will rise"),
                claim_id("d", "Jane Doe", "Prices will fall")}) == 4


def test_repeated_claims_get_distinct_ids_in_text_order(extractor):
    first, second = extractor.extract(TEXT, doc_id="t").claims
    assert second.id == first.id + "-2"


def test_same_text_gives_same_ids_in_another_run(extractor):
    assert [c.id for c in extractor.extract(TEXT, doc_id="t").claims] == [c.id for c in extractor.extract(TEXT, doc_id="t").claims]


def test_every_fact_names_the_rule_that_found_it(extractor):
    record = extractor.extract(TEXT, doc_id="t")
    claim = record.claims[0]
    assert claim.cue.rule and claim.speaker.rule and all(m.rule for m in claim.money) and all(y.rule for y in claim.years)


def test_errors_keep_the_doc_id(extractor):
    (record,) = extractor.pipe([("   ", "blank-1")])
    assert (record.doc_id, record.status, record.error.type) == ("blank-1", "error", "EmptyArticle")


def test_articles_over_the_size_limit_give_an_error_record():
    from claimex.extractor import Extractor

    record = Extractor(max_chars=10).extract("A sentence that is long enough.", doc_id="long")
    assert record.status == "error" and record.error.type == "ArticleTooLong"


def test_records_are_validated_as_a_whole(extractor):
    """The record is built as plain data and validated once: a bad value still fails validation."""
    from dataclasses import replace

    import pydantic

    from claimex.records import doc_to_record

    doc = extractor.nlp(TEXT)
    record = doc_to_record(doc, doc_id="t", pipeline=extractor.meta)
    assert record == extractor.extract(TEXT, doc_id="t")
    money = list(doc._.claimex_money)
    money[0] = replace(money[0], amount="five")
    doc._.claimex_money = tuple(money)
    with pytest.raises(pydantic.ValidationError, match="plain decimal string"):
        doc_to_record(doc, doc_id="t", pipeline=extractor.meta)
