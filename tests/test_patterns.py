"""Rule data: word lists and pattern files are validated when loaded, and stay general."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import spacy

from claimex.patterns import (
    RuleDataError,
    expand_lists,
    read_pattern_file,
    read_word_lists,
)
from claimex.resources import pipeline_dir

ROOT = Path(__file__).resolve().parents[1]


def test_word_lists_are_read_with_comments_dropped(tmp_path):
    (tmp_path / "verbs.txt").write_text("# a comment\nsay\n\nadd  # inline comment\n", encoding="utf-8")
    assert read_word_lists(tmp_path) == {"verbs": ("say", "add")}


@pytest.mark.parametrize(
    ("content", "message"),
    [("say\nsay\n", "already listed on line 1"), ("# only a comment\n", "empty")],
)
def test_bad_word_lists_name_the_file_and_line(tmp_path, content, message):
    (tmp_path / "verbs.txt").write_text(content, encoding="utf-8")
    with pytest.raises(RuleDataError, match=message):
        read_word_lists(tmp_path)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (['{"id": "a", "pattern": []}', '{"id": "a", "pattern": []}'], "already used on line 1"),
        (["{not json"], ":1: not valid JSON"),
        (['{"pattern": []}'], "id"),
        (['{"id": "Bad Id", "pattern": []}'], "id"),
    ],
)
def test_bad_pattern_files_name_the_file_and_line(tmp_path, lines, message):
    path = tmp_path / "p.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(RuleDataError, match=message):
        read_pattern_file(path)


def test_list_references_expand_and_unknown_ones_fail():
    pattern = [{"LOWER": {"IN": "$verbs"}}, {"ORTH": "$literal"}]
    assert expand_lists(pattern, {"verbs": ("say",)}) == [{"LOWER": {"IN": ["say"]}}, {"ORTH": "$literal"}]
    with pytest.raises(RuleDataError, match="unknown word list"):
        expand_lists([{"LOWER": {"IN": "$nope"}}], {"verbs": ("say",)})


def test_the_default_pipeline_data_loads():
    folder = pipeline_dir("default")
    lists = read_word_lists(folder / "lists")
    assert "reporting_verbs" in lists
    for path in sorted((folder / "patterns").glob("*.jsonl")):
        assert read_pattern_file(path), path


def test_components_round_trip_through_disk(tmp_path):
    nlp = spacy.blank("en")
    nlp.add_pipe("claimex_sentences")
    nlp.add_pipe("claimex_money")
    nlp.initialize()
    nlp.to_disk(tmp_path / "saved")
    loaded = spacy.load(tmp_path / "saved")
    text = "It was worth $5 million. Then €3bn."
    assert loaded(text)._.claimex_money == nlp(text)._.claimex_money


def test_no_rule_names_the_people_or_organisations_of_a_seed():
    """Rules must be general: the names of the seeds' people, organisations and facilities appear in no
    pattern, word list or source file (examples in comments included)."""
    names = set()
    for golden in (ROOT / "fixtures" / "golden").rglob("*.json"):
        for entity in json.loads(golden.read_text(encoding="utf-8"))["entities"]:
            if entity["label"] in ("PERSON", "ORG", "FAC"):
                names.update(part for part in [entity["name"], *entity["aliases"]] if len(part) > 3)
    assert names, "the golden files name some entities"
    for path in [*(ROOT / "pipelines").rglob("*.*"), *(ROOT / "src").rglob("*.py")]:
        text = path.read_text(encoding="utf-8")
        found = sorted(name for name in names if name in text)
        assert not found, f"{path.relative_to(ROOT)} names {found}"
