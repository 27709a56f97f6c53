"""Where attributed content lies around a quotation: the quotation pass of claimex_attribution.

A quotation is attributed by the Matcher candidate right after it ("“We will win,” she said") or right
before it ("She said: “We will win.”", "X said in a statement: “...”"). A split quotation ("“We will,”
she said, “win.”") gives two statements with one cue, as news annotation does. A quotation that opens a
sentence and has no attribution of its own continues the speaker of the statement before it in the same
paragraph; one that opens a paragraph continues the last speaker of the paragraph before (a floating
quote). Everything here is linear in the number of tokens: candidates are indexed by token position.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from collections.abc import Callable
from typing import Any

from spacy.tokens import Doc

from claimex.annotations import CharSpan
from claimex.components.attribution_sentences import AnySentence, sentence_of
from claimex.components.token_table import token_table
from claimex.quotes import Quotation

CONTENT_BEFORE = ("content_cue_speaker", "content_speaker_cue")
CONTENT_AFTER = ("speaker_cue_content", "cue_speaker_content")
BEFORE_GAP = 10  # tokens allowed between a cue and the quotation it introduces ("said in a statement:")
SIGNATURE_RULES = ("dash.",)  # rules whose attribution may follow a quotation that ends with a full stop
SPEECH_WORDS = 6  # a quotation set apart as a paragraph this long is speech even after a paragraph of narration
MIN_FOLLOWER_WORDS = 3  # a quotation continuing an earlier speaker must be a statement, not a scare quote


class _kept:
    """A value worked out from an object's fields on first read and kept in its `__dict__`: what
    `functools.cached_property` does, without the lock it takes on every first read (Python 3.11),
    which costs more than working out the value. Candidates are made and read in one thread."""

    def __init__(self, compute: Callable[[Any], int]) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, instance: Any, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.compute(instance)
        return value


@dataclass(frozen=True, eq=False)
class Candidate:
    """A Matcher hit with its tokens grouped by role (token indexes); compared by identity."""

    rule: str
    layout: str
    start: int
    end: int
    roles: dict[str, tuple[int, ...]]

    @_kept
    def core(self) -> int:
        """First token of the speaker phrase or cue (after any separator or quotation mark)."""
        roles, missing = self.roles, (self.end - 1,)  # a role the match lacks counts as its last token
        get = roles.get
        return min((get("cue") or missing) + (get("possessor") or missing) + (get("speaker") or missing) + (get("speaker_name") or missing))

    @_kept
    def cue_end(self) -> int:
        """The token after the cue (a candidate's roles are fixed once it is made)."""
        return max(self.roles["cue"]) + 1


@dataclass(frozen=True, eq=False)
class Finding:
    """An attribution before its speaker is resolved: candidate, content and the sentences it spans.

    `follows` is set for a statement without a cue of its own (a quotation continued after its
    attribution, a floating quote): it shares the speaker and cue of that earlier finding.
    """

    candidate: Candidate
    content: CharSpan
    extent: CharSpan
    kind: str
    follows: Finding | None = field(default=None, compare=False)
    rule: str | None = None

    @property
    def attribution_rule(self) -> str:
        return self.rule or self.candidate.rule


class SentenceIndex:
    """Character extents of a document's sentences, paragraphs and quotations, to find those around a character."""

    def __init__(self, sentences: list[AnySentence], paragraphs: tuple[CharSpan, ...], quotations: tuple[Quotation, ...] = ()) -> None:
        self.starts = [s.start_char for s in sentences]
        self.ends = [s.end_char for s in sentences]
        self.paragraph_starts = [p.start for p in paragraphs]
        self.paragraph_ends = [p.end for p in paragraphs]
        self.quotations = quotations
        self.quotation_starts = [q.outer.start for q in quotations]

    def quotations_near(self, span: CharSpan) -> tuple[Quotation, ...]:
        """The few quotations that start before the end of `span` and may hold it."""
        hi = bisect.bisect_right(self.quotation_starts, span.end)
        return self.quotations[max(0, hi - 4):hi]

    def start_of(self, char: int) -> int:
        i = bisect.bisect_right(self.starts, char) - 1
        return self.starts[i] if i >= 0 else char

    def end_of(self, char: int) -> int:
        i = bisect.bisect_left(self.ends, char)
        return self.ends[i] if i < len(self.ends) else char

    def paragraph_of(self, char: int) -> int:
        return bisect.bisect_right(self.paragraph_starts, char) - 1


class QuotationPass:
    """Attributes quotations to the candidates next to them, then continues speakers over quotations."""

    def __init__(self, doc: Doc, text: str, candidates: list[Candidate], quotations: tuple[Quotation, ...], index: SentenceIndex, component) -> None:
        self.doc = doc
        self.text = text
        self.quotations = quotations
        self.index = index
        self.component = component
        self.table = token_table(doc)
        self.token_starts = self.table.idx  # no Token objects: cheap on long texts
        self.by_core: dict[int, list[Candidate]] = {}
        self.by_end: dict[int, list[Candidate]] = {}
        for candidate in candidates:
            if candidate.layout == "secondary" or not (candidate.roles.get("speaker") or candidate.roles.get("speaker_name")):
                continue
            self.by_core.setdefault(candidate.core, []).append(candidate)
            self.by_end.setdefault(candidate.end, []).append(candidate)
        self.claimed: set[int] = set()  # indexes of quotations attributed here
        self.used: set[Candidate] = set()

    def token_at(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.token_starts, char) - 1)

    # -- adjacent attributions ------------------------------------------------------------------
    def adjacent(self) -> list[Finding]:
        found: list[Finding] = []
        by_quotation: dict[int, Finding] = {}
        for number, quotation in enumerate(self.quotations):
            finding = self.after(quotation) or self.before(quotation) or self.lead_in(quotation)
            if finding is not None:
                self.claimed.add(number)
                self.used.add(finding.candidate)
                found.append(finding)
                by_quotation[number] = finding
        # a quotation left open at the end of a paragraph runs on into the next one, which names the speaker
        for number in range(len(self.quotations) - 2, -1, -1):
            quotation, following = self.quotations[number], self.quotations[number + 1]
            source = by_quotation.get(number + 1)
            if quotation.closed or number in self.claimed or source is None or not self.opens_paragraph(following):
                continue
            if self.index.paragraph_of(following.outer.start) != self.index.paragraph_of(quotation.outer.start) + 1:
                continue
            content = self.component.trim(self.text, quotation.inner)
            extent = CharSpan(self.index.start_of(quotation.outer.start), self.index.end_of(quotation.outer.end))
            finding = Finding(source.candidate, content, extent, "direct", follows=source.follows or source, rule="quote.run_on")
            self.claimed.add(number)
            found.append(finding)
            by_quotation[number] = finding
        return found

    def after(self, quotation: Quotation) -> Finding | None:
        """“...,” she said / “...?” asked the minister / “...,” Sharks coach Peter DeBoer said."""
        if not quotation.closed:
            return None
        doc, close = self.doc, self.token_at(quotation.outer.end - 1)
        j = close + 1
        if j < len(doc) and self.table.text[j] in (",", "—", "–"):
            j += 1
        options = [c for k in (close + 1, j) for c in self.by_core.get(k, ()) if self.same_paragraph(quotation, c)]
        if self.text[quotation.inner.start:quotation.inner.end].rstrip().endswith("."):
            # “....” she said. is not news style, but a signature is: “....” — Commissioner X
            options = [c for c in options if c.rule.startswith(SIGNATURE_RULES)]
        if not options:
            return None
        candidate = max(options, key=lambda c: (c.end - c.core, c.layout in CONTENT_BEFORE))
        if self.opens_sentence(quotation):
            content = self.component.trim(self.text, quotation.inner)
        else:  # a quotation that ends a sentence begun in the reporter's words: "Her time has been “hard,” she said."
            sentence_start = self.component.statement_start_at(doc, self.index.start_of(quotation.outer.start))
            content = self.component.trim(self.text, CharSpan(min(sentence_start, quotation.outer.start), quotation.outer.end))
        return Finding(candidate, content, self.extent(quotation, candidate), "direct")

    def before(self, quotation: Quotation) -> Finding | None:
        """She said: “...” / X said in a statement: “...” / X said that “...” / “A,” she said, “B.”"""
        doc, opening = self.doc, self.token_at(quotation.outer.start)
        texts = token_table(doc).text
        for end in range(opening, max(-1, opening - BEFORE_GAP - 1), -1):
            gap = opening - end  # tokens between the candidate and the quotation
            if gap and not self.acceptable_gap(end, opening):
                continue
            for candidate in sorted(self.by_end.get(end, ()), key=lambda c: c.core - c.end):
                if candidate.layout not in CONTENT_AFTER and not self.follows_quotation(candidate):
                    continue
                if not self.same_paragraph(quotation, candidate) or not self.component.may_open(doc, candidate):
                    continue
                return Finding(candidate, self.content_after(quotation), self.extent(quotation, candidate), "direct")
            if gap and texts[end - 1] in (".", "!", "?", "”", '"'):
                break
        return None

    def lead_in(self, quotation: Quotation) -> Finding | None:
        """A quotation after a colon in a sentence whose subject is a speaker, with no reporting verb:
        "Dr. Jane Doe, an addictions doctor, is more blunt: “...”". The colon is the cue."""
        doc, opening = self.doc, self.token_at(quotation.outer.start)
        colon = opening - 1
        if colon <= 0 or doc[colon].text != ":" or len(self.text[quotation.inner.start:quotation.inner.end].split()) < MIN_FOLLOWER_WORDS:
            return None
        sentence = sentence_of(doc, colon)
        subject = self.component.opening_subject(doc, sentence, self.component.statement_start(doc, sentence))
        if subject is None or subject[-1] >= colon or doc[subject[0]].lower_ in ("it", "there", "this"):
            return None
        if not any(doc[i].ent_type_ in ("PERSON", "ORG") or doc[i].lower_ in self.component.speaker_lexicon.pronoun_gender for i in subject):
            return None  # a name or a pronoun: "The list includes: “...”" is not a speaker
        if any(t.is_quote or t.text in (".", ";") for t in doc[subject[-1] + 1:colon]):
            return None
        candidate = Candidate("colon.lead_in", "speaker_cue_content", subject[0], colon + 1, {"speaker": tuple(subject), "cue": (colon,)})
        return Finding(candidate, self.component.trim(self.text, quotation.inner), self.extent(quotation, candidate), "direct")

    def acceptable_gap(self, start: int, end: int) -> bool:
        """What may stand between a cue and its quotation (the tokens `start`..`end`, at least one): "that",
        or a phrase ending in : or ,."""
        t = token_table(self.doc)
        if end - start == 1 and t.lower[start] in ("that", ":", ",", "—", "–"):
            return True
        if t.text[end - 1] not in (":", ","):
            return False
        verbs = self.component.verb_lemmas
        return not any(t.is_quote[k] or t.text[k] in (".", "!", "?", ";") or t.lower[k] in verbs for k in range(start, end - 1))

    def follows_quotation(self, candidate: Candidate) -> bool:
        """A speaker-cue pair right after a closing mark ("“A,” she said, “B.”") also introduces what follows."""
        k = candidate.core - 1
        while k >= 0 and self.doc[k].text in (",", "—", "–"):
            k -= 1
        return k >= 0 and self.doc[k].is_quote

    def content_after(self, quotation: Quotation) -> CharSpan:
        """The quotation's words; with the rest of its sentence when the sentence goes on after it."""
        sentence_end = self.index.end_of(quotation.outer.end)
        rest = self.text[quotation.outer.end:sentence_end]
        if sum(c.isalnum() for c in rest) > 3 and quotation.closed:
            return self.component.trim(self.text, CharSpan(quotation.outer.start, sentence_end))
        return self.component.trim(self.text, quotation.inner)

    # -- quotations without an attribution of their own --------------------------------------------
    def followers(self, findings: list[Finding]) -> list[Finding]:
        """Quotations that continue the speaker of the statement before them (see module docstring)."""
        ordered = sorted(findings, key=lambda f: f.content.start)
        taken = [f.content for f in ordered]
        starts = [c.start for c in taken]
        found: list[Finding] = []
        pointer, last = 0, None
        for number, quotation in enumerate(self.quotations):
            while pointer < len(ordered) and ordered[pointer].content.start < quotation.outer.start:
                if last is None or ordered[pointer].content.start >= last.content.start:
                    last = ordered[pointer]
                pointer += 1
            if number in self.claimed or last is None or self.overlaps_taken(quotation, taken, starts):
                continue
            if len(self.text[quotation.inner.start:quotation.inner.end].split()) < MIN_FOLLOWER_WORDS or not self.opens_sentence(quotation):
                continue
            here = self.index.paragraph_of(quotation.outer.start)
            there = self.index.paragraph_of(last.content.end - 1)
            if here == there:
                rule = "quote.continuation"
            elif here == there + 1 and self.opens_paragraph(quotation):
                rule = "quote.floating"
            elif here == there + 2 and self.is_paragraph(quotation) and len(self.text[quotation.inner.start:quotation.inner.end].split()) >= SPEECH_WORDS:
                rule = "quote.floating"
            else:
                continue
            source = last.follows or last
            content = self.component.trim(self.text, quotation.inner)
            extent = CharSpan(self.index.start_of(quotation.outer.start), self.index.end_of(quotation.outer.end))
            finding = Finding(source.candidate, content, extent, "direct", follows=source, rule=rule)
            found.append(finding)
            last = finding
        return found

    # -- helpers -------------------------------------------------------------------------------
    def overlaps_taken(self, quotation: Quotation, taken: list[CharSpan], starts: list[int]) -> bool:
        i = bisect.bisect_left(starts, quotation.outer.end)
        return any(taken[k].overlaps(quotation.outer) for k in range(max(0, i - 3), i))

    def opens_sentence(self, quotation: Quotation) -> bool:
        start = self.index.start_of(quotation.outer.start)
        before = self.text[start:quotation.outer.start]
        if not before.strip():
            return True
        return self.component.statement_start_at(self.doc, start) >= quotation.outer.start

    def opens_paragraph(self, quotation: Quotation) -> bool:
        paragraph = self.index.paragraph_of(quotation.outer.start)
        return paragraph >= 0 and self.index.paragraph_starts[paragraph] == quotation.outer.start

    def is_paragraph(self, quotation: Quotation) -> bool:
        """The quotation is its whole paragraph: speech set apart, as news layouts give a speaker's words."""
        paragraph = self.index.paragraph_of(quotation.outer.start)
        return (
            paragraph >= 0
            and self.index.paragraph_starts[paragraph] == quotation.outer.start
            and not self.text[quotation.outer.end:self.index.paragraph_ends[paragraph]].strip()
        )

    def same_paragraph(self, quotation: Quotation, candidate: Candidate) -> bool:
        return self.index.paragraph_of(quotation.outer.start) == self.index.paragraph_of(self.token_starts[candidate.cue_end - 1])

    def extent(self, quotation: Quotation, candidate: Candidate) -> CharSpan:
        starts, last_token = self.token_starts, candidate.end - 1
        first = min(quotation.outer.start, starts[candidate.start])
        last = max(quotation.outer.end, starts[last_token] + len(self.table.text[last_token]))
        return CharSpan(self.index.start_of(first), self.index.end_of(last))
