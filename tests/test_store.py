"""store: runs, their records and texts in SQLite, and plain SQL over claims."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimex.io import Article, record_to_json
from claimex.store import NotFound, RunStore, extract_into_store, store_records

ROOT = Path(__file__).resolve().parents[1]
TEXT = "Exports rose to $5 million in 2019, the trade minister, John Smith, said. Prices fell in Kenya, he added."
OTHER = "Imports fell to MAD 800 million in 2018, said Fatima Zahra, the director of Acme Corp."


def articles(*pairs):
    return [Article(doc_id, text, f"<{doc_id}>") for doc_id, text in pairs]


@pytest.fixture
def store(tmp_path):
    with RunStore(tmp_path / "runs.db") as opened:
        yield opened


def test_a_run_keeps_its_records_texts_and_provenance(store, extractor):
    records = list(extract_into_store(extractor, articles(("a", TEXT), ("b", OTHER)), store, name="first"))
    run = store.run("first")
    assert (run.id, run.status, run.articles, run.errors) == (1, "complete", 2, 0)
    assert run.claims == sum(len(r.claims) for r in records)
    assert (run.pipeline_name, run.pipeline_version) == (extractor.meta.name, extractor.meta.version)
    assert run.data_sha256 == extractor.meta.data_sha256 and len(run.config_sha256) == 64
    assert run.started_at <= run.ended_at
    assert [record_to_json(r) for r in store.records(run)] == [record_to_json(r) for r in records]
    assert [r.doc_id for r in store.records(run, "b")] == ["b"]
    assert store.text(records[0].text_sha256) == TEXT
    inputs = store.db.execute("SELECT doc_id, text_sha256 FROM articles WHERE run_id = 1 ORDER BY seq").fetchall()
    assert inputs == [("a", records[0].text_sha256), ("b", records[1].text_sha256)]


def test_the_store_is_in_wal_mode(store):
    assert store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_runs_are_found_by_id_name_latest_and_previous(store, extractor):
    for name in ("one", None, "three"):
        list(extract_into_store(extractor, articles(("a", TEXT)), store, name=name))
    assert [r.id for r in store.runs()] == [1, 2, 3]
    assert store.run("one").id == 1 and store.run("2").id == 2 and store.run(3).name == "three"
    assert store.run("latest").id == 3 and store.run("previous").id == 2
    with pytest.raises(NotFound, match="no run 'four'"):
        store.run("four")


@pytest.mark.parametrize(("name", "message"), [("one", "already has a run named"), ("42", "is a number")])
def test_run_names_are_unique_and_not_numbers(store, extractor, name, message):
    list(extract_into_store(extractor, articles(("a", TEXT)), store, name="one"))
    with pytest.raises(ValueError, match=message):
        extract_into_store(extractor, articles(("a", TEXT)), store, name=name)


def test_reading_a_missing_store_is_not_found(tmp_path):
    with pytest.raises(NotFound, match="no run store at"):
        RunStore(tmp_path / "nothing.db", create=False)
    assert not (tmp_path / "nothing.db").exists()


def test_each_batch_is_committed_while_the_run_goes_on(tmp_path, extractor):
    path = tmp_path / "runs.db"
    with RunStore(path) as store:
        stream = extract_into_store(extractor, articles(*[(f"d{i}", TEXT) for i in range(5)]), store, batch_size=2)
        next(stream), next(stream), next(stream)
        reader = sqlite3.connect(path)
        assert reader.execute("SELECT count(*) FROM articles").fetchone() == (2,)
        assert reader.execute("SELECT status FROM runs").fetchone() == ("running",)
        list(stream)
        assert reader.execute("SELECT count(*), (SELECT status FROM runs) FROM articles").fetchone() == (5, "complete")


def test_an_interrupted_run_is_marked_failed(store, extractor):
    def broken():
        yield Article("a", TEXT, "<a>")
        raise OSError("disk gone")

    with pytest.raises(OSError):
        list(extract_into_store(extractor, broken(), store))
    assert store.run("latest").status == "failed"


def test_store_records_writes_records_made_elsewhere(store, extractor):
    records = list(extractor.pipe(articles(("a", TEXT))))
    run = store_records(store, records, extractor.meta, config_sha256="0" * 64, name="imported", texts={records[0].text_sha256: TEXT})
    assert run.articles == 1 and store.text(records[0].text_sha256) == TEXT


def test_claims_are_plain_sql_by_speaker_entity_currency_and_year(store, extractor):
    """The README's query examples run as written."""
    list(extract_into_store(extractor, articles(("a", TEXT), ("b", OTHER)), store, name="first"))
    by_speaker = store.db.execute(
        """SELECT c.doc_id, c.statement FROM claims c JOIN runs r ON r.id = c.run_id
           WHERE r.name = 'first' AND c.speaker = 'John Smith' ORDER BY c.doc_id, c.position"""
    ).fetchall()
    assert by_speaker and all(doc_id == "a" for doc_id, _ in by_speaker)
    money = store.db.execute(
        """SELECT c.doc_id, m.amount FROM claims c JOIN claim_money m USING (run_id, seq, claim_id)
           WHERE c.run_id = (SELECT max(id) FROM runs) AND m.currency = 'MAD' AND m.amount_value >= 1e6"""
    ).fetchall()
    assert money == [("b", "800000000")]
    years = store.db.execute(
        """SELECT DISTINCT c.doc_id FROM claims c JOIN claim_years y USING (run_id, seq, claim_id)
           WHERE 2019 BETWEEN y.start_year AND y.end_year"""
    ).fetchall()
    assert years == [("a",)]
    entity = store.db.execute(
        "SELECT DISTINCT doc_id FROM claim_entities WHERE name = 'Kenya' AND label = 'GPE'"
    ).fetchall()
    assert entity == [("a",)]

README = ROOT / "README.md"
SEED = ROOT / "seeds" / "morocco-pakistan-ties.txt"


def test_the_readme_sql_examples_answer_on_the_seed(store, extractor):
    text = README.read_text(encoding="utf-8")
    block = text.split("## Runs, diffs and reports", 1)[1].split("```sql\n", 1)[1].split("```", 1)[0]
    queries = [q.strip() for q in block.split(";") if q.strip()]
    assert len(queries) >= 2
    list(extract_into_store(extractor, [Article(SEED.stem, SEED.read_text(encoding="utf-8"), str(SEED))], store, name="after"))
    for query in queries:
        assert store.db.execute(query).fetchall(), query
