"""Batch counts, the progress bar and the summary line of `claimex extract`.

The bar (articles done and articles/s) goes to stderr and only when stderr is a terminal, so piped
and logged runs stay quiet; the JSON Lines records on stdout are never touched (rich's Progress is
told not to redirect stdout or stderr). The summary line is printed always, on stderr.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TypeVar

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from claimex.io import RecordLine
from claimex.schema import ArticleRecord


@dataclass
class BatchCounts:
    """What a batch did: records by status, claims, articles skipped as already stored, time."""

    ok: int = 0
    error: int = 0
    claims: int = 0
    skipped: int = 0
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None

    @property
    def articles(self) -> int:
        return self.ok + self.error

    @property
    def seconds(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    def add(self, record: ArticleRecord | RecordLine) -> None:
        if record.status == "ok":
            self.ok += 1
        else:
            self.error += 1
        self.claims += record.claim_count if isinstance(record, RecordLine) else len(record.claims)

    def summary(self) -> str:
        """One line: `claimex: 300 articles (298 ok, 2 error), 1,204 claims in 4.1 s (73 articles/s)`."""
        seconds = self.seconds
        rate = self.articles / seconds if seconds > 0 else 0.0
        line = (f"claimex: {self.articles:,} articles ({self.ok:,} ok, {self.error:,} error), {self.claims:,} claims"
                f" in {seconds:,.1f} s ({rate:,.0f} articles/s)")
        if self.skipped:
            line += f"; {self.skipped:,} already stored, skipped"
        return line


class RateColumn(ProgressColumn):
    """Articles per second, from rich's moving estimate."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("-- articles/s" if speed is None else f"{speed:,.0f} articles/s", style="progress.data.speed")


Counted = TypeVar("Counted", ArticleRecord, RecordLine)


def counted(records: Iterable[Counted], counts: BatchCounts, console: Console) -> Iterator[Counted]:
    """Yield the records on, counting them, with a progress bar on `console` when it is a terminal.

    The bar starts at the first record, after any worker processes were forked, so no display thread
    is running when they are.
    """
    iterator = iter(records)
    if not console.is_terminal:
        for record in iterator:
            counts.add(record)
            yield record
        counts.ended = time.perf_counter()
        return
    first = next(iterator, None)
    if first is None:
        counts.ended = time.perf_counter()
        return
    columns = (SpinnerColumn(), TextColumn("extracting"), BarColumn(), MofNCompleteColumn(), TextColumn("articles"),
               RateColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, redirect_stdout=False, redirect_stderr=False) as progress:
        task = progress.add_task("extract", total=None)
        counts.add(first)
        progress.advance(task)
        yield first
        for record in iterator:
            counts.add(record)
            progress.advance(task)
            yield record
    counts.ended = time.perf_counter()
