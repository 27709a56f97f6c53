"""The entity recognizer's gazetteer: every listed name, matched case-sensitively as a sequence of tokens.

Names come from the data packages (`claimex.gazetteers`: countries, US states, regions, cities,
provinces) and from the pipeline's word lists (country aliases such as "U.S." and "Britain", US state
abbreviations such as "Calif.", well-known organisations, demonyms). Each phrase points to one
`GazetteerEntry`: its label, the key of its referent (so "U.S." and "United States" are one entity),
the rule id that records cite and a priority. A phrase claimed by two entries keeps the first, in the
order countries, aliases, organisations, demonyms, regions, then states, cities and provinces.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import spacy
from babel import Locale
from spacy.language import Language
from spacy.tokens import Doc

from claimex import gazetteers
from claimex.build_cache import cached
from claimex.components.base import clear_tokenizer_cache
from claimex.components.entities_rules import (
    PRIORITY_GAZETTEER,
    PRIORITY_LIST,
    Candidate,
)
from claimex.components.token_table import token_table
from claimex.normalize.names import name_key


@dataclass(frozen=True)
class GazetteerEntry:
    """What a gazetteer phrase means: its label, referent key, rule id and priority."""

    label: str
    key: str
    rule: str
    priority: int


class Gazetteer:
    """Built once per component (`Gazetteer.build`), then asked for the candidates of each Doc.

    The names are matched as sequences of token texts, as a case-sensitive (`ORTH`) PhraseMatcher
    would match them, with the same matches in the same order (by start, then end). A dictionary
    from each name's first word to its word sequences replaces the PhraseMatcher because building
    one needs a Doc per name, which puts about 27,000 new words into the vocabulary: a second of
    start-up that this table, built from the names' cached tokenization, does not need.
    """

    def __init__(self, entries: list[GazetteerEntry], phrases: Mapping[tuple[str, ...], int]) -> None:
        self.entries = entries
        # first word -> (entry of the one-word name, or None; second word -> (the words after the
        # second, entry index) of the longer names, shortest first so matches come out by end)
        by_first: dict[str, tuple[int | None, dict[str, list[tuple[tuple[str, ...], int]]]]] = {}
        for words, index in sorted(phrases.items(), key=lambda item: (len(item[0]), item[0])):
            single, longer = by_first.get(words[0], (None, {}))
            if len(words) == 1:
                single = index
            else:
                longer.setdefault(words[1], []).append((words[2:], index))
            by_first[words[0]] = (single, longer)
        self._by_first = by_first

    @classmethod
    def build(cls, nlp: Language, lists: Mapping[str, Sequence[str]], *, min_city_population: int) -> Gazetteer:
        """Collect every name with its entry and tokenize the names (cached on disk, see `tokenized_names`)."""
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

        by_words: dict[tuple[str, ...], int] = {}
        for words, index in zip(tokenized_names(nlp, list(phrases)), phrases.values()):
            # two spellings with the same tokens ("A-B" and "A - B"): the entry listed first keeps them
            if words and (words not in by_words or index < by_words[words]):
                by_words[words] = index
        return cls(entries, by_words)

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every gazetteer name in the doc, as candidates carrying their referent key, by start then end."""
        texts = token_table(doc).text
        by_first = self._by_first
        entries = self.entries
        length = len(texts)
        found: list[Candidate] = []

        def add(start: int, end: int, index: int) -> None:
            entry = entries[index]
            found.append(Candidate(start, end, entry.label, entry.rule, entry.priority, key=entry.key))

        for start in [i for i, text in enumerate(texts) if text in by_first]:
            single, longer = by_first[texts[start]]
            if single is not None:
                add(start, start + 1, single)
            options = longer.get(texts[start + 1]) if longer and start + 1 < length else None
            for rest, index in options or ():
                end = start + 2 + len(rest)
                if end <= length and (not rest or tuple(texts[start + 2:end]) == rest):
                    add(start, end, index)
        return found


def tokenized_names(nlp: Language, names: Sequence[str]) -> list[tuple[str, ...]]:
    """The token texts of each name, as the pipeline's tokenizer splits it ("Guinea-Bissau" -> 3 words).

    Tokenizing the names takes most of a second, so the result is kept in the build cache
    (`claimex.build_cache`), keyed by the names, spaCy's version and the tokenizer's settings
    (`Tokenizer.to_bytes`). A tokenizer without settings to fingerprint is asked every time.
    """

    def tokenize() -> list[list[str]]:
        words = [[token.text for token in doc] for doc in nlp.tokenizer.pipe(names)]
        clear_tokenizer_cache(nlp)  # the names filled the tokenizer's cache: keep it for the articles' words
        return words

    settings = tokenizer_settings(nlp)
    if settings is None:
        return [tuple(words) for words in tokenize()]
    key = {
        "spacy": spacy.about.__version__,
        "tokenizer": settings,
        "names": hashlib.sha256("\n".join(names).encode("utf-8", errors="surrogatepass")).hexdigest(),
    }
    return [tuple(words) for words in cached("tokens", key, tokenize)]


def tokenizer_settings(nlp: Language) -> str | None:
    """SHA-256 of the tokenizer's serialised settings (affix rules, special cases), or None if it has none."""
    to_bytes = getattr(nlp.tokenizer, "to_bytes", None)
    if to_bytes is None:
        return None
    try:
        return hashlib.sha256(to_bytes(exclude=["vocab"])).hexdigest()
    except (TypeError, ValueError, NotImplementedError):
        return None


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


