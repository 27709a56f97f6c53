"""claimex_entities: rules-only named entity recognition and grouping of mentions into referents.

Works on `spacy.blank("en")`, with no trained model. The readings, strongest first:
- acronyms defined in brackets: "Organization of American States (OAS)";
- gazetteers from data packages (countries, US states, cities, continents and world regions; see
  `claimex.gazetteers`) and word lists (demonyms -> NORP, well-known organisations, country aliases);
- the head word of a run of capitalised words: "... Company" -> ORG, "... Port" -> FAC,
  "... Republic" -> GPE, "Organization of ..." -> ORG;
- a title before a name: "King Charles III" -> PERSON "Charles III" (role "king");
- context patterns from `patterns/entities.jsonl`: reporting verbs ("..., said Jane Doe"),
  appositions ("the ambassador to Kenya, Jane Doe");
- guesses for the name chunks nothing else typed, labelled from their neighbours, and products read
  from their shape ("A380", "iPhone 4"; see `entities_guess`);
- repeats of names found elsewhere in the article and surnames of full names.
The longest non-overlapping readings are kept (`doc.ents`), then grouped into referents
(`doc._.claimex_entities`, in order of first mention), each named by its fullest form (without a
leading "the" or a possessive ending).

After a trained NER (the accurate pipeline), its mentions are the base and the rule readings correct
and complete them as the pipeline's merge policy says (`entities_merge`).
"""

from __future__ import annotations

from itertools import compress
from operator import or_

from spacy.language import Language
from spacy.tokens import Doc

from claimex import gazetteers
from claimex.components.base import RuleComponent
from claimex.components.entities_chunks import HYPHENS, Chunker, NameChunk
from claimex.components.entities_gazetteer import (
    Gazetteer,
    calendar_words,
    currency_codes,
    currency_units,
    plural,
)
from claimex.components.entities_guess import Guesser, GuessLexicons, team_candidates
from claimex.components.entities_linking import link, repeats, resolve, set_entities
from claimex.components.entities_merge import (
    MergePolicy,
    merge,
    repeats_of_rules,
    trained_candidates,
)
from claimex.components.entities_rules import (
    PRIORITY_GUESS,
    PRIORITY_LIST,
    Candidate,
    ContextRules,
    HeadLexicons,
    acronym_definitions,
    classify_chunk,
    context_candidates,
    given_name_person,
)
from claimex.components.token_table import fixed_tokens, token_table
from claimex.normalize.names import is_acronym

FACTORY = "claimex_entities"
# Gazetteer readings that a longer run of capitalised words can veto ("Jackson" in "Jackson Browne").
WEAK_PLACE_RULES = frozenset({"gazetteer.city", "gazetteer.us_state", "gazetteer.subdivision"})


class EntityRecognizer(RuleComponent):
    """Sets `doc.ents` and `doc._.claimex_entities` (a tuple of `EntityInfo`)."""

    pattern_family = "entities"
    required_lists = (
        "role_nouns",
        "person_titles",
        "person_title_modifiers",
        "honorifics_male",
        "honorifics_female",
        "org_suffixes",
        "fac_suffixes",
        "entity_gpe_heads",
        "entity_loc_heads",
        "entity_loc_prefixes",
        "entity_event_heads",
        "entity_law_heads",
        "entity_name_particles",
        "entity_name_connectors",
        "entity_sentence_adverbs",
        "entity_person_cues",
        "entity_person_cue_listeners",
        "demonyms",
        "entity_orgs",
        "entity_country_aliases",
        "entity_gazetteer_exclude",
        "entity_given_names",
        "entity_common_acronyms",
        "entity_us_state_abbreviations",
        "entity_org_cues",
        "entity_org_followers",
        "entity_product_nouns",
        "entity_model_blockers",
        "entity_legal_forms",
    )

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        min_city_population: int = gazetteers.DEFAULT_MIN_POPULATION,
        trained_merge: MergePolicy | None = None,
    ) -> None:
        super().__init__(nlp, name)
        self.min_city_population = min_city_population
        self.trained_merge = trained_merge or MergePolicy()

    # -- build -----------------------------------------------------------------------------------
    def build(self) -> None:
        """Compile word lists, gazetteers and context patterns into matchers (once, at initialize)."""
        heads = {
            "GPE": self.lexicon("entity_gpe_heads"),
            "ORG": self.lexicon("org_suffixes"),
            "FAC": self.lexicon("fac_suffixes"),
            "LOC": self.lexicon("entity_loc_heads"),
            "EVENT": self.lexicon("entity_event_heads"),
            "LAW": self.lexicon("entity_law_heads"),
        }
        self.heads = HeadLexicons(
            heads=heads,
            loc_prefixes=self.lexicon("entity_loc_prefixes"),
            titles=self.lexicon("person_titles"),
            title_modifiers=self.lexicon("person_title_modifiers"),
            role_nouns=self.lexicon("role_nouns"),
            male=self.lexicon("honorifics_male"),
            female=self.lexicon("honorifics_female"),
            given_names=self.lexicon("entity_given_names"),
        )
        self.chunker = Chunker(
            particles=self.lexicon("entity_name_particles"),
            connectors=self.lexicon("entity_name_connectors"),
            connector_heads=frozenset().union(*heads.values()),
            calendar_words=calendar_words(),
            sentence_adverbs=self.lexicon("entity_sentence_adverbs"),
        )
        self.legal_forms = self.lexicon("entity_legal_forms")
        self.plural_roles = frozenset(plural(word) for word in self.lexicon("role_nouns"))
        self.context = ContextRules(self.nlp.vocab, self.patterns, self.lists, source="patterns/entities.jsonl")
        self.gazetteer = Gazetteer.build(self.nlp, self.lists, min_city_population=self.min_city_population)
        self.currency_units = currency_units()
        self.common_acronyms = frozenset(self.lists["entity_common_acronyms"]) | currency_codes()
        self.guesser = Guesser(
            GuessLexicons(
                org_cues=self.lexicon("entity_org_cues"),
                org_followers=self.lexicon("entity_org_followers"),
                product_nouns=self.lexicon("entity_product_nouns"),
                model_blockers=self.lexicon("entity_model_blockers"),
                given_names=self.lexicon("entity_given_names"),
                calendar_words=calendar_words(abbreviated=True),
            )
        )

    # -- process ---------------------------------------------------------------------------------
    def process(self, doc: Doc) -> Doc:
        """Propose readings, keep the best non-overlapping ones, add repeats, group into referents."""
        if len(doc) == 0:
            doc.ents = ()
            doc._.claimex_entities = ()
            return doc
        with fixed_tokens(doc):  # nothing here retokenizes: the token table is read once
            has_trained = doc.has_annotation("ENT_IOB")  # a trained NER ran before (the accurate pipeline)
            trained = trained_candidates(doc) if has_trained else []
            lines: list[bool] = []
            chosen = resolve(self.candidates(doc, lines), len(doc))
            if has_trained:
                titles = self.heads.titles | self.heads.title_modifiers
                chosen = merge(
                    doc, trained, chosen, self.trained_merge, lines=lines, titles=titles, legal_forms=self.legal_forms, roles=self.heads.role_nouns
                )
                mentions = repeats_of_rules(doc, chosen, repeats)
            else:
                mentions = repeats(doc, chosen)
            entities, ranges = link(doc, mentions)
            set_entities(doc, ranges)  # what `doc.ents = [Span(...), ...]` does, without the Spans
        doc._.claimex_entities = tuple(entities)
        return doc

    def candidates(self, doc: Doc, lines: list[bool] | None = None) -> list[Candidate]:
        """Every reading the rules propose, before overlaps are resolved.

        `lines`, when given, is filled with a flag per token: on a headline or table line.
        """
        headline = self.chunker.headline_tokens(doc)
        chunks = self.chunker.chunks(doc, headline)
        places = self.gazetteer.candidates(doc)
        place_tokens = {i for c in places for i in range(c.start, c.end)}
        listed = {i for c in places if c.priority == PRIORITY_LIST for i in range(c.start, c.end)}
        exact = {(c.start, c.end): c.label for c in places}
        found: list[Candidate] = list(places)
        labels: dict[int, str] = {}
        free: list[NameChunk] = []
        unguessed: list[NameChunk] = []
        for chunk in chunks:
            typed = classify_chunk(doc, chunk, self.heads)
            if typed is not None:
                found.append(typed)
                if (typed.start, typed.end) == (chunk.start, chunk.end):
                    labels[chunk.start] = typed.label
                else:
                    found.extend(self._organisation_before_title(doc, chunk, typed, place_tokens))
            else:
                free.append(chunk)
                guess = given_name_person(doc, chunk, self.heads, listed) or self._acronym_org(doc, chunk)
                if guess is not None:
                    found.append(guess)
                else:
                    unguessed.append(chunk)
                if (chunk.start, chunk.end) in exact:
                    labels[chunk.start] = exact[(chunk.start, chunk.end)]
        for definition in acronym_definitions(doc, chunks, labels):
            found.append(definition)
            for start, end in definition.aliases:
                found.append(Candidate(start, end, definition.label, definition.rule, definition.priority))
        table = token_table(doc)
        common = self.plural_roles.union(compress(table.lower, table.is_lower))
        found.extend(
            context_candidates(doc, self.context, {c.start: c for c in free}, {c.end: c for c in free}, self.heads, common, place_tokens)
        )
        in_list = self.chunker.list_tokens(doc)
        listed_labels = {i: c.label for c in places if c.priority == PRIORITY_LIST for i in range(c.start, c.end)}
        found.extend(
            self.guesser.chunk_candidates(
                doc, unguessed, covered=place_tokens, listed=listed_labels, places=weak_places(places), common=common,
                lists=in_list,
            )
        )
        on_lines = list(map(or_, headline, in_list))  # bools: headline or table line
        tables = set(compress(range(len(doc)), on_lines))
        if lines is not None:
            lines[:] = on_lines
        found.extend(self.guesser.products(doc, skip=tables, places=place_tokens))
        found.extend(team_candidates(doc, places, WEAK_PLACE_RULES))
        vetoed = self._vetoed_places(doc, free, places)
        money = self._money_words(doc, places)
        if not vetoed and not money:
            return found
        return [c for c in found if id(c) not in vetoed and not any(i in money for i in range(c.start, c.end))]

    def _organisation_before_title(self, doc: Doc, chunk: NameChunk, typed: Candidate, places: set[int]) -> list[Candidate]:
        """"Acme Corp CEO Jane Doe": the words before a company title name the company.

        Only when the title run holds a word that follows organisations ("chief", "CEO", "chairman");
        "Industry Secretary Jane Doe" or "Pakistan Prime Minister Jane Doe" give nothing new.
        """
        if typed.label != "PERSON" or typed.start <= chunk.start:
            return []
        first = typed.start
        titles = self.heads.titles | self.heads.title_modifiers
        lower = token_table(doc).lower
        while first > chunk.start and lower[first - 1] in titles:
            first -= 1
        title_words = {lower[i].rstrip(".") for i in range(first, typed.start)}
        words = [w for w in chunk.words if w < first]
        if not words or not title_words & self.guesser.lex.org_followers or all(w in places for w in words):
            return []
        return [Candidate(chunk.start, words[-1] + 1, "ORG", "guess.org_context", PRIORITY_GUESS)]

    @staticmethod
    def _vetoed_places(doc: Doc, free: list[NameChunk], places: list[Candidate]) -> set[int]:
        """City or province readings followed, in an untyped name, by a word no gazetteer knows.

        "Jackson Browne", "Boston Celtics" and "Paris Hilton" lose their place; "Nairobi, Kenya",
        "Mexico City" and "Shengmin Zhao Guangzhou" (a byline) keep it.
        """
        by_start: dict[int, list[Candidate]] = {}
        for c in places:
            by_start.setdefault(c.start, []).append(c)
        vetoed: set[int] = set()
        for chunk in free:
            if len(chunk.words) < 2:
                continue
            inside = [c for i in range(chunk.start, chunk.end) for c in by_start.get(i, ()) if c.end <= chunk.end]
            covered = {i for c in inside for i in range(c.start, c.end)}
            for c in inside:
                if c.rule in WEAK_PLACE_RULES and any(w >= c.end and w not in covered for w in chunk.words):
                    vetoed.add(id(c))
        return vetoed

    def _acronym_org(self, doc: Doc, chunk: NameChunk) -> Candidate | None:
        """A lone acronym ("GM", "NHL", "P&G") in running text, read as an organisation.

        Country and organisation lists, definitions in brackets and context rules read it otherwise
        when they know better; common abbreviations ("CEO", "GDP") and currency codes are no names.
        """
        if len(chunk.words) != 1:
            return None
        table = token_table(doc)
        text = table.text[chunk.start]
        if not is_acronym(text) or text in self.common_acronyms:
            return None
        line_start = chunk.start == 0 or "\n" in table.text[chunk.start - 1] or "\n" in table.whitespace[chunk.start - 1]
        if line_start and chunk.end < len(doc) and (table.text[chunk.end] == "," or table.like_num[chunk.end]):
            return None  # a dateline: "VAIL, Colorado 1996-12-06"
        return Candidate(chunk.start, chunk.end, "ORG", "guess.acronym", PRIORITY_GUESS)

    def _money_words(self, doc: Doc, places: list[Candidate]) -> set[int]:
        """Tokens of countries and nationalities that only qualify a currency ("190 million US dollars").

        OntoNotes and the claim records read the whole amount as money, so no entity is taken from
        it; "the US dollar rose" (no number before) keeps its GPE.
        """
        money: set[int] = set()
        table = token_table(doc)
        for c in places:
            if c.label not in ("GPE", "NORP"):
                continue
            after = c.end + 1 if c.end < len(doc) and table.text[c.end] in HYPHENS else c.end
            if after >= len(doc) or table.lower[after] not in self.currency_units:
                continue
            if any(table.like_num[max(0, c.start - 3) : c.start]):
                money.update(range(c.start, c.end))
        return money


def weak_places(places: list[Candidate]) -> set[int]:
    """Tokens of city, state and province names: inside an unknown name they make it an organisation."""
    return {i for c in places if c.rule in WEAK_PLACE_RULES or c.label in ("GPE", "LOC") for i in range(c.start, c.end)}


@Language.factory(
    FACTORY,
    assigns=["doc.ents", "token.ent_type", "token.ent_iob", "doc._.claimex_entities"],
    default_config={
        "min_city_population": gazetteers.DEFAULT_MIN_POPULATION,
        "trained_merge": {},
    },
)
def make_entities(nlp: Language, name: str, min_city_population: int, trained_merge: dict[str, list[str]]) -> EntityRecognizer:
    """Rule-based entity recognizer (see module docstring); cities below `min_city_population` are not
    listed. After a trained NER (the accurate pipeline), its entities are kept and corrected and completed
    by the rule readings `trained_merge` trusts: a mapping of `MergePolicy` fields to lists of rule ids
    ("gazetteer.country") or rule id prefixes ("guess.")."""
    unknown = set(trained_merge) - set(MergePolicy.__dataclass_fields__)
    if unknown:
        raise ValueError(f"{name}: unknown trained_merge keys {sorted(unknown)}; known: {sorted(MergePolicy.__dataclass_fields__)}")
    policy = MergePolicy(**{key: frozenset(ids) for key, ids in trained_merge.items()})
    return EntityRecognizer(nlp, name, min_city_population=min_city_population, trained_merge=policy)
