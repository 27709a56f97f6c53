"""export: one Parquet row per claim, readable by pyarrow and DuckDB; a clear error without the extra."""

from __future__ import annotations

import builtins
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.export import MissingExtra, claim_rows, export_parquet

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "morocco-pakistan-ties.txt"
runner = CliRunner()
TEXT = "Exports rose to MAD 800 million (more than $83 million) in 2019, John Smith said. Rain fell in Kenya."


def test_claim_rows_flatten_each_claim_with_entity_names(extractor):
    record = extractor.extract(TEXT, "doc")
    rows = list(claim_rows([record], run="r1"))
    assert len(rows) == len(record.claims) and rows[0]["run"] == "r1" and rows[0]["doc_id"] == "doc"
    assert [m["currency"] for m in rows[0]["money"]] == ["MAD", "USD"]
    assert "Kenya" in rows[-1]["entities"]


def test_parquet_has_one_row_per_claim_and_duckdb_reads_it(tmp_path, extractor):
    pq = pytest.importorskip("pyarrow.parquet")
    records = [extractor.extract(TEXT, "doc"), extractor.extract("Nothing to see.", "empty")]
    path = tmp_path / "claims.parquet"
    assert export_parquet(records, path, run="r1") == sum(len(r.claims) for r in records)
    table = pq.read_table(path)
    assert table.num_rows == sum(len(r.claims) for r in records)
    assert table.column("claim_id").to_pylist() == [c.id for r in records for c in r.claims]
    duckdb = pytest.importorskip("duckdb")
    found = duckdb.sql(
        f"SELECT doc_id, m.amount FROM (SELECT doc_id, unnest(money) AS m FROM '{path}') WHERE m.currency = 'MAD'"
    ).fetchall()
    assert found == [("doc", "800000000")]


def test_export_command_writes_a_stored_run(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    store = tmp_path / "runs.db"
    assert runner.invoke(app, ["extract", str(SEED), "--store", str(store)]).exit_code == 0
    out = tmp_path / "claims.parquet"
    result = runner.invoke(app, ["export", "latest", "--format", "parquet", "-o", str(out), "--store", str(store)])
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == int(result.output.split()[2])
    assert runner.invoke(app, ["export", "latest", "-o", str(out), "--store", str(store)]).exit_code == 2, "needs --force"
    assert runner.invoke(app, ["export", "latest", "-o", str(tmp_path / "x.csv"), "--format", "csv", "--store", str(store)]).exit_code == 2


def test_without_pyarrow_the_error_names_the_extra(tmp_path, monkeypatch, extractor):
    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name == "pyarrow" or name.startswith("pyarrow."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    with pytest.raises(MissingExtra, match=r'pip install "claimex\[parquet\]"'):
        export_parquet([extractor.extract(TEXT, "doc")], tmp_path / "x.parquet", run="r")
    records = tmp_path / "records.jsonl"
    records.write_text(runner.invoke(app, ["extract", "-"], input=TEXT).stdout, encoding="utf-8")
    result = runner.invoke(app, ["export", str(records), "-o", str(tmp_path / "x.parquet")])
    assert result.exit_code == 1 and "claimex[parquet]" in result.output
