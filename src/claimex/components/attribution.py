"""claimex_attribution: who said what, from reporting-verb patterns over sentences and quotations.

`__call__` is two steps: find candidate attributions with a token Matcher built from
`patterns/attribution.jsonl` (every token of a pattern carries a role: separator, quote, cue, speaker,
speaker_name, skip), then place them. Quotations come first (`attribution_layouts.QuotationPass`): a
quotation takes the candidate right before or after it, and quotations without one continue the
speaker before them. Then each remaining sentence keeps at most one candidate whose layout fits it
(content before an inverted "..., said X." must end the sentence, up to a short adjunct; a subject-first
"X said ..." must open it, after an introductory phrase), plus continuations ("..., and added ...").
Speakers are resolved to named entities by `claimex.speakers.SpeakerResolver`.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from itertools import islice

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from claimex.annotations import CharSpan
from claimex.components.attribution_layouts import (
    CONTENT_AFTER,
    CONTENT_BEFORE,
    Candidate,
    Finding,
    QuotationPass,
    SentenceIndex,
)
from claimex.components.attribution_parse import PARSE_RULE, subject_cue_candidates
from claimex.components.attribution_patterns import (
    AttributionPattern,
    parse_verb_lexicon,
    skip_listener,
    splice_fragments,
)
from claimex.components.attribution_sentences import (
    AnySentence,
    fixed_sentences,
    sentence_list,
    sentence_of,
)
from claimex.components.attribution_windows import CueWindowMatcher
from claimex.components.base import RuleComponent
from claimex.components.capped_memo import CappedMemo
from claimex.components.doc_text import doc_text
from claimex.components.token_table import TokenTable, fixed_tokens, token_table
from claimex.patterns import RuleDataError, expand_lists, validate_rows
from claimex.quotes import Quotation, find_quotations
from claimex.speakers import SpeakerLexicon, SpeakerResolver

FACTORY = "claimex_attribution"
TAIL_LIMIT = 15  # tokens of adjunct allowed after an inverted attribution ("..., he said Tuesday in a statement.")
LISTENER_CUES = frozenset({"tell", "assure", "remind", "inform"})
ASIDE_RULES = frozenset({"subject.aside"})
ASIDE_LIMIT = 40  # tokens an aside may run ("Jane Doe, a professor at the University of X, said")
CLAUSE_SUBJECTS = frozenset({"he", "she", "they", "it", "we", "i", "there"})  # may open a reported clause without "that"
QUOTED_SPEECH_WORDS = 6  # a quotation this long is someone's speech; a shorter one may be a title or scare quote
ASIDE_CUE_RULES = ("according_to.",)  # cues that may sit inside the statement as an aside
GENERIC_SUFFIX = ".np"  # rules whose speaker is a noun phrase of any words (patterns/attribution.jsonl)
COORDINATION_LIMIT = 40  # tokens between the subject and a coordinated reporting verb ("X praised ... and said")
ASIDE_PREPOSITIONS = frozenset({"of", "for", "at", "with"})  # may join a speaker phrase: "the director of operations for EHS"
ASIDE_STOPS = frozenset({";", ":", "?", "!"})
ROLE_SHAPE_LIMIT = 100_000  # (rule, alignment) pairs whose roles are kept

__all__ = ["AttributionPattern", "Candidate", "Finding", "SpeakerAttributor", "parse_verb_lexicon", "splice_fragments"]


class SpeakerAttributor(RuleComponent):
    """Finds reported statements and their speakers; writes `doc._.claimex_attributions`."""

    pattern_family = "attribution"
    required_lists = (
        "reporting_verbs", "speaker_pronouns", "speaker_determiners", "role_nouns", "org_nouns", "speaker_documents",
        "dateline_dashes", "attribution_cue_modifiers", "attribution_openers", "attribution_adjunct_openers",
        "attribution_object_verbs", "attribution_object_openers", "speaker_groups", "attribution_np_verbs", "attribution_aside_openers", "attribution_subordinators",
        "attribution_clause_verbs", "attribution_headline_labels",
        "attribution_np_blockers", "attribution_adjunct_determiners", "attribution_time_nouns",
    )

    def build(self) -> None:
        self.verb_lemmas = parse_verb_lexicon(self.lists["reporting_verbs"])
        self.speaker_lexicon = SpeakerLexicon.from_lists(self.lists)
        derived = dict(self.lists)
        derived["reporting_verb_forms"] = tuple(sorted(self.verb_lemmas))
        derived["reporting_participles"] = tuple(sorted(f for f in self.verb_lemmas if f.endswith("ing")))
        derived["speaker_pronoun_words"] = tuple(sorted(self.speaker_lexicon.pronoun_gender))
        derived["speaker_nouns"] = tuple(sorted(self.speaker_lexicon.speaker_nouns))
        np_lemmas = self.lexicon("attribution_np_verbs")
        # inflected forms only: a bare "claim" or "state" after a noun phrase is more often a noun ("a civil claim")
        derived["attribution_np_verb_forms"] = tuple(sorted(f for f, lemma in self.verb_lemmas.items() if lemma in np_lemmas and (f != lemma or lemma in ("say", "tell"))))
        derived["attribution_np_blockers"] = tuple(sorted(
            set(self.lists["attribution_np_blockers"]) | set(self.verb_lemmas) | set(self.lists["attribution_cue_modifiers"]) | set(self.lists["attribution_subordinators"])
        ))
        self.dateline_dashes = frozenset(self.lists["dateline_dashes"])
        self.openers = self.lexicon("attribution_openers")
        self.aside_openers = self.lexicon("attribution_aside_openers")
        self.subordinators = self.lexicon("attribution_subordinators")
        self.clause_verbs = self.lexicon("attribution_clause_verbs")
        self.headline_labels = tuple(sorted(self.lexicon("attribution_headline_labels")))
        self.adjunct_openers = self.lexicon("attribution_adjunct_openers")
        self.adjunct_determiners = self.lexicon("attribution_adjunct_determiners")
        self.time_nouns = self.lexicon("attribution_time_nouns")
        self.object_verbs = self.lexicon("attribution_object_verbs")
        self.object_openers = self.lexicon("attribution_object_openers")
        specs = validate_rows(self.patterns, AttributionPattern, f"{self.name} patterns")
        fragments = {spec.id: spec.pattern for spec in specs if spec.fragment}
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.pattern_roles: dict[str, list[str]] = {}
        self.layouts: dict[str, str] = {}
        compiled: list[tuple[str, list[dict], list[str]]] = []
        for spec in specs:
            if spec.fragment:
                continue
            if spec.layout is None:
                raise RuleDataError(f"{self.name}: pattern {spec.id} needs a layout")
            tokens = splice_fragments(spec.pattern, fragments, source=spec.id)
            roles = [token.pop("role") for token in tokens]
            expanded = expand_lists(tokens, derived, source=spec.id)
            self.matcher.add(spec.id, [expanded])
            compiled.append((spec.id, expanded, roles))
            self.pattern_roles[spec.id] = roles
            self.layouts[spec.id] = spec.layout
        # the same patterns, run only around their cue tokens (`self.matcher` over the whole Doc finds the same)
        self.cue_matcher = CueWindowMatcher(self.nlp.vocab, compiled, validate=False)
        self._role_shapes: CappedMemo[tuple[str, str, tuple[tuple[str, tuple[int, ...]], ...]]] = CappedMemo(ROLE_SHAPE_LIMIT)

    def process(self, doc: Doc) -> Doc:
        # nothing here retokenizes or moves a sentence boundary: token texts, flags and sentences are read once
        with fixed_tokens(doc), fixed_sentences(doc):
            return self.attribute(doc)

    def attribute(self, doc: Doc) -> Doc:
        candidates = self.find_candidates(doc) + self.parse_candidates(doc)
        text = doc_text(doc)
        paragraphs = doc._.claimex_paragraphs or (CharSpan(0, len(text)),)
        quotations = find_quotations(text, paragraphs)
        found = self.place(doc, text, candidates, quotations, paragraphs)
        attributions: tuple = ()
        if found:  # the resolver reads the Doc's entities and pronouns: only for a Doc with something to resolve
            resolver = SpeakerResolver(doc, self.speaker_lexicon, self.verb_lemmas, text=text)
            attributions = tuple(resolver.resolve_all(found))
        doc._.claimex_attributions = attributions
        doc.spans["claimex_cues"] = [_char_span(doc, a.cue.span, "CUE") for a in attributions]
        doc.spans["claimex_speakers"] = [_char_span(doc, a.speaker_mention, "SPEAKER") for a in attributions]
        doc.spans["claimex_statements"] = [_char_span(doc, a.content, a.kind.upper()) for a in attributions]
        return doc

    # -- step 1: candidates ---------------------------------------------------------------------
    def parse_candidates(self, doc: Doc) -> list[Candidate]:
        """Subjects of reporting verbs by the parse (the accurate pipeline; none without a parse)."""
        return [Candidate(PARSE_RULE, "speaker_cue_content", start, end, roles) for start, end, roles in subject_cue_candidates(doc, self.verb_lemmas)]

    def find_candidates(self, doc: Doc) -> list[Candidate]:
        candidates = []
        shapes = self._role_shapes
        for match_id, start, end, alignment in self.cue_matcher(doc):
            shape = shapes.get((match_id, *alignment))
            if shape is None:
                shape = self.role_shape(match_id, alignment)
            rule, layout, offsets = shape
            roles = {role: tuple([start + offset for offset in at]) for role, at in offsets}
            candidate = Candidate(rule, layout, start, end, roles)
            if rule in ASIDE_RULES:
                candidate = self.with_aside_speaker(doc, candidate)
            if candidate is not None:
                candidates.append(candidate)
        # a noun phrase of any words yields to a pattern that names what its words are ("the minister": a role)
        generic = [c.rule.endswith(GENERIC_SUFFIX) for c in candidates]
        if any(generic):
            specific = {(c.start, c.end) for c, is_generic in zip(candidates, generic) if not is_generic}
            candidates = [c for c, is_generic in zip(candidates, generic) if not (is_generic and (c.start, c.end) in specific)]
        return sorted(candidates, key=lambda c: (c.start, -c.end, c.rule))

    def role_shape(self, match_id: int, alignment: list[int]) -> tuple[str, str, tuple[tuple[str, tuple[int, ...]], ...]]:
        """(rule, layout, (role, token offsets in the match) per role) of a match: the same for every
        match of a rule with the same alignment, so it is worked out once and kept."""
        rule = self.nlp.vocab.strings[match_id]
        grouped: dict[str, list[int]] = {}
        for offset, element in enumerate(alignment):
            grouped.setdefault(self.pattern_roles[rule][element], []).append(offset)
        shape = (rule, self.layouts[rule], tuple((role, tuple(at)) for role, at in grouped.items()))
        return self._role_shapes.keep((match_id, *alignment), shape)

    def with_aside_speaker(self, doc: Doc, candidate: Candidate) -> Candidate | None:
        """Extend ", said" back over an aside and the speaker before it: "Jane Doe, who runs the bank, said".
        The aside may hold several commas ("X, who ..., played ..., said") and parentheses; it may hold a
        verb only when it opens like an aside ("who writes about ...", "a co-author of the report"). Of
        the speakers the commas allow, the one that opens the sentence wins ("Tareq Hadad, the co-founder
        of a company based in Antigonish, N.S., says")."""
        sentence = sentence_of(doc, candidate.start)
        sentence_start = sentence.start
        opening = self.opening_token(doc, sentence)
        limit = max(sentence_start, candidate.start - ASIDE_LIMIT)
        nouns = self.speaker_lexicon.speaker_nouns
        found: tuple[list[int], int] | None = None
        table = token_table(doc)
        texts, lower, is_quote = table.text, table.lower, table.is_quote
        k = candidate.start - 1
        while True:
            j = k - 1
            while j > limit and texts[j] != ",":
                if texts[j] in ASIDE_STOPS or (is_quote[j] and not _apostrophe(table, j)):
                    j = limit
                    break
                j -= 1
            if j <= limit or texts[j] != ",":
                break
            if lower[j + 1] not in self.aside_openers and any(lower[i] in self.verb_lemmas for i in range(j + 1, candidate.start)):
                break  # the aside, doc[j + 1:candidate.start], holds a verb and does not open like an aside
            speaker = []
            i = j - 1
            while i >= sentence_start and len(speaker) < 9 and (self.speaker_word(doc[i]) or (doc[i].lower_ in ASIDE_PREPOSITIONS and speaker)):
                speaker.insert(0, i)
                i -= 1
            while speaker and (doc[speaker[0]].lower_ in self.openers or doc[speaker[0]].lower_ in ASIDE_PREPOSITIONS):
                speaker.pop(0)
            if speaker and any(doc[i].ent_type_ in ("PERSON", "ORG") or doc[i].lower_ in nouns or (doc[i].text[:1].isupper() and not doc[i].is_stop) for i in speaker):
                if speaker[0] <= opening:
                    found = (speaker, j)
                    break
                if found is None:
                    found = (speaker, j)
            k = j
        if found is None:
            return None
        speaker, j = found
        aside = doc[j + 1:candidate.start]
        roles = dict(candidate.roles)
        roles["speaker"] = tuple(speaker)
        name = [t.i for t in aside]
        if name and len(name) <= 6 and doc[name[0]].is_title and all(doc[i].is_title or doc[i].lower_ in ("and", ".", "-", "'") for i in name):
            # "His lawyer, Zhang Dongshuo, said": the aside names the speaker
            roles["speaker_name"] = tuple(name)
            roles["skip"] = (j, candidate.start) + roles.get("skip", ())
        else:
            roles["skip"] = tuple(range(j, candidate.start + 1)) + roles.get("skip", ())
        return Candidate(candidate.rule, candidate.layout, speaker[0], candidate.end, roles)

    def opening_token(self, doc: Doc, sentence: AnySentence) -> int:
        """The first token of a sentence's statement after a dateline and openers ("But", "However,")."""
        statement_start = self.statement_start(doc, sentence)
        i = sentence.start
        while i < sentence.end - 1 and (doc[i].idx < statement_start or doc[i].lower_ in self.openers or doc[i].text == "," or doc[i].is_space):
            i += 1
        return i

    def speaker_word(self, token) -> bool:
        """A word that can belong to a speaker noun phrase: a name, a determiner, a role or its modifier."""
        if token.is_punct and token.text not in (".", "-"):
            return False
        if token.ent_type_ in ("PERSON", "ORG") or token.text[:1].isupper() or token.lower_ == "'s" or token.like_num:
            return True
        return token.lower_ in self.speaker_lexicon.speaker_nouns or token.lower_ in self.speaker_lexicon.determiners or (token.is_alpha and token.is_lower and not token.is_stop)

    # -- step 2: where the candidates fit ---------------------------------------------------------
    def place(self, doc: Doc, text: str, candidates: list[Candidate], quotations: tuple[Quotation, ...], paragraphs: tuple[CharSpan, ...]) -> list[Finding]:
        """Quotations first, then sentences, then quotations that continue a speaker; in text order."""
        sentences = sentence_list(doc)
        index = SentenceIndex(sentences, paragraphs, quotations)
        quotes = QuotationPass(doc, text, candidates, quotations, index, self)
        found = quotes.adjacent()
        claimed = SortedSpans(quotations[i].inner for i in quotes.claimed)
        # reported speech inside a quotation belongs to whoever is quoted: "“I said that before,” she said"
        spoken = SortedSpans(q.inner for q in quotations if text.count(" ", q.inner.start, q.inner.end) >= QUOTED_SPEECH_WORDS)
        idx = token_table(doc).idx
        if claimed.spans or spoken.spans:
            free = [c for c in candidates if c not in quotes.used and not claimed.holds(idx[c.core]) and not spoken.holds(idx[c.core])]
        else:  # no quotation holds a candidate
            free = [c for c in candidates if c not in quotes.used]
        found += self.choose(doc, text, free, quotations, sentences, index, claimed)
        found += quotes.followers(found)
        return sorted(found, key=lambda f: (f.content.start, f.content.end))

    def choose(
        self, doc: Doc, text: str, candidates: list[Candidate], quotations: tuple[Quotation, ...], sentences: list[AnySentence], index: SentenceIndex, claimed: SortedSpans
    ) -> list[Finding]:
        """Keep at most one primary attribution per sentence, plus its continuations."""
        by_sentence: dict[int, list[Candidate]] = {}
        first_tokens = [sentence.start for sentence in sentences]
        for candidate in candidates:
            by_sentence.setdefault(max(0, bisect.bisect_right(first_tokens, candidate.start) - 1), []).append(candidate)
        chosen = []
        for number, group in sorted(by_sentence.items()):
            sentence = sentences[number]
            if self.is_headline_link(text, sentence):
                continue
            primary = self.best_primary(doc, text, sentence, group, quotations, index, claimed)
            if primary is None:
                primary = self.coordinated(doc, text, sentence, group, quotations, index, claimed)
            if primary is None:
                continue
            chosen.append(primary)
            candidate = primary.candidate
            followers = sorted((f for f in group if f.layout == "secondary" and f.start >= candidate.cue_end - 1), key=lambda f: f.start)
            if candidate.layout in CONTENT_BEFORE:
                tail = self.tail_start(doc, sentence, candidate)
                followers = [f for f in followers if f.start == tail][:1]
            for k, follower in enumerate(followers):
                end = token_table(doc).idx[followers[k + 1].start] if k + 1 < len(followers) else sentence.end_char
                content = self.content_after(doc, text, follower.cue_end, end, "")
                if content.end > content.start:
                    # the continuation shares the primary's speaker: "..., said X, emphasizing Y"
                    speaker_roles = {r: v for r, v in candidate.roles.items() if r in ("speaker", "speaker_name")}
                    merged = Candidate(follower.rule, follower.layout, follower.start, follower.end, {**follower.roles, **speaker_roles})
                    chosen.append(Finding(merged, content, primary.extent, "indirect"))
        return chosen

    def is_headline_link(self, text: str, sentence: AnySentence) -> bool:
        """A link to another story ("READ MORE: X says ...", "WATCH: ..."): a headline, not a statement."""
        colon = text.find(":", sentence.start_char, sentence.start_char + 24)
        return colon > 0 and text[sentence.start_char:colon].strip().lower() in self.headline_labels

    def coordinated(
        self, doc: Doc, text: str, sentence: AnySentence, group: list[Candidate], quotations: tuple[Quotation, ...], index: SentenceIndex, claimed: SortedSpans
    ) -> Finding | None:
        """A continuation with no attribution before it takes the subject that opens the sentence:
        "Pompeo praised China's support and said ...", "The diocese issued a statement, saying ..."."""
        followers = [f for f in group if f.layout == "secondary"]
        if not followers:
            return None
        follower = min(followers, key=lambda f: f.start)
        statement_start = self.statement_start(doc, sentence)
        subject = self.opening_subject(doc, sentence, statement_start)
        if subject is None or follower.start - subject[-1] > COORDINATION_LIMIT or follower.start <= subject[-1] + 1:
            return None
        if any(doc[i].is_quote or doc[i].text in (";", ":") for i in range(subject[-1] + 1, follower.start)):
            return None
        stop = min((f.start for f in followers if f.start > follower.start), default=None)
        end = doc[stop].idx if stop is not None else sentence.end_char
        lemma = self.verb_lemmas.get(doc[follower.cue_end - 1].lower_, "")
        content = self.content_after(doc, text, follower.cue_end, end, lemma)
        content, kind, extent = self.shape_content(text, content, sentence, quotations, index)
        if content.end - content.start < 2 or claimed.overlaps(content):
            return None
        roles = {**follower.roles, "speaker": tuple(subject)}
        candidate = Candidate("subject.coordinated", "speaker_cue_content", subject[0], follower.end, roles)
        return Finding(candidate, content, extent, kind)

    def opening_subject(self, doc: Doc, sentence: AnySentence, statement_start: int) -> list[int] | None:
        """Tokens of the speaker phrase that opens a sentence (after openers such as "But"): a personal
        pronoun, a name, or a noun phrase headed by a speaker noun ("the ministry", "authorities")."""
        i = sentence.start
        while i < sentence.end and (doc[i].idx < statement_start or doc[i].lower_ in self.openers or doc[i].text == ","):
            i += 1
        if i >= sentence.end:
            return None
        first, lexicon = doc[i], self.speaker_lexicon
        if first.lower_ in lexicon.pronoun_gender:
            return [i]
        if first.ent_type_ in ("PERSON", "ORG"):
            j = i
            while j + 1 < sentence.end and doc[j + 1].ent_iob_ == "I":
                j += 1
            return list(range(i, j + 1))
        if first.is_title and not first.is_stop and first.lower_ not in lexicon.speaker_nouns:
            j = i
            while j + 1 < sentence.end and doc[j + 1].is_title and j - i < 3:
                j += 1
            return list(range(i, j + 1))
        j = i + 1 if first.lower_ in lexicon.determiners else i
        for k in range(j, min(j + 3, sentence.end)):
            word = doc[k]
            if word.lower_ in lexicon.speaker_nouns:
                if k + 1 < sentence.end and doc[k + 1].lower_ in lexicon.speaker_nouns:
                    continue
                return list(range(i, k + 1))
            if not (word.is_alpha or word.text in ("'s", "’s", "-")) or word.lower_ in self.verb_lemmas:
                return None
        return None

    def best_primary(
        self, doc: Doc, text: str, sentence: AnySentence, group: list[Candidate], quotations: tuple[Quotation, ...], index: SentenceIndex, claimed: SortedSpans
    ) -> Finding | None:
        statement_start = self.statement_start(doc, sentence)
        table = token_table(doc)
        idx, texts, lower = table.idx, table.text, table.lower
        # candidates through one cue share most of what is worked out here: each is worked out once
        ends: dict[tuple[str, int, int], bool] = {}  # (layout, end, cue end) -> ends_sentence
        after: dict[tuple[int, int, str], CharSpan] = {}  # (end, content end, lemma) -> content_after
        shaped: dict[CharSpan, tuple[CharSpan, str, CharSpan]] = {}  # content -> shape_content
        opens: dict[int, bool] = {}  # first token -> opens_sentence
        secondary = sorted(f.start for f in group if f.layout == "secondary")
        # the candidates in the order of preference (`_preference`): content before the cue, then a pattern's
        # reading before the parse's (the parse only adds what the layouts missed), then the longest speaker
        # (apposition over its head), then the earliest; the first that yields a statement is the sentence's
        # attribution, so the others are not worked out (the sort is stable: equals keep their order in `group`)
        for candidate in sorted(group, key=_preference):
            if candidate.layout in CONTENT_BEFORE:
                sep = candidate.roles.get("sep", (candidate.start,))[0]
                key = (candidate.layout, candidate.end, candidate.cue_end)
                ending = ends.get(key)
                if ending is None:
                    ending = ends[key] = self.ends_sentence(doc, sentence, candidate)
                if candidate.rule.startswith(ASIDE_CUE_RULES) and candidate.end + 1 < sentence.end and texts[candidate.end] == "," and not ending:
                    # "The harsh truth, according to experts, is ...": the statement goes on after the aside
                    content = CharSpan(idx[candidate.end + 1], sentence.end_char)
                elif not ending or idx[sep] <= statement_start:
                    continue
                else:
                    content = CharSpan(statement_start, idx[sep])
            elif candidate.layout in CONTENT_AFTER:
                if candidate.rule != PARSE_RULE:
                    opening = opens.get(candidate.start)
                    if opening is None:
                        opening = opens[candidate.start] = self.opens_sentence(doc, sentence, candidate, statement_start)
                    if not opening:
                        continue  # a subject by the parse is the main clause's wherever it stands
                at = bisect.bisect_left(secondary, candidate.cue_end)
                stop = secondary[at] if at < len(secondary) else None
                end = idx[stop] if stop is not None else sentence.end_char
                if candidate.start > sentence.start and lower[candidate.start - 1] in self.subordinators and candidate.start - 1 == self.opening_token(doc, sentence):
                    # a subordinate clause opening the sentence ends at its comma: "While X said Y, Z ..."
                    comma = next((idx[k] for k in range(candidate.cue_end, sentence.end) if texts[k] == ","), None)
                    end = min(end, comma) if comma is not None else end
                if self.parenthetical(doc, sentence, candidate, statement_start):
                    content = CharSpan(statement_start, end)  # "Prices, he said, will rise."
                else:
                    key = (candidate.end, end, self.verb_lemmas.get(lower[candidate.cue_end - 1], ""))
                    content = after.get(key)
                    if content is None:
                        content = after[key] = self.content_after(doc, text, *key)
            else:
                continue
            shape = shaped.get(content)
            if shape is None:
                shape = shaped[content] = self.shape_content(text, content, sentence, quotations, index)
            content, kind, extent = shape
            if content.end - content.start < 2 or claimed.overlaps(content):
                continue
            return Finding(candidate, content, extent, kind)
        return None

    def ends_sentence(self, doc: Doc, sentence: AnySentence, candidate: Candidate) -> bool:
        """Only punctuation, a continuation or a short adjunct may follow an inverted attribution:
        "..., he said Tuesday.", "..., she told Reuters.", "..., said X, a professor at Y."."""
        if self.tail_start(doc, sentence, candidate) is not None:
            return True
        t = token_table(doc)
        # at most TAIL_LIMIT + 1 words are needed to decide: a long sentence is not read to its end for every candidate
        rest = list(islice((k for k in range(candidate.end, sentence.end) if not (t.is_punct[k] and not t.is_quote[k])), TAIL_LIMIT + 1))
        if not rest or len(rest) > TAIL_LIMIT or any(t.is_quote[k] or t.lower[k] in self.verb_lemmas or t.lower[k] == "that" for k in rest):
            return False
        first = candidate.end
        if t.text[first] == "," and candidate.layout == "content_cue_speaker":
            return True  # an apposition to the speaker
        lemma = self.verb_lemmas.get(t.lower[candidate.cue_end - 1], "")
        if candidate.layout == "content_speaker_cue" and lemma in LISTENER_CUES:
            after = skip_listener(doc, candidate.end)
            return after >= sentence.end or t.is_punct[after] or t.lower[after] in self.adjunct_openers
        return t.lower[first] in self.adjunct_openers or (t.is_title[first] and t.lower[first].endswith("day"))

    def tail_start(self, doc: Doc, sentence: AnySentence, candidate: Candidate) -> int | None:
        """Where a continuation may start after an inverted match; None when it cannot end there."""
        i = candidate.end
        if i >= sentence.end:
            return i
        t = token_table(doc)
        if all(t.is_punct[k] or t.is_space[k] or t.is_quote[k] for k in range(i, sentence.end)):
            return i
        if t.text[i] == "," and i + 1 < sentence.end and t.lower[i + 1] in self.verb_lemmas and t.lower[i + 1].endswith("ing"):
            return i
        if i + 1 < sentence.end and t.lower[i] == "and" or (t.text[i] == "," and i + 2 < sentence.end and t.lower[i + 1] == "and"):
            return i
        return None

    def opens_sentence(self, doc: Doc, sentence: AnySentence, candidate: Candidate, statement_start: int) -> bool:
        """The speaker starts the statement, possibly after openers ("But", "Still,") or an introductory phrase."""
        t = token_table(doc)
        if t.idx[candidate.start] <= statement_start:
            return True
        # token offsets grow with the index: the tokens from statement_start on are a suffix, found by bisection
        first = bisect.bisect_left(t.idx, statement_start, sentence.start, candidate.start)
        while first < candidate.start and (t.lower[first] in self.openers or t.text[first] == ","):
            first += 1
        if first >= candidate.start:
            return True
        last = candidate.start - 1
        if t.text[last] == ":" or (t.lower[last] in ("and", "but") and candidate.start - first > 3):
            return True  # "... underwent a change and Hadwin says he is ready"
        if t.lower[last] in self.subordinators:
            return True  # "Markets fell after Trump said he ...", "While the team said it ..., the league ..."
        if t.text[last] == ",":
            return not any(t.lower[k] in self.verb_lemmas or t.is_quote[k] for k in range(first, candidate.start))
        return False

    def parenthetical(self, doc: Doc, sentence: AnySentence, candidate: Candidate, statement_start: int) -> bool:
        """A speaker and cue set off by commas inside the statement: "Prices, he said, will rise."."""
        start, end = candidate.start, candidate.end
        t = token_table(doc)
        if start <= sentence.start or end >= sentence.end or t.idx[start] <= statement_start:
            return False
        return t.text[start - 1] == "," and t.text[end] == "," and end + 1 < sentence.end and t.is_lower[end + 1]

    def may_open(self, doc: Doc, candidate: Candidate) -> bool:
        """A speaker-first candidate that introduces a quotation must open its own sentence."""
        if candidate.layout not in CONTENT_AFTER:
            return True
        sentence = sentence_of(doc, candidate.start)
        prev = doc[candidate.core - 1] if candidate.core > 0 else None
        if prev is not None and (prev.is_quote or prev.text in (",", "—", "–")):
            return True
        return self.opens_sentence(doc, sentence, candidate, self.statement_start(doc, sentence))

    def statement_start(self, doc: Doc, sentence: AnySentence) -> int:
        """Start of what a sentence states: after a dateline ("NAIROBI – ", "LONDON (Reuters) — ")."""
        start = sentence.start
        limit = min(sentence.end, start + 8)
        t = token_table(doc)
        if start == 0 or "\n" in t.text[start - 1] + t.whitespace[start - 1]:
            for i in range(start + 1, limit):
                if t.text[i] in self.dateline_dashes and t.whitespace[i - 1] and t.whitespace[i]:
                    if all(t.is_title[k] or t.is_upper[k] or t.is_punct[k] or t.like_num[k] for k in range(start, i)):
                        return t.idx[i + 1] if i + 1 < sentence.end else sentence.end_char
                    break
        return sentence.start_char

    def statement_start_at(self, doc: Doc, char: int) -> int:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        if span is None or len(span) == 0:
            return char
        return self.statement_start(doc, sentence_of(doc, span.start))

    def content_after(self, doc: Doc, text: str, i: int, end: int, lemma: str) -> CharSpan:
        """What follows a cue, past a listener ("told reporters"), an adjunct ("said in a statement that")
        and a complementizer; empty when nothing but an adjunct follows ("said of the captain.")."""
        n = len(doc)
        t = token_table(doc)
        idx, lower = t.idx, t.lower
        if lemma in LISTENER_CUES and i < n and idx[i] < end:
            i = skip_listener(doc, i)
        if i < n and idx[i] < end and lower[i] in self.adjunct_determiners and self.opens_adjunct(t, i):
            i += 2  # "said last week (that) ...": the statement follows the two-word adjunct
        elif i + 1 < n and t.is_title[i] and lower[i].endswith("day") and self.opens_adjunct(t, i) and not (
            lower[i + 1] in self.adjunct_openers or lower[i + 1] == "that" or t.is_punct[i + 1]
        ):
            i += 1  # "said Tuesday the talks failed": the statement follows the day
        elif i < n and idx[i] < end and self.opens_adjunct(t, i):
            k = i
            while k < n and idx[k] < end and k < i + 14 and lower[k] not in ("that", ":", ","):
                k += 1
            if k >= n or idx[k] >= end or lower[k] not in ("that", ":", ","):
                # no "that": the statement starts at a subject pronoun after the adjunct ("said in his speech he was ready")
                k = next((j for j in range(i + 1, min(n, i + 14)) if idx[j] < end and lower[j] in CLAUSE_SUBJECTS), None)
                if k is None:
                    return CharSpan(end, end)
            i = k
        if lemma in self.object_verbs and i < n and (lower[i] in self.object_openers or t.like_num[i]):
            return CharSpan(end, end)  # "Edmonton added a goal": an object, not a statement
        if lemma in self.clause_verbs and i < n and idx[i] < end and not self.opens_clause(doc[i]):
            return CharSpan(end, end)  # "Story continues below", "Huawei has denied the existence of ...": no reported clause
        while i < n and idx[i] < end and (lower[i] == "that" or t.text[i] in (",", ":", "—", "–")):
            i += 1
        start = idx[i] if i < n else end
        return self.trim(text, CharSpan(min(start, end), end))

    def opens_adjunct(self, table: TokenTable, i: int) -> bool:
        """Whether an adjunct starts at token i after a cue: "in a statement", "on Tuesday", "this week";
        "this" or "last" only before a time noun ("she said this would ..." reports a clause)."""
        lower = table.lower
        word = lower[i]
        if word in self.adjunct_determiners:
            return i + 1 < len(lower) and lower[i + 1] in self.time_nouns
        if table.is_title[i] and word.endswith("day"):
            return not (i + 1 < len(lower) and lower[i + 1] in ("'s", "’s"))  # "said Tuesday's remarks ...": a subject
        return word in self.adjunct_openers

    def opens_clause(self, token) -> bool:
        """Whether a reported clause can start at `token`: "that", a colon or dash, a quotation mark, a
        subject pronoun, or a capitalised word (a name as its subject)."""
        if token.lower_ == "that" or token.text in (":", "—", "–", ",") or token.is_quote or token.lower_ in CLAUSE_SUBJECTS:
            return True
        return token.is_title and token.lower_ not in self.speaker_lexicon.determiners and not token.is_stop

    def shape_content(self, text: str, content: CharSpan, sentence: AnySentence, quotations: tuple[Quotation, ...], index: SentenceIndex) -> tuple[CharSpan, str, CharSpan]:
        """Trim content; when it lies within a quotation, return the quotation's inner text as a direct
        statement, and the extent of the sentences the quotation spans (it may run over several)."""
        content = self.trim(text, content)
        extent = CharSpan(sentence.start_char, sentence.end_char)
        for quotation in index.quotations_near(content):
            around = CharSpan(quotation.outer.start - 2, quotation.outer.end + 2)
            if quotation.outer.overlaps(content) and around.contains(content):
                inner = self.trim(text, quotation.inner)
                first = index.start_of(quotation.outer.start)
                last = index.end_of(quotation.outer.end)
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


def _preference(candidate: Candidate) -> tuple[bool, bool, int, int]:
    """Sort key of a sentence's candidates, most preferred first: content before the cue, a pattern's
    reading before the parse's, the longest match, the earliest."""
    return (candidate.layout not in CONTENT_BEFORE, candidate.rule == PARSE_RULE, candidate.start - candidate.end, candidate.start)


def _apostrophe(table: TokenTable, i: int) -> bool:
    """A closing single quote that ends a word is an apostrophe ("the girls’ school"), not a quotation mark."""
    return table.text[i] in ("’", "'") and i > 0 and not table.whitespace[i - 1] and table.is_alpha[i - 1]


class SortedSpans:
    """Character spans sorted by (start, end), with their starts as plain ints to bisect on."""

    __slots__ = ("spans", "starts")

    def __init__(self, spans: Iterable[CharSpan]) -> None:
        self.spans = sorted(spans)
        self.starts = [span.start for span in self.spans]

    def holds(self, char: int) -> bool:
        """Whether the last span starting at or before `char` holds it."""
        i = bisect.bisect_right(self.starts, char) - 1
        return i >= 0 and self.spans[i].start <= char < self.spans[i].end

    def overlaps(self, span: CharSpan) -> bool:
        """Whether one of the (at most three) last spans starting before `span` ends overlaps it."""
        i = bisect.bisect_left(self.starts, span.end)
        return any(self.spans[k].overlaps(span) for k in range(max(0, i - 3), i))


def _char_span(doc: Doc, span: CharSpan, label: str) -> Span:
    return doc.char_span(span.start, span.end, label=label, alignment_mode="expand")


@Language.factory(FACTORY, assigns=["doc._.claimex_attributions", "doc.spans"], requires=["token.is_sent_start"])
def make_attribution(nlp: Language, name: str) -> SpeakerAttributor:
    """Rule-based speaker attribution (see module docstring)."""
    return SpeakerAttributor(nlp, name)
