"""The run store: every extraction run, its inputs and its records, in one SQLite file.

SQLite through the standard library, in WAL mode (readers do not block the writer), one transaction
per batch of records. A run records its id, optional unique name, start and end time, pipeline name
and version, a hash of the pipeline config and of all its data, and for every input article its
doc_id, text hash and full record. Article texts are kept once per SHA-256 in `texts`, so a report
can show them later.

Besides the record JSON (`articles.record`, exactly the JSON Lines row), claims are spread over plain
tables so that questions are plain SQL:

    claims(run_id, seq, doc_id, claim_id, position, kind, speaker, cue_lemma, statement, ...)
    claim_money(run_id, seq, doc_id, claim_id, idx, amount, amount_value, currency, qualifier, text)
    claim_years(run_id, seq, doc_id, claim_id, idx, start_year, end_year, kind, text)
    claim_entities(run_id, seq, doc_id, claim_id, name, label)

`seq` is the article's position in the run's input (doc_ids are not required to be unique).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from claimex.io import Article, record_to_json
from claimex.pipeline import PipelineMeta
from claimex.schema import ArticleRecord

if TYPE_CHECKING:
    from claimex.extractor import Extractor

STORE_ENV = "CLAIMEX_STORE"
DEFAULT_STORE = "runs.db"
"""The store used when none is given: `$CLAIMEX_STORE`, else `runs.db` in the current folder."""

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    status TEXT NOT NULL,
    pipeline_name TEXT NOT NULL,
    pipeline_version TEXT NOT NULL,
    config_sha256 TEXT NOT NULL,
    data_sha256 TEXT NOT NULL,
    articles INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0,
    claims INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS texts (sha256 TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    seq INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    text_sha256 TEXT NOT NULL,
    status TEXT NOT NULL,
    error_type TEXT,
    record TEXT NOT NULL,
    PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS articles_doc ON articles(run_id, doc_id);
CREATE TABLE IF NOT EXISTS claims (
    run_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    doc_id TEXT NOT NULL,
    claim_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    speaker TEXT,
    speaker_mention TEXT,
    cue_lemma TEXT,
    statement TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    statement_start INTEGER NOT NULL,
    statement_end INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq, claim_id)
);
CREATE INDEX IF NOT EXISTS claims_doc ON claims(run_id, doc_id, claim_id);
CREATE INDEX IF NOT EXISTS claims_speaker ON claims(speaker);
CREATE TABLE IF NOT EXISTS claim_money (
    run_id INTEGER NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, claim_id TEXT NOT NULL,
    idx INTEGER NOT NULL, amount TEXT NOT NULL, amount_value REAL NOT NULL, currency TEXT, qualifier TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (run_id, seq, claim_id, idx)
);
CREATE INDEX IF NOT EXISTS claim_money_currency ON claim_money(currency);
CREATE TABLE IF NOT EXISTS claim_years (
    run_id INTEGER NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, claim_id TEXT NOT NULL,
    idx INTEGER NOT NULL, start_year INTEGER NOT NULL, end_year INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,
    PRIMARY KEY (run_id, seq, claim_id, idx)
);
CREATE INDEX IF NOT EXISTS claim_years_years ON claim_years(start_year, end_year);
CREATE TABLE IF NOT EXISTS claim_entities (
    run_id INTEGER NOT NULL, seq INTEGER NOT NULL, doc_id TEXT NOT NULL, claim_id TEXT NOT NULL,
    name TEXT NOT NULL, label TEXT NOT NULL,
    PRIMARY KEY (run_id, seq, claim_id, name, label)
);
CREATE INDEX IF NOT EXISTS claim_entities_name ON claim_entities(name);
"""


class StoreError(Exception):
    """The store or a records file cannot be read (a data error)."""


class NotFound(StoreError):
    """No such store, run or records file (a usage error: the reference is wrong)."""


def default_store_path() -> Path:
    """`$CLAIMEX_STORE` when set, else `runs.db` in the current folder."""
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class RunInfo:
    """One row of `runs`: what made the run, when, and how much it holds."""

    id: int
    name: str | None
    started_at: str
    ended_at: str | None
    status: str
    pipeline_name: str
    pipeline_version: str
    config_sha256: str
    data_sha256: str
    articles: int
    errors: int
    claims: int

    @property
    def label(self) -> str:
        """How the run is named in messages: its name, else `run <id>`."""
        return self.name or f"run {self.id}"

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class RunStore:
    """An open run store (a SQLite file, created on first use).

    Args:
        path: the SQLite file.
        create: create the file when it does not exist (readers pass False and get a StoreError).
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise NotFound(f"no run store at {self.path}; write one with: claimex extract ... --store {self.path}")
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(_SCHEMA)
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a claimex run store ({error})") from error

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------------

    def start_run(self, meta: PipelineMeta, *, config_sha256: str, name: str | None = None, batch_size: int = 256) -> RunWriter:
        """Open a new run; write records through the returned writer and `finish()` it."""
        if name is not None and name.isdigit():
            raise ValueError(f"run name {name!r} is a number, which would read as a run id; choose a name with a letter")
        if name is not None and self._find(name) is not None:
            raise ValueError(f"the store {self.path} already has a run named {name!r}; choose another --run-name")
        cursor = self.db.execute(
            "INSERT INTO runs (name, started_at, status, pipeline_name, pipeline_version, config_sha256, data_sha256)"
            " VALUES (?, ?, 'running', ?, ?, ?, ?)",
            (name, _now(), meta.name, meta.version, config_sha256, meta.data_sha256),
        )
        return RunWriter(self, int(cursor.lastrowid), batch_size=batch_size)

    # ---- reading -------------------------------------------------------------------------------

    def runs(self) -> list[RunInfo]:
        """Every run, oldest first."""
        rows = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id").fetchall()
        return [RunInfo(*row) for row in rows]

    def run(self, ref: str | int) -> RunInfo:
        """A run by id (`3`), name, or `latest` / `previous`; StoreError when there is none."""
        found = self._find(str(ref))
        if found is None:
            known = ", ".join(r.name or str(r.id) for r in self.runs()[-5:]) or "none yet"
            raise NotFound(f"no run {str(ref)!r} in {self.path} (recent runs: {known}; list them with: claimex runs)")
        return found

    def _find(self, ref: str) -> RunInfo | None:
        if ref in ("latest", "previous"):
            rows = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs ORDER BY id DESC LIMIT 2").fetchall()
            index = 0 if ref == "latest" else 1
            return RunInfo(*rows[index]) if len(rows) > index else None
        row = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE name = ?", (ref,)).fetchone()
        if row is None and ref.isdigit():
            row = self.db.execute(f"SELECT {_RUN_COLUMNS} FROM runs WHERE id = ?", (int(ref),)).fetchone()
        return RunInfo(*row) if row else None

    def records(self, run: RunInfo | str | int, doc_id: str | None = None, *, by_doc_id: bool = False) -> Iterator[ArticleRecord]:
        """The records of a run in input order (or sorted by doc_id), optionally of one doc_id only."""
        info = run if isinstance(run, RunInfo) else self.run(run)
        order = "doc_id, seq" if by_doc_id else "seq"
        if doc_id is None:
            cursor = self.db.execute(f"SELECT record FROM articles WHERE run_id = ? ORDER BY {order}", (info.id,))
        else:
            cursor = self.db.execute(f"SELECT record FROM articles WHERE run_id = ? AND doc_id = ? ORDER BY {order}", (info.id, doc_id))
        for (raw,) in cursor:
            yield ArticleRecord.model_validate_json(raw)

    def text(self, sha256: str) -> str | None:
        """The article text with this SHA-256, when a run stored it."""
        row = self.db.execute("SELECT text FROM texts WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None


_RUN_COLUMNS = ("id, name, started_at, ended_at, status, pipeline_name, pipeline_version, config_sha256, data_sha256,"
                " articles, errors, claims")


class RunWriter:
    """Writes one run's texts and records, committing one transaction per `batch_size` records."""

    def __init__(self, store: RunStore, run_id: int, *, batch_size: int = 256) -> None:
        self.store = store
        self.run_id = run_id
        self.batch_size = max(1, batch_size)
        self.counts = {"articles": 0, "errors": 0, "claims": 0}
        self._pending = 0
        self._db = store.db

    @property
    def info(self) -> RunInfo:
        return self.store.run(self.run_id)

    def _begin(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN")

    def add_text(self, text: str, sha256: str) -> None:
        """Keep an input article's text (once per SHA-256 across all runs)."""
        self._begin()
        self._db.execute("INSERT OR IGNORE INTO texts (sha256, text) VALUES (?, ?)", (sha256, text))

    def add(self, record: ArticleRecord) -> None:
        """Store one record, and its claims in the query tables."""
        self._begin()
        seq = self.counts["articles"]
        key = (self.run_id, seq, record.doc_id)
        self._db.execute(
            "INSERT INTO articles (run_id, seq, doc_id, text_sha256, status, error_type, record) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (*key, record.text_sha256, record.status, record.error.type if record.error else None, record_to_json(record)),
        )
        entities = {entity.id: entity for entity in record.entities}
        claims, money, years, named = [], [], [], []
        for position, claim in enumerate(record.claims):
            speaker = claim.speaker
            claims.append((*key, claim.id, position, claim.kind, speaker.name if speaker else None,
                           speaker.mention.text if speaker else None, claim.cue.lemma if claim.cue else None,
                           claim.statement.text, claim.sentence.start, claim.sentence.end, claim.statement.start, claim.statement.end))
            money += [(*key, claim.id, i, m.amount, float(m.amount), m.currency, m.qualifier, m.text) for i, m in enumerate(claim.money)]
            years += [(*key, claim.id, i, y.start_year, y.end_year, y.kind, y.text) for i, y in enumerate(claim.years)]
            named += sorted({(*key, claim.id, entities[e].name, entities[e].label) for e in claim.entity_ids})
        self._db.executemany("INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", claims)
        self._db.executemany("INSERT INTO claim_money VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", money)
        self._db.executemany("INSERT INTO claim_years VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", years)
        self._db.executemany("INSERT OR IGNORE INTO claim_entities VALUES (?, ?, ?, ?, ?, ?)", named)
        self.counts["articles"] += 1
        self.counts["errors"] += record.status == "error"
        self.counts["claims"] += len(record.claims)
        self._pending += 1
        if self._pending >= self.batch_size:
            self._commit(status="running")

    def _commit(self, *, status: str, ended: bool = False) -> None:
        self._begin()
        self._db.execute(
            "UPDATE runs SET articles = ?, errors = ?, claims = ?, status = ?, ended_at = ? WHERE id = ?",
            (self.counts["articles"], self.counts["errors"], self.counts["claims"], status, _now() if ended else None, self.run_id),
        )
        self._db.execute("COMMIT")
        self._pending = 0

    def finish(self, *, status: str = "complete") -> RunInfo:
        """Commit the last batch and stamp the end time; `status` "failed" marks an interrupted run."""
        self._commit(status=status, ended=True)
        return self.info


def config_sha256(pipeline_path: str | os.PathLike[str]) -> str:
    """SHA-256 of a pipeline's `config.cfg` (its rule data is digested in `PipelineMeta.data_sha256`)."""
    return hashlib.sha256((Path(pipeline_path) / "config.cfg").read_bytes()).hexdigest()


def store_records(
    store: RunStore,
    records: Iterable[ArticleRecord],
    meta: PipelineMeta,
    *,
    config_sha256: str,
    name: str | None = None,
    texts: dict[str, str] | None = None,
    batch_size: int = 256,
) -> RunInfo:
    """Write already extracted records as one run (texts by SHA-256, when known); returns the run."""
    writer = store.start_run(meta, config_sha256=config_sha256, name=name, batch_size=batch_size)
    try:
        for record in records:
            if texts and record.text_sha256 in texts:
                writer.add_text(texts[record.text_sha256], record.text_sha256)
            writer.add(record)
    except BaseException:
        writer.finish(status="failed")
        raise
    return writer.finish()


def extract_into_store(
    extractor: Extractor,
    articles: Iterable[Article],
    store: RunStore,
    *,
    name: str | None = None,
    batch_size: int = 256,
) -> Iterator[ArticleRecord]:
    """Run `extractor` over `articles` as a new run of `store`, yielding each record as it is stored.

    The run is opened at once (so a taken `name` raises ValueError here, not at the first record).
    The input texts are kept in `texts`; the run is stamped "complete" when the input is exhausted,
    "failed" when the iteration stops early or raises.
    """
    writer = store.start_run(extractor.meta, config_sha256=config_sha256(extractor.pipeline_path), name=name, batch_size=batch_size)
    return _stream_into(writer, extractor, articles)


def _stream_into(writer: RunWriter, extractor: Extractor, articles: Iterable[Article]) -> Iterator[ArticleRecord]:
    def keep_texts(items: Iterable[Article]) -> Iterator[Article]:
        for article in items:
            if article.text is not None:
                writer.add_text(article.text, article.sha256)
            yield article

    finished = False
    try:
        for record in extractor.pipe(keep_texts(articles)):
            writer.add(record)
            yield record
        writer.finish()
        finished = True
    finally:
        if not finished:
            writer.finish(status="failed")


def runs_as_json(runs: Iterable[RunInfo]) -> Iterator[str]:
    """One JSON line per run, keys sorted."""
    for run in runs:
        yield json.dumps(run.as_dict(), sort_keys=True)
