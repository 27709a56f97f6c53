"""io: every input article becomes an Article, or an Article carrying why it could not be read."""

from __future__ import annotations

import io
import json

import pytest

from claimex import extract
from claimex.io import read_articles, record_to_json
from claimex.pipeline import PipelineMeta
from claimex.records import error_record


def test_text_file_doc_id_is_its_stem(tmp_path):
    (tmp_path / "story-1.txt").write_text("Some news.", encoding="utf-8")
    (article,) = read_articles([tmp_path / "story-1.txt"])
    assert (article.doc_id, article.text, article.error) == ("story-1", "Some news.", None)


def test_folder_is_read_in_sorted_order(tmp_path):
    for name in ("b.txt", "a.txt", "c.bin"):
        (tmp_path / name).write_text(name, encoding="utf-8")
    assert [a.doc_id for a in read_articles([tmp_path])] == ["a", "b"]


def test_jsonl_lines_are_articles_and_bad_lines_are_errors(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"id": "x1", "text": "One."}) + "\n\n" + "{not json\n" + json.dumps({"id": "x3"}) + "\n" + json.dumps([1]) + "\n",
        encoding="utf-8",
    )
    got = [(a.doc_id, a.text, a.error[0] if a.error else None) for a in read_articles([path])]
    assert got == [("x1", "One.", None), ("batch:3", None, "InvalidJSON"), ("x3", None, "MissingText"), ("batch:5", None, "InvalidJSON")]


@pytest.mark.parametrize(
    ("data", "error", "text", "flags"),
    [
        (b"\x00\x01\x02binary", "BinaryInput", None, ()),
        (b"caf\xe9 au lait", None, "caf\ufffd au lait", ("invalid_bytes_replaced",)),
        (b"\xef\xbb\xbfWith a BOM.", None, "With a BOM.", ("bom_removed",)),
        ("UTF-16 text.".encode("utf-16"), None, "UTF-16 text.", ("bom_removed", "utf16_decoded")),
        (b"A NUL\x00 byte.", None, "A NUL byte.", ("nul_removed",)),
        (b"<p>Some <b>HTML</b>.</p>", None, "Some HTML.", ("html_stripped",)),
        (b"Line one.\r\nLine two.", None, "Line one.\r\nLine two.", ()),
        (b"", None, "", ()),
    ],
)
def test_bytes_are_decoded_cleaned_and_flagged(tmp_path, data, error, text, flags):
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    (article,) = read_articles([path])
    assert (article.error[0] if article.error else None) == error
    assert (article.text, article.flags) == (text, flags)
    assert len(article.sha256) == 64


def test_missing_file_is_an_error_article(tmp_path):
    (article,) = read_articles([tmp_path / "gone.txt"])
    assert (article.doc_id, article.error[0]) == ("gone", "UnreadableInput")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Plain text from stdin.", [("stdin", "Plain text from stdin.")]),
        (b'{"id": "a", "text": "A."}\n{"id": "b", "text": "B."}\n', [("a", "A."), ("b", "B.")]),
    ],
)
def test_stdin_is_text_or_jsonl(data, expected):
    assert [(a.doc_id, a.text) for a in read_articles(["-"], stdin=io.BytesIO(data))] == expected


def _json_dumps_line(record) -> str:
    """The JSON Lines row as the standard library writes it with the documented options."""
    return json.dumps(record.model_dump(mode="json"), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@pytest.mark.parametrize(
    "text",
    [
        '"We will pay $5 million," said Jane Smith, the mayor of Springfield.',
        'Control\x01 and \x1f characters, a tab\there, a "quote", a \\ backslash, said Jane Smith.',
        "Non-ASCII kept: café, Łódź, \u2028line separator, 東京 and 🙂, said Jane Smith in 2019.",
        "A lone \ud800 surrogate, said Jane Smith.",
    ],
)
def test_record_to_json_is_the_standard_library_line(text):
    record = extract(text, "doc-1")
    assert record_to_json(record) == _json_dumps_line(record)


def test_record_to_json_matches_the_standard_library_on_every_character():
    """orjson and `json.dumps` escape exactly the same characters, across all of Unicode."""
    meta = PipelineMeta(name="default", version="0", data_sha256="0" * 64)
    characters = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for begin in range(0, len(characters), 65536):
        record = error_record(doc_id="d", sha256="0" * 64, pipeline=meta, error_type="E", message=characters[begin:begin + 65536])
        assert record_to_json(record) == _json_dumps_line(record)
