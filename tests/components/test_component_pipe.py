"""`nlp.pipe` runs each claimex component over a batch at a time: same annotations, same order, same errors."""

from __future__ import annotations

import pytest
import spacy
from spacy.util import ignore_error

from claimex.io import record_to_json
from claimex.records import doc_to_record
from tests.conftest import news_texts


def rows(extractor, docs) -> list[str]:
    return [record_to_json(doc_to_record(doc, doc_id=str(i), pipeline=extractor.meta)) for i, doc in enumerate(docs)]


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_batches_give_the_records_of_one_doc_at_a_time(extractor, batch_size):
    nlp = extractor.nlp
    texts = news_texts(per_set=8)
    one_at_a_time = rows(extractor, [nlp(text) for text in texts])
    assert rows(extractor, nlp.pipe(texts, batch_size=batch_size)) == one_at_a_time


@pytest.fixture
def failing_pipeline():
    """A fresh small pipeline whose money component fails on texts holding "BOOM"."""
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_sentences")
    money = nlp.add_pipe("claimex_money")
    nlp.initialize()
    process = money.process

    def fail_on_boom(doc):
        if "BOOM" in doc.text:
            raise RuntimeError("boom")
        return process(doc)

    money.process = fail_on_boom
    return nlp


TEXTS = ["It cost $5 million.", "BOOM it went.", "They paid €3 billion."]


def test_an_error_is_raised_by_default(failing_pipeline):
    with pytest.raises(RuntimeError, match="boom"):
        list(failing_pipeline.pipe(TEXTS))


def test_the_pipelines_error_handler_decides(failing_pipeline):
    failing_pipeline.set_error_handler(ignore_error)
    docs = list(failing_pipeline.pipe(TEXTS, batch_size=2))
    assert [doc.text for doc in docs] == [TEXTS[0], TEXTS[2]]
    assert [[m.currency for m in doc._.claimex_money] for doc in docs] == [["USD"], ["EUR"]]
