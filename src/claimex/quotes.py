"""Quotation marks in news text: where each quotation opens and closes.

Straight quotes are directional only by context, so a straight `"` opens a quotation when it follows
the start of the paragraph, whitespace or an opening bracket or dash, and closes one otherwise. A
quotation still open at the end of a paragraph runs to the paragraph's end: news style reopens it on
the next paragraph. A curly quotation opened inside an open one is nested when enough closing marks
follow in the paragraph to close both; otherwise the first ran on without its mark. A curly quotation
closed by a straight mark (“We will," mixed by an editor) closes there when no curly closing mark
follows in the paragraph. Unbalanced marks never raise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from claimex.annotations import CharSpan

OPENING = frozenset("“«„")
CLOSING = frozenset("”»")
STRAIGHT = '"'
_OPENING_CONTEXT = frozenset(" \t\n([{—–-:")
_MARK = re.compile("[" + re.escape("".join(sorted(OPENING | CLOSING)) + STRAIGHT) + "]")


@dataclass(frozen=True)
class Quotation:
    """A quotation: `outer` includes its marks, `inner` is what was said."""

    outer: CharSpan
    inner: CharSpan
    closed: bool


def find_quotations(text: str, paragraphs: Iterable[CharSpan]) -> tuple[Quotation, ...]:
    """Every top-level quotation of each paragraph, in text order.

    A paragraph without a quotation mark holds no quotation, so only the paragraphs where a search
    (in C) finds a mark are read mark by mark; the paragraphs before the text's first mark are not
    searched at all, nor is any paragraph of a text without marks."""
    found: list[Quotation] = []
    first = _MARK.search(text)
    if first is None:
        return ()
    for paragraph in paragraphs:
        if paragraph.end <= first.start():
            continue  # no mark before the first one
        if _MARK.search(text, paragraph.start, paragraph.end) is None:
            continue
        found.extend(_paragraph_quotations(text, paragraph))
    return tuple(found)


def _is_opening(text: str, i: int, paragraph_start: int) -> bool:
    char = text[i]
    if char in OPENING:
        return True
    if char == STRAIGHT:
        return i == paragraph_start or text[i - 1] in _OPENING_CONTEXT
    return False


def _paragraph_quotations(text: str, paragraph: CharSpan) -> list[Quotation]:
    found: list[Quotation] = []
    open_at: int | None = None
    depth = 0  # curly quotations nested inside the open one
    closings_left = sum(text.count(mark, paragraph.start, paragraph.end) for mark in CLOSING)
    openings_left = sum(text.count(mark, paragraph.start, paragraph.end) for mark in OPENING)
    for match in _MARK.finditer(text, paragraph.start, paragraph.end):  # quotation marks only, not every character
        i = match.start()
        char = text[i]
        if char in OPENING:
            openings_left -= 1
        elif char in CLOSING:
            closings_left -= 1
        if open_at is None:
            if _is_opening(text, i, paragraph.start):
                open_at = i
            continue
        closes = char in CLOSING or (char == STRAIGHT and not _is_opening(text, i, paragraph.start))
        if char in CLOSING and depth:
            depth -= 1
        elif closes and ((text[open_at] == STRAIGHT) == (char == STRAIGHT) or (char == STRAIGHT and not depth and not closings_left)):
            # a curly quotation may close with a straight mark when no curly one follows: “We will,"
            found.append(Quotation(CharSpan(open_at, i + 1), CharSpan(open_at + 1, i), closed=True))
            open_at = None
        elif char in OPENING and text[open_at] in OPENING:
            if closings_left >= openings_left + depth + 2:
                depth += 1  # a quotation inside the quotation: enough closing marks follow for both
                continue
            # a curly quotation reopened before it closed: the first one ran on without its mark
            found.append(Quotation(CharSpan(open_at, i), CharSpan(open_at + 1, _rstrip(text, open_at + 1, i)), closed=False))
            open_at = i
    if open_at is not None:
        end = _rstrip(text, open_at + 1, paragraph.end)
        found.append(Quotation(CharSpan(open_at, paragraph.end), CharSpan(open_at + 1, end), closed=False))
    return [q for q in found if q.inner.end > q.inner.start]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
