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

import numpy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from claimex.annotations import CharSpan
from claimex.components.base import RuleComponent
from claimex.components.token_table import TokenTable, token_table

FACTORY = "claimex_sentences"


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
        """Token indexes that begin a sentence (read from the doc's token table, not token by token)."""
        table = token_table(doc)
        text, whitespace, is_space = table.text, table.whitespace, table.is_space
        starts = {0}
        n = len(doc)
        i = 0
        while i < n:
            if "\n" in text[i] or "\n" in whitespace[i]:
                j = i + 1
                while j < n and is_space[j]:
                    j += 1
                if j < n:
                    starts.add(j)
                i = max(i + 1, j)
                continue
            if text[i] in self.end_marks:
                j = i + 1
                # closing quotes and brackets attached to the end mark belong to this sentence
                while j < n and text[j] in self.closing_marks and not whitespace[j - 1]:
                    j += 1
                while j < n and is_space[j]:
                    j += 1
                if j < n and whitespace[j - 1] and self.can_start_sentence(table, j) and not self.closes_abbreviation(table, i, j):
                    starts.add(j)
            i += 1
        return {s for s in starts if not is_space[s] or s == 0}

    def closes_abbreviation(self, table: TokenTable, i: int, j: int) -> bool:
        """Whether the period at `i` closes a place abbreviation ("Ont.") and a dash follows at `j`.

        The tokenizer splits "Ont." into "Ont" and "."; before a dash ("MILTON, Ont. — ...") the period
        is part of a dateline, while before a capitalised word ("in Ont. He said") it may end a sentence.
        """
        return (
            table.text[i] == "."
            and i > 0
            and not table.whitespace[i - 1]
            and table.text[i - 1] in self.abbreviation_stems
            and table.text[j] in self.dashes
        )

    @staticmethod
    def can_start_sentence(table: TokenTable, i: int) -> bool:
        """A sentence starts with anything but a lower-case word (after any opening marks)."""
        n = len(table)
        while i < n and (table.is_punct[i] or table.is_quote[i]) and not table.is_alpha[i]:
            i += 1
        return i >= n or not table.is_lower[i]

    @staticmethod
    def paragraphs(doc: Doc) -> tuple[CharSpan, ...]:
        """Paragraphs are the non-blank lines of the text (news articles put one per line)."""
        spans: list[CharSpan] = []
        offset = 0
        for line in doc.text.split("\n"):
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
