"""diff: claims added, removed and changed between two batches, offsets-free, by id then position."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from claimex.cli import app
from claimex.diff import diff_articles, diff_batches
from claimex.io import Article

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "morocco-pakistan-ties.txt"
runner = CliRunner()

BASE = (
    "Exports rose to $5 million in 2019, the trade minister, John Smith, said. "
    "Prices fell in Kenya last year, Smith added. "
    "The central bank held rates in Nairobi."
)


def record(extractor, text, doc_id="doc"):
    (found,) = extractor.pipe([Article(doc_id, text, f"<{doc_id}>")])
    assert found.status == "ok"
    return found


def test_the_same_records_give_no_changes(extractor):
    a = record(extractor, BASE)
    result = diff_articles(a, record(extractor, BASE))
    assert result.state == "unchanged" and not result.changed and not result.added and not result.removed
    assert result.unchanged == len(a.claims)


def test_a_new_amount_is_one_changed_claim_and_later_offsets_do_not_count(extractor):
    a = record(extractor, BASE)
    b = record(extractor, BASE.replace("$5 million", "$15 million"))
    result = diff_articles(a, b)
    assert result.state == "revised" and result.revised
    (change,) = result.changed
    assert change.before["id"] != change.after["id"]
    assert "amount" in change.fields and "speaker" not in change.fields
    assert change.before["amount"] == ["5000000"] and change.after["amount"] == ["15000000"]
    assert not result.added and not result.removed and result.unchanged == len(a.claims) - 1


def test_a_new_speaker_name_pairs_by_sentence_position(extractor):
    a = record(extractor, BASE)
    b = record(extractor, BASE.replace("John Smith, said", "Jane Smith, said"))
    result = diff_articles(a, b)
    spoken = [c for c in result.changed if "speaker" in c.fields]
    assert spoken and all((c.before["speaker"], c.after["speaker"]) == ("John Smith", "Jane Smith") for c in spoken)
    assert all(c.matched_by == "sentence" for c in spoken)
    assert not result.added and not result.removed


def test_a_new_sentence_adds_a_claim_and_renumbered_entities_are_not_changes(extractor):
    a = record(extractor, BASE)
    b = record(extractor, "Acme Corp opened an office in Lagos. " + BASE)
    assert [e.name for e in b.entities][:2] != [e.name for e in a.entities][:2], "entity ids shift in b"
    result = diff_articles(a, b)
    assert [claim["text"] for claim in result.added] == ["Acme Corp opened an office in Lagos."]
    assert not result.removed and not result.changed and result.unchanged == len(a.claims)


def test_a_removed_sentence_removes_its_claim(extractor):
    a = record(extractor, BASE)
    b = record(extractor, BASE.replace(" The central bank held rates in Nairobi.", ""))
    result = diff_articles(a, b)
    assert [claim["text"] for claim in result.removed] == ["The central bank held rates in Nairobi."]
    assert not result.added and not result.changed


def test_articles_only_in_one_batch_are_added_or_removed(extractor):
    a, b = record(extractor, BASE, "a"), record(extractor, BASE, "b")
    result = diff_batches([a], [b])
    assert [(x.doc_id, x.state) for x in result.articles] == [("a", "removed"), ("b", "added")]
    assert result.summary["claims_added"] == result.summary["claims_removed"] == len(a.claims)


def test_a_pipeline_change_on_the_same_text_is_changed_not_revised(extractor):
    a = record(extractor, BASE)
    data = a.model_dump(mode="json")
    data["claims"][0]["money"][0]["currency"] = "EUR"
    b = type(a).model_validate(data)
    result = diff_articles(a, b)
    assert result.state == "changed" and not result.revised
    assert [c.fields for c in result.changed] == [["currency"]] and result.changed[0].matched_by == "id"


def seed_runs(tmp_path, edits):
    """Extract the seed and an edited copy into one store; returns the store path."""
    text = SEED.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    revised = tmp_path / "v2" / SEED.name
    revised.parent.mkdir()
    revised.write_text(text, encoding="utf-8")
    store = tmp_path / "runs.db"
    for path, name in ((SEED, "before"), (revised, "after")):
        result = runner.invoke(app, ["extract", str(path), "--store", str(store), "--run-name", name])
        assert result.exit_code == 0, result.output
    return store


def test_acceptance_one_amount_and_one_speaker_changed_in_the_seed(tmp_path):
    store = seed_runs(tmp_path, [("in the future, Karmoune added", "in the future, Ahmed Khan added"),
                                 ("from $147 million", "from $150 million")])
    result = runner.invoke(app, ["diff", "before", "after", "--store", str(store), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (article,) = data["articles"]
    assert article["doc_id"] == "morocco-pakistan-ties" and article["state"] == "revised" and article["revised"]
    assert article["added"] == [] and article["removed"] == []
    changes = sorted(article["changed"], key=lambda c: c["fields"])
    assert [c["fields"] for c in changes] == [["speaker"], ["statement", "amount"]]
    assert (changes[0]["before"]["speaker"], changes[0]["after"]["speaker"]) == ("Mohamed Karmoune", "Ahmed Khan")
    assert changes[1]["before"]["amount"][0] == "147000000" and changes[1]["after"]["amount"][0] == "150000000"
    summary = data["summary"]
    assert (summary["articles_revised"], summary["claims_changed"], summary["claims_added"], summary["claims_removed"]) == (1, 2, 0, 0)

    text = runner.invoke(app, ["diff", "before", "after", "--store", str(store)])
    assert text.exit_code == 0, text.output
    assert "revised" in text.stdout and "speaker: Mohamed Karmoune -> Ahmed Khan" in text.stdout
    assert "$147 million" in text.stdout and "$150 million" in text.stdout
    assert text.stdout.count("  ~ ") == 2 and "  + " not in text.stdout and "  - " not in text.stdout


def test_acceptance_two_runs_of_the_same_inputs_differ_in_nothing(tmp_path):
    store = seed_runs(tmp_path, [])
    result = runner.invoke(app, ["diff", "before", "after", "--store", str(store), "--json"])
    data = json.loads(result.stdout)
    assert data["articles"] == [] and data["summary"]["claims_changed"] == data["summary"]["claims_added"] == 0
    text = runner.invoke(app, ["diff", "1", "2", "--store", str(store)])
    assert "no changes" in text.stdout


def test_diff_of_two_jsonl_files_and_of_a_file_with_a_run(tmp_path):
    store = seed_runs(tmp_path, [("from $147 million", "from $150 million")])
    for name in ("before", "after"):
        shown = runner.invoke(app, ["show", name, "--store", str(store)])
        (tmp_path / f"{name}.jsonl").write_text(shown.stdout, encoding="utf-8")
    by_files = runner.invoke(app, ["diff", str(tmp_path / "before.jsonl"), str(tmp_path / "after.jsonl"), "--json"])
    mixed = runner.invoke(app, ["diff", str(tmp_path / "before.jsonl"), "after", "--store", str(store), "--json"])
    for result in (by_files, mixed):
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["summary"]["claims_changed"] == 1


@pytest.mark.parametrize(("args", "code"), [(["diff", "nope", "latest"], 2), (["diff", "missing.jsonl", "x.jsonl"], 2)])
def test_diff_of_unknown_runs_or_files_is_a_usage_error(tmp_path, args, code):
    result = runner.invoke(app, [*args, "--store", str(tmp_path / "runs.db")])
    assert result.exit_code == code


def test_diff_of_a_file_that_is_not_records_is_a_data_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x"}\n', encoding="utf-8")
    result = runner.invoke(app, ["diff", str(bad), str(bad)])
    assert result.exit_code == 1 and "not an article record" in result.output
