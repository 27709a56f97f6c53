"""claimex_years: years, decades, centuries, ranges of years and fiscal years.

Rules are data. `patterns/years.jsonl` holds spaCy Matcher token patterns; each row names the `kind`
it finds (year | decade | century | range | fiscal) and gives every pattern token a **role**
(validated by `YearPattern`):

    year     a token that writes one year ("1958", "'82", "mid-2011", "FY2019", "1/1/2015")
    start    the first year of a range; `end` its last ("2007" ... "18")
    range    one token that writes a whole range ("2007–18", "2019/20")
    decade   the tokens of a decade ("1950s", "90s", "nineteen" "seventies")
    century  the ordinal of a century ("19th", "nineteenth")
    word     inside the mention without value ("the", "Between", "and", "century")
    cue      matched but outside the mention: context that makes a number a year ("in", "since")

Row flags cover what a token pattern cannot say: `not_before_lower` drops a match followed by a
lower-case word ("1958 people"; a match at the end of the text is kept), `not_in_name` one that ends
title-cased before a title-cased word ("20th Century Fox"), and `after_year` keeps a match only when
its first token lies inside a year another pattern found ("in 1994, 1995 and 1997").

A bare four-digit number is a year only with context, so "1958 people" and "2,000 tonnes" are not
years: a context word before it (`year_context_words`: "in 1958", "since 2007"), a date around it,
"'s" after it ("2018's election"), a determiner before and a word after it ("the 2018 election"), or
no lower-case word after it ("in 1958, ...", "(2008)"). Then:

- a year written as a bare number ("2000", "1500-2000") is dropped after `year_blockers_before`
  ("about 2000", "No. 1958") or a currency sign or code ("$2018" is money); one written with a month,
  a quarter or slashes ("about 2019 q1", "- 5/7/2020") is a date whatever precedes it. Any year is
  dropped before `year_blockers_after` ("1500 GMT", "the 5th century BC");
- a year inside an amount of money (`doc._.claimex_money`, when claimex_money ran first) is dropped;
- overlapping mentions: the longest wins, then the earlier, then the earlier pattern;
- a range of two consecutive years written "2019-20" or "2019/2020" is a fiscal year (see
  `claimex.normalize.years.is_fiscal_pair`); two-digit years get their century from the rule in
  `claimex.normalize.years`;
- two single years whose dates make one range ("from April 2016 to June 2017", "Nov 18 2014 - Dec 19
  2015") are joined (`join_date_ranges`, rule "range.dates");
- a year followed by a range word and a word of the time of writing ("between Jan 2019 and today",
  "from 2010-01-01 till current date"; `year_reference_ends`, `year_reference_modifiers`) is a range
  ending in the year of the article's reference date, when the caller gives one in
  `doc._.claimex_reference_date` (its publication date: a `datetime.date`, an ISO 8601 string or a
  year); without it the year stays a single year (rule "range.to_reference");
- with a reference date, patterns whose tokens have the roles `shift`, `unit` and maybe `count`
  ("last year", "earlier this month", "two years ago", "18 months ago") name the year reached by
  moving the reference date `count` x `shift` units (`year_relative_shifts`: last -1, this 0, next
  +1, ago -1; `year_relative_units`: months per unit), so "last month" in a January article is the
  year before. They need the reference's month when the move is not whole years, and are not read
  after a `year_determiners` word ("the last year" is a span of time, "his next year" someone's)
  or when the unit starts a compound ("this year-long inquiry"). Their rule ids start with
  "year.relative"; expressions relative to another event ("a year earlier", "the previous year")
  are not read. Without a reference date their matcher does not run.

Conventions: ranges are inclusive ("2007-2018" and "between 2007 and 2018" end in 2018, as readers
and the project's own gold read them; TIMEX3 and Recognizers resolve such ranges end-exclusive);
"the 19th century" is 1800-1899 (the news sense, not the strict 1801-1900); a decade written without
its century ("the '90s", "the seventies") follows the fixed two-digit rule of `claimex.normalize.years`
(the 1990s, the 1970s; "the '20s" the 2020s), never today's date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace
from typing import Literal

from pydantic import model_validator
from spacy.language import Language
from spacy.tokens import Doc, Token

from claimex.annotations import CharSpan, YearMention
from claimex.components.base import RuleComponent
from claimex.components.match_windows import AnchoredMatcher, lower_words
from claimex.components.role_patterns import (
    RolePattern,
    char_span,
    compile_role_matcher,
    pattern_lists,
)
from claimex.normalize.currency import has_currency_sign, is_currency_code
from claimex.normalize.numbers import decimal_mapping
from claimex.normalize.years import (
    century_bounds,
    is_fiscal_pair,
    parse_decade,
    parse_ordinal,
    parse_range,
    parse_year,
    reference_month,
    split_range_token,
)
from claimex.patterns import RuleDataError, expand_lists, validate_rows

FACTORY = "claimex_years"
SPANS_KEY = "claimex_years"
SPAN_LABEL = "YEAR"

YearKind = Literal["year", "decade", "century", "range", "fiscal"]
YearRole = Literal["cue", "word", "year", "start", "end", "range", "decade", "century", "shift", "unit", "count"]
VALUE_ROLES = frozenset({"year", "start", "end", "range", "decade", "century"})
RELATIVE_ROLES = frozenset({"shift", "unit", "count"})
MAPPING_LISTS = ("year_decade_words", "year_ordinals", "number_words", "year_relative_shifts", "year_relative_units")
RANGE_RULE = "range.dates"  # the code rule that joins two dated years into one range
REFERENCE_RULE = "range.to_reference"  # the code rule that ends a range at the reference date
REFERENCE_KEY = "claimex_reference_date"  # Doc extension: the date the article's "today" refers to
MAX_RANGE_GAP = 8  # tokens between the two years of a range of dates ("to the end of", "- Dec 19")
DAY_OR_QUARTER = re.compile(r"^(?:(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?|[QqHh][1-4])$")


class YearPattern(RolePattern):
    """One row of `years.jsonl`: the kind it finds and a role per token."""

    kind: YearKind
    roles: tuple[YearRole, ...]
    after_year: bool = False  # kept only when the match's first token is inside a year found otherwise
    not_before_lower: bool = False  # dropped when a lower-case word follows ("1958 people")
    not_in_name: bool = False  # dropped when it ends title-cased before a title-cased word ("20th Century Fox")
    not_after_determiner: bool = False  # dropped after a `year_determiners` word ("the last year", "his next year")

    @model_validator(mode="after")
    def _has_value_roles(self) -> YearPattern:
        roles = set(self.roles)
        if roles & RELATIVE_ROLES:
            if roles & VALUE_ROLES or "unit" not in roles or "shift" not in roles or self.roles.count("unit") > 1:
                raise ValueError("a relative pattern has one 'unit' token, a 'shift' token and no written year")
            if self.kind != "year":
                raise ValueError("a relative pattern finds a single year: its kind is 'year'")
            return self
        if not roles & {"year", "start", "range", "decade", "century"}:
            raise ValueError("a year pattern needs a 'year', 'start', 'range', 'decade' or 'century' token")
        if ("start" in roles) != ("end" in roles):
            raise ValueError("'start' and 'end' go together")
        return self

    @property
    def relative(self) -> bool:
        """Whether the pattern counts from the reference date ("last year") instead of writing a year."""
        return "unit" in self.roles


@dataclass(frozen=True)
class YearCandidate:
    """One year mention read from a match, with its token range for overlaps."""

    first: int
    last: int
    order: int
    mention: YearMention
    anchor: int | None = None  # for `after_year` patterns: the token that must be inside another year
    cued: bool = False  # a cue of the match stands right before it ("later than 2020"): blockers do not apply


class YearRecognizer(RuleComponent):
    """Finds years and writes `doc._.claimex_years` and `doc.spans[spans_key]`."""

    pattern_family = "years"
    required_lists = (
        "months", "number_words", "year_context_words", "year_determiners", "year_blockers_before",
        "year_blockers_after", "year_decade_words", "year_ordinals", "year_period_modifiers",
        "year_range_links", "year_range_openers", "year_range_fillers", "year_reference_ends",
        "year_reference_modifiers", "year_relative_shifts", "year_relative_units",
    )

    def __init__(self, nlp: Language, name: str, *, spans_key: str = SPANS_KEY) -> None:
        super().__init__(nlp, name)
        self.spans_key = spans_key

    def build(self) -> None:
        """Validate the patterns, read the word lists and build the matcher."""
        source = f"{self.name} patterns"
        self.specs: list[YearPattern] = validate_rows(self.patterns, YearPattern, source)
        self.order = {spec.id: index for index, spec in enumerate(self.specs)}
        self.by_key = {self.nlp.vocab.strings.add(spec.id): spec for spec in self.specs}
        try:
            self.decade_words = {k: int(v) for k, v in decimal_mapping(self.lists["year_decade_words"], source="year_decade_words").items()}
            self.ordinal_words = {k: int(v) for k, v in decimal_mapping(self.lists["year_ordinals"], source="year_ordinals").items()}
            self.century_words = {
                k: int(v) for k, v in decimal_mapping(self.lists["number_words"], source="number_words").items() if v == int(v)
            }
            self.relative_shifts = integer_mapping(self.lists["year_relative_shifts"], "year_relative_shifts")
            self.relative_units = integer_mapping(self.lists["year_relative_units"], "year_relative_units")
        except ValueError as error:
            raise RuleDataError(f"{self.name}: {error}") from error
        self.blockers_before = self.lexicon("year_blockers_before")
        self.blockers_after = self.lexicon("year_blockers_after")
        self.range_links = self.lexicon("year_range_links")
        self.range_openers = self.lexicon("year_range_openers")
        self.range_fillers = self.lexicon("year_range_fillers")
        self.reference_ends = self.lexicon("year_reference_ends")
        self.reference_modifiers = self.lexicon("year_reference_modifiers")
        self.months = frozenset(self.lists["months"])
        lists = pattern_lists(self.lists, MAPPING_LISTS)
        written = [spec for spec in self.specs if not spec.relative]
        relative = [spec for spec in self.specs if spec.relative]
        self.check_relative_words(relative, lists, source)
        self.matcher = compile_role_matcher(self.nlp.vocab, written, lists, source=source)
        # every year, decade, century or range holds a year, a decade word or an ordinal: the matcher
        # runs around those tokens only (`claimex.components.match_windows`)
        self.anchored = AnchoredMatcher(
            self.matcher,
            [expand_lists(spec.pattern, lists, source=source) for spec in written],
            [[role in VALUE_ROLES for role in spec.roles] for spec in written],
            [spec.id for spec in written],
        )
        # relative years ("last year") need the article's reference date: their matcher runs only then,
        # and only around the words of their units ("year", "months")
        self.relative_matcher = None
        if relative:
            self.relative_matcher = AnchoredMatcher(
                compile_role_matcher(self.nlp.vocab, relative, lists, source=source),
                [expand_lists(spec.pattern, lists, source=source) for spec in relative],
                [[role == "unit" for role in spec.roles] for spec in relative],
                [spec.id for spec in relative],
            )
        self.determiners = self.lexicon("year_determiners")

    def check_relative_words(self, specs: list[YearPattern], lists: dict[str, tuple[str, ...]], source: str) -> None:
        """Every word a relative pattern's `shift` or `unit` token can match must have a value in
        `year_relative_shifts` or `year_relative_units`, so no match is left without one.

        Raises:
            RuleDataError: a word has no value; the message names the pattern and the list.
        """
        for spec in specs:
            for token, role in zip(expand_lists(spec.pattern, lists, source=source), spec.roles):
                values = {"shift": self.relative_shifts, "unit": self.relative_units}.get(role)
                if values is None:
                    continue
                words = lower_words(token)
                if words is None:
                    raise RuleDataError(f"{source}: pattern {spec.id}: a {role!r} token must be a LOWER word or LOWER IN list")
                missing = sorted(words - set(values))
                if missing:
                    raise RuleDataError(f"{source}: pattern {spec.id}: {missing} have no value in year_relative_{role}s")

    def process(self, doc: Doc) -> Doc:
        """Find the candidates, drop those that are not years, keep the best non-overlapping ones."""
        money = tuple(sorted(m.span for m in (doc._.claimex_money or ())))
        candidates = [c for c in self.candidates(doc) if self.acceptable(doc, c, money)]
        reference_date = reference_month(doc._.get(REFERENCE_KEY))
        if reference_date is not None and self.relative_matcher is not None:
            candidates += [c for c in self.relative_candidates(doc, reference_date) if self.acceptable(doc, c, money)]
        joined = self.join_date_ranges(doc, self.select(candidates))
        reference = reference_date[0] if reference_date is not None else None
        if reference is not None and self.reference_ends:
            joined = [self.extend_to_reference(doc, c, reference) for c in joined]
        mentions = [c.mention for c in joined]
        doc._.claimex_years = tuple(mentions)
        doc.spans[self.spans_key] = [doc.char_span(m.span.start, m.span.end, label=SPAN_LABEL) for m in mentions]
        return doc

    def candidates(self, doc: Doc) -> list[YearCandidate]:
        """Every match whose year tokens parse."""
        found: list[YearCandidate] = []
        for match_id, start, _end, alignment in self.anchored(doc):
            spec = self.by_key[match_id]
            roled = [(doc[start + offset], spec.roles[index]) for offset, index in enumerate(alignment)]
            inside = [token for token, role in roled if role != "cue"]
            bounds = self.read_bounds(spec.kind, roled)
            if bounds is None or not inside:
                continue
            follows = doc[inside[-1].i + 1] if inside[-1].i + 1 < len(doc) else None
            if spec.not_before_lower and follows is not None and follows.is_lower:
                continue
            if spec.not_in_name and follows is not None and inside[-1].is_title and follows.is_title and follows.is_alpha:
                continue
            start_year, end_year, kind = bounds
            mention = YearMention(char_span(inside), start_year, end_year, kind, spec.id)
            anchor = start if spec.after_year else None
            cued = any(role == "cue" and token.i == inside[0].i - 1 for token, role in roled)
            found.append(YearCandidate(inside[0].i, inside[-1].i, self.order[spec.id], mention, anchor, cued))
        return found

    def relative_candidates(self, doc: Doc, reference: tuple[int, int | None]) -> list[YearCandidate]:
        """The years that relative expressions name, counted from the reference (year, month).

        "last year" is the reference's year minus one, "a year ago" too; "last month" and "last quarter"
        are the year of the reference date moved back 1 or 3 months, so they need its month (without
        one they are not read). A match after a `year_determiners` word is a span of time or someone's
        year ("the last year", "his next year") when its pattern says `not_after_determiner`.
        """
        assert self.relative_matcher is not None
        found: list[YearCandidate] = []
        for match_id, start, end, alignment in self.relative_matcher(doc):
            spec = self.by_key[match_id]
            if spec.not_after_determiner and start > 0 and doc[start - 1].lower_ in self.determiners:
                continue
            if end < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_:
                continue  # the unit begins a compound: "this year-long inquiry", "a month-old baby"
            roled = [(doc[start + offset], spec.roles[index]) for offset, index in enumerate(alignment)]
            year = self.relative_year(roled, reference)
            inside = [token for token, role in roled if role != "cue"]
            if year is None or not inside:
                continue
            mention = YearMention(char_span(inside), year, year, spec.kind, spec.id)
            found.append(YearCandidate(inside[0].i, inside[-1].i, self.order[spec.id], mention))
        return found

    def relative_year(self, roled: list[tuple[Token, str]], reference: tuple[int, int | None]) -> int | None:
        """The year `count` x `shift` units away from the reference; None when it cannot be told."""
        words = {role: token for token, role in roled}
        shift = self.relative_shifts[words["shift"].lower_]
        months = self.relative_units[words["unit"].lower_]
        count = 1
        if "count" in words:
            text = words["count"].lower_
            count = int(text) if text.isdigit() else self.century_words.get(text, 0)  # the whole `number_words`
            if count <= 0:
                return None
        year, month = reference
        moved = count * shift * months
        if moved % 12 == 0:
            return year + moved // 12
        if month is None:
            return None
        return (year * 12 + month - 1 + moved) // 12

    def read_bounds(self, kind: str, roled: list[tuple[Token, str]]) -> tuple[int, int, str] | None:
        """(start_year, end_year, kind) from the tokens of a match; None when they do not parse."""
        texts: dict[str, list[str]] = {}
        for token, role in roled:
            texts.setdefault(role, []).append(token.text)
        if "range" in texts:
            parts = split_range_token(texts["range"][0])
            if parts is None:
                return None
            first, separator, last = parts
            return self.pair(kind, first, last, separator)
        if "start" in texts:
            return self.pair(kind, texts["start"][0], texts["end"][0], "-")
        if "decade" in texts:
            bounds = parse_decade(texts["decade"], decade_words=self.decade_words, number_words=self.century_words)
            return (*bounds, kind) if bounds else None
        if "century" in texts:
            number = parse_ordinal(texts["century"], ordinal_words=self.ordinal_words)
            return (*century_bounds(number), kind) if number and 0 < number <= 21 else None
        year = parse_year(texts["year"][0]) if "year" in texts else None
        return (year, year, kind) if year is not None else None

    @staticmethod
    def pair(kind: str, first: str, last: str, separator: str) -> tuple[int, int, str] | None:
        """Bounds and kind of two written years: a range, or a fiscal year when they are one period."""
        bounds = parse_range(first, last)
        if bounds is None:
            return None
        start, end = bounds
        if kind == "range" and is_fiscal_pair(start, end, last, separator):
            kind = "fiscal"
        return start, end, kind

    def acceptable(self, doc: Doc, candidate: YearCandidate, money: tuple[CharSpan, ...]) -> bool:
        """Whether a candidate survives the blockers and the money already found."""
        span = candidate.mention.span
        # money is sorted by start: only the amounts starting before this span's end can overlap it
        k = bisect.bisect_left(money, CharSpan(span.end, span.end))
        if any(span.overlaps(amount) for amount in money[max(0, k - 4):k]):
            return False
        first = doc[candidate.first]
        if candidate.first > 0 and first.text[:1].isdigit() and not candidate.cued and self.is_bare_number(doc, candidate):
            previous = doc[candidate.first - 1]
            if previous.lower_ in self.blockers_before or has_currency_sign(previous.text) or is_currency_code(previous.text):
                return False
        if candidate.last + 1 < len(doc) and doc[candidate.last + 1].lower_ in self.blockers_after:
            return False
        return True

    def is_bare_number(self, doc: Doc, candidate: YearCandidate) -> bool:
        """Whether a mention is written as a quantity can be: numbers of digits only, maybe joined by a
        range word ("2000", "1500-2000", "1500 to 2000"). One with a month, a quarter or a date written
        with slashes ("2019 q1", "2019/aug/01", "5/7/2020") is a date whatever precedes it."""
        return all(
            token.text.isdigit() or token.lower_ in self.range_links or token.text in ("~", ",")
            for token in doc[candidate.first:candidate.last + 1]
        )

    def is_date_word(self, token: Token) -> bool:
        """A token that may stand inside a range of dates: a month, a day, a quarter or a filler word."""
        return token.text in self.months or token.lower_ in self.range_fillers or bool(DAY_OR_QUARTER.match(token.text))

    def join_date_ranges(self, doc: Doc, chosen: list[YearCandidate]) -> list[YearCandidate]:
        """Join two single years whose dates make one range: "from April 2016 to June 2017", "Nov 18 2014 -
        Dec 19 2015", "from 2007 to the end of 2008", "between 2015 June and 2018 May".

        Between the two years only months, day numbers, quarters and `year_range_fillers` may stand, with
        exactly one `year_range_links` word; "and" links only after "between" ("in 2007 and 2009" stays
        two years). The mention starts at a `year_range_openers` word before the first date, when there
        is one. Two dates of the same year give one mention of kind "year". One pass, each gap read once.
        """
        result: list[YearCandidate] = []
        for candidate in chosen:
            previous = result[-1] if result else None
            joined = self.join_pair(doc, previous, candidate) if previous is not None else None
            if joined is not None:
                result[-1] = joined
            else:
                result.append(candidate)
        return result

    def join_pair(self, doc: Doc, first: YearCandidate, second: YearCandidate) -> YearCandidate | None:
        """The range of two neighbouring year mentions, or None when they are not one (see `join_date_ranges`)."""
        a, b = first.mention, second.mention
        gap = doc[first.last + 1:second.first]
        if a.kind != "year" or b.kind != "year" or b.start_year < a.end_year or not gap or len(gap) > MAX_RANGE_GAP:
            return None
        links = [token for token in gap if token.lower_ in self.range_links]
        if len(links) != 1 or not all(token.i == links[0].i or self.is_date_word(token) for token in gap):
            return None
        start = first.first
        opener = None
        for i in range(first.first - 1, max(-1, first.first - 1 - MAX_RANGE_GAP), -1):
            if doc[i].lower_ in self.range_openers:
                opener = i
                break
            if not self.is_date_word(doc[i]):
                break
        if links[0].lower_ == "and" and (opener is None or doc[opener].lower_ != "between"):
            return None
        if opener is not None:
            start = opener
        kind = "range" if b.end_year > a.start_year else "year"
        span = CharSpan(doc[start].idx, b.span.end)
        mention = YearMention(span, a.start_year, b.end_year, kind, RANGE_RULE)
        return replace(first, first=start, last=second.last, mention=mention)

    def opener_before(self, doc: Doc, first: int) -> int | None:
        """The `year_range_openers` word before the dates that start at token `first`, if any."""
        for i in range(first - 1, max(-1, first - 1 - MAX_RANGE_GAP), -1):
            if doc[i].lower_ in self.range_openers:
                return i
            if not self.is_date_word(doc[i]):
                return None
        return None

    def extend_to_reference(self, doc: Doc, candidate: YearCandidate, reference: int) -> YearCandidate:
        """The range from a year to the reference date's year: "between Jan 2019 and today".

        After the year come one `year_range_links` word (or "and" after "between"), any
        `year_reference_modifiers` and a `year_reference_ends` word. A reference year before the
        year leaves the candidate as it is.
        """
        mention = candidate.mention
        link = candidate.last + 1
        if mention.kind != "year" or link >= len(doc) or reference < mention.end_year:
            return candidate
        end = link + 1
        while end < len(doc) and doc[end].lower_ in self.reference_modifiers and doc[end].lower_ not in self.reference_ends:
            end += 1
        if end >= len(doc) or doc[end].lower_ not in self.reference_ends:
            return candidate
        opener = self.opener_before(doc, candidate.first)
        word = doc[link].lower_
        between = opener is not None and doc[opener].lower_ == "between"
        if word not in self.range_links or (word == "and" and not between):
            return candidate
        start = opener if opener is not None else candidate.first
        kind = "range" if reference > mention.start_year else "year"
        span = CharSpan(doc[start].idx, doc[end].idx + len(doc[end].text))
        extended = YearMention(span, mention.start_year, reference, kind, REFERENCE_RULE)
        return replace(candidate, first=start, last=end, mention=extended)

    @staticmethod
    def select(candidates: list[YearCandidate]) -> list[YearCandidate]:
        """Non-overlapping candidates: longest first, then earliest, then earliest pattern.

        Candidates of `after_year` patterns come last, left to right, each kept only when its anchor
        token lies inside a year already kept: "in 1994, 1995 and 1997" chains from "in 1994".
        """
        chosen: list[YearCandidate] = []
        taken: set[int] = set()

        def take(candidate: YearCandidate) -> None:
            taken.update(range(candidate.first, candidate.last + 1))
            chosen.append(candidate)

        def free(candidate: YearCandidate) -> bool:
            return not set(range(candidate.first, candidate.last + 1)) & taken

        for candidate in sorted((c for c in candidates if c.anchor is None), key=lambda c: (-(c.last - c.first), c.first, c.order)):
            if free(candidate):
                take(candidate)
        for candidate in sorted((c for c in candidates if c.anchor is not None), key=lambda c: (c.first, c.order)):
            anchored = any(c.first <= candidate.anchor <= c.last and c.mention.kind == "year" for c in chosen)
            if anchored and free(candidate):
                take(candidate)
        return sorted(chosen, key=lambda c: c.first)


def integer_mapping(entries: tuple[str, ...], source: str) -> dict[str, int]:
    """A `word = whole number` word list as {word: int}.

    Raises:
        ValueError: a value is not a whole number.
    """
    values = decimal_mapping(entries, source=source)
    for word, value in values.items():
        if value != int(value):
            raise ValueError(f"word list {source!r}: {value} (for {word!r}) is not a whole number")
    return {word: int(value) for word, value in values.items()}


if not Doc.has_extension(REFERENCE_KEY):
    Doc.set_extension(REFERENCE_KEY, default=None)


@Language.factory(
    FACTORY,
    assigns=[f"doc._.{SPANS_KEY}", "doc.spans"],
    default_config={"spans_key": SPANS_KEY},
)
def make_years(nlp: Language, name: str, spans_key: str) -> YearRecognizer:
    """Rule-based year recognizer (see the module docstring); patterns arrive through `initialize`."""
    return YearRecognizer(nlp, name, spans_key=spans_key)
