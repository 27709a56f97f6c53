"""The public extraction API: `extract(text)` for one article, `Extractor(...).pipe(...)` for many.

The pipeline is built once per `Extractor` (and cached per process). `pipe` streams: it reads its input
lazily, runs spaCy on batches, and yields one record per input article in input order. An article
that cannot be processed (empty, too long, unreadable, or one that makes a component raise) yields an
error record with its doc_id, and the batch goes on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from itertools import islice

from claimex.io import Article
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
    """

    def __init__(self, pipeline: str | os.PathLike[str] = DEFAULT_PIPELINE, *, max_chars: int = DEFAULT_MAX_CHARS, batch_size: int = 64) -> None:
        self.pipeline_path = pipeline_dir(pipeline)
        self.nlp, self.meta = load_pipeline(pipeline)
        self.max_chars = max_chars
        self.batch_size = max(1, batch_size)
        self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)

    def extract(self, text: str, doc_id: str | None = None) -> ArticleRecord:
        """Extract the record of one article (`doc_id` defaults to one derived from the text hash)."""
        return next(self.pipe([(text, doc_id)]))

    def pipe(self, articles: Iterable[ArticleInput], *, n_process: int = 1, chunk_size: int = 256) -> Iterator[ArticleRecord]:
        """Records for many articles, in input order: texts, (text, doc_id) pairs or `Article`s.

        With `n_process` > 1, chunks of `chunk_size` articles go to a pool of worker processes that
        each build the pipeline once and send back plain records (far cheaper to ship than Docs).
        Input is read lazily and at most two chunks per worker are in flight, so memory stays
        bounded however long the input is.
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

    def _process_batch(self, batch: list[Article]) -> Iterator[ArticleRecord]:
        ready = [(i, a) for i, a in enumerate(batch) if self._problem(a) is None]
        records: dict[int, ArticleRecord] = {}
        try:
            docs = list(self.nlp.pipe(a.text for _, a in ready))
            for (i, article), doc in zip(ready, docs):
                records[i] = self._record(article, doc)
        except Exception:  # one bad article: redo the batch one by one to isolate it
            for i, article in ready:
                records[i] = self._one(article)
        for i, article in enumerate(batch):
            if i in records:
                yield records[i]
            else:
                error_type, message = self._problem(article) or ("Error", "unknown")
                yield error_record(doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta, error_type=error_type, message=message)

    def _one(self, article: Article) -> ArticleRecord:
        try:
            return self._record(article, self.nlp(article.text))
        except Exception as error:  # noqa: BLE001 - any failure becomes the article's error record
            return error_record(
                doc_id=article.doc_id, sha256=article.sha256, pipeline=self.meta,
                error_type=type(error).__name__, message=f"{article.source}: {error}".strip()[:1000],
            )

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


_worker: Extractor | None = None


def _start_worker(pipeline: str, max_chars: int, batch_size: int) -> None:
    """Pool initializer: build the worker's pipeline once."""
    global _worker
    _worker = Extractor(pipeline, max_chars=max_chars, batch_size=batch_size)


def _run_chunk(chunk: list[Article]) -> list[ArticleRecord]:
    assert _worker is not None, "the worker pipeline was not started"
    return list(_worker.pipe(chunk))


def _parallel_pipe(extractor: Extractor, articles: Iterator[Article], *, n_process: int, chunk_size: int) -> Iterator[ArticleRecord]:
    import multiprocessing
    from collections import deque

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pipeline = str(extractor.pipeline_path)
    with context.Pool(n_process, initializer=_start_worker, initargs=(pipeline, extractor.max_chars, extractor.batch_size)) as pool:
        pending: deque = deque()
        while True:
            while len(pending) < 2 * n_process:
                chunk = list(islice(articles, chunk_size))
                if not chunk:
                    break
                pending.append(pool.apply_async(_run_chunk, (chunk,)))
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


def extract(text: str, doc_id: str | None = None, pipeline: str = DEFAULT_PIPELINE) -> ArticleRecord:
    """Extract the article record of one text with a named pipeline (built once per process)."""
    if pipeline not in _extractors:
        _extractors[pipeline] = Extractor(pipeline)
    return _extractors[pipeline].extract(text, doc_id)
