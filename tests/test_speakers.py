"""claimex.speakers: the resolution state machine, on hand-made entities."""

from __future__ import annotations

import pytest

from claimex.speakers import SpeakerLexicon, plural

COMPONENTS = ("claimex_sentences", "claimex_entities", "claimex_attribution")


def speakers(nlp, text):
    return [(a.speaker_name, a.resolved_by) for a in nlp(text)._.claimex_attributions]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a name is a name; a surname resolves to the full name of someone who spoke
        ("Jane Smith said trade will grow. Smith said prices will fall.", [("Jane Smith", "name"), ("Jane Smith", "alias")]),
        # a role given with the name resolves later mentions of the role
        (
            "Trade will grow, said the ambassador to France, John Smith. Wages will not, the ambassador added.",
            [("John Smith", "name"), ("John Smith", "title")],
        ),
        # an organisation noun resolves to the organisation that contains it
        ("The Ministry of Finance said trade will grow. Prices will fall, the ministry added.", [("Ministry of Finance", "name"), ("Ministry of Finance", "title")]),
        # pronouns: the most recent person of the right gender
        (
            "Trade will grow, said Jane Smith. She met John Brown. Prices will fall, he said. Wages will rise, she said.",
            [("Jane Smith", "name"), ("John Brown", "pronoun"), ("Jane Smith", "pronoun")],
        ),
        # a document or a group is not resolved to a person
        ("Trade will grow, said Jane Smith. Prices will fall, the report said.", [("Jane Smith", "name"), ("report", "unresolved")]),
        ("Trade will grow, said Jane Smith. Prices will fall, officials said.", [("Jane Smith", "name"), ("officials", "unresolved")]),
        # nothing to resolve to
        ("Prices will fall, she said.", [("she", "unresolved")]),
        # a person who opens the main clause behind a fronted phrase displaces the last speaker of that gender
        (
            '"Trade will grow," said Peter Hall, adding that he was proud. After the vote, Mark Dunn looked tired. "We lost," he said.',
            [("Peter Hall", "name"), ("Mark Dunn", "pronoun")],
        ),
        # ... but not one coordinated with others, nor one inside the fronted phrase
        (
            '"Trade will grow," said Peter Hall, adding that he was proud. After the vote, Mark Dunn and his aides looked tired. "We lost," he said.',
            [("Peter Hall", "name"), ("Peter Hall", "pronoun")],
        ),
        (
            '"Trade will grow," said Peter Hall, adding that he was proud. After meeting Mark Dunn, the team looked tired. "We lost," he said.',
            [("Peter Hall", "name"), ("Peter Hall", "pronoun")],
        ),
        # a name behind the role phrase that opens its sentence stands where a subject does
        (
            '"Trade will grow," said Jane Hall, adding that she was proud. Immigration lawyer Anna Berg met her later. "We need partners," she said.',
            [("Jane Hall", "name"), ("Anna Berg", "pronoun")],
        ),
        (
            '"Trade will grow," said Jane Hall, adding that she was proud. The talks with Anna Berg ended. "We need partners," she said.',
            [("Jane Hall", "name"), ("Jane Hall", "pronoun")],
        ),
        # an entity that is only a title ("Ms." cut from "Ms. May") does not name the speaker
        ('"We lost," Ms. May said.', [("Ms. May", "name")]),
        # nothing attributed
        ("After the vote, Mark Dunn looked tired.", []),
        ("Immigration lawyer Anna Berg met him later.", []),
    ],
)
def test_resolution(make_nlp, text, expected):
    assert speakers(make_nlp(*COMPONENTS), text) == expected


def test_lexicon_heads_and_plurals():
    lexicon = SpeakerLexicon.from_lists(
        {"speaker_pronouns": ("he: m", "she: f"), "role_nouns": ("spokeswoman", "official", "authority"), "org_nouns": ("ministry",), "speaker_determiners": ("a", "the")}
    )
    assert lexicon.head(["a", "spokeswoman", "for", "the", "ministry"]) == "spokeswoman"
    assert lexicon.head(["foreign", "ministry", "spokeswoman"]) == "spokeswoman"
    assert {"officials", "authorities", "spokeswomen"} <= lexicon.speaker_nouns
    assert plural("coach") == "coaches"


def test_lexicon_honorifics():
    lexicon = SpeakerLexicon.from_lists(
        {"speaker_pronouns": ("he: m",), "role_nouns": (), "org_nouns": (), "speaker_determiners": (), "honorifics_female": ("Ms.", "Mrs"), "honorifics_male": ("Sir",)}
    )
    assert lexicon.honorifics == frozenset({"ms", "mrs", "sir"})
