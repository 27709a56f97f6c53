"""Reading articles (files, folders, JSON Lines, stdin) and writing records as JSON Lines.

Readers never raise on bad input: a file that cannot be read, is binary or is not UTF-8, and a JSONL
line that is not an object with a text, become an `Article` carrying an error, which the extractor
turns into an error record with the article's doc_id. A batch therefore always yields one record per
input article.

doc_id: a file's name without its extension; a JSONL line's `id` (or `doc_id`), else
`<file stem>:<line number>`; text from stdin is "stdin".
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import srsly

from claimex.schema import ArticleRecord, text_sha256

TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"


@dataclass(frozen=True)
class Article:
    """One input article, or the reason it could not be read (`error` = (type, message))."""

    doc_id: str
    text: str | None
    source: str
    error: tuple[str, str] | None = None
    raw_sha256: str | None = None

    @property
    def sha256(self) -> str:
        """The SHA-256 of the text, or of the raw bytes when there is no text."""
        if self.text is not None:
            return text_sha256(self.text)
        return self.raw_sha256 or hashlib.sha256(b"").hexdigest()


def read_articles(paths: Iterable[str | Path], *, stdin: IO[bytes] | None = None) -> Iterator[Article]:
    """Yield the articles of every path in order: `-` (stdin), a folder, a `.jsonl` file or a text file."""
    for path in paths:
        if str(path) == STDIN:
            yield from read_stream((stdin or sys.stdin.buffer).read(), source="<stdin>", default_id="stdin")
            continue
        path = Path(path)
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES)
            for member in members:
                yield from read_file(member)
        else:
            yield from read_file(path)


def read_file(path: Path) -> Iterator[Article]:
    """The articles of one file: one per line of a JSONL file, else the file's whole text."""
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Article(doc_id=path.stem or str(path), text=None, source=str(path), error=("UnreadableInput", f"{path}: {error.strerror or error}"))
        return
    if path.suffix.lower() in JSONL_SUFFIXES:
        yield from read_jsonl_bytes(data, source=str(path), stem=path.stem)
    else:
        yield decode_article(data, doc_id=path.stem, source=str(path))


def read_stream(data: bytes, *, source: str, default_id: str) -> Iterator[Article]:
    """Stdin holds either JSON Lines of articles (first character `{`) or one plain-text article."""
    if data.lstrip()[:1] == b"{":
        yield from read_jsonl_bytes(data, source=source, stem=default_id)
    else:
        yield decode_article(data, doc_id=default_id, source=source)


def decode_article(data: bytes, *, doc_id: str, source: str) -> Article:
    """Decode a text article: UTF-8 (a byte-order mark is dropped); binary data is an error."""
    raw_sha = hashlib.sha256(data).hexdigest()
    if b"\x00" in data:
        return Article(doc_id, None, source, ("BinaryInput", f"{source}: contains NUL bytes, so it is not a text article"), raw_sha)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Article(
            doc_id, None, source,
            ("UnicodeDecodeError", f"{source}: not UTF-8 (byte {error.start}: {data[error.start:error.start + 1]!r}); convert it to UTF-8"),
            raw_sha,
        )
    return Article(doc_id, text, source)


def read_jsonl_bytes(data: bytes, *, source: str, stem: str) -> Iterator[Article]:
    """One article per non-blank line: an object with `text` and `id` (or `doc_id`)."""
    for number, raw in enumerate(data.splitlines(), start=1):
        if not raw.strip():
            continue
        fallback_id = f"{stem}:{number}"
        try:
            row: Any = srsly.json_loads(raw.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as error:
            yield Article(fallback_id, None, f"{source}:{number}", ("InvalidJSON", f"{source}:{number}: not a JSON object ({error})"),
                          hashlib.sha256(raw).hexdigest())
            continue
        if not isinstance(row, dict):
            yield Article(fallback_id, None, f"{source}:{number}", ("InvalidJSON", f"{source}:{number}: expected an object with 'id' and 'text'"),
                          hashlib.sha256(raw).hexdigest())
            continue
        doc_id = row.get("id", row.get("doc_id"))
        doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
        text = row.get("text")
        if not isinstance(text, str):
            yield Article(doc_id, None, f"{source}:{number}", ("MissingText", f"{source}:{number}: the object has no string field 'text'"),
                          hashlib.sha256(raw).hexdigest())
            continue
        yield Article(doc_id, text, f"{source}:{number}")


def record_to_json(record: ArticleRecord) -> str:
    """One JSON Lines row: keys sorted, UTF-8 characters kept, no insignificant spaces."""
    return json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def write_records(records: Iterable[ArticleRecord], out: IO[str]) -> Iterator[ArticleRecord]:
    """Write each record as a line of `out` as it comes, yielding it on (for counting and progress)."""
    for record in records:
        out.write(record_to_json(record))
        out.write("\n")
        yield record


def read_records(path: str | Path) -> Iterator[ArticleRecord]:
    """Read article records back from a JSONL file written by `claimex extract`."""
    for row in srsly.read_jsonl(path):
        yield ArticleRecord.model_validate(row)
