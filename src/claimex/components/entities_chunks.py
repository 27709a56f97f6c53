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

from collections.abc import Collection
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

HYPHENS = frozenset({"-", "‐", "‑"})
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

    # -- words -----------------------------------------------------------------------------------
    def is_name_word(self, token: Token) -> bool:
        """A word that can be part of a name: starts with a capital, is no function word or month."""
        text = token.text
        if not text[:1].isupper() or not any(ch.isalpha() for ch in text):
            return False
        if len(text) == 1:  # "I", "A"
            return False
        lower = token.lower_
        if token.is_title and lower in STOP_WORDS:
            return False
        return lower.rstrip(".") not in self.calendar_words

    # -- lines -----------------------------------------------------------------------------------
    def headline_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a headline-like line (title case or upper case)."""
        flags = [False] * len(doc)
        line: list[int] = []
        for token in doc:
            if "\n" in token.text:
                self._flag_line(doc, line, flags)
                line = []
            else:
                line.append(token.i)
        self._flag_line(doc, line, flags)
        return flags

    def list_tokens(self, doc: Doc) -> list[bool]:
        """For every token, whether it lies on a list or results line ("3. Jane Doe (Kenya) 1:18.11")."""
        flags = [False] * len(doc)
        line: list[int] = []
        for token in list(doc) + [None]:
            if token is None or "\n" in token.text:
                words = [doc[i] for i in line if doc[i].is_alpha]
                if words and self._is_list_line(doc, line, words):
                    for i in line:
                        flags[i] = True
                line = []
            else:
                line.append(token.i)
        return flags

    @staticmethod
    def _flag_line(doc: Doc, line: list[int], flags: list[bool]) -> None:
        words = [doc[i] for i in line if doc[i].is_alpha]
        content = [t for t in words if t.lower_ not in HEADLINE_SMALL_WORDS]
        if len(content) < 3:
            return
        upper = sum(1 for t in words if t.is_upper and len(t) > 1)
        capitalised = all(t.text[0].isupper() for t in content)
        if capitalised and upper < 0.6 * len(words) and Chunker._is_list_line(doc, line, words):
            return
        if capitalised or upper >= 0.6 * len(words):
            for i in line:
                flags[i] = True

    @staticmethod
    def _is_list_line(doc: Doc, line: list[int], words: list[Token]) -> bool:
        """A line of a list or results table, not a headline: names between numbers and punctuation.

        "3. Jane Doe (Kenya) 1:18.11", "Squad: Jane Doe, John Roe", "Leeds 2 Chelsea 1" write every word
        with a capital because every word is a name; a headline has no numbers or separators between
        its words, or keeps small words in lower case ("and", "to").
        """
        if any(t.is_lower and len(t) > 1 for t in words):
            return False
        return any(doc[i].like_num or doc[i].text in LIST_SEPARATORS for i in line)

    # -- chunks ----------------------------------------------------------------------------------
    def chunks(self, doc: Doc, skip: list[bool]) -> list[NameChunk]:
        """All name chunks of the doc outside the tokens flagged in `skip` (headlines)."""
        found: list[NameChunk] = []
        n = len(doc)
        i = 0
        while i < n:
            start = self._chunk_start(doc, i, skip)
            if start is None:
                i += 1
                continue
            words, connector, end = self._extend(doc, start, skip)
            if words:
                found.append(NameChunk(start, end, tuple(words), connector, self._sentence_initial(doc, start)))
            i = max(end, i + 1)
        return found

    def _chunk_start(self, doc: Doc, i: int, skip: list[bool]) -> int | None:
        if skip[i]:
            return None
        token = doc[i]
        if self.is_name_word(token):
            return i
        # "al-Qaeda": a particle glued by a hyphen to a name word
        if token.lower_ in self.particles and self._glued_hyphen(doc, i + 1) and i + 2 < len(doc) and self.is_name_word(doc[i + 2]):
            return i
        return None

    def _extend(self, doc: Doc, start: int, skip: list[bool]) -> tuple[list[int], int | None, int]:
        """Grow a chunk from `start`; returns its name words, its connector and its end."""
        n = len(doc)
        words: list[int] = []
        connector: int | None = None
        i = start
        while i < n and not skip[i]:
            if i > start and doc[i].is_sent_start:
                break
            token = doc[i]
            if self.is_name_word(token):
                words.append(i)
                i += 1
                continue
            step = self._glue(doc, i, words, connector)
            if step is None:
                break
            if doc[i].lower_ in self.connectors:
                connector = i
            i = step
        end = words[-1] + 1 if words else start
        return words, connector, end

    def _glue(self, doc: Doc, i: int, words: list[int], connector: int | None) -> int | None:
        """If the token at `i` joins the chunk to a following name word, the index of that word."""
        n = len(doc)
        token = doc[i]
        if not words and token.lower_ not in self.particles:
            return None
        nxt = i + 1
        # in-word hyphens: "Al-Ahly", "Jebel-Ali", "Tehreek-e-Insaf" (not "UN-led")
        if token.text in HYPHENS and self._glued_hyphen(doc, i) and words and words[-1] == i - 1:
            if nxt < n and self.is_name_word(doc[nxt]):
                return nxt
            if nxt + 2 < n and doc[nxt].is_lower and len(doc[nxt]) <= 3 and self._glued_hyphen(doc, nxt + 1) and self.is_name_word(doc[nxt + 2]):
                return nxt + 2
            return None
        # particles: "Charles de Gaulle", "Abu Bakr al-Baghdadi"
        if token.lower_ in self.particles:
            if nxt < n and self.is_name_word(doc[nxt]):
                return nxt
            if self._glued_hyphen(doc, nxt) and nxt + 1 < n and self.is_name_word(doc[nxt + 1]):
                return nxt + 1
            return None
        if token.text == AMPERSAND and words and nxt < n and self.is_name_word(doc[nxt]):
            return nxt
        # "Organization of American States", "Bank of the West"
        if token.lower_ in self.connectors and connector is None and words and words[-1] == i - 1:
            if doc[i - 1].lower_ not in self.connector_heads:
                return None
            if nxt < n and doc[nxt].lower_ == "the" and doc[nxt].is_lower:
                nxt += 1
            if nxt < n and self.is_name_word(doc[nxt]) and not doc[nxt].is_sent_start:
                return nxt
        return None

    @staticmethod
    def _glued_hyphen(doc: Doc, i: int) -> bool:
        """A hyphen token with no space on either side."""
        return 0 < i < len(doc) and doc[i].text in HYPHENS and not doc[i - 1].whitespace_ and not doc[i].whitespace_

    @staticmethod
    def _sentence_initial(doc: Doc, i: int) -> bool:
        """Whether token `i` opens its sentence (after any opening quotes or brackets)."""
        if doc[i].is_sent_start:
            return True
        j = i - 1
        while j >= 0 and doc[j].text in OPENERS:
            if doc[j].is_sent_start:
                return True
            j -= 1
        return j < 0 or doc[j].is_space or "\n" in doc[j].whitespace_ or doc[j].text in SENTENCE_ENDS
