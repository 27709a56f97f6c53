"""Relative years ("last year", "two years ago", "earlier this month") against TempEval-3's TIMEX3 values.

claimex reads a relative expression as a year only when the article has a reference date (its
publication date: the JSONL field "reference_date" or "date"). TempEval-3 gives each document its
creation time (`meta.dct`) and every TIMEX3 with its normalised value, so this script extracts each
document with its creation time as the reference date and compares the years of the relative rules
(rule ids starting "year.relative") with the TIMEX3 values they overlap:

- precision: relative years whose overlapping TIMEX3 value starts with the same year, of all relative
  years found (one that overlaps no TIMEX3 counts as wrong);
- recall, two ways: of the TIMEX3 whose text names a year, quarter or month relative to some time
  ("last year", "a year earlier", "the third quarter", "this month"; no written year, a value with a
  year), and of every DATE TIMEX3 without a written year whose value has a year (weekdays, "today",
  "March 5": out of claimex's scope by design, so this one is low).

Expressions relative to another event ("a year earlier", "the previous year") and bare quarters ("the
third quarter") are not read: their year is not the reference date's. They count as misses here.

    python benchmarks/relative_years.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from claimex.extractor import Extractor
from claimex.io import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
WRITTEN_YEAR = re.compile(r"\d{4}|'\d\d")
VALUE_YEAR = re.compile(r"^(\d{4})")
RELATIVE_WORDS = re.compile(r"\b(?:years?|quarters?|months?|ago)\b", re.IGNORECASE)


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def timex_year(timex: dict) -> int | None:
    """The year a TIMEX3 value pins down ("1997", "1998-10", "1989-Q3"), else None."""
    match = VALUE_YEAR.match(str(timex.get("value") or ""))
    return int(match.group(1)) if match else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=SHARED_DATA)
    args = parser.parse_args(argv)
    gold_path = args.data / "tempeval3" / "gold.jsonl"
    if not gold_path.exists():
        print(f"skipped: {gold_path} is absent")
        return 0
    gold = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = [Article(doc_id=row["id"], text=row["text"], source=str(gold_path), reference_date=row["meta"]["dct"]) for row in gold]
    found = right = 0
    relative_gold = relative_hit = dated_gold = dated_hit = 0
    misses: dict[str, int] = {}
    for row, record in zip(gold, Extractor().pipe(articles), strict=True):
        predicted = {
            (y.start, y.end, y.start_year)
            for claim in record.claims for y in claim.years if y.rule.startswith("year.relative")
        }
        timexes = [t for t in row["timex"] if t.get("type") == "DATE" and timex_year(t) is not None]
        for start, end, year in predicted:
            found += 1
            right += any(overlaps((start, end), (t["start"], t["end"])) and timex_year(t) == year for t in timexes)
        for t in timexes:
            text = row["text"][t["start"]:t["end"]]
            if WRITTEN_YEAR.search(text):
                continue
            hit = any(overlaps((s, e), (t["start"], t["end"])) and y == timex_year(t) for s, e, y in predicted)
            dated_gold += 1
            dated_hit += hit
            if RELATIVE_WORDS.search(text):
                relative_gold += 1
                relative_hit += hit
                if not hit:
                    misses[text.lower()] = misses.get(text.lower(), 0) + 1
    print(f"tempeval3: {len(gold)} documents, each with its creation time as the reference date")
    print(f"  relative years found     {found:5d}   precision {right / found if found else 0:.3f} ({right} right)")
    print(f"  recall, relative TIMEX3  {relative_gold:5d}   {relative_hit / relative_gold if relative_gold else 0:.3f} ({relative_hit} found)")
    print(f"  recall, all dated TIMEX3 {dated_gold:5d}   {dated_hit / dated_gold if dated_gold else 0:.3f} (days and weekdays are out of scope)")
    common = sorted(misses.items(), key=lambda item: (-item[1], item[0]))[:12]
    print("  most frequent relative TIMEX3 not read: " + ", ".join(f"{text!r} {count}" for text, count in common))
    return 0


if __name__ == "__main__":
    sys.exit(main())
