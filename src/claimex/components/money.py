"""claimex_money: amounts of money, with currency, qualifier and restatements in another currency.

Rules are data. `patterns/money.jsonl` holds spaCy Matcher token patterns; each row also gives every
pattern token a **role** (validated by `MoneyPattern`):

    currency  part of the written currency ("$", "US$", "KWD", "Kuwaiti", "dinars")
    number    the number ("83", "11.5", "1.2bn", "two", "half", "a")
    scale     a scale word after it ("million", "bn", "crore")
    compound  one token holding currency and number ("USD34.6", "HK$5bn", "20EUR", "10¢")
    minor     a minor unit ("cents", "pence"): the amount is converted to the major unit
    joiner    inside the amount but without value (the hyphen of "$3.5-billion")
    link      between two amounts of one pattern ("to", "and", "-"): "$15-20 million"
    cue       matched but outside every amount ("between")

A row may also give `qualifiers` (one per amount: a "between" range is at_least / at_most) and set
`combine` (its amounts are parts of one sum: "20 dollars 43 cents" is 20.43). An amount ends at a
`link` token, or where a second number follows a currency ("20 dollars 43 cents").

Word lists (`lists/*.txt`) hold the vocabulary: scale words, number words, qualifier phrases, the
tokens that announce a restatement, and the additions to CLDR's currency data (see
`claimex.normalize.currency`). Patterns reference lists as `"$name"`; a `key = value` list expands to
its keys, and the component adds lists derived from CLDR at build time: `$currency_symbols`,
`$currency_signs`, `$currency_codes`, `$country_codes`, `$currency_units`, `$currency_modifiers` and
`$number_word_parts` (number words, scale words, "and" and "-").

Processing, in order:
1. every match becomes a candidate: its amounts (split at `link` tokens), each parsed from its roles;
   a pattern with two amounts shares what one of them leaves out ("$15-20 million": both USD, both
   millions; a scale is carried back only to a smaller bare number, so "$500,000 to $2 million" stays
   as written). A candidate whose number or currency does not parse is dropped;
2. overlapping candidates: the one covering the most tokens wins, then the earlier one, then the
   earlier pattern in the file;
3. the qualifier is the pattern's own (a "between" range is at_least / at_most) or the longest phrase
   of `money_qualifiers` that ends right before the amount ("more than", "to exceed");
4. an amount right after another, in another currency and separated only by tokens of
   `money_equivalence_links` (at least one of them in `money_equivalence_openers`, "(" or "or"),
   restates it: "MAD 800 million (more than $83 million)" gives the dollars
   `equivalent_of` = the index of the dirhams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Literal, TypeVar

import pycountry
from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Token
from spacy.vocab import Vocab

from claimex.annotations import CharSpan, MoneyMention
from claimex.components.base import RuleComponent
from claimex.normalize.currency import Lookup, all_words, build_lexicon, code_sets, pairs, parse_code_list
from claimex.normalize.numbers import (
    NUMERAL,
    decimal_mapping,
    format_amount,
    mapping_keys,
    mentions_scale,
    parse_mapping,
    parse_number_words,
    split_glued,
)
from claimex.patterns import RuleDataError, WordLists, expand_lists, validate_rows

T_co = TypeVar("T_co")
FACTORY = "claimex_money"
SPANS_KEY = "claimex_money"
SPAN_LABEL = "MONEY"

Qualifier = Literal["exact", "more_than", "less_than", "at_least", "at_most", "about"]
MoneyRole = Literal["cue", "currency", "number", "scale", "compound", "minor", "joiner", "link"]
QUALIFIERS: tuple[str, ...] = ("exact", "more_than", "less_than", "at_least", "at_most", "about")
OUTSIDE_ROLES = frozenset({"cue", "link"})

# lists whose entries are "key = value": patterns see their keys only
MAPPING_LISTS = ("scales", "number_words", "money_qualifiers", "money_minor_units", "money_symbols",
                 "money_currency_names", "money_currency_defaults", "money_currency_fallbacks")
NUMBER_WORD_LINKS = ("and", "-", "–")
COMPOUND_PREFIX = re.compile(r"^(?P<cur>[^\d\s]{1,5})(?P<num>" + NUMERAL.pattern[1:-1] + r")(?P<suf>[A-Za-z]{0,3})$")
COMPOUND_SUFFIX = re.compile(r"^(?P<num>" + NUMERAL.pattern[1:-1] + r")(?P<rest>[^\d\s]{1,5})$")


class RolePattern(BaseModel):
    """A token pattern whose tokens each play a named role; shared by claimex_money and claimex_years."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_.:-]+$")
    note: str = ""
    pattern: list[dict[str, Any]] = Field(min_length=1)
    roles: tuple[str, ...]

    @model_validator(mode="after")
    def _one_role_per_token(self) -> RolePattern:
        if len(self.roles) != len(self.pattern):
            raise ValueError(f"{len(self.pattern)} pattern tokens but {len(self.roles)} roles: give one role per token")
        return self


class MoneyPattern(RolePattern):
    """One row of `money.jsonl`: roles per token, and optional qualifiers per amount."""

    roles: tuple[MoneyRole, ...]
    qualifiers: tuple[Qualifier, ...] | None = None
    combine: bool = False  # the amounts are parts of one sum: "20 dollars 43 cents", "$1 and 42 cents"

    @model_validator(mode="after")
    def _amounts_have_numbers(self) -> MoneyPattern:
        groups = split_roles(self.roles)
        for group in groups:
            if not {"number", "compound"} & set(group):
                raise ValueError("every amount needs a 'number' or 'compound' token")
        wanted = 1 if self.combine else len(groups)
        if self.qualifiers is not None and len(self.qualifiers) != wanted:
            raise ValueError(f"{wanted} amounts but {len(self.qualifiers)} qualifiers")
        return self


def split_roles(roles: Sequence[T_co], role_of: Callable[[T_co], str] = str) -> list[list[T_co]]:
    """Cut a match (or a pattern's roles) into its amounts.

    An amount ends at a `link` token ("to", "and", "-"), and also where a new number starts after the
    current amount already has its number and a currency or minor unit ("20 dollars 43 cents").
    `cue` and `link` items belong to no amount.
    """
    groups: list[list[T_co]] = [[]]
    has_number = False
    previous = ""
    for item in roles:
        role = role_of(item)
        if role == "link":
            groups.append([])
            has_number = False
        elif role != "cue":
            if role in ("number", "compound") and has_number and previous in ("currency", "minor", "scale", "compound"):
                groups.append([])
                has_number = False
            groups[-1].append(item)
            has_number = has_number or role in ("number", "compound")
        previous = role
    return [group for group in groups if group] or [[]]


def pattern_lists(lists: WordLists, mapping_lists: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The word lists as token patterns see them: `key = value` lists reduced to their keys."""
    mapped = set(mapping_lists)
    return {name: mapping_keys(entries) if name in mapped else tuple(entries) for name, entries in lists.items()}


def compile_role_matcher(vocab: Vocab, specs: Sequence[RolePattern], lists: Mapping[str, Sequence[str]], *, source: str) -> Matcher:
    """A validating Matcher holding every pattern under its id, `$list` references expanded."""
    matcher = Matcher(vocab, validate=True)
    for spec in specs:
        expanded = expand_lists(spec.pattern, lists, source=f"{source}: pattern {spec.id}")
        try:
            matcher.add(spec.id, [expanded])
        except ValueError as error:
            raise RuleDataError(f"{source}: pattern {spec.id}: spaCy's Matcher rejects it: {error}") from error
    return matcher


def char_span(tokens: Sequence[Token]) -> CharSpan:
    """Character range from the first to the last of some adjacent tokens."""
    return CharSpan(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))


@dataclass(frozen=True)
class Amount:
    """One amount read from a match, before qualifiers and restatements are set."""

    first: int  # token index of its first token
    last: int  # token index of its last token
    raw: Decimal  # the number as written ("15" in "$15-20 million")
    multiplier: Decimal  # scale and minor unit (1000000 for "million", 0.01 for "cents")
    has_scale: bool
    currency: str | None
    names_currency: bool  # the amount writes a currency itself (not carried from its neighbour)

    @property
    def value(self) -> Decimal:
        return self.raw * self.multiplier


@dataclass(frozen=True)
class Candidate:
    """The amounts of one match and the pattern that found them."""

    rule: str
    order: int
    first: int  # token range of the match without cue tokens, for overlaps
    last: int
    match_start: int
    amounts: tuple[Amount, ...]
    qualifiers: tuple[str, ...] | None


class MoneyRecognizer(RuleComponent):
    """Finds amounts of money and writes `doc._.claimex_money` and `doc.spans[spans_key]`."""

    pattern_family = "money"
    required_lists = (
        "scales", "number_words", "money_qualifiers", "money_equivalence_links", "money_equivalence_openers",
        "money_minor_units",
        "money_symbol_locales", "money_codes_excluded", "money_symbols_ignored", "money_symbols",
        "money_currency_names", "money_currency_defaults", "money_currency_fallbacks", "money_units_need_modifier",
    )

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        super().__init__(nlp, name)
        self.spans_key = spans_key

    # -- build ---------------------------------------------------------------------------------
    def build(self) -> None:
        """Validate the patterns, read the word lists, build the currency lexicon and the matcher."""
        source = f"{self.name} patterns"
        self.specs: list[MoneyPattern] = validate_rows(self.patterns, MoneyPattern, source)
        self.order = {spec.id: index for index, spec in enumerate(self.specs)}
        self.by_key = {self.nlp.vocab.strings.add(spec.id): spec for spec in self.specs}
        lists = self.lists
        try:
            self.scales = decimal_mapping(lists["scales"], source="scales")
            self.number_words = decimal_mapping(lists["number_words"], source="number_words")
            self.qualifier_phrases = {
                tuple(key.split()): value for key, value in parse_mapping(lists["money_qualifiers"], source="money_qualifiers").items()
            }
            self.minor_units = self._minor_units(lists["money_minor_units"])
            self.currencies = build_lexicon(
                locale_patterns=tuple(lists["money_symbol_locales"]),
                excluded_codes=all_words(lists["money_codes_excluded"]),
                ignored_symbols=all_words(lists["money_symbols_ignored"]),
                extra_symbols=code_sets(parse_mapping(lists["money_symbols"], source="money_symbols", lower=False), source="money_symbols"),
                extra_names=code_sets(parse_mapping(lists["money_currency_names"], source="money_currency_names"), source="money_currency_names"),
                fixed=pairs(parse_mapping(lists["money_currency_defaults"], source="money_currency_defaults", lower=False)),
                fallback=pairs(parse_mapping(lists["money_currency_fallbacks"], source="money_currency_fallbacks", lower=False)),
                needs_modifier=frozenset(w.lower() for w in lists["money_units_need_modifier"]),
            )
        except ValueError as error:
            raise RuleDataError(f"{self.name}: {error}") from error
        bad = sorted(set(self.qualifier_phrases.values()) - set(QUALIFIERS))
        if bad:
            raise RuleDataError(f"{self.name}: money_qualifiers maps to {bad}; use one of {', '.join(QUALIFIERS)}")
        self.max_qualifier = max((len(phrase) for phrase in self.qualifier_phrases), default=0)
        self.equivalence_links = self.lexicon("money_equivalence_links") | self.lexicon("money_equivalence_openers")
        self.equivalence_openers = self.lexicon("money_equivalence_openers")
        self.matcher = compile_role_matcher(self.nlp.vocab, self.specs, self.derived_lists(), source=source)

    def derived_lists(self) -> dict[str, tuple[str, ...]]:
        """The word lists patterns may reference, including those derived from CLDR and ISO 4217."""
        lists = pattern_lists(self.lists, MAPPING_LISTS)
        lexicon = self.currencies
        lists.update(
            currency_symbols=lexicon.symbol_texts(),
            currency_signs=lexicon.sign_texts(),
            currency_codes=tuple(sorted(lexicon.codes)),
            country_codes=tuple(sorted(country.alpha_2 for country in pycountry.countries)),
            currency_units=lexicon.unit_words(),
            currency_modifiers=lexicon.modifier_words(),
            number_word_parts=tuple(sorted({*self.number_words, *self.scales, *NUMBER_WORD_LINKS})),
        )
        return lists

    @staticmethod
    def _minor_units(entries: Sequence[str]) -> dict[str, tuple[Decimal, str]]:
        units: dict[str, tuple[Decimal, str]] = {}
        for key, value in parse_mapping(entries, source="money_minor_units").items():
            parts = value.split()
            if len(parts) != 2:
                raise ValueError(f"word list 'money_minor_units': {key!r} needs 'fraction CODE', got {value!r}")
            fraction, code = parts
            parse_code_list(code, source="money_minor_units", key=key)
            try:
                units[key] = (Decimal(fraction), code)
            except ArithmeticError as error:
                raise ValueError(f"word list 'money_minor_units': {fraction!r} (for {key!r}) is not a number") from error
        return units

    # -- process -------------------------------------------------------------------------------
    def process(self, doc: Doc) -> Doc:
        """Find the candidates, keep the best non-overlapping ones, then set the annotations."""
        found = self.select(self.candidates(doc))
        mentions = self.mentions(doc, found)
        doc._.claimex_money = tuple(mentions)
        doc.spans[self.spans_key] = [
            doc.char_span(m.span.start, m.span.end, label=SPAN_LABEL, alignment_mode="expand") for m in mentions
        ]
        return doc

    def candidates(self, doc: Doc) -> list[Candidate]:
        """Every match that parses into amounts."""
        result: list[Candidate] = []
        text = doc.text  # Doc.text joins every token: read it once per document
        for match_id, start, _end, alignment in self.matcher(doc, with_alignments=True):
            spec = self.by_key[match_id]
            roled = [(doc[start + offset], spec.roles[index]) for offset, index in enumerate(alignment)]
            candidate = self.read_match(doc, spec, roled, start, text)
            if candidate is not None:
                result.append(candidate)
        return result

    def read_match(self, doc: Doc, spec: MoneyPattern, roled: list[tuple[Token, str]], start: int, text: str) -> Candidate | None:
        """Parse the amounts of one match; None when one of them does not parse."""
        groups = split_roles(roled, lambda item: item[1])
        amounts = [self.read_amount(group, text) for group in groups]
        if any(amount is None for amount in amounts) or not amounts:
            return None
        shared = share_between(tuple(a for a in amounts if a is not None))
        if any(amount.currency is None and not amount.names_currency for amount in shared):
            return None
        if spec.combine:
            shared = (combine(shared),)
        if self.is_modifier_article(doc, roled):
            return None
        inside = [token.i for token, role in roled if role not in OUTSIDE_ROLES]
        return Candidate(spec.id, self.order[spec.id], min(inside), max(inside), start, shared, spec.qualifiers)

    def is_modifier_article(self, doc: Doc, roled: list[tuple[Token, str]]) -> bool:
        """Whether "a"/"an" + currency is a compound modifier, not an amount: "a dollar-priced product"."""
        numbers = [token.lower_ for token, role in roled if role == "number"]
        last = roled[-1][0]
        follows = doc[last.i + 1] if last.i + 1 < len(doc) else None
        return (
            bool(numbers)
            and all(word in ("a", "an") for word in numbers)
            and follows is not None
            and not last.whitespace_
            and follows.text in ("-", "–")
        )

    def read_amount(self, group: list[tuple[Token, str]], text: str) -> Amount | None:
        """One amount from its tokens and their roles."""
        if not group:
            return None
        numbers: list[str] = []
        multiplier = Decimal(1)
        has_scale = False
        phrases: list[list[str]] = []
        codes: list[str | None] = []
        previous = ""
        for token, role in group:
            if role == "currency":
                if previous != "currency":
                    phrases.append([])
                phrases[-1].append(token.text)
            elif role == "number":
                glued = split_glued(token.text, self.scales)
                if glued is None:
                    numbers.append(token.text)
                else:  # "1.2bn": keep the scale apart, so that a range can share it
                    numbers.append(str(glued[0]))
                    multiplier *= glued[1]
                    has_scale = True
            elif role == "scale":
                multiplier *= self.scales[token.lower_]
                has_scale = True
            elif role == "minor":
                fraction, code = self.minor_units[token.lower_]
                multiplier *= fraction
                codes.append(code)
            elif role == "compound":
                parts = self.split_compound(token.text)
                if parts is None:
                    return None
                currency, number, scale, minor = parts
                numbers.append(number)
                if scale:
                    multiplier *= self.scales[scale.lower()]
                    has_scale = True
                if minor is not None:
                    multiplier *= minor[0]
                    codes.append(minor[1])
                if currency is not None:
                    codes.append(self.currencies.resolve(currency, context=text))
            previous = role
        for phrase in phrases:
            lookup = self.currencies.lookup(phrase)
            if lookup is None:
                return None
            codes.append(self.currencies.resolve(lookup, context=text))
        raw = parse_number_words(numbers, number_words=self.number_words, scales=self.scales)
        if raw is None:
            return None
        has_scale = has_scale or mentions_scale(numbers, self.scales)
        known = [code for code in codes if code is not None]
        currency = known[0] if known else None
        tokens = [token for token, _ in group]
        return Amount(tokens[0].i, tokens[-1].i, raw, multiplier, has_scale, currency, bool(codes))

    def split_compound(self, text: str) -> tuple[Lookup | None, str, str, tuple[Decimal, str] | None] | None:
        """Split a token such as "USD34.6", "HK$5bn", "20EUR", "10k$" or "10¢" into its parts.

        Returns (currency lookup, numeral, scale suffix, minor unit) or None when the token is not
        an amount: the currency part must be a known currency or minor unit, the rest a scale word.
        """
        match = COMPOUND_PREFIX.match(text)
        if match:
            lookup = self.currencies.lookup([match.group("cur")])
            suffix = match.group("suf")
            if lookup is not None and (not suffix or suffix.lower() in self.scales):
                return lookup, match.group("num"), suffix, None
        match = COMPOUND_SUFFIX.match(text)
        if match:
            rest = match.group("rest")
            for cut in range(len(rest)):
                scale, unit = rest[:cut], rest[cut:]
                if scale and scale.lower() not in self.scales:
                    continue
                if unit.lower() in self.minor_units:
                    return None, match.group("num"), scale, self.minor_units[unit.lower()]
                lookup = self.currencies.lookup([unit])
                if lookup is not None:
                    return lookup, match.group("num"), scale, None
        return None

    @staticmethod
    def select(candidates: list[Candidate]) -> list[Candidate]:
        """Non-overlapping candidates: most tokens first, then earliest, then earliest pattern."""
        chosen: list[Candidate] = []
        taken: set[int] = set()
        for candidate in sorted(candidates, key=lambda c: (-(c.last - c.first), c.first, c.order)):
            covered = set(range(candidate.first, candidate.last + 1))
            if covered & taken:
                continue
            taken |= covered
            chosen.append(candidate)
        return sorted(chosen, key=lambda c: c.first)

    def qualifier_before(self, doc: Doc, start: int) -> tuple[str, int]:
        """The qualifier a phrase right before token `start` gives, and where that phrase starts."""
        for size in range(min(self.max_qualifier, start), 0, -1):
            words = tuple(token.lower_ for token in doc[start - size:start])
            if words in self.qualifier_phrases:
                return self.qualifier_phrases[words], start - size
        return "exact", start

    def mentions(self, doc: Doc, chosen: list[Candidate]) -> list[MoneyMention]:
        """Turn the chosen candidates into mentions: qualifiers, then restatements."""
        rows: list[tuple[Amount, str, int, str]] = []  # amount, qualifier, qualifier start, rule
        for candidate in chosen:
            lead_qualifier, lead_start = self.qualifier_before(doc, candidate.match_start)
            for index, amount in enumerate(candidate.amounts):
                if candidate.qualifiers is not None:
                    qualifier, starts_at = candidate.qualifiers[index], amount.first
                elif index == 0:
                    qualifier, starts_at = lead_qualifier, lead_start
                else:
                    own, own_start = self.qualifier_before(doc, amount.first)
                    qualifier, starts_at = (own, own_start) if own != "exact" else (lead_qualifier, amount.first)
                rows.append((amount, qualifier, starts_at, candidate.rule))
        rows.sort(key=lambda row: row[0].first)
        mentions: list[MoneyMention] = []
        for index, (amount, qualifier, starts_at, rule) in enumerate(rows):
            equivalent = None
            if index > 0:
                before = rows[index - 1][0]
                between = [token.lower_ for token in doc[before.last + 1:starts_at]]
                if (
                    between
                    and all(word in self.equivalence_links for word in between)
                    and any(word in self.equivalence_openers for word in between)
                    and amount.currency is not None
                    and before.currency is not None
                    and amount.currency != before.currency
                ):
                    restated = mentions[index - 1].equivalent_of
                    equivalent = restated if restated is not None else index - 1
            span = char_span(doc[amount.first:amount.last + 1])
            if doc[amount.last].text.endswith(".") and doc[amount.last].lower_ in self.scales:
                span = CharSpan(span.start, span.end - 1)  # "€5m." ends a sentence: the period is not the amount's
            mentions.append(
                MoneyMention(
                    span=span,
                    amount=format_amount(amount.value),
                    currency=amount.currency,
                    qualifier=qualifier,
                    rule=rule,
                    equivalent_of=equivalent,
                )
            )
        return mentions


def share_between(amounts: tuple[Amount, ...]) -> tuple[Amount, ...]:
    """Let the amounts of one pattern share the currency and scale that only one of them writes.

    The currency goes to an amount that writes none ("$15-20 million", "10 to 20 dollars"). The
    scale goes back to an earlier amount without one only when its number is smaller ("$5 and $10
    billion" is five billion; "$500,000 to $2 million" stays as written).
    """
    if len(amounts) < 2:
        return amounts
    currency = next((a.currency for a in amounts if a.currency is not None), None)
    written = any(a.names_currency for a in amounts)
    result = list(amounts)
    for index, amount in enumerate(result):
        if not amount.names_currency:
            amount = replace(amount, currency=currency, names_currency=written)
        if not amount.has_scale:
            later = next((b for b in result[index + 1:] if b.has_scale), None)
            if later is not None and amount.raw < later.raw:
                amount = replace(amount, multiplier=amount.multiplier * later.multiplier, has_scale=True)
        result[index] = amount
    return tuple(result)


def combine(amounts: tuple[Amount, ...]) -> Amount:
    """One amount that is the sum of its parts ("20 dollars 43 cents" is 20.43 dollars)."""
    total = sum((amount.value for amount in amounts), Decimal(0))
    currency = next((a.currency for a in amounts if a.currency is not None), None)
    return Amount(
        first=amounts[0].first,
        last=amounts[-1].last,
        raw=total,
        multiplier=Decimal(1),
        has_scale=any(a.has_scale for a in amounts),
        currency=currency,
        names_currency=any(a.names_currency for a in amounts),
    )


@Language.factory(
    FACTORY,
    assigns=[f"doc._.{SPANS_KEY}", "doc.spans"],
    default_config={"spans_key": SPANS_KEY},
)
def make_money(nlp: Language, name: str, spans_key: str) -> MoneyRecognizer:
    """Rule-based money recognizer (see the module docstring); patterns arrive through `initialize`."""
    return MoneyRecognizer(nlp, name, spans_key=spans_key)
