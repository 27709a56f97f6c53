"""Doc -> ArticleRecord: ids, spans with their text, and the error record of a failed article.

Entity ids ("e1", "e2", ...) follow the order of first mention. A claim id is a content hash of the
doc_id, the speaker's name and the normalised statement, so the same claim has the same id in every
run and a diff of two runs is a set operation; the rare repeat of an identical claim within one
article gets a "-2", "-3", ... suffix in text order.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from spacy.tokens import Doc

from claimex.annotations import CharSpan, EntityInfo
from claimex.pipeline import PipelineMeta
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
    text_sha256,
)

_SPACES = re.compile(r"\s+")
_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "–": "-", "—": "-"})


def normalise_statement(text: str) -> str:
    """The form of a statement that its claim id hashes: NFKC, case-folded, plain quotes and dashes,
    single spaces, no closing punctuation. Edits that do not change the words keep the id."""
    text = unicodedata.normalize("NFKC", text).translate(_FOLD).casefold()
    return _SPACES.sub(" ", text).strip().rstrip(".!?;:,").strip()


def claim_id(doc_id: str, speaker: str | None, statement: str) -> str:
    """Stable id of a claim: "c" + 16 hex digits of SHA-256 over doc_id, speaker and statement."""
    payload = "\x1f".join((doc_id, speaker or "", normalise_statement(statement)))
    return "c" + hashlib.sha256(payload.encode("utf-8", errors="surrogatepass")).hexdigest()[:16]


def default_doc_id(text: str) -> str:
    """The doc_id of an article given without one: derived from its text hash."""
    return "sha256-" + text_sha256(text)[:16]


def doc_to_record(doc: Doc, *, doc_id: str, pipeline: PipelineMeta) -> ArticleRecord:
    """Build the validated article record of a processed Doc."""
    text = doc.text
    entities_info: Sequence[EntityInfo] = doc._.claimex_entities or ()
    order = sorted(range(len(entities_info)), key=lambda i: (min((m.start for m in entities_info[i].mentions), default=0), i))
    entity_key = {index: f"e{rank}" for rank, index in enumerate(order, start=1)}
    entities = tuple(_entity(text, entity_key[i], entities_info[i]) for i in order)

    money = doc._.claimex_money or ()
    years = doc._.claimex_years or ()
    attributions = doc._.claimex_attributions or ()
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    for draft in doc._.claimex_claims or ():
        attribution = attributions[draft.attribution] if draft.attribution is not None else None
        speaker = cue = None
        if attribution is not None:
            speaker = Speaker(
                name=attribution.speaker_name or _slice(text, attribution.speaker_mention),
                entity_id=entity_key.get(attribution.speaker_entity) if attribution.speaker_entity is not None else None,
                mention=_span(text, attribution.speaker_mention),
                resolved_by=attribution.resolved_by,
                rule=attribution.rule,
            )
            cue = Cue(
                start=attribution.cue.span.start,
                end=attribution.cue.span.end,
                text=_slice(text, attribution.cue.span),
                lemma=attribution.cue.lemma,
                rule=attribution.cue.rule,
            )
        statement = _span(text, draft.statement)
        local = {doc_index: position for position, doc_index in enumerate(draft.money)}
        claim_money = tuple(
            Money(
                start=money[i].span.start,
                end=money[i].span.end,
                text=_slice(text, money[i].span),
                amount=money[i].amount,
                currency=money[i].currency,
                qualifier=money[i].qualifier,
                equivalent_of=local.get(money[i].equivalent_of) if money[i].equivalent_of is not None else None,
                rule=money[i].rule,
            )
            for i in draft.money
        )
        claim_years = tuple(
            YearRef(
                start=years[i].span.start,
                end=years[i].span.end,
                text=_slice(text, years[i].span),
                start_year=years[i].start_year,
                end_year=years[i].end_year,
                kind=years[i].kind,
                rule=years[i].rule,
            )
            for i in draft.years
        )
        base_id = claim_id(doc_id, speaker.name if speaker else None, statement.text)
        seen[base_id] = seen.get(base_id, 0) + 1
        claims.append(
            Claim(
                id=base_id if seen[base_id] == 1 else f"{base_id}-{seen[base_id]}",
                sentence=_span(text, draft.sentence),
                kind=draft.kind,
                statement=statement,
                speaker=speaker,
                cue=cue,
                entity_ids=tuple(sorted((entity_key[i] for i in draft.entities), key=lambda key: int(key[1:]))),
                money=claim_money,
                years=claim_years,
            )
        )
    return ArticleRecord(
        schema_version=SCHEMA_VERSION,
        doc_id=doc_id,
        text_sha256=text_sha256(text),
        pipeline=PipelineInfo(name=pipeline.name, version=pipeline.version),
        status="ok",
        entities=entities,
        claims=tuple(claims),
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


def _entity(text: str, key: str, info: EntityInfo) -> Entity:
    mentions = tuple(_span(text, m) for m in sorted(set(info.mentions)))
    aliases = tuple(sorted({a for a in info.aliases if a != info.name}))
    return Entity(id=key, name=info.name, label=info.label, aliases=aliases, mentions=mentions)


def _span(text: str, span: CharSpan) -> Span:
    return Span(start=span.start, end=span.end, text=text[span.start:span.end])


def _slice(text: str, span: CharSpan) -> str:
    return text[span.start:span.end]
