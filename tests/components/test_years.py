"""claimex_years on spacy.blank("en"): years, decades, centuries, ranges, fiscal years, and numbers that are not years."""

from __future__ import annotations

from collections.abc import Callable
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
        ("in the 19th century", ("the 19th century", 1801, 1900, "century")),
        ("a 21st-century economy", ("21st-century", 2001, 2100, "century")),
        ("the twenty-first century", ("the twenty-first century", 2001, 2100, "century")),
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
