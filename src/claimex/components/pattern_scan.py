"""Where matches of token patterns may end: one bit-parallel pass over the tokens, no Matcher.

spaCy's Matcher keeps a partial-match state per pattern and start token and evaluates its predicates
(word lists, regular expressions) through Python calls, so it costs far more per token than a test of a
few integers. `PatternScan` reads the same patterns as a regular language over tokens and runs all of
them at once as a bit-parallel automaton (the "extended shift-and" of Navarro and Raffinot: one bit per
pattern token, with optional and repeatable tokens), with Python integers as bit vectors. Per token it
does a handful of integer operations and reports which patterns have a match ending after that token.

What each pattern token accepts is evaluated once per word (lexeme) and kept across Docs (assuming, as
spaCy's own caches do, that a lexeme's flags do not change once the word has been seen), plus the
entity type per token. Token keys the scan does not know how to test (`_`, `POS`, `NORM`, comparison
operators, `!`) are taken to accept every token: the scan then reports more ends than there are
matches, never fewer, which is what callers need (they run the Matcher where the scan says a match may
end; the Matcher decides).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from spacy.lexeme import Lexeme
from spacy.strings import get_string_id
from spacy.vocab import Vocab

from claimex.components.match_windows import BOUNDED_OP

CACHE_LIMIT = 1_000_000  # words whose accepted specs are kept; a full cache is emptied and refilled
TEXT_KEYS = {"ORTH": "orth_", "TEXT": "orth_", "LOWER": "lower_", "SHAPE": "shape_", "PREFIX": "prefix_", "SUFFIX": "suffix_"}


class _Atoms:
    """The word-level tests of all token specs, as bits: one bit per distinct test ("LOWER in list X",
    "ORTH matches regex Y", "IS_QUOTE"). A spec is the atoms it requires and the atoms it forbids
    (`NOT_IN`, a flag that must be false), so a lexeme's specs follow from its atoms by integer tests."""

    def __init__(self) -> None:
        self.index: dict[tuple[Any, ...], int] = {}
        self.in_tables: dict[str, dict[str, int]] = {}  # lexeme attribute -> word -> atoms of the lists holding it
        self.regexes: list[tuple[int, str, re.Pattern[str]]] = []
        self.flags: list[tuple[int, str]] = []

    def bit(self, kind: str, attribute: str, argument: Any) -> int:
        key = (kind, attribute, argument)
        if key in self.index:
            return self.index[key]
        bit = 1 << len(self.index)
        self.index[key] = bit
        if kind == "in":
            table = self.in_tables.setdefault(attribute, {})
            for word in argument:
                table[word] = table.get(word, 0) | bit
        elif kind == "regex":
            self.regexes.append((bit, attribute, re.compile(argument)))
        else:
            self.flags.append((bit, attribute))
        return bit

    def spec(self, token: Mapping[str, Any]) -> tuple[int, int]:
        """(required atoms, forbidden atoms) of a token spec; keys that cannot be told require nothing."""
        required = forbidden = 0
        for key, value in token.items():
            if key in TEXT_KEYS and not isinstance(value, bool):
                attribute = TEXT_KEYS[key]
                if isinstance(value, str):
                    required |= self.bit("in", attribute, frozenset({value}))
                elif isinstance(value, Mapping) and len(value) == 1:
                    (operator, argument), = value.items()
                    if operator == "IN" and isinstance(argument, list) and all(isinstance(v, str) for v in argument):
                        required |= self.bit("in", attribute, frozenset(argument))
                    elif operator == "NOT_IN" and isinstance(argument, list) and all(isinstance(v, str) for v in argument):
                        forbidden |= self.bit("in", attribute, frozenset(argument))
                    elif operator == "REGEX" and isinstance(argument, str):
                        required |= self.bit("regex", attribute, argument)
            elif key.startswith(("IS_", "LIKE_")) and isinstance(value, bool) and hasattr(Lexeme, key.lower()):
                flag = self.bit("flag", key.lower(), None)
                if value:
                    required |= flag
                else:
                    forbidden |= flag
        return required, forbidden

    def of(self, lexeme: Lexeme) -> int:
        """The atoms that hold for a lexeme (each of its strings is read once)."""
        atoms = 0
        strings: dict[str, str] = {}
        for attribute, table in self.in_tables.items():
            value = strings[attribute] = getattr(lexeme, attribute)
            atoms |= table.get(value, 0)
        for bit, attribute, regex in self.regexes:
            value = strings.get(attribute)
            if value is None:
                value = strings[attribute] = getattr(lexeme, attribute)
            if regex.search(value):
                atoms |= bit
        for bit, attribute in self.flags:
            if getattr(lexeme, attribute):
                atoms |= bit
        return atoms


def _entity_test(token: Mapping[str, Any]) -> Callable[[int], bool] | None:
    """A test of a token's entity type id, None when the spec does not name one."""
    if "ENT_TYPE" not in token:
        return None
    value = token["ENT_TYPE"]
    if isinstance(value, str):
        wanted = get_string_id(value)
        return lambda found: found == wanted
    if isinstance(value, Mapping) and len(value) == 1:
        (operator, argument), = value.items()
        if operator in ("IN", "NOT_IN") and isinstance(argument, list):
            ids = frozenset(get_string_id(v) for v in argument)
            return (lambda found: found in ids) if operator == "IN" else (lambda found: found not in ids)
    return lambda found: True


def expand_ops(token: Mapping[str, Any]) -> list[tuple[bool, bool]]:
    """The automaton positions of one pattern token, as (optional, repeatable) pairs, the way spaCy
    compiles its operators: "?" optional, "*" optional and repeatable, "+" one then "*", "{n,m}" n
    required then m - n optional, "{n,}" n required then "*"; "!" one position (tested as any token)."""
    op = token.get("OP")
    if op is None or op == "!" or op == "1":
        return [(False, False)]
    if op == "?":
        return [(True, False)]
    if op == "*":
        return [(True, True)]
    if op == "+":
        return [(False, False), (True, True)]
    bounded = BOUNDED_OP.match(op) if isinstance(op, str) else None
    if bounded is None:
        raise ValueError(f"unknown operator {op!r}")
    low, comma, high = bounded.groups()
    low_count = int(low or 0)
    if not comma:
        return [(False, False)] * low_count
    if not high:
        return [(False, False)] * low_count + [(True, True)]
    return [(False, False)] * low_count + [(True, False)] * (int(high) - low_count)


class PatternScan:
    """All patterns as one bit-parallel automaton; `ends(...)` says where each may have a match end.

    Bit layout: each pattern is a block of bits, a start bit (always set: a match may start anywhere)
    followed by one bit per automaton position; bit j set after token t means the pattern's positions
    up to j can match a run of tokens ending at t.
    """

    def __init__(self, vocab: Vocab, patterns: Sequence[Sequence[Mapping[str, Any]]]) -> None:
        self.vocab = vocab
        spec_index: dict[str, int] = {}
        self.atoms = _Atoms()
        self.lexical: list[tuple[int, int]] = []  # per spec: (required atoms, forbidden atoms)
        entity: list[tuple[int, Callable[[int], bool]]] = []
        starts = optional = repeat = before_optional = last_optional = final = 0
        self.block_of_bit: dict[int, int] = {}
        position_specs: list[tuple[int, int]] = []  # (bit, spec)
        bit = 0
        for number, pattern in enumerate(patterns):
            starts |= 1 << bit
            previous_optional = False
            bit += 1
            for token in pattern:
                if token.get("OP") == "!":
                    token = {"OP": "!"}  # a token that must not match: tested as any token
                key = json.dumps({k: v for k, v in token.items() if k != "OP"}, sort_keys=True)
                if key not in spec_index:
                    spec_index[key] = len(self.lexical)
                    self.lexical.append(self.atoms.spec({k: v for k, v in token.items() if k not in ("OP", "ENT_TYPE")}))
                    test = _entity_test(token)
                    if test is not None:
                        entity.append((spec_index[key], test))
                for is_optional, is_repeat in expand_ops(token):
                    position_specs.append((bit, spec_index[key]))
                    if is_optional:
                        optional |= 1 << bit
                        if not previous_optional:
                            before_optional |= 1 << (bit - 1)
                    elif previous_optional:
                        last_optional |= 1 << (bit - 1)
                    if is_repeat:
                        repeat |= 1 << bit
                    previous_optional = is_optional
                    bit += 1
            if previous_optional:
                last_optional |= 1 << (bit - 1)
            final |= 1 << (bit - 1)
            self.block_of_bit[bit - 1] = number
        self.starts, self.optional, self.repeat = starts, optional, repeat
        self.before_optional, self.last_optional, self.final = before_optional, last_optional, final
        self.spec_positions = [0] * len(self.lexical)
        for position, spec in position_specs:
            self.spec_positions[spec] |= 1 << position
        self.entity_specs = 0
        for spec, _ in entity:
            self.entity_specs |= 1 << spec
        self._entity_tests = entity
        self._lexemes: dict[int, int] = {}  # orth id -> specs whose word-level part accepts it
        self._atom_specs: dict[int, int] = {}  # atoms -> specs they satisfy
        self._entities: dict[int, int] = {}  # entity type id -> specs it allows
        self._positions: dict[int, int] = {}  # accepted specs -> the bits they allow, with the start bits
        self.initial = self.close(starts)

    def close(self, state: int) -> int:
        """Add the positions reachable by skipping optional positions (epsilon moves)."""
        if not self.optional:
            return state
        filled = state | self.last_optional
        return state | (self.optional & ((~(filled - self.before_optional)) ^ filled))

    def _lexeme_specs(self, orth: int) -> int:
        atoms = self.atoms.of(self.vocab[orth])
        specs = self._atom_specs.get(atoms)
        if specs is None:
            specs = 0
            for spec, (required, forbidden) in enumerate(self.lexical):
                if atoms & required == required and not atoms & forbidden:
                    specs |= 1 << spec
            self._atom_specs[atoms] = specs
        self._lexemes[orth] = specs
        return specs

    def _entity_specs(self, ent_type: int) -> int:
        allowed = ~self.entity_specs
        for spec, test in self._entity_tests:
            if test(ent_type):
                allowed |= 1 << spec
        self._entities[ent_type] = allowed
        return allowed

    def _positions_of(self, specs: int) -> int:
        positions = self.starts
        remaining = specs
        while remaining:
            low = remaining & -remaining
            positions |= self.spec_positions[low.bit_length() - 1]
            remaining ^= low
        self._positions[specs] = positions
        return positions

    def ends(self, orths: Sequence[int], ent_types: Sequence[int], regions: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
        """(pattern number, end token) of every place where a pattern may have a match ending, scanning
        each region [start, end) of tokens on its own (no match crosses a region's edge)."""
        if len(self._lexemes) > CACHE_LIMIT:
            self._lexemes.clear()
        lexemes, entities, positions = self._lexemes, self._entities, self._positions
        starts, repeat, final = self.starts, self.repeat, self.final
        optional, before_optional, last_optional = self.optional, self.before_optional, self.last_optional
        found: list[tuple[int, int]] = []
        for region_start, region_end in regions:
            state = self.initial
            for i in range(region_start, region_end):
                orth = orths[i]
                specs = lexemes.get(orth)
                if specs is None:
                    specs = self._lexeme_specs(orth)
                ent_type = ent_types[i]
                allowed = entities.get(ent_type)
                if allowed is None:
                    allowed = self._entity_specs(ent_type)
                specs &= allowed
                accepted = positions.get(specs)
                if accepted is None:
                    accepted = self._positions_of(specs)
                state = (((state << 1) | starts) | (state & repeat)) & accepted
                if optional:
                    filled = state | last_optional
                    state |= optional & ((~(filled - before_optional)) ^ filled)
                matched = state & final
                while matched:
                    low = matched & -matched
                    found.append((self.block_of_bit[low.bit_length() - 1], i + 1))
                    matched ^= low
        return found
