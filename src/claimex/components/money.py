"""claimex_money: amounts of money, with currency, qualifier and restatements in another currency.

Rules are data. `patterns/money.jsonl` holds spaCy Matcher token patterns; each row also gives every
pattern token a **role** (validated by `MoneyPattern`):

    currency  part of the written currency ("$", "US$", "KWD", "Kuwaiti", "dinars")
    number    the number ("83", "11.5", "1.2bn", "two", "half", "a")
    scale     a scale word after it ("million", "bn", "crore")
    compound  one token holding currency and number ("USD34.6", "HK$5bn", "20EUR", "10¢")
    minor     a minor unit ("cents", "pence"): the amount is converted to the major unit
    joiner    inside the amount but without value (the hyphen of "$3.5-billion", the "of" of "billions of")
    link      between two amounts of one pattern ("to", "and", "-"): "$15-20 million"
    subunit   hundredths without a unit word after a major amount ("43" in "$20 43", "fourteen")
    unnamed   a word that makes the number money without naming a currency ("grand", `money_unnamed_units`)
    vague     a plural scale word of an indefinite amount ("billions", "tens", `money_vague_scales`)
    cue       matched but outside every amount ("between")

A row may also give `qualifiers` (one per amount: a "between" range is at_least / at_most; "billions
of dollars" is more_than 1,000,000,000) and set `combine` (its amounts are parts of one sum: "20
dollars 43 cents" is 20.43). An amount ends at a `link` token, or where a second number follows a
currency ("20 dollars 43 cents"), or at a `subunit`. Flags say what a token pattern cannot:
`before_punct_only` (kept only before punctuation or at the end: "10 grand." but not "a grand
jury"), `not_before_noun` (kept only before punctuation or a word of `money_amount_followers`:
"ringgit 42" but not "dollars 5 years"), `not_after_determiner` ("the dollar 1.2 percent" is no
amount) and `inherit_currency` (see step 3).

Word lists (`lists/*.txt`) hold the vocabulary: scale words, number words, qualifier phrases, the
tokens that announce a restatement, and the additions to CLDR's currency data (see
`claimex.normalize.currency`). Patterns reference lists as `"$name"`; a `key = value` list expands to
its keys, and the component adds lists derived from CLDR at build time: `$currency_symbols`,
`$currency_signs`, `$currency_letter_symbols` ("RM", "Rs": read after a number too), `$currency_codes`,
`$country_codes`, `$currency_units`, `$currency_modifiers` (with the words of the territories using a
unit: "Malaysia ringgit"), `$currency_glued_names` ("saudiriyal") and `$number_word_parts` (number
words, scale words, "and" and "-"). A bare "$" or "dollars" is USD whatever the article is about
(`money_currency_defaults`: news writes "C$" or "Canadian dollars" for those); "Rs" and "rupees"
follow the country the article names most (see `claimex.normalize.currency`).

Processing, in order:
1. every match becomes a candidate: its amounts (split at `link` tokens), each parsed from its roles;
   a pattern with two amounts shares what one of them leaves out ("$15-20 million": both USD, both
   millions; a scale is carried back only to a smaller bare number, so "$500,000 to $2 million" stays
   as written). A candidate whose number or currency does not parse is dropped;
2. overlapping candidates: the one covering the most tokens wins, then the earlier one, then the
   earlier pattern in the file;
3. an elliptical amount (`inherit_currency`: "the four billion it already received" after "US$5
   billion") takes the currency of the last amount with a currency and a scale earlier in its
   sentence, and is dropped when there is none or a noun follows it ("3 million people");
4. the qualifier is the pattern's own (a "between" range is at_least / at_most) or the longest phrase
   of `money_qualifiers` that ends right before the amount ("more than", "to exceed");
5. an amount right after another, in another currency and separated only by tokens of
   `money_equivalence_links` (at least one of them in `money_equivalence_openers`, "(" or "or"),
   restates it: "MAD 800 million (more than $83 million)" gives the dollars
   `equivalent_of` = the index of the dirhams.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from decimal import Decimal
from typing import Literal, TypeVar

import pycountry
from pydantic import model_validator
from spacy.language import Language
from spacy.tokens import Doc, Token

from claimex.annotations import CharSpan, MoneyMention
from claimex.components.base import RuleComponent
from claimex.components.doc_text import doc_text
from claimex.components.match_windows import AnchoredMatcher
from claimex.components.role_patterns import (
    RolePattern,
    char_span,
    compile_role_matcher,
    pattern_lists,
)
from claimex.normalize.currency import (
    Lookup,
    all_words,
    build_lexicon,
    code_sets,
    pairs,
    parse_code_list,
)
from claimex.normalize.numbers import (
    NUMERAL,
    decimal_mapping,
    format_amount,
    mentions_scale,
    parse_mapping,
    parse_number_words,
    parse_subunit,
    split_glued,
)
from claimex.patterns import RuleDataError, expand_lists, validate_rows

T_co = TypeVar("T_co")
FACTORY = "claimex_money"
SPANS_KEY = "claimex_money"
SPAN_LABEL = "MONEY"

Qualifier = Literal["exact", "more_than", "less_than", "at_least", "at_most", "about"]
MoneyRole = Literal["cue", "currency", "number", "scale", "compound", "minor", "joiner", "link", "subunit", "unnamed", "vague"]
QUALIFIERS: tuple[str, ...] = ("exact", "more_than", "less_than", "at_least", "at_most", "about")
OUTSIDE_ROLES = frozenset({"cue", "link"})

# lists whose entries are "key = value": patterns see their keys only
MAPPING_LISTS = ("scales", "number_words", "money_qualifiers", "money_minor_units", "money_symbols",
                 "money_currency_names", "money_currency_defaults", "money_currency_fallbacks",
                 "money_unnamed_units", "money_vague_scales")
NUMBER_ROLES = ("number", "compound", "subunit", "vague")
NUMBER_WORD_LINKS = ("and", "-", "–")
COMPOUND_PREFIX = re.compile(r"^(?P<cur>[^\d\s]{1,5})(?P<num>" + NUMERAL.pattern[1:-1] + r")(?P<suf>[A-Za-z]{0,3})$")
COMPOUND_SUFFIX = re.compile(r"^(?P<num>" + NUMERAL.pattern[1:-1] + r")(?P<rest>[^\d\s]{1,5})$")


ANCHOR_ROLES = frozenset({"currency", "compound", "scale", "minor", "unnamed", "vague"})


def is_anchor_token(token: dict[str, object], role: str) -> bool:
    """Whether a pattern token is one an amount needs: a currency, a scale or money word, or a numeral
    (a `number` token given by a regex, which writes digits; number words are too common to anchor)."""
    return role in ANCHOR_ROLES or (role == "number" and isinstance(token.get("TEXT"), dict) and "REGEX" in token["TEXT"])


class MoneyPattern(RolePattern):
    """One row of `money.jsonl`: roles per token, and optional qualifiers per amount."""

    roles: tuple[MoneyRole, ...]
    qualifiers: tuple[Qualifier, ...] | None = None
    combine: bool = False  # the amounts are parts of one sum: "20 dollars 43 cents", "$1 and 42 cents"
    before_punct_only: bool = False  # kept only at the end of the text or before punctuation ("10 grand.")
    inherit_currency: bool = False  # elliptical: the currency of an earlier amount in the sentence ("four billion")
    not_after_determiner: bool = False  # dropped after a word of `money_determiners` ("the dollar 1.2 ...")
    not_before_noun: bool = False  # kept only before punctuation, the end or a word of `money_amount_followers`

    @model_validator(mode="after")
    def _amounts_have_numbers(self) -> MoneyPattern:
        groups = split_roles(self.roles)
        for group in groups:
            if not set(NUMBER_ROLES) & set(group):
                raise ValueError("every amount needs a 'number', 'compound', 'subunit' or 'vague' token")
        wanted = 1 if self.combine else len(groups)
        if self.qualifiers is not None and len(self.qualifiers) != wanted:
            raise ValueError(f"{wanted} amounts but {len(self.qualifiers)} qualifiers")
        return self


def split_roles(roles: Sequence[T_co], role_of: Callable[[T_co], str] = str) -> list[list[T_co]]:
    """Cut a match (or a pattern's roles) into its amounts.

    An amount ends at a `link` token ("to", "and", "-"), and also where a new number starts after the
    current amount already has its number and a currency or minor unit ("20 dollars 43 cents"), or
    at a `subunit` ("$20 43").
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
            starts_amount = role == "subunit" or (role in NUMBER_ROLES and previous in ("currency", "minor", "scale", "compound"))
            if starts_amount and has_number:
                groups.append([])
                has_number = False
            groups[-1].append(item)
            has_number = has_number or role in NUMBER_ROLES
        previous = role
    return [group for group in groups if group] or [[]]


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
    inherit_currency: bool = False  # elliptical: takes the currency of an earlier amount of its sentence


class MoneyRecognizer(RuleComponent):
    """Finds amounts of money and writes `doc._.claimex_money` and `doc.spans[spans_key]`."""

    pattern_family = "money"
    required_lists = (
        "scales", "number_words", "money_qualifiers", "money_equivalence_links", "money_equivalence_openers",
        "money_minor_units",
        "money_symbol_locales", "money_codes_excluded", "money_symbols_ignored", "money_symbols",
        "money_currency_names", "money_currency_defaults", "money_currency_fallbacks", "money_units_need_modifier",
        "money_unnamed_units", "money_vague_scales", "money_determiners", "money_amount_followers",
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
            self.unnamed_units = decimal_mapping(lists["money_unnamed_units"], source="money_unnamed_units")
            self.vague_scales = decimal_mapping(lists["money_vague_scales"], source="money_vague_scales")
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
        self.determiners = self.lexicon("money_determiners")
        self.amount_followers = self.lexicon("money_amount_followers")
        lists = self.derived_lists()
        self.matcher = compile_role_matcher(self.nlp.vocab, self.specs, lists, source=source)
        # every amount holds a numeral, a currency, a scale or a money word: the matcher runs around
        # those tokens only (`claimex.components.match_windows`)
        self.anchored = AnchoredMatcher(
            self.matcher,
            [expand_lists(spec.pattern, lists, source=source) for spec in self.specs],
            [[is_anchor_token(token, role) for token, role in zip(spec.pattern, spec.roles)] for spec in self.specs],
            [spec.id for spec in self.specs],
        )

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
            currency_glued_names=lexicon.glued_name_words(),
            currency_letter_symbols=lexicon.letter_symbol_texts(),
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
        text = partial(doc_text, doc)  # read only when a currency needs context
        for match_id, start, _end, alignment in self.anchored(doc):
            spec = self.by_key[match_id]
            roled = [(doc[start + offset], spec.roles[index]) for offset, index in enumerate(alignment)]
            candidate = self.read_match(doc, spec, roled, start, text)
            if candidate is not None:
                result.append(candidate)
        return result

    def read_match(self, doc: Doc, spec: MoneyPattern, roled: list[tuple[Token, str]], start: int, text: Callable[[], str]) -> Candidate | None:
        """Parse the amounts of one match; None when one of them does not parse."""
        groups = split_roles(roled, lambda item: item[1])
        amounts = [self.read_amount(group, text) for group in groups]
        if any(amount is None for amount in amounts) or not amounts:
            return None
        shared = share_between(tuple(a for a in amounts if a is not None))
        if not spec.inherit_currency and any(amount.currency is None and not amount.names_currency for amount in shared):
            return None
        if spec.combine:
            shared = (combine(shared),)
        if self.is_modifier_article(doc, roled) or not self.context_allows(doc, spec, roled):
            return None
        inside = [token.i for token, role in roled if role not in OUTSIDE_ROLES]
        return Candidate(spec.id, self.order[spec.id], min(inside), max(inside), start, shared, spec.qualifiers, spec.inherit_currency)

    def context_allows(self, doc: Doc, spec: MoneyPattern, roled: list[tuple[Token, str]]) -> bool:
        """The row flags that look outside the match: the token before it and the token after it."""
        first, last = roled[0][0], roled[-1][0]
        follows = doc[last.i + 1] if last.i + 1 < len(doc) else None
        if spec.not_after_determiner and first.i > 0 and doc[first.i - 1].lower_ in self.determiners:
            return False
        ends_here = follows is None or (follows.is_punct and follows.text != "%") or follows.is_space
        if spec.before_punct_only and not ends_here:
            return False
        needs_follower = spec.inherit_currency or spec.not_before_noun
        return not needs_follower or ends_here or follows.lower_ in self.amount_followers

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

    def read_amount(self, group: list[tuple[Token, str]], text: Callable[[], str]) -> Amount | None:
        """One amount from its tokens and their roles."""
        if not group:
            return None
        numbers: list[str] = []
        multiplier = Decimal(1)
        has_scale = False
        phrases: list[list[str]] = []
        codes: list[str | None] = []
        names_money = False  # a word that says "money" without naming a currency ("grand")
        previous = ""
        for token, role in group:
            if role == "subunit":  # "43" in "$20 43": hundredths of the amount it follows
                value = parse_subunit(token.text, number_words=self.number_words)
                if value is None:
                    return None
                numbers.append(str(value))
                multiplier *= Decimal("0.01")
            elif role == "unnamed":
                multiplier *= self.unnamed_units[token.lower_]
                has_scale = has_scale or self.unnamed_units[token.lower_] >= 1000
                names_money = True
            elif role == "vague":  # "billions", "tens" "of" "millions"
                if not numbers:
                    numbers.append("1")
                multiplier *= self.vague_scales[token.lower_]
                has_scale = True
            elif role == "currency":
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
        return Amount(tokens[0].i, tokens[-1].i, raw, multiplier, has_scale, currency, bool(codes) or names_money)

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
        longest = min(self.max_qualifier, start)
        before = tuple(doc[i].lower_ for i in range(start - longest, start))  # read once, then its endings
        for size in range(longest, 0, -1):
            words = before[longest - size:]
            if words in self.qualifier_phrases:
                return self.qualifier_phrases[words], start - size
        return "exact", start

    @staticmethod
    def resolve_elliptical(doc: Doc, chosen: list[Candidate]) -> list[Candidate]:
        """Give elliptical amounts ("the four billion it already received") the currency of the last
        amount with a currency and a scale earlier in the same sentence; drop those without one.

        One pass over the candidates in text order, looking at each gap between neighbours once.
        """
        result: list[Candidate] = []
        antecedent: Amount | None = None
        previous_last = -1
        for candidate in chosen:
            if antecedent is not None and any(doc[i].is_sent_start for i in range(previous_last + 1, candidate.first + 1)):
                antecedent = None
            previous_last = candidate.last
            if candidate.inherit_currency:
                if antecedent is None or not all(a.has_scale and a.currency is None for a in candidate.amounts):
                    continue
                amounts = tuple(replace(a, currency=antecedent.currency) for a in candidate.amounts)
                candidate = replace(candidate, amounts=amounts)
            else:
                scaled = [a for a in candidate.amounts if a.currency is not None and a.has_scale]
                if scaled:
                    antecedent = scaled[-1]
            result.append(candidate)
        return result

    def restates(self, doc: Doc, start: int, end: int) -> bool:
        """Whether the tokens [start, end) between two amounts make the second a restatement of the first:
        there are some, all are `money_equivalence_links` and one is an opener. Read up to the first
        token that is not a link: amounts far apart are told at once."""
        words: list[str] = []
        for i in range(start, end):
            word = doc[i].lower_
            if word not in self.equivalence_links:
                return False
            words.append(word)
        return any(word in self.equivalence_openers for word in words)

    def mentions(self, doc: Doc, chosen: list[Candidate]) -> list[MoneyMention]:
        """Turn the chosen candidates into mentions: qualifiers, then restatements."""
        rows: list[tuple[Amount, str, int, str]] = []  # amount, qualifier, qualifier start, rule
        for candidate in self.resolve_elliptical(doc, chosen):
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
                if (
                    amount.currency is not None
                    and before.currency is not None
                    and amount.currency != before.currency
                    and self.restates(doc, before.last + 1, starts_at)
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
