"""Speaker resolution: a small, explicit state machine over the attributions of one article.

A named mention ("Jane Doe", or "the ambassador to X, Jane Doe") is resolved to its
entity and becomes the most recent speaker. A surname or acronym resolves through the entity's
aliases. A role noun ("the ambassador", "the diplomat") resolves to the most recent person the
article gave that role, else to the most recent person speaker; an organisation noun ("the ministry")
to the most recent organisation whose name contains it. A pronoun resolves to the most recent person
speaker of a compatible gender. Whatever cannot be resolved keeps the words as written, marked
"unresolved". Every resolution records how it was made (`resolved_by`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from itertools import compress
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from claimex.annotations import Attribution, CharSpan, Cue, EntityInfo
from claimex.normalize.names import strip_invisible

if TYPE_CHECKING:
    from claimex.components.attribution_layouts import Candidate, Finding

PERSON_LABELS = frozenset({"PERSON"})
INDEFINITE = frozenset({"a", "an", "another", "one"})
POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}
POSSESSIVES = frozenset({"his", "her", "their", "its", "our", "my"})
PREPOSITIONS = frozenset({"to", "of", "for", "at", "in", "with", "from"})
CLAUSE_LINKS = PREPOSITIONS | {"and", "or", "but", "nor", "who", "whose", "whom", "which", "that", "said", "says"}  # after a name: no main verb
MALE = frozenset({"he", "himself"})  # subject and reflexive pronouns: "her" may be anyone's
FEMALE = frozenset({"she", "herself"})
GENDERED = MALE | FEMALE
SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
LOOKBACK = 400  # mentions searched backwards for a title or pronoun: bounds the cost on very long texts


@dataclass(frozen=True)
class SpeakerLexicon:
    """Word lists the resolver needs, lower-cased."""

    pronoun_gender: Mapping[str, str | None]
    role_nouns: frozenset[str]
    org_nouns: frozenset[str]
    determiners: frozenset[str]
    documents: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()  # plurals of role nouns ("officials", "sources"): never one person
    openers: frozenset[str] = frozenset()  # words that may open a sentence before its subject ("But", "However")
    honorifics: frozenset[str] = frozenset()  # "ms", "sir": a name of these words alone names nobody ("Ms." of "Ms. May")

    @classmethod
    def from_lists(cls, lists: Mapping[str, Sequence[str]]) -> SpeakerLexicon:
        genders: dict[str, str | None] = {}
        for entry in lists["speaker_pronouns"]:
            word, _, gender = entry.partition(":")
            gender = gender.strip()
            genders[word.strip().lower()] = gender if gender in ("m", "f") else None
        roles = frozenset(w.lower() for w in lists["role_nouns"])
        orgs = frozenset(w.lower() for w in lists["org_nouns"])
        named_groups = frozenset(w.lower() for w in lists.get("speaker_groups", ()))
        return cls(
            pronoun_gender=genders,
            role_nouns=roles,
            org_nouns=orgs,
            determiners=frozenset(w.lower() for w in lists["speaker_determiners"]),
            documents=frozenset(w.lower() for w in lists.get("speaker_documents", ())),
            groups=(frozenset(plural(w) for w in roles | orgs if " " not in w) - roles - orgs) | named_groups,
            openers=frozenset(w.lower() for w in lists.get("attribution_openers", ())),
            honorifics=frozenset(w.lower().rstrip(".") for key in ("honorifics_male", "honorifics_female") for w in lists.get(key, ())),
        )

    @cached_property
    def speaker_nouns(self) -> frozenset[str]:
        """Every noun that can head a speaker noun phrase, single words only (the Matcher sees tokens)."""
        return frozenset(w for w in self.role_nouns | self.org_nouns | self.documents | self.groups if " " not in w)

    def head(self, words: Sequence[str]) -> str | None:
        """The speaker noun a phrase is about: the last one before any preposition ("a spokeswoman for the ministry")."""
        head = None
        for word in words:
            if word in PREPOSITIONS and head is not None:
                break
            if word in self.role_nouns or word in self.org_nouns or word in self.documents or word in self.groups:
                head = word
        return head


@dataclass(frozen=True)
class Resolution:
    name: str
    entity: int | None
    resolved_by: str


@dataclass
class KnownSpeaker:
    """A person who has spoken: the name, its entity when there is one, and the roles seen with it."""

    name: str
    entity: int | None
    roles: set[str]
    gender: str | None
    position: int = 0  # where it was last named as a speaker


class SpeakerResolver:
    """Resolves the speakers of one document's attributions, in text order."""

    def __init__(self, doc: Doc, lexicon: SpeakerLexicon, verb_lemmas: Mapping[str, str] | None = None, *, text: str | None = None) -> None:
        # imported here: claimex.components imports this module
        from claimex.components.token_table import token_table

        self.doc = doc
        self.table = token_table(doc)  # token texts and offsets without a Token object each
        self.text = doc.text if text is None else text  # Doc.text joins every token: read it once
        self.lexicon = lexicon
        self.verb_lemmas = verb_lemmas or {}
        self.entities: tuple[EntityInfo, ...] = tuple(doc._.claimex_entities or entities_from_ents(doc))
        self.n_entities = len(self.entities)  # people added from speaker names come after, without an entity id
        self.mentions = sorted((m.start, m.end, index) for index, entity in enumerate(self.entities) for m in entity.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self._genders: dict[int, str] | None = None  # read from the pronouns when first needed (`genders`)
        self.person_speakers: list[KnownSpeaker] = []  # most recent last
        self.token_starts: list[int] | None = None  # character offset of each token, built when first needed
        self.plural_recent: Resolution | None = None  # the last organisation or group that spoke: what "they" is
        self.org_speakers: list[int] = []

    @property
    def genders(self) -> dict[int, str]:
        """The gender of each person entity that has one (`infer_genders`), read once when first asked:
        a document whose speakers are organisations or unresolved never needs it."""
        if self._genders is None:
            self._genders = infer_genders(self.doc, self.entities, self.mentions)
        return self._genders

    def resolve_all(self, found: Iterable[Finding]) -> Iterator[Attribution]:
        found = list(found)
        self.add_named_speakers(found)
        made: dict[int, Attribution] = {}
        for finding in found:
            if finding.follows is not None and id(finding.follows) in made:
                source = made[id(finding.follows)]
                attribution = replace(source, kind=finding.kind, content=finding.content, sentence=finding.extent, rule=finding.attribution_rule)
            else:  # a quotation running on before its attribution is resolved where it stands
                attribution = self.attribution(finding.candidate, finding.content, finding.extent, finding.kind)
                if finding.follows is not None:
                    attribution = replace(attribution, rule=finding.attribution_rule)
            made[id(finding)] = attribution
            yield attribution

    def add_named_speakers(self, found: list[Finding]) -> None:
        """Speakers named in capitals that no entity covers become people of their own (one per surname),
        so that pronouns can resolve to them; they carry no entity id."""
        groups: dict[str, list[CharSpan]] = {}
        texts, lower, idx = self.table.text, self.table.lower, self.table.idx
        for finding in found:
            roles = finding.candidate.roles
            tokens = roles.get("speaker_name") or roles.get("speaker", ())
            if finding.follows is not None or not tokens or not all(texts[i][:1].isupper() for i in tokens):
                continue
            if lower[tokens[0]] in self.lexicon.determiners or lower[tokens[0]] in self.lexicon.pronoun_gender:
                continue
            if self.lexicon.head([lower[i] for i in tokens]) is not None:
                continue
            span = CharSpan(idx[tokens[0]], idx[tokens[-1]] + len(texts[tokens[-1]]))
            if self.mentions_within(CharSpan(span.start - 1, span.end + 1)) or self.covering(span):
                continue
            groups.setdefault(lower[tokens[-1]], []).append(span)
        if not groups:
            return
        extra = []
        for spans in groups.values():
            forms = [self.text[m.start:m.end] for m in spans]
            name = max(forms, key=lambda f: (len(f.split()), -forms.index(f)))
            extra.append(EntityInfo(name=name, label="PERSON", aliases=(), mentions=tuple(spans), rule="speaker"))
        self.entities = self.entities + tuple(extra)
        self.mentions = sorted((m.start, m.end, index) for index, entity in enumerate(self.entities) for m in entity.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self._genders = None  # the people changed: read the genders again when needed

    def covering(self, span: CharSpan) -> bool:
        """Whether an entity mention covers `span` (a surname inside a full name)."""
        i = bisect.bisect_right(self.mention_starts, span.start)
        return any(self.mentions[k][1] >= span.end for k in range(max(0, i - 2), i))

    def attribution(self, candidate: Candidate, content: CharSpan, extent: CharSpan, kind: str) -> Attribution:
        texts, lower, idx = self.table.text, self.table.lower, self.table.idx
        speaker_tokens = sorted(candidate.roles.get("speaker", ()) + candidate.roles.get("speaker_name", ()))
        mention = CharSpan(idx[speaker_tokens[0]], idx[speaker_tokens[-1]] + len(texts[speaker_tokens[-1]]))
        cue_tokens = candidate.roles["cue"]
        cue_span = CharSpan(idx[cue_tokens[0]], idx[cue_tokens[-1]] + len(texts[cue_tokens[-1]]))
        cue_words = " ".join([lower[i] for i in cue_tokens])
        lemma = self.verb_lemmas.get(cue_words, cue_words)
        resolution = self.resolve(candidate, mention, content)
        self.remember(resolution, candidate, mention.start)
        return Attribution(
            kind=kind,
            content=content,
            cue=Cue(span=cue_span, lemma=lemma, rule=candidate.rule),
            speaker_mention=mention,
            speaker_name=strip_invisible(resolution.name),
            speaker_entity=resolution.entity if resolution.entity is not None and resolution.entity < self.n_entities else None,
            resolved_by=resolution.resolved_by,
            rule=candidate.rule,
            sentence=extent,
        )

    def resolve(self, candidate: Candidate, mention: CharSpan, content: CharSpan) -> Resolution:
        # the speaker's words are read from the token table (index lists), not as Token objects
        table = self.table
        texts, lower, idx = table.text, table.lower, table.idx
        written = self.text[mention.start:mention.end]
        names = candidate.roles.get("speaker_name")
        if names:
            span = CharSpan(idx[names[0]], idx[names[-1]] + len(texts[names[-1]]))
            written_name = self.text[span.start:span.end]
            return self.by_name(span) or self.by_known_speaker(written_name) or Resolution(written_name, None, "name")
        tokens = candidate.roles.get("speaker", ())
        words = [lower[i] for i in tokens]
        if len(words) == 1 and words[0] in self.lexicon.pronoun_gender:
            return self.by_pronoun(words[0], mention, content) or Resolution(written, None, "unresolved")
        if candidate.rule.endswith(".pair"):
            return self.by_pair([self.doc[i] for i in tokens]) or Resolution(written, None, "name")
        head = self.lexicon.head(words)
        possessive = next((k for k, w in enumerate(words) if w in ("'s", "’s")), None)
        if possessive is not None and head is not None and any(w == head for w in words[possessive:]):
            return Resolution(_strip_determiner(written, self.lexicon.determiners), None, "unresolved")  # "McCallum's staff"
        named = self.by_name(mention)
        if named is not None:
            return named
        if head is not None:
            # "TransLink CEO Kevin Desmond": the capitalised words after the role noun are the name
            at = max(k for k, w in enumerate(words) if w == head)
            rest = tokens[at + 1:]
            if rest and all(texts[i][:1].isupper() for i in rest):
                name = self.text[idx[rest[0]]:idx[rest[-1]] + len(texts[rest[-1]])]
                return self.by_known_speaker(name) or Resolution(name, None, "name")
        first = words[0]
        if first in INDEFINITE:
            return Resolution(written, None, "unresolved")  # "a spokeswoman": someone not named, not someone before
        if head in self.lexicon.documents and first in POSSESSIVE_PRONOUNS:
            # "her statement": the statement of whoever "she" is
            owner = self.by_pronoun(POSSESSIVE_PRONOUNS[first], mention, content)
            if owner is not None:
                return replace(owner, resolved_by="title")
        if head in self.lexicon.documents and self.org_speakers and first not in INDEFINITE:
            # "the report said": the report of the organisation that spoke last, its author more often than
            # not; a document is never resolved to a person
            index = self.org_speakers[-1]
            return Resolution(self.entities[index].name, index, "title")
        if head in self.lexicon.documents or head in self.lexicon.groups:
            return Resolution(_strip_determiner(written, self.lexicon.determiners), None, "unresolved")
        if head in self.lexicon.org_nouns and first in POSSESSIVES:
            return Resolution(written, None, "unresolved")  # "his office": the office of a person, not an organisation named before
        is_title = table.is_title
        if head is not None and (first in self.lexicon.determiners or not is_title[tokens[0]]):
            is_alpha = table.is_alpha
            modifiers = [lower[i] for i in tokens[1:] if is_alpha[i] and lower[i] != head]
            return self.by_title(head, mention, modifiers) or Resolution(written, None, "unresolved")
        bare = _strip_determiner(written, self.lexicon.determiners)
        if is_title[tokens[0]] and all(is_title[i] or table.is_upper[i] or table.is_punct[i] for i in tokens[1:]):
            return self.by_known_speaker(bare) or Resolution(bare, None, "name")
        if head is not None:
            return self.by_title(head, mention) or Resolution(written, None, "unresolved")
        return Resolution(bare, None, "unresolved")

    def remember(self, resolution: Resolution, candidate: Candidate, position: int = 0) -> None:
        """Update the state: a resolved person becomes the most recent speaker, with any role given."""
        if resolution.resolved_by == "unresolved":
            if self.lexicon.head([self.table.lower[i] for i in candidate.roles.get("speaker", ())]) in self.lexicon.groups:
                self.plural_recent = resolution  # "authorities said ... They said"
            return
        if resolution.entity is not None and self.entities[resolution.entity].label not in PERSON_LABELS:
            self.org_speakers.append(resolution.entity)
            self.plural_recent = resolution
            return
        lower = self.table.lower
        roles = {lower[i] for i in candidate.roles.get("speaker", ()) if lower[i] in self.lexicon.role_nouns}
        known = next((k for k in self.person_speakers if k.name == resolution.name), None)
        if known is None:
            entity = self.entities[resolution.entity] if resolution.entity is not None else None
            gender = self.genders.get(resolution.entity) if resolution.entity is not None else None
            known = KnownSpeaker(resolution.name, resolution.entity, set(entity.roles) if entity else set(), gender)
        else:
            self.person_speakers.remove(known)
        if candidate.roles.get("speaker_name") or resolution.resolved_by in ("name", "alias"):
            known.roles |= roles
        if known.gender is None and resolution.resolved_by == "pronoun":
            words = [lower[i] for i in candidate.roles.get("speaker", ())]
            known.gender = self.lexicon.pronoun_gender.get(words[0]) if len(words) == 1 else None
        known.position = max(known.position, position)
        self.person_speakers.append(known)

    def by_pair(self, words: Sequence) -> Resolution | None:
        """Two speakers joined by "and": both names, each resolved ("Sandmann and Phillips" -> full names)."""
        cut = next(k for k, w in enumerate(words) if w.lower_ == "and")
        names = []
        for part in (words[:cut], words[cut + 1:]):
            span = CharSpan(part[0].idx, part[-1].idx + len(part[-1]))
            written = self.text[span.start:span.end]
            found = self.by_name(span) or self.by_known_speaker(written)
            names.append(found.name if found is not None else written)
        return Resolution(" and ".join(names), None, "name")

    def by_known_speaker(self, written: str) -> Resolution | None:
        """A surname or other part of the name of someone who has already spoken."""
        words = set(_name_words(written))
        if not words:
            return None
        for known in reversed(self.person_speakers):
            if words < set(_name_words(known.name)):
                return Resolution(known.name, known.entity, "alias")
        return None

    # -- strategies ----------------------------------------------------------------------------
    def by_name(self, span: CharSpan) -> Resolution | None:
        """The speaker entity mentioned within `span`: a person before an organisation, the longest mention."""
        best: tuple[bool, int, int, int] | None = None  # is person, length, start, entity
        for start, end, index in self.mentions_within(span):
            label = self.entities[index].label
            if label in SPEAKER_LABELS and not self.honorific_only(self.entities[index].name):
                key = (label in PERSON_LABELS, end - start, start, index)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best is None:
            return None
        _, length, start, index = best
        entity = self.entities[index]
        written = self.text[start:start + length]
        return Resolution(entity.name, index, "name" if written == entity.name else "alias")

    def honorific_only(self, name: str) -> bool:
        """Whether a name is only a title ("Ms.", a mention cut short where the name is also a common word)."""
        # as `_name_words(name)` all in the honorifics, stopping at the first word that is not one
        honorifics, found = self.lexicon.honorifics, False
        for word in name.split():
            word = word.strip(".,")
            if not word:
                continue
            if word.lower().rstrip(".") not in honorifics:
                return False
            found = True
        return found

    def by_pronoun(self, pronoun: str, mention: CharSpan, content: CharSpan) -> Resolution | None:
        """He / she: the most recent person of that gender, mentioned (outside the statement) or speaking;
        failing that, the most recent person of unknown gender. They: the most recent organisation speaker."""
        gender = self.lexicon.pronoun_gender.get(pronoun)
        if pronoun in ("he", "she"):
            before = min(mention.start, content.start)
            same: tuple[int, Resolution] | None = None
            unknown: tuple[int, Resolution] | None = None
            for known in reversed(self.person_speakers):
                if known.position >= before or (known.gender is not None and known.gender != gender):
                    continue
                option = (known.position, Resolution(known.name, known.entity, "pronoun"))
                if known.gender == gender:
                    same = option
                    break
                if unknown is None:
                    unknown = option
            # a person introduced as the subject of a sentence since then is who "he" or "she" is now
            floor = same[0] if same is not None else -1
            mentioned: tuple[int, Resolution] | None = None
            for index, start, end in self.people_before(before):
                if start <= floor:
                    break
                if content.start <= start < content.end or not self.subject_like(start, end, strict=same is not None):
                    continue
                known = self.genders.get(index)
                if known == gender:
                    same = (start, Resolution(self.entities[index].name, index, "pronoun"))
                    break
                if known is None and mentioned is None:
                    mentioned = (start, Resolution(self.entities[index].name, index, "pronoun"))
            if same is None and unknown is None and mentioned is None:  # nobody fits as a subject: any person mentioned
                for index, start, _ in self.people_before(before):
                    if not content.start <= start < content.end and self.genders.get(index) in (gender, None):
                        mentioned = (start, Resolution(self.entities[index].name, index, "pronoun"))
                        break
            best = same or unknown or mentioned  # a speaker of unknown gender before a person only mentioned
            if best is not None:
                return best[1]
        if pronoun == "they":
            return self.plural_recent
        if pronoun == "it" and self.org_speakers:
            index = self.org_speakers[-1]
            return Resolution(self.entities[index].name, index, "pronoun")
        if pronoun == "it":  # "it said": an organisation, the one mentioned last
            for index in self.entities_before(min(mention.start, content.start)):
                if self.entities[index].label == "ORG":
                    return Resolution(self.entities[index].name, index, "pronoun")
        return None

    def by_title(self, head: str, mention: CharSpan, modifiers: Sequence[str] = ()) -> Resolution | None:
        """A role or organisation noun: the person last given that role (else the last person speaker), or
        the organisation whose name holds the noun. A mention with modifiers ("the Canadian government")
        only takes an organisation whose name holds them too, and stays as written otherwise."""
        if head in self.lexicon.org_nouns and head not in self.lexicon.role_nouns:
            for index in self.entities_before(mention.start):
                entity = self.entities[index]
                name_words = entity.name.lower().split()
                if entity.label == "ORG" and head in name_words and all(m in name_words for m in modifiers):
                    return Resolution(entity.name, index, "title")
            if modifiers:
                return None
            if self.org_speakers:
                return Resolution(self.entities[self.org_speakers[-1]].name, self.org_speakers[-1], "title")
            for index in self.entities_before(mention.start):
                if self.entities[index].label == "ORG":
                    return Resolution(self.entities[index].name, index, "title")
            return None
        for known in reversed(self.person_speakers):
            if head in known.roles:
                return Resolution(known.name, known.entity, "title")
        for index in self.entities_before(mention.start):
            entity = self.entities[index]
            if entity.label in PERSON_LABELS and head in entity.roles:
                return Resolution(entity.name, index, "title")
        if self.person_speakers:
            known = self.person_speakers[-1]
            return Resolution(known.name, known.entity, "title")
        return None

    # -- helpers -------------------------------------------------------------------------------
    def subject_like(self, char: int, end: int, strict: bool = False) -> bool:
        """Whether the mention at `char`..`end` stands where a subject does: opening its sentence (after an
        opener such as "But"), a clause after a comma or dash, or a quotation; not a possessive ("Stella's").
        With a dependency parse (the accurate pipeline), the parse decides."""
        # imported here: claimex.components imports this module
        from claimex.components.attribution_parse import is_subject

        parsed = is_subject(self.doc, char, end)
        if parsed is not None:
            return parsed
        if self.token_starts is None:
            self.token_starts = self.table.idx
        doc = self.doc
        after = bisect.bisect_left(self.token_starts, end)
        if after < len(doc) and doc[after].lower_ in ("'s", "’s", "'", "’"):
            return False
        k = bisect.bisect_right(self.token_starts, char) - 1
        k = self.title_start(k)
        while k > 0 and doc[k - 1].lower_ in self.lexicon.openers and not doc[k].is_sent_start:
            k -= 1
        if k <= 0 or doc[k].is_sent_start:
            return True
        prev = doc[k - 1]
        if strict:  # to displace a speaker, a person must open a sentence, or its main clause after a fronted phrase
            return prev.text == "," and self.opens_main_clause(k, char, after)
        return prev.text in (",", "—", "–", ":") or prev.is_quote or prev.is_space or "\n" in prev.whitespace_

    def title_start(self, k: int) -> int:
        """The first token of the role or title phrase right before the name at token `k` ("Immigration lawyer
        Jane Doe", "the city's fire chief Jane Doe"): the name stands where its phrase does. Only a phrase that
        ends in a role noun counts; otherwise `k` itself."""
        doc = self.doc
        j = k
        while j > 0 and not doc[j].is_sent_start and k - j < 6:
            prev = doc[j - 1]
            if prev.lower_ in self.lexicon.role_nouns or prev.is_title or prev.is_upper or prev.lower_ in self.lexicon.determiners:
                j -= 1
            else:
                break
        if j == k or doc[k - 1].lower_ not in self.lexicon.role_nouns:  # the phrase must end in a role noun
            return k
        return j

    def opens_main_clause(self, k: int, char: int, after: int) -> bool:
        """Whether the mention at token `k` (after a comma) is the subject of its sentence's main clause behind a
        fronted phrase ("After the vote, Ms. May acknowledged ..."): no person is named earlier in the sentence
        and a lower-case word (the verb) follows the mention, not a preposition or conjunction."""
        doc = self.doc
        if after >= len(doc) or not (doc[after].is_lower and doc[after].is_alpha) or doc[after].lower_ in CLAUSE_LINKS:
            return False
        start = k
        while start > 0 and not doc[start].is_sent_start:
            start -= 1
        first = bisect.bisect_left(self.mention_starts, doc[start].idx)
        last = bisect.bisect_left(self.mention_starts, char)
        return not any(self.entities[self.mentions[m][2]].label in PERSON_LABELS for m in range(first, last))

    def entities_before(self, char: int, lookback: int = LOOKBACK) -> Iterator[int]:
        """Entities of the mentions that start before `char`, nearest first, at most `lookback` of them."""
        position = bisect.bisect_left(self.mention_starts, char)
        for k in range(position - 1, max(-1, position - 1 - lookback), -1):
            yield self.mentions[k][2]

    def people_before(self, char: int, lookback: int = LOOKBACK) -> Iterator[tuple[int, int, int]]:
        """(entity, mention start, mention end) of the person mentions before `char`, nearest first."""
        position = bisect.bisect_left(self.mention_starts, char)
        for k in range(position - 1, max(-1, position - 1 - lookback), -1):
            start, end, index = self.mentions[k]
            if self.entities[index].label in PERSON_LABELS:
                yield index, start, end

    def mentions_within(self, span: CharSpan) -> list[tuple[int, int, int]]:
        lo = bisect.bisect_left(self.mention_starts, span.start)
        hi = bisect.bisect_left(self.mention_starts, span.end)
        return [m for m in self.mentions[lo:hi] if m[1] <= span.end]


def infer_genders(doc: Doc, entities: Sequence[EntityInfo], mentions: Sequence[tuple[int, int, int]]) -> dict[int, str]:
    """Gender of each person: what the entity says, else the majority of the personal pronouns that
    follow its mentions before the next person is mentioned. One pass over tokens and mentions."""
    # imported here: claimex.components imports this module
    from claimex.components.token_table import token_table

    votes: dict[int, list[int]] = {}
    people = [(start, index) for start, _, index in mentions if entities[index].label in PERSON_LABELS]
    if people and len(doc):
        # only the pronouns are visited: the lower-case forms and offsets come from the Doc's token table
        table = token_table(doc)
        starts = [start for start, _ in people]
        idx, lowers = table.idx, table.lower
        # the pronoun tokens, picked out without a Python loop over the tokens
        for i in compress(range(len(lowers)), map(GENDERED.__contains__, lowers)):
            k = bisect.bisect_right(starts, idx[i])  # the person mentioned last at or before the pronoun
            if k:
                tally = votes.setdefault(people[k - 1][1], [0, 0])
                tally[lowers[i] in FEMALE] += 1
    genders: dict[int, str] = {}
    for index, entity in enumerate(entities):
        if entity.gender in ("m", "f"):
            genders[index] = entity.gender
        elif index in votes and votes[index][0] != votes[index][1]:
            genders[index] = "m" if votes[index][0] > votes[index][1] else "f"
    return genders


def plural(word: str) -> str:
    """English plural of a role noun, for lexicon lookups ("official" -> "officials", "authority" -> "authorities")."""
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    if word.endswith("man"):
        return word[:-3] + "men"
    return word + "s"


def entities_from_ents(doc: Doc) -> list[EntityInfo]:
    """Entities from `doc.ents` alone (one per distinct text), for pipelines without claimex_entities."""
    grouped: dict[tuple[str, str], list[CharSpan]] = {}
    for ent in doc.ents:
        grouped.setdefault((ent.text, ent.label_), []).append(CharSpan(ent.start_char, ent.end_char))
    return [EntityInfo(name=text, label=label, aliases=(), mentions=tuple(spans), rule="doc.ents") for (text, label), spans in grouped.items()]


def _name_words(name: str) -> list[str]:
    return [w.strip(".,").lower() for w in name.split() if w.strip(".,")]


def _strip_determiner(text: str, determiners: frozenset[str]) -> str:
    first, _, rest = text.partition(" ")
    return rest if rest and first.lower() in determiners else text
