"""Hostile and messy input: every input gives one valid record (ok or error), quickly, whatever the batch.

The corpus is built by code (`tests/fuzz/bad_inputs.py`) into a temporary folder; the long-run fuzz
target over the same strategies is `tests/fuzz/fuzz_pipeline.py`.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimex.io import decode_article, read_articles, record_to_json
from claimex.schema import ArticleRecord

_spec = importlib.util.spec_from_file_location("claimex_bad_inputs", Path(__file__).parent / "fuzz" / "bad_inputs.py")
bad_inputs = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(bad_inputs)  # type: ignore[union-attr]

SECONDS_PER_INPUT = 5.0
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return bad_inputs.write_corpus(tmp_path_factory.mktemp("bad-inputs"))


@pytest.fixture(scope="module")
def validator() -> object:
    return bad_inputs.schema_validator()


@pytest.fixture(scope="module")
def alone(extractor, corpus) -> dict[str, tuple[float, str]]:
    """Each corpus article extracted on its own: (CPU seconds, JSON line), by source (CPU time: other
    processes on a busy machine do not count)."""
    timed = {}
    for article in read_articles(corpus):
        started = time.process_time()
        record = next(extractor.pipe([article]))
        timed[article.source] = (time.process_time() - started, record_to_json(record))
    return timed


def test_every_bad_input_gives_one_valid_record_in_under_five_seconds(corpus, alone, validator):
    articles = list(read_articles(corpus))
    lines = [line for line in bad_inputs.bad_jsonl_lines() if line.strip()]
    assert len(articles) == len(alone) == len(bad_inputs.bad_text_files()) + len(lines)
    for article in articles:
        elapsed, line = alone[article.source]
        assert elapsed < SECONDS_PER_INPUT, f"{article.source}: {elapsed:.1f} s"
        bad_inputs.check_record(ArticleRecord.model_validate_json(line), article, validator)


def test_the_corpus_in_one_batch_gives_the_records_of_each_input_alone(extractor, corpus, alone):
    articles = list(read_articles(corpus))
    assert [record_to_json(r) for r in extractor.pipe(articles)] == [alone[a.source][1] for a in articles]


def _read(name: str) -> object:
    data = bad_inputs.bad_text_files()[name]
    return decode_article(data, doc_id=name, source=f"{name}.txt")


@pytest.mark.parametrize(
    ("name", "error", "flags"),
    [
        ("utf8-bom", None, ("bom_removed",)),
        ("utf16-le-bom", None, ("bom_removed", "utf16_decoded")),
        ("utf16-be-bom", None, ("bom_removed", "utf16_decoded")),
        ("utf16-le-no-bom", None, ("utf16_decoded",)),
        ("utf16-be-no-bom", None, ("utf16_decoded",)),
        ("latin1", None, ("invalid_bytes_replaced",)),
        ("surrogate-utf8", None, ("invalid_bytes_replaced",)),
        ("nul-bytes", None, ("nul_removed",)),
        ("crlf", None, ()),
        ("html-page", None, ("html_stripped",)),
        ("html-entities-only", None, ("html_entities_decoded",)),
        ("random-binary", "BinaryInput", ()),
        ("gzip", "BinaryInput", ()),
        ("png-header", "BinaryInput", ()),
        ("nul-only", "BinaryInput", ()),
    ],
)
def test_inputs_are_decoded_cleaned_and_flagged(name, error, flags):
    article = _read(name)
    assert (article.error[0] if article.error else None) == error
    assert article.flags == flags


def test_utf16_and_utf8_give_the_same_text():
    texts = {_read(name).text for name in ("utf8-bom", "utf16-le-bom", "utf16-be-bom", "utf16-le-no-bom", "utf16-be-no-bom")}
    assert texts == {bad_inputs.NEWS}


def test_html_is_reduced_to_its_text():
    text = _read("html-page").text
    assert text.startswith("Ties renewed\n\nTies & trade\n\nMorocco and Pakistan will renew their ties")
    assert "<" not in text and "color" not in text and "not text" not in text and "a comment" not in text
    assert "1958 $5 million" in text


def test_records_carry_the_input_flags_and_offsets_into_the_cleaned_text(extractor):
    article = _read("html-fragment")
    record = next(extractor.pipe([article]))
    data = json.loads(record_to_json(record))
    assert data["input_flags"] == ["html_stripped"]
    assert article.text == "Prices rose, said John Smith.\n\nSales fell by $5\u00a0million."
    money = [m["text"] for c in data["claims"] for m in c["money"]]
    assert money and all(m in article.text for m in money)


def test_records_of_clean_input_have_no_input_flags_field(extractor):
    record = extractor.extract("Prices rose, said John Smith.", doc_id="clean")
    assert "input_flags" not in json.loads(record_to_json(record))


def test_a_file_too_long_to_read_is_an_error_without_being_read(tmp_path):
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 100)  # 500 bytes: over 4 bytes x 100 characters
    (article,) = read_articles([path], max_chars=100)
    assert article.error[0] == "ArticleTooLong" and "500 bytes" in article.error[1]
    assert article.text is None and len(article.sha256) == 64


def test_a_jsonl_line_too_long_to_read_is_an_error_and_the_next_lines_are_read(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 200_000}) + "\n" + json.dumps({"id": "after", "text": "Fine."}) + "\n", encoding="utf-8"
    )
    got = [(a.doc_id, a.error[0] if a.error else None) for a in read_articles([path], max_chars=10)]
    assert got == [("batch:1", "ArticleTooLong"), ("after", None)]


def test_stdin_text_over_the_limit_is_an_error(extractor):
    import io

    (article,) = read_articles(["-"], stdin=io.BytesIO(b"x" * 50), max_chars=10)
    assert article.error[0] == "ArticleTooLong"


def test_jsonl_text_is_taken_as_given_but_lone_surrogates_are_replaced(corpus):
    by_id = {a.doc_id: a for a in read_articles([p for p in corpus if p.suffix == ".jsonl"])}
    assert by_id["html-in-jsonl"].text == "<p>Kept as given, said Smith.</p>" and by_id["html-in-jsonl"].flags == ()
    assert by_id["nul-escape"].text == "He\x00 said so."
    assert by_id["lone-surrogate"].text == "A \ufffd surrogate, said Smith."
    assert by_id["lone-surrogate"].flags == ("invalid_bytes_replaced",)
    assert by_id["bad-bytes"].flags == ("invalid_bytes_replaced",)


def test_a_batch_of_1000_articles_with_10_percent_bad_inputs_gives_1000_records(tmp_path, extractor, validator):
    cheap = [(name, data) for name, data in bad_inputs.bad_text_files().items() if len(data) < 2000]
    folder = tmp_path / "batch"
    folder.mkdir()
    for i in range(1000):
        if i % 10 == 3:
            name, data = cheap[(i // 10) % len(cheap)]
            (folder / f"{i:04d}-{name}.txt").write_bytes(data)
        else:
            (folder / f"{i:04d}.txt").write_text(f"Prices rose by ${i} million in {1900 + i % 120}, said Smith.\n", encoding="utf-8")
    articles = list(read_articles([folder]))
    records = list(extractor.pipe(articles))
    assert len(records) == 1000
    assert [r.doc_id for r in records] == [p.stem for p in sorted(folder.iterdir())]
    for article, record in zip(articles, records):
        bad_inputs.check_record(record, article, validator if "-" in article.doc_id else None)
    assert sum(r.status == "error" for r in records) >= 10  # the binary and empty inputs among the bad ones


def test_the_cli_writes_one_record_per_bad_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    files = bad_inputs.bad_text_files()
    for name in ("utf16-le-bom", "latin1", "nul-bytes", "random-binary", "html-page", "empty", "quotes-10k"):
        (folder / f"{name}.txt").write_bytes(files[name])
    (folder / "lines.jsonl").write_bytes(b"\n".join(bad_inputs.bad_jsonl_lines()[:9]) + b"\n")
    out = tmp_path / "out.jsonl"
    subprocess.run([sys.executable, "-m", "claimex.cli", "extract", str(folder), "-o", str(out)], check=True, timeout=300)
    records = [ArticleRecord.model_validate_json(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r.doc_id for r in records] == [a.doc_id for a in read_articles([folder])]


@SETTINGS
@given(bad_inputs.raw_inputs())
def test_any_bytes_give_a_valid_record_whose_spans_slice_back(extractor, validator, data):
    article = decode_article(data, doc_id="fuzz", source="fuzz.txt")
    bad_inputs.check_record(next(extractor.pipe([article])), article, validator)


@SETTINGS
@given(st.lists(st.one_of(bad_inputs.raw_inputs(), st.sampled_from(sorted(bad_inputs.bad_text_files())).map(lambda n: n)), min_size=1, max_size=4))
def test_each_article_is_extracted_the_same_whatever_else_is_in_its_batch(extractor, items):
    files = bad_inputs.bad_text_files()
    cheap = {name for name, data in files.items() if len(data) < 5000}
    articles = [
        decode_article(files[item] if isinstance(item, str) and item in cheap else (item.encode() if isinstance(item, str) else item),
                       doc_id=f"d{i}", source=f"d{i}.txt")
        for i, item in enumerate(items)
    ]
    batch = [record_to_json(r) for r in extractor.pipe(articles)]
    assert batch == bad_inputs.records_alone(extractor, articles)
