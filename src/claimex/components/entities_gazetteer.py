"""The entity recognizer's gazetteer: one case-sensitive PhraseMatcher over every listed name.

Names come from the data packages (`claimex.gazetteers`: countries, US states, regions, cities,
provinces) and from the pipeline's word lists (country aliases such as "U.S." and "Britain", US state
abbreviations such as "Calif.", well-known organisations, demonyms). Each phrase points to one
`GazetteerEntry`: its label, the key of its referent (so "U.S." and "United States" are one entity),
the rule id that records cite and a priority. A phrase claimed by two entries keeps the first, in the
order countries, aliases, organisations, demonyms, regions, then states, cities and provinces.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from babel import Locale
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from claimex import gazetteers
from claimex.components.base import clear_tokenizer_cache
from claimex.components.entities_rules import (
    PRIORITY_GAZETTEER,
    PRIORITY_LIST,
    Candidate,
)
from claimex.normalize.names import name_key


@dataclass(frozen=True)
class GazetteerEntry:
    """What a gazetteer phrase means: its label, referent key, rule id and priority."""

    label: str
    key: str
    rule: str
    priority: int


class Gazetteer:
    """Built once per component (`Gazetteer.build`), then asked for the candidates of each Doc."""

    def __init__(self, entries: list[GazetteerEntry], matcher: PhraseMatcher) -> None:
        self.entries = entries
        self.matcher = matcher
        self._by_match_id: dict[int, GazetteerEntry] = {}  # the matcher's key id -> its entry, filled as met

    @classmethod
    def build(cls, nlp: Language, lists: Mapping[str, Sequence[str]], *, min_city_population: int) -> Gazetteer:
        """Collect every name with its entry and compile the matcher (about half a second)."""
        excluded = set(lists["entity_gazetteer_exclude"])
        phrases: dict[str, int] = {}  # phrase -> entry index; the first entry to claim a phrase keeps it
        entries: list[GazetteerEntry] = []

        def add(entry: GazetteerEntry, names: Iterable[str], *, upper: bool = True, override: bool = False) -> None:
            entries.append(entry)
            for name in names:
                if name in excluded:
                    continue
                # headlines and datelines write places in capitals ("RABAT"); short names stay as they are
                forms = [name, name.upper()] if upper and len(name) >= 4 else [name]
                for form in forms:
                    if override or form not in phrases:
                        phrases[form] = len(entries) - 1

        places = gazetteers.places(min_city_population)
        country_keys = {name_key(n): p.key for p in places if p.kind == "country" for n in p.names}
        state_keys = {name_key(n): p.key for p in places if p.kind == "us_state" for n in p.names}
        for place in places:
            if place.kind == "country":
                add(GazetteerEntry(place.label, place.key, "gazetteer.country", PRIORITY_LIST), place.names)
        for names in split_rows(lists["entity_country_aliases"]):
            key = next((country_keys[name_key(n)] for n in names if name_key(n) in country_keys), f"country:{name_key(names[0])}")
            add(GazetteerEntry("GPE", key, "gazetteer.country", PRIORITY_LIST), names, upper=False, override=True)
        for names in split_rows(lists["entity_us_state_abbreviations"]):
            key = state_keys.get(name_key(names[0]), f"us_state:{name_key(names[0])}")
            add(GazetteerEntry("GPE", key, "gazetteer.us_state", PRIORITY_GAZETTEER), names[1:], upper=False)
        for names in split_rows(lists["entity_orgs"]):
            add(GazetteerEntry("ORG", f"org:{name_key(names[0])}", "list.org", PRIORITY_LIST), names, upper=False)
        for demonym in lists["demonyms"]:
            entry = GazetteerEntry("NORP", f"norp:{name_key(demonym)}", "gazetteer.demonym", PRIORITY_LIST)
            add(entry, dict.fromkeys((demonym, plural(demonym))), upper=False)
        for place in places:
            if place.kind == "region":
                add(GazetteerEntry(place.label, place.key, "gazetteer.region", PRIORITY_LIST), place.names)
        for place in places:
            if place.kind in ("us_state", "city", "subdivision"):
                add(GazetteerEntry(place.label, place.key, f"gazetteer.{place.kind}", PRIORITY_GAZETTEER), place.names)

        matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        by_entry: dict[int, list[str]] = {}
        for phrase, index in phrases.items():
            by_entry.setdefault(index, []).append(phrase)
        for index, names in sorted(by_entry.items()):
            matcher.add(str(index), list(nlp.tokenizer.pipe(names)))
        clear_tokenizer_cache(nlp)  # the names filled the tokenizer's cache: keep it for the articles' words
        return cls(entries, matcher)

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every gazetteer name in the doc, as candidates carrying their referent key."""
        strings = doc.vocab.strings
        by_match_id = self._by_match_id
        found = []
        for match_id, start, end in self.matcher(doc):
            entry = by_match_id.get(match_id)
            if entry is None:
                entry = by_match_id[match_id] = self.entries[int(strings[match_id])]
            found.append(Candidate(start, end, entry.label, entry.rule, entry.priority, key=entry.key))
        return found


def currency_units() -> frozenset[str]:
    """Lower-case unit words of current currencies, singular and plural ("dollar", "dirhams", "yuan").

    Taken from CLDR names (babel) of the ISO 4217 currencies pycountry lists as current.
    """
    import pycountry

    names = Locale("en").currencies
    units = set()
    for currency in pycountry.currencies:
        last = names.get(currency.alpha_3, "").split()[-1:] or [""]
        if last[0].isalpha():
            units.update((last[0].lower(), plural(last[0].lower())))
    return frozenset(units)


def currency_codes() -> frozenset[str]:
    """ISO 4217 codes ("USD", "MAD"): upper-case words that are amounts' units, not organisations."""
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def split_rows(rows: Iterable[str]) -> list[list[str]]:
    """Word-list rows of the form "Name | alias | alias" as lists of names."""
    return [[part.strip() for part in row.split("|") if part.strip()] for row in rows]


def plural(word: str) -> str:
    """The regular English plural of a demonym or role noun ("Kenyan" -> "Kenyans").

    Words ending in -ese, -ish, -ch, -ss or -x do not change ("Chinese", "British", "Swiss").
    """
    if word.endswith(("ese", "sh", "ch", "ss", "x", "s")):
        return word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("man") and word.islower():  # "spokesman", but "German"
        return word[:-3] + "men"
    return word + "s"


def calendar_words(*, abbreviated: bool = False) -> frozenset[str]:
    """Lower-case month and weekday names (CLDR via babel): capitalised, yet never names here.

    With `abbreviated`, also their short forms ("dec", "sept", "wed").
    """
    locale = Locale("en")
    widths = ("wide", "abbreviated") if abbreviated else ("wide",)
    words = {w for width in widths for table in (locale.months, locale.days) for w in table["format"][width].values()}
    if abbreviated:
        words.add("Sept")
    return frozenset(w.lower().rstrip(".") for w in words)


