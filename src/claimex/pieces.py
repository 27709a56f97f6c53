"""Very long articles in bounded pieces: where to cut, and how the pieces' findings become one record.

The pipeline's working memory grows with the length of the text it is given, so an article longer
than `piece_chars` is run piece by piece. A piece ends at the start of a line (claimex's paragraphs
are lines, and no sentence crosses a line break) whose previous paragraph leaves no quotation open,
so no sentence and no quotation is split. Each piece after the first is given a lead-in: the
paragraphs just before it (up to `lead_chars`), so that a pronoun, a surname or a role noun at the top
of the piece resolves to the speaker introduced just before, and a quotation standing alone in its
paragraph finds the speaker named in the one before. Claims of the lead-in belong to the previous
piece and are dropped.

`PieceMerger` then shifts every offset to the whole text and joins the referents of the pieces the way
the entity linker joins the mentions of one text: the same label and name, or (for people) a shorter
name that is part of a fuller one ("Doe" and "Jane Doe"), the nearest one before it; each referent is
named by its fullest form, and a speaker resolved to a referent takes its final name. The result is
read by `claimex.records.doc_to_record` like a Doc, so claim ids, their order and the record's shape
are exactly those of an article processed whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import SimpleNamespace

from spacy.tokens import Doc

from claimex.annotations import (
    Attribution,
    CharSpan,
    ClaimDraft,
    Cue,
    EntityInfo,
    MoneyMention,
    YearMention,
)
from claimex.normalize.names import fullest_name, is_name_subsequence, name_key
from claimex.quotes import find_quotations

DEFAULT_PIECE_CHARS = 100_000
"""Articles longer than this (in characters) are processed in pieces of at most this length."""

DEFAULT_LEAD_CHARS = 3_000
"""Paragraphs of context (at most this many characters) given before each piece after the first."""

_SENTENCE_ENDS = (". ", "? ", "! ", ".\t", "… ")


@dataclass(frozen=True)
class Piece:
    """A part of the article: its own text is [start, end); the pipeline reads [lead, end)."""

    lead: int
    start: int
    end: int


def split_pieces(text: str, piece_chars: int = DEFAULT_PIECE_CHARS, lead_chars: int = DEFAULT_LEAD_CHARS) -> list[Piece]:
    """Cut `text` into consecutive pieces of at most `piece_chars` characters (each with its lead-in).

    Cuts fall at a line start after a paragraph with no open quotation; failing that (a quotation
    left open for a quarter of a piece), at any line start; failing that (one paragraph longer than a
    piece), after a sentence end, after a space, or at the limit itself.
    """
    if piece_chars < 1:
        raise ValueError(f"piece_chars must be positive, got {piece_chars}")
    pieces: list[Piece] = []
    start = 0
    while start < len(text):
        end = len(text) if len(text) - start <= piece_chars else _cut(text, start, start + piece_chars)
        pieces.append(Piece(lead=_lead(text, start, lead_chars, pieces[-1].start if pieces else 0), start=start, end=end))
        start = end
    return pieces


def _cut(text: str, start: int, limit: int) -> int:
    floor = start + max(1, (limit - start) // 4)
    position = limit
    while True:  # the last quote-free paragraph boundary in the last three quarters of the piece
        newline = text.rfind("\n", floor - 1, position)
        if newline < 0:
            break
        if not _quotation_open_before(text, newline + 1):
            return newline + 1
        position = newline
    newline = text.rfind("\n", start, limit)
    if newline >= 0:
        return newline + 1
    sentence_end = max(text.rfind(mark, floor, limit) for mark in _SENTENCE_ENDS)
    if sentence_end >= 0:
        return sentence_end + 2
    space = max(text.rfind(" ", floor, limit), text.rfind("\t", floor, limit))
    return space + 1 if space >= 0 else limit


def _lead(text: str, start: int, lead_chars: int, previous_start: int) -> int:
    """The earliest quote-free line start within `lead_chars` before `start` (else `start`)."""
    if start == 0 or lead_chars <= 0:
        return start
    low = max(previous_start, start - lead_chars)
    if low == 0:
        return 0
    lead = start
    position = start - 1
    while True:
        newline = text.rfind("\n", low - 1, position)
        if newline < 0:
            return lead
        if not _quotation_open_before(text, newline + 1):
            lead = newline + 1
        position = newline


def _quotation_open_before(text: str, line_start: int) -> bool:
    """Whether the last paragraph before `line_start` ends inside a quotation (news style runs it on)."""
    end = line_start
    while end > 0 and text[end - 1].isspace():
        end -= 1
    if end == 0:
        return False
    begin = text.rfind("\n", 0, end) + 1
    while text[begin].isspace():
        begin += 1
    paragraph = CharSpan(begin, end)
    return any(not q.closed and q.outer.end == paragraph.end for q in find_quotations(text, [paragraph]))


@dataclass
class _Referent:
    """A referent of the whole article, gathered from the pieces."""

    label: str
    forms: list[str]
    mentions: set[CharSpan]
    rule: str
    roles: list[str]
    gender: str | None
    last: int = 0  # start of its latest mention, for "the nearest before"

    def info(self) -> EntityInfo:
        name = fullest_name(self.forms)
        return EntityInfo(
            name=name,
            label=self.label,
            aliases=tuple(sorted(set(self.forms) - {name})),
            mentions=tuple(sorted(self.mentions)),
            rule=self.rule,
            roles=tuple(dict.fromkeys(self.roles)),
            gender=self.gender,
        )


@dataclass
class PieceMerger:
    """Gathers the annotations of the pieces of one article, in order, into those of the whole text."""

    text: str
    referents: list[_Referent] = field(default_factory=list)
    money: list[MoneyMention] = field(default_factory=list)
    years: list[YearMention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    claims: list[ClaimDraft] = field(default_factory=list)
    _speaker_forms: list[str | None] = field(default_factory=list)  # the piece name each attribution's speaker had
    _by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    _by_surname: dict[str, list[int]] = field(default_factory=dict)

    def add(self, piece: Piece, doc: Doc) -> None:
        """Add the findings of one processed piece (`doc` is the pipeline's Doc of text[lead:end])."""
        offset = piece.lead
        if doc.text != self.text[piece.lead:piece.end]:
            raise ValueError(f"the Doc is not the text of piece [{piece.lead}, {piece.end})")
        kept = [c for c in (doc._.claimex_claims or ()) if c.sentence.start + offset >= piece.start]
        attributions: list[Attribution] = list(doc._.claimex_attributions or ())
        referenced = {e for c in kept for e in c.entities}
        referenced |= {attributions[c.attribution].speaker_entity for c in kept if c.attribution is not None} - {None}
        entity_map = self._add_entities(doc._.claimex_entities or (), offset, piece.start, referenced)

        money_base, years_base, attribution_base = len(self.money), len(self.years), len(self.attributions)
        self.money.extend(
            replace(m, span=_shift(m.span, offset), equivalent_of=None if m.equivalent_of is None else m.equivalent_of + money_base)
            for m in (doc._.claimex_money or ())
        )
        self.years.extend(replace(y, span=_shift(y.span, offset)) for y in (doc._.claimex_years or ()))
        entities = doc._.claimex_entities or ()
        for a in attributions:
            target = entity_map.get(a.speaker_entity) if a.speaker_entity is not None else None
            self._speaker_forms.append(entities[a.speaker_entity].name if target is not None else None)
            self.attributions.append(replace(
                a,
                content=_shift(a.content, offset),
                cue=Cue(span=_shift(a.cue.span, offset), lemma=a.cue.lemma, rule=a.cue.rule),
                speaker_mention=_shift(a.speaker_mention, offset),
                speaker_entity=target,
                sentence=_shift(a.sentence, offset),
            ))
        for c in kept:
            self.claims.append(ClaimDraft(
                sentence=_shift(c.sentence, offset),
                kind=c.kind,
                statement=_shift(c.statement, offset),
                attribution=None if c.attribution is None else c.attribution + attribution_base,
                entities=tuple(dict.fromkeys(entity_map[e] for e in c.entities if entity_map.get(e) is not None)),
                money=tuple(m + money_base for m in c.money),
                years=tuple(y + years_base for y in c.years),
            ))

    def _add_entities(self, entities: tuple[EntityInfo, ...] | list[EntityInfo], offset: int, own_start: int, referenced: set[int]) -> dict[int, int | None]:
        """Join each piece referent to a referent of the article (or start one); piece index -> article index."""
        mapping: dict[int, int | None] = {}
        for index, entity in enumerate(entities):
            mentions = {_shift(m, offset) for m in entity.mentions}
            own = {m for m in mentions if m.start >= own_start}
            first = min((m.start for m in (own or mentions)), default=own_start)
            target = self._match(entity, first)
            if not own and target is None and index not in referenced:
                mapping[index] = None  # seen only in the lead-in: the previous piece has it
                continue
            if target is None:
                target = len(self.referents)
                self.referents.append(_Referent(entity.label, [], set(), entity.rule, [], entity.gender))
            referent = self.referents[target]
            referent.forms.extend(f for f in (entity.name, *entity.aliases) if f not in referent.forms)
            added = own or (mentions if not referent.mentions else set())  # lead-in mentions only for a new referent
            referent.mentions |= added
            referent.roles.extend(entity.roles)
            referent.gender = referent.gender or entity.gender
            referent.last = max(referent.last, max((m.start for m in added), default=0))
            self._index(target)
            mapping[index] = target
        return mapping

    def _match(self, entity: EntityInfo, position: int) -> int | None:
        """The article referent this piece referent is: same label and a shared form, else (people) the
        nearest earlier referent whose name a name of the other is part of."""
        for form in (entity.name, *entity.aliases):
            found = self._by_key.get((entity.label, name_key(form)))
            if found is not None:
                return found
        if entity.label != "PERSON":
            return None
        words = _words(entity.name)
        if not words:
            return None
        candidates = [
            i for i in self._by_surname.get(words[-1].casefold(), ())
            if _related(words, _words(fullest_name(self.referents[i].forms)))
        ]
        if not candidates:
            return None
        before = [i for i in candidates if self.referents[i].last <= position]
        return max(before or candidates, key=lambda i: (self.referents[i].last, -i))

    def _index(self, target: int) -> None:
        referent = self.referents[target]
        for form in referent.forms:
            self._by_key.setdefault((referent.label, name_key(form)), target)
        if referent.label == "PERSON":
            for form in referent.forms:
                words = _words(form)
                if words:
                    bucket = self._by_surname.setdefault(words[-1].casefold(), [])
                    if target not in bucket:
                        bucket.append(target)

    def view(self) -> SimpleNamespace:
        """The merged annotations, shaped like a processed Doc for `claimex.records.doc_to_record`."""
        infos = [r.info() for r in self.referents]
        attributions = [
            replace(a, speaker_name=infos[a.speaker_entity].name)
            if a.speaker_entity is not None and a.speaker_name is not None and a.speaker_name == form else a
            for a, form in zip(self.attributions, self._speaker_forms)
        ]
        extensions = SimpleNamespace(
            claimex_entities=tuple(infos),
            claimex_money=tuple(self.money),
            claimex_years=tuple(self.years),
            claimex_attributions=tuple(attributions),
            claimex_claims=tuple(self.claims),
        )
        return SimpleNamespace(text=self.text, _=extensions)


def _shift(span: CharSpan, offset: int) -> CharSpan:
    return CharSpan(span.start + offset, span.end + offset) if offset else span


def _words(name: str) -> list[str]:
    return [w for w in name.split() if any(ch.isalnum() for ch in w)]


def _related(a: list[str], b: list[str]) -> bool:
    """One personal name is part of the other ("Doe" and "Jane Doe"), compared without case."""
    a_folded, b_folded = [w.casefold() for w in a], [w.casefold() for w in b]
    return is_name_subsequence(a_folded, b_folded) or is_name_subsequence(b_folded, a_folded)
