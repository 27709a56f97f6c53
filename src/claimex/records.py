"""Doc -> ArticleRecord: ids, spans with their text, and the error record of a failed article.

Entity ids ("e1", "e2", ...) follow the order of first mention. A claim id is a content hash of the
doc_id, the speaker's name and the normalised statement, so the same claim has the same id in every
run and a diff of two runs is a set operation; the rare repeat of an identical claim within one
article gets a "-2", "-3", ... suffix in text order.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Any

from spacy.tokens import Doc

from claimex.annotations import CharSpan, EntityInfo, MoneyMention, YearMention
from claimex.components.doc_text import doc_text
from claimex.pipeline import PipelineMeta
from claimex.schema import (
    SCHEMA_VERSION,
    ArticleRecord,
    ErrorInfo,
    PipelineInfo,
    text_sha256,
)

_FOLD = (("“", '"'), ("”", '"'), ("„", '"'), ("«", '"'), ("»", '"'), ("‘", "'"), ("’", "'"), ("–", "-"), ("—", "-"))


def normalise_statement(text: str) -> str:
    """The form of a statement that its claim id hashes: NFKC, case-folded, plain quotes and dashes,
    single spaces, no closing punctuation. Edits that do not change the words keep the id.

    Quotes and dashes are folded by one `str.replace` each (each a fast scan, and skipped for ASCII
    text), spaces by splitting on whitespace: several times faster than a translation table and a
    regex, with the same result.
    """
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii():
        for mark, plain in _FOLD:
            text = text.replace(mark, plain)
    return " ".join(text.casefold().split()).rstrip(".!?;:,").strip()


def claim_id(doc_id: str, speaker: str | None, statement: str) -> str:
    """Stable id of a claim: "c" + 16 hex digits of SHA-256 over doc_id, speaker and statement."""
    payload = "\x1f".join((doc_id, speaker or "", normalise_statement(statement)))
    return "c" + hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


def default_doc_id(text: str) -> str:
    """The doc_id of an article given without one: derived from its text hash."""
    return "sha256-" + text_sha256(text)[:16]


def doc_to_record(doc: Doc, *, doc_id: str, pipeline: PipelineMeta) -> ArticleRecord:
    """Build the validated article record of a processed Doc.

    The record is assembled as plain data and validated once, as a whole, by `ArticleRecord`: the
    same checks as building each part model by model (every field, span and cross-reference), in one
    pass of pydantic's validator instead of one call per span, which made this step several times
    slower.
    """
    text = doc_text(doc)
    entities_info: Sequence[EntityInfo] = doc._.claimex_entities or ()
    order = sorted(range(len(entities_info)), key=lambda i: (min((m.start for m in entities_info[i].mentions), default=0), i))
    rank_of = {index: rank for rank, index in enumerate(order, start=1)}
    entity_key = {index: f"e{rank}" for index, rank in rank_of.items()}
    entities = tuple(_entity(text, entity_key[i], entities_info[i]) for i in order)

    money = doc._.claimex_money or ()
    years = doc._.claimex_years or ()
    attributions = doc._.claimex_attributions or ()
    claims: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for draft in doc._.claimex_claims or ():
        attribution = attributions[draft.attribution] if draft.attribution is not None else None
        speaker: dict[str, Any] | None = None
        cue: dict[str, Any] | None = None
        if attribution is not None:
            speaker = {
                "name": attribution.speaker_name or _slice(text, attribution.speaker_mention),
                "entity_id": entity_key.get(attribution.speaker_entity) if attribution.speaker_entity is not None else None,
                "mention": _span(text, attribution.speaker_mention),
                "resolved_by": attribution.resolved_by,
                "rule": attribution.rule,
            }
            cue = {
                **_span(text, attribution.cue.span),
                "lemma": attribution.cue.lemma,
                "rule": attribution.cue.rule,
            }
        statement = _span(text, draft.statement)
        local = {doc_index: position for position, doc_index in enumerate(draft.money)}
        claim_money = tuple(_money(text, money[i], local) for i in draft.money)
        claim_years = tuple(_year(text, years[i]) for i in draft.years)
        base_id = claim_id(doc_id, speaker["name"] if speaker else None, statement["text"])
        seen[base_id] = seen.get(base_id, 0) + 1
        claims.append(
            {
                "id": base_id if seen[base_id] == 1 else f"{base_id}-{seen[base_id]}",
                "sentence": _span(text, draft.sentence),
                "kind": draft.kind,
                "statement": statement,
                "speaker": speaker,
                "cue": cue,
                "entity_ids": tuple(f"e{rank}" for rank in sorted(rank_of[i] for i in draft.entities)),
                "money": claim_money,
                "years": claim_years,
            }
        )
    return ArticleRecord.model_validate(
        {
            "schema_version": SCHEMA_VERSION,
            "doc_id": doc_id,
            "text_sha256": text_sha256(text),
            "pipeline": {"name": pipeline.name, "version": pipeline.version},
            "status": "ok",
            "entities": entities,
            "claims": tuple(claims),
        }
    )


def error_record(*, doc_id: str, sha256: str, pipeline: PipelineMeta, error_type: str, message: str) -> ArticleRecord:
    """The record of an article that could not be processed: its id, why, and nothing else."""
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        doc_id=doc_id,
        text_sha256=sha256,
        pipeline=PipelineInfo(name=pipeline.name, version=pipeline.version),
        status="error",
        error=ErrorInfo(type=error_type, message=message),
    )


def _entity(text: str, key: str, info: EntityInfo) -> dict[str, Any]:
    # distinct mentions in text order (as tuples: CharSpan compares field by field, in Python)
    mentions = tuple({"start": start, "end": end, "text": text[start:end]} for start, end in sorted({(m.start, m.end) for m in info.mentions}))
    aliases = tuple(sorted({a for a in info.aliases if a != info.name}))
    return {"id": key, "name": info.name, "label": info.label, "aliases": aliases, "mentions": mentions}


def _money(text: str, mention: MoneyMention, local: dict[int, int]) -> dict[str, Any]:
    """A money mention of a claim; `equivalent_of` becomes an index in the claim's own money."""
    return {
        **_span(text, mention.span),
        "amount": mention.amount,
        "currency": mention.currency,
        "qualifier": mention.qualifier,
        "equivalent_of": local.get(mention.equivalent_of) if mention.equivalent_of is not None else None,
        "rule": mention.rule,
    }


def _year(text: str, mention: YearMention) -> dict[str, Any]:
    """A year mention of a claim."""
    return {
        **_span(text, mention.span),
        "start_year": mention.start_year,
        "end_year": mention.end_year,
        "kind": mention.kind,
        "rule": mention.rule,
    }


def _span(text: str, span: CharSpan) -> dict[str, Any]:
    return {"start": span.start, "end": span.end, "text": text[span.start:span.end]}


def _slice(text: str, span: CharSpan) -> str:
    return text[span.start:span.end]
