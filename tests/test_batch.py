"""Batch extraction from the command line: worker processes, error isolation, progress and summary,
exit statuses, and resuming a run that was killed halfway."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import claimex.cli
from claimex.cli import app
from claimex.progress import BatchCounts, counted

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "morocco-pakistan-ties.txt"
SUMMARY = re.compile(r"^claimex: [\d,]+ articles \([\d,]+ ok, [\d,]+ error\), [\d,]+ claims in [\d,.]+ s \([\d,]+ articles/s\)")
runner = CliRunner()


def news(count: int) -> list[dict]:
    """`count` short articles: a paragraph of the seed article and a sentence with an amount, a year and a speaker."""
    paragraphs = [p.strip() for p in SEED.read_text(encoding="utf-8").split("\n") if p.strip()]
    rows = []
    for i in range(count):
        sentence = f"Exports rose to ${i % 97 + 1} million in {1990 + i % 30}, the trade minister, Jane Doe, said."
        rows.append({"id": f"news-{i:05d}", "text": f"{paragraphs[i % len(paragraphs)]}\n\n{sentence}"})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.fixture
def mixed(tmp_path) -> Path:
    """Articles that work and articles that give error records (empty, not an object, no text)."""
    rows = news(40)
    rows[5]["text"] = "   "
    rows[17] = {"id": "no-text"}
    path = write_jsonl(tmp_path / "mixed.jsonl", rows)
    with path.open("a", encoding="utf-8") as out:
        out.write("[1, 2]\n")
    return path


def test_two_processes_give_the_same_records_as_one(mixed):
    one = runner.invoke(app, ["extract", str(mixed)])
    two = runner.invoke(app, ["extract", str(mixed), "--n-process", "2"])
    assert one.exit_code == two.exit_code == 0, two.output
    assert one.stdout == two.stdout
    statuses = Counter(json.loads(line)["status"] for line in lines(two.stdout))
    assert statuses == {"ok": 38, "error": 3}


def test_two_processes_store_the_same_run_as_one(mixed, tmp_path):
    store = str(tmp_path / "runs.db")
    for name, n in (("one", "1"), ("two", "2")):
        result = runner.invoke(app, ["extract", str(mixed), "-n", n, "--store", store, "--run-name", name])
        assert result.exit_code == 0, result.output
    shown = {name: runner.invoke(app, ["show", name, "--store", store]).stdout for name in ("one", "two")}
    assert shown["one"] == shown["two"] and len(lines(shown["one"])) == 41
    runs = [json.loads(line) for line in lines(runner.invoke(app, ["runs", "--json", "--store", store]).stdout)]
    assert [(r["status"], r["articles"], r["errors"]) for r in runs] == [("complete", 41, 3)] * 2


@pytest.mark.parametrize("n_process", ["1", "2"])
def test_an_article_that_makes_a_component_raise_gives_an_error_record(tmp_path, monkeypatch, extractor, n_process):
    """The command builds the pipeline cached in this process; worker processes are forked from it, so
    they run the same failing component."""
    money = extractor.nlp.get_pipe("claimex_money")
    process = money.process

    def fails_on_a_marker(doc):
        if "EXPLODING-ARTICLE" in doc.text:
            raise ZeroDivisionError("the component failed")
        return process(doc)

    monkeypatch.setitem(money.__dict__, "process", fails_on_a_marker)  # removed again afterwards
    rows = news(30)
    rows[7]["text"] += " EXPLODING-ARTICLE"
    source = write_jsonl(tmp_path / "in.jsonl", rows)
    result = runner.invoke(app, ["extract", str(source), "-n", n_process])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in lines(result.stdout)]
    assert [r["doc_id"] for r in records] == [row["id"] for row in rows]
    failed = [(r["doc_id"], r["error"]["type"]) for r in records if r["status"] == "error"]
    assert failed == [("news-00007", "ZeroDivisionError")]
    assert all(r["claims"] for r in records if r["status"] == "ok")
    assert SUMMARY.match(lines(result.stderr)[-1]) and "(29 ok, 1 error)" in result.stderr
    strict = runner.invoke(app, ["extract", str(source), "-n", n_process, "--fail-on-error"])
    assert strict.exit_code == 1 and strict.stdout == result.stdout


def test_the_summary_line_is_on_stderr_and_no_progress_when_stderr_is_not_a_terminal(mixed):
    result = runner.invoke(app, ["extract", str(mixed)])
    assert result.exit_code == 0
    (summary,) = lines(result.stderr)
    assert SUMMARY.match(summary) and "41 articles (38 ok, 3 error)" in summary, summary
    claims = sum(len(json.loads(line)["claims"]) for line in lines(result.stdout))
    assert f", {claims:,} claims in" in summary


def test_the_progress_bar_shows_articles_per_second_on_a_terminal(mixed, monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(claimex.cli, "stderr", Console(file=screen, force_terminal=True, width=120))
    result = runner.invoke(app, ["extract", str(mixed)])
    assert result.exit_code == 0
    assert "articles/s" in screen.getvalue() and "41/?" in screen.getvalue()
    assert len(lines(result.stdout)) == 41 and all(line.startswith("{") for line in lines(result.stdout)), "stdout keeps only records"


def test_counting_passes_records_through_and_is_silent_off_a_terminal(extractor):
    records = list(extractor.pipe(["Prices rose, he said.", ""]))
    quiet = io.StringIO()
    counts = BatchCounts()
    assert list(counted(records, counts, Console(file=quiet))) == records
    assert quiet.getvalue() == "" and (counts.ok, counts.error, counts.claims) == (1, 1, len(records[0].claims))
    assert counts.summary().startswith("claimex: 2 articles (1 ok, 1 error), ")


@pytest.mark.parametrize(
    "args",
    [["--resume"], ["--resume", "--run-name", "x"], ["--n-process", "0"], ["--batch-size", "0"]],
)
def test_batch_usage_errors_exit_2(tmp_path, args):
    source = write_jsonl(tmp_path / "in.jsonl", news(2))
    assert runner.invoke(app, ["extract", str(source), *args]).exit_code == 2


def test_fail_on_error_counts_the_whole_resumed_run(tmp_path):
    rows = news(3)
    rows[0]["text"] = ""
    store = str(tmp_path / "runs.db")
    assert runner.invoke(app, ["extract", str(write_jsonl(tmp_path / "a.jsonl", rows[:1])), "--store", store, "--run-name", "r"]).exit_code == 0
    result = runner.invoke(app, ["extract", str(write_jsonl(tmp_path / "b.jsonl", rows)), "--store", store, "--run-name", "r",
                                 "--resume", "--fail-on-error"])
    assert result.exit_code == 1, "the error record stored before the resume counts"
    assert "resuming r" in result.stderr and "(2 ok, 0 error)" in result.stderr and "1 already stored, skipped" in result.stderr


def test_resume_without_an_unfinished_run_starts_one(tmp_path):
    source = write_jsonl(tmp_path / "in.jsonl", news(2))
    result = runner.invoke(app, ["extract", str(source), "--store", str(tmp_path / "runs.db"), "--resume"])
    assert result.exit_code == 0 and "no unfinished run of pipeline default" in result.stderr


# ---- killed halfway, then resumed ----------------------------------------------------------------

def committed(store: Path, name: str) -> tuple[int, str] | None:
    """The committed article count and status of a run, read as another process would."""
    if not store.exists():
        return None
    db = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
    try:
        row = db.execute("SELECT articles, status FROM runs WHERE name = ?", (name,)).fetchone()
    except sqlite3.OperationalError:  # the schema is being created
        row = None
    finally:
        db.close()
    return row


def extract_command(source: Path, store: Path, n_process: int, batch_size: int, *extra: str) -> list[str]:
    """The command line of the run; it uses a copy of the default pipeline taken when the test starts,
    so that rule files edited meanwhile do not make the resumed run another pipeline's (which is refused)."""
    pipeline = store.parent / "pipeline"
    return [sys.executable, "-m", "claimex.cli", "extract", str(source), "--store", str(store), "--run-name", "archive",
            "--n-process", str(n_process), "--batch-size", str(batch_size), "--pipeline", str(pipeline), *extra]


def stop_halfway(source: Path, store: Path, total: int, n_process: int, batch_size: int, sig: signal.Signals) -> tuple[int, int]:
    """Start a stored run in its own process group, send `sig` to the group once about half the articles
    are committed, and return the committed count seen then and the exit status."""
    log = (store.parent / "stopped.log").open("w", encoding="utf-8")
    process = subprocess.Popen(extract_command(source, store, n_process, batch_size), stdout=subprocess.DEVNULL, stderr=log,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 1800
        seen = 0
        while time.monotonic() < deadline and process.poll() is None:
            row = committed(store, "archive")
            seen = row[0] if row else 0
            if seen >= total // 2:
                os.killpg(process.pid, sig)
                break
            time.sleep(0.05)
        code = process.wait(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
    return seen, code


def check_exactly_once(store: Path, rows: list[dict]) -> sqlite3.Connection:
    """The run holds one record per input article: none missing, none twice, claims and counts consistent."""
    db = sqlite3.connect(store)
    (run_id, status, articles, errors, claims), = db.execute("SELECT id, status, articles, errors, claims FROM runs WHERE name = 'archive'")
    assert status == "complete" and articles == len(rows)
    stored = db.execute("SELECT doc_id, occurrence, seq, status, record FROM articles WHERE run_id = ? ORDER BY seq", (run_id,)).fetchall()
    assert Counter(doc_id for doc_id, *_ in stored) == Counter(row["id"] for row in rows), "none missing, none duplicated"
    assert [seq for _, _, seq, _, _ in stored] == list(range(len(rows)))
    assert errors == sum(status == "error" for *_, status, _ in stored)
    record_claims = sum(len(json.loads(record)["claims"]) for *_, record in stored)
    assert claims == record_claims == db.execute("SELECT count(*) FROM claims WHERE run_id = ?", (run_id,)).fetchone()[0]
    orphans = db.execute("SELECT count(*) FROM claims c WHERE c.run_id = ? AND NOT EXISTS"
                         " (SELECT 1 FROM articles a WHERE a.run_id = c.run_id AND a.seq = c.seq AND a.doc_id = c.doc_id)", (run_id,))
    assert orphans.fetchone() == (0,)
    return db


def kill_and_resume(tmp_path: Path, *, total: int, n_process: int, batch_size: int, sig: signal.Signals, check_every: int) -> dict:
    """Stop a stored run halfway with `sig`, resume it, check it; compare every `check_every`-th record
    with an uninterrupted run's (0: none). Start-ups are separate processes, as a user runs them."""
    rows = news(total)
    rows[3]["text"] = ""  # an error record
    rows[total - 2]["id"] = rows[1]["id"]  # a repeated doc_id: two articles, two records
    source = write_jsonl(tmp_path / "archive.jsonl", rows)
    store = tmp_path / "runs.db"
    shutil.copytree(ROOT / "pipelines" / "default", tmp_path / "pipeline")
    started = time.perf_counter()
    seen, code = stop_halfway(source, store, total, n_process, batch_size, sig)
    stopped = time.perf_counter() - started
    assert code == (-signal.SIGKILL if sig == signal.SIGKILL else 130)
    left = committed(store, "archive")
    assert left is not None and total // 2 <= left[0] < total, f"stopped halfway: {left}"
    assert left[1] == ("running" if sig == signal.SIGKILL else "failed")
    if sig == signal.SIGINT:
        said = (tmp_path / "stopped.log").read_text(encoding="utf-8")
        assert "claimex: interrupted; rerun with --resume" in said and "Traceback" not in said, said
    resumed = subprocess.run(extract_command(source, store, n_process, batch_size, "--resume"), capture_output=True, text=True, timeout=3600)
    assert resumed.returncode == 0, resumed.stderr
    assert f"which holds {left[0]:,} records" in resumed.stderr
    assert f"{left[0]:,} already stored, skipped" in resumed.stderr
    db = check_exactly_once(store, rows)
    stored = [record for (record,) in db.execute("SELECT record FROM articles WHERE run_id = 1 ORDER BY seq")]
    picked = list(range(0, total, check_every)) if check_every else []
    if picked:
        sample = write_jsonl(tmp_path / "sample.jsonl", [rows[i] for i in picked])
        uninterrupted = subprocess.run([sys.executable, "-m", "claimex.cli", "extract", str(sample), "--pipeline", str(tmp_path / "pipeline")],
                                       capture_output=True, text=True, timeout=3600)
        assert uninterrupted.returncode == 0, uninterrupted.stderr
        assert [stored[i] for i in picked] == lines(uninterrupted.stdout), "the records are those of an uninterrupted run"
    db.close()
    return {"stopped_at": left[0], "seconds_to_stop": stopped, "seconds_total": time.perf_counter() - started}


def test_a_run_killed_halfway_is_completed_by_resume(tmp_path):
    kill_and_resume(tmp_path, total=300, n_process=1, batch_size=16, sig=signal.SIGKILL, check_every=2)


def test_a_run_stopped_with_ctrl_c_exits_130_and_is_completed_by_resume(tmp_path):
    kill_and_resume(tmp_path, total=300, n_process=1, batch_size=16, sig=signal.SIGINT, check_every=0)


@pytest.mark.slow
def test_a_20000_article_run_with_two_processes_killed_halfway_is_completed_by_resume(tmp_path):
    """Acceptance: SIGKILL a 20,000-article run halfway, rerun with --resume: exactly one record per article."""
    timing = kill_and_resume(tmp_path, total=20_000, n_process=2, batch_size=64, sig=signal.SIGKILL, check_every=50)
    print(f"20,000 articles: killed at {timing['stopped_at']:,} after {timing['seconds_to_stop']:.0f} s,"
          f" complete after {timing['seconds_total']:.0f} s")


def test_an_article_read_from_a_file_keeps_its_place_when_a_stored_run_is_resumed(tmp_path):
    """Resume goes by doc_id, not input position: a new file sorted between stored ones is added."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("a", "c"):
        (folder / f"{name}.txt").write_text(f"Prices rose in {name}, the minister said.", encoding="utf-8")
    store = str(tmp_path / "runs.db")
    assert runner.invoke(app, ["extract", str(folder), "--store", store, "--run-name", "r"]).exit_code == 0
    (folder / "b.txt").write_text("Prices fell, she said.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(folder), "--store", store, "--run-name", "r", "--resume", "-o", "-"])
    assert result.exit_code == 0 and [json.loads(line)["doc_id"] for line in lines(result.stdout)] == ["b"]
    shown = runner.invoke(app, ["show", "r", "--store", store])
    assert [json.loads(line)["doc_id"] for line in lines(shown.stdout)] == ["a", "c", "b"]

