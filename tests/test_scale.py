"""Scale-out on Dask: the same records as one process, one part per partition, a run in the store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex import Extractor, record_to_json
from claimex.io import read_articles
from claimex.scale import Block, extract_part, part_path, plan_blocks, read_block
from claimex.store import RunStore

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def write_inputs(folder: Path) -> list[Path]:
    """A JSON Lines file of articles made from the seed's paragraphs (a bad line and a line without
    an id among them, late in the file so they fall in a later block), and the seed folder."""
    paragraphs = [p for p in (SEEDS / "morocco-pakistan-ties.txt").read_text(encoding="utf-8").splitlines() if p.strip()]
    rows = []
    for i in range(14):
        rotated = paragraphs[i % len(paragraphs):] + paragraphs[: i % len(paragraphs)]
        rows.append(json.dumps({"id": f"article-{i:02d}", "text": "\n\n".join(rotated[: 3 + i % 5])}))
    rows.insert(9, "{not json")
    rows.insert(11, json.dumps({"text": "Exports rose to $5 million in 2019, the minister, Jane Doe, said."}))
    jsonl = folder / "articles.jsonl"
    jsonl.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return [jsonl, SEEDS]


def test_blocks_are_line_aligned_and_keep_doc_ids_and_line_numbers(tmp_path):
    inputs = write_inputs(tmp_path)
    blocks = plan_blocks(inputs, blocksize=2_000)
    assert len(blocks) > 3
    assert blocks[-1] == Block(files=tuple(str(p) for p in sorted(SEEDS.glob("*.txt"))))
    jsonl_blocks = [b for b in blocks if b.end is not None]
    assert jsonl_blocks[0].start == 0 and jsonl_blocks[-1].end == inputs[0].stat().st_size
    assert all(a.end == b.start for a, b in zip(jsonl_blocks, jsonl_blocks[1:]))
    from_blocks = [a for block in blocks for a in read_block(block)]
    assert from_blocks == list(read_articles(inputs))
    assert "articles:12" in [a.doc_id for a in from_blocks]  # the line without an id, numbered in its file


def test_extract_part_writes_one_whole_part_with_a_deterministic_name(tmp_path):
    articles = list(read_articles([SEEDS]))
    summary = extract_part(articles, tmp_path / "out", 3)
    assert summary.path == str(part_path(tmp_path / "out", 3)) and Path(summary.path).name == "part-00003.jsonl"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["part-00003.jsonl"]  # no temporary file left
    expected = [record_to_json(r) for r in Extractor().pipe(articles)]
    assert Path(summary.path).read_text(encoding="utf-8").splitlines() == expected
    assert (summary.articles, summary.errors, summary.claims) == (len(expected), 0, sum(len(json.loads(x)["claims"]) for x in expected))


def test_dask_local_cluster_gives_the_records_of_one_process_and_a_stored_run(tmp_path):
    pytest.importorskip("dask.bag")
    distributed = pytest.importorskip("distributed")
    from claimex.scale import run_on_dask

    inputs = write_inputs(tmp_path)
    single = sorted(record_to_json(r) for r in Extractor().pipe(read_articles(inputs)))
    blocks = plan_blocks(inputs, blocksize=2_000)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        result = run_on_dask(inputs, tmp_path / "out", client=client, blocksize=2_000, store=tmp_path / "runs.db", run_name="dask")
        assert len(client.run(lambda: None)) == 2  # two worker processes
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == [f"part-{i:05d}.jsonl" for i in range(len(blocks))]
    assert [p.index for p in result.parts] == list(range(len(blocks)))
    lines = [line for name in names for line in (tmp_path / "out" / name).read_text(encoding="utf-8").splitlines()]
    assert sorted(lines) == single  # byte-identical records
    assert (result.articles, result.errors) == (len(single), 1)

    with RunStore(tmp_path / "runs.db", create=False) as store:
        run = store.run("dask")
        assert (run.status, run.articles, run.errors, run.claims) == ("complete", len(single), 1, result.claims)
        assert sorted(record_to_json(r) for r in store.records(run)) == single
        assert all(store.text(a.sha256) == a.text for a in read_articles(inputs) if a.text is not None)
