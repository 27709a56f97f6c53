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

`seq` is the article's position in the run's input. doc_ids are not required to be unique: the n-th
article with a doc_id has `occurrence` n, and `(run_id, doc_id, occurrence)` is UNIQUE, so a run can
never hold the same article twice.

Interrupted runs are resumable. Records are committed one batch per transaction, each article whole
(a savepoint), so a run killed outright (SIGKILL, the out-of-memory killer) keeps every committed
batch and loses at most the batch in progress; it is left with status "running" ("failed" when it
stopped on an exception or Ctrl-C). `RunStore.resume_run` reopens such a run and
`RunWriter.unstored` skips the articles it already holds, so the finished run has exactly one record
per input article.
"""

from __future__ import annotations

import contextlib
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

SCHEMA_VERSION = 2
"""2 added `articles.occurrence` and the UNIQUE key (run_id, doc_id, occurrence); version 1 stores are upgraded on open."""

RESUMABLE = ("running", "failed")
"""Run statuses that `--resume` continues without a name: killed ("running") or stopped ("failed")."""

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
    occurrence INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, seq)
);
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
_UPGRADES = (
    # schema 1 -> 2: number repeated doc_ids within a run, then key articles by (run_id, doc_id, occurrence)
    "ALTER TABLE articles ADD COLUMN occurrence INTEGER NOT NULL DEFAULT 0",
    """UPDATE articles SET occurrence = (
           SELECT count(*) FROM articles AS earlier
           WHERE earlier.run_id = articles.run_id AND earlier.doc_id = articles.doc_id AND earlier.seq < articles.seq)""",
    "DROP INDEX IF EXISTS articles_doc",
)
_KEY = "CREATE UNIQUE INDEX IF NOT EXISTS articles_key ON articles(run_id, doc_id, occurrence)"


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
            self._upgrade()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{self.path} is not a claimex run store ({error})") from error

    def _upgrade(self) -> None:
        """Create or upgrade the schema; writes (and takes the write lock) only when something is missing.

        Opening a store to read it must not wait for a run that is writing a batch.
        """
        has_meta = self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone()
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() if has_meta else None
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has store schema version {version}, newer than this claimex knows ({SCHEMA_VERSION}); upgrade claimex")
        if version == SCHEMA_VERSION:
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            columns = {column[1] for column in self.db.execute("PRAGMA table_info(articles)")}
            for statement in filter(str.strip, _SCHEMA.split(";")):
                self.db.execute(statement)
            if columns and "occurrence" not in columns:
                for statement in _UPGRADES:
                    self.db.execute(statement)
            self.db.execute(_KEY)
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------------

    def start_run(self, meta: PipelineMeta, *, config_sha256: str, name: str | None = None, batch_size: int = 256) -> RunWriter:
        """Open a new run; write records through the returned writer, used as `with` block or `finish()`ed."""
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

    def resume_run(self, meta: PipelineMeta, *, config_sha256: str, name: str | None = None, batch_size: int = 256) -> RunWriter:
        """Reopen a run to complete it, or start one when there is nothing to resume.

        The run is `name` when given (whatever its status: resuming a complete run adds only the articles
        it lacks; a missing name is started), else the latest run of this very pipeline (name, version,
        config and data digests) whose status is "running" or "failed". The writer's `unstored` then
        drops the articles the run already holds. A run of another pipeline is never mixed into:
        ValueError, which names the difference.
        """
        if name is None:
            found = self._resumable(meta, config_sha256)
        else:
            found = self._find(name)
            if found is not None and found.name != name:  # a number: start_run says why that is refused
                found = None
        if found is None:
            return self.start_run(meta, config_sha256=config_sha256, name=name, batch_size=batch_size)
        wanted = (meta.name, meta.version, config_sha256, meta.data_sha256)
        have = (found.pipeline_name, found.pipeline_version, found.config_sha256, found.data_sha256)
        if have != wanted:
            what = "version" if have[:2] != wanted[:2] else "rules or config"
            raise ValueError(
                f"{found.label} was made with pipeline {have[0]} {have[1]}, and this is {wanted[0]} {wanted[1]}"
                f" with other {what}: resume it with the pipeline it was made with, or choose another --run-name"
            )
        self.db.execute("UPDATE runs SET status = 'running', ended_at = NULL WHERE id = ?", (found.id,))
        return RunWriter(self, found.id, batch_size=batch_size)

    def _resumable(self, meta: PipelineMeta, config_sha256: str) -> RunInfo | None:
        row = self.db.execute(
            f"SELECT {_RUN_COLUMNS} FROM runs WHERE pipeline_name = ? AND pipeline_version = ? AND config_sha256 = ?"
            f" AND data_sha256 = ? AND status IN ({', '.join('?' * len(RESUMABLE))}) ORDER BY id DESC LIMIT 1",
            (meta.name, meta.version, config_sha256, meta.data_sha256, *RESUMABLE),
        ).fetchone()
        return RunInfo(*row) if row else None

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
    """Writes one run's texts and records, committing one transaction per `batch_size` records.

    A writer may continue a run that already holds records (see `RunStore.resume_run`): it carries on
    from the stored counts and input position, and `unstored` skips what is already there.
    """

    def __init__(self, store: RunStore, run_id: int, *, batch_size: int = 256) -> None:
        self.store = store
        self.run_id = run_id
        self.batch_size = max(1, batch_size)
        self._db = store.db
        self.counts = self._stored_counts()
        (next_seq,) = self._db.execute("SELECT coalesce(max(seq) + 1, 0) FROM articles WHERE run_id = ?", (run_id,)).fetchone()
        self.stored_before = self.counts["articles"]
        """How many records the run held when this writer opened it (0 for a new run)."""
        self.skipped = 0
        """How many input articles `unstored` has skipped because the run holds them."""
        self._first_seq = next_seq
        self._next_seq = next_seq
        self._pending = 0

    @property
    def info(self) -> RunInfo:
        return self.store.run(self.run_id)

    def _stored_counts(self) -> dict[str, int]:
        """Articles, error records and claims the run holds (as this connection sees them)."""
        articles, errors = self._db.execute(
            "SELECT count(*), coalesce(sum(status = 'error'), 0) FROM articles WHERE run_id = ?", (self.run_id,)
        ).fetchone()
        (claims,) = self._db.execute("SELECT count(*) FROM claims WHERE run_id = ?", (self.run_id,)).fetchone()
        return {"articles": articles, "errors": errors, "claims": claims}

    def _begin(self) -> None:
        if not self._db.in_transaction:
            self._db.execute("BEGIN")

    def add_text(self, text: str, sha256: str) -> None:
        """Keep an input article's text (once per SHA-256 across all runs)."""
        self._begin()
        self._db.execute("INSERT OR IGNORE INTO texts (sha256, text) VALUES (?, ?)", (sha256, text))

    def unstored(self, articles: Iterable[Article]) -> Iterator[Article]:
        """The articles this run does not hold yet, lazily, in input order.

        The n-th input article with a doc_id is skipped when the run stored an n-th record of that
        doc_id before this writer opened it. Counting repeated doc_ids uses a temporary table of the
        connection (on disk when large), so memory stays flat however long the input is.
        """
        if self.stored_before == 0:
            yield from articles
            return
        self._db.execute("CREATE TEMP TABLE IF NOT EXISTS resume_seen (doc_id TEXT PRIMARY KEY, n INTEGER NOT NULL)")
        self._db.execute("DELETE FROM temp.resume_seen")
        for article in articles:
            ((occurrence,),) = self._db.execute(
                "INSERT INTO temp.resume_seen VALUES (?, 0) ON CONFLICT (doc_id) DO UPDATE SET n = n + 1 RETURNING n", (article.doc_id,)
            ).fetchall()
            stored = self._db.execute(
                "SELECT 1 FROM articles WHERE run_id = ? AND doc_id = ? AND occurrence = ? AND seq < ?",
                (self.run_id, article.doc_id, occurrence, self._first_seq),
            ).fetchone()
            if stored:
                self.skipped += 1
            else:
                yield article

    def add(self, record: ArticleRecord) -> None:
        """Store one record, and its claims in the query tables.

        Raises StoreError when the run already holds this article (another process is writing it).
        """
        self._begin()
        seq = self._next_seq
        ((occurrence,),) = self._db.execute(
            "SELECT count(*) FROM articles WHERE run_id = ? AND doc_id = ?", (self.run_id, record.doc_id)
        ).fetchall()
        key = (self.run_id, seq, record.doc_id)
        self._db.execute("SAVEPOINT article")  # an article is stored whole or not at all, even on Ctrl-C
        try:
            self._insert(record, key, occurrence)
        except BaseException as error:
            self._db.execute("ROLLBACK TO article")
            self._db.execute("RELEASE article")
            if isinstance(error, sqlite3.IntegrityError):
                raise StoreError(f"{self.info.label} in {self.store.path} already holds a record of {record.doc_id!r} "
                                 f"(is another process writing this run?): {error}") from error
            raise
        self._db.execute("RELEASE article")
        self._next_seq += 1
        self.counts["articles"] += 1
        self.counts["errors"] += record.status == "error"
        self.counts["claims"] += len(record.claims)
        self._pending += 1
        if self._pending >= self.batch_size:
            self._commit(status="running")

    def _insert(self, record: ArticleRecord, key: tuple[int, int, str], occurrence: int) -> None:
        self._db.execute(
            "INSERT INTO articles (run_id, seq, doc_id, text_sha256, status, error_type, record, occurrence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*key, record.text_sha256, record.status, record.error.type if record.error else None, record_to_json(record), occurrence),
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

    def _commit(self, *, status: str, ended: bool = False) -> None:
        self._begin()
        self._db.execute(
            "UPDATE runs SET articles = ?, errors = ?, claims = ?, status = ?, ended_at = ? WHERE id = ?",
            (self.counts["articles"], self.counts["errors"], self.counts["claims"], status, _now() if ended else None, self.run_id),
        )
        self._db.execute("COMMIT")
        self._pending = 0

    def __enter__(self) -> RunWriter:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        """Finish the run: "complete" when the block ended normally, "failed" when it raised."""
        self.finish(status="complete" if exc_type is None else "failed")

    def finish(self, *, status: str = "complete") -> RunInfo:
        """Commit the last batch and stamp the end time; `status` "failed" marks an interrupted run.

        The counts are taken from the stored rows, so they hold even when an interruption fell between
        storing a record and counting it.
        """
        self.counts = self._stored_counts()
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
    with store.start_run(meta, config_sha256=config_sha256, name=name, batch_size=batch_size) as writer:
        for record in records:
            if texts and record.text_sha256 in texts:
                writer.add_text(texts[record.text_sha256], record.text_sha256)
            writer.add(record)
    return writer.info


def extract_into_store(
    extractor: Extractor,
    articles: Iterable[Article],
    store: RunStore,
    *,
    name: str | None = None,
    batch_size: int = 256,
    n_process: int = 1,
    resume: bool = False,
) -> RunStream:
    """Run `extractor` over `articles` as a run of `store`, yielding each record as it is stored.

    The run is opened at once (so a taken `name` raises ValueError here, not at the first record).
    With `resume`, the run is the one `RunStore.resume_run` picks and only the articles it lacks are
    extracted (and yielded). The input texts are kept in `texts`; records are committed every
    `batch_size` records; the run is stamped "complete" when the input is exhausted, "failed" when the
    iteration stops early or raises. `n_process` > 1 extracts in a pool of worker processes.
    """
    digest = config_sha256(extractor.pipeline_path)
    if resume:
        writer = store.resume_run(extractor.meta, config_sha256=digest, name=name, batch_size=batch_size)
    else:
        writer = store.start_run(extractor.meta, config_sha256=digest, name=name, batch_size=batch_size)
    return RunStream(writer, extractor, articles, n_process=n_process)


class RunStream:
    """The records of a run as they are stored (an iterator); `close()` early marks the run "failed".

    `writer` tells the run id, the records the run held before (`stored_before`) and the input
    articles skipped because the run held them (`skipped`).
    """

    def __init__(self, writer: RunWriter, extractor: Extractor, articles: Iterable[Article], *, n_process: int = 1) -> None:
        self.writer = writer
        self._ended = False
        self._records = self._stream(extractor, articles, n_process)

    def __iter__(self) -> RunStream:
        return self

    def __next__(self) -> ArticleRecord:
        return next(self._records)

    def close(self) -> None:
        """Stop early: commit what was stored and mark the run "failed" (resumable); no-op once ended."""
        self._records.close()
        if not self._ended:  # never started: the generator's own cleanup did not run
            self._ended = True
            self.writer.finish(status="failed")

    def _stream(self, extractor: Extractor, articles: Iterable[Article], n_process: int) -> Iterator[ArticleRecord]:
        writer = self.writer

        def keep_texts(items: Iterable[Article]) -> Iterator[Article]:
            for article in items:
                if article.text is not None:
                    writer.add_text(article.text, article.sha256)
                yield article

        try:
            for record in extractor.pipe(keep_texts(writer.unstored(articles)), n_process=n_process):
                writer.add(record)
                yield record
            self._ended = True
            writer.finish()
        except sqlite3.Error as error:  # locked by another writer, disk full, ...: a data error, named
            raise StoreError(f"{writer.store.path}: {error}") from error
        finally:
            if not self._ended:
                self._ended = True
                with contextlib.suppress(sqlite3.Error):  # else the run stays "running", resumable all the same
                    writer.finish(status="failed")


def runs_as_json(runs: Iterable[RunInfo]) -> Iterator[str]:
    """One JSON line per run, keys sorted."""
    for run in runs:
        yield json.dumps(run.as_dict(), sort_keys=True)
