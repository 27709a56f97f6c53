"""From entity candidates to referents: keep the best reading, find repeats, group mentions.

Three steps, each deterministic. `resolve` keeps the longest non-overlapping candidates (then the
highest priority). `repeats` finds later (and earlier) occurrences of names already found, and of the
surnames of full personal names ("Doe" after "Jane Doe"). `link` groups mentions into
referents: one gazetteer key ("U.S." and "United States"), an acronym and its definition, a surname
or shorter name and the full name it belongs to; each group is named by its fullest form.
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Mapping, Sequence
from functools import lru_cache
from itertools import compress
from typing import NamedTuple

import numpy
from spacy.attrs import ENT_IOB, ENT_KB_ID, ENT_TYPE
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from claimex.annotations import CharSpan, EntityInfo
from claimex.components.entities_rules import PRIORITY_REPEAT, Candidate
from claimex.components.token_table import token_table
from claimex.normalize.names import (
    acronym_letters,
    fullest_name,
    initials,
    is_acronym,
    is_name_subsequence,
    name_key,
    strip_invisible,
    strip_leading_article,
    strip_possessive,
    surname,
)

NAME_CACHE_SIZE = 65_536  # distinct mention texts whose keys and forms are kept
REPLACEABLE_RULES = ("gazetteer.city", "gazetteer.us_state", "gazetteer.subdivision")
LISTED_RULE_PREFIXES = ("gazetteer.", "list.")
GUESS_RULE_PREFIX = "guess."


def resolve(candidates: Sequence[Candidate], n_tokens: int) -> list[Candidate]:
    """The longest candidates that do not overlap; among equal spans the highest priority wins.

    A winner takes the referent key, roles and gender of same-span, same-label losers ("United Arab
    Emirates" read both as a defined acronym's name and as a country stays the country; a name read
    both after a title and in an apposition keeps the roles of both).
    """
    ranked = sorted(candidates, key=lambda c: (c.start - c.end, -c.priority, c.start, c.rule))  # longest first
    taken = [False] * n_tokens
    same: dict[tuple[int, int, str], list[Candidate]] = {}
    for c in ranked:
        same.setdefault((c.start, c.end, c.label), []).append(c)
    accepted: list[Candidate] = []
    for c in ranked:
        if True in taken[c.start : c.end]:
            continue
        taken[c.start : c.end] = [True] * (c.end - c.start)
        readings = same[(c.start, c.end, c.label)]
        if len(readings) == 1:  # the usual case: no other reading to take anything from
            key, roles, gender = c.key or None, tuple(dict.fromkeys(c.roles)) if c.roles else (), c.gender or None
        else:
            key = c.key or next((r.key for r in readings if r.key), None)
            roles = tuple(dict.fromkeys(role for r in readings for role in r.roles))
            gender = c.gender or next((r.gender for r in readings if r.gender), None)
        # a new Candidate, as `dataclasses.replace` would make, built directly (it is much cheaper)
        accepted.append(Candidate(c.start, c.end, c.label, c.rule, c.priority, key, roles, gender, c.aliases))
    accepted.sort(key=lambda c: c.start)
    return accepted


def repeats(doc: Doc, accepted: Sequence[Candidate]) -> list[Candidate]:
    """`accepted` plus every other occurrence of their names and of full names' surnames.

    Gazetteer and list names are not repeated: their matcher already found every occurrence the rules
    allow. A repeat may displace a guess or, for a person, a city reading of the same words (see
    `_replaceable`); otherwise it only fills tokens no candidate took.
    """
    texts = token_table(doc).text
    people: dict[str, Candidate] = {}
    for c in accepted:
        if c.label == "PERSON" and c.length >= 2:
            last = surname(span_text(doc, c.start, c.end))
            if last and last.lower() not in STOP_WORDS:
                people.setdefault(last, c)
    forms: dict[tuple[str, ...], Candidate] = {}
    for c in accepted:
        if c.rule.startswith(LISTED_RULE_PREFIXES):
            continue
        words = tuple(texts[c.start : c.end])
        if len(words) == 1 and (words[0].lower() in STOP_WORDS or not words[0][:1].isupper()):
            continue
        if len(words) == 1 and c.rule.startswith(GUESS_RULE_PREFIX) and words[0] in people:
            continue  # "Smith" guessed alone is the surname of "John Smith"
        forms.setdefault(words, c)
    surnames = {last: c for last, c in people.items() if (last,) not in forms}
    if not forms and not surnames:
        return list(accepted)
    owner: dict[int, Candidate] = {}
    for c in accepted:
        for i in range(c.start, c.end):
            owner[i] = c
    overlapping = len(owner) < sum(c.end - c.start for c in accepted)  # then some lose tokens to later ones
    displaced: set[int] = set()  # ids of the candidates a repeat took the tokens of
    found: list[Candidate] = []
    for start, end, surname_match in phrase_matches(texts, forms, surnames):
        source = forms[tuple(texts[start:end])] if not surname_match else surnames[texts[start]]
        occupants = {id(owner[i]): owner[i] for i in range(start, end) if i in owner}
        if occupants:
            current = next(iter(occupants.values()))
            same = len(occupants) == 1 and current.start == start and current.end == end
            if current is source or not (same and _replaceable(current, source, surname_match)):
                continue
            found = [f for f in found if f is not current]
            displaced.add(id(current))
        rule = "repeat.surname" if surname_match else "repeat.name"
        key = source.key if rule == "repeat.name" else None
        candidate = Candidate(start, end, source.label, rule, PRIORITY_REPEAT, key=key)
        for i in range(start, end):
            owner[i] = candidate
        found.append(candidate)
    if overlapping:
        kept = [c for c in accepted if all(owner.get(i) is c for i in range(c.start, c.end))]
    else:  # a candidate keeps its tokens unless a repeat took them (a repeat takes all of one's tokens)
        kept = [c for c in accepted if id(c) not in displaced]
    return sorted(kept + found, key=lambda c: c.start)


def phrase_matches(texts: Sequence[str], names: Collection[tuple[str, ...]], surnames: Collection[str]) -> list[tuple[int, int, bool]]:
    """(start, end, is_surname) of every occurrence of a name (a tuple of token texts) or a surname
    (one token's text) in `texts`, by start and then longest first.

    What a case-sensitive (ORTH) PhraseMatcher of the names and surnames finds, overlapping
    occurrences included, without building one for each Doc: names are few, so their first words
    are looked up token by token in a dict.
    """
    by_first: dict[str, list[tuple[int, tuple[str, ...], bool]]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append((len(name), name, False))
    for last in surnames:
        if (last,) not in names:  # a name of one word is never also a surname
            by_first.setdefault(last, []).append((1, (last,), True))
    for options in by_first.values():
        options.sort(key=lambda option: -option[0])
    found: list[tuple[int, int, bool]] = []
    n = len(texts)
    for start in list(compress(range(n), map(by_first.__contains__, texts))):
        for length, name, is_surname in by_first[texts[start]]:
            end = start + length
            if end <= n and (length == 1 or tuple(texts[start:end]) == name):
                found.append((start, end, is_surname))
    return found


def span_text(doc: Doc, start: int, end: int) -> str:
    """`doc[start:end].text`, read from the token table (no Span or Token objects)."""
    return token_table(doc).span_text(start, end)


def _replaceable(current: Candidate, source: Candidate, surname_match: bool = False) -> bool:
    """Whether a repeat of `source`'s name overrides the reading `current` of the same words.

    A guess ("CAR" as some organisation) yields to a name the article defined; a city or province
    yields to a person's name ("Lara" after "Brian Lara").
    """
    if current.rule.startswith(GUESS_RULE_PREFIX):
        # another guess of the same name says nothing new; a surname of a full name does
        return surname_match or not source.rule.startswith(GUESS_RULE_PREFIX)
    return current.rule in REPLACEABLE_RULES and source.label == "PERSON"


class _Keys:
    """Union-find over referent keys."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.joined = False  # whether two keys were ever joined (else every key is its own root)

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
            self.joined = True


EntityRange = tuple[int, int, str]  # tokens [start, end) of a mention and its label


def link(doc: Doc, mentions: Sequence[Candidate]) -> tuple[list[EntityInfo], list[EntityRange]]:
    """Group mentions into referents; returns them in order of first mention, and the mentions with
    their referent's label, in order (what `doc.ents` becomes: see `set_entities`)."""
    table = token_table(doc)
    texts = [table.span_text(m.start, m.end) for m in mentions]
    # an article repeats its names, and articles share them: the string work is done once per text
    facts = {t: _text_facts(t) for t in set(texts)}
    base = [m.key or f"{m.label}:{facts[t].key}" for m, t in zip(mentions, texts)]
    people = _person_names(mentions, texts, facts)
    fuller = _fuller_names(people)
    _split_shared_surnames(mentions, base, people, fuller)
    keys = _Keys()
    if any(m.aliases for m in mentions):
        at = {(m.start, m.end): i for i, m in enumerate(mentions)}
        for i, m in enumerate(mentions):
            for alias in m.aliases:  # an acronym and the name it abbreviates
                if alias in at:
                    keys.union(base[i], base[at[alias]])
    _link_person_names(mentions, base, keys, people, fuller)
    _link_acronyms(mentions, texts, facts, base, keys)

    groups: dict[str, list[int]] = {}
    roots = map(keys.find, base) if keys.joined else base  # most articles join no two keys
    for i, root in enumerate(roots):
        groups.setdefault(root, []).append(i)
    idx, words = table.idx, table.text
    entities: list[EntityInfo] = []
    ranges: list[EntityRange] = []
    for members in sorted(groups.values(), key=lambda members: mentions[members[0]].start):
        # names leave out a leading article and a possessive ending ("the Bergen Port's" names
        # "Bergen Port"), which trained NER mentions include, OntoNotes-style
        if len(members) == 1:  # most referents are named once: the general case below, made short
            m = mentions[members[0]]
            name = facts[texts[members[0]]].bare
            last = m.end - 1
            entities.append(
                EntityInfo(
                    name=name,
                    label=m.label,
                    aliases=(),
                    mentions=(CharSpan(idx[m.start], idx[last] + len(words[last])),),
                    rule=m.rule,
                    roles=tuple(dict.fromkeys(m.roles)) if m.roles else (),
                    gender=m.gender or None,
                )
            )
            ranges.append((m.start, m.end, m.label))
            continue
        forms = [facts[texts[i]].bare for i in members]
        distinct = list(dict.fromkeys(forms))
        name = fullest_name(distinct) if len(distinct) > 1 else distinct[0]  # ties go to the first, as over all forms
        canonical = mentions[members[forms.index(name)]]
        members_of = [mentions[i] for i in members]
        roles = tuple(dict.fromkeys(r for m in members_of if m.roles for r in m.roles))
        gender = next((m.gender for m in members_of if m.gender), None)
        offsets = sorted((idx[m.start], idx[m.end - 1] + len(words[m.end - 1])) for m in members_of)
        char_spans = tuple(CharSpan(start, end) for start, end in offsets)  # CharSpans order as these pairs do
        entities.append(
            EntityInfo(
                name=name,
                label=canonical.label,
                aliases=tuple(sorted(set(forms) - {name})),
                mentions=char_spans,
                rule=canonical.rule,
                roles=roles,
                gender=gender,
            )
        )
        label = canonical.label
        ranges.extend((m.start, m.end, label) for m in members_of)
    ranges.sort(key=lambda r: r[0])
    return entities, ranges


def set_entities(doc: Doc, ranges: Sequence[EntityRange]) -> None:
    """Set `doc.ents` to the mentions `ranges` (sorted by start), as `doc.set_ents(spans, default="outside")`
    sets them, without a `Span` object per mention (each reads two `Token`s to make).

    What `set_ents` writes, token by token: B (3) and I (1) with the label and no knowledge-base id
    inside a mention, O (2) and no label elsewhere; every other token field stays. Overlapping
    mentions raise, as there.
    """
    n = len(doc)
    if n == 0:
        return
    strings = doc.vocab.strings
    label_ids: dict[str, int] = {}
    iob = [2] * n
    types = [0] * n
    kb_ids = doc.to_array(ENT_KB_ID)
    kb_set = bool(kb_ids.any())  # knowledge-base ids are seldom set: then they stay 0 and are not written
    kb_list = kb_ids.tolist() if kb_set else []
    end_of_last = 0
    for start, end, label in ranges:
        if start < end_of_last:
            raise ValueError(f"[E1010] Unable to set entity information for token {start} which is included in more than one span in entities, blocked, missing or outside.")
        end_of_last = end
        iob[start] = 3
        if end - start > 1:
            iob[start + 1 : end] = [1] * (end - start - 1)
        label_id = label_ids.get(label)
        if label_id is None:
            label_id = label_ids[label] = strings.add(label)
        types[start:end] = [label_id] * (end - start)
        if kb_set:
            kb_list[start:end] = [0] * (end - start)
    if kb_set:
        doc.from_array([ENT_IOB, ENT_TYPE, ENT_KB_ID], numpy.array([iob, types, kb_list], dtype=numpy.uint64).T)
    else:
        doc.from_array([ENT_IOB, ENT_TYPE], numpy.array([iob, types], dtype=numpy.uint64).T)


class _TextFacts(NamedTuple):
    """What linking reads of a mention's text; it depends on the text alone (see `_text_facts`)."""

    key: str  # `name_key`: mentions of one key are one referent
    bare: str  # the text as a referent's name: no invisible characters, leading article or possessive
    words: tuple[str, ...]  # the name's words (see `_name_words`)
    letters: str | None  # an acronym's letters ("U.N." -> "UN"), None when the text is no acronym
    spelling: str | None  # the initials of a name of two or more words, else None


@lru_cache(maxsize=NAME_CACHE_SIZE)
def _text_facts(text: str) -> _TextFacts:
    """The `_TextFacts` of a mention text; the same names come back across articles (countries,
    parties, leaders), so their string work is kept."""
    words = _name_words(text)
    return _TextFacts(
        key=name_key(text),
        bare=strip_leading_article(strip_possessive(strip_invisible(text))),
        words=words,
        letters=acronym_letters(text) if is_acronym(text) else None,
        spelling=initials(words) if len(words) > 1 else None,
    )


def _name_words(text: str) -> tuple[str, ...]:
    """The words of a mention's name as written between spaces: a hyphenated name is one word
    ("Gasol-Valanciunas", "Wilson-Raybould"); no punctuation, no possessive ending ("Erik Karlsson's")."""
    words = []
    for word in text.split():
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if any(char.isalnum() for char in word):
            words.append(word)
    return tuple(words)


def _person_names(mentions: Sequence[Candidate], texts: Sequence[str], facts: Mapping[str, _TextFacts]) -> dict[tuple[str, ...], list[int]]:
    """The personal names of the mentions (their words), each with the indexes of its mentions."""
    by_name: dict[tuple[str, ...], list[int]] = {}
    for i, m in enumerate(mentions):
        if m.label == "PERSON":
            by_name.setdefault(facts[texts[i]].words, []).append(i)
    return by_name


def _fuller_names(people: dict[tuple[str, ...], list[int]]) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
    """Per personal name, the longer names it is part of ("Karlsson" of "Erik Karlsson"); over distinct
    names, which are few even in a long article."""
    by_last: dict[str, list[tuple[str, ...]]] = {}  # a fuller name ends with the same word
    for name in people:
        if name:
            by_last.setdefault(name[-1], []).append(name)
    return {
        short: [n for n in by_last[short[-1]] if len(n) > len(short) and is_name_subsequence(list(short), list(n))] if short else []
        for short in people
    }


def _split_shared_surnames(
    mentions: Sequence[Candidate], base: list[str], people: dict[tuple[str, ...], list[int]], fuller: dict[tuple[str, ...], list[tuple[str, ...]]]
) -> None:
    """A short personal name part of two or more fuller names ("Karlsson" of "Erik Karlsson" and
    "Melker Karlsson") gets a key per mention, so each joins its own fuller name (`_link_person_names`)
    instead of the shared text merging the two people into one."""
    for short, longer in fuller.items():
        if len(longer) > 1:
            for i in people[short]:
                if mentions[i].key is None:
                    base[i] = f"{base[i]}@{mentions[i].start}"


def _link_person_names(
    mentions: Sequence[Candidate], base: list[str], keys: _Keys, people: dict[tuple[str, ...], list[int]], fuller: dict[tuple[str, ...], list[tuple[str, ...]]]
) -> None:
    """A shorter personal name joins the fuller one it is part of: the nearest before it, else after it.

    Works over distinct names (few, even in a long article) and binary-searches mention positions,
    so the cost grows with the number of mentions, not its square.
    """
    for short, fuller_names in fuller.items():
        if not fuller_names:
            continue
        candidates = sorted((mentions[j].start, j) for n in fuller_names for j in people[n])
        starts = [start for start, _ in candidates]
        for i in people[short]:
            k = bisect.bisect_left(starts, mentions[i].start)
            target = candidates[k - 1][1] if k > 0 else candidates[0][1]
            keys.union(base[i], base[target])


def _link_acronyms(
    mentions: Sequence[Candidate], texts: Sequence[str], facts: Mapping[str, _TextFacts], base: list[str], keys: _Keys
) -> None:
    """An undefined acronym joins the one multi-word name of the same label whose initials it spells."""
    acronyms = [i for i, m in enumerate(mentions) if m.label != "PERSON" and facts[texts[i]].letters is not None]
    if not acronyms:
        return
    spelled: dict[tuple[str, str], list[int]] = {}
    for j, other in enumerate(mentions):
        if other.end - other.start < 2:
            continue  # one token has fewer than two words
        spelling = facts[texts[j]].spelling
        if spelling is not None:
            spelled.setdefault((other.label, spelling), []).append(j)
    for i in acronyms:
        matches = {keys.find(base[j]) for j in spelled.get((mentions[i].label, facts[texts[i]].letters), ())}
        if len(matches) == 1:
            keys.union(base[i], matches.pop())
