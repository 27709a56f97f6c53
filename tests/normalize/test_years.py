"""claimex.normalize.years: years, two-digit years, ranges, fiscal pairs, decades and centuries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.normalize.years import (
    century_bounds,
    expand_two_digit,
    is_fiscal_pair,
    parse_decade,
    parse_ordinal,
    parse_range,
    parse_year,
    split_range_token,
)

DECADES = {"seventies": 70, "nineties": 90, "noughties": 0}
NUMBERS = {"nineteen": 19, "twenty": 20}
ORDINALS = {"nineteenth": 19, "twenty-first": 21}


@pytest.mark.parametrize(
    ("text", "year"),
    [("1958", 1958), ("'82", 1982), ("’05", 2005), ("mid-2011", 2011), ("1/1/2015", 2015), ("FY2019", 2019), ("FY19", 2019), ("95", 1995)],
)
def test_parse_year(text: str, year: int) -> None:
    assert parse_year(text) == year


@pytest.mark.parametrize("text", ["people", "2007/2018", "123", "19581"])
def test_not_one_year(text: str) -> None:
    assert parse_year(text) is None


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [("2007", "2018", (2007, 2018)), ("2007", "18", (2007, 2018)), ("1998", "03", (1998, 2003)), ("2018", "2007", None), ("2016", "11", None)],
)
def test_parse_range(start: str, end: str, expected: tuple[int, int] | None) -> None:
    assert parse_range(start, end) == expected


def test_range_tokens_and_fiscal_pairs() -> None:
    assert split_range_token("2007–18") == ("2007", "–", "18")
    assert split_range_token("2019/20") == ("2019", "/", "20")
    assert split_range_token("FY2019-20") == ("2019", "-", "20")
    assert split_range_token("2019") is None
    assert is_fiscal_pair(2019, 2020, "20") and is_fiscal_pair(2019, 2020, "2020", "/")
    assert not is_fiscal_pair(2019, 2020, "2020", "-") and not is_fiscal_pair(2007, 2018, "18")


@pytest.mark.parametrize(
    ("words", "bounds"),
    [(["1950s"], (1950, 1959)), (["90s"], (1990, 1999)), (["1970"], (1970, 1979)), (["mid-1990s"], (1990, 1999)),
     (["nineties"], (1990, 1999)), (["nineteen", "seventies"], (1970, 1979)), (["noughties"], (2000, 2009))],
)
def test_parse_decade(words: list[str], bounds: tuple[int, int]) -> None:
    assert parse_decade(words, decade_words=DECADES, number_words=NUMBERS) == bounds


def test_centuries() -> None:
    assert century_bounds(19) == (1800, 1899)
    assert parse_ordinal(["19th"], ordinal_words=ORDINALS) == 19
    assert parse_ordinal(["twenty", "-", "first"], ordinal_words=ORDINALS) == 21
    assert parse_ordinal(["people"], ordinal_words=ORDINALS) is None


@settings(max_examples=200, deadline=None)
@given(year=st.integers(min_value=1000, max_value=2099))
def test_written_year_round_trips(year: int) -> None:
    assert parse_year(str(year)) == year
    assert parse_year(f"mid-{year}") == year


@settings(max_examples=200, deadline=None)
@given(value=st.integers(min_value=0, max_value=99))
def test_two_digit_years_land_in_one_century_window(value: int) -> None:
    year = expand_two_digit(value)
    assert 1930 <= year <= 2029 and year % 100 == value
    assert parse_year(f"'{value:02d}") == year


@settings(max_examples=200, deadline=None)
@given(start=st.integers(min_value=1500, max_value=2089), length=st.integers(min_value=1, max_value=10))
def test_abbreviated_range_round_trips(start: int, length: int) -> None:
    end = start + length
    assert parse_range(str(start), f"{end % 100:02d}") == (start, end)
    assert split_range_token(f"{start}–{end % 100:02d}") == (str(start), "–", f"{end % 100:02d}")
