"""claimex: turn raw news articles into validated, comparable claim records.

    >>> import claimex
    >>> record = claimex.extract("Prices rose by $5 million in 2019, the minister said.", doc_id="demo")
    >>> record.claims[0].speaker.mention.text
    'the minister'

`extract` handles one article; `Extractor(pipeline=...).pipe(texts)` streams records for many, with
the pipeline built once. Records are pydantic models (`ArticleRecord`) whose
`model_dump(mode="json")` is the documented JSON contract.
"""

from claimex.extractor import Extractor, extract
from claimex.io import Article, read_articles, read_records, record_to_json
from claimex.pipeline import PipelineUnavailable, load_pipeline
from claimex.schema import (
    SCHEMA_VERSION,
    ArticleRecord,
    Claim,
    Cue,
    Entity,
    ErrorInfo,
    Money,
    PipelineInfo,
    Speaker,
    Span,
    YearRef,
    article_record_json_schema,
)

__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "ArticleRecord",
    "Claim",
    "Cue",
    "Entity",
    "ErrorInfo",
    "Extractor",
    "Money",
    "PipelineInfo",
    "PipelineUnavailable",
    "Speaker",
    "Span",
    "YearRef",
    "article_record_json_schema",
    "extract",
    "load_pipeline",
    "read_articles",
    "read_records",
    "record_to_json",
]
