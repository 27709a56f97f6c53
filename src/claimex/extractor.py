"""The public extraction API: `extract(text)` for one article, `Extractor(...).pipe(...)` for many.

The pipeline is built once per `Extractor` (and cached per process). `pipe` streams: it reads its input
lazily, runs spaCy on batches, and yields one record per input article in input order. An article
that cannot be processed (empty, too long, unreadable, or one that makes a component raise) yields an
error record with its doc_id, and the batch goes on.
"""

from __future__ import annotations

import dataclasses
import gc
import os
import signal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date
from itertools import islice
from typing import Any

from spacy.tokens import Doc

from claimex.io import Article, RecordLine, with_input_flags
from claimex.pieces import (
    DEFAULT_LEAD_CHARS,
    DEFAULT_PIECE_CHARS,
    PieceMerger,
    split_pieces,
)
from claimex.pipeline import load_pipeline
from claimex.records import default_doc_id, doc_to_record, error_record
from claimex.resources import DEFAULT_PIPELINE, pipeline_dir
from claimex.schema import ArticleRecord

DEFAULT_MAX_CHARS = 5_000_000
"""Articles longer than this (in characters) give an error record instead of being processed."""

ArticleInput = str | tuple[str, str | None] | Article


class Extractor:
    """Turns article texts into validated article records with one pipeline.

    Args:
        pipeline: a pipeline name ("default") or a folder with a `config.cfg`.
        max_chars: longest article processed; longer ones give an "ArticleTooLong" error record.
        batch_size: articles per `nlp.pipe` batch.
        piece_chars: longer articles are processed in pieces of at most this many characters, cut
            between paragraphs (see `claimex.pieces`), so memory stays bounded however long they are.
        lead_chars: context given before each piece (the preceding paragraphs, up to this many characters).
    """

    def __init__(
        self,
        pipeline: str | os.PathLike[str] = DEFAULT_PIPELINE,
        *,
        max_chars: int = DEFAULT_MAX_CHARS,
        batch_size: int = 64,
        piece_chars: int = DEFAULT_PIECE_CHARS,
        lead_chars: int = DEFAULT_LEAD_CHARS,
    ) -> None:
        self.pipeline_path = pipeline_dir(pipeline)
        self.nlp, self.meta = load_pipeline(pipeline)
        self.max_chars = max_chars
        self.batch_size = max(1, batch_size)
        if piece_chars < 1:
            raise ValueError(f"piece_chars must be positive, got {piece_chars}")
        self.piece_chars = piece_chars
        self.lead_chars = max(0, lead_chars)
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)

    def extract(self, text: str, doc_id: str | None = None, *, reference_date: str | date | None = None) -> ArticleRecord:
        """Extract the record of one article (`doc_id` defaults to one derived from the text hash).

        `reference_date` is the article's date (a `datetime.date` or an ISO 8601 string): with it,
        "last year" and "two years ago" become years, and "between 2019 and today" a range.
        """
        article = as_article((text, doc_id))
        if reference_date is not None:
            article = dataclasses.replace(article, reference_date=reference_date if isinstance(reference_date, str) else reference_date.isoformat())
        return next(self.pipe([article]))

    def pipe(self, articles: Iterable[ArticleInput], *, n_process: int = 1, chunk_size: int = 256) -> Iterator[ArticleRecord]:
        """Records for many articles, in input order: texts, (text, doc_id) pairs or `Article`s.

        With `n_process` > 1, chunks of up to `chunk_size` articles (and about 200,000 characters) go to
        a pool of worker processes that each build the pipeline once (forked workers inherit it) and
        send back plain records (far cheaper to ship than Docs). Input is read lazily and at most
        three chunks per worker are in flight, so memory stays bounded however long the input is.
        """
        iterator = (as_article(item) for item in articles)
        if n_process > 1:
            yield from _parallel_pipe(self, iterator, n_process=n_process, chunk_size=chunk_size)
            return
        while True:
            batch = list(islice(iterator, self.batch_size))
            if not batch:
                return
            yield from self._process_batch(batch)

    def pipe_lines(self, articles: Iterable[ArticleInput], *, n_process: int = 1, chunk_size: int = 256) -> Iterator[RecordLine]:
        """`pipe`, each record serialised as its JSON Lines row (`RecordLine`), for batches written to a file.

        The rows are those of `record_to_json` over `pipe`. With `n_process` > 1 the workers serialise
        the records and send back strings: the parent only writes them, instead of rebuilding every
        record it receives and serialising it again, work that would otherwise take a growing share of
        a core as extraction gets cheaper.
        """
        if n_process > 1:
            iterator = (as_article(item) for item in articles)
            yield from _parallel_pipe(self, iterator, n_process=n_process, chunk_size=chunk_size, serialised=True)
            return
        for record in self.pipe(articles):
            yield RecordLine.of(record)

    def settings(self) -> dict[str, int]:
        """The keyword arguments that rebuild this extractor's behaviour (for worker processes)."""
        return {"max_chars": self.max_chars, "batch_size": self.batch_size, "piece_chars": self.piece_chars, "lead_chars": self.lead_chars}

    def _process_batch(self, batch: list[Article]) -> Iterator[ArticleRecord]:
        ready = [(i, a) for i, a in enumerate(batch) if self._problem(a) is None]
        records: dict[int, ArticleRecord] = {}
        for i, article in ready:
            if len(article.text) > self.piece_chars:  # type: ignore[arg-type]
                records[i] = self._long(article)
        ready = [(i, a) for i, a in ready if i not in records]
        with rare_collections():
            try:
                docs = list(self.nlp.pipe(self._doc(a) for _, a in ready))
                for (i, article), doc in zip(ready, docs):
                    records[i] = self._record(article, doc)
            except Exception:  # one bad article: redo the batch one by one to isolate it
                for i, article in ready:
                    records[i] = self._one(article)
        for i, article in enumerate(batch):
            if i in records:
                yield with_input_flags(records[i], article)
            else:
                error_type, message = self._problem(article) or ("Error", "unknown")
                yield with_input_flags(error_record(doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta, error_type=error_type, message=message), article)

    def _doc(self, article: Article, text: str | None = None) -> Doc:
        """The tokenized article (or piece of it), carrying the article's reference date, if any."""
        doc = self.nlp.make_doc(article.text if text is None else text)  # type: ignore[arg-type]
        if article.reference_date is not None:
            doc._.claimex_reference_date = article.reference_date
        return doc

    def _one(self, article: Article) -> ArticleRecord:
        try:
            return self._record(article, self.nlp(self._doc(article)))
        except Exception as error:  # noqa: BLE001 - any failure becomes the article's error record
            return error_record(
                doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta,
                error_type=type(error).__name__, message=f"{article.source}: {error}".strip()[:1000],
            )

    def _long(self, article: Article) -> ArticleRecord:
        """An article longer than `piece_chars`: run piece by piece, one Doc at a time, then merged."""
        text: str = article.text  # type: ignore[assignment]
        try:
            merger = PieceMerger(text)
            for piece in split_pieces(text, self.piece_chars, self.lead_chars):
                merger.add(piece, self.nlp(self._doc(article, text[piece.lead:piece.end])))
            view = merger.view()
        except Exception as error:  # noqa: BLE001 - any failure becomes the article's error record
            return error_record(
                doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta,
                error_type=type(error).__name__, message=f"{article.source}: {error}".strip()[:1000],
            )
        return self._record(article, view)

    def _record(self, article: Article, doc: object) -> ArticleRecord:
        try:
            return doc_to_record(doc, doc_id=article.doc_id, pipeline=self.meta)  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001
            return error_record(
                doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta,
                error_type=type(error).__name__, message=f"{article.source}: {error}".strip()[:1000],
            )

    def _problem(self, article: Article) -> tuple[str, str] | None:
        if article.error is not None:
            return article.error
        if article.text is None or not article.text.strip():
            return ("EmptyArticle", f"{article.source}: the article has no text")
        if len(article.text) > self.max_chars:
            return ("ArticleTooLong", f"{article.source}: {len(article.text):,} characters, over the limit of {self.max_chars:,} (max_chars)")
        return None


BATCH_GC_THRESHOLD = 10_000
"""Allocations between two runs of the youngest garbage collection while a batch is processed."""


@contextmanager
def rare_collections(threshold: int = BATCH_GC_THRESHOLD) -> Iterator[None]:
    """Run the cyclic garbage collector less often inside the block (restored after it).

    Processing a batch allocates millions of short-lived objects; with Python's default threshold
    (a collection every 700 allocations, an older-generation one every 10 and 100 of those) the
    collector walks the batch's Docs and their annotations, alive until the batch ends, over and over:
    about a sixth of the extraction time. The same garbage is collected, only less often; the batch's
    memory is bounded by the batch. A collector switched off (threshold 0) stays off.
    """
    old = gc.get_threshold()
    if old[0]:
        gc.set_threshold(max(old[0], threshold), *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


_worker: Extractor | None = None


CHUNK_CHARS = 200_000
"""A chunk sent to a worker process ends once it holds this many characters (or `chunk_size` articles):
small enough that the workers finish together, large enough that shipping it costs little."""


def _start_worker(pipeline: str, settings: dict[str, int]) -> None:
    """Pool initializer: build the worker's pipeline once (a forked worker finds it already built).

    Workers ignore Ctrl-C (SIGINT goes to the whole process group): the parent stops and terminates the
    pool. A worker killed by KeyboardInterrupt can die holding the task queue's lock, hanging the parent.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = Extractor(pipeline, **settings)
    gc.freeze()  # the pipeline lives as long as the worker: keep it out of every garbage collection


def _run_chunk(chunk: list[Article]) -> list[ArticleRecord]:
    assert _worker is not None, "the worker pipeline was not started"
    return list(_worker.pipe(chunk))


def _run_chunk_lines(chunk: list[Article]) -> list[RecordLine]:
    assert _worker is not None, "the worker pipeline was not started"
    return list(_worker.pipe_lines(chunk))


def _chunks(articles: Iterator[Article], chunk_size: int, chunk_chars: int) -> Iterator[list[Article]]:
    """Consecutive chunks of at most `chunk_size` articles and (but for a single long one) `chunk_chars` characters."""
    chunk: list[Article] = []
    chars = 0
    for article in articles:
        chunk.append(article)
        chars += len(article.text or "")
        if len(chunk) >= chunk_size or chars >= chunk_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _parallel_pipe(
    extractor: Extractor, articles: Iterator[Article], *, n_process: int, chunk_size: int, serialised: bool = False
) -> Iterator[Any]:
    """Chunks of articles to a pool of forked workers, at most three per worker in flight, records back in order
    (as `RecordLine`s when `serialised`).

    Workers are forked where the platform allows (the parent's built pipeline is inherited, nothing is
    reloaded); the parent's objects are frozen out of the collector while forking, so collections in
    the workers do not touch (and copy) the pages they share with the parent.
    """
    import multiprocessing
    from collections import deque

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pipeline = str(extractor.pipeline_path)
    was_frozen = gc.get_freeze_count() > 0  # the built pipeline is (`claimex.pipeline.keep_out_of_collections`)
    gc.freeze()
    try:
        pool = context.Pool(n_process, initializer=_start_worker, initargs=(pipeline, extractor.settings()))
    finally:
        if not was_frozen:
            gc.unfreeze()
    with pool:
        pending: deque = deque()
        chunks = _chunks(articles, max(1, chunk_size), CHUNK_CHARS)
        while True:
            while len(pending) < 3 * n_process:
                chunk = next(chunks, None)
                if chunk is None:
                    break
                pending.append(pool.apply_async(_run_chunk_lines if serialised else _run_chunk, (chunk,)))
            if not pending:
                return
            yield from pending.popleft().get()


def as_article(item: ArticleInput) -> Article:
    """Accept a text, a (text, doc_id) pair or an `Article`."""
    if isinstance(item, Article):
        return item
    if isinstance(item, str):
        return Article(doc_id=default_doc_id(item), text=item, source="<text>")
    text, doc_id = item
    if not isinstance(text, str):
        raise TypeError(f"expected article text as str, got {type(text).__name__}")
    return Article(doc_id=doc_id or default_doc_id(text), text=text, source=f"<{doc_id or 'text'}>")


_extractors: dict[str, Extractor] = {}


def extract(
    text: str, doc_id: str | None = None, pipeline: str = DEFAULT_PIPELINE, *, reference_date: str | date | None = None
) -> ArticleRecord:
    """Extract the article record of one text with a named pipeline (built once per process);
    `reference_date` as in `Extractor.extract`."""
    if pipeline not in _extractors:
        _extractors[pipeline] = Extractor(pipeline)
    return _extractors[pipeline].extract(text, doc_id, reference_date=reference_date)
