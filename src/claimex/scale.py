"""Scale-out on Dask: the same extraction, one output part per input block, on any Dask cluster.

The unit of work is `extract_part`: the articles of one partition in, one JSON Lines part out
(`part-00000.jsonl`, `part-00001.jsonl`, ... in input order, written to a temporary name and renamed,
so a part is either whole or absent). `plan_blocks` cuts the inputs into partitions: a JSON Lines
file into line-aligned blocks of about `blocksize` bytes, text files into groups of about that
size. `run_on_dask` puts one block per partition of a `dask.bag`, runs `extract_part` on each on the
cluster (each worker process builds the pipeline once), and, when given a run store, records the run
there from the parts, in input order, with the input texts. Records and doc_ids are exactly those of
`claimex extract` and `Extractor.pipe` over the same inputs.

Needs the `dask` extra (`pip install "claimex[dask]"`: dask.bag and distributed). From Python:

    from distributed import Client, LocalCluster
    from claimex.scale import run_on_dask
    with LocalCluster(n_workers=4, threads_per_worker=1) as cluster, Client(cluster) as client:
        result = run_on_dask(["articles.jsonl"], "out/", client=client, store="runs.db", run_name="big")

or from the shell (`--scheduler tcp://host:8786` for a running cluster, else a local one):

    python -m claimex.scale articles.jsonl --out out/ --workers 2 --store runs.db --run-name big
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from claimex.extractor import ArticleInput, Extractor
from claimex.io import (
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    Article,
    read_file,
    read_jsonl_bytes,
    read_records,
    record_to_json,
)
from claimex.pipeline import read_meta
from claimex.resources import DEFAULT_PIPELINE, pipeline_dir
from claimex.store import RunInfo, RunStore, config_sha256

DEFAULT_BLOCKSIZE = 32 * 1024 * 1024
"""Bytes of input per partition (a JSON Lines file is cut between lines; a text file is never cut)."""

PART_PATTERN = "part-{index:05d}.jsonl"


@dataclass(frozen=True)
class Block:
    """One partition of the input: bytes [start, end) of one JSON Lines file, or whole text files."""

    files: tuple[str, ...]
    start: int = 0
    end: int | None = None
    first_line: int = 1


@dataclass(frozen=True)
class PartSummary:
    """What one partition gave: its part file and how many articles, error records and claims."""

    index: int
    path: str
    articles: int
    errors: int
    claims: int
    skipped: bool = False  # the part was already there (resume) and was not recomputed


@dataclass(frozen=True)
class ScaleResult:
    """A finished scale-out run: the parts in input order, and the store run when one was written."""

    parts: tuple[PartSummary, ...]
    run: RunInfo | None = None

    @property
    def articles(self) -> int:
        return sum(p.articles for p in self.parts)

    @property
    def errors(self) -> int:
        return sum(p.errors for p in self.parts)

    @property
    def claims(self) -> int:
        return sum(p.claims for p in self.parts)


def input_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files `claimex extract` would read for these paths, in the same order (folders expanded)."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TEXT_SUFFIXES + JSONL_SUFFIXES))
        else:
            files.append(path)
    return files


def plan_blocks(paths: Iterable[str | os.PathLike[str]], blocksize: int = DEFAULT_BLOCKSIZE) -> list[Block]:
    """Partitions of the inputs, in input order: line-aligned blocks of JSON Lines files of about
    `blocksize` bytes, and runs of consecutive text files of about that size together.

    A JSON Lines file is read once, block by block, to find line ends and count lines (so a line
    without an id keeps its `<file>:<line>` doc_id); memory stays within one block.
    """
    if blocksize < 1:
        raise ValueError(f"blocksize must be positive, got {blocksize}")
    blocks: list[Block] = []
    texts: list[str] = []
    text_bytes = 0
    for path in input_files(paths):
        if path.suffix.lower() in JSONL_SUFFIXES:
            if texts:
                blocks.append(Block(tuple(texts)))
                texts, text_bytes = [], 0
            blocks.extend(_jsonl_blocks(path, blocksize))
            continue
        size = path.stat().st_size if path.is_file() else 0
        if texts and text_bytes + size > blocksize:
            blocks.append(Block(tuple(texts)))
            texts, text_bytes = [], 0
        texts.append(str(path))
        text_bytes += size
    if texts:
        blocks.append(Block(tuple(texts)))
    return blocks


def _jsonl_blocks(path: Path, blocksize: int) -> Iterator[Block]:
    if not path.is_file():
        yield Block((str(path),))  # read_file turns it into an error record
        return
    with path.open("rb") as handle:
        start, line = 0, 1
        while True:
            data = handle.read(blocksize)
            if not data:
                return
            if not data.endswith(b"\n"):
                data += handle.readline()  # finish the line the block stopped in
            end = start + len(data)
            yield Block((str(path),), start, end, line)
            start, line = end, line + len(data.splitlines())


def read_block(block: Block, *, max_chars: int | None = None) -> Iterator[Article]:
    """The articles of one block, with the doc_ids and error records `claimex extract` gives them."""
    if block.end is None:
        for name in block.files:
            yield from read_file(Path(name), max_chars=max_chars)
        return
    path = Path(block.files[0])
    with path.open("rb") as handle:
        handle.seek(block.start)
        data = handle.read(block.end - block.start)
    yield from read_jsonl_bytes(data, source=str(path), stem=path.stem, first_line=block.first_line)


_extractors: dict[tuple[str, tuple[tuple[str, int], ...]], Extractor] = {}


def worker_extractor(pipeline: str = DEFAULT_PIPELINE, **settings: int) -> Extractor:
    """The extractor of this process for a pipeline and settings, built on first use."""
    key = (str(pipeline), tuple(sorted(settings.items())))
    if key not in _extractors:
        _extractors[key] = Extractor(pipeline, **settings)
    return _extractors[key]


def part_path(out_dir: str | os.PathLike[str], index: int) -> Path:
    """The deterministic file name of partition `index`'s output."""
    return Path(out_dir) / PART_PATTERN.format(index=index)


def extract_part(
    articles: Iterable[ArticleInput],
    out_dir: str | os.PathLike[str],
    index: int,
    *,
    pipeline: str = DEFAULT_PIPELINE,
    settings: dict[str, int] | None = None,
) -> PartSummary:
    """Extract the articles of one partition into `out_dir/part-<index>.jsonl` (written whole or not at all)."""
    target = part_path(out_dir, index)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    extractor = worker_extractor(pipeline, **(settings or {}))
    counts = {"articles": 0, "errors": 0, "claims": 0}
    try:
        with temporary.open("w", encoding="utf-8") as out:
            for record in extractor.pipe(articles):
                out.write(record_to_json(record))
                out.write("\n")
                counts["articles"] += 1
                counts["errors"] += record.status == "error"
                counts["claims"] += len(record.claims)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return PartSummary(index=index, path=str(target), **counts)


def extract_block(block: Block, out_dir: str, index: int, pipeline: str, settings: dict[str, int], resume: bool = False) -> PartSummary:
    """`extract_part` over the articles of one planned block (skipped when resuming and its part exists)."""
    target = part_path(out_dir, index)
    if resume and target.is_file():
        return _summarise(index, target, skipped=True)
    return extract_part(read_block(block, max_chars=settings.get("max_chars")), out_dir, index, pipeline=pipeline, settings=settings)


def _summarise(index: int, path: Path, *, skipped: bool) -> PartSummary:
    articles = errors = claims = 0
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            articles += 1
            errors += row["status"] == "error"
            claims += len(row["claims"])
    return PartSummary(index, str(path), articles, errors, claims, skipped)


def _bag_partition(blocks: list[tuple[int, Block]], out_dir: str, pipeline: str, settings: dict[str, int], resume: bool) -> list[PartSummary]:
    return [extract_block(block, out_dir, index, pipeline, settings, resume) for index, block in blocks]


def run_on_dask(
    paths: Sequence[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    client: Any = None,
    pipeline: str = DEFAULT_PIPELINE,
    blocksize: int = DEFAULT_BLOCKSIZE,
    store: str | os.PathLike[str] | None = None,
    run_name: str | None = None,
    resume: bool = False,
    settings: dict[str, int] | None = None,
) -> ScaleResult:
    """Extract every input article on Dask, one output part per block; optionally record the run.

    Args:
        paths: files and folders, as for `claimex extract` (JSON Lines or text files).
        out_dir: where the parts go (`part-00000.jsonl`, ...); a part of another plan is an error.
            Workers write there directly: on a multi-machine cluster it must be a shared file system,
            and so must the inputs (each worker reads its own block).
        client: a `distributed.Client` (its cluster runs the work); None uses Dask's current scheduler.
        pipeline: pipeline name or folder (the workers must see the same folder).
        blocksize: bytes of input per partition.
        store: a run store to record the run in (texts and records, in input order), or None.
        run_name: the run's name in the store.
        resume: keep the parts already written (a part is only ever written whole) and do the rest;
            the inputs and blocksize must be those of the interrupted run.
        settings: `Extractor` keyword arguments (max_chars, piece_chars, ...).
    """
    import dask.bag as db

    folder = pipeline_dir(pipeline)
    meta = read_meta(folder)
    settings = dict(settings or {})
    out = Path(out_dir)
    blocks = plan_blocks(paths, blocksize)
    _check_out_dir(out, len(blocks), resume=resume)
    if store is not None and run_name is not None:
        with RunStore(store) as opened:
            if any(r.name == run_name for r in opened.runs()):
                raise ValueError(f"the store {store} already has a run named {run_name!r}; choose another run name")
    out.mkdir(parents=True, exist_ok=True)
    if blocks:
        bag = db.from_sequence(list(enumerate(blocks)), npartitions=len(blocks))
        # a pipeline name is resolved by each worker; a folder is passed as an absolute path
        worker_pipeline = str(pipeline) if os.sep not in str(pipeline) and "/" not in str(pipeline) else str(folder)
        computed = bag.map_partitions(_bag_partition, str(out.resolve()), worker_pipeline, settings, resume)
        parts = tuple(sorted(computed.compute(**({} if client is None else {"scheduler": client})), key=lambda p: p.index))
    else:
        parts = ()
    run = None
    if store is not None:
        with RunStore(store) as opened:
            run = _record_run(opened, blocks, parts, meta, config_sha256(folder), run_name, settings.get("max_chars"))
    return ScaleResult(parts=parts, run=run)


def _check_out_dir(out: Path, n_blocks: int, *, resume: bool) -> None:
    existing = sorted(out.glob("part-*.jsonl")) if out.is_dir() else []
    if existing and not resume:
        raise FileExistsError(f"{out} already holds parts ({existing[0].name}, ...); give an empty folder, or resume")
    expected = {part_path(out, i).name for i in range(n_blocks)}
    strangers = [p.name for p in existing if p.name not in expected]
    if strangers:
        raise FileExistsError(f"{out} holds parts of another input ({strangers[0]}); give an empty folder")


def _record_run(store: RunStore, blocks: Sequence[Block], parts: Sequence[PartSummary], meta: Any, config: str, name: str | None,
                max_chars: int | None) -> RunInfo:
    """Write the run from the parts, in input order, with each input article's text."""
    with store.start_run(meta, config_sha256=config, name=name) as writer:
        for block, part in zip(blocks, parts):
            for article, record in zip(read_block(block, max_chars=max_chars), read_records(part.path), strict=True):
                if record.doc_id != article.doc_id:
                    raise ValueError(f"{part.path} does not match its input (doc_id {record.doc_id!r}, expected {article.doc_id!r})")
                if article.text is not None:
                    writer.add_text(article.text, article.sha256)
                writer.add(record)
    return writer.info


def main(argv: list[str] | None = None) -> int:
    """`python -m claimex.scale INPUT... --out DIR`: extract on a Dask cluster (a local one by default).

    Prints one JSON summary line; exit status 0 when every article got a record (error records
    included), 1 with --fail-on-error when any article gave an error record or when Dask is missing.
    """
    parser = argparse.ArgumentParser(prog="python -m claimex.scale", description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="+", help="JSON Lines files, text files or folders")
    parser.add_argument("--out", required=True, help="folder for the parts (part-00000.jsonl, ...)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (default: start a local cluster)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes of the local cluster")
    parser.add_argument("--pipeline", default=DEFAULT_PIPELINE)
    parser.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE, help="bytes of input per partition")
    parser.add_argument("--store", help="record the run in this run store")
    parser.add_argument("--run-name", help="name of the run in the store")
    parser.add_argument("--resume", action="store_true", help="keep the parts already written and do the rest")
    parser.add_argument("--fail-on-error", action="store_true", help="exit 1 when any article gave an error record")
    args = parser.parse_args(argv)
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print('claimex.scale needs Dask: pip install "claimex[dask]"', file=sys.stderr)
        return 1
    options = dict(pipeline=args.pipeline, blocksize=args.blocksize, store=args.store, run_name=args.run_name, resume=args.resume)
    if args.scheduler:
        with Client(args.scheduler) as client:
            result = run_on_dask(args.inputs, args.out, client=client, **options)
    else:
        with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
            result = run_on_dask(args.inputs, args.out, client=client, **options)
    summary = {"articles": result.articles, "errors": result.errors, "claims": result.claims, "parts": len(result.parts),
               "run": asdict(result.run) if result.run else None}
    print(json.dumps(summary, sort_keys=True))
    return 1 if args.fail_on_error and result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
