"""Name chunks: maximal runs of capitalised words, the raw material of rule-based entity recognition.

A chunk is a run of words that start with a capital ("Ford Motor Company", "OAS"), glued by
in-word hyphens ("Al-Ahly", "Tehreek-e-Insaf"), name particles ("Charles de Gaulle", "al-Qaeda"),
"&" ("Procter & Gamble") and, after the head of an organisation or place, by "of", "for" or "on"
("Organization of American States", "Bank of the West"). A chunk never crosses a sentence start,
never includes a possessive "'s", and never starts with a capitalised function word ("The",
"Although", "Both"), so the sentence-initial capital of ordinary words does not make names.

Lines written as headlines (every content word capitalised, or mostly upper case) get no chunks:
rules only trust the gazetteers there.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import compress

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
# Words that title-case headlines leave in lower case ("France and Kenya to Renew Ties").
HEADLINE_SMALL_WORDS = frozenset(
    {"a", "an", "the", "and", "or", "but", "nor", "of", "to", "in", "on", "at", "by", "for", "as", "vs", "per", "via"}
)


@dataclass(frozen=True)
class NameChunk:
    """Tokens [start, end) of a run of name words; `words` are the capitalised words themselves."""

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
    ) -> None:
        self.particles = frozenset(particles)
        self.connectors = frozenset(connectors)
        self.connector_heads = frozenset(connector_heads)
        self.calendar_words = frozenset(calendar_words)
        self._name_cache: dict[str, bool] = {}  # word -> is a name word (see `_word_cache`)
        self._start_cache: dict[str, bool] = {}  # word -> a chunk can start with it
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
        table = token_table(doc)
        names, _ = self._word_cache(table)
        return list(map(names.__getitem__, table.text))

    def _word_cache(self, table: TokenTable) -> tuple[dict[str, bool], dict[str, bool]]:
        """Per word: (is a name word, can start a chunk: a name word or a particle), with the table's
        words added. Both depend on the word alone, so each word is judged once."""
        names, starts = self._name_cache, self._start_cache
        if len(names) > NAME_CACHE_LIMIT:  # new dicts: another thread may still read the old ones
            names, starts = self._name_cache, self._start_cache = {}, {}
        missing = set(table.text).difference(starts)
        if missing:  # the words' lower-case forms and flags are the same at every token
            for text, lower, title in zip(table.text, table.lower, table.is_title):
                if text in missing:
                    name = names[text] = self._name_word(text, lower, title)
                    starts[text] = name or lower in self.particles  # last: a word here is in both
        return names, starts

    # -- lines -----------------------------------------------------------------------------------
    def headline_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a headline-like line (title case or upper case)."""
        table = token_table(doc)
        flags = [False] * len(doc)
        for line in self._lines(table):
            _flag_line(table, line, flags)
        return flags

    def list_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a list or results line ("3. Jane Doe (Kenya) 1:18.11")."""
        table = token_table(doc)
        flags = [False] * len(doc)
        for line in self._lines(table):
            words = _words(table, line)
            if words and _is_list_line(table, line, words):
                flags[line.start : line.stop] = [True] * len(line)
        return flags

    def _lines(self, table: TokenTable) -> list[range]:
        """`_lines` of a table, kept for the last table asked (headline and list lines read the same)."""
        last = self._last_lines
        if last is None or last[0] is not table:
            last = self._last_lines = (table, _lines(table))
        return last[1]

    # -- chunks ----------------------------------------------------------------------------------
    def chunks(self, doc: Doc, skip: list[bool]) -> list[NameChunk]:
        """All name chunks of the doc outside the tokens flagged in `skip` (headlines)."""
        table = token_table(doc)
        names, can_start = self._word_cache(table)
        view = _ChunkView(table, list(map(names.__getitem__, table.text)), (doc.to_array(SENT_START) == 1).tolist())
        found: list[NameChunk] = []
        # a chunk can only start at a name word or a particle: the other tokens are passed at once
        starts = compress(range(len(table)), map(can_start.__getitem__, table.text))
        i = 0
        for candidate in starts:
            if candidate < i:
                continue  # inside the chunk found last
            i = candidate
            start = self._chunk_start(view, i, skip)
            if start is None:
                i += 1
                continue
            words, connector, end = self._extend(view, start, skip)
            if words:
                found.append(NameChunk(start, end, tuple(words), connector, _sentence_initial(view, start)))
            i = max(end, i + 1)
        return found

    def _chunk_start(self, view: _ChunkView, i: int, skip: list[bool]) -> int | None:
        if skip[i]:
            return None
        if view.name[i]:
            return i
        # "al-Qaeda": a particle glued by a hyphen to a name word
        if view.table.lower[i] in self.particles and _glued_hyphen(view, i + 1) and i + 2 < len(view.name) and view.name[i + 2]:
            return i
        return None

    def _extend(self, view: _ChunkView, start: int, skip: list[bool]) -> tuple[list[int], int | None, int]:
        """Grow a chunk from `start`; returns its name words, its connector and its end."""
        n = len(view.name)
        words: list[int] = []
        connector: int | None = None
        i = start
        while i < n and not skip[i]:
            if i > start and view.sent_start[i]:
                break
            if view.name[i]:
                words.append(i)
                i += 1
                continue
            step = self._glue(view, i, words, connector)
            if step is None:
                break
            if view.table.lower[i] in self.connectors:
                connector = i
            i = step
        end = words[-1] + 1 if words else start
        return words, connector, end

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


@dataclass(frozen=True)
class _ChunkView:
    """What chunking reads of a doc: its token table, name words and sentence starts (plain lists)."""

    table: TokenTable
    name: list[bool]
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


def _lines(table: TokenTable) -> list[range]:
    """Token indexes of each line: the tokens between those whose text holds a line break."""
    lines: list[range] = []
    start = 0
    for i in [i for i, text in enumerate(table.text) if "\n" in text]:
        lines.append(range(start, i))
        start = i + 1
    lines.append(range(start, len(table.text)))
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


def _is_list_line(table: TokenTable, line: Sequence[int], words: list[int]) -> bool:
    """A line of a list or results table, not a headline: names between numbers and punctuation.

    "3. Jane Doe (Kenya) 1:18.11", "Squad: Jane Doe, John Roe", "Leeds 2 Chelsea 1" write every word
    with a capital because every word is a name; a headline has no numbers or separators between
    its words, or keeps small words in lower case ("and", "to").
    """
    if any(table.is_lower[i] and len(table.text[i]) > 1 for i in words):
        return False
    return any(table.like_num[i] or table.text[i] in LIST_SEPARATORS for i in line)
