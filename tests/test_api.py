"""The public Python API: extract, Extractor.pipe, and the documented example."""

from __future__ import annotations

import doctest
import gc

import pytest

import claimex
from claimex.extractor import rare_collections


def test_module_docstring_example_runs():
    result = doctest.testmod(claimex, verbose=False)
    assert result.attempted >= 1 and result.failed == 0


def test_extract_returns_a_validated_record():
    record = claimex.extract("Exports rose to $5 million, the minister said.", doc_id="a1")
    assert isinstance(record, claimex.ArticleRecord)
    assert (record.doc_id, record.status, record.pipeline.name) == ("a1", "ok", "default")


def test_doc_id_defaults_to_one_derived_from_the_text():
    first = claimex.extract("Exports rose to $5 million, the minister said.")
    again = claimex.extract("Exports rose to $5 million, the minister said.")
    assert first.doc_id == again.doc_id and first.doc_id.startswith("sha256-")


def test_pipe_streams_records_in_input_order_with_errors_in_place():
    extractor = claimex.Extractor(batch_size=2)
    inputs = [("One, he said.", "d1"), ("", "d2"), ("Three rose in 2019.", "d3"), ("Four, she said.", "d4"), ("Five.", "d5")]
    records = list(extractor.pipe(iter(inputs)))
    assert [(r.doc_id, r.status) for r in records] == [("d1", "ok"), ("d2", "error"), ("d3", "ok"), ("d4", "ok"), ("d5", "ok")]


def test_a_component_failure_gives_an_error_record_and_the_batch_goes_on(monkeypatch):
    extractor = claimex.Extractor(batch_size=8)
    money = extractor.nlp.get_pipe("claimex_money")
    original = money.process

    def explode_on_marker(doc):
        if "EXPLODE" in doc.text:
            raise RuntimeError("rule failure")
        return original(doc)

    monkeypatch.setattr(money, "process", explode_on_marker)
    records = list(extractor.pipe([("Fine, he said.", "ok-1"), ("EXPLODE now.", "bad"), ("Fine too, she said.", "ok-2")]))
    assert [(r.doc_id, r.status) for r in records] == [("ok-1", "ok"), ("bad", "error"), ("ok-2", "ok")]
    assert records[1].error.type == "RuntimeError" and "rule failure" in records[1].error.message


def test_unknown_pipeline_names_the_known_ones():
    with pytest.raises(ValueError, match="default"):
        claimex.Extractor("no-such-pipeline")


def test_two_processes_give_the_same_records_in_the_same_order():
    extractor = claimex.Extractor()
    texts = [(f"Exports rose to ${i} million in 2019, the minister said. Prices fell, he added.", f"d{i}") for i in range(1, 40)]
    texts.insert(7, ("", "empty"))
    one = [claimex.record_to_json(r) for r in extractor.pipe(texts)]
    two = [claimex.record_to_json(r) for r in extractor.pipe(texts, n_process=2, chunk_size=5)]
    assert two == one and len(one) == 40


@pytest.mark.parametrize("n_process", [1, 2])
def test_serialised_records_are_the_rows_of_the_records(n_process):
    """`pipe_lines` (workers serialise, with n_process > 1) gives exactly `record_to_json` over `pipe`."""
    extractor = claimex.Extractor()
    texts = [(f"Exports rose to ${i} million in 2019, the minister said. Prices fell, he added.", f"d{i}") for i in range(1, 30)]
    texts.insert(3, ("", "empty"))
    records = list(extractor.pipe(texts))
    lines = list(extractor.pipe_lines(texts, n_process=n_process, chunk_size=4))
    assert [line.line for line in lines] == [claimex.record_to_json(r) for r in records]
    assert [(line.doc_id, line.status, line.claim_count) for line in lines] == [(r.doc_id, r.status, len(r.claims)) for r in records]
    assert lines[3].status == "error" and sum(line.claim_count for line in lines) > 29


def test_batches_run_the_garbage_collector_less_often_and_restore_its_thresholds() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with rare_collections(5000):
            assert gc.get_threshold() == (5000, 10, 10)
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(0, 10, 10)  # a collector switched off stays off
        with rare_collections(5000):
            assert gc.get_threshold() == (0, 10, 10)
    finally:
        gc.set_threshold(*before)
