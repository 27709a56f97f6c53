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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from spacy.tokens import Doc

from claimex.annotations import Attribution, CharSpan, Cue, EntityInfo

if TYPE_CHECKING:
    from claimex.components.attribution import Candidate

PERSON_LABELS = frozenset({"PERSON"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG"})
LOOKBACK = 400  # mentions searched backwards for a title or pronoun: bounds the cost on very long texts


@dataclass(frozen=True)
class SpeakerLexicon:
    """Word lists the resolver needs, lower-cased."""

    pronoun_gender: Mapping[str, str | None]
    role_nouns: frozenset[str]
    org_nouns: frozenset[str]
    determiners: frozenset[str]

    @classmethod
    def from_lists(cls, lists: Mapping[str, Sequence[str]]) -> SpeakerLexicon:
        genders: dict[str, str | None] = {}
        for entry in lists["speaker_pronouns"]:
            word, _, gender = entry.partition(":")
            gender = gender.strip()
            genders[word.strip().lower()] = gender if gender in ("m", "f") else None
        return cls(
            pronoun_gender=genders,
            role_nouns=frozenset(w.lower() for w in lists["role_nouns"]),
            org_nouns=frozenset(w.lower() for w in lists["org_nouns"]),
            determiners=frozenset(w.lower() for w in lists["speaker_determiners"]),
        )


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


class SpeakerResolver:
    """Resolves the speakers of one document's attributions, in text order."""

    def __init__(self, doc: Doc, lexicon: SpeakerLexicon, verb_lemmas: Mapping[str, str] | None = None) -> None:
        self.doc = doc
        self.text = doc.text  # Doc.text joins every token: read it once
        self.lexicon = lexicon
        self.verb_lemmas = verb_lemmas or {}
        self.entities: tuple[EntityInfo, ...] = tuple(doc._.claimex_entities or entities_from_ents(doc))
        self.mentions = sorted((m.start, m.end, index) for index, entity in enumerate(self.entities) for m in entity.mentions)
        self.mention_starts = [m[0] for m in self.mentions]
        self.person_speakers: list[KnownSpeaker] = []  # most recent last
        self.org_speakers: list[int] = []

    def resolve_all(self, found: Iterable[tuple[Candidate, CharSpan, CharSpan, str]]) -> Iterator[Attribution]:
        for candidate, content, extent, kind in found:
            yield self.attribution(candidate, content, extent, kind)

    def attribution(self, candidate: Candidate, content: CharSpan, extent: CharSpan, kind: str) -> Attribution:
        doc = self.doc
        speaker_tokens = sorted(candidate.roles.get("speaker", ()) + candidate.roles.get("speaker_name", ()))
        mention = CharSpan(doc[speaker_tokens[0]].idx, doc[speaker_tokens[-1]].idx + len(doc[speaker_tokens[-1]]))
        cue_tokens = candidate.roles["cue"]
        cue_span = CharSpan(doc[cue_tokens[0]].idx, doc[cue_tokens[-1]].idx + len(doc[cue_tokens[-1]]))
        cue_words = " ".join(doc[i].lower_ for i in cue_tokens)
        lemma = self.verb_lemmas.get(cue_words, cue_words)
        resolution = self.resolve(candidate, mention, extent)
        self.remember(resolution, candidate)
        return Attribution(
            kind=kind,
            content=content,
            cue=Cue(span=cue_span, lemma=lemma, rule=candidate.rule),
            speaker_mention=mention,
            speaker_name=resolution.name,
            speaker_entity=resolution.entity,
            resolved_by=resolution.resolved_by,
            rule=candidate.rule,
            sentence=extent,
        )

    def resolve(self, candidate: Candidate, mention: CharSpan, extent: CharSpan) -> Resolution:
        doc = self.doc
        written = self.text[mention.start:mention.end]
        names = candidate.roles.get("speaker_name")
        if names:
            span = CharSpan(doc[names[0]].idx, doc[names[-1]].idx + len(doc[names[-1]]))
            written_name = self.text[span.start:span.end]
            return self.by_name(span) or self.by_known_speaker(written_name) or Resolution(written_name, None, "name")
        words = [doc[i] for i in candidate.roles.get("speaker", ())]
        if len(words) == 1 and words[0].lower_ in self.lexicon.pronoun_gender:
            return self.by_pronoun(words[0].lower_, extent) or Resolution(written, None, "unresolved")
        head = words[-1].lower_
        if head in self.lexicon.role_nouns or head in self.lexicon.org_nouns:
            if not any(doc[i].ent_type_ in SPEAKER_LABELS for i in candidate.roles.get("speaker", ())[-1:]):
                return self.by_title(head, mention, extent) or Resolution(written, None, "unresolved")
        bare = _strip_determiner(written, self.lexicon.determiners)
        if all(doc[i].is_title or doc[i].is_upper or doc[i].is_punct for i in candidate.roles.get("speaker", ())[1:]) and words[0].is_title:
            return self.by_name(mention) or self.by_known_speaker(bare) or Resolution(bare, None, "name")
        return self.by_name(mention) or Resolution(bare, None, "unresolved")

    def remember(self, resolution: Resolution, candidate: Candidate) -> None:
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
            known = KnownSpeaker(resolution.name, resolution.entity, set(entity.roles) if entity else set(), entity.gender if entity else None)
        else:
            self.person_speakers.remove(known)
        if candidate.roles.get("speaker_name"):
            known.roles |= roles
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
        """The speaker entity mentioned within `span`: the longest PERSON/ORG mention inside it."""
        best: tuple[int, int, int] | None = None  # length, start, entity
        for start, end, index in self.mentions_within(span):
            if self.entities[index].label in SPEAKER_LABELS and (best is None or end - start > best[0]):
                best = (end - start, start, index)
        if best is None:
            return None
        length, start, index = best
        entity = self.entities[index]
        written = self.text[start:start + length]
        return Resolution(entity.name, index, "name" if written == entity.name else "alias")

    def by_pronoun(self, pronoun: str, extent: CharSpan) -> Resolution | None:
        gender = self.lexicon.pronoun_gender.get(pronoun)
        if pronoun in ("he", "she"):
            for known in reversed(self.person_speakers):
                if known.gender is None or gender is None or known.gender == gender:
                    return Resolution(known.name, known.entity, "pronoun")
            index = self.last_mention_before(extent.start, PERSON_LABELS, gender)
            if index is not None:
                return Resolution(self.entities[index].name, index, "pronoun")
        if pronoun == "they" and self.org_speakers:
            index = self.org_speakers[-1]
            return Resolution(self.entities[index].name, index, "pronoun")
        return None

    def by_title(self, head: str, mention: CharSpan, extent: CharSpan) -> Resolution | None:
        if head in self.lexicon.org_nouns and head not in self.lexicon.role_nouns:
            for index in self.entities_before(mention.start):
                entity = self.entities[index]
                if entity.label == "ORG" and head in entity.name.lower().split():
                    return Resolution(entity.name, index, "title")
            if self.org_speakers:
                return Resolution(self.entities[self.org_speakers[-1]].name, self.org_speakers[-1], "title")
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
        index = self.last_mention_before(extent.start, PERSON_LABELS, None)
        if index is not None:
            return Resolution(self.entities[index].name, index, "title")
        return None

    # -- helpers -------------------------------------------------------------------------------
    def compatible(self, index: int, gender: str | None) -> bool:
        known = self.entities[index].gender
        return gender is None or known is None or known == gender

    def entities_before(self, char: int, lookback: int = LOOKBACK) -> Iterator[int]:
        """Entities of the mentions that start before `char`, nearest first, at most `lookback` of them."""
        position = bisect.bisect_left(self.mention_starts, char)
        for k in range(position - 1, max(-1, position - 1 - lookback), -1):
            yield self.mentions[k][2]

    def mentions_within(self, span: CharSpan) -> list[tuple[int, int, int]]:
        lo = bisect.bisect_left(self.mention_starts, span.start)
        hi = bisect.bisect_left(self.mention_starts, span.end)
        return [m for m in self.mentions[lo:hi] if m[1] <= span.end]

    def last_mention_before(self, char: int, labels: frozenset[str], gender: str | None) -> int | None:
        for index in self.entities_before(char):
            if self.entities[index].label in labels and self.compatible(index, gender):
                return index
        return None


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
