"""claimex_attribution: who said what, from reporting-verb patterns over sentences and quotations.

`__call__` is two steps: find candidate attributions with a token Matcher built from
`patterns/attribution.jsonl` (every token of a pattern carries a role: separator, quote, cue, speaker,
speaker_name), then keep the candidates whose layout fits the sentence (content before an inverted
"..., said X." must end the sentence; a subject-first "X said ..." must open it) and resolve each
speaker to a named entity with `claimex.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from claimex.annotations import Attribution, CharSpan, Cue
from claimex.components.base import RuleComponent
from claimex.patterns import RuleDataError, expand_lists, validate_rows
from claimex.quotes import Quotation, find_quotations
from claimex.speakers import SpeakerLexicon, SpeakerResolver

FACTORY = "claimex_attribution"
Layout = Literal["content_cue_speaker", "content_speaker_cue", "speaker_cue_content", "cue_speaker_content", "secondary"]
ROLES = frozenset({"sep", "quote", "cue", "speaker", "speaker_name"})
CONTENT_BEFORE = ("content_cue_speaker", "content_speaker_cue")
CONTENT_AFTER = ("speaker_cue_content", "cue_speaker_content")


class AttributionPattern(BaseModel):
    """One line of `patterns/attribution.jsonl`: a fragment to splice, or a pattern with a layout."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1)
    pattern: list[dict[str, Any]]
    layout: Layout | None = None
    fragment: bool = False


@dataclass(frozen=True)
class Candidate:
    """A Matcher hit with its tokens grouped by role (token indexes)."""

    rule: str
    layout: str
    start: int
    end: int
    roles: dict[str, tuple[int, ...]]


class SpeakerAttributor(RuleComponent):
    """Finds reported statements and their speakers; writes `doc._.claimex_attributions`."""

    pattern_family = "attribution"
    required_lists = ("reporting_verbs", "speaker_pronouns", "speaker_determiners", "role_nouns", "org_nouns", "dateline_dashes")

    def build(self) -> None:
        self.verb_lemmas = parse_verb_lexicon(self.lists["reporting_verbs"])
        self.speaker_lexicon = SpeakerLexicon.from_lists(self.lists)
        derived = dict(self.lists)
        derived["reporting_verb_forms"] = tuple(sorted(self.verb_lemmas))
        derived["reporting_participles"] = tuple(sorted(f for f in self.verb_lemmas if f.endswith("ing")))
        derived["speaker_pronoun_words"] = tuple(sorted(self.speaker_lexicon.pronoun_gender))
        derived["speaker_nouns"] = tuple(sorted(self.speaker_lexicon.role_nouns | self.speaker_lexicon.org_nouns))
        self.dateline_dashes = frozenset(self.lists["dateline_dashes"])
        specs = validate_rows(self.patterns, AttributionPattern, f"{self.name} patterns")
        fragments = {spec.id: spec.pattern for spec in specs if spec.fragment}
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.pattern_roles: dict[str, list[str]] = {}
        self.layouts: dict[str, str] = {}
        for spec in specs:
            if spec.fragment:
                continue
            if spec.layout is None:
                raise RuleDataError(f"{self.name}: pattern {spec.id} needs a layout")
            tokens = splice_fragments(spec.pattern, fragments, source=spec.id)
            roles = [token.pop("role") for token in tokens]
            self.matcher.add(spec.id, [expand_lists(tokens, derived, source=spec.id)])
            self.pattern_roles[spec.id] = roles
            self.layouts[spec.id] = spec.layout

    def process(self, doc: Doc) -> Doc:
        candidates = self.find_candidates(doc)
        text = doc.text
        quotations = find_quotations(text, doc._.claimex_paragraphs or (CharSpan(0, len(text)),))
        found = self.choose(doc, text, candidates, quotations)
        resolver = SpeakerResolver(doc, self.speaker_lexicon, self.verb_lemmas)
        attributions = tuple(resolver.resolve_all(found))
        doc._.claimex_attributions = attributions
        doc.spans["claimex_cues"] = [_char_span(doc, a.cue.span, "CUE") for a in attributions]
        doc.spans["claimex_speakers"] = [_char_span(doc, a.speaker_mention, "SPEAKER") for a in attributions]
        doc.spans["claimex_statements"] = [_char_span(doc, a.content, a.kind.upper()) for a in attributions]
        return doc

    # -- step 1: candidates ---------------------------------------------------------------------
    def find_candidates(self, doc: Doc) -> list[Candidate]:
        candidates = []
        for match_id, start, end, alignment in self.matcher(doc, with_alignments=True):
            rule = self.nlp.vocab.strings[match_id]
            roles: dict[str, list[int]] = {}
            for offset, element in enumerate(alignment):
                roles.setdefault(self.pattern_roles[rule][element], []).append(start + offset)
            candidates.append(Candidate(rule, self.layouts[rule], start, end, {k: tuple(v) for k, v in roles.items()}))
        return sorted(candidates, key=lambda c: (c.start, -c.end, c.rule))

    # -- step 2: which candidates fit their sentence --------------------------------------------
    def choose(self, doc: Doc, text: str, candidates: list[Candidate], quotations: tuple[Quotation, ...]) -> list[tuple[Candidate, CharSpan, CharSpan, str]]:
        """Keep at most one primary attribution per sentence, plus participle continuations.

        Returns (candidate, content, sentence, kind) tuples in text order.
        """
        by_sentence: dict[int, list[Candidate]] = {}
        sentences = list(doc.sents) if doc.has_annotation("SENT_START") else [doc[:]]
        sentence_index = SentenceIndex(sentences)
        first_tokens = [sentence.start for sentence in sentences]
        for candidate in candidates:
            by_sentence.setdefault(max(0, bisect.bisect_right(first_tokens, candidate.start) - 1), []).append(candidate)
        chosen = []
        for index, group in sorted(by_sentence.items()):
            sentence = sentences[index]
            primary = self.best_primary(doc, text, sentence, group, quotations, sentence_index)
            if primary is None:
                continue
            chosen.append(primary)
            candidate = primary[0]
            for follower in group:
                if follower.layout == "secondary" and follower.start == self.tail_start(doc, sentence, candidate):
                    content = self.trim(text, CharSpan(doc[follower.end - 1].idx + len(doc[follower.end - 1]), _content_end(sentence)))
                    content = self.skip_complementizer(doc, text, content)
                    if content.end > content.start:
                        # the continuation shares the primary's speaker: "..., said X, emphasizing Y"
                        speaker_roles = {k: v for k, v in candidate.roles.items() if k in ("speaker", "speaker_name")}
                        merged = Candidate(follower.rule, follower.layout, follower.start, follower.end, {**follower.roles, **speaker_roles})
                        chosen.append((merged, content, primary[2], "indirect"))
        return chosen

    def best_primary(
        self, doc: Doc, text: str, sentence: Span, group: list[Candidate], quotations: tuple[Quotation, ...], sentence_index: SentenceIndex
    ) -> tuple[Candidate, CharSpan, CharSpan, str] | None:
        statement_start = self.statement_start(doc, sentence)
        options = []
        for candidate in group:
            if candidate.layout in CONTENT_BEFORE:
                sep = candidate.roles.get("sep", (candidate.start,))[0]
                if not self.ends_sentence(doc, sentence, candidate) or doc[sep].idx <= statement_start:
                    continue
                content = CharSpan(statement_start, doc[sep].idx)
            elif candidate.layout in CONTENT_AFTER:
                if not self.opens_sentence(doc, sentence, candidate, statement_start):
                    continue
                last = doc[candidate.end - 1]
                content = CharSpan(last.idx + len(last), _content_end(sentence))
                content = self.skip_complementizer(doc, text, content)
            else:
                continue
            content, kind, extent = self.shape_content(doc, text, content, sentence, quotations, sentence_index)
            if content.end - content.start < 2:
                continue
            # prefer the longest speaker (apposition over its head), then the earliest rule in the file
            options.append(((candidate.end - candidate.start), candidate.layout in CONTENT_BEFORE, candidate, content, extent, kind))
        if not options:
            return None
        options.sort(key=lambda o: (-o[1], -o[0], o[2].start))
        _, _, candidate, content, extent, kind = options[0]
        return candidate, content, extent, kind

    def ends_sentence(self, doc: Doc, sentence: Span, candidate: Candidate) -> bool:
        """Only punctuation, closing marks or a participle continuation may follow the speaker."""
        return self.tail_start(doc, sentence, candidate) is not None

    def tail_start(self, doc: Doc, sentence: Span, candidate: Candidate) -> int | None:
        """Where a participle continuation may start after an inverted match; None when it cannot end there."""
        i = candidate.end
        if i >= sentence.end:
            return i
        rest = doc[i:sentence.end]
        if all(t.is_punct or t.is_space or t.is_quote for t in rest):
            return i
        if doc[i].text == "," and i + 1 < sentence.end and doc[i + 1].lower_ in self.verb_lemmas and doc[i + 1].lower_.endswith("ing"):
            return i
        return None

    def opens_sentence(self, doc: Doc, sentence: Span, candidate: Candidate, statement_start: int) -> bool:
        """The speaker starts the statement, possibly after a short introductory phrase and comma."""
        first = doc[candidate.start]
        if first.idx <= statement_start:
            return True
        prev = doc[candidate.start - 1]
        if prev.text == "," and candidate.start - sentence.start <= 8:
            return not any(t.lower_ in self.verb_lemmas for t in doc[sentence.start:candidate.start])
        if prev.is_quote or prev.text in (":",):
            return True
        return False

    def statement_start(self, doc: Doc, sentence: Span) -> int:
        """Start of what a sentence states: after a dateline ("NAIROBI – ", "LONDON (Reuters) — ")."""
        start = sentence.start
        limit = min(sentence.end, start + 8)
        if start == 0 or "\n" in doc[start - 1].text + doc[start - 1].whitespace_:
            for i in range(start + 1, limit):
                token = doc[i]
                if token.text in self.dateline_dashes and doc[i - 1].whitespace_ and token.whitespace_:
                    head = doc[start:i]
                    if all(t.is_title or t.is_upper or t.is_punct or t.like_num for t in head):
                        return doc[i + 1].idx if i + 1 < sentence.end else sentence.end_char
                    break
        return sentence.start_char

    def skip_complementizer(self, doc: Doc, text: str, content: CharSpan) -> CharSpan:
        """Drop a leading "that", colon or comma from content that follows its cue."""
        span = doc.char_span(content.start, content.end, alignment_mode="expand")
        if span is None or len(span) == 0:
            return content
        i = span.start
        while i < span.end and (doc[i].lower_ == "that" or doc[i].text in (",", ":", "—", "–")) and i < span.start + 2:
            i += 1
        return self.trim(text, CharSpan(doc[i].idx if i < span.end else content.end, content.end))

    def shape_content(self, doc: Doc, text: str, content: CharSpan, sentence: Span, quotations: tuple[Quotation, ...], sentence_index: SentenceIndex) -> tuple[CharSpan, str, CharSpan]:
        """Trim content; when it lies within a quotation, return the quotation's inner text as a direct
        statement, and the extent of the sentences the quotation spans (it may run over several)."""
        content = self.trim(text, content)
        extent = CharSpan(sentence.start_char, sentence.end_char)
        for quotation in quotations:
            around = CharSpan(quotation.outer.start - 2, quotation.outer.end + 2)
            if quotation.outer.overlaps(content) and around.contains(content):
                inner = self.trim(text, quotation.inner)
                first = sentence_index.start_of(quotation.outer.start)
                last = sentence_index.end_of(quotation.outer.end)
                return inner, "direct", CharSpan(min(extent.start, first), max(extent.end, last))
        return content, "indirect", extent

    @staticmethod
    def trim(text: str, content: CharSpan) -> CharSpan:
        """Strip whitespace and the punctuation that frames a statement but is not part of it."""
        start, end = content.start, content.end
        while start < end and (text[start].isspace() or text[start] in ",;:—–-"):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:.—–-"):
            end -= 1
        return CharSpan(start, end)


def _content_end(sentence: Span) -> int:
    return sentence.end_char


class SentenceIndex:
    """Character extents of a document's sentences, to find the sentence around a character fast."""

    def __init__(self, sentences: list[Span]) -> None:
        self.starts = [s.start_char for s in sentences]
        self.ends = [s.end_char for s in sentences]

    def start_of(self, char: int) -> int:
        i = bisect.bisect_right(self.starts, char) - 1
        return self.starts[i] if i >= 0 else char

    def end_of(self, char: int) -> int:
        i = bisect.bisect_left(self.ends, char)
        return self.ends[i] if i < len(self.ends) else char


def _char_span(doc: Doc, span: CharSpan, label: str) -> Span:
    return doc.char_span(span.start, span.end, label=label, alignment_mode="expand")


def parse_verb_lexicon(entries: tuple[str, ...]) -> dict[str, str]:
    """Map every form of `lemma: form form ...` entries (and the lemma itself) to its lemma."""
    forms: dict[str, str] = {}
    for entry in entries:
        lemma, _, rest = entry.partition(":")
        lemma = lemma.strip().lower()
        if not lemma or " " in lemma:
            raise RuleDataError(f"reporting_verbs: {entry!r} must read 'lemma: form form ...' with a one-word lemma")
        for form in [lemma, *rest.lower().split()]:
            if forms.get(form, lemma) != lemma:
                raise RuleDataError(f"reporting_verbs: {form!r} is listed under both {forms[form]!r} and {lemma!r}")
            forms[form] = lemma
    return forms


def splice_fragments(pattern: list[dict[str, Any]], fragments: dict[str, list[dict[str, Any]]], *, source: str, depth: int = 0) -> list[dict[str, Any]]:
    """Replace `{"ref": NAME}` tokens by the fragment's tokens; every token must end with a role."""
    if depth > 8:
        raise RuleDataError(f"{source}: fragments refer to each other in a loop")
    out: list[dict[str, Any]] = []
    for token in pattern:
        if "ref" in token:
            if token["ref"] not in fragments:
                raise RuleDataError(f"{source}: unknown fragment {token['ref']!r}")
            out.extend(splice_fragments(fragments[token["ref"]], fragments, source=source, depth=depth + 1))
            continue
        token = dict(token)
        if token.get("role") not in ROLES:
            raise RuleDataError(f"{source}: every token needs a role in {sorted(ROLES)}, got {token.get('role')!r}")
        out.append(token)
    return out


@Language.factory(FACTORY, assigns=["doc._.claimex_attributions", "doc.spans"], requires=["token.is_sent_start"])
def make_attribution(nlp: Language, name: str) -> SpeakerAttributor:
    """Rule-based speaker attribution (see module docstring)."""
    return SpeakerAttributor(nlp, name)
