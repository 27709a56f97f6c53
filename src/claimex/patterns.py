"""Rule data: word lists and pattern files of a pipeline, read, validated and expanded.

A pipeline folder holds `lists/<name>.txt` (one entry per line; a line starting with `#`, or
` #` after an entry, starts a comment) and
`patterns/<family>.jsonl` (one pattern per line). A token pattern may name a word list instead of
spelling it out: `{"LOWER": {"IN": "$reporting_verbs"}}` is expanded at load time with the entries of
`lists/reporting_verbs.txt`, so the vocabulary lives in one place and the patterns stay readable.

Everything is checked when it is loaded: duplicate or empty list entries, unknown list names, pattern
ids that repeat, and token patterns that spaCy's Matcher rejects all raise `RuleDataError` naming the
file and line.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

WordLists = dict[str, tuple[str, ...]]
LIST_PREFIX = "$"


class RuleDataError(ValueError):
    """A word list or pattern file of a pipeline is malformed; the message names the file and line."""


class PatternSpec(BaseModel):
    """One line of a pattern file: an id (cited as `rule` in records), a token pattern and options.

    `pattern` is a spaCy Matcher token pattern (a list of token dicts) or a phrase (a string, matched
    token by token on the lower-cased text). Family-specific fields (a label, a kind, a role) go in
    `options`-like extra keys, which each component validates with its own model.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    id: str = Field(min_length=1, pattern=r"^[a-z0-9_.:-]+$")
    pattern: list[dict[str, Any]] | str


def read_word_lists(folder: str | Path) -> WordLists:
    """Read every `*.txt` word list of a folder into {name: entries}, in file order, validated."""
    folder = Path(folder)
    if not folder.is_dir():
        raise RuleDataError(f"word-list folder {folder} does not exist")
    lists: WordLists = {}
    for path in sorted(folder.glob("*.txt")):
        entries: list[str] = []
        seen: dict[str, int] = {}
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            entry = raw.split(" #", 1)[0].strip()
            if entry.startswith("#"):
                continue
            if not entry:
                continue
            if entry in seen:
                raise RuleDataError(f"{path}:{number}: {entry!r} is already listed on line {seen[entry]}")
            seen[entry] = number
            entries.append(entry)
        if not entries:
            raise RuleDataError(f"{path}: the word list is empty")
        lists[path.stem] = tuple(entries)
    return lists


def read_pattern_file(path: str | Path) -> list[dict[str, Any]]:
    """Read a JSONL pattern file into plain dicts, checking the common fields and unique ids."""
    path = Path(path)
    if not path.is_file():
        raise RuleDataError(f"pattern file {path} does not exist")
    rows: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("//"):
            continue
        try:
            row = json.loads(raw)
        except json.JSONDecodeError as error:
            raise RuleDataError(f"{path}:{number}: not valid JSON ({error.msg})") from error
        try:
            spec = PatternSpec.model_validate(row)
        except ValidationError as error:
            raise RuleDataError(f"{path}:{number}: {_first_error(error)}") from error
        if spec.id in ids:
            raise RuleDataError(f"{path}:{number}: pattern id {spec.id!r} is already used on line {ids[spec.id]}")
        ids[spec.id] = number
        rows.append(row)
    return rows


def validate_rows(rows: Iterable[Mapping[str, Any]], model: type[BaseModel], source: str) -> list[Any]:
    """Validate pattern rows against a component's own model; errors name the source and the id."""
    specs = []
    for index, row in enumerate(rows):
        try:
            specs.append(model.model_validate(row))
        except ValidationError as error:
            name = row.get("id", f"#{index}") if isinstance(row, Mapping) else f"#{index}"
            raise RuleDataError(f"{source}: pattern {name}: {_first_error(error)}") from error
    return specs


def expand_lists(pattern: Sequence[Mapping[str, Any]], lists: Mapping[str, Sequence[str]], *, source: str = "pattern") -> list[dict[str, Any]]:
    """Return a copy of a token pattern with every `"$name"` list reference replaced by the list.

    References may stand as the value of `IN` / `NOT_IN` (the whole list) and are resolved recursively,
    so they also work inside `_` (custom attributes). An unknown name raises `RuleDataError`.
    """

    def resolve(value: Any, key: str | None) -> Any:
        if isinstance(value, str) and value.startswith(LIST_PREFIX) and key in ("IN", "NOT_IN"):
            name = value[len(LIST_PREFIX):]
            if name not in lists:
                raise RuleDataError(f"{source}: unknown word list {value!r} (known: {', '.join(sorted(lists))})")
            return list(lists[name])
        if isinstance(value, Mapping):
            return {k: resolve(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [resolve(v, key) for v in value]
        return value

    return [resolve(copy.deepcopy(dict(token)), None) for token in pattern]


def require_lists(lists: Mapping[str, Sequence[str]], names: Iterable[str], *, component: str) -> None:
    """Fail early, naming the component, when word lists it needs are missing."""
    missing = sorted(set(names) - set(lists))
    if missing:
        raise RuleDataError(f"{component} needs the word lists {missing}, which the pipeline does not provide")


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "line"
    return f"{where}: {first['msg']}"
