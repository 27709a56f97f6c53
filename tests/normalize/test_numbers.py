"""claimex.normalize.numbers: numerals, number words, scale words and the plain amount format."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.normalize.numbers import (
    MappingError,
    decimal_mapping,
    format_amount,
    mapping_keys,
    mentions_scale,
    parse_mapping,
    parse_number_words,
    parse_numeral,
    parse_subunit,
    split_glued,
)
from claimex.resources import default_word_lists

LISTS = default_word_lists()
SCALES = decimal_mapping(LISTS["scales"], source="scales")
WORDS = decimal_mapping(LISTS["number_words"], source="number_words")


def value(text: str) -> Decimal | None:
    return parse_number_words(text.split(), number_words=WORDS, scales=SCALES)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("83", Decimal(83)), ("11.5", Decimal("11.5")), ("1,099", Decimal(1099)), ("1,000,000.25", Decimal("1000000.25"))],
)
def test_numerals(text: str, expected: Decimal) -> None:
    assert parse_numeral(text) == expected


@pytest.mark.parametrize("text", ["1,2", "12,34,567", "1.2.3", "abc", "", "1.", "-5"])
def test_not_numerals(text: str) -> None:
    assert parse_numeral(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 million", Decimal(2_000_000)),
        ("1.2bn", Decimal(1_200_000_000)),
        ("10K", Decimal(10_000)),
        ("5 lakh", Decimal(500_000)),
        ("5 crore", Decimal(50_000_000)),
        ("two hundred thousand", Decimal(200_000)),
        ("one hundred and twenty - five", Decimal(125)),
        ("twenty - five", Decimal(25)),
        ("half a billion", Decimal(500_000_000)),
        ("one and a half million", Decimal(1_500_000)),
        ("a hundred billion", Decimal(100_000_000_000)),
        ("a", Decimal(1)),
        ("two million five hundred thousand", Decimal(2_500_000)),
        ("3.5 - billion", Decimal(3_500_000_000)),
    ],
)
def test_number_words_and_scales(text: str, expected: Decimal) -> None:
    assert value(text) == expected


@pytest.mark.parametrize("text", ["five twenty", "ten and twenty", "twenty twenty", "and five", "five and", "people", "2 3", "1.2xy"])
def test_sequences_no_one_writes_are_refused(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(Decimal("83000000"), "83000000"), (Decimal("8.3E+7"), "83000000"), (Decimal("0.50"), "0.5"), (Decimal("11.500"), "11.5"), (Decimal(0), "0")],
)
def test_amount_format_is_plain(amount: Decimal, expected: str) -> None:
    assert format_amount(amount) == expected


def test_glued_scale_needs_a_known_suffix() -> None:
    assert split_glued("1.2bn", SCALES) == (Decimal("1.2"), Decimal(1_000_000_000))
    assert split_glued("5th", SCALES) is None
    assert mentions_scale(["1.2bn"], SCALES) and mentions_scale(["2", "million"], SCALES) and not mentions_scale(["2"], SCALES)


def test_mapping_lists() -> None:
    assert parse_mapping(["More  Than = more_than"], source="t") == {"more than": "more_than"}
    assert parse_mapping(["Rs = INR"], source="t", lower=False) == {"Rs": "INR"}
    assert mapping_keys(["a = 1", "half = 0.5"]) == ("a", "half")
    with pytest.raises(MappingError, match="'oops'"):
        parse_mapping(["oops"], source="t")
    with pytest.raises(MappingError, match="not a number"):
        decimal_mapping(["ten = many"], source="t")


SCALE_WORDS = st.sampled_from(sorted(k for k, v in SCALES.items() if k.isalpha()))


@settings(max_examples=200, deadline=None)
@given(number=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999"), places=2), scale=SCALE_WORDS, commas=st.booleans())
def test_formatted_number_with_scale_round_trips(number: Decimal, scale: str, commas: bool) -> None:
    written = f"{number:,}" if commas else f"{number}"
    parsed = parse_number_words([written, scale], number_words=WORDS, scales=SCALES)
    assert parsed == number * SCALES[scale]
    assert Decimal(format_amount(parsed)) == parsed


@settings(max_examples=200, deadline=None)
@given(number=st.integers(min_value=0, max_value=999))
def test_spelled_out_numbers_round_trip(number: int) -> None:
    ones = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
            "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
    tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
    words: list[str] = []
    hundreds, rest = divmod(number, 100)
    if hundreds:
        words += [ones[hundreds], "hundred"] + (["and"] if rest else [])
    if rest or not hundreds:
        if rest < 20:
            words.append(ones[rest])
        else:
            words.append(tens[rest // 10])
            if rest % 10:
                words += ["-", ones[rest % 10]]
    assert parse_number_words(words, number_words=WORDS, scales=SCALES) == number


@pytest.mark.parametrize(("text", "expected"), [("43", 43), ("43c", 43), ("05", 5), ("fourteen", 14), ("Ninety", 90)])
def test_subunits_are_hundredths_from_1_to_99(text: str, expected: int) -> None:
    assert parse_subunit(text, number_words=WORDS) == expected


@pytest.mark.parametrize("text", ["100", "0", "4.5", "a", "half", "people", "43p", ""])
def test_not_subunits(text: str) -> None:
    assert parse_subunit(text, number_words=WORDS) is None


@settings(max_examples=100, deadline=None)
@given(number=st.integers(min_value=1, max_value=99), glued=st.booleans())
def test_written_subunit_round_trips(number: int, glued: bool) -> None:
    assert parse_subunit(f"{number:02d}c" if glued else str(number), number_words=WORDS) == number
