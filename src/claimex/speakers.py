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
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from claimex.annotations import Attribution, CharSpan, Cue, EntityInfo

if TYPE_CHECKING:
    from claimex.components.attribution_layouts import Candidate, Finding

PERSON_LABELS = frozenset({"PERSON"})
INDEFINITE = frozenset({"a", "an", "another", "one"})
PREPOSITIONS = frozenset({"to", "of", "for", "at", "in", "with", "from"})
MALE = frozenset({"he", "himself"})  # subject and reflexive pronouns: "her" may be anyone's
FEMALE = frozenset({"she", "herself"})
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

    @classmethod
    def from_lists(cls, lists: Mapping[str, Sequence[str]]) -> SpeakerLexicon:
        genders: dict[str, str | None] = {}
        for entry in lists["speaker_pronouns"]:
            word, _, gender = entry.partition(":")
            gender = gender.strip()
            genders[word.strip().lower()] = gender if gender in ("m", "f") else None
        roles = frozenset(w.lower() for w in lists["role_nouns"])
        return cls(
            pronoun_gender=genders,
            role_nouns=roles,
            org_nouns=frozenset(w.lower() for w in lists["org_nouns"]),
            determiners=frozenset(w.lower() for w in lists["speaker_determiners"]),
            documents=frozenset(w.lower() for w in lists.get("speaker_documents", ())),
            groups=frozenset(plural(w) for w in roles if " " not in w) - roles,
        )

    @property
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
        self.doc = doc
        self.text = doc.text if text is None else text  # Doc.text joins every token: read it once
        self.lexicon = lexicon
        self.verb_lemmas = verb_lemmas or {}
        self.entities: tuple[EntityInfo, ...] = tuple(doc._.claimex_entities or entities_from_ents(doc))
        self.n_entities = len(self.entities)  # people added from speaker names come after, without an entity id
        self.mentions = sorted((m.start, m.end, index) for index, entity in enumerate(self.entities) for m in entity.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.genders = infer_genders(doc, self.entities, self.mentions)
        self.person_speakers: list[KnownSpeaker] = []  # most recent last
        self.org_speakers: list[int] = []

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
        doc, groups = self.doc, {}
        for finding in found:
            roles = finding.candidate.roles
            tokens = roles.get("speaker_name") or roles.get("speaker", ())
            if finding.follows is not None or not tokens or not all(doc[i].text[:1].isupper() for i in tokens):
                continue
            if doc[tokens[0]].lower_ in self.lexicon.determiners or doc[tokens[0]].lower_ in self.lexicon.pronoun_gender:
                continue
            if self.lexicon.head([doc[i].lower_ for i in tokens]) is not None:
                continue
            span = CharSpan(doc[tokens[0]].idx, doc[tokens[-1]].idx + len(doc[tokens[-1]]))
            if self.mentions_within(CharSpan(span.start - 1, span.end + 1)) or self.covering(span):
                continue
            groups.setdefault(doc[tokens[-1]].lower_, []).append(span)
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
        self.genders = infer_genders(self.doc, self.entities, self.mentions)

    def covering(self, span: CharSpan) -> bool:
        """Whether an entity mention covers `span` (a surname inside a full name)."""
        i = bisect.bisect_right(self.mention_starts, span.start)
        return any(self.mentions[k][1] >= span.end for k in range(max(0, i - 2), i))

    def attribution(self, candidate: Candidate, content: CharSpan, extent: CharSpan, kind: str) -> Attribution:
        doc = self.doc
        speaker_tokens = sorted(candidate.roles.get("speaker", ()) + candidate.roles.get("speaker_name", ()))
        mention = CharSpan(doc[speaker_tokens[0]].idx, doc[speaker_tokens[-1]].idx + len(doc[speaker_tokens[-1]]))
        cue_tokens = candidate.roles["cue"]
        cue_span = CharSpan(doc[cue_tokens[0]].idx, doc[cue_tokens[-1]].idx + len(doc[cue_tokens[-1]]))
        cue_words = " ".join(doc[i].lower_ for i in cue_tokens)
        lemma = self.verb_lemmas.get(cue_words, cue_words)
        resolution = self.resolve(candidate, mention, content)
        self.remember(resolution, candidate, mention.start)
        return Attribution(
            kind=kind,
            content=content,
            cue=Cue(span=cue_span, lemma=lemma, rule=candidate.rule),
            speaker_mention=mention,
            speaker_name=resolution.name,
            speaker_entity=resolution.entity if resolution.entity is not None and resolution.entity < self.n_entities else None,
            resolved_by=resolution.resolved_by,
            rule=candidate.rule,
            sentence=extent,
        )

    def resolve(self, candidate: Candidate, mention: CharSpan, content: CharSpan) -> Resolution:
        doc = self.doc
        written = self.text[mention.start:mention.end]
        names = candidate.roles.get("speaker_name")
        if names:
            span = CharSpan(doc[names[0]].idx, doc[names[-1]].idx + len(doc[names[-1]]))
            written_name = self.text[span.start:span.end]
            return self.by_name(span) or self.by_known_speaker(written_name) or Resolution(written_name, None, "name")
        words = [doc[i] for i in candidate.roles.get("speaker", ())]
        if len(words) == 1 and words[0].lower_ in self.lexicon.pronoun_gender:
            return self.by_pronoun(words[0].lower_, mention, content) or Resolution(written, None, "unresolved")
        named = self.by_name(mention)
        if named is not None:
            return named
        head = self.lexicon.head([w.lower_ for w in words])
        if head is not None:
            # "TransLink CEO Kevin Desmond": the capitalised words after the role noun are the name
            at = max(k for k, w in enumerate(words) if w.lower_ == head)
            rest = words[at + 1:]
            if rest and all(w.text[:1].isupper() for w in rest):
                name = self.text[rest[0].idx:rest[-1].idx + len(rest[-1])]
                return self.by_known_speaker(name) or Resolution(name, None, "name")
        if words[0].lower_ in INDEFINITE:
            return Resolution(written, None, "unresolved")  # "a spokeswoman": someone not named, not someone before
        if head in self.lexicon.documents or head in self.lexicon.groups:
            return Resolution(_strip_determiner(written, self.lexicon.determiners), None, "unresolved")
        if head is not None and (words[0].lower_ in self.lexicon.determiners or not words[0].is_title):
            return self.by_title(head, mention) or Resolution(written, None, "unresolved")
        bare = _strip_determiner(written, self.lexicon.determiners)
        if words[0].is_title and all(t.is_title or t.is_upper or t.is_punct for t in words[1:]):
            return self.by_known_speaker(bare) or Resolution(bare, None, "name")
        if head is not None:
            return self.by_title(head, mention) or Resolution(written, None, "unresolved")
        return Resolution(bare, None, "unresolved")

    def remember(self, resolution: Resolution, candidate: Candidate, position: int = 0) -> None:
        """Update the state: a resolved person becomes the most recent speaker, with any role given."""
        if resolution.resolved_by == "unresolved":
            return
        if resolution.entity is not None and self.entities[resolution.entity].label not in PERSON_LABELS:
            self.org_speakers.append(resolution.entity)
            return
        roles = {self.doc[i].lower_ for i in candidate.roles.get("speaker", ()) if self.doc[i].lower_ in self.lexicon.role_nouns}
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
            words = [self.doc[i].lower_ for i in candidate.roles.get("speaker", ())]
            known.gender = self.lexicon.pronoun_gender.get(words[0]) if len(words) == 1 else None
        known.position = max(known.position, position)
        self.person_speakers.append(known)

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
            if label in SPEAKER_LABELS:
                key = (label in PERSON_LABELS, end - start, start, index)
                if best is None or key[:2] > best[:2]:
                    best = key
        if best is None:
            return None
        _, length, start, index = best
        entity = self.entities[index]
        written = self.text[start:start + length]
        return Resolution(entity.name, index, "name" if written == entity.name else "alias")

    def by_pronoun(self, pronoun: str, mention: CharSpan, content: CharSpan) -> Resolution | None:
        """He / she: the most recent person of that gender, mentioned (outside the statement) or speaking;
        failing that, the most recent person of unknown gender. They: the most recent organisation speaker."""
        gender = self.lexicon.pronoun_gender.get(pronoun)
        if pronoun in ("he", "she"):
            before = min(mention.start, content.start)
            same: tuple[int, Resolution] | None = None
            unknown: tuple[int, Resolution] | None = None
            for index, start in self.people_before(before):
                if content.start <= start < content.end:
                    continue
                known = self.genders.get(index)
                if known == gender:
                    same = (start, Resolution(self.entities[index].name, index, "pronoun"))
                    break
                if known is None and unknown is None:
                    unknown = (start, Resolution(self.entities[index].name, index, "pronoun"))
            for known in reversed(self.person_speakers):
                if known.position >= before or (known.gender is not None and known.gender != gender):
                    continue
                option = (known.position, Resolution(known.name, known.entity, "pronoun"))
                if known.gender == gender:
                    if same is None or same[0] < known.position:
                        same = option
                elif unknown is None or unknown[0] < known.position:
                    unknown = option
                break
            best = same or unknown
            if best is not None:
                return best[1]
        if pronoun == "they" and self.org_speakers:
            index = self.org_speakers[-1]
            return Resolution(self.entities[index].name, index, "pronoun")
        return None

    def by_title(self, head: str, mention: CharSpan) -> Resolution | None:
        if head in self.lexicon.org_nouns and head not in self.lexicon.role_nouns:
            for index in self.entities_before(mention.start):
                entity = self.entities[index]
                if entity.label == "ORG" and head in entity.name.lower().split():
                    return Resolution(entity.name, index, "title")
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
    def entities_before(self, char: int, lookback: int = LOOKBACK) -> Iterator[int]:
        """Entities of the mentions that start before `char`, nearest first, at most `lookback` of them."""
        position = bisect.bisect_left(self.mention_starts, char)
        for k in range(position - 1, max(-1, position - 1 - lookback), -1):
            yield self.mentions[k][2]

    def people_before(self, char: int, lookback: int = LOOKBACK) -> Iterator[tuple[int, int]]:
        """(entity, mention start) of the person mentions before `char`, nearest first."""
        position = bisect.bisect_left(self.mention_starts, char)
        for k in range(position - 1, max(-1, position - 1 - lookback), -1):
            start, _, index = self.mentions[k]
            if self.entities[index].label in PERSON_LABELS:
                yield index, start

    def mentions_within(self, span: CharSpan) -> list[tuple[int, int, int]]:
        lo = bisect.bisect_left(self.mention_starts, span.start)
        hi = bisect.bisect_left(self.mention_starts, span.end)
        return [m for m in self.mentions[lo:hi] if m[1] <= span.end]


def infer_genders(doc: Doc, entities: Sequence[EntityInfo], mentions: Sequence[tuple[int, int, int]]) -> dict[int, str]:
    """Gender of each person: what the entity says, else the majority of the personal pronouns that
    follow its mentions before the next person is mentioned. One pass over tokens and mentions."""
    votes: dict[int, list[int]] = {}
    people = [(start, index) for start, _, index in mentions if entities[index].label in PERSON_LABELS]
    k, last = 0, None
    for token in doc:
        while k < len(people) and people[k][0] <= token.idx:
            last = people[k][1]
            k += 1
        if last is None:
            continue
        word = token.lower_
        if word in MALE or word in FEMALE:
            tally = votes.setdefault(last, [0, 0])
            tally[word in FEMALE] += 1
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
