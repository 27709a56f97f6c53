"""claimex.normalize.currency: CLDR/ISO currency data and how a written currency becomes one code."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.normalize.currency import (
    CurrencyLexicon,
    build_lexicon,
    cldr_names,
    cldr_symbols,
    code_sets,
    context_mentions,
    has_currency_sign,
    is_currency_code,
    iso_currency_codes,
    pairs,
    territory_cues,
)
from claimex.normalize.numbers import parse_mapping
from claimex.resources import default_word_lists


@pytest.fixture(scope="module")
def lexicon() -> CurrencyLexicon:
    lists = default_word_lists()
    return build_lexicon(
        locale_patterns=tuple(lists["money_symbol_locales"]),
        excluded_codes=frozenset(lists["money_codes_excluded"]),
        ignored_symbols=frozenset(lists["money_symbols_ignored"]),
        extra_symbols=code_sets(parse_mapping(lists["money_symbols"], source="s", lower=False), source="s"),
        extra_names=code_sets(parse_mapping(lists["money_currency_names"], source="n"), source="n"),
        fixed=pairs(parse_mapping(lists["money_currency_defaults"], source="d", lower=False)),
        fallback=pairs(parse_mapping(lists["money_currency_fallbacks"], source="f", lower=False)),
        needs_modifier=frozenset(lists["money_units_need_modifier"]),
    )


def test_codes_come_from_pycountry() -> None:
    assert {"USD", "EUR", "MAD", "PKR", "INR"} <= iso_currency_codes()
    assert is_currency_code("MAD") and not is_currency_code("ABC") and not is_currency_code("usd")


def test_symbols_and_names_come_from_cldr() -> None:
    symbols = cldr_symbols(("en", "en_*"), iso_currency_codes())
    assert "USD" in symbols["$"] and symbols["€"] == {"EUR"} and symbols["₹"] == {"INR"}
    names = cldr_names(iso_currency_codes())
    assert names[("kuwaiti", "dinars")] == {"KWD"} and names[("us", "dollar")] == {"USD"} and names[("euros",)] == {"EUR"}


@pytest.mark.parametrize(
    ("words", "code"),
    [
        (["$"], "USD"),
        (["US$"], "USD"),
        (["A$"], "AUD"),
        (["£"], "GBP"),
        (["€"], "EUR"),
        (["MAD"], "MAD"),
        (["GB", "£"], "GBP"),
        (["US", "$"], "USD"),
        (["Rs", "."], "INR"),
        (["dollars"], "USD"),
        (["Canadian", "dollars"], "CAD"),
        (["Hong", "Kong", "dollars"], "HKD"),
        (["yuan"], "CNY"),
        (["euros"], "EUR"),
        (["pounds", "sterling"], "GBP"),
        (["Egyptian", "pounds"], "EGP"),
        (["greenbacks"], "USD"),
        (["USD$"], "USD"),
        (["CAD$"], "CAD"),
        (["Saudiriyal"], "SAR"),
        (["egyptianpound"], "EGP"),
        (["Malaysia", "ringgit"], "MYR"),
        (["Egypt", "pounds"], "EGP"),
        (["LE"], "EGP"),
        (["RM"], "MYR"),
    ],
)
def test_written_currency_resolves_to_one_code(lexicon: CurrencyLexicon, words: list[str], code: str) -> None:
    found = lexicon.lookup(words)
    assert found is not None and lexicon.resolve(found) == code


@pytest.mark.parametrize("words", [["pounds"], ["won"], ["people"], ["USDX"], ["K"], ["KM"], ["Ft"], ["EUR$"], ["France", "pounds"], []])
def test_not_currencies(lexicon: CurrencyLexicon, words: list[str]) -> None:
    assert lexicon.lookup(words) is None


@pytest.mark.parametrize(
    ("words", "context", "code"),
    [
        (["Rs"], "Officials in Sri Lanka said", "LKR"),
        (["Rs"], "Indian officials said", "INR"),
        (["Rs"], "", "INR"),
        (["rupees"], "Nepal and Nepalese banks", "NPR"),
        (["dirhams"], "the UAE said", "AED"),
        (["$"], "Canada and Canadian officials", "USD"),
    ],
)
def test_ambiguous_currency_follows_context_then_fallback(lexicon: CurrencyLexicon, words: list[str], context: str, code: str) -> None:
    found = lexicon.lookup(words)
    assert found is not None and lexicon.resolve(found, context=context) == code


def test_territory_cues_name_countries_and_adjectives() -> None:
    assert {"India", "Indian"} <= set(territory_cues("INR"))
    assert context_mentions("INR", "India and Indian banks; Indiana") == 3


def test_extra_codes_are_validated() -> None:
    with pytest.raises(ValueError, match="XYZ"):
        code_sets({"Zz": "XYZ"}, source="money_symbols")


@settings(max_examples=100, deadline=None)
@given(code=st.sampled_from(sorted(iso_currency_codes() - {"ALL", "TOP"})))
def test_every_iso_code_resolves_to_itself(lexicon: CurrencyLexicon, code: str) -> None:
    if code in lexicon.codes:
        found = lexicon.lookup([code])
        assert found is not None and lexicon.resolve(found) == code


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=8))
def test_currency_sign_detection_matches_unicode(text: str) -> None:
    import unicodedata

    assert has_currency_sign(text) == any(unicodedata.category(c) == "Sc" for c in text)


def test_pattern_vocabularies_hold_the_written_forms(lexicon: CurrencyLexicon) -> None:
    assert {"RM", "Rs", "LE"} <= set(lexicon.letter_symbol_texts()) and "$" not in lexicon.letter_symbol_texts()
    assert "saudiriyal" in lexicon.glued_name_words() and "dollars" not in lexicon.glued_name_words()
    assert {"malaysia", "kuwaiti", "hong"} <= set(lexicon.modifier_words())
