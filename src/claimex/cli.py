"""The `claimex` command line: thin wrappers over the public Python functions.

Exit status: 0 when every record was written (including error records for bad articles, unless
`--fail-on-error`), 1 for a data error (one clear line on stderr), 2 for a usage error.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from claimex.extractor import DEFAULT_MAX_CHARS, Extractor
from claimex.io import read_articles, write_records
from claimex.pipeline import PipelineUnavailable
from claimex.resources import DEFAULT_PIPELINE
from claimex.schema import article_record_json_schema

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


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Text files, folders of them, .jsonl files with 'id' and 'text', or - for stdin.")],
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write JSON Lines here instead of stdout ('-').")] = None,
    pipeline: Annotated[str, typer.Option("--pipeline", "-p", help="Pipeline name or folder.")] = DEFAULT_PIPELINE,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing output file.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Articles per spaCy batch.")] = 64,
    max_chars: Annotated[int, typer.Option("--max-chars", min=1, help="Longer articles give an error record.")] = DEFAULT_MAX_CHARS,
    fail_on_error: Annotated[bool, typer.Option("--fail-on-error", help="Exit 1 when any article gave an error record.")] = False,
) -> None:
    """Extract one article record per input article, as JSON Lines.

    Example: claimex extract seeds/ -o records.jsonl
    """
    if output is not None and str(output) != "-" and output.exists() and not force:
        raise fail(f"{output} exists; add --force to overwrite it", code=2)
    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}", code=2)
    try:
        extractor = Extractor(pipeline, max_chars=max_chars, batch_size=batch_size)
    except PipelineUnavailable as error:
        raise fail(str(error), code=1) from error
    except ValueError as error:
        raise fail(str(error), code=2) from error

    started = time.perf_counter()
    counts = {"ok": 0, "error": 0, "claims": 0}
    out = sys.stdout if output is None or str(output) == "-" else open(output, "w", encoding="utf-8", newline="\n")
    try:
        for record in write_records(extractor.pipe(read_articles(paths)), out):
            counts[record.status] += 1
            counts["claims"] += len(record.claims)
            if stderr.is_terminal and (counts["ok"] + counts["error"]) % 100 == 0:
                stderr.print(f"{counts['ok'] + counts['error']} articles ...", end="\r")
    finally:
        if out is not sys.stdout:
            out.close()
        else:
            out.flush()
    if stderr.is_terminal:
        elapsed = time.perf_counter() - started
        stderr.print(f"articles ok {counts['ok']}, error {counts['error']}; claims {counts['claims']}; {elapsed:.1f} s", highlight=False)
    if fail_on_error and counts["error"]:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of an article record.

    Example: claimex schema > record.schema.json
    """
    typer.echo(json.dumps(article_record_json_schema(), indent=2, sort_keys=True))


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
