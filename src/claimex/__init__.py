"""claimex: turn raw news articles into validated, comparable claim records.

    >>> import claimex
    >>> record = claimex.extract("Prices rose by $5 million in 2019, the minister said.", doc_id="demo")
    >>> record.claims[0].speaker.mention.text
    'the minister'

`extract` handles one article; `Extractor(pipeline=...).pipe(texts)` streams records for many, with
the pipeline built once. Records are pydantic models (`ArticleRecord`) whose
`model_dump(mode="json")` is the documented JSON contract. Runs are kept in a `RunStore` (SQLite),
compared with `diff_sources`/`diff_batches`, scored with `evaluate_records`, shown with
`render_report` and exported with `export_parquet`.
"""

from claimex.diff import (
    ArticleDiff,
    BatchDiff,
    diff_articles,
    diff_batches,
    diff_sources,
)
from claimex.evaluate import Evaluation, evaluate_pipeline, evaluate_records
from claimex.export import MissingExtra, export_parquet
from claimex.extractor import Extractor, extract
from claimex.io import Article, RecordLine, read_articles, read_records, record_to_json
from claimex.pipeline import PipelineUnavailable, load_pipeline
from claimex.report import render_report
from claimex.schema import (
    SCHEMA_VERSION,
    ArticleRecord,
    Claim,
    Cue,
    Entity,
    ErrorInfo,
    Money,
    PipelineInfo,
    Span,
    Speaker,
    YearRef,
    article_record_json_schema,
)
from claimex.sources import RecordSource, open_source
from claimex.store import RunInfo, RunStore, StoreError, extract_into_store

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticleDiff",
    "ArticleRecord",
    "BatchDiff",
    "Claim",
    "Cue",
    "Entity",
    "ErrorInfo",
    "Evaluation",
    "Extractor",
    "MissingExtra",
    "Money",
    "PipelineInfo",
    "PipelineUnavailable",
    "RecordLine",
    "RecordSource",
    "RunInfo",
    "RunStore",
    "Span",
    "Speaker",
    "StoreError",
    "YearRef",
    "article_record_json_schema",
    "diff_articles",
    "diff_batches",
    "diff_sources",
    "evaluate_pipeline",
    "evaluate_records",
    "export_parquet",
    "extract",
    "extract_into_store",
    "load_pipeline",
    "open_source",
    "read_articles",
    "read_records",
    "record_to_json",
    "render_report",
]
