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


# -- one table per construction: (text, [(kind, statement, speaker mention, cue lemma)]) -----------------
DIRECT = [
    ("“We will win,” she said.", [("direct", "We will win", "she", "say")]),
    ('"We will win," she said.', [("direct", "We will win", "she", "say")]),
    ("“Will we win?” asked the minister.", [("direct", "Will we win?", "the minister", "ask")]),
    ("She said: “We will win.”", [("direct", "We will win", "She", "say")]),
    ("The minister said in a statement: “Prices will rise.”", [("direct", "Prices will rise", "The minister", "say")]),
    # a quotation split by its attribution gives two statements with one cue
    ("“We will,” she said, “win.”", [("direct", "We will", "she", "say"), ("direct", "win", "she", "say")]),
    # a nested quotation stays inside the outer one
    ("“Prices “will” rise,” she said.", [("direct", "Prices “will” rise", "she", "say")]),
    ("\"We said 'no' to them,\" she said.", [("direct", "We said 'no' to them", "she", "say")]),
    # unbalanced marks: the quotation runs to the end of its paragraph, nothing raises
    ("He said “prices will rise.", [("direct", "prices will rise", "He", "say")]),
    ("“Prices will rise,” he said “", [("direct", "Prices will rise", "he", "say")]),
    # a scare quote is part of an indirect statement, not a quotation of its own
    ("She said prices were “very high” last year.", [("indirect", "prices were “very high” last year", "She", "say")]),
    ("She described the plan as “a disaster”.", []),
    ("“Nice day.”", []),
]

CONTINUED = [
    # the next quotation of the paragraph continues the speaker
    ('"Prices will rise," he said. "Wages will not."', [("direct", "Prices will rise", "he", "say"), ("direct", "Wages will not", "he", "say")]),
    # a floating quote: a quotation paragraph with no attribution continues the speaker of the paragraph before
    ("“Prices will rise,” the minister said.\n\n“Wages will not.”", [("direct", "Prices will rise", "the minister", "say"), ("direct", "Wages will not", "the minister", "say")]),
    # an opening mark with no closing mark at the end of a paragraph: the quotation runs on
    ("“Prices will rise,\n\n“Wages will not,” the minister said.", [("direct", "Prices will rise", "the minister", "say"), ("direct", "Wages will not", "the minister", "say")]),
    # after one paragraph of narration, a short quotation is not continued ...
    ("“Prices will rise,” the minister said.\n\nThe bank met.\n\n“Wages will not.”", [("direct", "Prices will rise", "the minister", "say")]),
    # ... but a quotation set apart as a whole paragraph of speech is
    (
        "“Prices will rise,” the minister said.\n\nThe bank met on Monday.\n\n“Wages will not rise this year or next.”",
        [("direct", "Prices will rise", "the minister", "say"), ("direct", "Wages will not rise this year or next", "the minister", "say")],
    ),
    # two paragraphs of narration away, nothing is continued
    (
        "“Prices will rise,” the minister said.\n\nThe bank met.\n\nIt rained.\n\n“Wages will not rise this year or next.”",
        [("direct", "Prices will rise", "the minister", "say")],
    ),
    # a curly quotation closed by a straight mark
    ("“Prices will rise,\" the minister said.", [("direct", "Prices will rise", "the minister", "say")]),
]

INDIRECT = [
    ("The minister said prices will rise.", [("indirect", "prices will rise", "The minister", "say")]),
    ("The minister said that prices will rise.", [("indirect", "prices will rise", "The minister", "say")]),
    ("Prices will rise, the minister said.", [("indirect", "Prices will rise", "the minister", "say")]),
    ("Prices will rise, said the minister.", [("indirect", "Prices will rise", "the minister", "say")]),
    ("Prices will rise, he says.", [("indirect", "Prices will rise", "he", "say")]),
    ("Prices will rise, the minister said Tuesday.", [("indirect", "Prices will rise", "the minister", "say")]),
    ("According to the ministry, prices will rise.", [("indirect", "prices will rise", "the ministry", "according to")]),
    ("Prices will rise, according to the ministry.", [("indirect", "Prices will rise", "the ministry", "according to")]),
    ("The minister told reporters prices will rise.", [("indirect", "prices will rise", "The minister", "tell")]),
    ("The minister told reporters on Monday that prices will rise.", [("indirect", "prices will rise", "The minister", "tell")]),
    ("Prices will rise, she told Reuters.", [("indirect", "Prices will rise", "she", "tell")]),
    ("Prices, he said, will rise.", [("indirect", "Prices, he said, will rise", "he", "say")]),
    ("But he said prices will rise.", [("indirect", "prices will rise", "he", "say")]),
    ("In a statement, the ministry said prices would rise.", [("indirect", "prices would rise", "the ministry", "say")]),
    ("Sharks head coach Peter DeBoer said prices will rise.", [("indirect", "prices will rise", "Sharks head coach Peter DeBoer", "say")]),
    ("Jane Doe, who runs the bank, said prices will rise.", [("indirect", "prices will rise", "Jane Doe", "say")]),
    ("Prices will rise, a spokeswoman for the ministry said.", [("indirect", "Prices will rise", "a spokeswoman for the ministry", "say")]),
    ("Officials now say prices will rise.", [("indirect", "prices will rise", "Officials", "say")]),
    (
        "He said prices will rise, and added that wages will not.",
        [("indirect", "prices will rise", "He", "say"), ("indirect", "wages will not", "He", "add")],
    ),
    # "this", "last", a day: an adjunct only when it is one ("this week", "Tuesday"), else the statement's start
    ("She said this would force a vote.", [("indirect", "this would force a vote", "She", "say")]),
    ("She said this week that prices will rise.", [("indirect", "prices will rise", "She", "say")]),
    ("He said last month the plan would fail.", [("indirect", "the plan would fail", "He", "say")]),
    ("Critics said Tuesday the plan would fail.", [("indirect", "the plan would fail", "Critics", "say")]),
    ("Critics said Tuesday's vote was rigged.", [("indirect", "Tuesday's vote was rigged", "Critics", "say")]),
    ("Party leader Jane May has said prices will rise.", [("indirect", "prices will rise", "Party leader Jane May", "say")]),
    # a verb followed only by an adjunct reports nothing
    ("The minister said of the plan.", []),
    ("The minister spoke in Ottawa on Monday.", []),
    # a verb that also takes an object reports nothing when a noun phrase follows
    ("Edmonton added a goal late in the game.", []),
]

# coordinated subjects and predicates, "was quoted as saying", subordinate clauses, asides
MORE_INDIRECT = [
    ("Jane Doe and John Smith said prices will rise.", [("indirect", "prices will rise", "Jane Doe and John Smith", "say")]),
    ("Both Jane Doe and John Smith have said they will run.", [("indirect", "they will run", "Jane Doe and John Smith", "say")]),
    ("Jane Doe praised the plan and said prices will rise.", [("indirect", "prices will rise", "Jane Doe", "say")]),
    ("The union criticized the plan, saying wages will fall.", [("indirect", "wages will fall", "The union", "say")]),
    ("He was quoted as saying that prices will rise.", [("indirect", "prices will rise", "He", "say")]),
    ("Prices will rise, he was quoted as saying.", [("indirect", "Prices will rise", "he", "say")]),
    ("Markets fell after the minister said prices will rise.", [("indirect", "prices will rise", "the minister", "say")]),
    ("While the ministry said prices will rise, wages fell.", [("indirect", "prices will rise", "the ministry", "say")]),
    ("Jane Doe said in her speech she would resign.", [("indirect", "she would resign", "Jane Doe", "say")]),
    ("Tara Gomes, a co-author of the report, says prices will rise.", [("indirect", "prices will rise", "Tara Gomes", "say")]),
    ("Jane Doe, who writes about the economy, said prices will rise.", [("indirect", "prices will rise", "Jane Doe", "say")]),
    ("His lawyer, Jane Doe, said the appeal will be filed.", [("indirect", "the appeal will be filed", "His lawyer, Jane Doe", "say")]),
    ("The harsh truth, according to experts, is that prices will rise.", [("indirect", "is that prices will rise", "experts", "according to")]),
    # texts where nothing is attributed: objects, infinitives, negation, links to other stories
    ("Story continues below.", []),
    ("Huawei has denied the existence of such a link.", []),
    ("She promised to meet the leaders.", []),
    ("The president has not said he will veto the bill.", []),
    ("READ MORE: Jane Doe says prices will rise", []),
]

# speakers that are possessives, noun phrases of any words, groups and organisations
SPEAKER_PHRASES = [
    ("Vancouver's Bo Horvat said prices will rise.", [("indirect", "prices will rise", "Bo Horvat", "say")]),
    ("“We played well,” Vancouver's Bo Horvat said.", [("direct", "We played well", "Bo Horvat", "say")]),
    ("The mayor's spokeswoman said prices will rise.", [("indirect", "prices will rise", "The mayor's spokeswoman", "say")]),
    ("The white paper said prices will rise.", [("indirect", "prices will rise", "The white paper", "say")]),
    ("A person familiar with the talks said prices will rise.", [("indirect", "prices will rise", "A person familiar with the talks", "say")]),
    ("Authorities said prices will rise.", [("indirect", "prices will rise", "Authorities", "say")]),
    ("Prices will rise, authorities said.", [("indirect", "Prices will rise", "authorities", "say")]),
    # a name followed by where the person works or comes from: the name is the speaker
    ("Jane Hall with the Acme Workers Union says rents are too high.", [("indirect", "rents are too high", "Jane Hall", "say")]),
    ("Jane Hall at the University of Toronto says the patterns are coupled.", [("indirect", "the patterns are coupled", "Jane Hall", "say")]),
    ("Physics professor Jane Hall at the University of Toronto says the patterns are coupled.", [("indirect", "the patterns are coupled", "Physics professor Jane Hall", "say")]),
    ("Jane Hall with the Acme Workers Union visited the site.", []),
    ("Talks with Jane Hall at Acme said little.", []),
    # a first-person speaker inside a quotation is part of what is quoted
    ("“I said that before, and now I am achieving this dream,” Jane Doe said.", [("direct", "I said that before, and now I am achieving this dream", "Jane Doe", "say")]),
]

LEAD_INS = [
    ("From Chairwoman Jane Doe: “Prices will rise.”", [("direct", "Prices will rise", "Chairwoman Jane Doe", "from")]),
    ("“Prices will rise.” — Commissioner Jane Doe", [("direct", "Prices will rise", "Commissioner Jane Doe", "—")]),
    ("Prices rose: wages did not.", []),
    # a colon after a sentence whose subject is a named speaker introduces the quotation
    ("Dr. Jane Doe, a family doctor, is more blunt: “We are not ready for this.”", [("direct", "We are not ready for this", "Dr. Jane Doe", ":")]),
    ("The list includes: “A spirit that will not die.”", []),
]


@pytest.mark.parametrize(("text", "expected"), DIRECT)
def test_direct_quotations(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


@pytest.mark.parametrize(("text", "expected"), CONTINUED)
def test_quotations_continue_a_speaker(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


@pytest.mark.parametrize(("text", "expected"), INDIRECT)
def test_indirect_speech(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


@pytest.mark.parametrize(("text", "expected"), MORE_INDIRECT)
def test_coordination_asides_and_clauses(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


@pytest.mark.parametrize(("text", "expected"), SPEAKER_PHRASES)
def test_speaker_phrases(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


@pytest.mark.parametrize(("text", "expected"), LEAD_INS)
def test_colon_and_dash_attributions(make_nlp, text, expected):
    assert attributions(make_nlp(*COMPONENTS), text) == expected


def test_floating_quote_records_how_it_was_attributed(make_nlp):
    doc = make_nlp(*COMPONENTS)("“Prices will rise,” the minister said.\n\n“Wages will not.”")
    first, second = doc._.claimex_attributions
    assert (first.rule, second.rule) == ("trailing.role", "quote.floating")
    assert second.cue == first.cue and second.speaker_mention == first.speaker_mention


def test_reporting_verb_lexicon_covers_news_verbs(make_nlp):
    lemmas = set(make_nlp(*COMPONENTS).get_pipe("claimex_attribution").verb_lemmas.values())
    news = {"say", "add", "tell", "announce", "reveal", "explain", "insist", "warn", "note", "argue", "claim",
            "acknowledge", "admit", "stress", "emphasize", "specify", "illustrate"}
    assert news <= lemmas
    assert make_nlp(*COMPONENTS).get_pipe("claimex_attribution").verb_lemmas["emphasised"] == "emphasize"


def test_a_long_text_gives_every_repetition_its_attributions(make_nlp):
    """Attribution works paragraph by paragraph: eight times the text, eight times the attributions.
    (Speed is measured as ratios in benchmarks/, not here.)"""
    paragraph = "“Prices will rise,” the minister said. Sharks coach Peter DeBoer said wages will not, and added that taxes may.\n\n"
    nlp = make_nlp(*COMPONENTS)
    doc = nlp(paragraph * 200)
    big = nlp(paragraph * 1600)
    assert len(doc._.claimex_attributions) >= 200
    assert len(big._.claimex_attributions) == 8 * len(doc._.claimex_attributions)


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
            (
                "Trade will grow, said the ambassador to France, John Smith. Wages will not, the ambassador added. "
                "Prices will fall, Smith said."
            ),
            [("John Smith", "name"), ("John Smith", "title"), ("John Smith", "alias")],
        ),
        # pronouns resolve to the most recent person speaker, not to a person named in the statement
        (
            (
                "Trade will grow, said the ambassador to France, John Smith. "
                "Both countries met King Louis XX last year, he added."
            ),
            [("John Smith", "name"), ("John Smith", "pronoun")],
        ),
        # nobody to resolve to: the words stay as written
        ("Prices will rise, he said.", [("he", "unresolved")]),
        # a pronoun resolves to the most recent person of its gender, the first speaker here
        (
            "Trade will grow, said Jane Smith. She met John Brown, and he was kind to her. Wages will fall, she added.",
            [("Jane Smith", "name"), ("Jane Smith", "pronoun")],
        ),
        # a surname resolves to the full name; an organisation noun to the organisation named before
        (
            "Jane Smith said trade will grow. Prices will fall, Smith added.",
            [("Jane Smith", "name"), ("Jane Smith", "alias")],
        ),
        # an indefinite speaker is someone new, kept as written
        (
            "Trade will grow, said Jane Smith. Prices will fall, a spokeswoman said.",
            [("Jane Smith", "name"), ("a spokeswoman", "unresolved")],
        ),
        # first-person speakers inside quotes are left as they are
        ("“I said no,” she said.", [("she", "unresolved")]),
        # "it" is the organisation that spoke last
        (
            "The Acme Corp. said it will close the plant. It said wages will fall.",
            [("Acme Corp.", "name"), ("Acme Corp.", "pronoun")],
        ),
        # two speakers joined by "and" keep both names; an aside that is a name names the speaker
        ("Jane Doe and John Smith said prices will rise.", [("Jane Doe and John Smith", "name")]),
        ("His lawyer, Jane Doe, said the appeal will be filed.", [("Jane Doe", "name")]),
        # a possessive phrase is someone of someone: kept as written, not resolved to the possessor
        ("Jane Doe said trade will grow. Doe's spokeswoman said prices will fall.", [("Jane Doe", "name"), ("Doe's spokeswoman", "unresolved")]),
        # a pronoun keeps to the last speaker of its gender rather than a man named in passing
        (
            "Trade will grow, said John Smith. Prices, he said, rose when Peter Brown's firm was sold. Wages will fall, he said.",
            [("John Smith", "name"), ("John Smith", "pronoun"), ("John Smith", "pronoun")],
        ),
    ],
)
def test_speakers_resolve_to_named_people(make_nlp, text, expected):
    doc = make_nlp(*COMPONENTS)(text)
    assert [(a.speaker_name, a.resolved_by) for a in doc._.claimex_attributions] == expected


def test_an_invisible_character_after_a_name_keeps_the_attribution(make_nlp):
    doc = make_nlp(*COMPONENTS)("As well as the issues raised, Okonkwo\u200b said he expects the union to help.")
    (attribution,) = doc._.claimex_attributions
    assert attribution.speaker_name == "Okonkwo"
