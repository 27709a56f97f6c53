"""claimex_sentences: rule-based sentence and paragraph boundaries for news text.

News text puts every paragraph on its own line, quotes sentences inside quotation marks and uses
abbreviations ("Mr.", "U.S.") that spaCy's tokenizer already keeps whole. The rules, in order:
a line break always ends a sentence and a blank line or a line break ends a paragraph; `.`, `!`,
`?` and `…` end a sentence when the next word does not start in lower case; closing quotation marks
and brackets glued to the end mark stay with the sentence they close. A period that closes a known
place abbreviation the tokenizer splits off ("MILTON, Ont. — ...") does not end a sentence when a
dash follows: that is a dateline, not a sentence end.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy
from spacy.attrs import IDX, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from claimex.annotations import CharSpan
from claimex.components.base import RuleComponent
from claimex.components.doc_text import doc_text

FACTORY = "claimex_sentences"
_NEWLINE = re.compile("\\n")


class _Tokens:
    """The token ids and spacing the rules read, as plain lists (indexing a list is far cheaper than
    `doc[i]`); a token's lexical flags are looked up by its id, only where a rule asks."""

    def __init__(self, doc: Doc, flags: Callable[[int], tuple[bool, bool, bool]]) -> None:
        values = doc.to_array([ORTH, IDX, SPACY])  # uint64: ORTH values are 64-bit hashes
        self.orth: list[int] = values[:, 0].tolist()
        self.idx = values[:, 1].astype("int64")
        self.spaced: list[bool] = (values[:, 2] == 1).tolist()  # the token has a space after it
        self.flags = flags

    def __len__(self) -> int:
        return len(self.orth)

    def is_space(self, i: int) -> bool:
        return self.flags(self.orth[i])[0]

    def opens(self, i: int) -> bool:
        """Punctuation or a quote that is not a letter: what may stand before a sentence's first word."""
        return self.flags(self.orth[i])[1]

    def is_lower(self, i: int) -> bool:
        return self.flags(self.orth[i])[2]


class SentenceSplitter(RuleComponent):
    """Sets `token.is_sent_start` on every token and `doc._.claimex_paragraphs`."""

    required_lists = (
        "sentence_end_marks", "closing_marks", "dateline_dashes", "entity_us_state_abbreviations", "region_abbreviations",
    )

    def build(self) -> None:
        self.end_marks = frozenset(self.lists["sentence_end_marks"])
        self.closing_marks = frozenset(self.lists["closing_marks"])
        self.dashes = frozenset(self.lists["dateline_dashes"])
        rows = self.lists["entity_us_state_abbreviations"] + self.lists["region_abbreviations"]
        # "Name | abbreviation | ..." rows; the abbreviation's stem is the word the tokenizer splits off
        self.abbreviation_stems = frozenset(
            part.strip()[:-1] for row in rows for part in row.split("|")[1:] if part.strip().endswith(".")
        )
        # the same words as token ids (a token's ORTH is the hash of its text), so tokens are never read as strings
        strings = self.nlp.vocab.strings
        self.end_mark_ids = frozenset(strings.add(word) for word in self.end_marks)
        self.closing_mark_ids = frozenset(strings.add(word) for word in self.closing_marks)
        self.dash_ids = frozenset(strings.add(word) for word in self.dashes)
        self.abbreviation_stem_ids = frozenset(strings.add(word) for word in self.abbreviation_stems)
        self.period_id = strings.add(".")
        self._flags: dict[int, tuple[bool, bool, bool]] = {}

    def lexical_flags(self, orth: int) -> tuple[bool, bool, bool]:
        """(is_space, opens, is_lower) of a word, by its id; a word's flags never change, so each is read once."""
        flags = self._flags.get(orth)
        if flags is None:
            lexeme = self.nlp.vocab[orth]
            flags = (lexeme.is_space, (lexeme.is_punct or lexeme.is_quote) and not lexeme.is_alpha, lexeme.is_lower)
            self._flags[orth] = flags
        return flags

    def process(self, doc: Doc) -> Doc:
        if len(doc) == 0:
            doc._.claimex_paragraphs = ()
            return doc
        starts = self.sentence_starts(doc)
        # one array write: setting token.is_sent_start one token at a time re-checks the whole doc each time
        values = numpy.full((len(doc), 1), -1, dtype="int64")
        values[sorted(starts), 0] = 1
        doc.from_array([SENT_START], values.astype("uint64"))
        doc._.claimex_paragraphs = self.paragraphs(doc)
        return doc

    def sentence_starts(self, doc: Doc) -> set[int]:
        """Token indexes that begin a sentence.

        Only two kinds of token can end a sentence: one with a line break in its text or the space
        after it, and an end mark. Both are found on whole arrays (the line breaks of the text, the
        token ids), and only those tokens are looked at one by one.
        """
        tokens = _Tokens(doc, self.lexical_flags)
        n = len(tokens)
        is_space = tokens.is_space
        breaks = numpy.searchsorted(tokens.idx, [m.start() for m in _NEWLINE.finditer(doc_text(doc))], side="right") - 1
        end_marks = self.end_mark_ids
        marks = [i for i, orth in enumerate(tokens.orth) if orth in end_marks]
        broken = set(breaks.tolist())
        starts = {0}
        after = 0  # the first token the token-by-token walk of the rules would look at next
        for i in sorted(broken.union(marks)):
            if i < after:
                continue  # inside a run of spaces after a line break
            if i in broken:
                j = i + 1
                while j < n and is_space(j):
                    j += 1
                if j < n:
                    starts.add(j)
                after = max(i + 1, j)
                continue
            j = i + 1
            # closing quotes and brackets attached to the end mark belong to this sentence
            while j < n and tokens.orth[j] in self.closing_mark_ids and not tokens.spaced[j - 1]:
                j += 1
            while j < n and is_space(j):
                j += 1
            if j < n and tokens.spaced[j - 1] and self.can_start_sentence(tokens, j) and not self.closes_abbreviation(tokens, i, j):
                starts.add(j)
            after = i + 1
        return {s for s in starts if not is_space(s) or s == 0}

    def closes_abbreviation(self, tokens: _Tokens, i: int, j: int) -> bool:
        """Whether the period at `i` closes a place abbreviation ("Ont.") and a dash follows at `j`.

        The tokenizer splits "Ont." into "Ont" and "."; before a dash ("MILTON, Ont. — ...") the period
        is part of a dateline, while before a capitalised word ("in Ont. He said") it may end a sentence.
        """
        return (
            tokens.orth[i] == self.period_id
            and i > 0
            and not tokens.spaced[i - 1]
            and tokens.orth[i - 1] in self.abbreviation_stem_ids
            and tokens.orth[j] in self.dash_ids
        )

    @staticmethod
    def can_start_sentence(tokens: _Tokens, i: int) -> bool:
        """A sentence starts with anything but a lower-case word (after any opening marks)."""
        n = len(tokens)
        while i < n and tokens.opens(i):
            i += 1
        return i >= n or not tokens.is_lower(i)

    @staticmethod
    def paragraphs(doc: Doc) -> tuple[CharSpan, ...]:
        """Paragraphs are the non-blank lines of the text (news articles put one per line)."""
        spans: list[CharSpan] = []
        offset = 0
        for line in doc_text(doc).split("\n"):
            stripped = line.strip()
            if stripped:
                start = offset + (len(line) - len(line.lstrip()))
                spans.append(CharSpan(start, start + len(stripped)))
            offset += len(line) + 1
        return tuple(spans)


@Language.factory(FACTORY, assigns=["token.is_sent_start", "doc._.claimex_paragraphs"])
def make_sentences(nlp: Language, name: str) -> SentenceSplitter:
    """Rule-based sentence splitter for news text (see module docstring)."""
    return SentenceSplitter(nlp, name)
