"""evaluate: the project scorer's figures, reproduced, and the misses listed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.evaluate import (
    evaluate_records,
    gold_year_range,
    greedy_match,
    names_match,
    prf,
)
from claimex.io import record_to_json

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score.py"
SEED_GOLD = SHARED / "acceptance" / "morocco-pakistan-ties.gold.jsonl"
runner = CliRunner()
needs_shared = pytest.mark.skipif(not (SCORER.is_file() and SEED_GOLD.is_file()), reason="../shared (scorer and gold) is not present")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [("Karmoune", "Mohamed Karmoune", True), ("President Joe Biden", "Joe Biden", True), ("he", "Joe Biden", False), (None, "Joe", False)],
)
def test_names_match_by_words_without_titles(a, b, expected):
    assert names_match(a, b) is expected


def test_greedy_matching_is_one_to_one_best_first():
    assert greedy_match([(0.5, 0, 0), (0.9, 1, 0), (0.4, 0, 1)]) == {1: 0, 0: 1}


def test_prf_rounds_to_four_places_and_handles_zero():
    assert prf(1, 3, 2) == {"p": 0.3333, "r": 0.5, "f1": 0.4, "tp": 1, "pred": 3, "gold": 2}
    assert prf(0, 0, 0)["f1"] == 0.0


@pytest.mark.parametrize(
    ("item", "expected"),
    [({"start_year": 1950, "end_year": 1959}, (1950, 1959)), ({"kind": "decade", "res_start": "1990-01-01", "res_end": "2000-01-01"}, (1990, 1999)),
     ({"value": 2004}, (2004, 2004)), ({"text": "next year"}, None)],
)
def test_gold_year_ranges(item, expected):
    assert gold_year_range(item) == expected


GOLD = {
    "id": "g1",
    "text": "Sales hit $10 million in 2019, said Ann Lee. Costs fell.",
    "quotes": [{"speaker": "Ann Lee", "speaker_start": 36, "speaker_end": 43, "cue": "said", "content_start": 0, "content_end": 29}],
    "money": [{"start": 10, "end": 21, "text": "$10 million", "amount": 10000000, "currency": "USD"}],
    "years": [{"start": 25, "end": 29, "text": "2019", "start_year": 2019, "end_year": 2019}],
}


def claim(**fields):
    base = {"kind": "indirect", "statement": {"start": 0, "end": 29, "text": GOLD["text"][:29]}, "speaker": {"name": "Ann Lee", "mention": {"start": 36, "end": 43}},
            "money": [], "years": []}
    return {**base, **fields}


def test_right_predictions_score_one_and_list_no_misses():
    record = {"doc_id": "g1", "entities": [], "claims": [claim(
        money=[{"start": 10, "end": 21, "text": "$10 million", "amount": "10000000", "currency": "USD"}],
        years=[{"start": 25, "end": 29, "text": "2019", "start_year": 2019, "end_year": 2019}],
    )]}
    result = evaluate_records([GOLD], [record])
    assert {k: v["f1"] for k, v in result.scores().items()} == dict.fromkeys(
        ["money", "money_span", "quotes@0.3", "quotes@0.8", "speaker", "speaker_resolved", "years", "years_span"], 1.0)
    assert result.errors == []


def test_wrong_values_and_missing_items_are_listed_as_misses():
    record = {"doc_id": "g1", "entities": [], "claims": [claim(
        speaker={"name": "Bob Ray", "mention": {"start": 45, "end": 50}},
        money=[{"start": 10, "end": 21, "text": "$10 million", "amount": "12000000", "currency": "USD"}],
    )]}
    result = evaluate_records([GOLD], [record])
    got = sorted((e["metric"], e["error"]) for e in result.errors)
    assert got == [("money", "wrong"), ("speaker", "wrong"), ("years_span", "missed")]
    assert result.scores()["money_span"]["f1"] == 1.0 and result.scores()["money"]["f1"] == 0.0


def test_a_document_without_a_record_is_fully_missed():
    result = evaluate_records([GOLD], [])
    assert result.missing == 1 and result.scores()["quotes@0.3"]["r"] == 0.0


def test_unknown_kinds_are_rejected():
    with pytest.raises(ValueError, match="unknown kinds"):
        evaluate_records([GOLD], [], kinds=["quotes", "verbs"])


def scorer(gold: Path, records: Path, *options: str) -> str:
    done = subprocess.run([sys.executable, str(SCORER), str(gold), str(records), *options], capture_output=True, text=True, check=True)
    return done.stdout


@needs_shared
def test_acceptance_evaluate_prints_the_scorers_figures_on_the_seed(tmp_path, extractor):
    result = runner.invoke(app, ["evaluate", str(SEED_GOLD)])
    assert result.exit_code == 0, result.output
    out = tmp_path / "out.jsonl"
    extracted = runner.invoke(app, ["extract", str(SEED_GOLD), "-o", str(out)])
    assert extracted.exit_code == 0, extracted.output
    assert result.stdout == scorer(SEED_GOLD, out)
    as_json = runner.invoke(app, ["evaluate", str(SEED_GOLD), "--records", str(out), "--json"])
    assert as_json.stdout == scorer(SEED_GOLD, out, "--json")


@needs_shared
@pytest.mark.parametrize("dataset", ["polnear", "meantime_en", "conll2003_test", "tempeval3", "duckling_money_en"])
def test_the_figures_equal_the_scorers_on_evaluation_data(tmp_path, extractor, dataset):
    """A few documents of each evaluation set (read from ../shared, written only to tmp_path)."""
    source = SHARED / "data" / dataset / "gold.jsonl"
    if not source.is_file():
        pytest.skip(f"{source} is not present")
    lines = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()][:3]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs = [json.loads(line) for line in lines]
    records = tmp_path / "records.jsonl"
    with records.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(record_to_json(extractor.extract(doc["text"], doc["id"])) + "\n")
    for options in ([], ["--speech-only"], ["--kinds", "quotes,years"]):
        ours = runner.invoke(app, ["evaluate", str(gold), "--records", str(records), *options])
        assert ours.exit_code == 0, ours.output
        assert ours.stdout == scorer(gold, records, *options), options


def test_show_errors_lists_the_misses(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    records = tmp_path / "records.jsonl"
    records.write_text(json.dumps({"doc_id": "g1", "entities": [], "claims": []}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold), "--records", str(records), "--show-errors"])
    assert result.exit_code == 0, result.output
    assert "misses (4):" in result.stdout
    assert "g1\tquotes@0.3\tmissed\t0-29" in result.stdout and "g1\tmoney_span\tmissed\t10-21" in result.stdout


@pytest.mark.parametrize(("args", "code"), [(["evaluate", "no/such/gold.jsonl"], 2), (["evaluate", "GOLD", "--kinds", "verbs"], 2)])
def test_evaluate_usage_errors(tmp_path, args, code):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD) + "\n", encoding="utf-8")
    result = runner.invoke(app, [str(gold) if a == "GOLD" else a for a in args])
    assert result.exit_code == code


def test_a_gold_file_that_is_not_json_is_a_data_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("not json\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(gold)])
    assert result.exit_code == 1 and "gold.jsonl:1" in result.output
