"""Numbers as news writes them, turned into exact decimals: "11.5", "1,099", "1.2bn", "half a billion".

Pure functions over token texts. The vocabularies (number words, scale words) are passed in, because
they are pipeline data (`lists/number_words.txt`, `lists/scales.txt`); `parse_mapping` reads such a
`key = value` word list. Values are `Decimal`, never floats, so "11.5 million" is exactly 11500000 and
`format_amount` can print it without an exponent or float noise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation

MAPPING_SEPARATOR = "="

# "83", "11.5", "1,099", "1,000,000.25": digits, optional thousands commas, optional decimals
NUMERAL = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# a numeral with a letter suffix glued on, as the tokenizer leaves "1.2bn" or "10K"
GLUED = re.compile(r"^((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([A-Za-z]{1,4})$")
# tokens that may join the words of one spelled-out number ("one hundred and five", "twenty-five")
WORD_LINKS = frozenset({"and", "-", "–"})


class MappingError(ValueError):
    """A `key = value` word list has an entry that is not of that form."""


def parse_mapping(entries: Iterable[str], *, source: str, lower: bool = True) -> dict[str, str]:
    """Read `key = value` entries of a word list into a dict (keys lower-cased unless `lower=False`).

    Word lists that map words to values (scale words to multipliers, qualifier phrases to
    qualifiers) use this form so that the vocabulary and its meaning stay on one line.

    Raises:
        MappingError: an entry has no `=`, or an empty side; the message names the list.
    """
    mapping: dict[str, str] = {}
    for entry in entries:
        key, sep, value = entry.partition(MAPPING_SEPARATOR)
        key, value = " ".join(key.split()), value.strip()
        key = key.lower() if lower else key
        if not sep or not key or not value:
            raise MappingError(f"word list {source!r}: entry {entry!r} is not of the form 'word = value'")
        mapping[key] = value
    return mapping


def mapping_keys(entries: Iterable[str]) -> tuple[str, ...]:
    """The keys of a `key = value` word list, as written (for token patterns)."""
    return tuple(entry.partition(MAPPING_SEPARATOR)[0].strip() for entry in entries)


def decimal_mapping(entries: Iterable[str], *, source: str) -> dict[str, Decimal]:
    """A `word = number` word list as {lower-cased word: Decimal}.

    Raises:
        MappingError: a value is not a number.
    """
    result: dict[str, Decimal] = {}
    for key, value in parse_mapping(entries, source=source).items():
        try:
            result[key] = Decimal(value)
        except InvalidOperation as error:
            raise MappingError(f"word list {source!r}: {value!r} (for {key!r}) is not a number") from error
    return result


def parse_numeral(text: str) -> Decimal | None:
    """A digit numeral ("1,099", "11.5") as a Decimal; None when the text is not one."""
    if not NUMERAL.match(text):
        return None
    return Decimal(text.replace(",", ""))


def split_glued(text: str, scales: Mapping[str, Decimal]) -> tuple[Decimal, Decimal] | None:
    """Split "1.2bn" into (1.2, 1000000000); None unless the suffix is a known scale word."""
    match = GLUED.match(text)
    if not match:
        return None
    scale = scales.get(match.group(2).lower())
    if scale is None:
        return None
    return Decimal(match.group(1).replace(",", "")), scale


def parse_number_words(
    words: Sequence[str],
    *,
    number_words: Mapping[str, Decimal],
    scales: Mapping[str, Decimal],
) -> Decimal | None:
    """The value of the words of one number: ["two", "hundred", "thousand"] -> 200000.

    Accepts digit numerals, numerals with a glued scale ("1.2bn"), number words ("twenty", "five",
    "a", "half"), scale words ("hundred", "million", "lakh") and the links "and" / "-" between them,
    in the usual English order: "one hundred and twenty-five", "2.5 million", "half a billion",
    "one and a half million", "a hundred billion". Returns None for anything else, including word
    sequences no one writes ("five twenty", "ten and twenty"), so that a pattern that over-matched
    is dropped instead of producing a wrong value.

    Args:
        words: token texts, in order.
        number_words: lower-cased number word -> value ("a" -> 1, "half" -> 0.5).
        scales: lower-cased scale word -> multiplier ("hundred" -> 100, "bn" -> 10**9).
    """
    total = Decimal(0)
    current: Decimal | None = None
    seen_any = False
    previous = ""
    for raw in words:
        word = raw.lower()
        if word in WORD_LINKS:
            if not seen_any:
                return None
            previous = word
            continue
        value = parse_numeral(raw)
        glued = split_glued(raw, scales) if value is None else None
        if value is not None or glued is not None:
            if current is not None:
                return None
            if glued is not None:
                total += glued[0] * glued[1]
            else:
                current = value
        elif word in ("a", "an") and word in number_words:
            if current is None:
                current = number_words[word]
            elif previous not in ("and", "half"):
                return None  # "a" only starts a number or follows "and" / "half"
        elif word == "half" and word in number_words:
            if current is None:
                current = number_words[word]
            elif previous in ("a", "an"):
                current += number_words[word]  # "one and a half"
            else:
                return None
        elif word in number_words:
            value = number_words[word]
            if current is None:
                current = value
            elif (value >= 10 and current % 100 != 0) or (value < 10 and current % 10 != 0):
                return None  # "five twenty", "twenty twenty", "twenty five six"
            else:
                current += value
        elif word in scales:
            scale = scales[word]
            if scale < 1000:
                current = (current if current is not None else Decimal(1)) * scale
            else:
                total += (current if current is not None else Decimal(1)) * scale
                current = None
        else:
            return None
        seen_any = True
        previous = word
    if not seen_any or previous in WORD_LINKS:
        return None
    return total + (current if current is not None else Decimal(0))


SUBUNIT = re.compile(r"^(\d{1,2})c?$")


def parse_subunit(text: str, *, number_words: Mapping[str, Decimal]) -> int | None:
    """Hundredths written after a major amount: "43" or "43c" in "$20 43c", "fourteen" in "$3 and fourteen".

    Returns the integer 1-99, or None when the text is not one (a bigger number, a fraction, "a").
    """
    match = SUBUNIT.match(text)
    if match:
        value = int(match.group(1))
    else:
        word = number_words.get(text.lower())
        if word is None or word != word.to_integral_value() or text.lower() in ("a", "an"):
            return None
        value = int(word)
    return value if 0 < value < 100 else None


def mentions_scale(words: Iterable[str], scales: Mapping[str, Decimal]) -> bool:
    """Whether the words of a number already carry a scale ("million", "1.2bn", "five hundred")."""
    return any(word.lower() in scales or split_glued(word, scales) is not None for word in words)


def format_amount(value: Decimal) -> str:
    """A Decimal as a plain string: no exponent, no trailing zeros ("83000000", "11500000", "0.5")."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
