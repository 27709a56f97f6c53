"""schema: the article record contract and its committed JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from claimex.schema import (
    ArticleRecord,
    Money,
    Span,
    YearRef,
    article_record_json_schema,
    text_sha256,
)

SCHEMA_FILE = Path(__file__).resolve().parents[1] / "src" / "claimex" / "record.schema.json"
TEXT = "Exports grew to $5 million in 2019, he said."


def minimal(**changes):
    record = {
        "schema_version": "1.0",
        "doc_id": "demo",
        "text_sha256": text_sha256(TEXT),
        "pipeline": {"name": "default", "version": "0.1.0"},
        "status": "ok",
        "error": None,
        "entities": [],
        "claims": [],
    }
    record.update(changes)
    return record


def test_committed_json_schema_matches_the_models():
    """Regenerate with: claimex schema > src/claimex/record.schema.json"""
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(article_record_json_schema()))


def test_a_minimal_record_round_trips_through_json():
    record = ArticleRecord.model_validate(minimal(), context={"text": TEXT})
    assert ArticleRecord.model_validate_json(record.model_dump_json()) == record


def test_records_are_frozen():
    record = ArticleRecord.model_validate(minimal())
    with pytest.raises(ValidationError):
        record.doc_id = "other"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"surprise": 1}, "Extra inputs are not permitted"),
        ({"status": "error"}, "status 'error' goes with an error"),
        ({"text_sha256": "abc"}, "SHA-256"),
        ({"schema_version": "2.0"}, "1.0"),
        ({"doc_id": ""}, "at least 1 character"),
    ],
)
def test_invalid_records_are_rejected(changes, message):
    with pytest.raises(ValidationError, match=message):
        ArticleRecord.model_validate(minimal(**changes))


def test_offsets_must_slice_back_to_the_text_given_as_context():
    Span.model_validate({"start": 16, "end": 26, "text": "$5 million"}, context={"text": TEXT})
    with pytest.raises(ValidationError, match="not"):
        Span.model_validate({"start": 15, "end": 25, "text": "$5 million"}, context={"text": TEXT})
    with pytest.raises(ValidationError, match="characters"):
        Span.model_validate({"start": 0, "end": 3, "text": "four"})


@pytest.mark.parametrize("code", ["USD", "MAD", "PKR", "EUR"])
def test_real_currency_codes_are_accepted(code):
    Money(start=0, end=1, text="$", amount="5", currency=code, rule="r")


@pytest.mark.parametrize(("code", "amount"), [("XYZ", "5"), ("usd", "5"), ("USD", "5e6"), ("USD", "05"), ("USD", "1.50")])
def test_bad_currencies_and_amounts_are_rejected(code, amount):
    with pytest.raises(ValidationError):
        Money(start=0, end=1, text="$", amount=amount, currency=code, rule="r")


def test_year_ranges_must_be_ordered():
    with pytest.raises(ValidationError, match="before start_year"):
        YearRef(start=0, end=4, text="2018", start_year=2018, end_year=2007, kind="range", rule="r")


def test_text_sha256_is_of_the_utf8_text():
    assert text_sha256("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
