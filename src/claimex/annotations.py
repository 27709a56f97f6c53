"""What claimex components leave on a spaCy Doc, as small frozen dataclasses.

Every component writes its findings to one `Doc` extension (`doc._.claimex_money`, ...) and mirrors
them in `doc.spans` (or `doc.ents`) so displaCy and the Matcher can see them. Offsets are character
offsets into `doc.text`. `claimex.records` turns these into the pydantic article record; the
dataclasses stay internal so components remain cheap and picklable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc


@dataclass(frozen=True, order=True)
class CharSpan:
    """Half-open character range [start, end) of the document text."""

    start: int
    end: int

    def contains(self, other: CharSpan) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: CharSpan) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True)
class EntityInfo:
    """One referent: canonical name, label, other surface forms and all its mentions."""

    name: str
    label: str
    aliases: tuple[str, ...]
    mentions: tuple[CharSpan, ...]
    rule: str
    roles: tuple[str, ...] = ()  # role nouns the article gives a person ("ambassador"), lower-case
    gender: str | None = None  # "m" / "f" when a title or pronoun says so


@dataclass(frozen=True)
class MoneyMention:
    """An amount of money: `amount` is a plain decimal string in the major unit."""

    span: CharSpan
    amount: str
    currency: str | None
    qualifier: str
    rule: str
    equivalent_of: int | None = None  # index in doc._.claimex_money of the amount this one restates


@dataclass(frozen=True)
class YearMention:
    """A year, decade, century, range of years or fiscal year."""

    span: CharSpan
    start_year: int
    end_year: int
    kind: str
    rule: str


@dataclass(frozen=True)
class Cue:
    """The reporting expression and the rule that found it."""

    span: CharSpan
    lemma: str
    rule: str


@dataclass(frozen=True)
class Attribution:
    """A reported statement: who (mention and resolved name), the cue, and what was said."""

    kind: str  # "direct" | "indirect"
    content: CharSpan
    cue: Cue
    speaker_mention: CharSpan
    speaker_name: str | None
    speaker_entity: int | None  # index in doc._.claimex_entities
    resolved_by: str
    rule: str
    sentence: CharSpan = field(default=CharSpan(0, 0))


@dataclass(frozen=True)
class ClaimDraft:
    """A claim before ids are assigned: indexes point into the doc-level annotation lists."""

    sentence: CharSpan
    kind: str
    statement: CharSpan
    attribution: int | None  # index in doc._.claimex_attributions
    entities: tuple[int, ...]
    money: tuple[int, ...]
    years: tuple[int, ...]


EXTENSIONS: dict[str, object] = {
    "claimex_entities": None,
    "claimex_money": None,
    "claimex_years": None,
    "claimex_attributions": None,
    "claimex_claims": None,
    "claimex_paragraphs": None,
}


def register_extensions() -> None:
    """Register the Doc extensions claimex components write (idempotent)."""
    for name, default in EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
