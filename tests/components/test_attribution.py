"""claimex_attribution: reported statements, their cues and speakers."""

from __future__ import annotations

import pytest

COMPONENTS = ("claimex_sentences", "claimex_entities", "claimex_attribution")


def attributions(nlp, text):
    doc = nlp(text)
    return [
        (a.kind, text[a.content.start:a.content.end], text[a.speaker_mention.start:a.speaker_mention.end], a.cue.lemma)
        for a in doc._.claimex_attributions
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Prices will rise, said the minister.", [("indirect", "Prices will rise", "the minister", "say")]),
        ("Prices will rise, he added.", [("indirect", "Prices will rise", "he", "add")]),
        ("Prices will rise, the spokeswoman explained.", [("indirect", "Prices will rise", "the spokeswoman", "explain")]),
        ("The minister said that prices will rise.", [("indirect", "prices will rise", "The minister", "say")]),
        ("The ministry warned prices would rise.", [("indirect", "prices would rise", "The ministry", "warn")]),
        ("In a statement, the ministry said prices would rise.", [("indirect", "prices would rise", "the ministry", "say")]),
        ("“We will win,” she said.", [("direct", "We will win", "she", "say")]),
        ('"We will win," she said.', [("direct", "We will win", "she", "say")]),
        ("She said: “We will win.”", [("direct", "We will win", "She", "say")]),
        ("“Prices will rise. Wages will not,” the minister said.", [("direct", "Prices will rise. Wages will not", "the minister", "say")]),
        ("According to the ministry, prices will rise.", [("indirect", "prices will rise", "the ministry", "according to")]),
        ("Prices will rise, according to the ministry.", [("indirect", "Prices will rise", "the ministry", "according to")]),
        (
            "Prices will rise, said the minister, emphasizing the need for calm.",
            [("indirect", "Prices will rise", "the minister", "say"), ("indirect", "the need for calm", "the minister", "emphasize")],
        ),
        ("Prices will rise.", []),
        ("The minister presented the plan.", []),
        ("He said.", []),
        ("Said the minister.", []),
        ("", []),
    ],
)
def test_attributions_by_construction(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


def test_dateline_is_not_part_of_the_statement(make_nlp):
    text = "LONDON – Prices will rise this year, said the minister."
    assert attributions(make_nlp(*COMPONENTS), text)[0][1] == "Prices will rise this year"


def test_cue_and_speaker_offsets_slice_back(make_nlp):
    text = "Prices will rise, he added."
    doc = make_nlp(*COMPONENTS)(text)
    (a,) = doc._.claimex_attributions
    assert text[a.cue.span.start:a.cue.span.end] == "added"
    assert a.rule == "trailing.pronoun"
    assert [s.text for s in doc.spans["claimex_cues"]] == ["added"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # apposition introduces the person; a role noun and a surname later resolve to the full name
        (
            "Trade will grow, said the ambassador to France, John Smith. Wages will not, the ambassador added. "
            "Prices will fall, Smith said.",
            [("John Smith", "name"), ("John Smith", "title"), ("John Smith", "alias")],
        ),
        # pronouns resolve to the most recent person speaker, not to a person named in the statement
        (
            "Trade will grow, said the ambassador to France, John Smith. "
            "Both countries met King Louis XX last year, he added.",
            [("John Smith", "name"), ("John Smith", "pronoun")],
        ),
        # nobody to resolve to: the words stay as written
        ("Prices will rise, he said.", [("he", "unresolved")]),
    ],
)
def test_speakers_resolve_to_named_people(make_nlp, text, expected):
    doc = make_nlp(*COMPONENTS)(text)
    assert [(a.speaker_name, a.resolved_by) for a in doc._.claimex_attributions] == expected
