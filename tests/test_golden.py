"""Golden files: every seed article's record, per pipeline, compared with fixtures/golden/.

A change to a golden file must be intended: regenerate with `pytest tests/test_golden.py --force-regen`
and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from claimex.io import read_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PIPELINES = ["default"]


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_seed_record_matches_its_golden_file(seed, pipeline, extractor, file_regression):
    (record,) = extractor.pipe(read_articles([seed]))
    assert record.status == "ok", record.error
    text = json.dumps(record.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    file_regression.check(text, fullpath=ROOT / "fixtures" / "golden" / pipeline / f"{seed.stem}.json", encoding="utf-8")
