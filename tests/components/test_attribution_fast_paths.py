"""The shortcuts claimex_attribution takes give what the plain readings give: sentence bounds without Span
objects, quotation search only in paragraphs with a mark, span lookups by bisection on plain ints, the
pronouns and speaker words read from the token table, the first token of a candidate's speaker, and a
sentence's attribution chosen by working out its candidates only until the most preferred one fits."""

from __future__ import annotations

import bisect
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from claimex.annotations import CharSpan
from claimex.components.attribution import SortedSpans
from claimex.components.attribution_layouts import CONTENT_BEFORE, Candidate
from claimex.components.attribution_parse import PARSE_RULE
from claimex.components.attribution_sentences import fixed_sentences, sentence_list
from claimex.quotes import _paragraph_quotations, find_quotations
from claimex.speakers import (
    FEMALE,
    GENDERED,
    PERSON_LABELS,
    SpeakerLexicon,
    SpeakerResolver,
    _name_words,
    infer_genders,
)
from tests.conftest import evaluation_texts, news_texts

COMPONENTS = ("claimex_sentences", "claimex_entities")
REAL_SETS = ("gendergaptracker", "polnear", "meantime_en")


def annotated(make_nlp, text: str):
    return make_nlp(*COMPONENTS)(text)


def test_sentence_bounds_are_the_spans_spacy_gives(make_nlp) -> None:
    for text in news_texts(per_set=10) + ["", "One.", "Prices rose. “We will win,” she said.\n\nDOHA – The talks ended."]:
        doc = annotated(make_nlp, text)
        expected = [(s.start, s.end, s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
        with fixed_sentences(doc):
            found = [(s.start, s.end, s.start_char, s.end_char) for s in sentence_list(doc)] if len(doc) else []
        assert found == expected, text[:80]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab “”\"'«»\n,. ", max_size=80), st.lists(st.integers(0, 80), max_size=6))
def test_quotations_are_searched_only_where_a_mark_is(text, cuts) -> None:
    bounds = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    paragraphs = tuple(CharSpan(a, b) for a, b in pairwise(bounds))
    every = tuple(q for paragraph in paragraphs for q in _paragraph_quotations(text, paragraph))
    assert find_quotations(text, paragraphs) == every


SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)).map(lambda p: CharSpan(p[0], p[0] + p[1])), max_size=8)


@given(SPANS, st.integers(0, 80), st.tuples(st.integers(0, 70), st.integers(0, 12)))
def test_sorted_spans_answer_as_bisection_over_the_spans_does(spans, char, probe) -> None:
    ordered = sorted(spans)
    i = bisect.bisect_right(ordered, CharSpan(char, 1 << 62)) - 1
    holds = i >= 0 and ordered[i].start <= char < ordered[i].end
    span = CharSpan(probe[0], probe[0] + probe[1])
    j = bisect.bisect_left(ordered, CharSpan(span.end, span.end))
    overlaps = any(ordered[k].overlaps(span) for k in range(max(0, j - 3), j))
    fast = SortedSpans(spans)
    assert fast.holds(char) == holds
    assert fast.overlaps(span) == overlaps


ROLES = st.dictionaries(
    st.sampled_from(["cue", "possessor", "speaker", "speaker_name", "sep", "skip"]),
    st.lists(st.integers(0, 19), min_size=1, max_size=4).map(lambda v: tuple(sorted(v))),
).filter(lambda roles: "cue" in roles)


@given(ROLES)
def test_the_core_is_the_first_speaker_or_cue_token(roles) -> None:
    candidate = Candidate("rule", "speaker_cue_content", 0, 20, roles)
    expected = min(i for role in ("cue", "possessor", "speaker", "speaker_name") for i in roles.get(role, (19,)))
    assert candidate.core == expected


WORDS = st.sampled_from(["Ms.", "Mr", "Dr.", "sir", "Jane", "Doe", ".", ",", "", "MRS.", "Mrs.,", "president"])


@given(st.lists(WORDS, max_size=5))
def test_honorific_names_are_the_ones_made_only_of_honorifics(words) -> None:
    lexicon = SpeakerLexicon.from_lists({
        "speaker_pronouns": ["he: m"], "role_nouns": ["president"], "org_nouns": [], "speaker_determiners": ["the"],
        "honorifics_male": ["Mr.", "Dr.", "Sir"], "honorifics_female": ["Ms.", "Mrs."],
    })
    name = " ".join(words)
    expected = [w.rstrip(".") for w in _name_words(name)]
    resolver = SpeakerResolver.__new__(SpeakerResolver)
    resolver.lexicon = lexicon
    assert resolver.honorific_only(name) == (bool(expected) and all(w in lexicon.honorifics for w in expected))


def test_genders_are_the_majority_of_the_pronouns_read_token_by_token(make_nlp) -> None:
    texts = evaluation_texts(REAL_SETS, 15) + ["Jane Doe spoke. She said she was ready. John Roe said he was not; he left, and she stayed."]
    for text in texts:
        doc = annotated(make_nlp, text)
        entities = list(doc._.claimex_entities or [])
        mentions = sorted((m.start, m.end, index) for index, entity in enumerate(entities) for m in entity.mentions)
        people = [(start, index) for start, _, index in mentions if entities[index].label in PERSON_LABELS]
        votes: dict[int, list[int]] = {}
        for token in doc:  # the plain reading: every token, its own lower-case form and offset
            if token.lower_ in GENDERED:
                k = bisect.bisect_right([start for start, _ in people], token.idx)
                if k:
                    votes.setdefault(people[k - 1][1], [0, 0])[token.lower_ in FEMALE] += 1
        expected = {
            index: entity.gender if entity.gender in ("m", "f") else ("m" if votes[index][0] > votes[index][1] else "f")
            for index, entity in enumerate(entities)
            if entity.gender in ("m", "f") or (index in votes and votes[index][0] != votes[index][1])
        }
        assert infer_genders(doc, entities, mentions) == expected, text[:80]


def test_a_sentence_keeps_its_most_preferred_candidate_that_fits(make_nlp, monkeypatch) -> None:
    """`best_primary` works out a sentence's candidates in order of preference and stops at the first that
    yields a statement; working out every candidate on its own and taking the most preferred of those that
    fit (the first of equals, in the group's order) picks the same one."""
    nlp = make_nlp(*COMPONENTS, "claimex_attribution")
    component = nlp.get_pipe("claimex_attribution")
    fast = component.best_primary
    compared = []

    def checked(doc, text, sentence, group, quotations, index, claimed):
        secondary = [c for c in group if c.layout == "secondary"]
        options = []
        for candidate in group:
            if candidate.layout == "secondary":
                continue
            alone = fast(doc, text, sentence, [candidate, *secondary], quotations, index, claimed)
            if alone is not None:
                assert alone.candidate is candidate
                options.append(alone)
        found = fast(doc, text, sentence, group, quotations, index, claimed)
        if not options:
            assert found is None
        else:
            c = min(options, key=lambda o: (-(o.candidate.layout in CONTENT_BEFORE), o.candidate.rule == PARSE_RULE, o.candidate.start - o.candidate.end, o.candidate.start))
            assert found is not None and (found.candidate, found.content, found.extent, found.kind) == (c.candidate, c.content, c.extent, c.kind)
        compared.append(len(options))
        return found

    monkeypatch.setattr(component, "best_primary", checked)
    texts = news_texts(per_set=8) + [
        "“We will win,” she said. The minister said on Tuesday that prices, he said, will rise, officials said.",
        "Jane Doe, a professor at the University of X, said the talks failed, the agency reported.",
    ]
    for text in texts:
        nlp(text)
    assert sum(1 for n in compared if n > 1) > 0  # some sentence had several candidates that fit
