"""Pure functions on entity names: comparison keys, acronyms, surnames and the canonical form.

The entity recognizer groups the surface forms of one referent ("Jane Doe", "Doe";
"Organization of American States", "OAS"; "U.S.", "United States") and names the group by its
fullest form. These helpers hold the string logic so it can be tested without spaCy.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

APOSTROPHES = "'’‘`´"
POSSESSIVE_ENDINGS = tuple(a + "s" for a in APOSTROPHES) + tuple(APOSTROPHES)
# Words an acronym usually skips ("Organization of American States" -> "OAS").
ACRONYM_SKIP_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "to", "at", "de", "du", "des", "la", "le", "&", "-"})
NAME_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "ph.d."})
_APOSTROPHE = re.compile(f"[{APOSTROPHES}]")
_DASH = re.compile(r"[-‐‑–—]")
_HYPHEN = re.compile(r"[-‐‑]")
_ROMAN_LETTERS = frozenset("MDCLXVI")
_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
_ACRONYM = re.compile(r"^(?:[A-Z]\.){2,}$|^[A-Z][A-Z&]{1,7}$|^[A-Z][A-Za-z]?[A-Z]{1,6}$")


def strip_invisible(text: str) -> str:
    """`text` without invisible format characters (zero-width space, soft hyphen, word joiner), which web
    text leaves inside names ("Traeger\u200b"); a name is what a reader sees."""
    if text.isascii():
        return text
    return "".join(char for char in text if unicodedata.category(char) != "Cf")


def strip_possessive(text: str) -> str:
    """`text` without a trailing possessive ("Kenya's" -> "Kenya", "Reuters’" -> "Reuters")."""
    for ending in POSSESSIVE_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            return text[: -len(ending)]
    return text


def strip_leading_article(text: str) -> str:
    """`text` without a leading "the " (OntoNotes and CoNLL mentions exclude it)."""
    for prefix in ("the ", "The ", "THE "):
        if text.startswith(prefix) and len(text) > len(prefix):
            return text[len(prefix):]
    return text


def name_key(text: str) -> str:
    """A comparison key: case, dots, possessives, apostrophe and dash variants and spacing ignored.

    "U.S." and "US" share a key, as do "Al-Ahly" and "Al Ahly"; the key is for grouping, not display.
    """
    text = strip_leading_article(strip_possessive(text.strip()))
    text = _APOSTROPHE.sub("'", text)
    text = _DASH.sub(" ", text)
    text = text.replace(".", "")
    return " ".join(text.casefold().split())


def is_roman_numeral(word: str) -> bool:
    """True for a regnal number written in capitals ("VI", "XIV"); "I" alone is a pronoun, not one."""
    # the pattern's first letter is one of "MDCLXVI": most words fail that before the pattern is run
    return len(word) > 1 and word[0] in _ROMAN_LETTERS and bool(_ROMAN.match(word))


def is_acronym(word: str) -> bool:
    """True for an acronym-shaped word: "OAS", "U.N.", "AT&T", "CAR", "McD" is not one."""
    return bool(_ACRONYM.match(word)) and not is_roman_numeral(word)


def acronym_letters(word: str) -> str:
    """The letters of an acronym, upper-cased and without dots or ampersands ("U.N." -> "UN")."""
    return "".join(ch for ch in word if ch.isalpha()).upper()


def initials(words: Sequence[str], *, skip: Iterable[str] = ACRONYM_SKIP_WORDS) -> str:
    """Upper-case initials of the words that count, hyphenated parts included ("Al-Ahly" -> "AA")."""
    skipped = {w.lower() for w in skip}
    letters = []
    for word in words:
        for part in _HYPHEN.split(word):
            if part and part.lower() not in skipped and part[0].isalpha():
                letters.append(part[0].upper())
    return "".join(letters)


def matches_acronym(acronym: str, words: Sequence[str]) -> bool:
    """Whether `acronym` plausibly abbreviates the name made of `words`.

    True when its letters are the initials of the content words ("CAR" for "Central African
    Republic") or of all words, or when they appear in order in the name starting with its first letter
    and are not more than two per content word ("Nato" for "North Atlantic Treaty Organization",
    "Unicef" for "United Nations Children's Fund").
    """
    letters = acronym_letters(acronym)
    if len(letters) < 2 or not words:
        return False
    if letters in (initials(words), initials(words, skip=())):
        return True
    text = " ".join(words).upper()
    if not text or text[0] != letters[0]:
        return False
    position = 0
    for letter in letters:
        position = text.find(letter, position)
        if position < 0:
            return False
        position += 1
    return len(letters) <= len([w for w in words if w.lower() not in ACRONYM_SKIP_WORDS]) * 2


def surname(name: str) -> str | None:
    """The family name of a personal name: its last word that is not a suffix or regnal number.

    "Jane Doe" -> "Doe"; "Martin Luther King Jr." -> "King"; a one-word name or a regnal
    name ("Charles III") has none, because "Charles" alone does not single out that king.
    """
    words = name.split()
    if words and is_roman_numeral(words[-1]):
        return None
    while words and words[-1].lower() in NAME_SUFFIXES:
        words.pop()
    if len(words) < 2:
        return None
    return words[-1]


def fullest_name(forms: Sequence[str]) -> str:
    """The canonical form of a referent: the one with most words, then most letters, then first seen.

    Acronyms lose to spelled-out names ("OAS" < "Organization of American States"), a surname to
    the full name ("Doe" < "Jane Doe").
    """
    if not forms:
        raise ValueError("fullest_name needs at least one form")

    def weight(indexed: tuple[int, str]) -> tuple[int, int, int, int]:
        index, form = indexed
        letters = sum(ch.isalpha() for ch in form)
        return (0 if is_acronym(form) else 1, len(form.split()), letters, -index)

    return max(enumerate(forms), key=weight)[1]


def is_name_subsequence(short: Sequence[str], long: Sequence[str]) -> bool:
    """Whether the words of `short` appear in order in `long` and end with its last word.

    "Barack Obama" is a subsequence of "Barack Hussein Obama"; "Barack" is not (it drops the surname).
    """
    if not short or len(short) > len(long) or short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(word in it for word in short)
