"""Properties of the whole default pipeline on arbitrary text (hypothesis)."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimex.io import record_to_json
from claimex.schema import ArticleRecord

NEWSY = st.lists(
    st.sampled_from(
        [
            "Prices rose", "$5 million", "more than", "said", "the minister", "he added", "“", "”", '"', ",", ".",
            "In 2019", "the 1990s", "between 2007 and 2018", "John Smith", "Paris", "(OIC)", "\n", "\n\n", "–",
            "according to", "Smith", "€3bn", "Rs 5 crore", "’s", "U.S.", ":", "!", "?", "almost a century",
        ]
    ),
    max_size=40,
).map(" ".join)
TEXTS = st.one_of(st.text(max_size=300), NEWSY)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spans_of(record: dict):
    for entity in record["entities"]:
        yield from entity["mentions"]
    for claim in record["claims"]:
        yield claim["sentence"]
        yield claim["statement"]
        if claim["speaker"]:
            yield claim["speaker"]["mention"]
        if claim["cue"]:
            yield claim["cue"]
        yield from claim["money"]
        yield from claim["years"]


@SETTINGS
@given(TEXTS)
def test_any_text_gives_a_valid_record_whose_spans_slice_back(extractor, text):
    record = extractor.extract(text, doc_id="fuzz")
    data = record.model_dump(mode="json")
    ArticleRecord.model_validate(data, context={"text": text} if record.status == "ok" else None)
    for span in spans_of(data):
        assert text[span["start"]:span["end"]] == span["text"]


@SETTINGS
@given(TEXTS)
def test_records_round_trip_through_json(extractor, text):
    record = extractor.extract(text, doc_id="fuzz")
    assert ArticleRecord.model_validate(json.loads(record_to_json(record))) == record


@SETTINGS
@given(TEXTS)
def test_two_runs_give_byte_identical_output(extractor, text):
    assert record_to_json(extractor.extract(text, doc_id="fuzz")) == record_to_json(extractor.extract(text, doc_id="fuzz"))


@SETTINGS
@given(st.lists(TEXTS, min_size=1, max_size=5))
def test_an_article_is_extracted_the_same_alone_or_in_a_batch(extractor, texts):
    batch = list(extractor.pipe([(t, f"d{i}") for i, t in enumerate(texts)]))
    alone = [extractor.extract(t, doc_id=f"d{i}") for i, t in enumerate(texts)]
    assert [record_to_json(r) for r in batch] == [record_to_json(r) for r in alone]
