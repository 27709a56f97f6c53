"""claimex_claims: one claim per reported statement, and one per other sentence worth keeping.

A sentence that carries a reported statement gives one claim per statement (a quotation that runs on
over several sentences gives one claim covering them). Any other sentence that mentions an amount of
money, a year or a named entity gives an "unattributed" claim: the article's own statement. Money,
years and entities go to the claim whose statement contains them; what lies outside every statement
of its sentence (the speaker's own name, say) goes to the sentence's first claim, so nothing found is
lost.
"""

from __future__ import annotations

import bisect

from spacy.language import Language
from spacy.tokens import Doc

from claimex.annotations import CharSpan, ClaimDraft
from claimex.components.base import RuleComponent
from claimex.components.doc_text import doc_text

FACTORY = "claimex_claims"


class ClaimAssembler(RuleComponent):
    """Builds `doc._.claimex_claims` (tuple of `ClaimDraft`) from the other components' findings."""

    def process(self, doc: Doc) -> Doc:
        doc._.claimex_claims = tuple(assemble_claims(doc))
        return doc


def sentence_spans(doc: Doc, full_text: str) -> list[CharSpan]:
    """Sentence extents without surrounding whitespace, in order; the whole text if unsplit."""
    if doc.has_annotation("SENT_START"):
        raw = [(s.start_char, s.end_char) for s in doc.sents]
    else:
        raw = [(0, len(full_text))]
    spans = []
    for start, end in raw:
        text = full_text[start:end]
        stripped = text.strip()
        if stripped:
            offset = start + (len(text) - len(text.lstrip()))
            spans.append(CharSpan(offset, offset + len(stripped)))
    return spans


def assemble_claims(doc: Doc) -> list[ClaimDraft]:
    """The claims of a document in text order (see module docstring)."""
    attributions = doc._.claimex_attributions or ()
    entities = doc._.claimex_entities or ()
    money = doc._.claimex_money or ()
    years = doc._.claimex_years or ()
    # every entity mention with its entity, in text order (sorted on plain ints: CharSpan compares in Python)
    mentions = [
        (m, index)
        for _, _, index, m in sorted((m.start, m.end, index, m) for index, entity in enumerate(entities) for m in entity.mentions)
    ]

    shells: list[tuple[CharSpan, str, CharSpan, int | None]] = []  # sentence, kind, statement, attribution
    covered_until = -1
    item_starts = sorted([m.span.start for m in money] + [y.span.start for y in years] + [span.start for span, _ in mentions])
    # an attribution belongs to the sentence its statement starts in: a floating quote or the second part
    # of a split quotation shares the cue of an earlier sentence but is claimed where it stands
    by_cue = sorted(range(len(attributions)), key=lambda i: (attributions[i].content.start, i))
    cue_starts = [attributions[i].content.start for i in by_cue]
    full_text = doc_text(doc)
    for sentence in sentence_spans(doc, full_text):
        lo, hi = bisect.bisect_left(cue_starts, sentence.start), bisect.bisect_left(cue_starts, sentence.end)
        own = by_cue[lo:hi]
        if not own and sentence.end <= covered_until:
            continue  # inside a quotation that an earlier claim already covers
        if own:
            for index in own:
                attribution = attributions[index]
                extent = CharSpan(min(attribution.sentence.start, sentence.start), max(attribution.sentence.end, sentence.end))
                if attribution.rule.startswith("quote."):
                    extent = CharSpan(sentence.start, max(sentence.end, attribution.content.end))
                extent = _trim(full_text, extent)
                shells.append((extent, attribution.kind, attribution.content, index))
                covered_until = max(covered_until, extent.end)
            continue
        if bisect.bisect_left(item_starts, sentence.end) > bisect.bisect_left(item_starts, sentence.start):
            shells.append((sentence, "unattributed", sentence, None))

    buckets: list[tuple[list[int], list[int], list[int]]] = [([], [], []) for _ in shells]
    place = _Placer(shells, buckets)
    for index, item in enumerate(money):
        place(item.span, index, 1)
    for index, item in enumerate(years):
        place(item.span, index, 2)
    for span, entity_index in mentions:
        place(span, entity_index, 0, statement_only=True)

    return [
        ClaimDraft(
            sentence=sentence,
            kind=kind,
            statement=statement,
            attribution=attribution,
            entities=tuple(sorted(set(bucket[0]))),
            money=tuple(bucket[1]),
            years=tuple(bucket[2]),
        )
        for (sentence, kind, statement, attribution), bucket in zip(shells, buckets)
    ]


class _Placer:
    """Puts an item in the claim whose statement holds it, else in the first claim of its sentence."""

    def __init__(self, shells: list[tuple[CharSpan, str, CharSpan, int | None]], buckets: list[tuple[list[int], list[int], list[int]]]) -> None:
        self.buckets = buckets
        self.starts = [shell[0].start for shell in shells]
        # (start, end) of each claim's sentence and statement, as plain ints
        self.sentences = [(shell[0].start, shell[0].end) for shell in shells]
        self.statements = [(shell[2].start, shell[2].end) for shell in shells]

    def __call__(self, span: CharSpan, index: int, slot: int, statement_only: bool = False) -> None:
        # claims whose sentence may overlap the span: those starting before its end, nearest first
        start, end = span.start, span.end
        hi = bisect.bisect_right(self.starts, start)
        nearby = range(max(0, hi - 8), min(len(self.starts), hi + 1))
        for i in nearby:
            first, last = self.statements[i]
            if first <= start and end <= last:  # the statement contains the span
                self.buckets[i][slot].append(index)
                return
        if statement_only:
            return
        for i in nearby:
            first, last = self.sentences[i]
            if first < end and start < last:  # the sentence overlaps the span
                self.buckets[i][slot].append(index)
                return


def _trim(text: str, span: CharSpan) -> CharSpan:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return CharSpan(start, end)


@Language.factory(FACTORY, assigns=["doc._.claimex_claims"], requires=["token.is_sent_start"])
def make_claims(nlp: Language, name: str) -> ClaimAssembler:
    """Claim assembly (see module docstring)."""
    return ClaimAssembler(nlp, name)
