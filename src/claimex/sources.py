"""Where records come from for `diff`, `report`, `show` and `export`: a run in a store, or a JSONL file.

A reference that names an existing file other than a SQLite database is read as JSON Lines of
records (what `claimex extract -o` writes); anything else is a run of the store: its id, its name,
`latest` or `previous`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from claimex.io import read_articles, read_records
from claimex.schema import ArticleRecord
from claimex.store import NotFound, RunInfo, RunStore, StoreError

_SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass
class RecordSource:
    """A batch of records with a label for messages, and the article texts where they are known."""

    label: str
    _records: Callable[[], Iterator[ArticleRecord]]
    _text: Callable[[str], str | None] = lambda sha256: None
    _sorted: Callable[[], Iterator[ArticleRecord]] | None = None
    run: RunInfo | None = None
    extra_texts: dict[str, str] = field(default_factory=dict)

    def records(self) -> Iterator[ArticleRecord]:
        """The records, in input order (read afresh on every call)."""
        return self._records()

    def records_by_doc_id(self) -> Iterator[ArticleRecord]:
        """The records sorted by doc_id (input order among equal doc_ids), as `diff_batches` streams them."""
        if self._sorted is not None:
            return self._sorted()
        return iter(sorted(self._records(), key=lambda record: record.doc_id))

    def text(self, sha256: str) -> str | None:
        """The article text with this SHA-256, or None when the source does not know it."""
        return self.extra_texts.get(sha256) or self._text(sha256)

    def add_texts(self, paths: Iterable[str | os.PathLike[str]]) -> None:
        """Make the texts of these inputs (files, folders, JSONL articles) known, keyed by SHA-256."""
        for article in read_articles(paths):
            if article.text is not None:
                self.extra_texts[article.sha256] = article.text


def is_records_file(ref: str) -> bool:
    """True when `ref` is an existing file that is not a SQLite database (so: JSON Lines of records)."""
    path = Path(ref)
    if not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(16) != _SQLITE_MAGIC


def open_source(ref: str, *, store: RunStore | None = None, store_path: str | os.PathLike[str] | None = None) -> RecordSource:
    """The records that `ref` names: a JSONL file, else a run of `store` (opened from `store_path`).

    Raises:
        StoreError: no such file or run, or a file that holds no valid records.
    """
    if is_records_file(ref):
        path = Path(ref)
        _check_records_file(path)
        return RecordSource(label=str(path), _records=lambda: _read_checked(path))
    if ref.endswith((".jsonl", ".ndjson", ".json")) and not Path(ref).exists():
        raise NotFound(f"no such file: {ref}")
    if store is None:
        if store_path is None:
            raise NotFound(f"{ref!r} is not a file, and no run store was given to look it up in")
        store = RunStore(store_path, create=False)
    run = store.run(ref)
    return RecordSource(
        label=run.label,
        _records=lambda: store.records(run),
        _sorted=lambda: store.records(run, by_doc_id=True),
        _text=store.text,
        run=run,
    )


def _check_records_file(path: Path) -> None:
    """Fail early, with the line, on a file that is not JSON Lines of article records."""
    for _ in _read_checked(path):
        pass


def _read_checked(path: Path) -> Iterator[ArticleRecord]:
    try:
        yield from read_records(path)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise StoreError(f"{path}: not an article record ({where}: {first['msg']}); give a file written by claimex extract") from error
    except ValueError as error:
        raise StoreError(f"{path}: not JSON Lines of article records ({error})") from error
