"""From entity candidates to referents: keep the best reading, find repeats, group mentions.

Three steps, each deterministic. `resolve` keeps the longest non-overlapping candidates (then the
highest priority). `repeats` finds later (and earlier) occurrences of names already found, and of the
surnames of full personal names ("Doe" after "Jane Doe"). `link` groups mentions into
referents: one gazetteer key ("U.S." and "United States"), an acronym and its definition, a surname
or shorter name and the full name it belongs to; each group is named by its fullest form.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from claimex.annotations import CharSpan, EntityInfo
from claimex.components.entities_rules import PRIORITY_REPEAT, Candidate
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

REPLACEABLE_RULES = ("gazetteer.city", "gazetteer.us_state", "gazetteer.subdivision")
LISTED_RULE_PREFIXES = ("gazetteer.", "list.")
GUESS_RULE_PREFIX = "guess."


def resolve(candidates: Sequence[Candidate], n_tokens: int) -> list[Candidate]:
    """The longest candidates that do not overlap; among equal spans the highest priority wins.

    A winner takes the referent key, roles and gender of same-span, same-label losers ("United Arab
    Emirates" read both as a defined acronym's name and as a country stays the country; a name read
    both after a title and in an apposition keeps the roles of both).
    """
    ranked = sorted(candidates, key=lambda c: (-c.length, -c.priority, c.start, c.rule))
    taken = [False] * n_tokens
    same: dict[tuple[int, int, str], list[Candidate]] = {}
    for c in ranked:
        same.setdefault((c.start, c.end, c.label), []).append(c)
    accepted: list[Candidate] = []
    for c in ranked:
        if any(taken[c.start : c.end]):
            continue
        for i in range(c.start, c.end):
            taken[i] = True
        readings = same[(c.start, c.end, c.label)]
        c = replace(
            c,
            key=c.key or next((r.key for r in readings if r.key), None),
            roles=tuple(dict.fromkeys(role for r in readings for role in r.roles)),
            gender=c.gender or next((r.gender for r in readings if r.gender), None),
        )
        accepted.append(c)
    accepted.sort(key=lambda c: c.start)
    return accepted


def repeats(doc: Doc, accepted: Sequence[Candidate]) -> list[Candidate]:
    """`accepted` plus every other occurrence of their names and of full names' surnames.

    Gazetteer and list names are not repeated: their matcher already found every occurrence the rules
    allow. A repeat may displace a guess or, for a person, a city reading of the same words (see
    `_replaceable`); otherwise it only fills tokens no candidate took.
    """
    people: dict[str, Candidate] = {}
    for c in accepted:
        if c.label == "PERSON" and c.length >= 2:
            last = surname(doc[c.start : c.end].text)
            if last and last.lower() not in STOP_WORDS:
                people.setdefault(last, c)
    forms: dict[tuple[str, ...], Candidate] = {}
    for c in accepted:
        if c.rule.startswith(LISTED_RULE_PREFIXES):
            continue
        words = tuple(t.text for t in doc[c.start : c.end])
        if len(words) == 1 and (words[0].lower() in STOP_WORDS or not words[0][:1].isupper()):
            continue
        if len(words) == 1 and c.rule.startswith(GUESS_RULE_PREFIX) and words[0] in people:
            continue  # "Smith" guessed alone is the surname of "John Smith"
        forms.setdefault(words, c)
    surnames = {last: c for last, c in people.items() if (last,) not in forms}
    if not forms and not surnames:
        return list(accepted)
    matcher = PhraseMatcher(doc.vocab, attr="ORTH")
    for words in forms:
        matcher.add("name", [Doc(doc.vocab, words=list(words))])
    for last in surnames:
        matcher.add("surname", [Doc(doc.vocab, words=[last])])
    owner: dict[int, Candidate] = {}
    for c in accepted:
        for i in range(c.start, c.end):
            owner[i] = c
    found: list[Candidate] = []
    strings = doc.vocab.strings
    for match_id, start, end in sorted(matcher(doc), key=lambda m: (m[1], -(m[2] - m[1]))):
        words = tuple(t.text for t in doc[start:end])
        source = forms.get(words) or surnames[words[0]]
        occupants = {id(owner[i]): owner[i] for i in range(start, end) if i in owner}
        if occupants:
            current = next(iter(occupants.values()))
            same = len(occupants) == 1 and current.start == start and current.end == end
            surname_match = strings[match_id] == "surname"
            if current is source or not (same and _replaceable(current, source, surname_match)):
                continue
            found = [f for f in found if f is not current]
        rule = "repeat.surname" if strings[match_id] == "surname" else "repeat.name"
        key = source.key if rule == "repeat.name" else None
        candidate = Candidate(start, end, source.label, rule, PRIORITY_REPEAT, key=key)
        for i in range(start, end):
            owner[i] = candidate
        found.append(candidate)
    kept = [c for c in accepted if all(owner.get(i) is c for i in range(c.start, c.end))]
    return sorted(kept + found, key=lambda c: c.start)


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


def link(doc: Doc, mentions: Sequence[Candidate]) -> tuple[list[EntityInfo], list[Span]]:
    """Group mentions into referents; returns them in order of first mention, and the `doc.ents` spans."""
    texts = [doc[m.start : m.end].text for m in mentions]
    base = [m.key or f"{m.label}:{name_key(t)}" for m, t in zip(mentions, texts)]
    _split_shared_surnames(doc, mentions, base)
    keys = _Keys()
    for k in base:
        keys.find(k)
    at = {(m.start, m.end): i for i, m in enumerate(mentions)}
    for i, m in enumerate(mentions):
        for alias in m.aliases:  # an acronym and the name it abbreviates
            if alias in at:
                keys.union(base[i], base[at[alias]])
    _link_person_names(doc, mentions, base, keys)
    _link_acronyms(doc, mentions, texts, base, keys)

    groups: dict[str, list[int]] = {}
    for i in range(len(mentions)):
        groups.setdefault(keys.find(base[i]), []).append(i)
    entities: list[EntityInfo] = []
    spans: list[Span] = []
    for members in sorted(groups.values(), key=lambda idx: mentions[idx[0]].start):
        # names leave out a leading article and a possessive ending ("the Bergen Port's" names
        # "Bergen Port"), which trained NER mentions include, OntoNotes-style
        forms = [strip_leading_article(strip_possessive(strip_invisible(texts[i]))) for i in members]
        name = fullest_name(forms)
        canonical = mentions[members[forms.index(name)]]
        roles = tuple(dict.fromkeys(r for i in members for r in mentions[i].roles))
        gender = next((mentions[i].gender for i in members if mentions[i].gender), None)
        char_spans = tuple(sorted(CharSpan(doc[mentions[i].start].idx, doc[mentions[i].end - 1].idx + len(doc[mentions[i].end - 1])) for i in members))
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
        spans.extend(Span(doc, mentions[i].start, mentions[i].end, label=canonical.label) for i in members)
    spans.sort(key=lambda s: s.start)
    return entities, spans


def _words(doc: Doc, m: Candidate) -> list[str]:
    """The words of a mention's name as written between spaces: a hyphenated name is one word
    ("Gasol-Valanciunas", "Wilson-Raybould"); no punctuation, no possessive ending ("Erik Karlsson's")."""
    words = []
    for word in doc[m.start : m.end].text.split():
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        if any(char.isalnum() for char in word):
            words.append(word)
    return words


def _split_shared_surnames(doc: Doc, mentions: Sequence[Candidate], base: list[str]) -> None:
    """A short personal name part of two or more fuller names ("Karlsson" of "Erik Karlsson" and
    "Melker Karlsson") gets a key per mention, so each joins its own fuller name (`_link_person_names`)
    instead of the shared text merging the two people into one."""
    people = [i for i, m in enumerate(mentions) if m.label == "PERSON"]
    names = {tuple(_words(doc, mentions[i])) for i in people}
    for i in people:
        if mentions[i].key is not None:
            continue
        short = _words(doc, mentions[i])
        fuller = [n for n in names if len(n) > len(short) and is_name_subsequence(short, list(n))]
        if len(fuller) > 1:
            base[i] = f"{base[i]}@{mentions[i].start}"


def _link_person_names(doc: Doc, mentions: Sequence[Candidate], base: list[str], keys: _Keys) -> None:
    """A shorter personal name joins the fuller one it is part of: the nearest before it, else after it.

    Works over distinct names (few, even in a long article) and binary-searches mention positions,
    so the cost grows with the number of mentions, not its square.
    """
    people = [i for i, m in enumerate(mentions) if m.label == "PERSON"]
    by_name: dict[tuple[str, ...], list[int]] = {}
    for i in people:
        by_name.setdefault(tuple(_words(doc, mentions[i])), []).append(i)
    names = list(by_name)
    for short in names:
        fuller_names = [n for n in names if len(n) > len(short) and is_name_subsequence(list(short), list(n))]
        if not fuller_names:
            continue
        fuller = sorted((mentions[j].start, j) for n in fuller_names for j in by_name[n])
        starts = [start for start, _ in fuller]
        for i in by_name[short]:
            k = bisect.bisect_left(starts, mentions[i].start)
            target = fuller[k - 1][1] if k > 0 else fuller[0][1]
            keys.union(base[i], base[target])


def _link_acronyms(doc: Doc, mentions: Sequence[Candidate], texts: Sequence[str], base: list[str], keys: _Keys) -> None:
    """An undefined acronym joins the one multi-word name of the same label whose initials it spells."""
    spelled: dict[tuple[str, str], list[int]] = {}
    for j, other in enumerate(mentions):
        other_words = _words(doc, other)
        if len(other_words) > 1:
            spelled.setdefault((other.label, initials(other_words)), []).append(j)
    for i, m in enumerate(mentions):
        if m.label == "PERSON" or not is_acronym(texts[i]):
            continue
        letters = acronym_letters(texts[i])
        matches = {keys.find(base[j]) for j in spelled.get((m.label, letters), ())}
        if len(matches) == 1:
            keys.union(base[i], matches.pop())
