"""The `claimex` command line: thin wrappers over the public Python functions.

Exit status: 0 when every record was written (including error records for bad articles, unless
`--fail-on-error`), 1 for a data error (one clear line on stderr) or, with `--fail-on-error`, an error
record; 2 for a usage error; 130 when `extract` is interrupted with Ctrl-C.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from claimex.diff import diff_sources, render_diff
from claimex.evaluate import (
    KINDS,
    evaluate_pipeline,
    evaluate_records,
    format_errors,
    read_gold,
)
from claimex.export import MissingExtra, export_parquet
from claimex.extractor import DEFAULT_MAX_CHARS, Extractor
from claimex.io import (
    read_articles,
    record_to_json,
    with_reference_date,
    write_lines,
    write_records,
)
from claimex.normalize.years import reference_month
from claimex.pipeline import PipelineUnavailable
from claimex.progress import BatchCounts, counted
from claimex.report import render_report
from claimex.resources import DEFAULT_PIPELINE
from claimex.schema import article_record_json_schema
from claimex.sources import RecordSource, open_source
from claimex.store import (
    DEFAULT_STORE,
    STORE_ENV,
    NotFound,
    RunStore,
    RunStream,
    StoreError,
    default_store_path,
    extract_into_store,
    runs_as_json,
)

app = typer.Typer(
    name="claimex",
    help="Turn raw news articles into validated, comparable claim records.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
stderr = Console(stderr=True)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print one clear line on stderr and return the exit to raise."""
    typer.echo(f"claimex: {message}", err=True)
    return typer.Exit(code)


EXIT_STATUSES = (
    "Exit status: 0 when every input article got a record (error records included); 1 with --fail-on-error when"
    " any record is an error record (with --store, any record of the run), or on a data error (unreadable store,"
    " unavailable pipeline); 2 for a usage error; 130 when interrupted with Ctrl-C (continue with --resume)."
)


@app.command(epilog=EXIT_STATUSES)
def extract(
    paths: Annotated[list[str], typer.Argument(help="Text files, folders of them, .jsonl files with 'id' and 'text', or - for stdin.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write JSON Lines here instead of stdout ('-').")] = None,
    pipeline: Annotated[str, typer.Option("--pipeline", "-p", help="Pipeline name or folder.")] = DEFAULT_PIPELINE,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    n_process: Annotated[int, typer.Option("--n-process", "-n", min=1, help="Worker processes, each building the pipeline once (1: in this process).")] = 1,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per spaCy batch; with --store, records per commit (a killed run loses at most one batch).")] = 64,
    max_chars: Annotated[int, typer.Option("--max-chars", min=1, help="Longer articles give an error record.")] = DEFAULT_MAX_CHARS,
    fail_on_error: Annotated[bool, typer.Option("--fail-on-error", help="Exit 1 when any article gave an error record.")] = False,
    store: Annotated[Path | None, typer.Option("--store", help="Also record the batch as a run in this SQLite run store (then stdout gets records only with -o -).")] = None,
    run_name: Annotated[str | None, typer.Option("--run-name", help="A unique name for the stored run (with --store).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Complete an interrupted run (with --store): the run --run-name names, else the latest unfinished run of this pipeline; articles it holds are skipped.")] = False,
    reference_date: Annotated[str | None, typer.Option("--reference-date", help="The date (ISO 8601: 2024-05-01) of articles that give none in a JSONL date field: what 'last year' and 'to date' count from.")] = None,
) -> None:
    """Extract one article record per input article, as JSON Lines (and into a run store with --store).

    Progress (articles, articles/s) is shown on stderr when it is a terminal; a summary line (articles ok and error, claims, time) is always printed on stderr.

    Example: claimex extract seeds/ -o records.jsonl

    Example: claimex extract archive.jsonl --n-process 2 --store runs.db --run-name archive

    Example: claimex extract archive.jsonl --n-process 2 --store runs.db --run-name archive --resume
    """
    if run_name is not None and store is None:
        raise fail("--run-name names a stored run: add --store PATH", code=2)
    if resume and store is None:
        raise fail("--resume completes a stored run: add --store PATH", code=2)
    if output is not None and str(output) != "-" and output.exists() and not force:
        raise fail(f"{output} exists; add --force to overwrite it", code=2)
    if reference_date is not None and reference_month(reference_date) is None:
        raise fail(f"--reference-date {reference_date!r} is not an ISO 8601 date (2024-05-01, 2024-05 or 2024)", code=2)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}", code=2)
    try:
        extractor = Extractor(pipeline, max_chars=max_chars, batch_size=batch_size)
    except PipelineUnavailable as error:
        raise fail(str(error), code=1) from error
    except ValueError as error:
        raise fail(str(error), code=2) from error

    run_store = None
    stream: RunStream | None = None
    if store is not None:
        try:
            run_store = RunStore(store)
            stream = extract_into_store(extractor, with_reference_date(read_articles(paths, max_chars=max_chars), reference_date), run_store, name=run_name, batch_size=batch_size,
                                        n_process=n_process, resume=resume)
        except StoreError as error:
            if run_store is not None:
                run_store.close()
            raise fail(str(error), code=1) from error
        except ValueError as error:  # a taken or numeric --run-name, or a run of another pipeline to resume
            run_store.close()  # type: ignore[union-attr]
            raise fail(str(error), code=2) from error
        if stream.writer.stored_before:
            typer.echo(f"claimex: resuming {stream.writer.info.label} of {store}, which holds {stream.writer.stored_before:,} records", err=True)
        elif resume:
            what = f"run {run_name!r}" if run_name is not None else f"unfinished run of pipeline {extractor.meta.name} {extractor.meta.version}"
            typer.echo(f"claimex: no {what} to resume in {store}; starting {stream.writer.info.label}", err=True)
    counts = BatchCounts()
    out = None  # with --store and no -o, the records are stored only (not serialised twice)
    if output is not None or store is None:
        out = sys.stdout if output is None or str(output) == "-" else open(output, "w", encoding="utf-8", newline="\n")
    stored = None
    interrupted = False
    try:
        if stream is not None:
            counting = counted(stream, counts, stderr)
            for _ in counting if out is None else write_records(counting, out):
                pass
        else:  # written only: the records come serialised (by the workers, with --n-process)
            lines = extractor.pipe_lines(with_reference_date(read_articles(paths, max_chars=max_chars), reference_date), n_process=n_process)
            for _ in write_lines(counted(lines, counts, stderr), out):  # type: ignore[arg-type]
                pass
        stored = run_store.run(stream.writer.run_id) if run_store is not None and stream is not None else None
    except KeyboardInterrupt:
        interrupted = True
    except StoreError as error:  # the store failed while writing (disk full, another writer)
        raise fail(str(error), code=1) from error
    finally:
        if out is sys.stdout:
            out.flush()
        elif out is not None:
            out.close()
        if stream is not None:
            counts.skipped = stream.writer.skipped
            stream.close()  # an interrupted run is committed and marked "failed" before the store closes
        if run_store is not None:
            run_store.close()
    if interrupted:
        how = "rerun with --resume" if store is not None else "runs with --store PATH can be continued with --resume"
        typer.echo(f"claimex: interrupted; {how}", err=True)
        typer.echo(counts.summary(), err=True)
        raise typer.Exit(130)
    if stored is not None:
        typer.echo(f"claimex: stored {stored.label} ({stored.articles:,} articles, {stored.errors:,} errors, {stored.claims:,} claims,"
                   f" id {stored.id}) in {store}; list runs with: claimex runs --store {store}", err=True)
    typer.echo(counts.summary(), err=True)
    failed = stored.errors if stored is not None else counts.error
    if fail_on_error and failed:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an article record.

    Example: claimex schema > record.schema.json
    """
    typer.echo(json.dumps(article_record_json_schema(), indent=2, sort_keys=True))

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help=f"The SQLite run store (default: ${STORE_ENV}, else ./{DEFAULT_STORE}).", show_default=False),
]


def _open_store(store: Path | None) -> RunStore:
    try:
        return RunStore(store or default_store_path(), create=False)
    except NotFound as error:
        raise fail(str(error), code=2) from error
    except StoreError as error:
        raise fail(str(error), code=1) from error


def _source(ref: str, store: Path | None) -> RecordSource:
    try:
        return open_source(ref, store_path=store or default_store_path())
    except NotFound as error:
        raise fail(str(error), code=2) from error
    except StoreError as error:
        raise fail(str(error), code=1) from error


def _check_output(output: Path, force: bool) -> None:
    if output.exists() and not force:
        raise fail(f"{output} exists; add --force to overwrite it", code=2)


@app.command()
def runs(
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per run instead of a table.")] = False,
) -> None:
    """List the runs of a run store, oldest first.

    Example: claimex runs --store runs.db
    """
    run_store = _open_store(store)
    with run_store:
        found = run_store.runs()
    if as_json:
        for line in runs_as_json(found):
            typer.echo(line)
        return
    table = Table(title=f"runs in {run_store.path}", title_justify="left")
    for column in ("id", "name", "started", "status", "pipeline", "articles", "errors", "claims"):
        table.add_column(column, justify="right" if column in ("id", "articles", "errors", "claims") else "left", no_wrap=True)
    for run in found:
        table.add_row(str(run.id), escape(run.name or ""), run.started_at.replace("T", " ").replace("+00:00", "Z"), run.status,
                      escape(f"{run.pipeline_name} {run.pipeline_version}"), str(run.articles), str(run.errors), str(run.claims))
    console = Console()
    (console if console.is_terminal else Console(width=160)).print(table)


@app.command()
def show(
    run: Annotated[str, typer.Argument(help="A run id, name, 'latest' or 'previous'.")],
    doc_id: Annotated[str | None, typer.Argument(help="Only the record(s) of this doc_id.")] = None,
    store: StoreOption = None,
) -> None:
    """Print the records of a stored run as JSON Lines (all, or one article's).

    Example: claimex show latest morocco-pakistan-ties --store runs.db
    """
    run_store = _open_store(store)
    with run_store:
        try:
            info = run_store.run(run)
        except NotFound as error:
            raise fail(str(error), code=2) from error
        written = 0
        for record in run_store.records(info, doc_id):
            typer.echo(record_to_json(record))
            written += 1
    if doc_id is not None and not written:
        raise fail(f"{info.label} has no record with doc_id {doc_id!r}", code=1)


@app.command()
def diff(
    a: Annotated[str, typer.Argument(help="The older batch: a run id or name, or a JSONL file of records.")],
    b: Annotated[str, typer.Argument(help="The newer batch: a run id or name, or a JSONL file of records.")],
    store: StoreOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the diff as one JSON object (keys sorted).")] = False,
) -> None:
    """Show which claims were added, removed or changed between two runs or JSONL files.

    Example: claimex diff before after --store runs.db

    Example: claimex diff old.jsonl new.jsonl --json
    """
    result = diff_sources(_source(a, store), _source(b, store))
    if as_json:
        typer.echo(json.dumps(result.as_dict(), sort_keys=True, indent=2, ensure_ascii=False))
    else:
        render_diff(result, Console(highlight=False, soft_wrap=True))


@app.command()
def evaluate(
    gold: Annotated[Path, typer.Argument(help="Gold annotations: JSON Lines with id, text, quotes, money, years, entities.")],
    pipeline: Annotated[str, typer.Option("--pipeline", "-p", help="Pipeline name or folder to run over the gold texts.")] = DEFAULT_PIPELINE,
    records: Annotated[Path | None, typer.Option("--records", help="Score these records (JSONL) instead of running the pipeline.")] = None,
    kinds: Annotated[str, typer.Option("--kinds", help="Comma-separated: quotes, money, years, entities.")] = ",".join(KINDS),
    speech_only: Annotated[bool, typer.Option("--speech-only", help="Score only gold quotes whose cue is a speech verb.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as one JSON object.")] = False,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="Also list every miss: doc_id, metric, missed/spurious/wrong, span, details.")] = False,
) -> None:
    """Score a pipeline against annotated articles: precision, recall and F1 per kind.

    Example: claimex evaluate gold.jsonl --pipeline default --show-errors
    """
    for path in (gold, records):
        if path is not None and not path.is_file():
            raise fail(f"no such file: {path}", code=2)
    wanted = [kind.strip() for kind in kinds.split(",") if kind.strip()]
    unknown = sorted(set(wanted) - set(KINDS))
    if unknown:
        raise fail(f"unknown --kinds {', '.join(unknown)}: choose from {', '.join(KINDS)}", code=2)
    try:
        gold_docs = read_gold(gold)
        predictions = None if records is None else [json.loads(line) for line in records.open(encoding="utf-8") if line.strip()]
    except ValueError as error:  # includes JSON errors in --records
        raise fail(f"{error}", code=1) from error
    try:
        if predictions is None:
            result = evaluate_pipeline(gold, pipeline=pipeline, kinds=wanted, speech_only=speech_only)
        else:
            result = evaluate_records(gold_docs, predictions, kinds=wanted, speech_only=speech_only)
    except PipelineUnavailable as error:
        raise fail(str(error), code=1) from error
    except ValueError as error:  # an unknown pipeline
        raise fail(str(error), code=2) from error
    if as_json:
        payload = result.as_dict()
        if show_errors:
            payload["errors"] = result.errors
        typer.echo(json.dumps(payload, sort_keys=True, ensure_ascii=False))
        return
    for line in result.lines():
        typer.echo(line)
    if show_errors:
        typer.echo(f"misses ({len(result.errors)}):")
        for line in format_errors(result.errors):
            typer.echo(line)


@app.command()
def report(
    source: Annotated[str, typer.Argument(help="A run id or name, or a JSONL file of records.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")],
    store: StoreOption = None,
    texts: Annotated[list[Path] | None, typer.Option("--texts", help="For a JSONL batch: the input files (or folders) it was extracted from, to show the texts.")] = None,
    baseline: Annotated[str | None, typer.Option("--baseline", help="Mark the claims added, changed and removed since this run or JSONL file.")] = None,
    title: Annotated[str | None, typer.Option("--title", help="Page title.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Write a static HTML page of a batch: highlighted article texts and claim tables.

    Example: claimex report latest -o report.html --baseline previous --store runs.db
    """
    _check_output(output, force)
    missing = [str(p) for p in texts or () if not p.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}", code=2)
    batch = _source(source, store)
    if texts:
        batch.add_texts(texts)
    comparison = diff_sources(_source(baseline, store), batch) if baseline else None
    try:
        page = render_report(batch.records(), batch.text, title=title or f"claimex report: {batch.label}", diff=comparison)
    except StoreError as error:
        raise fail(str(error), code=1) from error
    output.write_text(page, encoding="utf-8")


@app.command()
def export(
    source: Annotated[str, typer.Argument(help="A run id or name, or a JSONL file of records.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The file to write.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: parquet (one row per claim).")] = "parquet",
    store: StoreOption = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
) -> None:
    """Export a batch for analytics, one row per claim (Parquet, readable by DuckDB).

    Example: claimex export latest --format parquet -o claims.parquet --store runs.db
    """
    if fmt != "parquet":
        raise fail(f"unknown --format {fmt!r}: the only format is parquet", code=2)
    _check_output(output, force)
    batch = _source(source, store)
    try:
        rows = export_parquet(batch.records(), output, run=batch.label)
    except (MissingExtra, StoreError) as error:
        raise fail(str(error), code=1) from error
    typer.echo(f"claimex: wrote {rows} claims to {output}", err=True)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
