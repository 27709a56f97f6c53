"""claimex_years on spacy.blank("en"): years, decades, centuries, ranges, fiscal years, and numbers that are not years."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import claimex.components  # noqa: F401  (registers the factories)
from claimex.components.years import YearRecognizer
from claimex.patterns import RuleDataError
from claimex.resources import default_word_lists

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# the seed article whose years the acceptance gold lists (found by content, not by name)
SEED = next(path for path in sorted(SEEDS.glob("*.txt")) if "Between 2007 and 2018" in path.read_text(encoding="utf-8"))
Found = tuple[str, int, int, str]  # span text, start year, end year, kind


@pytest.fixture(scope="module")
def nlp(make_nlp: Callable[..., Language]) -> Language:
    return make_nlp("claimex_years")


@pytest.fixture(scope="module")
def nlp_with_money(make_nlp: Callable[..., Language]) -> Language:
    return make_nlp("claimex_money", "claimex_years")


def found(nlp: Language, text: str) -> list[Found]:
    doc = nlp(text)
    return [(doc.text[y.span.start:y.span.end], y.start_year, y.end_year, y.kind) for y in doc._.claimex_years]


def test_seed_article_has_exactly_its_three_years(nlp_with_money: Language) -> None:
    assert found(nlp_with_money, SEED.read_text(encoding="utf-8")) == [
        ("1958", 1958, 1958, "year"),
        ("the 1950s", 1950, 1959, "decade"),
        ("Between 2007 and 2018", 2007, 2018, "range"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ties were set up in 1958.", ("1958", 1958, 1958, "year")),
        ("the school has grown since 2007", ("2007", 2007, 2007, "year")),
        ("the 2018 election", ("2018", 2018, 2018, "year")),
        ("2018's election", ("2018", 2018, 2018, "year")),
        ("the company's 1989 results", ("1989", 1989, 1989, "year")),
        ("bonds due 1993 and warrants", ("1993", 1993, 1993, "year")),
        ("the class of '82", ("'82", 1982, 1982, "year")),
        ("It was founded in 1958, not later.", ("1958", 1958, 1958, "year")),
        ("Expo (2010) opened", ("2010", 2010, 2010, "year")),
        ("2008", ("2008", 2008, 2008, "year")),
        ("by mid-2011 the plan", ("mid-2011", 2011, 2011, "year")),
        ("March 01, 2008", ("2008", 2008, 2008, "year")),
        ("on Sept. 27, 1989, the board", ("1989", 1989, 1989, "year")),
        ("in May 2008 prices", ("2008", 2008, 2008, "year")),
        ("on 1/1/2015 it began", ("1/1/2015", 2015, 2015, "year")),
        ("on 2002-10-09 it began", ("2002-10-09", 2002, 2002, "year")),
        ("in 2016-11 (a month)", ("2016", 2016, 2016, "year")),
    ],
)
def test_single_year(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("relations predate the 1950s", ("the 1950s", 1950, 1959, "decade")),
        ("in the early 1980s", ("the early 1980s", 1980, 1989, "decade")),
        ("in the '90s", ("the '90s", 1990, 1999, "decade")),
        ("in the ’90s", ("the ’90s", 1990, 1999, "decade")),
        ("in the nineties", ("the nineties", 1990, 1999, "decade")),
        ("in the nineteen seventies", ("the nineteen seventies", 1970, 1979, "decade")),
        ("in the 1970's", ("the 1970's", 1970, 1979, "decade")),
        ("in the mid-1990s", ("the mid-1990s", 1990, 1999, "decade")),
        ("in the 19th century", ("the 19th century", 1800, 1899, "century")),
        ("a 21st-century economy", ("21st-century", 2000, 2099, "century")),
        ("the twenty-first century", ("the twenty-first century", 2000, 2099, "century")),
    ],
)
def test_decades_and_centuries(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Between 2007 and 2018, trade tripled.", ("Between 2007 and 2018", 2007, 2018, "range")),
        ("from 2007 to 2018", ("from 2007 to 2018", 2007, 2018, "range")),
        ("in 2007-2018", ("2007-2018", 2007, 2018, "range")),
        ("in 2007–18", ("2007–18", 2007, 2018, "range")),
        ("in 1998–03", ("1998–03", 1998, 2003, "range")),
        ("from May 2015 to March 2017", ("from May 2015 to March 2017", 2015, 2017, "range")),
        ("FY2019", ("FY2019", 2019, 2019, "fiscal")),
        ("in FY19", ("FY19", 2019, 2019, "fiscal")),
        ("in fiscal 2019", ("fiscal 2019", 2019, 2019, "fiscal")),
        ("the fiscal year 2019 budget", ("fiscal year 2019", 2019, 2019, "fiscal")),
        ("in 2019/20", ("2019/20", 2019, 2020, "fiscal")),
        ("in 2019-20", ("2019-20", 2019, 2020, "fiscal")),
        ("in FY2019-20", ("FY2019-20", 2019, 2020, "fiscal")),
    ],
)
def test_ranges_and_fiscal_years(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


def test_coordinated_years_follow_a_year(nlp: Language) -> None:
    assert [y[0] for y in found(nlp, "in 1994, 1995 and 1997 prices rose")] == ["1994", "1995", "1997"]


@pytest.mark.parametrize(
    "text",
    [
        "almost a century of friendship",
        "1958 people signed it",
        "2,000 tonnes of grain",
        "1500 and 2000 troops",
        "about 2000 protesters",
        "at 1500 GMT",
        "in the 5th century BC",
        "the Russell 2000 Index rose",
        "It rose 5 percent in the decade.",
        "Call 555-2018 now.",
        "No. 1958 on the list.",
    ],
)
def test_numbers_that_are_not_years(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


def test_amount_of_money_is_not_a_year(nlp: Language, nlp_with_money: Language) -> None:
    assert found(nlp_with_money, "He paid $2018 in 2019.") == [("2019", 2019, 2019, "year")]
    assert found(nlp, "He paid $2018 in 2019.") == [("2019", 2019, 2019, "year")]
    assert found(nlp_with_money, "a $2,000 fee in the 2018 budget") == [("2018", 2018, 2018, "year")]


def test_rule_names_the_pattern(nlp: Language) -> None:
    assert [y.rule for y in nlp("in 1958 and the 1950s")._.claimex_years] == ["year.context", "decade.digits"]


def test_spans_mirror_the_mentions(nlp: Language) -> None:
    doc = nlp("Between 2007 and 2018, and since 1958.")
    assert [(s.text, s.label_) for s in doc.spans["claimex_years"]] == [("Between 2007 and 2018", "YEAR"), ("1958", "YEAR")]


def test_works_standalone_without_initialize() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_years")
    assert [(y.start_year, y.end_year) for y in nlp("in the 1950s")._.claimex_years] == [(1950, 1959)]


def test_start_and_end_roles_go_together() -> None:
    component = YearRecognizer(spacy.blank("en"), "claimex_years")
    bad = [{"id": "year.bad", "kind": "range", "pattern": [{"TEXT": "x"}], "roles": ["start"]}]
    with pytest.raises(RuleDataError, match="year.bad"):
        component.initialize(patterns=bad, lists=default_word_lists())


def test_unknown_kind_is_rejected() -> None:
    component = YearRecognizer(spacy.blank("en"), "claimex_years")
    bad = [{"id": "year.bad", "kind": "era", "pattern": [{"TEXT": "x"}], "roles": ["year"]}]
    with pytest.raises(RuleDataError, match="year.bad"):
        component.initialize(patterns=bad, lists=default_word_lists())


@settings(max_examples=60, deadline=None)
@given(year=st.integers(min_value=1500, max_value=2099), context=st.sampled_from(["in", "since", "until", "during"]))
def test_year_after_context_round_trips(nlp: Language, year: int, context: str) -> None:
    assert found(nlp, f"It happened {context} {year}.") == [(str(year), year, year, "year")]


@settings(max_examples=60, deadline=None)
@given(start=st.integers(min_value=1500, max_value=2090), length=st.integers(min_value=1, max_value=9))
def test_between_range_round_trips(nlp: Language, start: int, length: int) -> None:
    text = f"between {start} and {start + length}"
    assert found(nlp, f"Prices rose {text}.") == [(text, start, start + length, "range")]


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("0123456789 '’-–/sthe FYinc,.")), max_size=50))
def test_any_text_gives_offsets_that_slice_back(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for mention, span in zip(doc._.claimex_years, doc.spans["claimex_years"], strict=True):
        assert doc.text[mention.span.start:mention.span.end] == span.text
        assert mention.start_year <= mention.end_year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What is the april 2017 bonus?", ("2017", 2017, 2017, "year")),
        ("plans for Dec-2018", ("Dec-2018", 2018, 2018, "year")),
        ("on 05-Aug-2016", ("Aug-2016", 2016, 2016, "year")),
        ("out 2016/11", ("2016/11", 2016, 2016, "year")),
        ("out 11 - 2016", ("11 - 2016", 2016, 2016, "year")),
        ("in 2019 q1", ("2019 q1", 2019, 2019, "year")),
        ("during 2016H2", ("2016H2", 2016, 2016, "year")),
        ("no later than 2020", ("2020", 2020, 2020, "year")),
        ("for 2018 or later", ("2018", 2018, 2018, "year")),
        ("sales at Christmas 2019 rose", ("2019", 2019, 2019, "year")),
    ],
)
def test_years_in_dates_and_periods(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from 2007 to the end of 2008", ("from 2007 to the end of 2008", 2007, 2008, "range")),
        ("between 2007 and the end of 2008", ("between 2007 and the end of 2008", 2007, 2008, "range")),
        ("sales from April in 2016 to June in 2017 fell", ("from April in 2016 to June in 2017", 2016, 2017, "range")),
        ("It ran Nov 18 2014 - Dec 19 2015.", ("2014 - Dec 19 2015", 2014, 2015, "range")),
        ("from June 26, 2020 to June 28, 2020", ("from June 26, 2020 to June 28, 2020", 2020, 2020, "year")),
    ],
)
def test_two_dates_make_one_range(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


def test_coordinated_years_are_not_joined_into_a_range(nlp: Language) -> None:
    assert [(y[1], y[2]) for y in found(nlp, "in 2007 and 2009 prices rose")] == [(2007, 2007), (2009, 2009)]


@pytest.mark.parametrize(
    "text",
    [
        "This image released by 20th Century Fox shows the cast.",
        "He scored 11 - 2 in the final.",
        "about 2000 protesters in q1",
        "more than 2015 votes",
    ],
)
def test_look_alikes_of_the_new_forms_are_not_years(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


MONTHS = st.sampled_from(["January", "Feb.", "March", "Sept.", "december", "june"])


@settings(max_examples=60, deadline=None)
@given(year=st.integers(min_value=1500, max_value=2099), month=MONTHS, day=st.integers(min_value=1, max_value=28))
def test_year_of_a_written_date_round_trips(nlp: Language, year: int, month: str, day: int) -> None:
    assert found(nlp, f"It opened on {month} {day}, {year}.") == [(str(year), year, year, "year")]


@settings(max_examples=60, deadline=None)
@given(number=st.integers(min_value=1, max_value=21))
def test_century_round_trips(nlp: Language, number: int) -> None:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    text = f"the {number}{suffix} century"
    assert found(nlp, f"It dates from {text}.") == [(text, 100 * (number - 1), 100 * number - 1, "century")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("How about 2019 q1", ("2019 q1", 2019, 2019, "year")),
        ("How about 2019-Q1", ("2019-Q1", 2019, 2019, "year")),
        ("How about 2019/aug/01", ("2019/aug/01", 2019, 2019, "year")),
        ("January first 2000 was special", ("2000", 2000, 2000, "year")),
        ("on March the fifth, 1990", ("1990", 1990, 1990, "year")),
        ("Wed Oct 26 15:50:06 2016 is logged", ("2016", 2016, 2016, "year")),
        ("out 2016 the third quarter", ("2016 the third quarter", 2016, 2016, "year")),
        ("leave from 5/1-5/7/2020", ("5/1-5/7/2020", 2020, 2020, "year")),
        ("presidents in the 1990 s", ("the 1990 s", 1990, 1999, "decade")),
        ("In 70's music", ("70's", 1970, 1979, "decade")),
    ],
)
def test_dates_written_around_a_year(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


def test_two_numeric_dates_make_one_range(nlp: Language) -> None:
    assert found(nlp, "from 5/1/2019-5/7/2020") == [("from 5/1/2019-5/7/2020", 2019, 2020, "range")]


def test_glued_quarter_needs_the_hyphen_glued(nlp: Language) -> None:
    assert found(nlp, "from q1 of 2017 - q3 of 2018") == [("from q1 of 2017 - q3 of 2018", 2017, 2018, "range")]


@pytest.mark.parametrize(
    "text",
    [
        "about 1500-2000 protesters",
        "about 1500 to 2000.",
        "in his 70s",
        "in 70 seconds",
    ],
)
def test_quantities_after_blockers_stay_quantities(nlp: Language, text: str) -> None:
    assert [y for y in found(nlp, text) if y[0] in ("1500-2000", "1500 to 2000", "1990", "70")] == []


TOKEN_TEXTS = st.sampled_from(
    ["in", "the", "between", "and", "from", "to", "2007", "2018", "'90s", "1990s", "nineties", "19th", "century",
     "FY2019", "2019-20", "May", "5", ",", "-", "fiscal", "about", "people", "q1", "mid-2011", "twenty", "first", ".",
     "of", "end", "80", "'s", "s"]
)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(TOKEN_TEXTS, max_size=30))
def test_matcher_windows_find_what_the_whole_doc_gives(nlp: Language, words: list[str]) -> None:
    recognizer = nlp.get_pipe("claimex_years")
    doc = nlp.make_doc(" ".join(words))
    whole = sorted((key, start, end, tuple(a)) for key, start, end, a in recognizer.matcher(doc, with_alignments=True))
    windowed = sorted((key, start, end, tuple(a)) for key, start, end, a in recognizer.anchored(doc))
    assert windowed == whole


def found_at(nlp: Language, text: str, reference: object) -> list[Found]:
    doc = nlp.make_doc(text)
    doc._.claimex_reference_date = reference
    doc = nlp(doc)
    return [(doc.text[y.span.start:y.span.end], y.start_year, y.end_year, y.kind) for y in doc._.claimex_years]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("docked between Jan 2019 and today", "2020-04-26T00:00:00", ("between Jan 2019 and today", 2019, 2020, "range")),
        ("rows from 2010-01-01 till current date", "2021-06-18", ("from 2010-01-01 till current date", 2010, 2021, "range")),
        ("completed between Aug 2019 and now", date(2020, 5, 6), ("between Aug 2019 and now", 2019, 2020, "range")),
        ("prices since 2015 to the present", 2020, ("2015 to the present", 2015, 2020, "range")),
        ("between May 2020 and now", 2020, ("between May 2020 and now", 2020, 2020, "year")),
    ],
)
def test_range_to_the_time_of_writing_ends_in_the_reference_year(nlp: Language, text: str, reference: object, expected: Found) -> None:
    assert found_at(nlp, text, reference) == [expected]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("docked between Jan 2019 and today", None),  # no reference date: the year alone
        ("docked between Jan 2019 and today", "not a date"),
        ("docked between Jan 2019 and today", 2015),  # a reference before the year: left alone
        ("in Jan 2019 and now prices rise", 2020),  # "and" links only after "between"
    ],
)
def test_range_to_the_time_of_writing_needs_a_reference_after_the_year(nlp: Language, text: str, reference: object) -> None:
    assert [(y[1], y[2]) for y in found_at(nlp, text, reference)] == [(2019, 2019)]


@settings(max_examples=60, deadline=None)
@given(year=st.integers(min_value=1900, max_value=2090), ahead=st.integers(min_value=0, max_value=9))
def test_reference_range_round_trips(nlp: Language, year: int, ahead: int) -> None:
    text = f"It grew from March {year} to date."
    kind = "range" if ahead else "year"
    assert found_at(nlp, text, f"{year + ahead}-06-30") == [(f"from March {year} to date", year, year + ahead, kind)]


def test_the_date_of_a_jsonl_article_is_its_reference_date() -> None:
    from claimex.extractor import Extractor
    from claimex.io import read_jsonl_bytes

    rows = b'{"id": "a", "text": "Sales grew between Jan 2019 and today.", "date": "2020-04-26"}\n' \
        b'{"id": "b", "text": "Sales grew between Jan 2019 and today."}\n'
    articles = list(read_jsonl_bytes(rows, source="test", stem="test"))
    assert [a.reference_date for a in articles] == ["2020-04-26", None]
    records = list(Extractor().pipe(articles))
    years = [[(y.start_year, y.end_year, y.kind) for claim in r.claims for y in claim.years] for r in records]
    assert years == [[(2019, 2020, "range")], [(2019, 2019, "year")]]


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("Sales rose last year.", "2013-03-22", ("last year", 2012, 2012, "year")),
        ("It will open next year.", date(1989, 10, 26), ("next year", 1990, 1990, "year")),
        ("Earlier this year, it fell.", "1998-10-26T22:54", ("Earlier this year", 1998, 1998, "year")),
        ("It grew early next year.", 1989, ("early next year", 1990, 1990, "year")),
        ("Prices fell last month.", "2013-01-22", ("last month", 2012, 2012, "year")),  # December of the year before
        ("Prices fall next month.", "2013-12-05", ("next month", 2014, 2014, "year")),
        ("The plant reopened last quarter.", "2013-02-10", ("last quarter", 2012, 2012, "year")),
        ("The plant reopened last quarter.", "2013-04-10", ("last quarter", 2013, 2013, "year")),
        ("It closed two years ago.", "1998-04-24", ("two years ago", 1996, 1996, "year")),
        ("It closed a year ago.", "1989-10-26", ("a year ago", 1988, 1988, "year")),
        ("It opened 18 months ago.", "2013-05-01", ("18 months ago", 2011, 2011, "year")),  # November 2011
    ],
)
def test_relative_years_count_from_the_reference_date(nlp: Language, text: str, reference: object, expected: Found) -> None:
    assert found_at(nlp, text, reference) == [expected]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Sales rose last year.", None),  # no reference date: nothing to count from
        ("Sales rose last year.", "not a date"),
        ("Sales rose last year.", "2013-13-01"),  # no 13th month
        ("Prices fell last month.", 2013),  # a month away needs the reference's month
        ("Over the last year, sales rose.", "2013-03-22"),  # a span of time, not a year
        ("In his last year in office he won.", "2013-03-22"),  # someone's year
        ("This year-long inquiry ended.", "2013-03-22"),  # a compound: a duration
        ("It closed a few years ago.", "2013-03-22"),  # no count
    ],
)
def test_relative_years_need_a_reference_and_a_reading_as_a_date(nlp: Language, text: str, reference: object) -> None:
    assert found_at(nlp, text, reference) == []


def months_away(year: int, month: int, months: int) -> int:
    """The year `months` months from (year, month), stepping one month at a time."""
    step = 1 if months > 0 else -1
    for _ in range(abs(months)):
        month += step
        if month == 13:
            year, month = year + 1, 1
        elif month == 0:
            year, month = year - 1, 12
    return year


@settings(max_examples=80, deadline=None)
@given(
    year=st.integers(min_value=1900, max_value=2090),
    month=st.integers(min_value=1, max_value=12),
    shift=st.sampled_from([("last", -1), ("this", 0), ("next", 1)]),
    unit=st.sampled_from([("year", 12), ("quarter", 3), ("month", 1)]),
)
def test_relative_year_matches_stepping_through_the_calendar(
    nlp: Language, year: int, month: int, shift: tuple[str, int], unit: tuple[str, int]
) -> None:
    text = f"It changed {shift[0]} {unit[0]}."
    expected = months_away(year, month, shift[1] * unit[1])
    assert found_at(nlp, text, f"{year}-{month:02d}-15") == [(f"{shift[0]} {unit[0]}", expected, expected, "year")]


@settings(max_examples=40, deadline=None)
@given(year=st.integers(min_value=1950, max_value=2090), month=st.integers(min_value=1, max_value=12), count=st.integers(min_value=1, max_value=40))
def test_months_ago_matches_stepping_through_the_calendar(nlp: Language, year: int, month: int, count: int) -> None:
    expected = months_away(year, month, -count)
    assert [y[1] for y in found_at(nlp, f"It opened {count} months ago.", f"{year}-{month:02d}")] == [expected]


def test_relative_pattern_words_need_values() -> None:
    component = YearRecognizer(spacy.blank("en"), "claimex_years")
    bad = [{"id": "year.bad", "kind": "year", "pattern": [{"LOWER": "previous"}, {"LOWER": "year"}], "roles": ["shift", "unit"]}]
    with pytest.raises(RuleDataError, match=r"year.bad.*previous.*year_relative_shifts"):
        component.initialize(patterns=bad, lists=default_word_lists())


def test_relative_pattern_needs_a_unit_and_a_shift() -> None:
    component = YearRecognizer(spacy.blank("en"), "claimex_years")
    bad = [{"id": "year.bad", "kind": "year", "pattern": [{"LOWER": "last"}, {"LOWER": "year"}], "roles": ["shift", "word"]}]
    with pytest.raises(RuleDataError, match="year.bad"):
        component.initialize(patterns=bad, lists=default_word_lists())


def test_relative_years_reach_the_record_through_the_jsonl_date() -> None:
    from claimex.extractor import Extractor
    from claimex.io import read_jsonl_bytes

    rows = b'{"id": "a", "text": "Sales grew last year.", "published": "2020-04-26"}\n' \
        b'{"id": "b", "text": "Sales grew last year."}\n'
    records = list(Extractor().pipe(read_jsonl_bytes(rows, source="test", stem="test")))
    years = [[(y.text, y.start_year, y.rule) for claim in r.claims for y in claim.years] for r in records]
    assert years == [[("last year", 2019, "year.relative")], []]


def test_an_unreadable_jsonl_date_is_dropped_and_said() -> None:
    from claimex.extractor import Extractor
    from claimex.io import read_jsonl_bytes

    rows = b'{"id": "a", "text": "Sales grew last year.", "date": "last Tuesday"}\n' \
        b'{"id": "b", "text": "Sales grew last year.", "date": 2016}\n'
    articles = list(read_jsonl_bytes(rows, source="test", stem="test"))
    assert [(a.reference_date, a.flags) for a in articles] == [(None, ("reference_date_ignored",)), ("2016", ())]
    records = list(Extractor().pipe(articles))
    assert [r.input_flags for r in records] == [("reference_date_ignored",), ()]
    assert [[y.start_year for claim in r.claims for y in claim.years] for r in records] == [[], [2015]]


def test_the_api_takes_a_reference_date() -> None:
    import claimex

    record = claimex.extract("Sales grew last year.", "a", reference_date=date(2021, 1, 5))
    assert [(y.text, y.start_year) for claim in record.claims for y in claim.years] == [("last year", 2020)]


def test_a_default_reference_date_dates_only_the_undated_articles() -> None:
    from claimex.io import read_jsonl_bytes, with_reference_date

    rows = b'{"id": "undated", "text": "x"}\n{"id": "bad", "text": "x", "date": "soon"}\n{"id": "own", "text": "x", "published": "2001-02"}\n'
    articles = with_reference_date(read_jsonl_bytes(rows, source="test", stem="test"), "2024-05-01")
    assert [(a.doc_id, a.reference_date) for a in articles] == [("undated", "2024-05-01"), ("bad", None), ("own", "2001-02")]


RELATIVE_TOKEN_TEXTS = st.sampled_from(
    ["the", "last", "this", "next", "year", "years", "month", "months", "quarter", "ago", "a", "two", "18", "early",
     "earlier", "his", "-", "long", ",", ".", "in", "2019"]
)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(RELATIVE_TOKEN_TEXTS, max_size=30))
def test_relative_matcher_windows_find_what_the_whole_doc_gives(nlp: Language, words: list[str]) -> None:
    relative = nlp.get_pipe("claimex_years").relative_matcher
    doc = nlp.make_doc(" ".join(words))
    whole = sorted((key, start, end, tuple(a)) for key, start, end, a in relative.matcher(doc, with_alignments=True))
    assert sorted((key, start, end, tuple(a)) for key, start, end, a in relative(doc)) == whole
