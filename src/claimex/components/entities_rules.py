"""Entity candidates from name chunks: head words, titles, acronym definitions and context patterns.

Every rule proposes `Candidate`s (a token range, a label, the rule's id and a priority); the recognizer
keeps the longest non-overlapping ones. Rules never name a particular entity: they read word lists
(heads such as "Company" or "Port", titles such as "King" or "Mr.") and token patterns from
`patterns/entities.jsonl`.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from spacy.matcher import Matcher
from spacy.tokens import Doc

from claimex.components.boundary_windows import BoundaryMatcher
from claimex.components.entities_chunks import HYPHENS, NameChunk
from claimex.components.token_table import token_table
from claimex.normalize.names import is_acronym, is_roman_numeral, matches_acronym
from claimex.patterns import expand_lists, validate_rows

Label = Literal["PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"]

# How strongly a rule's reading wins over another reading of the same tokens (longer spans win first).
PRIORITY_DEFINITION = 8  # "Organization of American States (OAS)"
PRIORITY_LIST = 7  # countries, regions, demonyms and well-known organisations
PRIORITY_HEAD = 6  # "... Company", "... Port", "Republic of ..."
PRIORITY_TITLE = 5  # "King Charles III", "Mr. Smith"
PRIORITY_GAZETTEER = 4  # cities, states and provinces
PRIORITY_PERSON = 3  # reporting verbs, appositions
PRIORITY_GUESS = 2  # a known given name before a capitalised word
PRIORITY_REPEAT = 1  # later mentions of a name already found


@dataclass
class Candidate:
    """A proposed entity mention: tokens [start, end), label and the rule that proposed it."""

    start: int
    end: int
    label: str
    rule: str
    priority: int
    key: str | None = None  # referent key from a gazetteer or list ("country:MA")
    roles: tuple[str, ...] = ()
    gender: str | None = None
    aliases: tuple[tuple[int, int], ...] = field(default=())  # token ranges that name the same referent

    @property
    def length(self) -> int:
        return self.end - self.start


class EntityPattern(BaseModel):
    """One row of `patterns/entities.jsonl`: a context pattern that types a neighbouring name chunk.

    `target` says which tokens become the entity: "next" the name chunk that starts where the match
    ends ("said" -> "Jane Doe"), "prev" the chunk that ends where the match starts ("Jane Doe" <-
    "said"), "match" the matched tokens themselves. `role_token` is the index, in `pattern`, of the
    token that names the person's role ("ambassador").
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_.:-]+$")
    pattern: list[dict[str, Any]] = Field(min_length=1)
    label: Label
    target: Literal["next", "prev", "match"] = "match"
    role_token: int | None = None
    min_words: int = Field(default=1, ge=1)
    max_words: int = Field(default=4, ge=1)
    comment: str = ""


class ContextRules:
    """The JSONL context patterns, compiled once into a spaCy Matcher.

    The patterns only count where they touch a name chunk, so `matches_at` runs the Matcher in windows
    at the chunks' boundaries (`BoundaryMatcher`), with the matches it would find over the whole Doc.
    """

    def __init__(self, vocab: Any, rows: Sequence[Mapping[str, Any]], lists: Mapping[str, Sequence[str]], source: str) -> None:
        self.specs: dict[str, EntityPattern] = {}
        self.matcher = Matcher(vocab, validate=True)
        patterns: dict[str, list[dict[str, Any]]] = {}
        for spec in validate_rows(rows, EntityPattern, source):
            pattern = expand_lists(spec.pattern, lists, source=f"{source}: pattern {spec.id}")
            self.matcher.add(spec.id, [pattern])
            self.specs[spec.id] = spec
            patterns[spec.id] = pattern
        self.windows = BoundaryMatcher(self.matcher, patterns, {key: spec.target for key, spec in self.specs.items()})

    def matches(self, doc: Doc) -> Iterable[tuple[EntityPattern, int, int, list[int]]]:
        """(spec, start, end, alignments) for every match, in document order."""
        strings = doc.vocab.strings
        for match_id, start, end, alignments in self.matcher(doc, with_alignments=True):
            yield self.specs[strings[match_id]], start, end, list(alignments)

    def matches_at(
        self, doc: Doc, starts: Collection[int], ends: Collection[int]
    ) -> Iterable[tuple[EntityPattern, int, int, list[int]]]:
        """The `matches` that touch a chunk: "next" ones that end at one of `starts`, "prev" ones that
        start at one of `ends`, and all "match" ones; in document order."""
        strings = doc.vocab.strings
        for match_id, start, end, alignments in self.windows(doc, starts, ends):
            yield self.specs[strings[match_id]], start, end, list(alignments)


@dataclass(frozen=True)
class HeadLexicons:
    """Word lists (lower-cased) that type a chunk by its head or its title."""

    heads: Mapping[str, frozenset[str]]  # label -> last words ("ORG" -> {"company", ...}); order matters
    loc_prefixes: frozenset[str]
    titles: frozenset[str]
    title_modifiers: frozenset[str]
    role_nouns: frozenset[str]
    male: frozenset[str]
    female: frozenset[str]
    given_names: frozenset[str]

    def head_label(self, word: str) -> str | None:
        for label, words in self.heads.items():
            if word in words:
                return label
        return None


def classify_chunk(doc: Doc, chunk: NameChunk, lex: HeadLexicons) -> Candidate | None:
    """Type a chunk by its head word ("... Company" -> ORG), its "X of Y" head, or a title in it."""
    words = chunk.words
    lower = token_table(doc).lower
    if chunk.connector is not None:
        head = max(w for w in words if w < chunk.connector)
        label = lex.head_label(lower[head])
        if label:
            return Candidate(chunk.start, chunk.end, label, f"head.{label.lower()}_of", PRIORITY_HEAD)
    person = titled_person(doc, chunk, lex)
    if len(words) >= 2:
        label = lex.head_label(lower[words[-1]])
        if label and not (label == "LOC" and person):  # "Trade Representative Carla Hills"
            return Candidate(chunk.start, chunk.end, label, f"head.{label.lower()}", PRIORITY_HEAD)
        if lower[words[0]] in lex.loc_prefixes:
            return Candidate(chunk.start, chunk.end, "LOC", "head.loc_prefix", PRIORITY_HEAD)
    return person


def given_name_person(doc: Doc, chunk: NameChunk, lex: HeadLexicons, listed: set[int]) -> Candidate | None:
    """"Takuya Takagi" -> PERSON: two to four name-shaped words, the first a known given name.

    Not when a later word is a listed country, nationality or organisation ("Christian Democrats").
    """
    words = chunk.words
    if not 2 <= len(words) <= 4 or token_table(doc).lower[words[0]] not in lex.given_names:
        return None
    if any(w in listed for w in words[1:]) or not looks_like_person(doc, words):
        return None
    return Candidate(chunk.start, chunk.end, "PERSON", "person.given_name", PRIORITY_GUESS)


def without_trailing_places(chunk: NameChunk, places: set[int]) -> NameChunk:
    """The chunk less the place names at its end ("Shengmin Zhao Guangzhou" -> "Shengmin Zhao").

    Datelines and bylines run a name into a place; a person's name rarely ends with one.
    """
    words = list(chunk.words)
    while len(words) > 1 and words[-1] in places:
        words.pop()
    if len(words) == len(chunk.words):
        return chunk
    return NameChunk(chunk.start, words[-1] + 1, tuple(words), None, chunk.sentence_initial)


def titled_person(doc: Doc, chunk: NameChunk, lex: HeadLexicons) -> Candidate | None:
    """"King Charles III" -> PERSON "Charles III" (role "king", gender "m"); the title is left out.

    The title is the last run of title words followed by one to four name-shaped words, whatever stands
    before it: "British King Charles III", "Industry Secretary Ian Lang", "Prime Minister Jane Doe".
    """
    words = list(chunk.words)
    lower = token_table(doc).lower
    for k in range(len(words) - 2, -1, -1):
        if lower[words[k]] not in lex.titles:
            continue
        is_title = [lower[w] in lex.titles or lower[w] in lex.title_modifiers for w in words]  # most chunks have no title
        name = words[k + 1 :]
        if not 1 <= len(name) <= 4 or any(is_title[k + 1 :]) or not looks_like_person(doc, name):
            return None
        first = k
        while first > 0 and is_title[first - 1]:
            first -= 1
        titles = [lower[w] for w in words[first : k + 1]]
        roles = tuple(dict.fromkeys(t.rstrip(".") for t in titles if t.rstrip(".") in lex.role_nouns))
        return Candidate(name[0], chunk.end, "PERSON", "person.title", PRIORITY_TITLE, roles=roles, gender=gender_of(titles, lex))
    return None


def gender_of(words: Iterable[str], lex: HeadLexicons) -> str | None:
    """"m" or "f" when a title or role noun says so ("Mrs.", "King", "spokeswoman"), else None."""
    for word in words:
        if word in lex.male:
            return "m"
        if word in lex.female:
            return "f"
    return None


def looks_like_person(doc: Doc, words: Sequence[int]) -> bool:
    """Words shaped like a personal name: capitalised words, initials ("F.") or a regnal number."""
    texts = token_table(doc).text
    for w in words:
        text = texts[w]
        if is_roman_numeral(text) and w != words[0]:
            continue
        if text.isupper() and not (len(text) == 2 and text.endswith(".")):
            return False
        if not text.isalpha() and any(ch.isdigit() for ch in text):  # letters only: no digit (most words)
            return False
    return True


def acronym_definitions(doc: Doc, chunks: Sequence[NameChunk], labels: Mapping[int, str]) -> list[Candidate]:
    """"Organization of American States (OAS)" and "OAS (Organization of American States)".

    Both the name and the acronym become candidates of one referent; the label is the chunk's own
    (`labels`, by chunk start) or ORG, the usual reading of a defined acronym.
    """
    by_start = {c.start: c for c in chunks}
    texts = token_table(doc).text
    found: list[Candidate] = []
    for chunk in chunks:
        close = chunk.end + 2
        if close >= len(doc) or texts[chunk.end] != "(" or texts[close] != ")":
            continue
        acronym = texts[chunk.end + 1]
        inner = by_start.get(chunk.end + 1)
        name_words = [texts[w] for w in chunk.words]
        if is_acronym(acronym) and matches_acronym(acronym, name_words) and len(chunk.words) > 1:
            label = labels.get(chunk.start, "ORG")
            found.append(_definition(chunk.start, chunk.end, chunk.end + 1, chunk.end + 2, label))
        elif (
            len(chunk.words) == 1
            and is_acronym(texts[chunk.start])
            and inner is not None
            and len(inner.words) > 1
            and texts[inner.end] == ")"
            and matches_acronym(texts[chunk.start], [texts[w] for w in inner.words])
        ):
            label = labels.get(inner.start, "ORG")
            found.append(_definition(inner.start, inner.end, chunk.start, chunk.end, label))
    return found


def _definition(name_start: int, name_end: int, acr_start: int, acr_end: int, label: str) -> Candidate:
    return Candidate(
        name_start, name_end, label, "acronym.definition", PRIORITY_DEFINITION, aliases=((acr_start, acr_end),)
    )


def context_candidates(
    doc: Doc,
    rules: ContextRules,
    free_chunks: Mapping[int, NameChunk],
    free_chunk_ends: Mapping[int, NameChunk],
    lex: HeadLexicons,
    common_words: frozenset[str],
    places: set[int],
) -> list[Candidate]:
    """Candidates from the JSONL context patterns, applied to chunks no head or title has typed.

    `common_words` are lower-cased words known to be common nouns here (plural role nouns, words the
    article also writes in lower case): a sentence-initial "Officials said" names no person. `places`
    are token indexes the gazetteer read as places, cut from the end of a name that follows its cue.
    """
    found: list[Candidate] = []
    for spec, start, end, alignments in rules.matches_at(doc, free_chunks, free_chunk_ends):
        if spec.target == "match":
            found.append(Candidate(start, end, spec.label, spec.id, PRIORITY_PERSON))
            continue
        chunk = free_chunks.get(end) if spec.target == "next" else free_chunk_ends.get(start)
        if chunk is None:
            continue
        if spec.label == "PERSON" and spec.target == "next":
            chunk = without_trailing_places(chunk, places)
        if not spec.min_words <= len(chunk.words) <= spec.max_words:
            continue
        if spec.label == "PERSON" and not _person_chunk(doc, chunk, common_words):
            continue
        roles: tuple[str, ...] = ()
        gender = None
        if spec.role_token is not None:
            lower = token_table(doc).lower
            role_words = [lower[start + k] for k, a in enumerate(alignments) if a == spec.role_token]
            roles = tuple(w for w in role_words if w in lex.role_nouns)
            gender = gender_of(role_words, lex)
        found.append(Candidate(chunk.start, chunk.end, spec.label, spec.id, PRIORITY_PERSON, roles=roles, gender=gender))
    return found


def _person_chunk(doc: Doc, chunk: NameChunk, common_words: frozenset[str]) -> bool:
    """A chunk a context may call a person: name-shaped, and no capitalised plural noun ("Officials said")."""
    if not looks_like_person(doc, chunk.words):
        return False
    table = token_table(doc)
    if any(table.text[i] in HYPHENS for i in range(chunk.start, chunk.end)) and len(chunk.words) > 3:
        return False
    return not (len(chunk.words) == 1 and chunk.sentence_initial and table.lower[chunk.start] in common_words)
