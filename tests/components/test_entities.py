"""claimex_entities: rules-only entity mentions (`doc.ents`) and referents (`doc._.claimex_entities`)."""

from __future__ import annotations

import pytest
import spacy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimex import gazetteers
from claimex.patterns import RuleDataError
from claimex.resources import default_patterns

PIPE = ("claimex_sentences", "claimex_entities")


@pytest.fixture(scope="module")
def nlp(make_nlp):
    return make_nlp(*PIPE)


def ents(nlp, text: str) -> list[tuple[str, str]]:
    return [(span.text, span.label_) for span in nlp(text).ents]


def entity(nlp, text: str, name: str):
    found = [e for e in nlp(text)._.claimex_entities if e.name == name]
    assert found, f"no entity named {name!r} in {[e.name for e in nlp(text)._.claimex_entities]}"
    return found[0]


# -- places and nationalities --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Talks were held in Islamabad and Rabat.", [("Islamabad", "GPE"), ("Rabat", "GPE")]),
        ("Morocco and Pakistan renewed ties.", [("Morocco", "GPE"), ("Pakistan", "GPE")]),
        ("The UN-led process in Western Sahara continues.", [("UN", "ORG"), ("Western Sahara", "GPE")]),
        ("Trade with Europe and Asia grew.", [("Europe", "LOC"), ("Asia", "LOC")]),
        ("Farmers in Punjab and Ontario struggled.", [("Punjab", "GPE"), ("Ontario", "GPE")]),
        ("Retailers in Phoenix, Ariz., agreed.", [("Phoenix", "GPE"), ("Ariz.", "GPE")]),
        ("RABAT 2019-05-01", [("RABAT", "GPE")]),
    ],
)
def test_gazetteer_places(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Moroccan exports rose.", [("Moroccan", "NORP")]),
        ("Moroccan-Pakistani relations improved.", [("Moroccan", "NORP"), ("Pakistani", "NORP")]),
        ("Pakistanis and Americans voted.", [("Pakistanis", "NORP"), ("Americans", "NORP")]),
        ("The South Asian country grew.", [("South Asian", "NORP")]),
        ("The Moroccan Liberation Army fought.", [("Moroccan Liberation Army", "ORG")]),
    ],
)
def test_demonyms_are_norp_unless_part_of_a_name(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_country_short_names_are_one_referent(nlp):
    doc = nlp("The U.S. and the United States are one. US officials agreed, and so did America.")
    (us,) = doc._.claimex_entities
    assert (us.name, us.label, us.aliases) == ("United States", "GPE", ("America", "U.S.", "US"))
    assert len(us.mentions) == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Karachi Kings won again.", [("Karachi Kings", "ORG")]),
        ("The Boston Celtics won again.", [("Boston Celtics", "ORG")]),
        ("He lives in Rabat, Morocco.", [("Rabat", "GPE"), ("Morocco", "GPE")]),
        ("Visitors flock to Mexico City.", [("Mexico City", "GPE")]),
    ],
)
def test_city_inside_a_longer_untyped_name_is_no_place(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_currency_qualifier_is_no_entity(nlp):
    assert ents(nlp, "The firm earned 190 million US dollars.") == []
    assert ents(nlp, "The US dollar rose.") == [("US", "GPE")]


# -- organisations, facilities, acronyms ---------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pakistan’s Fauji Fertilizers Company signed.", [("Pakistan", "GPE"), ("Fauji Fertilizers Company", "ORG")]),
        ("It signed with Morocco's Phosphates Office.", [("Morocco", "GPE"), ("Phosphates Office", "ORG")]),
        ("Both joined the Al-Quds Committee.", [("Al-Quds Committee", "ORG")]),
        ("He spoke to Online International News Network.", [("Online International News Network", "ORG")]),
        ("The Bank of England raised rates.", [("Bank of England", "ORG")]),
        ("The Ministry of Water Resources said so.", [("Ministry of Water Resources", "ORG")]),
        ("Procter & Gamble Co. grew.", [("Procter & Gamble Co.", "ORG")]),
        ("He praised the United Nations.", [("United Nations", "ORG")]),
        ("GM said sales rose, the CEO said.", [("GM", "ORG")]),
        ("Ships call at the Gwadar Port and the Tangier-Med Port.", [("Gwadar Port", "FAC"), ("Tangier-Med Port", "FAC")]),
        ("The Clean Air Act passed.", [("Clean Air Act", "LAW")]),
        ("Fans watched the World Cup.", [("World Cup", "EVENT")]),
        ("Boats crossed the Indian Ocean.", [("Indian Ocean", "LOC")]),
    ],
)
def test_names_typed_by_their_head_word(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "name", "label", "aliases", "mentions"),
    [
        (
            "Both are members of the Organization of Islamic Cooperation (OIC). The OIC met.",
            "Organization of Islamic Cooperation", "ORG", ("OIC",), 3,
        ),
        (
            "Pakistan does not recognize the Sahrawi Arab Democratic Republic (SADR). The SADR protested.",
            "Sahrawi Arab Democratic Republic", "GPE", ("SADR",), 3,
        ),
        ("The OIC (Organization of Islamic Cooperation) met.", "Organization of Islamic Cooperation", "ORG", ("OIC",), 2),
    ],
)
def test_acronym_defined_in_brackets_is_an_alias(nlp, text, name, label, aliases, mentions):
    found = entity(nlp, text, name)
    assert (found.label, found.aliases, len(found.mentions)) == (label, aliases, mentions)


# -- people ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "name", "roles", "gender"),
    [
        ("The committee is chaired by King Mohammed VI.", "Mohammed VI", ("king",), "m"),
        ("Mrs. Jane Doe arrived.", "Jane Doe", (), "f"),
        ("Mr. Roe arrived.", "Roe", (), "m"),
        ("He met President Barack Obama.", "Barack Obama", ("president",), None),
        ("He met Prime Minister Imran Khan.", "Imran Khan", ("minister",), None),
        ("Queen Elizabeth II spoke.", "Elizabeth II", ("queen",), "f"),
    ],
)
def test_title_before_a_name(nlp, text, name, roles, gender):
    found = entity(nlp, text, name)
    assert (found.label, found.roles, found.gender, found.rule) == ("PERSON", roles, gender, "person.title")


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("Rates will rise, announced the Kenyan ambassador to Peru, Amara Okonkwo.", "person.role_of_apposition"),
        ("The ambassador, Amara Okonkwo, spoke.", "person.role_apposition"),
        ("Amara Okonkwo, the Kenyan ambassador, spoke.", "person.apposition_role"),
        ("The Kenyan ambassador Amara Okonkwo spoke.", "person.role_before"),
    ],
)
def test_apposition_with_a_role_noun(nlp, text, rule):
    found = entity(nlp, text, "Amara Okonkwo")
    assert (found.label, found.roles, found.rule) == ("PERSON", ("ambassador",), rule)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Trade will grow, said Amara Okonkwo.", [("Amara Okonkwo", "PERSON")]),
        ("Amara Okonkwo said the plan works.", [("Amara Okonkwo", "PERSON")]),
        ("Amara Okonkwo also told reporters so.", [("Amara Okonkwo", "PERSON")]),
        ("Trade will grow, said Okonkwo.", [("Okonkwo", "PERSON")]),
        ("According to Amara Okonkwo, prices fell.", [("Amara Okonkwo", "PERSON")]),
        ("Officials said the talks failed.", []),
        ("Prices will fall, told Reuters.", [("Reuters", "ORG")]),
    ],
)
def test_reporting_verb_subject_is_a_person(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Trade will grow, said Amara Okonkwo. Okonkwo added that prices would fall.",
        "Okonkwo spoke first. Later, Amara Okonkwo said more.",
        "Mr. Okonkwo spoke. Trade will grow, said Amara Okonkwo.",
    ],
)
def test_surname_joins_the_full_name_before_or_after_it(nlp, text):
    doc = nlp(text)
    (person,) = [e for e in doc._.claimex_entities if e.label == "PERSON"]
    assert (person.name, person.aliases, len(person.mentions)) == ("Amara Okonkwo", ("Okonkwo",), 2)


def test_two_people_with_one_surname_stay_apart(nlp):
    doc = nlp("Jane Doe met John Doe. Later, Mr. Doe left.")
    names = [e.name for e in doc._.claimex_entities]
    assert names == ["Jane Doe", "John Doe"]


def test_a_shared_surname_joins_the_nearest_full_name_before_it(nlp):
    text = "Erik Larsson scored twice. Larsson was pleased. Melker Larsson scored later. Larsson was tired."
    doc = nlp(text)
    people = {e.name: e for e in doc._.claimex_entities if e.label == "PERSON"}
    assert set(people) == {"Erik Larsson", "Melker Larsson"}
    first, second = text.index("Larsson was pleased"), text.index("Larsson was tired")
    assert any(m.start == first for m in people["Erik Larsson"].mentions)
    assert any(m.start == second for m in people["Melker Larsson"].mentions)


def test_a_hyphenated_name_is_one_word(nlp):
    doc = nlp("Jody Wilson-Raybould spoke on Monday. Wilson-Raybould said she would resign.")
    (person,) = [e for e in doc._.claimex_entities if e.label == "PERSON"]
    assert person.name == "Jody Wilson-Raybould"


def test_invisible_characters_are_not_part_of_a_name(nlp):
    doc = nlp("As well as the issues raised, Okonkwo\u200b said he expects the union to help.")
    names = [e.name for e in doc._.claimex_entities]
    assert names == ["Okonkwo"]


# -- conventions: possessives, "the", offsets, nothing found -----------------------------------------
def test_possessive_is_not_part_of_the_mention(nlp):
    text = "Morocco’s exports and Morocco's imports grew."
    (morocco,) = nlp(text)._.claimex_entities
    assert [text[m.start:m.end] for m in morocco.mentions] == ["Morocco", "Morocco"]


def test_leading_article_is_not_part_of_the_mention(nlp):
    assert ents(nlp, "The United Nations and the Al-Quds Committee met.") == [
        ("United Nations", "ORG"),
        ("Al-Quds Committee", "ORG"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "The two countries are set to conduct meetings.",
        "Although both sides agreed, nothing changed.",
        "In 2018, trade tripled.",
        "Both countries enjoy a strategic location, he added.",
        "There is great potential, said the diplomat.",
        "Relations between them have been cordial.",
        "Between May and June, prices rose on Monday.",
        "",
        "   \n\n  ",
    ],
)
def test_nothing_to_find(nlp, text):
    doc = nlp(text)
    assert doc.ents == ()
    assert doc._.claimex_entities == ()


# -- guesses for names no list or head word types ---------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Orders went to aircraft manufacturer Zenthra last year.", [("Zenthra", "ORG")]),
        ("Analysts expect Zenthra shares to rise.", [("Zenthra", "ORG")]),
        ("Relief reached villages near Kordavia.", [("Kordavia", "GPE")]),
        ("The deal was signed by Varnos Ellitch, 49, on Monday.", [("Varnos Ellitch", "PERSON")]),
        ("The Argentine Tomaso Ferrandi is injured.", [("Argentine", "NORP"), ("Tomaso Ferrandi", "PERSON")]),
        ("Supplies reached the Zairean army.", [("Zairean", "NORP")]),
        ("Zenthra Corp CEO Varnos Ellitch resigned.", [("Zenthra Corp", "ORG"), ("Varnos Ellitch", "PERSON")]),
        ("Prices fell on Flight 447 routes.", []),
        ("GREECE, Dec 5 - port workers struck.", [("GREECE", "GPE")]),
    ],
)
def test_untyped_names_take_their_label_from_context(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Squad: Tomaso Ferrandi, Piet Vanderkolk.", [("Tomaso Ferrandi", "PERSON"), ("Piet Vanderkolk", "PERSON")]),
        ("3. Ilse Brunnhart (Austria) 1:18.11", [("Ilse Brunnhart", "PERSON"), ("Austria", "GPE")]),
        ("Bowling: Ferrandi 10-2-26-0, Vanderkolk 9-0-34-0.", [("Ferrandi", "PERSON"), ("Vanderkolk", "PERSON")]),
        ("Leeds 2 Chelsea 1\nLeeds had fined the player.", [("Leeds", "ORG"), ("Chelsea", "ORG"), ("Leeds", "ORG")]),
    ],
)
def test_list_and_results_lines_are_no_headlines(nlp, text, expected):
    assert ents(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The airline ordered five Zenthra 737 jets and ten A380s.", [("Zenthra 737", "PRODUCT"), ("A380s", "PRODUCT")]),
        ("Buyers queued for the iPhone 4 on Monday.", [("iPhone 4", "PRODUCT")]),
        ("The 787 aircraft flew.", [("787", "PRODUCT")]),
        ("About 500 people came.", []),
    ],
)
def test_products_by_shape(nlp, text, expected):
    assert ents(nlp, text) == expected


def test_a_guessed_surname_joins_the_full_name(nlp):
    doc = nlp("Tomaso Ferrandi scored twice. Ferrandi said he was happy.")
    assert [(s.text, s.label_) for s in doc.ents] == [("Tomaso Ferrandi", "PERSON"), ("Ferrandi", "PERSON")]
    assert entity(nlp, "Tomaso Ferrandi scored twice. Ferrandi said he was happy.", "Tomaso Ferrandi").aliases == ("Ferrandi",)


def test_one_name_keeps_one_label_in_an_article(nlp):
    assert ents(nlp, "Trade rose at Zenthra. Analysts expect Zenthra shares to rise.") == [("Zenthra", "ORG"), ("Zenthra", "ORG")]


def test_title_case_headline_only_trusts_gazetteers(nlp):
    assert ents(nlp, "Morocco And Pakistan To Renew Ties After Talks") == [("Morocco", "GPE"), ("Pakistan", "GPE")]


def test_entities_are_in_order_of_first_mention_with_sorted_mentions(nlp):
    doc = nlp("Pakistan and Morocco talked. Morocco and Pakistan agreed. Rabat hosted.")
    assert [e.name for e in doc._.claimex_entities] == ["Pakistan", "Morocco", "Rabat"]
    for e in doc._.claimex_entities:
        assert list(e.mentions) == sorted(e.mentions)


def test_works_without_the_sentence_splitter(make_nlp):
    doc = make_nlp("claimex_entities")("Trade will grow, said the ambassador to Peru, Amara Okonkwo.")
    assert ("Amara Okonkwo", "PERSON") in [(s.text, s.label_) for s in doc.ents]


# -- the seed article --------------------------------------------------------------------------------
SEED_NAMES = [
    ("Morocco", "GPE"), ("Pakistan", "GPE"), ("Rabat", "GPE"), ("Islamabad", "GPE"), ("Western Sahara", "GPE"),
    ("Sahrawi Arab Democratic Republic", "GPE"), ("Mohamed Karmoune", "PERSON"), ("Mohammed VI", "PERSON"),
    ("Online International News Network", "ORG"), ("Moroccan Liberation Army", "ORG"), ("Al-Quds Committee", "ORG"),
    ("Organization of Islamic Cooperation", "ORG"), ("Fauji Fertilizers Company", "ORG"), ("Phosphates Office", "ORG"),
    ("UN", "ORG"), ("Tangier-Med Port", "FAC"), ("Gwadar Port", "FAC"), ("Moroccan", "NORP"), ("Pakistani", "NORP"),
]
SEED_ALIASES = {"OIC": "Organization of Islamic Cooperation", "SADR": "Sahrawi Arab Democratic Republic", "Karmoune": "Mohamed Karmoune"}


@pytest.fixture(scope="module")
def seed_doc(nlp, request):
    path = request.config.rootpath / "seeds" / "morocco-pakistan-ties.txt"
    return nlp(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(("name", "label"), SEED_NAMES)
def test_seed_entity_names(seed_doc, name, label):
    assert (name, label) in {(e.name, e.label) for e in seed_doc._.claimex_entities}


def test_seed_aliases_and_roles(seed_doc):
    alias_of = {a: e.name for e in seed_doc._.claimex_entities for a in e.aliases}
    assert {a: alias_of.get(a) for a in SEED_ALIASES} == SEED_ALIASES
    karmoune = next(e for e in seed_doc._.claimex_entities if e.name == "Mohamed Karmoune")
    assert karmoune.roles == ("ambassador",)
    assert len(karmoune.mentions) == 5


def test_seed_speaker_tokens_carry_person_type(seed_doc):
    said = next(t for t in seed_doc if t.text == "said")
    assert seed_doc[said.i + 1].text == "Karmoune" and seed_doc[said.i + 1].ent_type_ == "PERSON"


# -- invariants ----------------------------------------------------------------------------------------
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list("Ab Mr.-’'(),\nUN Okonkwo Port of said the ")), max_size=80))
def test_any_text_gives_offsets_that_slice_back(nlp, text):
    doc = nlp(text)
    for e in doc._.claimex_entities:
        for m in e.mentions:
            assert 0 <= m.start < m.end <= len(text)
            assert not text[m.start:m.end].startswith(("the ", "The "))
    assert [(s.start_char, s.end_char) for s in doc.ents] == sorted({(m.start, m.end) for e in doc._.claimex_entities for m in e.mentions})


def test_two_runs_give_the_same_entities(nlp, request):
    text = (request.config.rootpath / "seeds" / "morocco-pakistan-ties.txt").read_text(encoding="utf-8")
    assert nlp(text)._.claimex_entities == nlp(text)._.claimex_entities


# -- data: patterns, lists, gazetteers -------------------------------------------------------------------
def test_bad_pattern_row_names_the_pattern():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("claimex_entities")
    rows = default_patterns("entities") + [{"id": "person.bad", "label": "PERSN", "pattern": [{"LOWER": "x"}]}]
    with pytest.raises(RuleDataError, match="person.bad"):
        component.initialize(patterns=rows)


def test_component_round_trips_through_bytes(nlp):
    component = nlp.get_pipe("claimex_entities")
    other = spacy.blank("en").add_pipe("claimex_entities")
    other.from_bytes(component.to_bytes())
    assert other.patterns == component.patterns


@pytest.mark.parametrize(
    ("name", "kind"),
    [("Morocco", "country"), ("Côte d’Ivoire", "country"), ("California", "us_state"), ("Karachi", "city"), ("Asia", "region")],
)
def test_gazetteers_come_from_data_packages(name, kind):
    assert any(name in place.names and place.kind == kind for place in gazetteers.places())


def test_gazetteer_names_drop_catalogue_forms():
    assert gazetteers.clean_names(["Korea, Republic of", "The Gambia", "Bogotá"]) == ("Gambia", "Bogotá", "Bogota")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Later Anna Lindqvist scored again.", [("Anna Lindqvist", "PERSON")]),
        ("Yesterday John Smith resigned from the board.", [("John Smith", "PERSON")]),
        ('"Earlier Mark Carney spoke to us," she said.', [("Mark Carney", "PERSON")]),
        # only at the start of a sentence, and only when a name follows at once
        ("The striker, Later Smith, scored twice.", [("Later Smith", "PERSON")]),
    ],
)
def test_sentence_opening_adverb_is_not_part_of_a_name(nlp, text, expected):
    assert [(t, label) for t, label in ents(nlp, text) if label == "PERSON"] == expected
