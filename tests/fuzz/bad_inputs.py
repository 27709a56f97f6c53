"""Hostile and messy inputs, built by code, and the checks every record of them must pass.

Shared by the default suite (`tests/test_bad_inputs.py`) and the long-run fuzz target
(`tests/fuzz/fuzz_pipeline.py`). Nothing here is a stored fixture: every input is generated, so the
repository holds no large or binary files.
"""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Iterable, Iterator
from pathlib import Path

from hypothesis import strategies as st

from claimex.io import Article, record_to_json
from claimex.schema import ArticleRecord, text_sha256

NEWS = (
    "Morocco and Pakistan will renew their ties, said the ambassador, John Smith.\n"
    "“We are proud of this agreement,” he said on Monday.\n"
    "The deal is worth $83 million (MAD 800 million), according to officials.\n"
    "Relations date back to 1958 and grew in the 1990s.\n"
)


def _html_page() -> str:
    body = "".join(f"<p>{line}</p>\n" for line in NEWS.replace("&", "&amp;").splitlines())
    return (
        "<!DOCTYPE html>\n<html><head><title>Ties renewed</title><style>p { color: red; }</style>"
        "<script>var s = '<p>not text</p>';</script></head>\n<body><!-- a comment -->\n"
        f"<h1>Ties &amp; trade</h1>\n{body}<table><tr><td>1958</td><td>$5 million</td></tr></table>\n</body></html>\n"
    )


def bad_text_files() -> dict[str, bytes]:
    """Named raw inputs for text files (`<name>.txt`): encodings, markup, control and exotic characters,
    and pathological shapes. Every one must give a record (ok or error) in a few seconds."""
    rng = random.Random(8)
    cases: dict[str, bytes] = {
        # encodings
        "utf8-bom": b"\xef\xbb\xbf" + NEWS.encode(),
        "utf16-le-bom": NEWS.encode("utf-16"),
        "utf16-be-bom": b"\xfe\xff" + NEWS.encode("utf-16-be"),
        "utf16-le-no-bom": NEWS.encode("utf-16-le"),
        "utf16-be-no-bom": NEWS.encode("utf-16-be"),
        "utf16-odd-length": NEWS.encode("utf-16") + b"\x00",
        "latin1": "Caf\u00e9 owners in S\u00e3o Paulo said profits rose 5%.\n".encode("latin-1"),
        "cp1252-quotes": "\u201cWe won,\u201d said the mayor of M\u00fcnchen.\n".encode("cp1252"),
        "truncated-utf8": NEWS.encode() + "\u20ac".encode()[:2],
        "overlong-utf8": b"Overlong \xc0\xaf slash and \xe0\x80\xaf said Smith.\n",
        "surrogate-utf8": b"A lone surrogate \xed\xa0\x80 here, said Smith.\n",
        "mojibake": NEWS.encode().decode("latin-1").encode(),
        # control characters
        "crlf": NEWS.replace("\n", "\r\n").encode(),
        "cr-only": NEWS.replace("\n", "\r").encode(),
        "nul-bytes": NEWS.replace(" ", " \x00", 5).encode(),
        "controls": ("\x07\x1b[31m" + NEWS + "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029").encode(),
        "empty": b"",
        "whitespace-only": " \t\r\n\u00a0\u3000\n".encode(),
        "nul-only": b"\x00" * 1000,
        # binary data
        "random-binary": bytes(rng.randrange(256) for _ in range(4000)),
        "gzip": gzip.compress(NEWS.encode() * 20),
        "png-header": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        # markup
        "html-page": _html_page().encode(),
        "html-fragment": b"<p>Prices rose, said <b>John Smith</b>.<br>Sales fell by $5&nbsp;million.</p>",
        "html-entities-only": b"Profits &amp; losses &#8220;fell&#8221;, said Smith &mdash; in 2019.",
        "html-unclosed-comment": b"<p>Before.</p><!--" + b"x " * 5000,
        "html-unclosed-script": b"<p>Before.</p><script>" + b"var a = 1; " * 5000,
        "html-unclosed-tags": b"<a " * 3000,
        "html-comment-openers": b"<p>" + b"<!--" * 10000,
        "html-lt-run": b"<p>" + b"<" * 5000,
        # exotic but valid text
        "zero-width": "Pak\u200bistan and Mor\u200cocco\u200d signed\u2060 a \ufeffdeal, said Smith.\n".encode(),
        "nbsp": "The deal is worth $5\u00a0million, said\u202fthe minister\u2009Smith.\n".encode(),
        "rtl": ("\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u00ab\u0646\u062d\u0646 \u0641\u062e\u0648\u0631\u0648\u0646\u00bb."
                " \u202eesrever\u202c \u05e9\u05dc\u05d5\u05dd said Smith.\n").encode(),
        "cjk": "\u5916\u4ea4\u90e8\u957f\u8bf4\uff1a\u201c\u6211\u4eec\u5f88\u9ad8\u5174\u3002\u201d 1958\u5e74\uff0c\uffe5800\u4e07\u3002\n".encode(),
        "emoji": "\U0001f600 \U0001f468\u200d\U0001f469\u200d\U0001f467 \U0001f44d\U0001f3fd said Smith \U0001f1f2\U0001f1e6 $5 million \U0001f4b0.\n".encode(),
        "combining": ("Z" + "\u0336\u0301\u0300" * 300 + " said Smith.\n").encode(),
        # pathological shapes
        "line-100k-words": ("word " * 20000).encode(),
        "line-100k-letters": b"a" * 100000,
        "quotes-10k": b'"' * 10000,
        "curly-quotes-10k": ("\u201c" * 5000 + "\u201d" * 5000).encode(),
        "apostrophes-10k": b"'" * 10000,
        "quotes-unbalanced": ("He said \u201c" + "yes, " * 500 + "\n") .encode() * 3,
        "dollars-10k": b"$" * 10000,
        "dollars-spaced": b"$ " * 3000,
        "commas-5k": b"," * 5000,
        "parens-4k": b"(" * 2000 + b")" * 2000,
        "digits-400": b"The deal is worth $" + b"9" * 400 + b" million, said Smith.",
        "digits-400-decimal": b"It cost 0." + b"0" * 400 + b"1 billion dollars in " + b"1" * 400 + b".",
        "exponent-1e309": b"It cost $1e309 million, or 1e309 billion euros, in 1e309.",
        "nan-inf": b"It cost $NaN million and inf billion euros, said Smith.",
        "numbers-table": "\n".join(" | ".join(str(i * j) for j in range(10)) for i in range(100)).encode(),
        "money-table": "\n".join(" ".join(f"${i * j}.5 million" for j in range(8)) for i in range(50)).encode(),
        "years-table": " ".join(str(1900 + i % 200) for i in range(1000)).encode(),
        "capital-letters": b"A " * 2000,
        "repeated-speaker": " ".join("John Smith said" for _ in range(300)).encode(),
        "blank-lines": b"\n" * 50000 + b"Then he said so.",
    }
    return cases


def bad_jsonl_lines() -> list[bytes]:
    """Lines of one JSONL file: good articles between broken, odd and hostile ones."""
    return [
        json.dumps({"id": "good-1", "text": NEWS}).encode(),
        b"{not json",
        b"[1, 2, 3]",
        json.dumps({"id": "no-text"}).encode(),
        json.dumps({"id": "text-not-string", "text": 5}).encode(),
        b'{"id": "bad-bytes", "text": "caf\xe9 said Smith"}',
        json.dumps({"id": "nul-escape", "text": "He\u0000 said so."}).encode(),
        b'{"id": "lone-surrogate", "text": "A \\ud800 surrogate, said Smith."}',
        json.dumps({"id": "html-in-jsonl", "text": "<p>Kept as given, said Smith.</p>"}).encode(),
        b'{"id": "deep", "text": "x", "extra": ' + b"[" * 100000 + b"]" * 100000 + b"}",
        b'{"id": "huge-int", "text": "It cost $' + b"9" * 5000 + b'.", "n": ' + b"9" * 5000 + b"}",
        json.dumps({"id": "", "text": "An empty id, said Smith."}).encode(),
        json.dumps({"id": None, "text": "   "}).encode(),
        json.dumps({"id": {"nested": 1}, "text": "An object id."}).encode(),
        b"",
        b"   ",
        b"\x00\x00\x00",
        json.dumps({"id": "good-2", "text": NEWS.upper()}).encode(),
    ]


def write_corpus(folder: Path) -> list[Path]:
    """Write every bad input under `folder` (text files and one JSONL file); return the paths, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, data in bad_text_files().items():
        path = folder / f"{name}.txt"
        path.write_bytes(data)
        paths.append(path)
    jsonl = folder / "lines.jsonl"
    jsonl.write_bytes(b"\n".join(bad_jsonl_lines()) + b"\n")
    paths.append(jsonl)
    return sorted(paths)


# ---- hypothesis strategies -------------------------------------------------------------------

FRAGMENTS = [
    "Prices rose", "$5 million", "more than", "said", "the minister", "he added", "\u201c", "\u201d", '"', "'", ",", ".",
    "In 2019", "the 1990s", "between 2007 and 2018", "John Smith", "Paris", "(OIC)", "\n", "\n\n", "\r\n", "\u2013",
    "according to", "Smith", "\u20ac3bn", "Rs 5 crore", "\u2019s", "U.S.", ":", "!", "?", "almost a century",
    "<p>", "</p>", "<br>", "&amp;", "&#8220;", "<!--", "-->", "<script>", "\x00", "\ufeff", "\u200b", "\u00a0",
    "\u202e", "\u0642\u0627\u0644", "\u5916\u4ea4\u90e8", "\U0001f600", "\U0001f468\u200d\U0001f469", "\ufffd",
    "$$$$", "1e309 million", "9" * 400, "$" + "9" * 60, "0." + "0" * 50 + "1", "-", "(", ")", "[", "]", "\t",
]
NEWSY_TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(" ".join)
RUNS = st.builds(lambda piece, n: piece * n, st.sampled_from(['"', "\u201c", "$", ",", "(", "'", "a ", "said ", "<a ", "9"]), st.integers(1, 3000))
TEXTS = st.one_of(st.text(max_size=400), NEWSY_TEXT, RUNS, st.lists(st.one_of(NEWSY_TEXT, RUNS), max_size=4).map("".join))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"])


@st.composite
def raw_inputs(draw: st.DrawFn) -> bytes:
    """Bytes of a text file: a text in some encoding, possibly with bytes inserted or cut off."""
    text = draw(TEXTS)
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors=draw(st.sampled_from(["replace", "ignore"] + ["surrogatepass"] * encoding.startswith("utf"))))
    if draw(st.booleans()):
        data = draw(st.binary(max_size=40)) + data
    if data and draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


# ---- checks ----------------------------------------------------------------------------------


def spans_of(record: dict) -> Iterator[dict]:
    """Every span-like object of a record (JSON form): mentions, sentences, statements, cues, money, years."""
    for entity in record.get("entities", ()):
        yield from entity["mentions"]
    for claim in record.get("claims", ()):
        yield claim["sentence"]
        yield claim["statement"]
        if claim["speaker"]:
            yield claim["speaker"]["mention"]
        if claim["cue"]:
            yield claim["cue"]
        yield from claim["money"]
        yield from claim["years"]


def check_record(record: ArticleRecord, article: Article, validator: object | None = None) -> None:
    """The promises a record keeps: valid against the model and the JSON Schema, its JSON line
    round-trips, text_sha256 is the hash of the article text, and every span slices back to it."""
    line = record_to_json(record)
    data = json.loads(line)
    assert ArticleRecord.model_validate(data) == record
    if validator is not None:
        validator.validate(data)  # type: ignore[attr-defined]
    assert record.doc_id == article.doc_id
    assert record.input_flags == article.flags
    if record.status == "ok":
        assert article.text is not None
        assert record.text_sha256 == text_sha256(article.text)
        ArticleRecord.model_validate(data, context={"text": article.text})
        for span in spans_of(data):
            assert article.text[span["start"]:span["end"]] == span["text"], span
    else:
        assert record.error is not None and record.error.type and record.error.message
        assert record.text_sha256 == article.sha256


def schema_validator() -> object:
    """A JSON Schema validator of the committed record schema (`src/claimex/record.schema.json`)."""
    import jsonschema

    import claimex

    schema = json.loads((Path(claimex.__file__).parent / "record.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def records_alone(extractor: object, articles: Iterable[Article]) -> list[str]:
    """Each article's record extracted on its own, as JSON lines (for batch-independence checks)."""
    return [record_to_json(next(extractor.pipe([article]))) for article in articles]  # type: ignore[attr-defined]
