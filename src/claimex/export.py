"""Export a batch for analytics at scale: one Parquet row per claim, readable by DuckDB or any Parquet reader.

Needs pyarrow, from the optional extra: `pip install "claimex[parquet]"`. Rows are written through
Arrow in row groups of `batch_rows` claims, so memory stays bounded however large the run.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from claimex.schema import ArticleRecord

PARQUET_EXTRA_HINT = 'Parquet export needs pyarrow, which is not installed: pip install "claimex[parquet]"'


class MissingExtra(RuntimeError):
    """An optional dependency is not installed; the message names the extra that installs it."""


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as error:
        raise MissingExtra(PARQUET_EXTRA_HINT) from error
    return pyarrow


def claim_schema(pa: Any) -> Any:
    """The Arrow schema of a claim row."""
    money = pa.struct([("text", pa.string()), ("amount", pa.string()), ("currency", pa.string()),
                       ("qualifier", pa.string()), ("equivalent_of", pa.int32())])
    year = pa.struct([("text", pa.string()), ("start_year", pa.int32()), ("end_year", pa.int32()), ("kind", pa.string())])
    return pa.schema([
        ("run", pa.string()),
        ("pipeline_name", pa.string()),
        ("pipeline_version", pa.string()),
        ("doc_id", pa.string()),
        ("text_sha256", pa.string()),
        ("claim_id", pa.string()),
        ("position", pa.int32()),
        ("kind", pa.string()),
        ("speaker", pa.string()),
        ("speaker_mention", pa.string()),
        ("speaker_resolved_by", pa.string()),
        ("cue", pa.string()),
        ("cue_lemma", pa.string()),
        ("statement", pa.string()),
        ("statement_start", pa.int64()),
        ("statement_end", pa.int64()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("entities", pa.list_(pa.string())),
        ("entity_labels", pa.list_(pa.string())),
        ("money", pa.list_(money)),
        ("years", pa.list_(year)),
    ])


def claim_rows(records: Iterable[ArticleRecord], *, run: str) -> Iterable[dict[str, Any]]:
    """One plain dict per claim, in record and claim order (error records have no claims)."""
    for record in records:
        entities = {entity.id: entity for entity in record.entities}
        for position, claim in enumerate(record.claims):
            speaker, cue = claim.speaker, claim.cue
            named = [entities[e] for e in claim.entity_ids if e in entities]
            yield {
                "run": run,
                "pipeline_name": record.pipeline.name,
                "pipeline_version": record.pipeline.version,
                "doc_id": record.doc_id,
                "text_sha256": record.text_sha256,
                "claim_id": claim.id,
                "position": position,
                "kind": claim.kind,
                "speaker": speaker.name if speaker else None,
                "speaker_mention": speaker.mention.text if speaker else None,
                "speaker_resolved_by": speaker.resolved_by if speaker else None,
                "cue": cue.text if cue else None,
                "cue_lemma": cue.lemma if cue else None,
                "statement": claim.statement.text,
                "statement_start": claim.statement.start,
                "statement_end": claim.statement.end,
                "sentence_start": claim.sentence.start,
                "sentence_end": claim.sentence.end,
                "entities": [entity.name for entity in named],
                "entity_labels": [entity.label for entity in named],
                "money": [{"text": m.text, "amount": m.amount, "currency": m.currency, "qualifier": m.qualifier,
                           "equivalent_of": m.equivalent_of} for m in claim.money],
                "years": [{"text": y.text, "start_year": y.start_year, "end_year": y.end_year, "kind": y.kind} for y in claim.years],
            }


def export_parquet(records: Iterable[ArticleRecord], path: str | os.PathLike[str], *, run: str, batch_rows: int = 50_000) -> int:
    """Write one row per claim to a Parquet file; returns the number of rows.

    Raises:
        MissingExtra: pyarrow is not installed.
    """
    pa = _pyarrow()
    schema = claim_schema(pa)
    rows = 0
    buffer: list[dict[str, Any]] = []
    path = Path(path)
    with pa.parquet.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for row in claim_rows(records, run=run):
            buffer.append(row)
            if len(buffer) >= batch_rows:
                writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
                rows += len(buffer)
                buffer = []
        if buffer or rows == 0:
            writer.write_table(pa.Table.from_pylist(buffer, schema=schema))
            rows += len(buffer)
    return rows
