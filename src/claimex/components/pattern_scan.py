"""How far token patterns may run from a given token: one bit-parallel pass over the tokens, no Matcher.

spaCy's Matcher keeps a partial-match state per pattern and start token and evaluates its predicates
(word lists, regular expressions) through Python calls, so it costs far more per token than a test of a
few integers. `SideScan` reads sequences of pattern tokens as a regular language over tokens and runs
all of them at once as a bit-parallel automaton (the "extended shift-and" of Navarro and Raffinot: one
bit per pattern token, with optional and repeatable tokens), with Python integers as bit vectors. Per
token it does a handful of integer operations.

What each pattern token accepts (`SpecTable`) is evaluated once per word (lexeme) and kept across Docs
(assuming, as spaCy's own caches do, that a lexeme's flags do not change once the word has been seen),
plus once per entity type. Token keys the table does not know how to test (`_`, `POS`, `NORM`,
comparison operators) are taken to accept every token, and `!` tokens are read as any token: the scan
then reports longer runs than the Matcher would match, never shorter ones, which is what callers need
(they run the Matcher where the scan says a match may be; the Matcher decides). `exact_spec` says which
specs the table tests exactly as the Matcher does.
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


def exact_spec(token: Mapping[str, Any]) -> bool:
    """Whether `SpecTable` tests a token spec exactly as spaCy's Matcher does (every key told: text
    attributes by value, `IN`, `NOT_IN` or `REGEX`; lexical flags; entity types by value, `IN` or
    `NOT_IN`), rather than as a test that may accept more tokens than the Matcher would."""
    for key, value in token.items():
        if key == "OP":
            continue
        if key in TEXT_KEYS:
            if not _exact_value(value, regex=True):
                return False
            continue
        if key.startswith(("IS_", "LIKE_")) and isinstance(value, bool) and hasattr(Lexeme, key.lower()):
            continue
        if key == "ENT_TYPE" and _exact_value(value, regex=False):
            continue
        return False
    return True


def _exact_value(value: Any, *, regex: bool) -> bool:
    """A string value, or one `IN` / `NOT_IN` list of strings (or, when `regex`, one `REGEX` string)."""
    if isinstance(value, str):
        return True
    if not (isinstance(value, Mapping) and len(value) == 1):
        return False
    ((operator, argument),) = value.items()
    if operator in ("IN", "NOT_IN"):
        return isinstance(argument, list) and all(isinstance(v, str) for v in argument)
    return regex and operator == "REGEX" and isinstance(argument, str)


class SpecTable:
    """The distinct token specs of a set of patterns and which of them accept a token, as bits.

    A spec is what one pattern token asks of a token, without its `OP`. What the word-level part
    accepts is worked out once per word (lexeme) and kept across Docs, the entity-type part once per
    entity type. Keys that cannot be told accept every token; `exact` marks the
    specs without such keys, whose bits are exactly the Matcher's test of the token.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.atoms = _Atoms()
        self.index: dict[str, int] = {}
        self.lexical: list[tuple[int, int]] = []  # per spec: (required atoms, forbidden atoms)
        self.exact: list[bool] = []
        self.entity_specs = 0  # specs that name an entity type
        self._entity_tests: list[tuple[int, Callable[[int], bool]]] = []
        self._lexemes: dict[int, int] = {}  # orth id -> specs whose word-level part accepts it
        self._atom_specs: dict[int, int] = {}  # atoms -> specs they satisfy
        self._entities: dict[int, int] = {}  # entity type id -> specs it allows

    def add(self, token: Mapping[str, Any]) -> int:
        """The number of a token's spec (its `OP` aside), added when new."""
        spec = {k: v for k, v in token.items() if k != "OP"}
        key = json.dumps(spec, sort_keys=True)
        number = self.index.get(key)
        if number is not None:
            return number
        number = self.index[key] = len(self.lexical)
        self.lexical.append(self.atoms.spec({k: v for k, v in spec.items() if k != "ENT_TYPE"}))
        self.exact.append(exact_spec(spec))
        test = _entity_test(spec)
        if test is not None:
            self.entity_specs |= 1 << number
            self._entity_tests.append((number, test))
        self._atom_specs.clear()
        self._lexemes.clear()
        self._entities.clear()
        return number

    def of(self, orth: int, ent_type: int) -> int:
        """The specs that accept a token with this word and entity type."""
        specs = self._lexemes.get(orth)
        if specs is None:
            specs = self._lexeme_specs(orth)
        allowed = self._entities.get(ent_type)
        if allowed is None:
            allowed = self._entity_allowed(ent_type)
        return specs & allowed

    def _lexeme_specs(self, orth: int) -> int:
        if len(self._lexemes) > CACHE_LIMIT:
            self._lexemes.clear()
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

    def _entity_allowed(self, ent_type: int) -> int:
        allowed = ~self.entity_specs
        for spec, test in self._entity_tests:
            if test(ent_type):
                allowed |= 1 << spec
        self._entities[ent_type] = allowed
        return allowed


class SideScan:
    """Sequences of pattern tokens run as one bit-parallel automaton from a given token, forward or
    backward, with no match starting later: how many tokens each sequence may cover from there.

    It serves a pattern split at a required token (its cue): the tokens before the cue, reversed, are
    run backward from the token before the cue, the tokens after it forward from the token after it.
    Bits: a block per sequence, a start bit followed by one bit per automaton position; bit j set after
    a token means the sequence's positions up to j can match the tokens read so far.
    A `!` token is tested as any token, so the lengths found include every length the Matcher could
    match, and maybe more.
    """

    def __init__(self, table: SpecTable, sides: Sequence[Sequence[Mapping[str, Any]]]) -> None:
        self.table = table
        starts = optional = repeat = before_optional = last_optional = final = 0
        self.block_of_bit: dict[int, int] = {}
        self.start_bits: list[int] = []
        position_specs: list[tuple[int, int]] = []
        bit = 0
        for number, side in enumerate(sides):
            starts |= 1 << bit
            self.start_bits.append(1 << bit)
            previous_optional = False
            bit += 1
            for token in side:
                spec = table.add({"OP": "!"} if token.get("OP") == "!" else token)
                for is_optional, is_repeat in expand_ops(token):
                    position_specs.append((bit, spec))
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
        self.starts, self.optional, self.repeat, self.final = starts, optional, repeat, final
        self.before_optional, self.last_optional = before_optional, last_optional
        # the bits a move can start from: every position, and the start bits of non-empty sequences
        self.movable = ((1 << bit) - 1) & ~(starts & final)
        self._position_specs = position_specs
        self._spec_positions: list[int] | None = None
        self._positions: dict[int, int] = {}  # accepted specs -> the position bits they allow
        self._starts: dict[int, tuple[int, tuple[tuple[int, int], ...], bool]] = {}  # start bits -> `_start`

    def close(self, state: int) -> int:
        """Add the positions reachable by skipping optional positions (epsilon moves)."""
        if not self.optional:
            return state
        filled = state | self.last_optional
        return state | (self.optional & ((~(filled - self.before_optional)) ^ filled))

    def _positions_of(self, specs: int) -> int:
        if len(self._positions) >= CACHE_LIMIT:
            self._positions.clear()
        if self._spec_positions is None:  # the table may have grown since this scan was built
            self._spec_positions = [0] * len(self.table.lexical)
            for position, spec in self._position_specs:
                self._spec_positions[spec] |= 1 << position
        positions = 0
        remaining = specs
        while remaining:
            low = remaining & -remaining
            number = low.bit_length() - 1
            if number < len(self._spec_positions):
                positions |= self._spec_positions[number]
            remaining ^= low
        self._positions[specs] = positions
        return positions

    def _start(self, blocks: int) -> tuple[int, tuple[tuple[int, int], ...], bool]:
        """(state before any token, (sequence, 0) for the sequences that may cover nothing, whether any
        may cover a token) for a set of start bits; the same start bits come back at every cue of a word."""
        state = self.close(blocks)
        empty = []
        matched = state & self.final
        while matched:
            low = matched & -matched
            empty.append((self.block_of_bit[low.bit_length() - 1], 0))
            matched ^= low
        if len(self._starts) >= CACHE_LIMIT:
            self._starts.clear()
        start = self._starts[blocks] = (state, tuple(empty), bool(state & self.movable))
        return start

    def lengths(self, specs: list[int | None], orths: Sequence[int], ent_types: Sequence[int], begin: int, stop: int, step: int, blocks: int) -> dict[int, int]:
        """The longest number of tokens each of the `blocks` (start bits) may cover, reading tokens
        `begin`, `begin + step`, ... up to `stop` (excluded); sequences that cover no run are left out.
        `specs[i]` caches the specs that accept token i (`SpecTable.of` of its word `orths[i]` and
        entity type `ent_types[i]`; None until read), filled here where tokens are read."""
        start = self._starts.get(blocks)
        if start is None:
            start = self._start(blocks)
        state, empty, movable = start
        found = dict(empty)
        if not movable:
            return found  # only empty sequences: nothing to read
        final, block_of_bit = self.final, self.block_of_bit
        repeat, optional, positions = self.repeat, self.optional, self._positions
        last_optional, before_optional = self.last_optional, self.before_optional
        table_of = self.table.of
        length, i = 0, begin
        while i != stop:
            token_specs = specs[i]
            if token_specs is None:
                token_specs = specs[i] = table_of(orths[i], ent_types[i])
            accepted = positions.get(token_specs)
            if accepted is None:
                accepted = self._positions_of(token_specs)
            state = ((state << 1) | (state & repeat)) & accepted
            if not state:
                break
            if optional:
                filled = state | last_optional
                state |= optional & ((~(filled - before_optional)) ^ filled)
            length += 1
            matched = state & final
            while matched:
                low = matched & -matched
                found[block_of_bit[low.bit_length() - 1]] = length
                matched ^= low
            i += step
        return found
