"""cli: the `claimex` command, run as a user would."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.schema import ArticleRecord

runner = CliRunner()


def records(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_a_file_to_stdout(tmp_path):
    (tmp_path / "note.txt").write_text("Exports rose to $5 million in 2019, the minister said.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "note.txt")])
    assert result.exit_code == 0, result.output
    (record,) = records(result.stdout)
    ArticleRecord.model_validate(record)
    assert record["doc_id"] == "note" and record["status"] == "ok"
    assert list(record) == sorted(record), "keys are sorted"


def test_reference_date_dates_the_articles_that_give_none(tmp_path):
    (tmp_path / "a.txt").write_text("Sales grew last year, the minister said.", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        json.dumps({"id": "dated", "text": "Sales grew last year.", "date": "2010-06-01"}) + "\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["extract", str(tmp_path), "--reference-date", "2024-05-01"])
    assert result.exit_code == 0, result.output
    years = {r["doc_id"]: [y["start_year"] for c in r["claims"] for y in c.get("years", [])] for r in records(result.stdout)}
    assert years == {"a": [2023], "dated": [2009]}  # an article's own date comes first


def test_an_unreadable_reference_date_is_a_usage_error(tmp_path):
    (tmp_path / "a.txt").write_text("Sales grew last year.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path / "a.txt"), "--reference-date", "May 1"])
    assert result.exit_code == 2
    assert "--reference-date 'May 1' is not an ISO 8601 date" in result.output


def test_bad_inputs_give_error_records_and_the_batch_goes_on(tmp_path):
    (tmp_path / "a-empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "b-binary.txt").write_bytes(b"\x00\xff\x00")
    (tmp_path / "c-good.txt").write_text("Prices will rise, he said.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    got = [(r["doc_id"], r["status"], (r["error"] or {}).get("type")) for r in records(result.stdout)]
    assert got == [("a-empty", "error", "EmptyArticle"), ("b-binary", "error", "BinaryInput"), ("c-good", "ok", None)]


def test_fail_on_error_sets_the_exit_status(tmp_path):
    (tmp_path / "empty.txt").write_text("   ", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--fail-on-error", str(tmp_path / "empty.txt")])
    assert result.exit_code == 1
    assert records(result.stdout)[0]["status"] == "error"


def test_output_file_needs_force_to_be_overwritten(tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("Prices will rise, he said.", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("keep me", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(src), "-o", str(out)])
    assert result.exit_code == 2 and out.read_text(encoding="utf-8") == "keep me"
    result = runner.invoke(app, ["extract", str(src), "-o", str(out), "--force"])
    assert result.exit_code == 0 and records(out.read_text(encoding="utf-8"))[0]["doc_id"] == "in"


def test_jsonl_from_stdin():
    result = runner.invoke(app, ["extract", "-"], input='{"id": "s1", "text": "Prices will rise, he said."}\n')
    assert result.exit_code == 0, result.output
    assert [r["doc_id"] for r in records(result.stdout)] == ["s1"]


@pytest.mark.parametrize(
    ("args", "code"),
    [(["extract"], 2), (["extract", "no/such/file.txt"], 2), (["extract", "-", "--pipeline", "nonexistent"], 2), (["frobnicate"], 2)],
)
def test_usage_errors_exit_2(args, code):
    assert runner.invoke(app, args, input="").exit_code == code


def test_schema_command_prints_the_json_schema():
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "ArticleRecord"


@pytest.mark.parametrize("command", ["extract", "schema", "runs", "show", "diff", "evaluate", "report", "export"])
def test_every_command_has_help_with_an_example(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_empty_binary_and_very_long_articles_give_one_record_each(tmp_path):
    """Articles longer than spaCy's default max_length (1,000,000 characters) are processed too."""
    (tmp_path / "a-empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "b-binary.txt").write_bytes(bytes(range(256)) * 4)
    paragraph = "Exports grew to $5 million in 2019, said the minister, John Smith. Prices fell, he added.\n"
    (tmp_path / "c-long.txt").write_text(paragraph * (1_100_000 // len(paragraph)), encoding="utf-8")
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 0, result.output
    got = records(result.stdout)
    assert [(r["doc_id"], r["status"]) for r in got] == [("a-empty", "error"), ("b-binary", "error"), ("c-long", "ok")]
    assert len(got[2]["claims"]) == 2 * (1_100_000 // len(paragraph))


def test_extract_into_a_store_then_list_and_show_the_run(tmp_path):
    (tmp_path / "note.txt").write_text("Exports rose to $5 million in 2019, the minister said.", encoding="utf-8")
    store = tmp_path / "runs.db"
    result = runner.invoke(app, ["extract", str(tmp_path / "note.txt"), "--store", str(store), "--run-name", "first"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "", "with --store, records go to stdout only with -o -"
    listed = runner.invoke(app, ["runs", "--store", str(store), "--json"])
    (run,) = records(listed.stdout)
    assert (run["id"], run["name"], run["status"], run["articles"]) == (1, "first", "complete", 1)
    table = runner.invoke(app, ["runs", "--store", str(store)])
    assert table.exit_code == 0 and "first" in table.stdout and "complete" in table.stdout
    shown = runner.invoke(app, ["show", "first", "note", "--store", str(store)])
    assert shown.exit_code == 0 and [r["doc_id"] for r in records(shown.stdout)] == ["note"]
    both = runner.invoke(app, ["extract", str(tmp_path / "note.txt"), "--store", str(store), "-o", "-"])
    assert both.exit_code == 0 and len(records(both.stdout)) == 1


def test_the_default_store_comes_from_the_environment(tmp_path, monkeypatch):
    (tmp_path / "note.txt").write_text("Prices will rise, he said.", encoding="utf-8")
    monkeypatch.setenv("CLAIMEX_STORE", str(tmp_path / "env.db"))
    assert runner.invoke(app, ["extract", str(tmp_path / "note.txt"), "--store", str(tmp_path / "env.db")]).exit_code == 0
    assert records(runner.invoke(app, ["runs", "--json"]).stdout)[0]["id"] == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["runs", "--store", "{tmp}/missing.db"], 2),
        (["show", "nope", "--store", "{tmp}/runs.db"], 2),
        (["show", "1", "no-such-doc", "--store", "{tmp}/runs.db"], 1),
        (["extract", "-", "--run-name", "x"], 2),
        (["extract", "-", "--store", "{tmp}/runs.db", "--run-name", "one"], 2),
        (["extract", "-", "--store", "{tmp}/runs.db", "--run-name", "7"], 2),
    ],
)
def test_store_usage_and_data_errors(tmp_path, args, code):
    store = tmp_path / "runs.db"
    assert runner.invoke(app, ["extract", "-", "--store", str(store), "--run-name", "one"], input="Prices rose, he said.").exit_code == 0
    result = runner.invoke(app, [a.replace("{tmp}", str(tmp_path)) for a in args], input="Prices rose, he said.")
    assert result.exit_code == code, result.output
    assert result.output.startswith("claimex: ") or code == 2


def test_extract_help_documents_the_batch_options_and_the_exit_statuses():
    result = runner.invoke(app, ["extract", "--help"])
    assert result.exit_code == 0
    for option in ("--n-process", "--batch-size", "--resume", "--fail-on-error"):
        assert option in result.stdout
    text = " ".join(result.stdout.split())
    for status in ("Exit status: 0 when every input article got a record", "1 with --fail-on-error", "2 for a usage error", "130 when interrupted"):
        assert status in text, status
