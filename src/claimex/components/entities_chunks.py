"""Name chunks: maximal runs of capitalised words, the raw material of rule-based entity recognition.

A chunk is a run of words that start with a capital ("Ford Motor Company", "OAS"), glued by
in-word hyphens ("Al-Ahly", "Tehreek-e-Insaf"), name particles ("Charles de Gaulle", "al-Qaeda"),
"&" ("Procter & Gamble") and, after the head of an organisation or place, by "of", "for" or "on"
("Organization of American States", "Bank of the West"). A chunk never crosses a sentence start,
never includes a possessive "'s", and never starts with a capitalised function word ("The",
"Although", "Both"), so the sentence-initial capital of ordinary words does not make names; nor,
at the start of a sentence, with an adverb of `entity_sentence_adverbs` ("Later Anna Lindqvist
scored" gives "Anna Lindqvist").

Lines written as headlines (every content word capitalised, or mostly upper case) get no chunks:
rules only trust the gazetteers there.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import and_
from typing import NamedTuple

from spacy.attrs import SENT_START
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from claimex.components.token_table import TokenTable, token_table

HYPHENS = frozenset({"-", "‐", "‑"})
NAME_CACHE_LIMIT = 500_000  # words whose name-word test a Chunker keeps
AMPERSAND = "&"
OPENERS = frozenset({'"', "“", "‘", "'", "(", "[", "«"})
SENTENCE_ENDS = frozenset({".", "!", "?", "…"})
# Punctuation that separates the names of a list or results line ("Jane Doe (Kenya), John Roe; ...").
LIST_SEPARATORS = frozenset({",", ";", ":", "(", ")"})
# Facts of a word that chunking and line tests read at every token, as bits of one code per word.
NAME = 1  # a name word (see `Chunker._name_word`)
START = 2  # a chunk can start at it: a name word or a particle
LINE_BREAK = 4  # holds a line break
PLAIN = 8  # alphabetic, lower case, not one of `HEADLINE_SMALL_WORDS`
LOWER_WORD = 16  # alphabetic, lower case, longer than one letter
WORD_FACTS = (NAME, START, LINE_BREAK, PLAIN, LOWER_WORD)
# Words that title-case headlines leave in lower case ("France and Kenya to Renew Ties").
HEADLINE_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "as", "vs", "per", "via"}
)


class NameChunk(NamedTuple):
    """Tokens [start, end) of a run of name words; `words` are the capitalised words themselves.

    A named tuple: an article has dozens of chunks, made far more cheaply than frozen dataclasses."""

    start: int
    end: int
    words: tuple[int, ...]
    connector: int | None  # token index of the "of"/"for"/"on" that joins a head to its complement
    sentence_initial: bool


class Chunker:
    """Finds name chunks in a Doc; the word lists it needs are given once, at build time."""

    def __init__(
        self,
        *,
        particles: Collection[str],
        connectors: Collection[str],
        connector_heads: Collection[str],
        calendar_words: Collection[str],
        sentence_adverbs: Collection[str] = (),
    ) -> None:
        self.particles = frozenset(particles)
        self.sentence_adverbs = frozenset(sentence_adverbs)
        self.connectors = frozenset(connectors)
        self.connector_heads = frozenset(connector_heads)
        self.calendar_words = frozenset(calendar_words)
        self._codes: dict[str, int] = {}  # word -> the `WORD_FACTS` bits it has (see `_word_codes`)
        self._last_codes: tuple[TokenTable, list[int]] | None = None  # the codes of the table asked last
        self._last_lines: tuple[TokenTable, list[range]] | None = None

    # -- words -----------------------------------------------------------------------------------
    def is_name_word(self, token: Token) -> bool:
        """A word that can be part of a name: starts with a capital, is no function word or month."""
        return self._name_word(token.text, token.lower_, token.is_title)

    def _name_word(self, text: str, lower: str, is_title: bool) -> bool:
        if not text[:1].isupper() or not any(ch.isalpha() for ch in text):
            return False
        if len(text) == 1:  # "I", "A"
            return False
        if is_title and lower in STOP_WORDS:
            return False
        return lower.rstrip(".") not in self.calendar_words

    def name_words(self, doc: Doc) -> list[bool]:
        """`is_name_word` of every token of the doc, read from its token table; each word is judged once."""
        return list(map(bool, _facts(self._word_codes(token_table(doc)), NAME)))

    def _word_codes(self, table: TokenTable) -> list[int]:
        """Per token, the `WORD_FACTS` bits of its word. They depend on the word alone, so each word is
        judged once, and each token costs one lookup however many facts are read; the codes of the
        table asked last are kept (headlines, lists and chunks read the same table)."""
        last = self._last_codes
        if last is not None and last[0] is table:
            return last[1]
        codes = self._codes
        if len(codes) > NAME_CACHE_LIMIT:  # a new dict: another thread may still read the old one
            codes = self._codes = {}
        texts = table.text
        try:  # most articles hold no word not seen before: no set of their words is needed
            column = list(map(codes.__getitem__, texts))
        except KeyError:  # the words' lower-case forms and flags are the same at every token: read one of each
            at = dict(zip(texts, range(len(texts))))
            for text in set(texts).difference(codes):
                codes[text] = self._word_code(table, at[text])
            column = list(map(codes.__getitem__, texts))
        self._last_codes = (table, column)
        return column

    def _word_code(self, table: TokenTable, i: int) -> int:
        """The `WORD_FACTS` bits of the word of token `i`."""
        text, lower, alpha, is_lower = table.text[i], table.lower[i], table.is_alpha[i], table.is_lower[i]
        name = self._name_word(text, lower, table.is_title[i])
        code = NAME if name else 0
        if name or lower in self.particles:
            code |= START
        if "\n" in text:
            code |= LINE_BREAK
        if alpha and is_lower and lower not in HEADLINE_SMALL_WORDS:
            code |= PLAIN
        if alpha and is_lower and len(text) > 1:
            code |= LOWER_WORD
        return code

    # -- lines -----------------------------------------------------------------------------------
    def headline_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a headline-like line (title case or upper case)."""
        table = token_table(doc)
        flags = [False] * len(doc)
        codes = self._word_codes(table)
        for line in self._lines(table):
            if len(line) >= 3 and not _running_text(table, line, codes):
                _flag_line(table, line, flags)
        return flags

    def list_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a list or results line ("3. Jane Doe (Kenya) 1:18.11")."""
        table = token_table(doc)
        flags = [False] * len(doc)
        codes = self._word_codes(table)
        for line in self._lines(table):
            if any(_facts(codes[line.start : line.stop], LOWER_WORD)):
                continue  # a word in lower case: no list line (see `_is_list_line`)
            words = _words(table, line)
            if words and _is_list_line(table, line, words):
                flags[line.start : line.stop] = [True] * len(line)
        return flags

    def _lines(self, table: TokenTable) -> list[range]:
        """`_lines` of a table, kept for the last table asked (headline and list lines read the same)."""
        last = self._last_lines
        if last is None or last[0] is not table:
            last = self._last_lines = (table, _lines(self._word_codes(table)))
        return last[1]

    # -- chunks ----------------------------------------------------------------------------------
    def chunks(self, doc: Doc, skip: list[bool]) -> list[NameChunk]:
        """All name chunks of the doc outside the tokens flagged in `skip` (headlines).

        A chunk starts at a name word, or at a particle glued by a hyphen to one ("al-Qaeda"), and
        grows over name words and the tokens `_glue` lets it cross, up to a sentence start or a
        skipped token. One loop over the tokens that can start a chunk (name words and particles,
        found in C); the tokens between are never looked at.
        """
        table = token_table(doc)
        codes = self._word_codes(table)
        lower = table.lower
        name = list(_facts(codes, NAME))  # truthy at name words
        sent_start = (doc.to_array(SENT_START) == 1).tolist()
        view = _ChunkView(table, name, sent_start)
        particles, connectors = self.particles, self.connectors
        n = len(name)
        found: list[NameChunk] = []
        i = 0
        for start in compress(range(n), _facts(codes, START)):
            if start < i:
                continue  # inside the chunk found last
            i = start
            if skip[start] or not (
                name[start]
                # "al-Qaeda": a particle glued by a hyphen to a name word
                or (lower[start] in particles and _glued_hyphen(view, start + 1) and start + 2 < n and name[start + 2])
            ):
                i += 1
                continue
            words: list[int] = []
            connector: int | None = None
            j = start
            while j < n and not skip[j]:
                if j > start and sent_start[j]:
                    break
                if name[j]:
                    words.append(j)
                    j += 1
                    continue
                step = self._glue(view, j, words, connector)
                if step is None:
                    break
                if lower[j] in connectors:
                    connector = j
                j = step
            if words:
                end = words[-1] + 1
                initial = _sentence_initial(view, start)
                if initial and len(words) > 1 and words[:2] == [start, start + 1] and lower[start] in self.sentence_adverbs:
                    start, initial = start + 1, False  # "Later Anna Lindqvist": the adverb is not part of the name
                    words.pop(0)
                found.append(NameChunk(start, end, tuple(words), connector, initial))
                i = max(end, i + 1)
            else:
                i += 1
        return found

    def _glue(self, view: _ChunkView, i: int, words: list[int], connector: int | None) -> int | None:
        """If the token at `i` joins the chunk to a following name word, the index of that word."""
        table, name = view.table, view.name
        n = len(name)
        lower = table.lower[i]
        if not words and lower not in self.particles:
            return None
        nxt = i + 1
        # in-word hyphens: "Al-Ahly", "Jebel-Ali", "Tehreek-e-Insaf" (not "UN-led")
        if table.text[i] in HYPHENS and _glued_hyphen(view, i) and words and words[-1] == i - 1:
            if nxt < n and name[nxt]:
                return nxt
            if nxt + 2 < n and table.is_lower[nxt] and len(table.text[nxt]) <= 3 and _glued_hyphen(view, nxt + 1) and name[nxt + 2]:
                return nxt + 2
            return None
        # particles: "Charles de Gaulle", "Abu Bakr al-Baghdadi"
        if lower in self.particles:
            if nxt < n and name[nxt]:
                return nxt
            if _glued_hyphen(view, nxt) and nxt + 1 < n and name[nxt + 1]:
                return nxt + 1
            return None
        if table.text[i] == AMPERSAND and words and nxt < n and name[nxt]:
            return nxt
        # "Organization of American States", "Bank of the West"
        if lower in self.connectors and connector is None and words and words[-1] == i - 1:
            if table.lower[i - 1] not in self.connector_heads:
                return None
            if nxt < n and table.lower[nxt] == "the" and table.is_lower[nxt]:
                nxt += 1
            if nxt < n and name[nxt] and not view.sent_start[nxt]:
                return nxt
        return None


def _facts(codes: list[int], fact: int) -> Iterator[int]:
    """Per token, its word's `fact` bit (non-zero when it has the fact), computed in C."""
    return map(and_, codes, repeat(fact))


@dataclass(frozen=True)
class _ChunkView:
    """What chunking reads of a doc: its token table, name words and sentence starts (plain lists)."""

    table: TokenTable
    name: list[int]  # non-zero at name words (the `NAME` bit of their code)
    sent_start: list[bool]


def _glued_hyphen(view: _ChunkView, i: int) -> bool:
    """A hyphen token with no space on either side."""
    table = view.table
    return 0 < i < len(table.text) and table.text[i] in HYPHENS and not table.whitespace[i - 1] and not table.whitespace[i]


def _sentence_initial(view: _ChunkView, i: int) -> bool:
    """Whether token `i` opens its sentence (after any opening quotes or brackets)."""
    table, sent_start = view.table, view.sent_start
    if sent_start[i]:
        return True
    j = i - 1
    while j >= 0 and table.text[j] in OPENERS:
        if sent_start[j]:
            return True
        j -= 1
    return j < 0 or table.is_space[j] or "\n" in table.whitespace[j] or table.text[j] in SENTENCE_ENDS


def _lines(codes: list[int]) -> list[range]:
    """Token indexes of each line: the tokens between those whose text holds a line break (by the
    tokens' `WORD_FACTS` codes)."""
    lines: list[range] = []
    start = 0
    for i in list(compress(range(len(codes)), _facts(codes, LINE_BREAK))):
        lines.append(range(start, i))
        start = i + 1
    lines.append(range(start, len(codes)))
    return lines


def _words(table: TokenTable, line: range) -> list[int]:
    """The alphabetic tokens of a line."""
    return list(compress(line, table.is_alpha[line.start : line.stop]))


def _flag_line(table: TokenTable, line: range, flags: list[bool]) -> None:
    """Flag the tokens of a headline-like line: its content words all capitalised, or mostly upper case."""
    words = _words(table, line)
    content = [i for i in words if table.lower[i] not in HEADLINE_SMALL_WORDS]
    if len(content) < 3:
        return
    upper_words = compress(words, map(table.is_upper.__getitem__, words))
    upper = sum(1 for i in upper_words if len(table.text[i]) > 1)
    capitalised = all(table.text[i][0].isupper() for i in content)
    if capitalised and upper < 0.6 * len(words) and _is_list_line(table, line, words):
        return
    if capitalised or upper >= 0.6 * len(words):
        flags[line.start : line.stop] = [True] * len(line)


def _running_text(table: TokenTable, line: range, codes: list[int]) -> bool:
    """A line `_flag_line` leaves alone, told apart in C loops over the line (most lines of an article).

    Fewer than three alphabetic words make no headline. A `PLAIN` word (alphabetic, lower case, not
    one of `HEADLINE_SMALL_WORDS`) is a content word that is not capitalised; then the line is flagged
    only when 60% of its alphabetic words are in upper case, which fewer upper-case tokens rule out.
    """
    start, stop = line.start, line.stop
    alphabetic = sum(table.is_alpha[start:stop])
    if alphabetic < 3:
        return True
    return sum(table.is_upper[start:stop]) < 0.6 * alphabetic and any(_facts(codes[start:stop], PLAIN))


def _is_list_line(table: TokenTable, line: Sequence[int], words: list[int]) -> bool:
    """A line of a list or results table, not a headline: names between numbers and punctuation.

    "3. Jane Doe (Kenya) 1:18.11", "Squad: Jane Doe, John Roe", "Leeds 2 Chelsea 1" write every word
    with a capital because every word is a name; a headline has no numbers or separators between
    its words, or keeps small words in lower case ("and", "to").
    """
    if any(table.is_lower[i] and len(table.text[i]) > 1 for i in words):
        return False
    return any(table.like_num[i] or table.text[i] in LIST_SEPARATORS for i in line)
