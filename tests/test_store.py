"""store: runs, their records and texts in SQLite, and plain SQL over claims."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from claimex.io import Article, record_to_json
from claimex.store import (
    NotFound,
    RunStore,
    StoreError,
    extract_into_store,
    store_records,
)

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


# ---- resuming interrupted runs -------------------------------------------------------------------

def stored_keys(store, run_id):
    return store.db.execute("SELECT doc_id, occurrence FROM articles WHERE run_id = ? ORDER BY seq", (run_id,)).fetchall()


def test_a_resumed_run_skips_what_it_holds_and_ends_with_one_record_per_article(tmp_path, extractor):
    inputs = articles(*[(f"d{i}", TEXT if i % 2 else OTHER) for i in range(7)], ("d3", OTHER), ("empty", ""))
    path = tmp_path / "runs.db"
    with RunStore(path) as store:
        stream = extract_into_store(extractor, inputs, store, batch_size=2)
        for _ in range(5):
            next(stream)
        stream._ended = True  # a kill now: no clean-up runs, the open batch is lost, the run stays "running"
    with RunStore(path) as store:
        run = store.run("latest")
        assert (run.status, run.articles) == ("running", 4)
        resumed = extract_into_store(extractor, inputs, store, resume=True, batch_size=2)
        assert resumed.writer.run_id == run.id and resumed.writer.stored_before == 4
        fresh = list(resumed)
        assert [r.doc_id for r in fresh] == ["d4", "d5", "d6", "d3", "empty"]
        assert resumed.writer.skipped == 4
        run = store.run(run.id)
        assert (run.status, run.articles, run.errors) == ("complete", 9, 1)
        assert stored_keys(store, run.id) == [(f"d{i}", 0) for i in range(7)] + [("d3", 1), ("empty", 0)]
        expected = [record_to_json(r) for r in extractor.pipe(inputs)]
        assert [record_to_json(r) for r in store.records(run)] == expected
        assert run.claims == store.db.execute("SELECT count(*) FROM claims WHERE run_id = ?", (run.id,)).fetchone()[0]
        assert run.claims == sum(len(r.claims) for r in extractor.pipe(inputs))
        again = extract_into_store(extractor, inputs, store, resume=True)
        assert again.writer.run_id == run.id + 1, "a complete run is resumed only by its name; else a new run starts"
        assert len(list(again)) == 9


def test_resuming_by_name_completes_that_run_or_starts_it(store, extractor):
    first = articles(("a", TEXT), ("b", OTHER))
    named = extract_into_store(extractor, first, store, name="archive", resume=True)
    assert named.writer.stored_before == 0 and len(list(named)) == 2
    more = extract_into_store(extractor, first + articles(("c", TEXT)), store, name="archive", resume=True)
    assert [r.doc_id for r in more] == ["c"]
    run = store.run("archive")
    assert (run.id, run.status, run.articles) == (1, "complete", 3) and len(store.runs()) == 1
    assert stored_keys(store, 1) == [("a", 0), ("b", 0), ("c", 0)]


def test_a_failed_run_is_resumed_and_the_latest_unfinished_one_is_chosen(store, extractor):
    for _ in range(2):
        stream = extract_into_store(extractor, articles(("a", TEXT), ("b", OTHER)), store, batch_size=1)
        next(stream)
        stream.close()  # stopped early, as by Ctrl-C: what was stored is committed
    assert [(r.status, r.articles) for r in store.runs()] == [("failed", 1), ("failed", 1)]
    resumed = extract_into_store(extractor, articles(("a", TEXT), ("b", OTHER)), store, resume=True)
    assert [r.doc_id for r in resumed] == ["b"] and resumed.writer.run_id == 2
    assert [r.status for r in store.runs()] == ["failed", "complete"]


def test_a_run_of_another_pipeline_is_not_resumed(store, extractor):
    list(extract_into_store(extractor, articles(("a", TEXT)), store, name="old"))
    store.db.execute("UPDATE runs SET pipeline_version = '0.0.1', status = 'failed'")
    with pytest.raises(ValueError, match="was made with pipeline default 0.0.1"):
        extract_into_store(extractor, articles(("a", TEXT)), store, name="old", resume=True)
    unnamed = extract_into_store(extractor, articles(("a", TEXT)), store, resume=True)
    assert unnamed.writer.run_id == 2 and len(list(unnamed)) == 1, "without a name, only a run of this pipeline is resumed"


def test_the_store_cannot_hold_an_article_twice_in_a_run(store, extractor):
    (record,) = extractor.pipe(articles(("a", TEXT)))
    stream = extract_into_store(extractor, articles(("a", TEXT)), store, name="one")
    list(stream)
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute("INSERT INTO articles (run_id, seq, doc_id, text_sha256, status, record, occurrence)"
                         " VALUES (1, 5, 'a', 'x', 'ok', '{}', 0)")
    other = RunStore(store.path)
    writer = other.resume_run(extractor.meta, config_sha256=stream.writer.info.config_sha256, name="one")
    writer._next_seq = 0  # a second writer that did not see the first one's records
    with pytest.raises(StoreError, match="already holds a record of 'a'"):
        writer.add(record)
    other.close()


def test_opening_a_store_to_read_does_not_wait_for_a_writer(tmp_path, extractor):
    path = tmp_path / "runs.db"
    with RunStore(path) as store:
        list(extract_into_store(extractor, articles(("a", TEXT)), store, name="one"))
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a run in the middle of a batch
    reader = RunStore(path, create=False)
    assert reader.run("one").articles == 1
    reader.close()
    writer.execute("ROLLBACK")
    writer.close()


def test_a_version_1_store_is_upgraded_on_open(tmp_path, extractor):
    path = tmp_path / "old.db"
    with RunStore(path) as store:
        list(extract_into_store(extractor, articles(("a", TEXT), ("a", OTHER), ("b", TEXT)), store, name="old"))
    db = sqlite3.connect(path, isolation_level=None)  # take it back to schema version 1
    db.executescript("""
        DROP INDEX articles_key;
        ALTER TABLE articles DROP COLUMN occurrence;
        CREATE INDEX articles_doc ON articles(run_id, doc_id);
        UPDATE meta SET value = '1' WHERE key = 'schema_version';
    """)
    db.close()
    with RunStore(path, create=False) as store:
        assert stored_keys(store, 1) == [("a", 0), ("a", 1), ("b", 0)]
        assert store.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("2",)
        indexes = {row[0] for row in store.db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'articles'")}
        assert "articles_key" in indexes and "articles_doc" not in indexes
        assert [r.doc_id for r in store.records("old")] == ["a", "a", "b"]
