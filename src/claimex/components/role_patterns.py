"""Token patterns whose tokens play named roles: the rule format shared by claimex_money and claimex_years.

A row of `money.jsonl` or `years.jsonl` is a spaCy Matcher pattern plus one role per token ("currency",
"number", "year", "cue", ...). The Matcher reports which pattern token each matched token came from
(`with_alignments=True`), so a component reads a match as (token, role) pairs and never re-parses
the text. This module holds what both components need: the validated row model, the matcher
compiler (with `$list` references expanded) and the character span of adjacent tokens.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from spacy.matcher import Matcher
from spacy.tokens import Token
from spacy.vocab import Vocab

from claimex.annotations import CharSpan
from claimex.normalize.numbers import mapping_keys
from claimex.patterns import RuleDataError, WordLists, expand_lists


class RolePattern(BaseModel):
    """A token pattern whose tokens each play a named role; subclasses narrow the roles."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_.:-]+$")
    note: str = ""
    pattern: list[dict[str, Any]] = Field(min_length=1)
    roles: tuple[str, ...]

    @model_validator(mode="after")
    def _one_role_per_token(self) -> RolePattern:
        if len(self.roles) != len(self.pattern):
            raise ValueError(f"{len(self.pattern)} pattern tokens but {len(self.roles)} roles: give one role per token")
        return self


def pattern_lists(lists: WordLists, mapping_lists: Iterable[str]) -> dict[str, tuple[str, ...]]:
    """The word lists as token patterns see them: `key = value` lists reduced to their keys."""
    mapped = set(mapping_lists)
    return {name: mapping_keys(entries) if name in mapped else tuple(entries) for name, entries in lists.items()}


def compile_role_matcher(vocab: Vocab, specs: Sequence[RolePattern], lists: Mapping[str, Sequence[str]], *, source: str) -> Matcher:
    """A validating Matcher holding every pattern under its id, `$list` references expanded.

    Raises:
        RuleDataError: a pattern names an unknown list or spaCy rejects it; the message names the pattern.
    """
    matcher = Matcher(vocab, validate=True)
    for spec in specs:
        expanded = expand_lists(spec.pattern, lists, source=f"{source}: pattern {spec.id}")
        try:
            matcher.add(spec.id, [expanded])
        except ValueError as error:
            raise RuleDataError(f"{source}: pattern {spec.id}: spaCy's Matcher rejects it: {error}") from error
    return matcher


def char_span(tokens: Sequence[Token]) -> CharSpan:
    """Character range from the first to the last of some adjacent tokens."""
    return CharSpan(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
