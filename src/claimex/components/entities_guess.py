"""Guesses for names that no list, head word or title has typed: the recall end of the recognizer.

News names far more organisations and people than any list holds ("Acme", "Jane Doe"). A name chunk
that nothing else typed is still a name when it is not a sentence-initial capital, and its label is
read from its neighbours:
- an organisation noun before it ("aircraft manufacturer Acme", "rival Acme"), an organisation word
  after it ("Acme shares", "Acme's chief executive"), a place word inside it ("Boston Celtics"), a
  score after it in a results line ("Leeds 2 Chelsea 1");
- a person: a nationality before it ("Argentine Jane Doe"), an age after it ("Jane Doe, 49,"), a
  country in brackets after it ("Jane Doe (Kenya)" in a results list);
- a nationality: an "-ian", "-ean" or "-ese" adjective before a common noun ("the Zairean army").
Without such a neighbour a single word reads as an organisation and two to four name-shaped words as
a person. One name keeps one label in an article: contextual readings outvote the defaults.
Products are read from their shape: model codes ("A380"), a brand and a model number ("Acme 737"),
camel-case names ("iPhone") and model numbers before a product noun ("the 787 aircraft").
All guesses have the lowest priority but repeats, so every other rule and list wins over them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from claimex.components.entities_chunks import NameChunk
from claimex.components.entities_rules import (
    PRIORITY_GAZETTEER,
    PRIORITY_GUESS,
    PRIORITY_HEAD,
    Candidate,
    looks_like_person,
)
from claimex.components.token_table import token_table
from claimex.normalize.names import is_acronym

# "A380", "A350s", "A400M": one or two capitals, three digits, a short suffix.
MODEL_CODE = re.compile(r"^[A-Z]{1,2}\d{3}[A-Za-z]{0,3}$")
# "737", "737-800", "777-200LR", "787s": a three-digit model number.
MODEL_NUMBER = re.compile(r"^(\d{3})(-\d{1,3}[A-Z]{0,2})?(s)?$")
# "iPhone", "iOS", "eReader": camel case that starts in lower case.
CAMEL = re.compile(r"^[a-z][A-Z][A-Za-z]+$")
# what the three shapes above start with: tokens that do not are skipped at once
PRODUCT_SHAPE = re.compile(r"^(?:[A-Z]{1,2}\d|[a-z][A-Z]|\d{3})")
SHAPE_CACHE_LIMIT = 500_000  # words whose `PRODUCT_SHAPE` test a Guesser keeps
# a version after a product name: "4", "3G", "3GS", "X"
VERSION = re.compile(r"^(\d{1,2}[A-Za-z]{0,2}|[A-Z]{1,2}\d{0,2})$")
# "Zairean", "Congolese", "Bosnians": nationality-shaped words
NORP_SHAPE = re.compile(r"^[A-Z][a-z]{3,}(?:ian|ean|ese)s?$")
# a score or a count in a results or standings line
SCORE = re.compile(r"^\d{1,3}$")
PLACE_PREPOSITIONS = frozenset({"in", "near", "outside"})
MATCH_LINKS = frozenset({"v", "v.", "vs", "vs.", "AT"})
POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
OPENING = frozenset({"(", "["})
CLOSING = frozenset({")", "]"})

RULE_ORG = "guess.org_context"
RULE_PERSON = "guess.person_context"
RULE_NORP = "guess.norp_shape"
RULE_TEAM = "guess.team"
RULE_WORD = "guess.word"
RULE_NAME = "guess.name"
PRIORITY_TEAM = PRIORITY_GAZETTEER + 1  # a club named after its town wins over the town
EVIDENCE_RULES = frozenset({RULE_ORG, RULE_PERSON, RULE_NORP, RULE_TEAM})


@dataclass(frozen=True)
class GuessLexicons:
    """Lower-case word lists that read a label from a name's neighbours."""

    org_cues: frozenset[str]  # "manufacturer" in "aircraft manufacturer Acme"
    org_followers: frozenset[str]  # "shares" in "Acme shares"
    product_nouns: frozenset[str]  # "aircraft" in "the 787 aircraft"
    model_blockers: frozenset[str]  # "flight" in "Flight 447": no maker
    given_names: frozenset[str]
    calendar_words: frozenset[str]


class Guesser:
    """Proposes guessed candidates for a Doc; built once with its word lists."""

    def __init__(self, lex: GuessLexicons) -> None:
        self.lex = lex
        self._shapes: dict[str, bool] = {}  # word -> it starts like a product shape (`PRODUCT_SHAPE`)

    # -- name chunks -----------------------------------------------------------------------------
    def chunk_candidates(
        self,
        doc: Doc,
        free: Sequence[NameChunk],
        *,
        covered: Collection[int],
        listed: Mapping[int, str],
        places: Collection[int],
        common: Collection[str],
        lists: Sequence[bool],
    ) -> list[Candidate]:
        """A guess for every untyped chunk that reads as a name.

        `covered` are tokens that lists or gazetteers read, `listed` the labels of the countries,
        nationalities and organisations among them (by token), `places` the tokens of place names and
        `common` lower-case words the article also writes in lower case.
        """
        found: list[Candidate] = []
        counts = _WordCounts(token_table(doc).text)
        for chunk in free:
            guess = self._guess(doc, chunk, covered, listed, places, common, lists[chunk.start], counts)
            if guess is not None:
                found.append(guess)
        return consistent(doc, found)

    def _guess(
        self,
        doc: Doc,
        chunk: NameChunk,
        covered: Collection[int],
        listed: Mapping[int, str],
        places: Collection[int],
        common: Collection[str],
        in_list: bool,
        counts: _WordCounts,
    ) -> Candidate | None:
        words = list(chunk.words)
        while words and words[0] in listed:  # "U.S. Treasury" -> "Treasury"
            words.pop(0)
        if not words or all(w in covered for w in words):
            return None
        start = chunk.start if words[0] == chunk.words[0] else words[0]
        end = chunk.end
        initial = chunk.sentence_initial and start == chunk.start
        table = token_table(doc)
        text, lower = table.text, table.lower
        if len(words) == 1 and (
            is_acronym(text[start])
            or lower[start].rstrip(".") in self.lex.calendar_words
            or lower[start] in self.lex.model_blockers
        ):
            return None  # acronyms have their own rule; "Dec." is a month; "Flight 447" no name
        label = self._context_label(doc, start, end, words, listed, places)
        if label == "TEAM":
            return Candidate(start, end, "ORG", RULE_TEAM, PRIORITY_GUESS)
        if label is not None:
            return Candidate(start, end, label, _evidence_rule(label), PRIORITY_GUESS)
        if initial and (len(words) == 1 or lower[start] in common or lower[start] in STOP_WORDS):
            return None  # "Analysts said", "Officials in ...": a sentence-initial capital says nothing
        if len(words) > 1 and start > 0 and text[start - 1] in POSSESSIVES:
            return None  # "Acme's Growth Plan": what a named owner has is seldom a name of its own kind
        if len(words) == 1:
            if text[start].endswith("s") and lower[start] in common:
                return None
            if in_list and looks_like_person(doc, words):
                return Candidate(start, end, "PERSON", RULE_WORD, PRIORITY_GUESS)  # "Bowling: Doe 10-2-26-0"
            if start > 0 and lower[start - 1] in PLACE_PREPOSITIONS and table.is_lower[start - 1]:
                return Candidate(start, end, "GPE", RULE_WORD, PRIORITY_GUESS)  # "near Umkomaas"
            return Candidate(start, end, "ORG", RULE_WORD, PRIORITY_GUESS)
        person = looks_like_person(doc, words) and not any(lower[w] in common for w in words)
        label = "PERSON" if person and (in_list or self._reused_surname(doc, words, counts)) else "ORG"
        return Candidate(start, end, label, RULE_NAME, PRIORITY_GUESS)

    @staticmethod
    def _reused_surname(doc: Doc, words: Sequence[int], counts: _WordCounts) -> bool:
        """Whether the article names the last word alone at least as often as the first.

        People come back by surname ("Jane Doe ... Doe said"), organisations by their first word
        ("Acme Widgets ... Acme said").
        """
        texts = token_table(doc).text
        return counts[texts[words[-1]]] >= counts[texts[words[0]]]

    def _context_label(
        self,
        doc: Doc,
        start: int,
        end: int,
        words: Sequence[int],
        listed: Mapping[int, str],
        places: Collection[int],
    ) -> str | None:
        """The label the neighbours of tokens [start, end) give it, or None."""
        n = len(doc)
        table = token_table(doc)
        text, lower, is_lower = table.text, table.lower, table.is_lower
        prev = start - 1 if start > 0 else None  # token indexes of the neighbours
        nxt = end if end < n else None
        after = end + 1 if end + 1 < n else None
        lex = self.lex
        if prev is not None and is_lower[prev] and lower[prev] in lex.org_cues:
            return "ORG"
        if nxt is not None and is_lower[nxt] and lower[nxt] in lex.org_followers:
            return "ORG"
        if nxt is not None and text[nxt] in POSSESSIVES and after is not None and lower[after] in lex.org_followers:
            return "ORG"
        if any(text[i] == "&" for i in range(start, end)):
            return "ORG"
        if is_score_context(doc, start, end):
            return "TEAM"
        if any(w in places for w in words):
            return "ORG"  # "Boston Celtics", "Real Madrid": a place inside an unknown name
        person_shaped = looks_like_person(doc, words)
        if person_shaped and len(words) >= 2 and prev is not None and listed.get(prev) == "NORP":
            return "PERSON"  # "Argentine Jane Doe"
        aged = nxt is not None and text[nxt] == "," and after is not None and table.is_digit[after] and len(text[after]) == 2
        if person_shaped and aged and end + 2 < n and text[end + 2] == ",":
            return "PERSON"  # "Jane Doe, 49, said"
        if person_shaped and nxt is not None and text[nxt] in OPENING and after is not None and listed.get(after) == "GPE":
            return "PERSON"  # "Jane Doe (Kenya) 1:18.11"
        shaped = len(words) == 1 and NORP_SHAPE.match(text[start]) and lower[start] not in lex.given_names
        if shaped and nxt is not None and is_lower[nxt] and table.is_alpha[nxt]:
            return "NORP"  # "the Zairean army"
        return None

    # -- products --------------------------------------------------------------------------------
    def products(self, doc: Doc, *, skip: Collection[int] = (), places: Collection[int] = ()) -> list[Candidate]:
        """Products read from their shape: "A380", "Acme 737", "iPhone 4", "the 787 aircraft"."""
        found: list[Candidate] = []
        texts = token_table(doc).text  # plain strings: most tokens fail the three shapes at once
        n = len(doc)
        i = 0
        cache = self._shapes
        if len(cache) > SHAPE_CACHE_LIMIT:
            cache = self._shapes = {}  # a new dict: another thread may still read the old one
        try:  # most articles hold no word not seen before: no set of their words is needed
            shapes = list(map(cache.__getitem__, texts))
        except KeyError:
            for text in set(texts).difference(cache):
                cache[text] = PRODUCT_SHAPE.match(text) is not None
            shapes = list(map(cache.__getitem__, texts))
        for shaped in compress(range(n), shapes):
            if shaped < i:
                continue  # inside the product found last
            i = shaped
            text = texts[i]
            span = None
            if i in skip:
                pass
            elif MODEL_CODE.match(text):
                brand = i > 0 and self._brand(doc[i - 1]) and doc[i - 1].lower_ not in self.lex.model_blockers
                span = (i - 1 if brand and i - 1 not in places else i, i + 1)
            elif CAMEL.match(text) and not is_acronym(text):
                end = i + 1
                if end < n and VERSION.match(texts[end]) and not doc[end].is_sent_start:
                    end += 1
                span = (i, end)
            elif model_number(text):
                span = self._numbered_model(doc, i, places)
            if span is not None:
                found.append(Candidate(span[0], span[1], "PRODUCT", "guess.product", PRIORITY_HEAD))
                i = span[1]
            else:
                i += 1
        return found

    def _numbered_model(self, doc: Doc, i: int, places: Collection[int]) -> tuple[int, int] | None:
        """"Acme 737", "the 787 Dreamliner", "Acme's 787", "787s": a model number read as a product.

        Not in scores ("Kenya 173-5"), tables or numbered names ("Flight 447", "Series 101").
        """
        n = len(doc)
        prev = doc[i - 1] if i > 0 else None
        nxt = doc[i + 1] if i + 1 < n else None
        if nxt is not None and (nxt.like_num or nxt.text in ("-", "–", "/")):
            return None
        if prev is not None and self._brand(prev) and prev.i not in places and prev.lower_ not in self.lex.model_blockers:
            return (i - 1, i + 1)
        if nxt is not None and nxt.is_lower and nxt.lower_ in self.lex.product_nouns:
            return (i, i + 1)
        lead = prev is not None and prev.is_lower and prev.is_alpha  # "the 787 Dreamliner", "new 737"
        named = nxt is not None and nxt.is_title and nxt.is_alpha and len(nxt) > 2 and not nxt.is_sent_start
        if lead and named and doc[i].whitespace_ and nxt.lower_ not in STOP_WORDS | self.lex.calendar_words:
            return (i, i + 2)
        if prev is not None and prev.text in POSSESSIVES and i >= 2 and doc[i - 2].text[:1].isupper():
            return (i, i + 1)
        if doc[i].text.endswith("s") and lead:
            return (i, i + 1)
        return None

    def _brand(self, token: Token) -> bool:
        """A capitalised word that can name a maker before a model ("Acme" in "Acme A380")."""
        text = token.text
        if not text[:1].isupper() or not token.is_alpha or token.is_sent_start or len(text) < 3:
            return False
        return token.lower_ not in STOP_WORDS and token.lower_ not in self.lex.calendar_words


class _WordCounts:
    """How often a word occurs in an article, counted (in C) when first asked: a few words are asked."""

    def __init__(self, texts: list[str]) -> None:
        self.texts = texts
        self.counts: dict[str, int] = {}

    def __getitem__(self, text: str) -> int:
        count = self.counts.get(text)
        if count is None:
            count = self.counts[text] = self.texts.count(text)
        return count


def _evidence_rule(label: str) -> str:
    return {"ORG": RULE_ORG, "PERSON": RULE_PERSON, "NORP": RULE_NORP}[label]


def model_number(text: str) -> bool:
    """A three-digit model number that is no round figure ("737", "787s", "777-200LR"; not "500")."""
    match = MODEL_NUMBER.match(text)
    if match is None:
        return False
    return int(match.group(1)) % 10 != 0 or bool(match.group(2))


def is_score_context(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens [start, end) stand in a results or standings line: "Leeds 2 Chelsea 1",
    "Leeds 20 11 1 8 27", "Leeds v Chelsea", "LEEDS AT CHELSEA"."""
    n = len(doc)
    table = token_table(doc)
    text = table.text
    if end < n and text[end] in MATCH_LINKS and end + 1 < n and text[end + 1][:1].isupper():
        return True
    if start > 0 and text[start - 1] in MATCH_LINKS and start >= 2 and text[start - 2][:1].isupper():
        return True
    if end >= n or not SCORE.match(text[end]):
        return False
    after = end + 1
    if after >= n or "\n" in table.whitespace[end] or table.is_space[after]:
        return True
    return bool(SCORE.match(text[after])) or text[after] in OPENING or (text[after][:1].isupper() and table.is_alpha[after])


def consistent(doc: Doc, guesses: list[Candidate]) -> list[Candidate]:
    """One label per name in an article: readings from context outvote the shape defaults."""
    votes: dict[str, Counter[str]] = {}
    table = token_table(doc)
    for c in guesses:
        if c.rule in EVIDENCE_RULES:
            votes.setdefault(table.span_text(c.start, c.end), Counter())[c.label] += 1
    if not votes:
        return guesses
    out = []
    for c in guesses:
        vote = votes.get(table.span_text(c.start, c.end))
        if vote and c.rule not in EVIDENCE_RULES:
            label = vote.most_common(1)[0][0]
            c = Candidate(c.start, c.end, label, c.rule, c.priority)
        out.append(c)
    return out


def team_candidates(doc: Doc, places: Sequence[Candidate], weak_rules: Collection[str]) -> list[Candidate]:
    """Cities and provinces that name sports teams: in a results line, and elsewhere in that article.

    "Leeds 2 Chelsea 1" names two clubs, not two towns; "Leeds had fined him" later in the same
    report is the club again. Countries keep their reading (national sides are their countries).
    """
    weak = [c for c in places if c.rule in weak_rules]
    table = token_table(doc)
    teams = {table.span_text(c.start, c.end) for c in weak if is_score_context(doc, c.start, c.end)}
    if not teams:
        return []
    return [
        Candidate(c.start, c.end, "ORG", RULE_TEAM, PRIORITY_TEAM)
        for c in weak
        if table.span_text(c.start, c.end) in teams
    ]
