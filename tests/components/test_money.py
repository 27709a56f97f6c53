"""claimex_money on spacy.blank("en"): amounts, currencies, qualifiers, ranges, restatements, and no false hits."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.language import Language

import claimex.components  # noqa: F401  (registers the factories)
from claimex.components.money import MoneyRecognizer
from claimex.patterns import RuleDataError
from claimex.resources import default_patterns, default_word_lists

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
# the seed article whose amounts the acceptance gold lists (found by content, not by name)
SEED = next(path for path in sorted(SEEDS.glob("*.txt")) if "MAD 800 million" in path.read_text(encoding="utf-8"))
Found = tuple[str, str, str | None, str]  # span text, amount, currency, qualifier


@pytest.fixture(scope="module")
def nlp(make_nlp: Callable[..., Language]) -> Language:
    return make_nlp("claimex_money")


def found(nlp: Language, text: str) -> list[Found]:
    doc = nlp(text)
    return [(doc.text[m.span.start:m.span.end], m.amount, m.currency, m.qualifier) for m in doc._.claimex_money]


def test_seed_article_has_exactly_its_six_amounts(nlp: Language) -> None:
    doc = nlp(SEED.read_text(encoding="utf-8"))
    got = [(doc.text[m.span.start:m.span.end], m.amount, m.currency, m.qualifier, m.equivalent_of) for m in doc._.claimex_money]
    assert got == [
        ("MAD 800 million", "800000000", "MAD", "exact", None),
        ("$83 million", "83000000", "USD", "more_than", 0),
        ("$147 million", "147000000", "USD", "exact", None),
        ("$348 million", "348000000", "USD", "more_than", None),
        ("$11.5 million", "11500000", "USD", "exact", None),
        ("$35 million", "35000000", "USD", "more_than", None),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It cost $83 million.", ("$83 million", "83000000", "USD", "exact")),
        ("worth MAD 800 million", ("MAD 800 million", "800000000", "MAD", "exact")),
        ("a US$40 billion deal", ("US$40 billion", "40000000000", "USD", "exact")),
        ("USD34.6 million", ("USD34.6 million", "34600000", "USD", "exact")),
        ("GBP 27 million", ("GBP 27 million", "27000000", "GBP", "exact")),
        ("€5m", ("€5m", "5000000", "EUR", "exact")),
        ("£20.1 billion", ("£20.1 billion", "20100000000", "GBP", "exact")),
        ("a GB £20.1 billion contract", ("GB £20.1 billion", "20100000000", "GBP", "exact")),
        ("a $3.5-billion deal", ("$3.5-billion", "3500000000", "USD", "exact")),
        ("It made 1.2bn dollars", ("1.2bn dollars", "1200000000", "USD", "exact")),
        ("two million dollars", ("two million dollars", "2000000", "USD", "exact")),
        ("half a billion euros", ("half a billion euros", "500000000", "EUR", "exact")),
        ("A hundred billion dollars", ("A hundred billion dollars", "100000000000", "USD", "exact")),
        ("190 million US dollars", ("190 million US dollars", "190000000", "USD", "exact")),
        ("9.9 billion yuan", ("9.9 billion yuan", "9900000000", "CNY", "exact")),
        ("Rs 5 crore", ("Rs 5 crore", "50000000", "INR", "exact")),
        ("Rs. 20", ("Rs. 20", "20", "INR", "exact")),
        ("₹10 lakh", ("₹10 lakh", "1000000", "INR", "exact")),
        ("¥100", ("¥100", "100", "JPY", "exact")),
        ("C$5m", ("C$5m", "5000000", "CAD", "exact")),
        ("HK$5bn", ("HK$5bn", "5000000000", "HKD", "exact")),
        ("20€", ("20€", "20", "EUR", "exact")),
        ("10k$", ("10k$", "10000", "USD", "exact")),
        ("42 KWD", ("42 KWD", "42", "KWD", "exact")),
        ("$1,099", ("$1,099", "1099", "USD", "exact")),
        ("$9.99 US dollars", ("$9.99 US dollars", "9.99", "USD", "exact")),
        ("5 Egyptian pounds", ("5 Egyptian pounds", "5", "EGP", "exact")),
        ("30 pounds sterling", ("30 pounds sterling", "30", "GBP", "exact")),
    ],
)
def test_single_amount(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("50 cents", ("50 cents", "0.5", "USD", "exact")),
        ("fifteen cents", ("fifteen cents", "0.15", "USD", "exact")),
        ("20 pence", ("20 pence", "0.2", "GBP", "exact")),
        ("10¢", ("10¢", "0.1", "USD", "exact")),
        ("20 dollars 43 cents", ("20 dollars 43 cents", "20.43", "USD", "exact")),
        ("a dollar and 42 cents", ("a dollar and 42 cents", "1.42", "USD", "exact")),
    ],
)
def test_minor_units_are_converted_to_the_major_unit(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("more than $5 million", "more_than"),
        ("over $5 million", "more_than"),
        ("above $5 million", "more_than"),
        ("to exceed $5 million", "more_than"),
        ("exceeding $5 million", "more_than"),
        ("nearly $5 million", "less_than"),
        ("almost $5 million", "less_than"),
        ("under $5 million", "less_than"),
        ("less than $5 million", "less_than"),
        ("about $5 million", "about"),
        ("around $5 million", "about"),
        ("roughly $5 million", "about"),
        ("some $5 million", "about"),
        ("approximately $5 million", "about"),
        ("an estimated $5 million", "about"),
        ("at least $5 million", "at_least"),
        ("no less than $5 million", "at_least"),
        ("at most $5 million", "at_most"),
        ("up to $5 million", "at_most"),
        ("no more than $5 million", "at_most"),
        ("the $5 million", "exact"),
    ],
)
def test_qualifier_words_before_the_amount(nlp: Language, text: str, qualifier: str) -> None:
    assert found(nlp, text) == [("$5 million", "5000000", "USD", qualifier)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from $1.2 million to $23.5 million",
         [("$1.2 million", "1200000", "USD", "exact"), ("$23.5 million", "23500000", "USD", "exact")]),
        ("between $12 million and $20 million",
         [("$12 million", "12000000", "USD", "at_least"), ("$20 million", "20000000", "USD", "at_most")]),
        ("$15-20 million", [("$15", "15000000", "USD", "exact"), ("20 million", "20000000", "USD", "exact")]),
        ("$5 and $10 billion", [("$5", "5000000000", "USD", "exact"), ("$10 billion", "10000000000", "USD", "exact")]),
        ("10-20 dollars", [("10", "10", "USD", "exact"), ("20 dollars", "20", "USD", "exact")]),
        ("between 10 dollars and 20 dollars", [("10 dollars", "10", "USD", "at_least"), ("20 dollars", "20", "USD", "at_most")]),
        ("about $15-20 million", [("$15", "15000000", "USD", "about"), ("20 million", "20000000", "USD", "about")]),
        ("$500,000 to $2 million", [("$500,000", "500000", "USD", "exact"), ("$2 million", "2000000", "USD", "exact")]),
        ("4 to 5 billion US dollars", [("4", "4000000000", "USD", "exact"), ("5 billion US dollars", "5000000000", "USD", "exact")]),
    ],
)
def test_ranges_give_two_amounts_sharing_scale_and_currency(nlp: Language, text: str, expected: list[Found]) -> None:
    assert found(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "equivalents"),
    [
        ("worth MAD 800 million (more than $83 million).", [None, 0]),
        ("a US$40 billion (GB £20.1 billion) contract", [None, 0]),
        ("It cost £10, or $13, in all.", [None, 0]),
        ("€5m (about $5.5m) and then £3m", [None, 0, None]),
        ("from $147 million to more than $348 million", [None, None]),
        ("$5 million and €4 million", [None, None]),
        ("$500, 7 euros", [None, None]),
    ],
)
def test_restatement_in_another_currency_points_at_the_original(nlp: Language, text: str, equivalents: list[int | None]) -> None:
    assert [m.equivalent_of for m in nlp(text)._.claimex_money] == equivalents


@pytest.mark.parametrize(
    "text",
    [
        "No money is mentioned here.",
        "Turnout rose 5% to 61 percent.",
        "Call 555-2018 or +1 212 555 0199.",
        "1.5 million people live there.",
        "2,000 tonnes of wheat",
        "The $ sign alone is not an amount.",
        "In 2018 the plan changed.",
        "He lost 20 pounds and won 3 games.",
        "It's a dollar-priced product.",
        "TOP 10 songs and ALL 5 members",
        "the dollar fell against the euro",
    ],
)
def test_texts_without_money(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Rs 50 crore was spent, officials in India said.", "INR"),
        ("Rs 50 crore was spent, officials in Sri Lanka said.", "LKR"),
        ("Rs 50 crore was spent.", "INR"),
        ("800 million dirhams, the UAE ministry said", "AED"),
        ("800 million Kuwaiti dinars", "KWD"),
        ("$5 million, Canadian officials said", "USD"),
    ],
)
def test_ambiguous_currencies_follow_the_article_then_the_defaults(nlp: Language, text: str, currency: str) -> None:
    assert [m.currency for m in nlp(text)._.claimex_money] == [currency]


def test_a_year_written_as_money_is_money(nlp: Language) -> None:
    assert found(nlp, "He paid $2018 for it.") == [("$2018", "2018", "USD", "exact")]


def test_rule_names_the_pattern(nlp: Language) -> None:
    rules = {m.rule for m in nlp("MAD 800 million and $5")._.claimex_money}
    assert rules == {"money.code", "money.symbol"}


def test_sentence_final_abbreviated_scale_keeps_its_period_out(nlp: Language) -> None:
    assert found(nlp, "It cost €5m.") == [("€5m", "5000000", "EUR", "exact")]


def test_spans_mirror_the_mentions(nlp: Language) -> None:
    doc = nlp("It cost $83 million, not €5bn.")
    assert [(s.text, s.label_) for s in doc.spans["claimex_money"]] == [("$83 million", "MONEY"), ("€5bn", "MONEY")]
    assert [(m.span.start, m.span.end) for m in doc._.claimex_money] == [(s.start_char, s.end_char) for s in doc.spans["claimex_money"]]


def test_works_standalone_without_initialize() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_money")
    assert [m.amount for m in nlp("about $3 million")._.claimex_money] == ["3000000"]


def test_round_trips_through_bytes(nlp: Language) -> None:
    other = spacy.blank("en")
    other.add_pipe("claimex_money")
    other.from_bytes(nlp.to_bytes())
    assert found(other, "GBP 27 million") == found(nlp, "GBP 27 million")


def test_roles_must_match_the_pattern_length() -> None:
    component = MoneyRecognizer(spacy.blank("en"), "claimex_money")
    bad = [{"id": "money.bad", "pattern": [{"TEXT": "$"}, {"LIKE_NUM": True}], "roles": ["currency"]}]
    with pytest.raises(RuleDataError, match="money.bad"):
        component.initialize(patterns=bad, lists=default_word_lists())


def test_qualifier_list_values_are_checked() -> None:
    component = MoneyRecognizer(spacy.blank("en"), "claimex_money")
    lists = dict(default_word_lists())
    lists["money_qualifiers"] = ("more than = lots",)
    with pytest.raises(RuleDataError, match="lots"):
        component.initialize(patterns=default_patterns("money"), lists=lists)


SYMBOLS = st.sampled_from([("$", "USD"), ("€", "EUR"), ("£", "GBP"), ("US$", "USD"), ("MAD ", "MAD"), ("GBP ", "GBP")])
SCALES = st.sampled_from([("million", 10**6), ("billion", 10**9), ("bn", 10**9), ("m", 10**6), ("thousand", 1000), ("crore", 10**7)])


@settings(max_examples=60, deadline=None)
@given(
    number=st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999"), places=2),
    symbol=SYMBOLS,
    scale=SCALES,
)
def test_formatted_amount_round_trips(nlp: Language, number: Decimal, symbol: tuple[str, str], scale: tuple[str, int]) -> None:
    written = f"{symbol[0]}{number:,} {scale[0]}"
    doc = nlp(f"The budget is {written} this year.")
    assert [(doc.text[m.span.start:m.span.end], Decimal(m.amount), m.currency) for m in doc._.claimex_money] == [
        (written, number * scale[1], symbol[1])
    ]


@settings(max_examples=60, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("$€£ 0123456789.,-–()abcmnkMBUSDK\n")), max_size=60))
def test_any_text_gives_offsets_that_slice_back(nlp: Language, text: str) -> None:
    doc = nlp(text)
    for mention, span in zip(doc._.claimex_money, doc.spans["claimex_money"], strict=True):
        assert span.start_char == mention.span.start < mention.span.end <= span.end_char
        assert doc.text[mention.span.start:mention.span.end].strip() == doc.text[mention.span.start:mention.span.end]
        assert Decimal(mention.amount) >= 0 and "E" not in mention.amount and not mention.amount.endswith(".")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$20 43.", ("$20 43", "20.43", "USD", "exact")),
        ("It was US$3 and fourteen.", ("US$3 and fourteen", "3.14", "USD", "exact")),
        ("20 Rupees 43", ("20 Rupees 43", "20.43", "INR", "exact")),
        ("$20 and 43c", ("$20 and 43c", "20.43", "USD", "exact")),
        ("twenty dollar and 43", ("twenty dollar and 43", "20.43", "USD", "exact")),
        ("20 ringgit and 43 sen", ("20 ringgit and 43 sen", "20.43", "MYR", "exact")),
        ("3 UAH 4 kopiykas", ("3 UAH 4 kopiykas", "3.04", "UAH", "exact")),
    ],
)
def test_hundredths_after_a_major_amount_are_added(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42 RM", ("42 RM", "42", "MYR", "exact")),
        ("42 LE", ("42 LE", "42", "EGP", "exact")),
        ("42 Saudiriyal", ("42 Saudiriyal", "42", "SAR", "exact")),
        ("42 egyptianpound", ("42 egyptianpound", "42", "EGP", "exact")),
        ("ringgit 42", ("ringgit 42", "42", "MYR", "exact")),
        ("malaysian ringgits 42 million.", ("malaysian ringgits 42 million", "42000000", "MYR", "exact")),
        ("42 Malaysia ringgit", ("42 Malaysia ringgit", "42", "MYR", "exact")),
        ("a USD$23 billion dollar deal", ("USD$23 billion dollar", "23000000000", "USD", "exact")),
        ("He owes me 10 grand.", ("10 grand", "10000", None, "exact")),
        ("ten dimes", ("ten dimes", "1", "USD", "exact")),
        ("two hundred thousand nickels", ("two hundred thousand nickels", "10000", "USD", "exact")),
    ],
)
def test_less_common_written_forms(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It took on billions of dollars in costs.", ("billions of dollars", "1000000000", "USD", "more_than")),
        ("tens of millions of dollars", ("tens of millions of dollars", "10000000", "USD", "more_than")),
        ("hundreds of thousands of euros", ("hundreds of thousands of euros", "100000", "EUR", "more_than")),
    ],
)
def test_indefinite_amounts_are_lower_bounds(nlp: Language, text: str, expected: Found) -> None:
    assert found(nlp, text) == [expected]


def test_elliptical_amount_takes_the_currency_of_the_sentence(nlp: Language) -> None:
    text = "It asked for US$5 billion on top of the four billion it already received. It hired 3 million people."
    assert found(nlp, text) == [
        ("US$5 billion", "5000000000", "USD", "exact"),
        ("four billion", "4000000000", "USD", "exact"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "a grand jury indicted him",
        "10 grand slams",
        "Euro 2016 was won by Portugal.",
        "the dollar 1.2 percent higher",
        "4 billion people live in Asia.",
        "a nickel mine",
        "The plant recycles millions of tonnes.",
        "It was 30C in the shade.",
        "the ringgit fell 2% today",
        "He ran 10 Ft.",
    ],
)
def test_new_forms_do_not_fire_on_look_alikes(nlp: Language, text: str) -> None:
    assert found(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He paid $20 and 43 people came.", [("$20", "20", "USD", "exact")]),
        ("It raised $5 billion and served 2 million customers.", [("$5 billion", "5000000000", "USD", "exact")]),
    ],
)
def test_counts_next_to_an_amount_stay_counts(nlp: Language, text: str, expected: list[Found]) -> None:
    assert found(nlp, text) == expected


@settings(max_examples=60, deadline=None)
@given(major=st.integers(min_value=1, max_value=99999), cents=st.integers(min_value=1, max_value=99), unit=st.sampled_from(["dollars", "euros"]))
def test_major_and_minor_units_round_trip(nlp: Language, major: int, cents: int, unit: str) -> None:
    written = f"{major:,} {unit} and {cents} cents"
    doc = nlp(f"It cost {written}.")
    assert [(doc.text[m.span.start:m.span.end], Decimal(m.amount)) for m in doc._.claimex_money] == [
        (written, Decimal(major) + Decimal(cents) / 100)
    ]


@settings(max_examples=60, deadline=None)
@given(low=st.integers(min_value=1, max_value=499), high=st.integers(min_value=500, max_value=999), scale=SCALES)
def test_formatted_range_round_trips_as_two_amounts(nlp: Language, low: int, high: int, scale: tuple[str, int]) -> None:
    doc = nlp(f"It will cost between ${low} {scale[0]} and ${high} {scale[0]}, officials said.")
    assert [(Decimal(m.amount), m.currency, m.qualifier) for m in doc._.claimex_money] == [
        (low * Decimal(scale[1]), "USD", "at_least"),
        (high * Decimal(scale[1]), "USD", "at_most"),
    ]


MONEY_TOKENS = st.sampled_from(
    ["$", "US$", "5", "2.5", "1,200", "million", "bn", "dollars", "Hong", "Kong", "one", "hundred", "and", "twenty",
     "-", "to", "between", "cents", "billions", "of", "grand", "USD", "€", "the", "rupees", "Rs", "43", "people", ",",
     "a", "HK$5bn", "20EUR", "10¢", "."]
)


@settings(max_examples=150, deadline=None)
@given(words=st.lists(MONEY_TOKENS, max_size=30))
def test_matcher_windows_find_what_the_whole_doc_gives(nlp: Language, words: list[str]) -> None:
    recognizer = nlp.get_pipe("claimex_money")
    doc = nlp.make_doc(" ".join(words))
    whole = sorted((key, start, end, tuple(a)) for key, start, end, a in recognizer.matcher(doc, with_alignments=True))
    windowed = sorted((key, start, end, tuple(a)) for key, start, end, a in recognizer.anchored(doc))
    assert windowed == whole


def test_text_without_an_anchor_runs_no_matcher(nlp: Language) -> None:
    doc = nlp.make_doc("Nothing here is money, said the minister on Tuesday.")
    assert nlp.get_pipe("claimex_money").anchored.windows(doc) == []
