"""Pydantic models of the article record, the public data contract (schema version 1.0).

The models are frozen, forbid unknown fields and use tuples, so a record cannot drift after it is
built. `ArticleRecord.model_dump(mode="json")` is exactly the JSON shape documented in the README
("Output"); `article_record_json_schema()` exports the JSON Schema committed in
`src/claimex/record.schema.json`.

Offsets can only be checked against the article text, which a record does not carry (it carries its
SHA-256). Pass the text as validation context to check them:
`ArticleRecord.model_validate(data, context={"text": text})`.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from typing import Annotated, Any, Literal

import pycountry
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    ValidationInfo,
    model_validator,
)

SCHEMA_VERSION = "1.0"

EntityLabel = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "OTHER"]
ClaimKind = Literal["direct", "indirect", "unattributed"]
ResolvedBy = Literal["name", "alias", "title", "pronoun", "unresolved"]
Qualifier = Literal["exact", "more_than", "less_than", "at_least", "at_most", "about"]
YearKind = Literal["year", "decade", "century", "range", "fiscal"]
Status = Literal["ok", "error"]
InputFlag = Literal[
    "bom_removed", "utf16_decoded", "invalid_bytes_replaced", "nul_removed", "html_stripped", "html_entities_decoded",
    "reference_date_ignored",
]
"""What reading an input changed to get the article text (see `claimex.textclean`), or left out of it:
`reference_date_ignored` says the article's date field held no readable date (see `claimex.io`)."""

_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@cache
def _iso_4217_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic code pycountry knows, current ones only."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def _check_currency(code: str) -> str:
    if code not in _iso_4217_codes():
        raise ValueError(f"{code!r} is not an ISO 4217 currency code")
    return code


def _check_decimal(value: str) -> str:
    if not _DECIMAL.match(value):
        raise ValueError(f"{value!r} is not a plain decimal string such as '147000000' or '0.5'")
    return value


def _check_sha256(value: str) -> str:
    if not _SHA256.match(value):
        raise ValueError(f"{value!r} is not a lower-case hex SHA-256 digest")
    return value


CurrencyCode = Annotated[str, AfterValidator(_check_currency)]
DecimalString = Annotated[str, AfterValidator(_check_decimal)]
Sha256Hex = Annotated[str, AfterValidator(_check_sha256)]
Year = Annotated[int, Field(ge=-9999, le=9999)]
NonEmptyStr = Annotated[str, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=False)


def _check_offsets(model: Any, info: ValidationInfo) -> Any:
    """Shared check of `start`, `end` and `text`: ordered, consistent and, with context, exact."""
    start, end, text = model.start, model.end, model.text
    if end < start:
        raise ValueError(f"span end {end} is before its start {start}")
    if len(text) != end - start:
        raise ValueError(f"span text {text!r} has {len(text)} characters but the offsets span {end - start}")
    article = (info.context or {}).get("text") if info.context else None
    if article is not None and article[start:end] != text:
        raise ValueError(f"text[{start}:{end}] is {article[start:end]!r}, not {text!r}")
    return model


class Span(_Frozen):
    """A piece of the article text: `text == article[start:end]` (code point offsets, end exclusive)."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str

    _offsets = model_validator(mode="after")(_check_offsets)


class PipelineInfo(_Frozen):
    """Which pipeline made a record; records of the same name and version are comparable."""

    name: NonEmptyStr
    version: NonEmptyStr


class ErrorInfo(_Frozen):
    """Why an article could not be processed."""

    type: NonEmptyStr
    message: str


class Entity(_Frozen):
    """One referent of the article, with its canonical name, other names and every mention."""

    id: NonEmptyStr
    name: NonEmptyStr
    label: EntityLabel
    aliases: tuple[str, ...] = ()
    mentions: tuple[Span, ...] = ()


class Cue(_Frozen):
    """The reporting expression of an attribution ("said", "according to")."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str
    lemma: NonEmptyStr
    rule: NonEmptyStr

    _offsets = model_validator(mode="after")(_check_offsets)


class Speaker(_Frozen):
    """Who made a claim: the canonical name, and the words that name the speaker at this place."""

    name: NonEmptyStr
    entity_id: str | None = None
    mention: Span
    resolved_by: ResolvedBy
    rule: NonEmptyStr


class Money(_Frozen):
    """An amount of money, fully scaled, with its currency and how exact the article says it is."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str
    amount: DecimalString
    currency: CurrencyCode | None
    qualifier: Qualifier = "exact"
    equivalent_of: NonNegativeInt | None = None
    rule: NonEmptyStr

    _offsets = model_validator(mode="after")(_check_offsets)


class YearRef(_Frozen):
    """A reference to a year or a span of years, resolved to its first and last calendar year."""

    start: NonNegativeInt
    end: NonNegativeInt
    text: str
    start_year: Year
    end_year: Year
    kind: YearKind
    rule: NonEmptyStr

    @model_validator(mode="after")
    def _years_ordered(self, info: ValidationInfo) -> YearRef:
        _check_offsets(self, info)
        if self.end_year < self.start_year:
            raise ValueError(f"end_year {self.end_year} is before start_year {self.start_year}")
        return self


class Claim(_Frozen):
    """One statement of the article: reported by a speaker (direct or indirect) or the article's own."""

    id: NonEmptyStr
    sentence: Span
    kind: ClaimKind
    statement: Span
    speaker: Speaker | None = None
    cue: Cue | None = None
    entity_ids: tuple[str, ...] = ()
    money: tuple[Money, ...] = ()
    years: tuple[YearRef, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Claim:
        if self.kind == "unattributed" and (self.speaker is not None or self.cue is not None):
            raise ValueError("an unattributed claim has neither speaker nor cue")
        if self.kind != "unattributed" and self.cue is None:
            raise ValueError(f"a {self.kind} claim needs the cue that attributes it")
        for index, money in enumerate(self.money):
            if money.equivalent_of is not None and not (0 <= money.equivalent_of < len(self.money)):
                raise ValueError(f"money[{index}].equivalent_of={money.equivalent_of} is not an index of this claim's money")
            if money.equivalent_of == index:
                raise ValueError(f"money[{index}] cannot be the equivalent of itself")
        return self


class ArticleRecord(_Frozen):
    """Everything claimex extracted from one article; one JSON Lines row of a batch."""

    schema_version: Literal["1.0"] = SCHEMA_VERSION
    doc_id: NonEmptyStr
    text_sha256: Sha256Hex
    pipeline: PipelineInfo
    status: Status
    error: ErrorInfo | None = None
    entities: tuple[Entity, ...] = ()
    claims: tuple[Claim, ...] = ()
    input_flags: tuple[InputFlag, ...] = Field(
        default=(),
        exclude_if=lambda flags: not flags,
        description=(
            "What reading the input changed to get the text the offsets point into, or dropped (an unreadable date:"
            " reference_date_ignored); left out when nothing was changed."
        ),
    )

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> ArticleRecord:
        if (self.status == "error") != (self.error is not None):
            raise ValueError("status 'error' goes with an error, and status 'ok' with none")
        entity_ids = [entity.id for entity in self.entities]
        if len(set(entity_ids)) != len(entity_ids):
            raise ValueError("entity ids must be unique within a record")
        known = set(entity_ids)
        for claim in self.claims:
            unknown = [eid for eid in claim.entity_ids if eid not in known]
            if claim.speaker is not None and claim.speaker.entity_id is not None and claim.speaker.entity_id not in known:
                unknown.append(claim.speaker.entity_id)
            if unknown:
                raise ValueError(f"claim {claim.id} refers to unknown entities {unknown}")
        claim_ids = [claim.id for claim in self.claims]
        if len(set(claim_ids)) != len(claim_ids):
            raise ValueError("claim ids must be unique within a record")
        article = (info.context or {}).get("text") if info.context else None
        if article is not None and text_sha256(article) != self.text_sha256:
            raise ValueError("text_sha256 does not match the text given in the validation context")
        return self


def text_sha256(text: str) -> str:
    """Hex SHA-256 of the UTF-8 encoding of `text`: the `text_sha256` of a record."""
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def article_record_json_schema() -> dict[str, Any]:
    """The JSON Schema of an article record, as serialized (what `model_dump(mode="json")` gives)."""
    return ArticleRecord.model_json_schema(mode="serialization")
