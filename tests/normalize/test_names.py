"""claimex.normalize.names: comparison keys, acronyms, surnames and canonical names."""

from __future__ import annotations

import pytest

from claimex.normalize.names import (
    fullest_name,
    initials,
    is_acronym,
    is_name_subsequence,
    is_roman_numeral,
    matches_acronym,
    name_key,
    strip_invisible,
    strip_leading_article,
    strip_possessive,
    surname,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Morocco's", "Morocco"), ("Morocco’s", "Morocco"), ("Reuters’", "Reuters"), ("Morocco", "Morocco"), ("'s", "'s")],
)
def test_strip_possessive(text, expected):
    assert strip_possessive(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("the United Nations", "United Nations"), ("The Hague", "Hague"), ("Theresa", "Theresa"), ("the", "the")],
)
def test_strip_leading_article(text, expected):
    assert strip_leading_article(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [("U.S.", "US"), ("Al-Quds", "Al Quds"), ("the United Nations", "United Nations"), ("Morocco’s", "morocco")],
)
def test_name_key_ignores_case_dots_dashes_and_articles(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("word", "expected"),
    [("VI", True), ("XIV", True), ("I", False), ("IV", True), ("VIP", False), ("Vi", False)],
)
def test_is_roman_numeral(word, expected):
    assert is_roman_numeral(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("OIC", True), ("U.N.", True), ("AT&T", True), ("SADR", True), ("Karmoune", False), ("VI", False), ("A", False)],
)
def test_is_acronym(word, expected):
    assert is_acronym(word) is expected


def test_initials_skip_function_words_and_split_hyphens():
    assert initials(["Organization", "of", "Islamic", "Cooperation"]) == "OIC"
    assert initials(["Al-Quds", "Committee"]) == "AQC"


@pytest.mark.parametrize(
    ("acronym", "words", "expected"),
    [
        ("OIC", ["Organization", "of", "Islamic", "Cooperation"], True),
        ("SADR", ["Sahrawi", "Arab", "Democratic", "Republic"], True),
        ("Nato", ["North", "Atlantic", "Treaty", "Organization"], True),
        ("UN", ["United", "Nations"], True),
        ("OIC", ["Sahrawi", "Arab", "Democratic", "Republic"], False),
        ("XYZ", ["Online", "International", "News", "Network"], False),
        ("O", ["Organization"], False),
    ],
)
def test_matches_acronym(acronym, words, expected):
    assert matches_acronym(acronym, words) is expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mohamed Karmoune", "Karmoune"),
        ("Martin Luther King Jr.", "King"),
        ("Mohammed VI", None),
        ("Karmoune", None),
        ("Charles de Gaulle", "Gaulle"),
    ],
)
def test_surname(name, expected):
    assert surname(name) == expected


@pytest.mark.parametrize(
    ("forms", "expected"),
    [
        (["Karmoune", "Mohamed Karmoune"], "Mohamed Karmoune"),
        (["OIC", "Organization of Islamic Cooperation"], "Organization of Islamic Cooperation"),
        (["U.S.", "United States", "US"], "United States"),
        (["UN"], "UN"),
        (["Doe", "Roe"], "Doe"),
    ],
)
def test_fullest_name(forms, expected):
    assert fullest_name(forms) == expected


def test_fullest_name_needs_a_form():
    with pytest.raises(ValueError, match="at least one form"):
        fullest_name([])


@pytest.mark.parametrize(
    ("short", "long", "expected"),
    [
        (["Obama"], ["Barack", "Obama"], True),
        (["Barack", "Obama"], ["Barack", "Hussein", "Obama"], True),
        (["Barack"], ["Barack", "Obama"], False),
        (["Doe"], ["Jane", "Roe"], False),
    ],
)
def test_is_name_subsequence(short, long, expected):
    assert is_name_subsequence(short, long) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Traeger\u200b", "Traeger"), ("Jo\u00adhn", "John"), ("\ufeffReuters", "Reuters"), ("Zoë", "Zoë"), ("Smith", "Smith")],
)
def test_strip_invisible(text, expected):
    assert strip_invisible(text) == expected
