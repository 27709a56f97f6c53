"""Years as news writes them, turned into (start_year, end_year): "1958", "the '90s", "2007–18", "FY19".

Pure functions over token texts. Two-digit years have no century, so one fixed rule supplies it
(deterministic, independent of today's date): 00-29 are read as 2000-2029 and 30-99 as 1930-1999
("'82" is 1982, "FY19" is 2019, "the '90s" the 1990s). The end of a range written with two digits
takes the century of its start ("2007–18" is 2007-2018; "1998–03" rolls over to 2003).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

TWO_DIGIT_PIVOT = 30
MAX_ABBREVIATED_SPAN = 50  # "2016-11" is a month (or nothing), not 2016-2111

FOUR_DIGITS = re.compile(r"(?<!\d)(1\d{3}|20\d{2})(?!\d)")
TWO_DIGITS = re.compile(r"^(?:FY|fy|['’‘])?(\d{2})$")
DECADE = re.compile(r"(?<!\d)(1\d{2}0|20\d0|\d0)(?:['’]?s)?$")
ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
ISO_DATE = re.compile(r"^\s*(\d{4})(?:-(\d\d)(?:-\d\d)?)?(?:[T ].*)?$")  # "2013", "2013-03", "2013-03-22T10:00"
RANGE_TOKEN = re.compile(r"^(?:FY|fy)?(1\d{3}|20\d{2})([–—~/-])(\d{2}|1\d{3}|20\d{2})$")


def expand_two_digit(value: int) -> int:
    """A year written with two digits, given its century by the module's fixed rule."""
    return 2000 + value if value < TWO_DIGIT_PIVOT else 1900 + value


def parse_year(text: str) -> int | None:
    """The year a token writes: "1958", "'82", "mid-2011", "1/1/2015", "FY2019", "FY19"; else None.

    A token holding one four-digit year (1000-2099) gives that year; a two-digit token (optionally
    after an apostrophe or "FY") gives the two-digit reading.
    """
    found = FOUR_DIGITS.findall(text)
    if len(found) == 1:
        return int(found[0])
    if found:
        return None
    short = TWO_DIGITS.match(text)
    return expand_two_digit(int(short.group(1))) if short else None


def range_end(start: int, text: str) -> int | None:
    """The end year of a range from its written form: four digits, or two after the start's century."""
    if len(text) == 4 and text.isdigit():
        return int(text)
    if len(text) == 2 and text.isdigit():
        end = start - start % 100 + int(text)
        if end <= start:
            end += 100
        return end if end - start <= MAX_ABBREVIATED_SPAN else None
    return None


def parse_range(start_text: str, end_text: str) -> tuple[int, int] | None:
    """(start, end) of "2007" .. "2018" or "2007" .. "18"; None unless start < end."""
    start = parse_year(start_text)
    if start is None:
        return None
    end = range_end(start, end_text.lstrip("'’‘"))
    if end is None or end <= start:
        return None
    return start, end


def split_range_token(text: str) -> tuple[str, str, str] | None:
    """("2007", "–", "18") for a token that writes a whole range ("2007–18", "2019/20"); else None."""
    match = RANGE_TOKEN.match(text)
    return (match.group(1), match.group(2), match.group(3)) if match else None


def is_fiscal_pair(start: int, end: int, end_text: str, separator: str = "-") -> bool:
    """Whether a pair of years names one fiscal (or school, or sports) year: "2019/20", "2019-20".

    Two consecutive years with the second abbreviated ("2019-20"), or any consecutive pair joined by
    a slash ("2019/2020"), name a twelve-month period spanning the new year, not a range of years.
    """
    return end == start + 1 and (len(end_text.lstrip("'’‘")) == 2 or separator == "/")


def parse_decade(words: Sequence[str], *, decade_words: Mapping[str, int], number_words: Mapping[str, int]) -> tuple[int, int] | None:
    """(first, last) year of a decade: "1950s", "90s", "1950" + "'s", "mid-1990s", "nineteen seventies".

    Args:
        words: the decade's token texts, without "the" and apostrophes.
        decade_words: "seventies" -> 70 (two-digit decade of a decade word).
        number_words: "nineteen" -> 19 (century prefix of "nineteen seventies").
    """
    texts = [w.lower() for w in words if w.strip("'’‘")]
    if not texts:
        return None
    last = texts[-1]
    if last in decade_words:
        decade = decade_words[last]
        if len(texts) == 2 and texts[0] in number_words:
            start = number_words[texts[0]] * 100 + decade
        elif len(texts) == 1:
            start = expand_two_digit(decade)
        else:
            return None
        return start, start + 9
    if len(texts) != 1:
        return None
    match = DECADE.search(last)
    if not match:
        return None
    digits = match.group(1)
    start = int(digits) if len(digits) == 4 else expand_two_digit(int(digits))
    return start, start + 9


def parse_ordinal(words: Sequence[str], *, ordinal_words: Mapping[str, int]) -> int | None:
    """The number of an ordinal: "19th" -> 19, "nineteenth" -> 19, "twenty" "-" "first" -> 21."""
    text = "".join(w.lower() for w in words)
    match = ORDINAL.match(text)
    if match:
        return int(match.group(1))
    return ordinal_words.get(text)


def century_bounds(number: int) -> tuple[int, int]:
    """First and last year of the nth century, as news counts them: the 19th century is 1800-1899.

    Strictly the 19th century ran from 1801 to 1900, but news (and the TIMEX3 and Recognizers
    annotations, "19" / "1800-01-01..1900-01-01") means the eighteen-hundreds, so the hundred starting
    at 100 * (n - 1) is used: the 21st century is 2000-2099.
    """
    return 100 * (number - 1), 100 * number - 1


def reference_month(value: object) -> tuple[int, int | None] | None:
    """(year, month) of a reference date: a `datetime.date` or `datetime`, an ISO 8601 string ("2013",
    "2013-03", "2013-03-22", "2013-03-22T10:00"), or a year (month None); None when it is none of these
    (a month outside 1-12 included)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value, None
    year, month = getattr(value, "year", None), getattr(value, "month", None)
    if isinstance(year, int):
        return year, month if isinstance(month, int) else None
    if isinstance(value, str):
        match = ISO_DATE.match(value)
        if match is None:
            return None
        month = int(match.group(2)) if match.group(2) else None
        if month is not None and not 1 <= month <= 12:
            return None
        return int(match.group(1)), month
    return None
