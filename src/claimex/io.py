"""Reading articles (files, folders, JSON Lines, stdin) and writing records as JSON Lines.

Readers never raise on bad input: a file that cannot be read or is binary, a file too large to be an
article, and a JSONL line that is not an object with a text, become an `Article` carrying an error,
which the extractor turns into an error record with the article's doc_id. A batch therefore always
yields one record per input article.

The text of a file (or of plain text on stdin) is decoded and cleaned by `claimex.textclean`: UTF-8 or
UTF-16, a byte-order mark dropped, invalid bytes replaced by U+FFFD, NUL bytes dropped, HTML stripped
to its text; `Article.flags` (the record's `input_flags`) say which of these changed it. The `text` of
a JSONL line is used exactly as given: its producer may hold offsets into that very string (gold
files do). Either way, record offsets point into `Article.text`, whose SHA-256 is the record's
`text_sha256`, and which the run store keeps.

Memory stays bounded: no more than `4 * max_chars` bytes of a text file are read (a longer file has
more than `max_chars` characters whatever its encoding, so it is an "ArticleTooLong" error), and JSONL
is read line by line, a line longer than `12 * max_chars` bytes being an error without being read.

doc_id: a file's name without its extension; a JSONL line's `id` (or `doc_id`), else
`<file stem>:<line number>`; text from stdin is "stdin".
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

import orjson
import srsly

from claimex.normalize.years import reference_month
from claimex.schema import ArticleRecord, InputFlag, text_sha256
from claimex.textclean import BinaryInputError, clean_markup, decode_bytes

TEXT_SUFFIXES = (".txt", ".text", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson")
STDIN = "-"
BYTES_PER_CHAR = 4
"""Most bytes one character takes in UTF-8 or UTF-16: a file over `4 * max_chars` bytes is too long."""
JSONL_BYTES_PER_CHAR = 12
"""Most bytes one character takes in a JSON string (a surrogate pair as two `\\uXXXX` escapes)."""
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_READ_CHUNK = 1 << 20
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Article:
    """One input article, or the reason it could not be read (`error` = (type, message)).

    `flags` say what reading changed to get `text` from the input (see `claimex.textclean`).
    """

    doc_id: str
    text: str | None
    source: str
    error: tuple[str, str] | None = None
    raw_sha256: str | None = None
    flags: tuple[InputFlag, ...] = ()
    reference_date: str | None = None  # the article's date (JSONL `REFERENCE_DATE_FIELDS`): what "now" is

    @property
    def sha256(self) -> str:
        """The SHA-256 of the text, or of the raw bytes when there is no text."""
        if self.text is not None:
            return text_sha256(self.text)
        return self.raw_sha256 or hashlib.sha256(b"").hexdigest()


def _default_max_chars() -> int:
    from claimex.extractor import (
        DEFAULT_MAX_CHARS,  # here: claimex.extractor imports this module
    )

    return DEFAULT_MAX_CHARS


def read_articles(paths: Iterable[str | Path], *, stdin: IO[bytes] | None = None, max_chars: int | None = None) -> Iterator[Article]:
    """Yield the articles of every path in order: `-` (stdin), a folder, a `.jsonl` file or a text file.

    `max_chars` (default: the extractor's `DEFAULT_MAX_CHARS`) bounds what is read into memory: a text
    that certainly has more characters is an "ArticleTooLong" error without being read whole.
    """
    limit = max_chars if max_chars is not None else _default_max_chars()
    for path in paths:
        if str(path) == STDIN:
            yield from read_stream(stdin or sys.stdin.buffer, source="<stdin>", default_id="stdin", max_chars=limit)
            continue
        path = Path(path)
        if path.is_dir():
            members = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES)
            for member in members:
                yield from read_file(member, max_chars=limit)
        else:
            yield from read_file(path, max_chars=limit)


def read_file(path: Path, *, max_chars: int | None = None) -> Iterator[Article]:
    """The articles of one file: one per line of a JSONL file, else the file's whole text."""
    limit = max_chars if max_chars is not None else _default_max_chars()
    try:
        with path.open("rb") as handle:
            if path.suffix.lower() in JSONL_SUFFIXES:
                yield from read_jsonl_stream(handle, source=str(path), stem=path.stem, max_chars=limit)
                return
            data = handle.read(BYTES_PER_CHAR * limit + 1)
            if len(data) > BYTES_PER_CHAR * limit:
                yield _too_long(path.stem or str(path), str(path), data, handle, limit, regular=stat.S_ISREG(path.stat().st_mode))
                return
    except OSError as error:
        yield Article(doc_id=path.stem or str(path), text=None, source=str(path), error=("UnreadableInput", f"{path}: {error.strerror or error}"))
        return
    yield decode_article(data, doc_id=path.stem, source=str(path))


def _too_long(doc_id: str, source: str, head: bytes, rest: IO[bytes], max_chars: int, *, regular: bool) -> Article:
    """The error article of an input over `4 * max_chars` bytes; a regular file is hashed to its end."""
    digest = hashlib.sha256(head)
    size = len(head)
    while regular:
        chunk = rest.read(_READ_CHUNK)
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
    amount = f"{size:,} bytes" if regular else f"over {size - 1:,} bytes"
    message = f"{source}: {amount}, so more than {max_chars:,} characters, the limit (max_chars); split the article or raise --max-chars"
    return Article(doc_id, None, source, ("ArticleTooLong", message), digest.hexdigest())


def read_stream(stream: IO[bytes], *, source: str, default_id: str, max_chars: int | None = None) -> Iterator[Article]:
    """A stream (stdin) holds either JSON Lines of articles (first character `{`) or one plain-text article."""
    limit = max_chars if max_chars is not None else _default_max_chars()
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(1 << 16)
    if head.lstrip()[:1] == b"{":
        yield from read_jsonl_stream(buffered, source=source, stem=default_id, max_chars=limit)
        return
    data = buffered.read(BYTES_PER_CHAR * limit + 1)
    if len(data) > BYTES_PER_CHAR * limit:
        yield _too_long(default_id, source, data, buffered, limit, regular=False)
        return
    yield decode_article(data, doc_id=default_id, source=source)


def decode_article(data: bytes, *, doc_id: str, source: str) -> Article:
    """Decode and clean a text article (see `claimex.textclean`); binary data is an error."""
    try:
        decoded = decode_bytes(data)
    except BinaryInputError as error:
        return Article(doc_id, None, source, ("BinaryInput", f"{source}: {error}"), hashlib.sha256(data).hexdigest())
    cleaned = clean_markup(decoded.text)
    return Article(doc_id, cleaned.text, source, flags=decoded.flags + cleaned.flags)


def read_jsonl_stream(stream: IO[bytes], *, source: str, stem: str, max_chars: int | None = None) -> Iterator[Article]:
    """The articles of a JSONL stream, read line by line (memory bounded by the longest allowed line).

    A UTF-16 file (with a byte-order mark) is decoded whole first; a UTF-8 byte-order mark is dropped.
    """
    limit = max_chars if max_chars is not None else _default_max_chars()
    line_limit = JSONL_BYTES_PER_CHAR * limit + (1 << 16)
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    if buffered.peek(2)[:2] in _UTF16_BOMS:  # type: ignore[attr-defined]
        data = decode_bytes(buffered.read()).text.encode("utf-8", errors="surrogatepass")
        yield from read_jsonl_bytes(data, source=source, stem=stem)
        return
    number = 1
    while True:
        line = buffered.readline(line_limit + 1)
        if not line:
            return
        if len(line) > line_limit and not line.endswith(b"\n"):
            digest = hashlib.sha256(line)
            while not line.endswith(b"\n"):
                line = buffered.readline(_READ_CHUNK)
                if not line:
                    break
                digest.update(line)
            yield Article(f"{stem}:{number}", None, f"{source}:{number}",
                          ("ArticleTooLong", f"{source}:{number}: a line of over {line_limit:,} bytes, so more than {limit:,} characters,"
                                             " the limit (max_chars)"), digest.hexdigest())
            number += 1
            continue
        if number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        yield from read_jsonl_bytes(line, source=source, stem=stem, first_line=number)
        number += max(1, len(line.splitlines()))


def read_jsonl_bytes(data: bytes, *, source: str, stem: str, first_line: int = 1) -> Iterator[Article]:
    """One article per non-blank line: an object with `text` and `id` (or `doc_id`).

    `first_line` is the line number of the first line of `data` (a block read from inside a file).
    Bytes that are not UTF-8 become U+FFFD (flag `invalid_bytes_replaced`); the text is otherwise
    taken as given.
    """
    for number, raw in enumerate(data.splitlines(), start=first_line):
        if not raw.strip():
            continue
        yield _jsonl_article(raw, number=number, source=source, stem=stem)


def _jsonl_article(raw: bytes, *, number: int, source: str, stem: str) -> Article:
    fallback_id = f"{stem}:{number}"
    where = f"{source}:{number}"
    flags: tuple[InputFlag, ...] = ()
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        line = raw.decode("utf-8-sig", errors="replace")
        flags = ("invalid_bytes_replaced",)
    try:
        row: Any = srsly.json_loads(line)
    except ValueError as error:
        return Article(fallback_id, None, where, ("InvalidJSON", f"{where}: not a JSON object ({error})"), hashlib.sha256(raw).hexdigest())
    if not isinstance(row, dict):
        return Article(fallback_id, None, where, ("InvalidJSON", f"{where}: expected an object with 'id' and 'text'"), hashlib.sha256(raw).hexdigest())
    doc_id = row.get("id", row.get("doc_id"))
    doc_id = str(doc_id) if doc_id not in (None, "") else fallback_id
    text = row.get("text")
    if not isinstance(text, str):
        return Article(doc_id, None, where, ("MissingText", f"{where}: the object has no string field 'text'"), hashlib.sha256(raw).hexdigest())
    if _SURROGATE.search(text):  # "\\ud800" in JSON: a string that no UTF-8 writer (or the run store) can take
        text = _SURROGATE.sub("\ufffd", text)
        flags = ("invalid_bytes_replaced",)
    reference_date, readable = _reference_date(row)
    if not readable:
        flags = (*flags, "reference_date_ignored")
    return Article(doc_id, text, where, flags=flags, reference_date=reference_date)


REFERENCE_DATE_FIELDS = ("reference_date", "date", "published", "published_at", "publication_date")
"""JSONL fields that give an article's date (the first one present counts): what its "last year" and
"to date" are counted from (see `claimex.components.years`)."""


def with_reference_date(articles: Iterable[Article], reference_date: str | None) -> Iterator[Article]:
    """The articles, each one whose input gave no date dated `reference_date` (one whose date field
    held no readable date keeps none: its record says `reference_date_ignored`)."""
    for article in articles:
        if reference_date is not None and article.reference_date is None and "reference_date_ignored" not in article.flags:
            article = dataclasses.replace(article, reference_date=reference_date)
        yield article


def _reference_date(row: dict[str, Any]) -> tuple[str | None, bool]:
    """The date of a JSONL article as an ISO 8601 string ("2013-03-22", "2013-03", "2013", a
    datetime), and whether a date given was readable. A number is taken as a year; a value that is
    not a date is dropped, and the record says so (`reference_date_ignored`), so no year is counted
    from it."""
    for key in REFERENCE_DATE_FIELDS:
        value = row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if isinstance(value, str) and reference_month(value.strip()) is not None:
            return value.strip(), True
        return None, False
    return None, True


def record_to_json(record: ArticleRecord) -> str:
    """One JSON Lines row: keys sorted, UTF-8 characters kept, no insignificant spaces.

    Serialised by orjson, whose output for these options is byte for byte that of
    `json.dumps(..., sort_keys=True, ensure_ascii=False, separators=(",", ":"))` (the same escapes
    for quotes, backslashes and control characters, every other character kept) at a third of the
    cost. A text holding a lone surrogate, which orjson refuses as invalid UTF-8, falls back to
    `json.dumps` and gives the same line as before.
    """
    data = record.model_dump(mode="json")
    try:
        return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class RecordLine(NamedTuple):
    """An article record already serialised as its JSON Lines row, with what counting a batch needs.

    What `Extractor.pipe_lines` yields: a batch written straight to a file never needs the record's
    objects, and worker processes send these (one string each) instead of records, which the parent
    would otherwise rebuild object by object only to serialise them again.
    """

    doc_id: str
    status: str
    claim_count: int
    line: str

    @classmethod
    def of(cls, record: ArticleRecord) -> RecordLine:
        """The serialised form of `record` (`line` is `record_to_json(record)`)."""
        return cls(record.doc_id, record.status, len(record.claims), record_to_json(record))


def write_lines(lines: Iterable[RecordLine], out: IO[str]) -> Iterator[RecordLine]:
    """Write each serialised record as a line of `out` as it comes, yielding it on (for counting and progress)."""
    for line in lines:
        out.write(line.line)
        out.write("\n")
        yield line


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


def with_input_flags(record: ArticleRecord, article: Article) -> ArticleRecord:
    """The record with the article's input flags (what reading changed to get its text), if any."""
    if not article.flags:
        return record
    return record.model_copy(update={"input_flags": article.flags})
