"""Currency symbols, codes and names from CLDR (via babel) and ISO 4217 (via pycountry), resolved to codes.

Nothing here is a hand-typed currency table. `build_lexicon` reads:

- **codes**: ISO 4217 codes in pycountry, minus the ones a pipeline excludes (funds, metals, test codes);
- **symbols**: every CLDR symbol of those codes in the locales a pipeline lists ("$", "US$", "€", "R$",
  "Rs", "₹", "₦"...), plus a pipeline's extra symbols for common spellings CLDR lacks ("Dh", "RMB");
- **names**: CLDR's English display names, singular and plural ("US dollar", "Kuwaiti dinars",
  "euros", "Chinese yuan"), plus a pipeline's extra names ("pounds sterling", "greenbacks").

A written currency often fits several codes ("$", "rupees", "dirhams"). `CurrencyLexicon.resolve`
decides, in this order:

1. one candidate: that code;
2. a **fixed default** from the pipeline's data: bare "$" and "dollars" are USD, "£" is GBP, even in an
   article about Canada (news writes "C$" or "Canadian dollars" when it means them);
3. the **article's context**: the candidate whose territories (CLDR's English names, "Sri Lanka") or
   currency adjective (from the CLDR name, "Sri Lankan") the text mentions most, so "Rs 5 crore" is LKR
   in an article about Sri Lanka and INR in one about India;
4. a **fallback default** from the pipeline's data ("Rs" -> INR) when the article does not decide;
5. otherwise None (the amount is kept, its currency unknown).

Unit words that are also ordinary English words ("pounds", "won", "real") can be listed as needing a
modifier: "20 pounds" is then not money, but "20 Egyptian pounds" and "£20" are.
"""

from __future__ import annotations

import fnmatch
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pycountry
from babel import Locale, localedata
from babel.core import get_global

from claimex.build_cache import cached, package_versions, source_digest

NAME_TOKEN = re.compile(r"[^\s-]+|-")
COUNTRY_PREFIX = re.compile(r"^[A-Z]{2}$")


def has_currency_sign(text: str) -> bool:
    """Whether the text holds a Unicode currency sign (category Sc: "$", "€", "₹", "US$")."""
    return any(unicodedata.category(char) == "Sc" for char in text)


@cache
def iso_currency_codes() -> frozenset[str]:
    """Every ISO 4217 alphabetic code that pycountry knows."""
    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


def is_currency_code(code: str) -> bool:
    """Whether a string is an ISO 4217 code (validated with pycountry)."""
    return code in iso_currency_codes()


def name_tokens(name: str) -> tuple[str, ...]:
    """Split a currency name the way spaCy's English tokenizer splits it, lower-cased."""
    return tuple(NAME_TOKEN.findall(name.lower()))


@cache
def cldr_symbols(locale_patterns: tuple[str, ...], codes: frozenset[str]) -> dict[str, frozenset[str]]:
    """Symbol -> codes over the CLDR locales matching the patterns ("en*" is English everywhere).

    Reading a hundred and more locales' data takes about half a second, so the result is kept in the
    build cache (`claimex.build_cache`), keyed by babel's version, the arguments and this module's code.
    """
    key = {
        "locale_patterns": list(locale_patterns),
        "codes": sorted(codes),
        "packages": package_versions("babel"),
        "code": source_digest(sys.modules[__name__]),
    }
    found = cached("cldr-symbols", key, lambda: read_cldr_symbols(locale_patterns, codes))
    return {symbol: frozenset(symbol_codes) for symbol, symbol_codes in found.items()}


def read_cldr_symbols(locale_patterns: tuple[str, ...], codes: frozenset[str]) -> dict[str, list[str]]:
    """`cldr_symbols` read from babel's CLDR data itself (codes as sorted lists)."""
    ids = [i for i in localedata.locale_identifiers() if any(fnmatch.fnmatchcase(i, p) for p in locale_patterns)]
    found: dict[str, set[str]] = {}
    for identifier in sorted(ids):
        for code, symbol in Locale.parse(identifier).currency_symbols.items():
            if code in codes and symbol != code:
                found.setdefault(symbol, set()).add(code)
    return {symbol: sorted(found_codes) for symbol, found_codes in found.items()}


@cache
def cldr_names(codes: frozenset[str]) -> dict[tuple[str, ...], frozenset[str]]:
    """English display names, singular and plural, as token tuples -> codes ("kuwaiti", "dinars")."""
    english = Locale("en")
    plural_names = english._data["currency_names_plural"]  # babel exposes no public accessor for these
    found: dict[tuple[str, ...], set[str]] = {}
    for code in codes:
        names = {english.currencies.get(code, "")}
        if code in plural_names:
            names.update(plural_names[code].values())
        for name in names:
            if name and "(" not in name:
                found.setdefault(name_tokens(name), set()).add(code)
    return {name: frozenset(found_codes) for name, found_codes in found.items()}


@cache
def territory_cues(code: str) -> tuple[str, ...]:
    """Words that tie a text to a currency: its territories' English names and its CLDR adjective.

    "LKR" -> ("Sri Lanka", "Sri Lankan"): the names of territories that use the code today, and the
    words before the unit in its English name ("Sri Lankan rupee").
    """
    english = Locale("en")
    cues: set[str] = set()
    for territory, spans in get_global("territory_currencies").items():
        for entry_code, _start, end, tender in spans:
            if entry_code == code and end is None and tender and territory in english.territories:
                cues.add(english.territories[territory])
    name = english.currencies.get(code, "")
    words = name.split()
    if len(words) > 1 and "(" not in name:
        cues.add(" ".join(words[:-1]))
    return tuple(sorted(cues))


@cache
def territory_currencies(alpha2: str) -> frozenset[str]:
    """Codes a territory uses today ("GB" -> {"GBP"}), from CLDR."""
    spans = get_global("territory_currencies").get(alpha2, ())
    return frozenset(code for code, _start, end, tender in spans if end is None and tender)


@dataclass(frozen=True)
class Lookup:
    """What a written currency may mean: the key it was found under and the candidate codes."""

    key: str
    codes: frozenset[str]


@dataclass(frozen=True)
class CurrencyLexicon:
    """Written currencies (symbols, codes, names) and the rules that turn them into one ISO code."""

    codes: frozenset[str]
    symbols: Mapping[str, frozenset[str]]
    names: Mapping[tuple[str, ...], frozenset[str]]
    units: Mapping[str, frozenset[str]] = field(default_factory=dict)  # "dollars" -> USD, CAD, AUD...
    fixed: Mapping[str, str] = field(default_factory=dict)
    fallback: Mapping[str, str] = field(default_factory=dict)
    needs_modifier: frozenset[str] = frozenset()
    glued_names: Mapping[str, frozenset[str]] = field(default_factory=dict)  # "saudiriyal" -> SAR

    # -- vocabularies for token patterns ----------------------------------------------------------
    def symbol_texts(self) -> tuple[str, ...]:
        """Every symbol, as written (case matters: "RM", "Rs")."""
        return tuple(sorted(self.symbols))

    def sign_texts(self) -> tuple[str, ...]:
        """Symbols holding a currency sign ("$", "US$", "€"): safe to read after a number too."""
        return tuple(sorted(s for s in self.symbols if has_currency_sign(s)))

    def unit_words(self) -> tuple[str, ...]:
        """Last words of the currency names ("dollars", "dirham", "yuan"), lower-cased."""
        return tuple(sorted(self.units))

    def modifier_words(self) -> tuple[str, ...]:
        """Words that may stand before a unit: those of the currency names ("us", "kuwaiti", "hong",
        "kong") and the capitalised words of the names of the territories using a unit ("malaysia")."""
        words = {word for name in self.names for word in name[:-1]}
        for codes in self.units.values():
            for code in codes:
                for cue in territory_cues(code):
                    words.update(word.lower() for word in cue.split() if word[:1].isupper())
        return tuple(sorted(words))

    def glued_name_words(self) -> tuple[str, ...]:
        """Names of two or more words written as one ("saudiriyal", "egyptianpound"), lower-cased."""
        return tuple(sorted(self.glued_names))

    def letter_symbol_texts(self) -> tuple[str, ...]:
        """Symbols of two or more characters with a letter and no currency sign ("RM", "Rs", "LE"),
        the ones a number may be written before ("42 RM")."""
        return tuple(sorted(s for s in self.symbols if len(s) > 1 and not has_currency_sign(s) and any(c.isalpha() for c in s)))

    # -- resolution -------------------------------------------------------------------------------
    def lookup(self, words: Sequence[str]) -> Lookup | None:
        """Candidate codes for the tokens that write a currency; None when they are not one.

        Tries, in order: an ISO code ("MAD"), a symbol ("$", "Rs", "Rs."), a country code before a
        symbol ("GB £", "US $"), then an English name, dropping leading words it does not know
        ("Kuwaiti dinars", "dinars"). A bare unit word that needs a modifier gives None.
        """
        parts = [w for w in words if w.strip()]
        while parts and parts[-1] == ".":
            parts.pop()
        if not parts:
            return None
        glued = "".join(parts)
        if glued in self.codes:
            return Lookup(glued, frozenset({glued}))
        for text in (glued, glued.rstrip(".")):
            if text in self.symbols:
                return Lookup(text, self.symbols[text])
        code, symbol = glued[:3], glued[3:]
        if code in self.codes and code in self.symbols.get(symbol, ()):  # "USD$", "CAD$": a code and its symbol
            return Lookup(code, frozenset({code}))
        if glued.lower() in self.glued_names:  # "saudiriyal"
            return Lookup(glued.lower(), self.glued_names[glued.lower()])
        if len(parts) >= 2 and COUNTRY_PREFIX.match(parts[0]):
            symbol = "".join(parts[1:])
            if symbol in self.symbols:
                narrowed = self.symbols[symbol] & territory_currencies(parts[0])
                if narrowed:
                    return Lookup(parts[0] + symbol, narrowed)
        tokens = tuple(t for w in parts for t in name_tokens(w))
        for start in range(len(tokens) - 1):
            name = tokens[start:]
            if name in self.names:
                return Lookup(" ".join(name), self.names[name])
        unit = tokens[-1] if tokens else ""
        for start in range(len(tokens) - 1):  # "Malaysia ringgit", "Egypt pounds": the territory decides
            place = " ".join(tokens[start:-1])
            narrowed = frozenset(c for c in self.units.get(unit, ()) if place in (cue.lower() for cue in territory_cues(c)))
            if narrowed:
                return Lookup(" ".join(tokens[start:]), narrowed)
        if unit in self.units and unit not in self.needs_modifier:
            return Lookup(unit, self.units[unit])
        return None

    def resolve(self, found: Lookup, *, context: str | Callable[[], str] = "") -> str | None:
        """One code for a lookup, by the rules of the module docstring; None when nothing decides.

        `context` is the article text, or a function that gives it (read only when the codes tie).
        """
        if len(found.codes) == 1:
            return next(iter(found.codes))
        fixed = self.fixed.get(found.key) or self.fixed.get(found.key.lower())
        if fixed in found.codes:
            return fixed
        text = context() if callable(context) else context
        if text:
            counts = {code: context_mentions(code, text) for code in sorted(found.codes)}
            best = max(counts.values(), default=0)
            winners = [code for code, count in counts.items() if count == best]
            if best > 0 and len(winners) == 1:
                return winners[0]
        fallback = self.fallback.get(found.key) or self.fallback.get(found.key.lower())
        return fallback if fallback in found.codes else None


def glue_names(names: Mapping[tuple[str, ...], frozenset[str]]) -> dict[str, frozenset[str]]:
    """Names of two or more words written as one word ("saudiriyal") -> codes."""
    found: dict[str, set[str]] = {}
    for name, codes in names.items():
        if len(name) > 1 and "-" not in name:
            found.setdefault("".join(name), set()).update(codes)
    return {glued: frozenset(codes) for glued, codes in found.items()}


@lru_cache(maxsize=256)
def context_mentions(code: str, text: str) -> int:
    """How often a text names a territory or adjective tied to a currency (word-initial, any ending)."""
    pattern = _cue_pattern(code)
    return len(pattern.findall(text)) if pattern is not None else 0


@cache
def _cue_pattern(code: str) -> re.Pattern[str] | None:
    cues = territory_cues(code)
    if not cues:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True)) + ")")


def parse_code_list(value: str, *, source: str, key: str) -> frozenset[str]:
    """Space-separated ISO codes of a word-list value, each checked with pycountry.

    Raises:
        ValueError: a code is not ISO 4217; the message names the list and the entry.
    """
    codes = frozenset(value.split())
    unknown = sorted(code for code in codes if not is_currency_code(code))
    if unknown or not codes:
        raise ValueError(f"word list {source!r}: {key!r} maps to {unknown or value!r}, not ISO 4217 codes")
    return codes


@cache
def build_lexicon(
    *,
    locale_patterns: tuple[str, ...],
    excluded_codes: frozenset[str] = frozenset(),
    ignored_symbols: frozenset[str] = frozenset(),
    extra_symbols: tuple[tuple[str, frozenset[str]], ...] = (),
    extra_names: tuple[tuple[str, frozenset[str]], ...] = (),
    fixed: tuple[tuple[str, str], ...] = (),
    fallback: tuple[tuple[str, str], ...] = (),
    needs_modifier: frozenset[str] = frozenset(),
) -> CurrencyLexicon:
    """Assemble the lexicon from CLDR and ISO 4217 plus a pipeline's additions (cached per arguments).

    Single-letter symbols ("K", "R", "E") are left out: in running text they are initials and
    sizes far more often than currencies.
    """
    codes = frozenset(iso_currency_codes() - excluded_codes)
    symbols: dict[str, frozenset[str]] = {
        symbol: found
        for symbol, found in cldr_symbols(locale_patterns, codes).items()
        if symbol not in ignored_symbols and not any(ch.isspace() for ch in symbol)
        and not (len(symbol) == 1 and symbol.isascii() and symbol.isalpha())
    }
    for symbol, extra in extra_symbols:
        symbols[symbol] = symbols.get(symbol, frozenset()) | extra
    names: dict[tuple[str, ...], frozenset[str]] = dict(cldr_names(codes))
    for name, extra in extra_names:
        key = name_tokens(name)
        names[key] = names.get(key, frozenset()) | extra
    units: dict[str, set[str]] = {}
    for name, found in names.items():
        units.setdefault(name[-1], set()).update(found)
    return CurrencyLexicon(
        codes=codes,
        symbols=symbols,
        names=names,
        units={unit: frozenset(found) for unit, found in units.items()},
        fixed=dict(fixed),
        fallback=dict(fallback),
        needs_modifier=needs_modifier,
        glued_names=glue_names(names),
    )


def pairs(mapping: Mapping[str, str]) -> tuple[tuple[str, str], ...]:
    """A mapping as sorted pairs, hashable for `build_lexicon`'s cache."""
    return tuple(sorted(mapping.items()))


def code_sets(mapping: Mapping[str, str], *, source: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """A `text = CODE CODE` mapping as sorted (text, codes) pairs, codes validated."""
    return tuple(sorted((key, parse_code_list(value, source=source, key=key)) for key, value in mapping.items()))


def all_words(entries: Iterable[str]) -> frozenset[str]:
    """Entries of a plain word list as a set, as written."""
    return frozenset(entries)
