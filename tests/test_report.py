"""report: one static HTML page per batch, highlighted texts, claim tables, diff marks; rendered in Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.diff import diff_batches
from claimex.io import Article
from claimex.report import render_report, render_text

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "morocco-pakistan-ties.txt"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
runner = CliRunner()

TEXT = 'Exports rose to $5 million in 2019, the minister said.\nPrices fell <b>sharply</b> & "fast", John Smith added.'


def labels(page: str) -> list[str]:
    return re.findall(r'class="cx-label"[^>]*>\s*([A-Z+~]+)', page)


def test_the_text_is_highlighted_and_escaped(extractor):
    record = extractor.extract(TEXT, "doc<1>")
    page = render_report([record], {record.text_sha256: TEXT}.get)
    found = set(labels(page))
    assert {"MONEY", "YEAR", "CUE", "SPEAKER", "STATEMENT"} <= found
    assert "<b>sharply</b>" not in page and "&lt;b&gt;sharply&lt;/b&gt;" in page
    assert "doc<1>" not in page and "doc&lt;1&gt;" in page
    assert page.count('<div class="spans"') == 2, "one block per paragraph"


def test_the_page_is_self_contained():
    page = render_report([], lambda sha: None, title="<x>")
    assert page.startswith("<!DOCTYPE html>") and "<title>&lt;x&gt;</title>" in page
    assert not re.search(r"<script|<link|src=|url\(|https?://", page)


def test_an_article_without_its_text_shows_its_claims_and_a_note(extractor):
    record = extractor.extract(TEXT, "doc")
    page = render_report([record], lambda sha: None)
    assert "not available" in page and 'class="claims"' in page and not labels(page)


def test_spans_cover_the_words_they_touch():
    html = render_text("Costs (about $5m) rose.", [(13, 16, "MONEY")])
    assert labels(html) == ["MONEY"] and "$5m)" in html


def test_a_diff_marks_added_changed_and_removed_claims(extractor):
    base = "Sales hit $5 million in 2019. The bank closed in Lagos. Rain fell in Accra."
    revised = {"d1": "Sales hit $7 million in 2019. The bank closed in Lagos.", "d2": base + " Snow fell in Oslo in 2020."}
    old = list(extractor.pipe([Article(doc_id, base, "<old>") for doc_id in revised]))
    new = list(extractor.pipe([Article(doc_id, text, "<new>") for doc_id, text in revised.items()]))
    comparison = diff_batches(old, new)
    assert [(a.doc_id, len(a.changed), len(a.removed), len(a.added)) for a in comparison.articles] == [("d1", 1, 1, 0), ("d2", 0, 0, 1)]
    texts = {record.text_sha256: revised[record.doc_id] for record in new}
    page = render_report(new, texts.get, diff=comparison)
    assert labels(page).count("STATEMENT~") == 1 and labels(page).count("STATEMENT+") == 1
    assert page.count('<tr class="removed">') == 1 and page.count('<tr class="added">') == 1 and page.count('<tr class="changed">') == 1
    assert "Rain fell in Accra." in page and "text revised" in page


def store_with_seed(tmp_path):
    store = tmp_path / "runs.db"
    result = runner.invoke(app, ["extract", str(SEED), "--store", str(store), "--run-name", "seed"])
    assert result.exit_code == 0, result.output
    return store


def test_report_of_a_run_and_of_a_jsonl_file_with_its_texts(tmp_path):
    store = store_with_seed(tmp_path)
    out = tmp_path / "run.html"
    result = runner.invoke(app, ["report", "seed", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    records = tmp_path / "seed.jsonl"
    records.write_text(runner.invoke(app, ["show", "seed", "--store", str(store)]).stdout, encoding="utf-8")
    from_file = tmp_path / "file.html"
    result = runner.invoke(app, ["report", str(records), "--texts", str(SEED), "-o", str(from_file)])
    assert result.exit_code == 0, result.output
    assert labels(out.read_text(encoding="utf-8")) == labels(from_file.read_text(encoding="utf-8")) != []
    again = runner.invoke(app, ["report", str(records), "-o", str(from_file)])
    assert again.exit_code == 2, "an existing output needs --force"


def png_pixels_vary(png: bytes) -> bool:
    """True when the decoded image data of a PNG holds many different byte values (not a blank page)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    data, offset = b"", 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        if kind == b"IDAT":
            data += png[offset + 8:offset + 8 + length]
        offset += 12 + length
    return len(set(zlib.decompress(data))) > 32


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium installed (apt-get install chromium)")
def test_the_seed_report_renders_in_headless_chromium(tmp_path):
    store = store_with_seed(tmp_path)
    page = tmp_path / "report.html"
    assert runner.invoke(app, ["report", "seed", "-o", str(page), "--store", str(store)]).exit_code == 0
    common = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              f"--user-data-dir={tmp_path / 'profile'}"]
    shot = tmp_path / "report.png"
    subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,1600", page.as_uri()],
                   capture_output=True, timeout=60, check=True)
    assert shot.stat().st_size > 10_000 and png_pixels_vary(shot.read_bytes())
    dom = subprocess.run([*common, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=60, check=True).stdout
    assert 'data-doc-id="morocco-pakistan-ties"' in dom
    assert {"SPEAKER", "CUE", "STATEMENT", "MONEY", "YEAR"} <= set(labels(dom))
    assert dom.count('class="cx-token"') > 100
