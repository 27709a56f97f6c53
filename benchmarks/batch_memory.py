"""Memory of a long batch: resident set size of each worker process as the articles go by.

Runs `extract_into_store` (what `claimex extract --store --n-process N` runs) over a long stream of
real news articles, each made distinct by a closing line with new names and numbers (so the
vocabulary keeps growing as in a real archive, instead of repeating once seen), and samples every
worker's VmRSS and VmHWM from /proc once a second. It prints RSS per worker at each tenth of the run
and the peak; flat memory means the last tenth is no higher than the second, within noise.

    python benchmarks/batch_memory.py [--articles 20000] [--processes 2] [--chars 1500]

Linux only (/proc). Texts: the seeds and, when present, the article texts of ../shared/data (read
there, never copied).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from claimex.extractor import Extractor
from claimex.io import Article
from claimex.store import RunStore, extract_into_store

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
SURNAMES = ("Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Kowalski", "Mensah", "Silva", "Novak", "Reyes")


def news_texts() -> list[str]:
    """Real article texts: the seeds and, when present, every gold.jsonl text under ../shared/data."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for gold in sorted(SHARED_DATA.glob("*/gold.jsonl")):
        with gold.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return [t for t in texts if len(t.split()) >= 50]


def articles(count: int, chars: int) -> Iterator[Article]:
    """`count` distinct articles, generated lazily: a real text (its paragraphs up to about `chars`
    characters) and a closing line with new words and numbers."""
    texts = [cut(text, chars) for text in news_texts()]
    for i in range(count):
        name = f"{SURNAMES[i % len(SURNAMES)]}{i}"
        closing = (f"\n\nThe fund of {i * 7919 % 1_000_003:,} dollars was approved in {1900 + i % 125},"
                   f" said Maria {name}, the director of Project{i} Holdings.")
        yield Article(f"a{i:07d}", texts[i % len(texts)] + closing, f"<a{i}>")


def cut(text: str, chars: int) -> str:
    """The leading paragraphs of `text`, at least one, up to about `chars` characters."""
    kept: list[str] = []
    for paragraph in text.split("\n"):
        if kept and sum(map(len, kept)) + len(paragraph) > chars:
            break
        kept.append(paragraph)
    return "\n".join(kept)


def rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB, or (0, 0) when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return (0, 0)
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return (int(fields.get("VmRSS", "0 kB").split()[0]), int(fields.get("VmHWM", "0 kB").split()[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--chars", type=int, default=1500, help="keep the leading paragraphs of each text up to about this many characters")
    args = parser.parse_args()

    extractor = Extractor("default")
    done = 0
    samples: list[tuple[int, dict[int, int]]] = []
    peaks: dict[int, int] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            pids = [child.pid for child in multiprocessing.active_children()] if args.processes > 1 else [os.getpid()]
            current = {}
            for pid in pids:
                rss, hwm = rss_kib(pid)
                if rss:
                    current[pid] = rss
                    peaks[pid] = max(peaks.get(pid, 0), hwm)
            samples.append((done, current))

    sampler = threading.Thread(target=sample, daemon=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, RunStore(Path(folder) / "runs.db") as store:
        stream = extract_into_store(extractor, articles(args.articles, args.chars), store, n_process=args.processes, batch_size=64)
        for _ in stream:
            done += 1
            if done == 1:
                sampler.start()  # after the workers were forked
        stop.set()
        sampler.join()
        run = store.run("latest")
    elapsed = time.perf_counter() - started

    print(f"{run.articles:,} articles ({run.errors} error records), {run.claims:,} claims, {args.processes} process(es),"
          f" {elapsed:.0f} s ({run.articles / elapsed:.0f} articles/s)")
    print("articles done   RSS per worker (MB)")
    for tenth in range(1, 11):
        target = args.articles * tenth // 10
        at = next(((n, current) for n, current in samples if n >= target), samples[-1] if samples else (0, {}))
        print(f"{at[0]:>13,}   " + "  ".join(f"{kib / 1024:7.1f}" for _, kib in sorted(at[1].items())))
    print("peak RSS per worker (VmHWM, MB): " + "  ".join(f"{kib / 1024:.1f}" for _, kib in sorted(peaks.items())))
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the parent (reads input, writes the store): {parent:.1f} MB")


if __name__ == "__main__":
    main()
